"""The persistence engine on user filtrations: ``calydon.Filtration``, ``compute_diagrams`` and
``reduce`` on random simplicial complexes.

Complexes are clique complexes of small random graphs (some higher simplices removed together
with their cofaces, so that H1/H2 appear), with small integer values (many ties) made monotone by
taking the max over faces (the min when negated), listed in a shuffled input order. Oracles: the
naive Z/2 reduction of ``reference.py`` and gudhi's ``SimplexTree``; nothing expected comes from
calydon.
"""

from __future__ import annotations

import itertools
import math

import gudhi
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import calydon
import reference
from conftest import assert_dgm_equal, assert_dgms_equal, essential_rows, gudhi_to_dgms

# ---------------------------------------------------------------------------------------------
# Random complexes
# ---------------------------------------------------------------------------------------------


@st.composite
def complexes(draw, max_vertices=9, max_top=3):
    """(simplices in input order, values, negate): a closed, monotone simplicial filtration.

    Sizes, density and top dimension come from hypothesis; the graph, the removed simplices, the
    values and the input order from a numpy generator seeded by hypothesis (more variety per
    example than drawing every bit).
    """
    n = max_vertices - draw(st.integers(0, max_vertices - 1))  # hypothesis leans to big complexes
    top = max_top - draw(st.integers(0, max_top))
    density = draw(st.sampled_from([0.6, 0.9, 0.3]))
    drop = draw(st.sampled_from([0.2, 0.5, 0.0]))
    n_values = draw(st.sampled_from([5, 2, 1000]))  # few values: many ties
    negate = draw(st.booleans())
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    edges = {e for e in itertools.combinations(range(n), 2) if rng.random() < density}
    kept: list[tuple[int, ...]] = [(v,) for v in range(n)]
    kept_set = set(kept)
    for k in range(1, top + 1):
        for s in itertools.combinations(range(n), k + 1):
            if not all(e in edges for e in itertools.combinations(s, 2)):
                continue
            if not all(f in kept_set for f in itertools.combinations(s, k)):
                continue  # a face was removed: so is every coface
            if k >= 2 and rng.random() < drop:
                continue  # remove this simplex (and, by the check above, its cofaces)
            kept.append(s)
            kept_set.add(s)
    value: dict[tuple[int, ...], float] = {}
    pick = min if negate else max
    for s in kept:  # kept is ordered by dimension: faces are valued first
        faces = [value[f] for f in itertools.combinations(s, len(s) - 1)] if len(s) > 1 else []
        value[s] = float(pick([float(rng.integers(0, n_values))] + faces))
    order = rng.permutation(len(kept))
    # vertex lists need not be sorted in the input
    simplices = [tuple(rng.permutation(kept[i]).tolist()) for i in order]
    return simplices, [value[tuple(sorted(s))] for s in simplices], negate


def make_filtration(simplices, values, negate):
    return calydon.Filtration([list(s) for s in simplices], list(values), negate=negate)


def gudhi_diagrams(simplices, values, negate, n_dims):
    st_ = gudhi.SimplexTree()
    for s, v in sorted(zip(simplices, values), key=lambda sv: len(sv[0])):
        st_.insert(sorted(s), filtration=-v if negate else v)
    pers = st_.persistence(homology_coeff_field=2, min_persistence=-1, persistence_dim_max=True)
    return gudhi_to_dgms(pers, n_dims, negate=negate)


def reference_pairs(simplices, values, negate):
    """(finite pairs as sorted ids, essential sorted ids) of the naive reduction."""
    order = reference.sorted_order(simplices, values, negate)
    R, _ = reference.standard_reduction(reference.boundary_columns(simplices, order))
    finite = {(c.bit_length() - 1, j) for j, c in enumerate(R) if c}
    paired = {i for p in finite for i in p}
    essential = {j for j, c in enumerate(R) if not c and j not in paired}
    return finite, essential


def top_dim(simplices):
    return max(len(s) for s in simplices) - 1


# ---------------------------------------------------------------------------------------------
# Filtration
# ---------------------------------------------------------------------------------------------


@settings(max_examples=40)
@given(cx=complexes())
def test_filtration_matches_reference_order_and_boundary(cx):
    simplices, values, negate = cx
    fil = make_filtration(simplices, values, negate)
    assert fil.kind == "user"
    assert len(fil) == len(simplices)
    assert fil.max_dim == top_dim(simplices)
    order = reference.sorted_order(simplices, values, negate)
    assert fil.inv_sorting_permutation().tolist() == order
    inv = np.empty(len(order), np.int64)
    inv[order] = np.arange(len(order))
    assert fil.sorting_permutation().tolist() == inv.tolist()
    np.testing.assert_array_equal(fil.values(), np.array(values)[order])
    np.testing.assert_array_equal(fil.dims(), [len(simplices[i]) - 1 for i in order])
    offsets, rows = fil.boundary_matrix()
    assert len(offsets) == len(simplices) + 1 and offsets[0] == 0 and offsets[-1] == len(rows)
    ref_cols = reference.boundary_columns(simplices, order)
    for j in range(len(order)):
        col = rows[offsets[j] : offsets[j + 1]].tolist()
        assert col == sorted(col), "rows of a column must be ascending"
        assert sum(1 << int(i) for i in col) == ref_cols[j]
    assert fil.infinity() == (-math.inf if negate else math.inf)


# ---------------------------------------------------------------------------------------------
# Diagrams: compute_diagrams and reduce against the reference and gudhi
# ---------------------------------------------------------------------------------------------


@settings(max_examples=40)
@given(cx=complexes())
def test_compute_diagrams_vs_reference_and_gudhi(cx):
    simplices, values, negate = cx
    fil = make_filtration(simplices, values, negate)
    n_dims = top_dim(simplices) + 1
    expected = reference.simplicial_diagrams(simplices, values, negate, n_dims=n_dims)
    gd = gudhi_diagrams(simplices, values, negate, n_dims)
    assert_dgms_equal(expected, gd, range(n_dims), msg="reference vs gudhi (oracles disagree)")
    for dualize in (False, True):
        for fast_paths in (False, True):
            dgms = calydon.compute_diagrams(fil, dualize=dualize, fast_paths=fast_paths)
            assert len(dgms) == n_dims
            assert_dgms_equal(
                dgms, expected, range(n_dims), msg=f"dualize={dualize} fast_paths={fast_paths}"
            )
            no_inf = calydon.compute_diagrams(
                fil, include_inf_points=False, dualize=dualize, fast_paths=fast_paths
            )
            for d in range(n_dims):
                assert_dgm_equal(no_inf[d], expected[d][np.isfinite(expected[d][:, 1])])


@settings(max_examples=40)
@given(cx=complexes())
def test_reduce_diagrams_vs_reference(cx):
    simplices, values, negate = cx
    fil = make_filtration(simplices, values, negate)
    n_dims = top_dim(simplices) + 1
    expected = reference.simplicial_diagrams(simplices, values, negate, n_dims=n_dims)
    for dualize in (False, True):
        for clearing in (False, True):
            dcmp = calydon.reduce(fil, dualize=dualize, clearing=clearing)
            dgms = dcmp.diagram(fil)
            assert len(dgms) == n_dims
            assert_dgms_equal(
                dgms, expected, range(n_dims), msg=f"dualize={dualize} clearing={clearing}"
            )
            for d in range(n_dims):
                assert len(essential_rows(dcmp.diagram(fil, include_inf_points=False)[d])) == 0


@settings(max_examples=40)
@given(cx=complexes())
def test_index_pairs_are_the_reference_pairing(cx):
    """The pairing of a fixed total order is unique: every path gives the reference's pairs."""
    simplices, values, negate = cx
    fil = make_filtration(simplices, values, negate)
    vals = fil.values()
    ref_finite, ref_essential = reference_pairs(simplices, values, negate)
    ref_nonzero = {p for p in ref_finite if vals[p[0]] != vals[p[1]]}
    for dualize in (False, True):
        for clearing in (False, True):
            finite, essential = calydon.reduce(fil, dualize=dualize, clearing=clearing).index_pairs(
                fil
            )
            got = {tuple(map(int, p)) for arr in finite for p in np.asarray(arr).reshape(-1, 2)}
            assert got <= ref_finite, f"pairs not in the reference pairing: {got - ref_finite}"
            assert ref_nonzero <= got, f"missing pairs: {ref_nonzero - got}"
            assert {int(i) for arr in essential for i in np.asarray(arr).ravel()} == ref_essential
            for d, arr in enumerate(finite):
                for b, dth in np.asarray(arr).reshape(-1, 2):
                    assert fil.dims()[b] == d and fil.dims()[dth] == d + 1


@settings(max_examples=40)
@given(cx=complexes())
def test_diagram_index_cells_carry_the_diagram_values(cx):
    simplices, values, negate = cx
    fil = make_filtration(simplices, values, negate)
    vals, dims = fil.values(), fil.dims()
    ref_finite, ref_essential = reference_pairs(simplices, values, negate)
    inf = -math.inf if negate else math.inf
    variants = [
        calydon.compute_diagrams(fil, dualize=dz, fast_paths=fp)
        for dz in (False, True)
        for fp in (False, True)
    ]
    variants += [
        calydon.reduce(fil, dualize=dz, clearing=c).diagram(fil)
        for dz in (False, True)
        for c in (False, True)
    ]
    for dgms in variants:
        for d in range(len(dgms)):
            dgm, idx = dgms[d], dgms.index_diagram_in_dimension(d)
            assert idx.shape == dgm.shape
            for (b, dth), (bv, dv) in zip(idx.tolist(), dgm.tolist()):
                assert dims[b] == d and vals[b] == bv
                if dth == -1:
                    assert dv == inf and b in ref_essential
                else:
                    assert dims[dth] == d + 1 and vals[dth] == dv and (b, dth) in ref_finite


def test_hand_made_complexes():
    """A few complexes whose diagrams are known by hand."""
    tri = [[0], [1], [2], [0, 1], [1, 2], [0, 2], [0, 1, 2]]
    fil = calydon.Filtration(tri, [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    for dualize in (False, True):
        for fp in (False, True):
            dgms = calydon.compute_diagrams(fil, dualize=dualize, fast_paths=fp)
            assert_dgm_equal(dgms[0], [[0, math.inf], [1, 3], [2, 4]])
            assert_dgm_equal(dgms[1], [[5, 6]])
            assert_dgm_equal(dgms[2], np.empty((0, 2)))
    # a hollow tetrahedron: one essential H2 class; negated: deaths at -inf
    sphere = [s for k in (1, 2, 3) for s in itertools.combinations(range(4), k)]
    values = [float(len(s)) for s in sphere]
    dgms = calydon.compute_diagrams(calydon.Filtration([list(s) for s in sphere], values))
    assert_dgm_equal(dgms[0], [[1, math.inf], [1, 2], [1, 2], [1, 2]])
    assert_dgm_equal(dgms[1], [[2, 3], [2, 3], [2, 3]])
    assert_dgm_equal(dgms[2], [[3, math.inf]])
    neg = [-v for v in values]
    dgms = calydon.compute_diagrams(calydon.Filtration([list(s) for s in sphere], neg, negate=True))
    assert_dgm_equal(dgms[0], [[-1, -math.inf], [-1, -2], [-1, -2], [-1, -2]])
    assert_dgm_equal(dgms[1], [[-2, -3], [-2, -3], [-2, -3]])
    assert_dgm_equal(dgms[2], [[-3, -math.inf]])
    # vertices only
    dgms = calydon.compute_diagrams(calydon.Filtration([[0], [1]], [2.0, 1.0]))
    assert len(dgms) == 1
    assert_dgm_equal(dgms[0], [[1, math.inf], [2, math.inf]])


# ---------------------------------------------------------------------------------------------
# n_threads: accepted, and changes nothing
# ---------------------------------------------------------------------------------------------


@settings(max_examples=10)
@given(cx=complexes())
def test_n_threads_changes_nothing(cx):
    simplices, values, negate = cx
    fil = make_filtration(simplices, values, negate)
    n_dims = top_dim(simplices) + 1
    expected = reference.simplicial_diagrams(simplices, values, negate, n_dims=n_dims)
    for n_threads in (None, 1, 2):
        for dualize in (False, True):
            assert_dgms_equal(
                calydon.compute_diagrams(fil, dualize=dualize, n_threads=n_threads),
                expected,
                range(n_dims),
                msg=f"compute_diagrams n_threads={n_threads}",
            )
            dcmp = calydon.reduce(fil, dualize=dualize, n_threads=n_threads)
            assert_dgms_equal(
                dcmp.diagram(fil), expected, range(n_dims), msg=f"reduce n_threads={n_threads}"
            )


@pytest.mark.parametrize("negate", [False, True])
def test_larger_random_complex_vs_gudhi(negate):
    """One bigger flag complex (a few thousand simplices) where the fast paths and clearing matter."""
    rng = np.random.default_rng(17)
    pts = rng.random((22, 3))
    dist = np.linalg.norm(pts[:, None] - pts[None], axis=-1)
    stree = gudhi.RipsComplex(distance_matrix=dist, max_edge_length=0.55).create_simplex_tree(
        max_dimension=3
    )
    simplices, values = [], []
    for s, v in stree.get_filtration():
        simplices.append(tuple(s))
        values.append(-v if negate else v)
    fil = make_filtration(simplices, values, negate)
    gd = gudhi_diagrams(simplices, values, negate, 4)
    for dualize in (False, True):
        for fast_paths in (False, True):
            assert_dgms_equal(
                calydon.compute_diagrams(fil, dualize=dualize, fast_paths=fast_paths),
                gd,
                range(4),
                msg=f"dualize={dualize} fast_paths={fast_paths}",
            )
        for clearing in (False, True):
            assert_dgms_equal(
                calydon.reduce(fil, dualize=dualize, clearing=clearing).diagram(fil), gd, range(4)
            )
