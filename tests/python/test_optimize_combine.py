"""Conflict strategies, crit_sets_apply, IndicesValues and the diagram-level helpers of the
topology optimizer (simplify, get_nth_persistence, match).

Expected values are derived by hand on tiny filtrations (and checked against the oracle and
gudhi), or computed by ``critical_sets_oracle`` on random ones. IndicesValues are compared as
sorted (index, value) pairs, so the output order is not part of the contract tested here.
"""

from __future__ import annotations

import math

import gudhi
import gudhi.wasserstein
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import calydon
from conftest import assert_dgm_equal
from critical_sets_oracle import CritOracle, sorted_pairs
from generators import random_cloud

TRIANGLE = ([[0], [1], [2], [0, 1], [1, 2], [0, 2], [0, 1, 2]], [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
SQUARE = (
    [[0], [1], [2], [3], [0, 1], [1, 2], [2, 3], [0, 3], [0, 2], [0, 1, 2], [0, 2, 3]],
    [0.0, 1.0, 2.0, 3.0, 1.0, 2.0, 3.0, 3.5, 4.0, 5.0, 6.0],
)
# A path 0-1-2-3-4 with vertex values 0 4 1 3 2. Sorted ids: vertices v0 v2 v4 v3 v1 -> 0..4,
# edges 23 34 01 12 -> 5..8. Finite H0: (2, 3.2) at ids (2, 6) and (1, 4.1) at ids (1, 8).
PATH = (
    [[0], [1], [2], [3], [4], [0, 1], [1, 2], [2, 3], [3, 4]],
    [0.0, 4.0, 1.0, 3.0, 2.0, 4.0, 4.1, 3.0, 3.2],
)

STRATEGY_NAMES = {"max": "Max", "avg": "Avg", "sum": "Sum", "fca": "FixCritAvg"}
EXAMPLES = settings(max_examples=25, deadline=None)


def enum(name):
    return getattr(calydon.ConflictStrategy, STRATEGY_NAMES[name])


def cs(*sets):
    """Critical sets as the optimizer returns them: [(target, int64 ids), ...]."""
    return [(float(t), np.asarray(ids, dtype=np.int64)) for t, ids in sets]


def pairs_of(iv):
    return sorted_pairs(iv.indices_array(), iv.values_array())


def assert_iv(iv, expected_pairs, atol=1e-12):
    got = pairs_of(iv)
    exp = sorted_pairs([p[0] for p in expected_pairs], [p[1] for p in expected_pairs])
    assert got.shape == exp.shape, f"{got.tolist()} != {exp.tolist()}"
    np.testing.assert_array_equal(got[:, 0], exp[:, 0])
    np.testing.assert_allclose(got[:, 1], exp[:, 1], rtol=0, atol=atol)


# Triangle values = sorted ids. Cell 3 proposed 10 and -3; cell 4: 10 and 2; cell 5: 2.
HAND = cs((10.0, [3, 4]), (2.0, [4, 5]), (-3.0, [3]))
HAND_EXPECTED = {
    "max": [(3, 10.0), (4, 10.0), (5, 2.0)],
    "avg": [(3, 3.5), (4, 6.0), (5, 2.0)],
    "sum": [(3, 10.0), (3, -3.0), (4, 10.0), (4, 2.0), (5, 2.0)],
}


APPLY_INPUTS = ([10, 9, 3], [4.0, 4.5, 3.0])  # on SQUARE; see test_crit_sets_apply_hand
APPLY_EXPECTED = {
    "fca": [(9, 4.5), (10, 4.0)],
    "avg": [(9, 4.25), (10, 4.0)],
    "max": [(9, 4.0), (10, 4.0)],
    "sum": [(9, 4.0), (9, 4.5), (10, 4.0)],
}


def _as_list(idx, vals):
    return sorted_pairs(idx, vals).tolist()


@pytest.mark.parametrize("name", ["max", "avg", "sum"])
def test_oracle_combine_hand(name):
    o = CritOracle.from_filtration(calydon.Filtration(*TRIANGLE))
    assert _as_list(*o.combine(HAND, name)) == _as_list(*zip(*HAND_EXPECTED[name]))


def test_oracle_ties_duplicates_and_fca():
    o = CritOracle.from_filtration(calydon.Filtration(*TRIANGLE))
    assert _as_list(*o.combine(cs((6.0, [4]), (2.0, [4])), "max")) == [[4, 6.0]]
    assert _as_list(*o.combine(cs((2.0, [4]), (6.0, [4])), "max")) == [[4, 2.0]]
    assert o.max_ties(cs((2.0, [4]), (6.0, [4]), (5.0, [3]))) == {4: {2.0, 6.0}}
    dup = cs((6.0, [4]), (6.0, [4]), (0.0, [4]))
    assert _as_list(*o.combine(dup, "avg")) == [[4, 4.0]]
    assert _as_list(*o.combine(dup, "sum")) == [[4, 0.0], [4, 6.0], [4, 6.0]]
    with pytest.raises(ValueError):
        o.combine(dup, "fca")
    sq = CritOracle.from_filtration(calydon.Filtration(*SQUARE))
    for name, exp in APPLY_EXPECTED.items():
        assert _as_list(*sq.crit_sets_apply(*APPLY_INPUTS, name)) == _as_list(*zip(*exp))


@pytest.mark.parametrize("name", ["max", "avg", "sum"])
@pytest.mark.parametrize("form", ["enum", "string", "upper"])
def test_combine_hand(name, form):
    opt = calydon.TopologyOptimizer(calydon.Filtration(*TRIANGLE))
    strategy = {"enum": enum(name), "string": name, "upper": name.upper()}[form]
    assert_iv(opt.combine_loss(HAND, strategy), HAND_EXPECTED[name])


def test_combine_ties_and_duplicates():
    opt = calydon.TopologyOptimizer(calydon.Filtration(*TRIANGLE))
    # |6 - 4| == |2 - 4|: Max keeps the first proposal in critical-set order.
    assert_iv(opt.combine_loss(cs((6.0, [4]), (2.0, [4])), "max"), [(4, 6.0)])
    assert_iv(opt.combine_loss(cs((2.0, [4]), (6.0, [4])), "max"), [(4, 2.0)])
    assert_iv(
        opt.combine_loss(cs((2.0, [4, 5]), (6.0, [4]), (9.0, [5])), "max"), [(4, 2.0), (5, 9.0)]
    )
    # The same (cell, target) twice: Avg weighs it twice, Sum keeps both copies.
    dup = cs((6.0, [4]), (6.0, [4]), (0.0, [4]))
    assert_iv(opt.combine_loss(dup, "avg"), [(4, 4.0)])
    assert_iv(opt.combine_loss(dup, "sum"), [(4, 6.0), (4, 6.0), (4, 0.0)])
    assert_iv(opt.combine_loss(dup, "max"), [(4, 0.0)])
    # Empty critical sets contribute nothing; an empty list gives an empty result.
    assert_iv(opt.combine_loss(cs((6.0, []), (1.5, [2])), "avg"), [(2, 1.5)])
    assert len(opt.combine_loss([], "sum").indices_array()) == 0


def test_combine_max_is_displacement_not_value():
    # Negated filtration: the largest |t - f| wins whatever the direction or sign.
    fil = calydon.Filtration([[0], [1], [0, 1]], [5.0, 4.0, 1.0], negate=True)
    opt = calydon.TopologyOptimizer(fil)
    f = fil.values()
    assert_iv(opt.combine_loss(cs((f[2] + 3.0, [2]), (f[2] - 4.0, [2])), "max"), [(2, f[2] - 4.0)])
    assert_iv(opt.combine_loss(cs((f[2] + 5.0, [2]), (f[2] - 4.0, [2])), "max"), [(2, f[2] + 5.0)])


@EXAMPLES
@given(
    seed=st.integers(0, 2**31),
    n_sets=st.integers(1, 12),
    name=st.sampled_from(["max", "avg", "sum"]),
)
def test_combine_random(seed, n_sets, name):
    fil = calydon.vr_filtration(random_cloud(8, 2, seed), max_dim=2)
    o = CritOracle.from_filtration(fil)
    rng = np.random.default_rng(seed)
    pool = rng.choice(o.n, size=min(o.n, 6), replace=False)  # few cells: many conflicts
    sets = cs(
        *[
            (
                rng.choice([rng.normal(), 0.5, -0.5]),
                rng.choice(pool, rng.integers(0, 4), replace=False),
            )
            for _ in range(n_sets)
        ]
    )
    ties = o.max_ties(sets) if name == "max" else {}
    got = calydon.TopologyOptimizer(fil).combine_loss(sets, name)
    idx, vals = o.combine(sets, name)
    gi, gv = got.indices_array(), got.values_array()
    for cell, tied in ties.items():  # Max ties: any tied target is a first-in-order candidate
        assert gv[gi == cell][0] in tied
        keep = idx != cell
        idx, vals = idx[keep], vals[keep]
        gi, gv = gi[gi != cell], gv[gi != cell]
    exp = sorted_pairs(idx, vals)
    act = sorted_pairs(gi, gv)
    assert act.shape == exp.shape
    np.testing.assert_array_equal(act[:, 0], exp[:, 0])
    np.testing.assert_allclose(act[:, 1], exp[:, 1], rtol=1e-14, atol=1e-14)


# ------------------------------------------------------------------------------ crit_sets_apply
def test_crit_sets_apply_hand():
    opt = calydon.TopologyOptimizer(calydon.Filtration(*SQUARE))
    # 10 -> 4.0 decreases the death of (7, 10): critical set {9, 10}. 9 -> 4.5 decreases the death
    # of (8, 9): {9}. Cell 3 -> 3.0 is its current value: skipped.
    idx, vals = APPLY_INPUTS
    for name, exp in APPLY_EXPECTED.items():
        assert_iv(opt.crit_sets_apply(idx, vals, name), exp)
        assert_iv(opt.crit_sets_apply(np.array(idx), np.array(vals), enum(name)), exp)
    assert_iv(opt.crit_sets_apply(np.array([3]), np.array([3.0]), "avg"), [])


@EXAMPLES
@given(
    seed=st.integers(0, 2**31),
    k=st.integers(1, 10),
    name=st.sampled_from(["max", "avg", "sum", "fca"]),
    grid=st.booleans(),
)
def test_crit_sets_apply_random(seed, k, name, grid):
    rng = np.random.default_rng(seed)
    if grid:
        fil = calydon.freudenthal_filtration(
            rng.integers(0, 5, (4, 4)).astype(float), negate=bool(seed % 2)
        )
    else:
        fil = calydon.vr_filtration(random_cloud(8, 2, seed), max_dim=2)
    o = CritOracle.from_filtration(fil)
    cells = rng.choice(o.n, size=min(k, o.n), replace=False)  # distinct inputs (FCA pins each once)
    targets = np.where(
        rng.random(len(cells)) < 0.2,
        o.values[cells],
        rng.choice(o.values, len(cells)) + rng.normal(0, 0.3, len(cells)),
    )
    moving = [(i, t) for i, t in zip(cells, targets) if t != o.values[i]]
    ties = o.max_ties([o.singleton(i, t) for i, t in moving]) if name == "max" else {}
    got = calydon.TopologyOptimizer(fil).crit_sets_apply(cells, targets, name)
    idx, vals = o.crit_sets_apply(cells, targets, name)
    gi, gv = got.indices_array(), got.values_array()
    for cell, tied in ties.items():
        assert gv[gi == cell][0] in tied
        idx, vals = idx[idx != cell], vals[idx != cell]
        gi, gv = gi[gi != cell], gv[gi != cell]
    act, exp = sorted_pairs(gi, gv), sorted_pairs(idx, vals)
    assert act.shape == exp.shape
    np.testing.assert_array_equal(act[:, 0], exp[:, 0])
    np.testing.assert_allclose(act[:, 1], exp[:, 1], rtol=1e-14, atol=1e-14)


def test_singletons_then_combine_equals_crit_sets_apply():
    fil = calydon.vr_filtration(random_cloud(9, 2, 3), max_dim=2)
    o = CritOracle.from_filtration(fil)
    opt = calydon.TopologyOptimizer(fil)
    rng = np.random.default_rng(3)
    cells = rng.choice(o.n, 8, replace=False)
    targets = o.values[cells] + rng.normal(0, 0.2, 8)
    for name in ("avg", "sum"):
        a = pairs_of(opt.combine_loss(opt.singletons(cells, targets), name))
        b = pairs_of(opt.crit_sets_apply(cells, targets, name))
        np.testing.assert_allclose(a, b, rtol=1e-14, atol=1e-14)
        np.testing.assert_allclose(
            a, sorted_pairs(*o.crit_sets_apply(cells, targets, name)), rtol=1e-14, atol=1e-14
        )


# ------------------------------------------------------------------------------ IndicesValues
def test_indices_values():
    opt = calydon.TopologyOptimizer(calydon.Filtration(*TRIANGLE))
    iv = opt.combine_loss(HAND, "sum")
    idx, vals = iv
    ia, va = iv.indices_array(), iv.values_array()
    assert isinstance(ia, np.ndarray) and ia.dtype == np.int64 and ia.shape == (5,)
    assert isinstance(va, np.ndarray) and va.dtype == np.float64 and va.shape == (5,)
    assert (
        list(np.asarray(idx, dtype=np.int64)) == list(ia) == list(np.asarray(iv[0], dtype=np.int64))
    )
    assert (
        list(np.asarray(vals, dtype=np.float64))
        == list(va)
        == list(np.asarray(iv[1], dtype=np.float64))
    )
    assert sorted(zip(ia.tolist(), va.tolist())) == sorted(HAND_EXPECTED["sum"])
    assert list(ia) == sorted(ia), "IndicesValues are sorted by index"
    assert len(iv) == 5
    with pytest.raises(IndexError):
        iv[2]
    with pytest.raises(IndexError):
        iv[-3]


# ------------------------------------------------------------------------------ diagram helpers
def test_compute_diagram_hand():
    fil = calydon.Filtration(*PATH)
    opt = calydon.TopologyOptimizer(fil)
    dgms = opt.compute_diagram()
    assert isinstance(dgms, calydon.Diagrams)
    assert_dgm_equal(dgms[0], [[2.0, 3.2], [1.0, 4.1]])
    assert sorted(map(tuple, dgms.index_diagram_in_dimension(0).tolist())) == [(1, 8), (2, 6)]
    full = opt.compute_diagram(include_inf_points=True)
    assert_dgm_equal(full[0], [[2.0, 3.2], [1.0, 4.1], [0.0, math.inf]])
    st_ = gudhi.SimplexTree()
    for s, v in zip(*SQUARE):
        st_.insert(s, filtration=v)
    st_.persistence(homology_coeff_field=2, min_persistence=0)
    sq = calydon.TopologyOptimizer(calydon.Filtration(*SQUARE)).compute_diagram()
    assert_dgm_equal(sq[1], st_.persistence_intervals_in_dimension(1))
    assert_dgm_equal(sq[1], [[3.5, 6.0], [4.0, 5.0]])


def test_get_nth_persistence_hand():
    opt = calydon.TopologyOptimizer(calydon.Filtration(*PATH))
    assert opt.get_nth_persistence(0, 1) == 4.1 - 1.0
    assert opt.get_nth_persistence(0, 2) == 3.2 - 2.0
    assert opt.get_nth_persistence(0, 3) == 0.0
    sq = calydon.TopologyOptimizer(calydon.Filtration(*SQUARE))
    assert sq.get_nth_persistence(1, 1) == 2.5
    assert sq.get_nth_persistence(1, 2) == 1.0
    assert sq.get_nth_persistence(1, 5) == 0.0


def test_simplify_hand():
    opt = calydon.TopologyOptimizer(calydon.Filtration(*PATH))
    S = calydon.DenoiseStrategy
    eps = opt.get_nth_persistence(0, 2)  # cancels the point (2, 3.2), keeps (1, 4.1)
    assert_iv(opt.simplify(eps, S.BirthBirth, 0), [(6, 2.0)])
    assert_iv(opt.simplify(eps, S.DeathDeath, 0), [(2, 3.2)])
    assert_iv(opt.simplify(eps, S.Midway, 0), [(2, (2.0 + 3.2) / 2), (6, (2.0 + 3.2) / 2)])
    assert_iv(opt.simplify(10.0, S.BirthBirth, 0), [(6, 2.0), (8, 1.0)])
    assert_iv(opt.simplify(1.0, S.BirthBirth, 0), [])
    sq = calydon.TopologyOptimizer(calydon.Filtration(*SQUARE))
    assert_iv(sq.simplify(1.0, S.BirthBirth, 1), [(9, 4.0)])
    assert_iv(sq.simplify(2.5, S.DeathDeath, 1), [(7, 6.0), (8, 5.0)])


def test_simplify_negated():
    # Superlevel path: vertex values 5 1 4 2 3 (negate), edges take the min.
    fil = calydon.Filtration(
        [[0], [1], [2], [3], [4], [0, 1], [1, 2], [2, 3], [3, 4]],
        [5.0, 1.0, 4.0, 2.0, 3.0, 1.0, 0.9, 2.0, 1.8],
        negate=True,
    )
    o = CritOracle.from_filtration(fil)
    dgm = o.diagram(0)
    pers = np.abs(dgm[:, 1] - dgm[:, 0])
    opt = calydon.TopologyOptimizer(fil)
    assert_dgm_equal(opt.compute_diagram()[0], dgm)
    assert opt.get_nth_persistence(0, 1) == pers.max()
    small = o.index_diagram(0)[pers <= np.sort(pers)[0]]
    assert_iv(
        opt.simplify(float(np.sort(pers)[0]), calydon.DenoiseStrategy.BirthBirth, 0),
        [(d, o.values[b]) for b, d in small],
    )


def test_match_hand():
    opt = calydon.TopologyOptimizer(calydon.Filtration(*PATH))
    template = np.array([[1.0, 5.0], [10.0, 10.5]])
    # (1, 4.1) -> (1, 5) costs 0.9 (L-inf); (2, 3.2) goes to the diagonal (0.6); (10, 10.5) too (0.25).
    mid = (2.0 + 3.2) / 2
    expected = [(1, 1.0), (8, 5.0), (2, mid), (6, mid)]
    assert_iv(opt.match(template, 0), expected)
    iv, dist = opt.match(
        template, 0, wasserstein_q=1.0, wasserstein_delta=0.01, return_wasserstein_distance=True
    )
    assert_iv(iv, expected)
    exact = gudhi.wasserstein.wasserstein_distance(
        np.array([[2.0, 3.2], [1.0, 4.1]]), template, order=1.0, internal_p=np.inf
    )
    assert exact == pytest.approx(1.75)
    assert abs(dist - exact) <= 0.01 * exact + 1e-12
    sq = calydon.TopologyOptimizer(calydon.Filtration(*SQUARE))
    assert_iv(sq.match(np.array([[3.5, 7.0]]), 1), [(7, 3.5), (10, 7.0), (8, 4.5), (9, 4.5)])
