"""Persistence diagrams of grid filtrations against independent oracles.

Oracles: gudhi ``CubicalComplex`` (vertices / top_dimensional_cells), gudhi ``SimplexTree`` filled
from the test suite's own Freudenthal enumeration, and the naive reference reduction in
``reference.py``. Nothing here uses calydon output as an expected value.
"""

from __future__ import annotations

import gudhi
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import calydon
import reference
from conftest import (
    assert_dgm_equal,
    assert_dgms_equal,
    essential_rows,
    gudhi_cubical_dgms,
    gudhi_to_dgms,
    seed_of,
)

# ---------------------------------------------------------------------------------------------
# Oracles
# ---------------------------------------------------------------------------------------------


def gudhi_freudenthal(
    data: np.ndarray, negate: bool, max_dim: int | None = None
) -> dict[int, np.ndarray]:
    """gudhi SimplexTree lower-star of the reference Freudenthal enumeration (top simplex dim max_dim)."""
    top = data.ndim if max_dim is None else min(max_dim, data.ndim)
    simplices = reference.freudenthal_simplices(data.shape, top)
    arr = -data if negate else data
    values = reference.lower_star_values(simplices, arr)
    st_ = gudhi.SimplexTree()
    for s, v in zip(simplices, values):
        st_.insert(list(s), filtration=v)
    st_.make_filtration_non_decreasing()  # no-op for a lower-star filtration
    pers = st_.persistence(homology_coeff_field=2, min_persistence=-1, persistence_dim_max=True)
    return gudhi_to_dgms(pers, top + 1, negate=negate)


def random_data(shape, rng, ties: bool) -> np.ndarray:
    if ties:
        return rng.integers(0, 4, size=shape).astype(np.float64)
    return rng.standard_normal(shape)


def assert_all_dims(dgms, expected: dict, fil, msg: str = "") -> None:
    """``dgms`` has dims 0..fil.max_dim; every dim of either side agrees (missing = empty)."""
    assert len(dgms) == fil.max_dim + 1, msg
    n = max(len(dgms), max(expected, default=-1) + 1)
    padded = [dgms[d] if d < len(dgms) else np.empty((0, 2)) for d in range(n)]
    assert_dgms_equal(padded, expected, range(n), msg=msg)


def grid_top_dim(shape, values_on="vertices") -> int:
    """Dimension of the top cells of a grid complex: axes of length > 1 (all axes for cells)."""
    return len(shape) if values_on == "cells" else sum(s > 1 for s in shape)


# ---------------------------------------------------------------------------------------------
# Cubical vs gudhi CubicalComplex
# ---------------------------------------------------------------------------------------------

CUBE_SHAPES = [(9,), (1,), (6, 7), (1, 5), (4, 3, 5), (3, 1, 2), (3, 2, 3, 2), (2, 2, 2, 2)]


@pytest.mark.parametrize("shape", CUBE_SHAPES, ids=lambda s: "x".join(map(str, s)))
@pytest.mark.parametrize("values_on", ["vertices", "cells"])
@pytest.mark.parametrize("negate", [False, True])
@pytest.mark.parametrize("ties", [False, True])
def test_cubical_vs_gudhi(shape, values_on, negate, ties):
    rng = np.random.default_rng(seed_of(shape, values_on, negate, ties))
    data = random_data(shape, rng, ties)
    expected = gudhi_cubical_dgms(data, negate, values_on, n_dims=data.ndim)
    fil = calydon.cube_filtration(data, negate=negate, values_on=values_on)
    assert fil.max_dim == grid_top_dim(shape, values_on)
    for dualize in (False, True):
        for fast_paths in (False, True):
            dgms = calydon.compute_diagrams(fil, dualize=dualize, fast_paths=fast_paths)
            tag = f"dualize={dualize} fast_paths={fast_paths}"
            assert_all_dims(dgms, expected, fil, msg=tag)  # gudhi: no homology in the top dim
            # essential points: exactly one, in H0, at the global min (max when negated)
            ess = essential_rows(dgms[0])
            extreme = data.max() if negate else data.min()
            assert_dgm_equal(ess, [[extreme, -np.inf if negate else np.inf]], msg=tag)
            no_inf = calydon.compute_diagrams(
                fil, include_inf_points=False, dualize=dualize, fast_paths=fast_paths
            )
            assert_all_dims(
                no_inf, {d: e[np.isfinite(e[:, 1])] for d, e in expected.items()}, fil, msg=tag
            )


@pytest.mark.parametrize("values_on", ["vertices", "cells"])
@pytest.mark.parametrize("negate", [False, True])
def test_cubical_partial_complex_vs_reference(values_on, negate):
    """max_dim < ndim: the 1-skeleton of a cubical grid has essential H1 classes."""
    rng = np.random.default_rng(7)
    data = rng.standard_normal((4, 5))
    fil, crit = calydon.cube_filtration(
        data, negate=negate, values_on=values_on, max_dim=1, with_critical_indices=True
    )
    assert fil.max_dim == 1
    # Build the same graph ourselves: vertices and edges of the vertex grid, with gudhi's values.
    vshape = data.shape if values_on == "vertices" else tuple(s + 1 for s in data.shape)
    if values_on == "vertices":
        vval = data.reshape(-1)
    else:
        # a vertex takes the min (negate: max) of the top cells containing it
        pad = np.full(tuple(s + 2 for s in data.shape), np.inf if not negate else -np.inf)
        pad[1:-1, 1:-1] = data
        pick = np.maximum if negate else np.minimum
        vval = pick(pick(pad[:-1, :-1], pad[1:, :-1]), pick(pad[:-1, 1:], pad[1:, 1:])).reshape(-1)
    simplices, values = [], []
    for v in range(int(np.prod(vshape))):
        simplices.append((v,))
        values.append(vval[v])
    for i in range(vshape[0]):
        for j in range(vshape[1]):
            for di, dj in ((1, 0), (0, 1)):
                if i + di < vshape[0] and j + dj < vshape[1]:
                    a, b = i * vshape[1] + j, (i + di) * vshape[1] + j + dj
                    if values_on == "vertices":
                        val = (min if negate else max)(vval[a], vval[b])
                    else:
                        # an edge takes the min (negate: max) of the 1 or 2 top cells beside it
                        cells = []
                        for ci in [i - 1, i] if di == 0 else [i]:
                            for cj in [j - 1, j] if dj == 0 else [j]:
                                if 0 <= ci < data.shape[0] and 0 <= cj < data.shape[1]:
                                    cells.append(data[ci, cj])
                        val = (max if negate else min)(cells)
                    simplices.append((a, b))
                    values.append(val)
    expected = reference.simplicial_diagrams(simplices, values, negate)
    for dualize in (False, True):
        dgms = calydon.compute_diagrams(fil, dualize=dualize)
        assert_dgms_equal(dgms, expected, range(2), msg=f"dualize={dualize}")
    assert len(essential_rows(expected[1])) == (vshape[0] - 1) * (vshape[1] - 1)


# ---------------------------------------------------------------------------------------------
# Freudenthal vs the naive reference and vs gudhi SimplexTree
# ---------------------------------------------------------------------------------------------

FR_SHAPES = [(8,), (1,), (5, 4), (1, 6), (3, 3, 3), (2, 3, 2)]


@pytest.mark.parametrize("shape", FR_SHAPES, ids=lambda s: "x".join(map(str, s)))
@pytest.mark.parametrize("negate", [False, True])
@pytest.mark.parametrize("ties", [False, True])
def test_freudenthal_vs_reference(shape, negate, ties):
    rng = np.random.default_rng(seed_of(shape, negate, ties, "fr"))
    data = random_data(shape, rng, ties)
    expected = reference.freudenthal_diagrams(data, negate=negate)
    fil = calydon.freudenthal_filtration(data, negate=negate)
    assert fil.max_dim == grid_top_dim(shape)
    for dualize in (False, True):
        for fast_paths in (False, True):
            dgms = calydon.compute_diagrams(fil, dualize=dualize, fast_paths=fast_paths)
            assert_all_dims(dgms, expected, fil, msg=f"dualize={dualize} fast_paths={fast_paths}")
    # the one-shot helper: dims 0..min(ndim-1, top cell dim)
    ls = calydon.compute_diagrams_ls(data, negate=negate)
    assert len(ls) <= len(shape)
    padded = [ls[d] if d < len(ls) else np.empty((0, 2)) for d in range(len(shape))]
    assert_dgms_equal(padded, expected, range(len(shape)), msg="compute_diagrams_ls")
    ls = calydon.compute_diagrams_ls(data, negate=negate, include_inf_points=False, dualize=True)
    for d in range(len(ls)):
        assert_dgm_equal(ls[d], expected[d][np.isfinite(expected[d][:, 1])])


@pytest.mark.parametrize("shape", [(4, 5), (3, 2, 3)], ids=lambda s: "x".join(map(str, s)))
@pytest.mark.parametrize("max_dim", [0, 1, 2])
@pytest.mark.parametrize("negate", [False, True])
def test_freudenthal_partial_complex_vs_reference(shape, max_dim, negate):
    """Skeleta (max_dim < ndim) are not balls: essential classes appear above H0."""
    rng = np.random.default_rng(3 + max_dim)
    data = rng.standard_normal(shape)
    expected = reference.freudenthal_diagrams(data, negate=negate, max_dim=max_dim)
    fil = calydon.freudenthal_filtration(data, negate=negate, max_dim=max_dim)
    assert fil.max_dim == min(max_dim, len(shape))
    for dualize in (False, True):
        for fast_paths in (False, True):
            dgms = calydon.compute_diagrams(fil, dualize=dualize, fast_paths=fast_paths)
            assert_dgms_equal(
                dgms,
                expected,
                range(fil.max_dim + 1),
                msg=f"dualize={dualize} fast_paths={fast_paths}",
            )
    if max_dim < len(shape):
        # compute_diagrams_ls(max_dim=k) builds the (k+1)-skeleton and reports dims 0..k
        ls = calydon.compute_diagrams_ls(data, negate=negate, max_dim=max_dim)
        exp_ls = reference.freudenthal_diagrams(data, negate=negate, max_dim=max_dim + 1)
        assert len(ls) == max_dim + 1
        assert_dgms_equal(ls, exp_ls, range(max_dim + 1), msg="compute_diagrams_ls")


@pytest.mark.parametrize(
    "shape",
    [(10,), (6, 5), (4, 3, 4), (2, 3, 2, 3), (3, 2, 2, 2)],
    ids=lambda s: "x".join(map(str, s)),
)
@pytest.mark.parametrize("negate", [False, True])
@pytest.mark.parametrize("ties", [False, True])
def test_freudenthal_vs_gudhi_simplextree(shape, negate, ties):
    rng = np.random.default_rng(seed_of(shape, negate, ties, "st"))
    data = random_data(shape, rng, ties)
    expected = gudhi_freudenthal(data, negate)
    fil = calydon.freudenthal_filtration(data, negate=negate)
    for dualize in (False, True):
        dgms = calydon.compute_diagrams(fil, dualize=dualize)
        assert_dgms_equal(dgms, expected, range(len(shape) + 1), msg=f"dualize={dualize}")


# ---------------------------------------------------------------------------------------------
# Homology == cohomology, index pairs included
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("builder", ["freudenthal", "vertices", "cells"])
@pytest.mark.parametrize(
    "shape", [(12,), (7, 6), (4, 5, 3), (3, 2, 3, 2)], ids=lambda s: "x".join(map(str, s))
)
@pytest.mark.parametrize("negate", [False, True])
def test_homology_equals_cohomology(builder, shape, negate):
    rng = np.random.default_rng(11)
    data = rng.integers(0, 5, size=shape).astype(np.float64)  # many ties
    if builder == "freudenthal":
        fil = calydon.freudenthal_filtration(data, negate=negate)
    else:
        fil = calydon.cube_filtration(data, negate=negate, values_on=builder)
    variants = [
        calydon.compute_diagrams(fil, dualize=dz, fast_paths=fp)
        for dz in (False, True)
        for fp in (False, True)
    ]
    base = variants[0]
    for other in variants[1:]:
        assert len(other) == len(base)
        for d in range(len(base)):
            assert_dgm_equal(other[d], base[d])
            # the persistence pairing of a fixed total order is unique: same index pairs
            a = other.index_diagram_in_dimension(d)
            b = base.index_diagram_in_dimension(d)
            assert sorted(map(tuple, a.tolist())) == sorted(map(tuple, b.tolist()))


# ---------------------------------------------------------------------------------------------
# reduce(): R = D V over Z/2, reducedness, diagram
# ---------------------------------------------------------------------------------------------


def _check_decomposition(fil, dcmp, dualize: bool, with_v: bool):
    n = len(fil)
    # D is the boundary matrix in sorted ids (anti-transposed when dualized)
    offsets, rows = fil.boundary_matrix()
    bd = [sorted(rows[offsets[j] : offsets[j + 1]].tolist()) for j in range(n)]
    if dualize:
        co = [[] for _ in range(n)]
        for j, col in enumerate(bd):
            for i in col:
                co[n - 1 - i].append(n - 1 - j)
        expected_d = [sorted(c) for c in co]
    else:
        expected_d = bd
    assert [sorted(c) for c in dcmp.d_data] == expected_d
    D = reference.columns_to_dense(dcmp.d_data, n)
    R = reference.columns_to_dense(dcmp.r_data, n)
    # R is reduced: the lows of nonzero columns are distinct
    lows = [max(c) for c in dcmp.r_data if len(c)]
    assert len(lows) == len(set(lows))
    # R agrees with the reference reduction in its pivots (the pairing is unique)
    ref_R, _ = reference.standard_reduction([sum(1 << i for i in set(c)) for c in dcmp.d_data])
    ref_lows = {j: c.bit_length() - 1 for j, c in enumerate(ref_R) if c}
    assert {j: max(c) for j, c in enumerate(dcmp.r_data) if len(c)} == ref_lows
    if with_v:
        V = reference.columns_to_dense(dcmp.v_data, n)
        assert np.array_equal(reference.matmul_z2(D, V), R), "R != D V over Z/2"
        # V is invertible upper triangular: unit diagonal, nothing below it
        assert np.array_equal(np.diag(V), np.ones(n, np.uint8))
        assert not np.tril(V, -1).any()


@pytest.mark.parametrize("builder", ["freudenthal", "vertices", "cells"])
@pytest.mark.parametrize("dualize", [False, True])
@pytest.mark.parametrize("clearing", [False, True])
@pytest.mark.parametrize("compute_v", [False, True])
@pytest.mark.parametrize("negate", [False, True])
def test_reduce_decomposition(builder, dualize, clearing, compute_v, negate):
    rng = np.random.default_rng(5)
    data = rng.integers(0, 6, size=(4, 3, 3)).astype(np.float64)
    if builder == "freudenthal":
        fil = calydon.freudenthal_filtration(data, negate=negate)
    else:
        fil = calydon.cube_filtration(data, negate=negate, values_on=builder)
    dcmp = calydon.Decomposition(
        fil, dualize, clearing=clearing, compute_v=compute_v
    )  # one-shot: reduced
    assert not hasattr(dcmp, "is_reduced") and not hasattr(dcmp, "reduce")
    assert dcmp.dualize == dualize
    _check_decomposition(fil, dcmp, dualize, compute_v)
    if not compute_v:
        with pytest.raises(ValueError, match="compute_v"):
            dcmp.v_data
    ref = calydon.compute_diagrams(fil, dualize=not dualize, fast_paths=False)
    for inf in (True, False):
        dg = dcmp.diagram(fil, include_inf_points=inf)
        cd = calydon.compute_diagrams(fil, include_inf_points=inf)
        assert len(dg) == len(cd) == fil.max_dim + 1
        for d in range(len(dg)):
            assert_dgm_equal(dg[d], cd[d])
            if inf:
                assert_dgm_equal(dg[d], ref[d])
    # and against an independent oracle
    if builder == "freudenthal":
        expected = reference.freudenthal_diagrams(data, negate=negate)
    else:
        expected = gudhi_cubical_dgms(data, negate, builder, n_dims=data.ndim)
    assert_dgms_equal(dcmp.diagram(fil), expected, range(3))


@pytest.mark.parametrize("negate", [False, True])
def test_reduce_user_filtration_matches_reference(negate):
    """A user Filtration built from the reference enumeration: same sort, boundary, R and diagram."""
    rng = np.random.default_rng(2)
    data = rng.integers(0, 4, size=(3, 4)).astype(np.float64)
    simplices = reference.freudenthal_simplices(data.shape)
    # shuffle the input order (faces may come after cofaces in the input)
    perm = rng.permutation(len(simplices))
    simplices = [simplices[i] for i in perm]
    values = reference.lower_star_values(simplices, data, negate)
    fil = calydon.Filtration([list(s) for s in simplices], values, negate=negate)
    assert fil.kind == "user"
    assert fil.negate == negate
    assert fil.infinity() == (-np.inf if negate else np.inf)
    order = reference.sorted_order(simplices, values, negate)
    assert fil.inv_sorting_permutation().tolist() == order
    inv = np.empty(len(order), np.int64)
    inv[order] = np.arange(len(order))
    assert fil.sorting_permutation().tolist() == inv.tolist()
    np.testing.assert_array_equal(fil.values(), np.array(values)[order])
    np.testing.assert_array_equal(fil.dims(), [len(simplices[i]) - 1 for i in order])
    offsets, rows = fil.boundary_matrix()
    ref_cols = reference.boundary_columns(simplices, order)
    for j in range(len(order)):
        assert sum(1 << int(i) for i in rows[offsets[j] : offsets[j + 1]]) == ref_cols[j]
    for dualize in (False, True):
        for clearing in (False, True):
            dcmp = calydon.Decomposition(fil, dualize, clearing=clearing, compute_v=True)
            _check_decomposition(fil, dcmp, dualize, True)
    expected = reference.simplicial_diagrams(simplices, values, negate)
    for dualize in (False, True):
        for fast_paths in (False, True):
            assert_dgms_equal(
                calydon.compute_diagrams(fil, dualize=dualize, fast_paths=fast_paths),
                expected,
                range(3),
            )
            assert_dgms_equal(calydon.reduce(fil, dualize=dualize).diagram(fil), expected, range(3))


def test_generic_filtration_vs_gudhi():
    """A random flag-like complex (not a ball): Filtration vs reference vs gudhi SimplexTree."""
    rng = np.random.default_rng(9)
    n = 9
    pts = rng.random((n, 2))
    dist = np.linalg.norm(pts[:, None] - pts[None], axis=-1)
    stree = gudhi.RipsComplex(distance_matrix=dist, max_edge_length=0.6).create_simplex_tree(
        max_dimension=3
    )
    simplices, values = [], []
    for s, v in stree.get_filtration():
        simplices.append(tuple(s))
        values.append(v)
    fil = calydon.Filtration([list(s) for s in simplices], values)
    gd = gudhi_to_dgms(
        stree.persistence(homology_coeff_field=2, min_persistence=-1, persistence_dim_max=True),
        fil.max_dim + 1,
    )
    ref = reference.simplicial_diagrams(simplices, values)
    for d in range(fil.max_dim + 1):
        assert_dgm_equal(ref[d], gd[d], msg="reference vs gudhi")
    for dualize in (False, True):
        for fast_paths in (False, True):
            assert_dgms_equal(
                calydon.compute_diagrams(fil, dualize=dualize, fast_paths=fast_paths),
                gd,
                range(fil.max_dim + 1),
            )


# ---------------------------------------------------------------------------------------------
# Hypothesis: shapes 1-4 axes with lengths >= 1, values with and without ties
# ---------------------------------------------------------------------------------------------


@st.composite
def grid_arrays(draw, max_axes=4, max_cells=60, max_len=6):
    ndim = draw(st.integers(1, max_axes))
    shape = []
    total = 1
    for _ in range(ndim):
        n = draw(st.integers(1, max(1, min(max_len, max_cells // total))))
        shape.append(n)
        total *= n
    ties = draw(st.booleans())
    if ties:
        elements = st.integers(-3, 3).map(float)
    else:
        elements = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False, width=64)
    return draw(hnp.arrays(np.float64, tuple(shape), elements=elements))


@given(
    data=grid_arrays(),
    negate=st.booleans(),
    values_on=st.sampled_from(["vertices", "cells"]),
    dualize=st.booleans(),
    fast_paths=st.booleans(),
)
def test_hypothesis_cubical_vs_gudhi(data, negate, values_on, dualize, fast_paths):
    expected = gudhi_cubical_dgms(data, negate, values_on, n_dims=data.ndim)
    fil = calydon.cube_filtration(data, negate=negate, values_on=values_on)
    dgms = calydon.compute_diagrams(fil, dualize=dualize, fast_paths=fast_paths)
    assert fil.max_dim == grid_top_dim(data.shape, values_on)
    assert_all_dims(dgms, expected, fil)


@given(
    data=grid_arrays(max_axes=3, max_cells=30, max_len=5),
    negate=st.booleans(),
    dualize=st.booleans(),
    fast_paths=st.booleans(),
)
def test_hypothesis_freudenthal_vs_reference(data, negate, dualize, fast_paths):
    expected = reference.freudenthal_diagrams(data, negate=negate)
    fil = calydon.freudenthal_filtration(data, negate=negate)
    dgms = calydon.compute_diagrams(fil, dualize=dualize, fast_paths=fast_paths)
    assert fil.max_dim == grid_top_dim(data.shape)
    assert_all_dims(dgms, expected, fil)


@given(data=grid_arrays(max_cells=40, max_len=4), negate=st.booleans(), dualize=st.booleans())
def test_hypothesis_freudenthal_vs_gudhi(data, negate, dualize):
    expected = gudhi_freudenthal(data, negate)
    dgms = calydon.compute_diagrams_ls(data, negate=negate, dualize=dualize)
    assert 1 <= len(dgms) <= data.ndim
    padded = [dgms[d] if d < len(dgms) else np.empty((0, 2)) for d in range(data.ndim + 1)]
    assert_dgms_equal(padded, expected, range(data.ndim + 1))


# ---------------------------------------------------------------------------------------------
# Hand-checked small cases
# ---------------------------------------------------------------------------------------------


def test_1d_hand_example():
    data = np.array([0.0, 3.0, 1.0, 4.0, 2.0, 5.0])
    # sublevel: minima 0, 1, 2 merge at 3, 4 -> (1, 3), (2, 4), (0, inf)
    dgms = calydon.compute_diagrams_ls(data)
    assert_dgm_equal(dgms[0], [[0, np.inf], [1, 3], [2, 4]])
    # superlevel: maxima 3, 4, 5 merge at 1, 2 -> (3, 1), (4, 2), (5, -inf)
    dgms = calydon.compute_diagrams_ls(data, negate=True)
    assert_dgm_equal(dgms[0], [[5, -np.inf], [3, 1], [4, 2]])
    for values_on in ("vertices", "cells"):
        for negate in (False, True):
            fil = calydon.cube_filtration(data, negate=negate, values_on=values_on)
            assert_dgms_equal(
                calydon.compute_diagrams(fil),
                gudhi_cubical_dgms(data, negate, values_on, n_dims=data.ndim),
                [0, 1],
            )


def test_2d_ring_has_one_loop():
    """A ring of high values around a low centre: one H1 class (0, ...) in the superlevel filtration."""
    data = np.zeros((5, 5))
    data[1:4, 1:4] = 1.0
    data[2, 2] = 0.0
    for values_on in ("vertices", "cells"):
        exp = gudhi_cubical_dgms(data, False, values_on, n_dims=data.ndim)
        fil = calydon.cube_filtration(data, values_on=values_on)
        assert_dgms_equal(calydon.compute_diagrams(fil), exp, [0, 1])
    # Freudenthal superlevel: the ring of 1s is born at 1 and its hole (the centre) fills at 0.
    # Sublevel: the border of 0s and the centre are two components at 0 (one dies at 1), and the
    # border of 0s is a loop around the ring, filled at 1.
    dg = calydon.compute_diagrams_ls(data, negate=True)
    assert_dgm_equal(dg[0], [[1.0, -np.inf]])
    assert_dgm_equal(dg[1], [[1.0, 0.0]])
    dg = calydon.compute_diagrams_ls(data)
    assert_dgm_equal(dg[0], [[0.0, np.inf], [0.0, 1.0]])
    assert_dgm_equal(dg[1], [[0.0, 1.0]])
