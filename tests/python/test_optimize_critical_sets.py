"""Critical sets of the topology optimizer against the independent oracle.

The oracle (``critical_sets_oracle.CritOracle``) reduces the boundary and coboundary matrices of
the filtration itself (serial, no clearing: ELZ form) and inverts V; the first block of tests
checks the oracle's own algebra (R = D V, U V = I, distinct lows, ELZ, the pairing of
``reference.py``, hand-derived critical sets). The rest compares ``TopologyOptimizer.singletons``
and the four single-argument moves with the oracle on Vietoris-Rips, Freudenthal, cubical and
alpha filtrations, negated or not, and checks that the sets do not depend on which side was
reduced first.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import calydon
import calydon.diff as diff
import reference
from critical_sets_oracle import CritOracle, bits, low_of, matmul_z2
from generators import random_cloud

EXAMPLES = settings(max_examples=30, deadline=None)


# ------------------------------------------------------------------------------ inputs
def vr_fil(n, d, seed, lattice=0):
    return calydon.vr_filtration(random_cloud(n, d, seed, lattice=lattice), max_dim=2)


def grid_data(shape, seed, ties):
    rng = np.random.default_rng(seed)
    if ties:
        return rng.integers(0, 4, size=shape).astype(np.float64)
    return rng.standard_normal(shape)


def grid_fil(kind, data, negate=False):
    if kind == "freudenthal":
        return calydon.freudenthal_filtration(data, negate=negate)
    return calydon.cube_filtration(data, negate=negate, values_on=kind)


TRIANGLE = ([[0], [1], [2], [0, 1], [1, 2], [0, 2], [0, 1, 2]], [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
# A square a b c d with the diagonal ac entering last and both triangles: V of acd contains abc.
SQUARE = (
    [[0], [1], [2], [3], [0, 1], [1, 2], [2, 3], [0, 3], [0, 2], [0, 1, 2], [0, 2, 3]],
    [0.0, 1.0, 2.0, 3.0, 1.0, 2.0, 3.0, 3.5, 4.0, 5.0, 6.0],
)


# A book of three triangles on the edge 01: that edge has three top cofaces, so the top V columns
# cannot come from the dual union-find (not a pseudomanifold) and the reduction answers.
BOOK = (
    [[0], [1], [2], [3], [4], [0, 1], [0, 2], [1, 2], [0, 3], [1, 3], [0, 4], [1, 4]]
    + [[0, 1, 2], [0, 1, 3], [0, 1, 4]],
    [0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 5.5, 6.0, 7.0, 8.0],
)


def small_filtrations():
    yield "triangle", calydon.Filtration(*TRIANGLE)
    yield "square", calydon.Filtration(*SQUARE)
    yield "book", calydon.Filtration(*BOOK)
    yield "vr", vr_fil(9, 2, 1)
    yield "vr-lattice", vr_fil(10, 3, 2, lattice=3)
    yield "freudenthal", grid_fil("freudenthal", grid_data((4, 5), 3, True))
    yield "freudenthal-neg", grid_fil("freudenthal", grid_data((3, 2, 3), 4, False), negate=True)
    yield "cubical-cells-neg", grid_fil("cells", grid_data((4, 4), 5, True), negate=True)


SMALL = dict(small_filtrations())


# ------------------------------------------------------------------------------ oracle self-tests
def _check_reduction(D, R, V):
    n = D.shape[0]
    assert np.array_equal(matmul_z2(D, V), R), "R != D V"
    assert np.array_equal(np.triu(V), V) and np.all(np.diag(V) == 1), "V is not upper unitriangular"
    lows = [int(np.nonzero(R[:, j])[0].max()) for j in range(n) if R[:, j].any()]
    assert len(lows) == len(set(lows)), "two columns of R share a low"


def _check_elz(R_cols, V_cols):
    for j, v in enumerate(V_cols):
        for k in bits(v):
            if k == j:
                continue
            assert R_cols[k], f"V_{j} contains the positive column {k}"
            if R_cols[j]:
                assert low_of(R_cols[k]) > low_of(R_cols[j]), (
                    f"V_{j} contains the non-killing column {k}"
                )


@pytest.mark.parametrize("name", list(SMALL))
def test_oracle_algebra(name):
    o = CritOracle.from_filtration(SMALL[name])
    n = o.n
    eye = np.eye(n, dtype=np.uint8)
    for side in ("", "_perp"):
        D, R, V, U = (o.dense(m + side) for m in "DRVU")
        _check_reduction(D, R, V)
        assert np.array_equal(matmul_z2(U, V), eye), f"U{side} V{side} != I"
        assert np.array_equal(matmul_z2(V, U), eye)
    # The anti-transpose really is the coboundary in reversed order.
    assert np.array_equal(o.dense("D_perp"), o.dense("D")[::-1, ::-1].T)
    _check_elz(o.R, o.V)
    _check_elz(o.R_perp, o.V_perp)
    assert np.array_equal(o.pairs(), o.cohomology_pairs())


@pytest.mark.parametrize("shape", [(3, 4), (2, 2, 3)])
@pytest.mark.parametrize("ties", [False, True])
def test_oracle_pairs_equal_reference(shape, ties):
    data = grid_data(shape, 11, ties)
    simplices = reference.freudenthal_simplices(shape)
    values = reference.lower_star_values(simplices, data)
    fil = calydon.Filtration(simplices, values)
    o = CritOracle.from_filtration(fil)
    order = reference.sorted_order(simplices, values)
    R, _ = reference.standard_reduction(reference.boundary_columns(simplices, order))
    expected = sorted((order[col.bit_length() - 1], order[j]) for j, col in enumerate(R) if col)
    to_input = fil.inv_sorting_permutation()
    got = sorted((int(to_input[b]), int(to_input[d])) for b, d in o.pairs())
    assert got == expected
    ref = reference.simplicial_diagrams(simplices, values, include_inf=False)
    for dim in range(2):
        np.testing.assert_array_equal(np.sort(o.diagram(dim), axis=0), np.sort(ref[dim], axis=0))


def test_oracle_hand_derived_sets():
    tri = CritOracle.from_filtration(SMALL["triangle"])  # a b c | ab bc ac | abc, values 0..6
    assert tri.pairs().tolist() == [[1, 3], [2, 4], [5, 6]]
    assert tri.increase_death(4, 4.5).tolist() == [4]
    assert tri.increase_death(4, 5.0).tolist() == [4, 5]  # ties with ac count
    assert tri.increase_death(4).tolist() == [4, 5]
    assert tri.decrease_birth(2, 0.0).tolist() == [0, 2]  # c below a: a is critical
    assert tri.decrease_birth(2, 0.5).tolist() == [2]
    assert tri.decrease_birth(1).tolist() == [0, 1]
    assert tri.increase_birth(0).tolist() == [0, 1, 2]  # the essential class
    assert tri.increase_birth(0, 1.5).tolist() == [0, 1]
    assert tri.singleton(6, 6.0)[1].tolist() == []
    sq = CritOracle.from_filtration(SMALL["square"])  # sorted ids = input positions
    assert sq.pairs().tolist() == [[1, 4], [2, 5], [3, 6], [7, 10], [8, 9]]
    assert sq.decrease_death(10, 5.0).tolist() == [9, 10]
    assert sq.decrease_death(10, 5.5).tolist() == [10]
    assert sq.increase_death(9, 6.0).tolist() == [9, 10]
    assert sq.increase_death(9, 5.5).tolist() == [9]
    assert sq.singleton(10, 4.0)[1].tolist() == [9, 10]  # negative cell, earlier: decrease
    assert sq.singleton(9, 7.0)[1].tolist() == [9, 10]  # negative cell, later: increase


def test_oracle_negate_flips_comparisons():
    data = grid_data((4, 4), 7, False)
    pos = CritOracle.from_filtration(grid_fil("freudenthal", data))
    neg = CritOracle.from_filtration(grid_fil("freudenthal", -data, negate=True))
    # Same order, same matrices: the negated filtration's sets for -t equal the plain ones for t.
    assert np.array_equal(pos.values, -neg.values)
    for i in range(pos.n):
        for t in (pos.values[i] - 0.7, pos.values[i] + 0.7, pos.values[(3 * i) % pos.n]):
            assert np.array_equal(pos.singleton(i, t)[1], neg.singleton(i, -t)[1])


# ------------------------------------------------------------------------------ against calydon
def probe_targets(o: CritOracle, seed: int, per_cell: int = 3):
    """(indices, targets): every cell with its own value, another cell's value (ties exercise
    the non-strict comparisons) and a uniform value beyond the range."""
    rng = np.random.default_rng(seed)
    lo, hi = float(o.values.min()), float(o.values.max())
    idx, tgt = [], []
    for i in range(o.n):
        choices = [o.values[i], o.values[rng.integers(o.n)], rng.uniform(lo - 1.0, hi + 1.0)]
        for t in choices[:per_cell]:
            idx.append(i)
            tgt.append(float(t))
    return np.array(idx, dtype=np.int64), np.array(tgt)


def assert_sets_equal(actual, expected, what=""):
    assert len(actual) == len(expected), (
        f"{what}: {len(actual)} critical sets, expected {len(expected)}"
    )
    for k, ((t, ids), (t_exp, ids_exp)) in enumerate(zip(actual, expected)):
        assert float(t) == t_exp, f"{what}[{k}]: target {t} != {t_exp}"
        got = np.sort(np.asarray(ids, dtype=np.int64))
        assert np.array_equal(got, ids_exp), (
            f"{what}[{k}] (target {t_exp}): {got.tolist()} != {ids_exp.tolist()}"
        )


def check_against_oracle(fil, seed, opt=None):
    o = CritOracle.from_filtration(fil)
    opt = calydon.TopologyOptimizer(fil) if opt is None else opt
    idx, tgt = probe_targets(o, seed)
    assert_sets_equal(opt.singletons(idx, tgt), o.singletons(idx, tgt), "singletons")
    # Plain lists work as well as arrays; singleton agrees with singletons.
    k = min(5, len(idx))
    assert_sets_equal(
        opt.singletons(idx[:k].tolist(), tgt[:k].tolist()), o.singletons(idx[:k], tgt[:k]), "lists"
    )
    for i, t in zip(idx[::7], tgt[::7]):
        assert_sets_equal(
            [opt.singleton(int(i), float(t))], [o.singleton(i, t)], f"singleton({i}, {t})"
        )
    for i in range(o.n):
        if o.is_negative(i):
            moves = ("decrease_death", "increase_death")
        else:
            moves = ("increase_birth", "decrease_birth")
        for move in moves:
            got = np.sort(np.asarray(getattr(opt, move)(i), dtype=np.int64))
            exp = getattr(o, move)(i)
            assert np.array_equal(got, exp), f"{move}({i}): {got.tolist()} != {exp.tolist()}"
    return o


@pytest.mark.parametrize("name", list(SMALL))
def test_small_filtrations(name):
    check_against_oracle(SMALL[name], seed=1)


@EXAMPLES
@given(
    n=st.integers(4, 14),
    d=st.integers(1, 3),
    seed=st.integers(0, 2**31),
    lattice=st.sampled_from([0, 0, 3]),
)
def test_vr(n, d, seed, lattice):
    check_against_oracle(vr_fil(n, d, seed, lattice), seed)


@EXAMPLES
@given(
    kind=st.sampled_from(["freudenthal", "vertices", "cells"]),
    negate=st.booleans(),
    ties=st.booleans(),
    shape=st.sampled_from([(7,), (3, 3), (4, 5), (5, 4), (6, 6), (2, 3, 3), (3, 3, 3)]),
    seed=st.integers(0, 2**31),
)
def test_grids(kind, negate, ties, shape, seed):
    check_against_oracle(grid_fil(kind, grid_data(shape, seed, ties), negate), seed)


@EXAMPLES
@given(
    kind=st.sampled_from(["freudenthal", "vertices", "cells"]),
    negate=st.booleans(),
    ties=st.booleans(),
    case=st.sampled_from(
        [((3, 4), None, True), ((3, 3, 3), None, True), ((2, 2, 2, 2), None, False)]
        + [((3, 3, 3), 2, False), ((4, 4), 1, False), ((2, 3, 2), 1, False)]
    ),
    seed=st.integers(0, 2**31),
)
def test_grids_torus_4d_and_partial(kind, negate, ties, case, seed):
    # The V columns of vertices (cohomology) and of top cells (homology) come from union-find
    # forests; a torus has no outside, a 4-D grid is one more dimension, and a partial complex
    # (max_dim below the grid's) is no pseudomanifold, so its top columns come from a reduction.
    shape, max_dim, wrap = case
    data = grid_data(shape, seed, ties)
    if kind == "freudenthal":
        fil = calydon.freudenthal_filtration(data, negate=negate, max_dim=max_dim, wrap=wrap)
    else:
        fil = calydon.cube_filtration(
            data, negate=negate, max_dim=max_dim, values_on=kind, wrap=wrap
        )
    check_against_oracle(fil, seed)


@pytest.mark.parametrize("negate", [False, True])
@pytest.mark.parametrize("kind", ["freudenthal", "vertices", "cells"])
def test_grids_fixed(kind, negate):
    check_against_oracle(grid_fil(kind, grid_data((5, 5), 42, True), negate), 3)


@pytest.mark.parametrize("dim", [2, 3])
def test_alpha(dim):
    if not getattr(calydon._core, "HAVE_CGAL", False):
        pytest.skip("calydon was built without CGAL")
    pts = np.random.default_rng(dim).random((12 if dim == 2 else 9, dim))
    check_against_oracle(calydon.alpha_filtration(pts), dim)


def test_diff_optimizer():
    img = torch.tensor(grid_data((5, 6), 8, False), requires_grad=True)
    dfil = diff.freudenthal_filtration(img)
    check_against_oracle(dfil.under_fil, 8, opt=diff.TopologyOptimizer(dfil))
    pts = torch.tensor(random_cloud(9, 2, 9), requires_grad=True)
    rfil = diff.vr_filtration(pts, max_dim=2)
    check_against_oracle(rfil.under_fil, 9, opt=diff.TopologyOptimizer(rfil))
    leaf = diff.DiffFiltration(
        SMALL["square"], torch.tensor(SMALL["square"].values(), requires_grad=True)
    )
    check_against_oracle(SMALL["square"], 10, opt=diff.TopologyOptimizer(leaf))


def _all_sets(opt, o, idx, tgt, births_first):
    """Every critical set, queried births-first (forces cohomology first) or deaths-first."""
    neg = [i for i in range(o.n) if o.is_negative(i)]
    pos = [i for i in range(o.n) if not o.is_negative(i)]
    out = {}
    order = (("birth", pos), ("death", neg)) if births_first else (("death", neg), ("birth", pos))
    for kind, cells in order:
        for move in (f"increase_{kind}", f"decrease_{kind}"):
            out[move] = [
                np.sort(np.asarray(getattr(opt, move)(i), dtype=np.int64)).tolist() for i in cells
            ]
    sets = opt.singletons(idx, tgt)
    out["singletons"] = [
        (float(t), np.sort(np.asarray(ids, dtype=np.int64)).tolist()) for t, ids in sets
    ]
    return out


@pytest.mark.parametrize("name", ["vr", "vr-lattice", "freudenthal-neg", "cubical-cells-neg"])
def test_sets_do_not_depend_on_the_side_reduced_first(name):
    fil = SMALL[name]
    o = CritOracle.from_filtration(fil)
    idx, tgt = probe_targets(o, 5)
    hom_first = calydon.TopologyOptimizer(fil)
    hom_first.compute_diagram()
    a = _all_sets(hom_first, o, idx, tgt, births_first=False)
    b = _all_sets(calydon.TopologyOptimizer(fil), o, idx, tgt, births_first=True)
    c = _all_sets(calydon.TopologyOptimizer(fil, n_threads=2), o, idx, tgt, births_first=True)
    again = _all_sets(hom_first, o, idx, tgt, births_first=True)
    assert a == b == c == again
    assert_sets_equal(hom_first.singletons(idx, tgt), o.singletons(idx, tgt), "oracle")
