"""Wasserstein and bottleneck distances where d^q leaves the double range (issue 13).

Oracle: the diagonal-augmented assignment problem written in this file, solved by scipy's
``linear_sum_assignment`` in units of the exact L_p bottleneck distance B (found by trying every
edge length, as in ``distance_oracles.brute_bottleneck``). In those units the optimum lies in
[1, N], so costs above N + 1 can be capped (no optimal matching uses them) and costs that
underflow are negligible: the oracle is exact to rounding for every q. gudhi checks the
ordinary cases. Every calydon call runs under a watchdog, so a hang fails instead of blocking.
"""

from __future__ import annotations

import faulthandler
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

import calydon
from distance_oracles import finite_offdiagonal, lp_norm, random_diagram

INF = math.inf
Q_VALUES = [1.0, 2.0, 100.0, 400.0, 1e6]


@pytest.fixture(autouse=True)
def watchdog():
    """Dumps the stacks and exits the run if one test hangs for two minutes."""
    faulthandler.dump_traceback_later(120, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


def _edge_lengths(a: np.ndarray, b: np.ndarray, p: float) -> np.ndarray:
    """L_p lengths of the augmented problem, each coordinate divided by the largest magnitude
    first so that squares cannot overflow; returned in those units with the unit."""
    unit = max(np.abs(a).max(initial=0.0), np.abs(b).max(initial=0.0), 1e-300)
    a, b = a / unit, b / unit
    n, m = len(a), len(b)
    lengths = np.full((n + m, n + m), INF)
    lengths[:n, :m] = lp_norm(a[:, None, 0] - b[None, :, 0], a[:, None, 1] - b[None, :, 1], p)
    half_a, half_b = np.abs(a[:, 1] - a[:, 0]) / 2, np.abs(b[:, 1] - b[:, 0]) / 2
    lengths[np.arange(n), m + np.arange(n)] = lp_norm(half_a, half_a, p)
    lengths[n + np.arange(m), np.arange(m)] = lp_norm(half_b, half_b, p)
    lengths[n:, m:] = 0.0
    return lengths, unit


def _feasible(lengths: np.ndarray, threshold: float) -> bool:
    too_long = (lengths > threshold).astype(float)
    rows, cols = linear_sum_assignment(too_long)
    return too_long[rows, cols].sum() == 0


def oracle_wasserstein(a, b, q: float, p: float = INF) -> float:
    """Exact W_q by scipy in units of the exact bottleneck distance (see the module comment)."""
    a, b = finite_offdiagonal(a), finite_offdiagonal(b)
    if len(a) + len(b) == 0:
        return 0.0
    lengths, unit = _edge_lengths(a, b, p)
    candidates = np.unique(lengths[np.isfinite(lengths)])
    lo, hi = 0, len(candidates) - 1  # smallest feasible threshold
    while lo < hi:
        mid = (lo + hi) // 2
        if _feasible(lengths, candidates[mid]):
            hi = mid
        else:
            lo = mid + 1
    bottleneck = candidates[lo]
    if bottleneck == 0:
        return 0.0
    n_edges = len(lengths)
    with np.errstate(over="ignore", under="ignore"):
        costs = np.minimum((lengths / bottleneck) ** q, n_edges + 1.0)
    rows, cols = linear_sum_assignment(costs)
    return float(unit * bottleneck * costs[rows, cols].sum() ** (1.0 / q))


def oracle_bottleneck(a, b) -> float:
    a, b = finite_offdiagonal(a), finite_offdiagonal(b)
    lengths, unit = _edge_lengths(a, b, INF)
    for threshold in np.unique(lengths[np.isfinite(lengths)]):
        if _feasible(lengths, threshold):
            return float(unit * threshold)
    raise AssertionError("unreachable")


def _pair(seed: int, n: int = 14, m: int = 11):
    rng = np.random.default_rng(seed)
    return random_diagram(rng, n), random_diagram(rng, m)


@pytest.mark.parametrize("q", Q_VALUES)
@pytest.mark.parametrize("scale", [1e-200, 1e-160, 1.0, 1e4, 1e160, 1e200])
def test_exact_mode_matches_scaled_oracle(q, scale):
    a, b = _pair(int(q) % 97 + 3)
    a, b = a * scale, b * scale
    expected = oracle_wasserstein(a, b, q)
    got = calydon.wasserstein_distance(a, b, q=q, delta=0.0)
    assert got == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize("q", Q_VALUES)
@pytest.mark.parametrize("p", [1.0, 2.0, INF])
@pytest.mark.parametrize("delta", [0.01, 0.1])
def test_auction_keeps_its_guarantee_for_every_q(q, p, delta):
    for seed, (n, m) in enumerate([(14, 11), (40, 35), (90, 70)]):
        a, b = _pair(seed, n, m)
        for scale in (1e-170, 1.0, 1e4, 1e170):
            exact = oracle_wasserstein(a * scale, b * scale, q, p)
            got = calydon.wasserstein_distance(a * scale, b * scale, q=q, delta=delta, internal_p=p)
            assert exact * (1 - 1e-9) <= got <= exact * (1 + delta) * (1 + 1e-9), (n, scale)


@pytest.mark.parametrize("q", [1.0, 2.0])
def test_ordinary_range_agrees_with_gudhi(q):
    gudhi_wasserstein = pytest.importorskip("gudhi.wasserstein").wasserstein_distance
    a, b = _pair(5, 60, 50)
    expected = gudhi_wasserstein(a, b, order=q, internal_p=2.0)
    assert calydon.wasserstein_distance(a, b, q=q, delta=0, internal_p=2.0) == pytest.approx(
        expected, rel=1e-9
    )


@pytest.mark.parametrize("scale", [1e-300, 1e-200, 1e-160, 1.0, 1e160, 1e200, 1e300])
@pytest.mark.parametrize("delta", [0.0, 0.01])
def test_bottleneck_at_extreme_scales(scale, delta):
    gudhi = pytest.importorskip("gudhi")
    a, b = _pair(17, 30, 25)
    a, b = a * scale, b * scale
    exact = oracle_bottleneck(a, b)
    assert gudhi.bottleneck_distance(a, b, 0) == pytest.approx(exact, rel=1e-12)
    got = calydon.bottleneck_distance(a, b, delta=delta)
    assert exact * (1 - 1e-12) <= got <= exact * (1 + delta) * (1 + 1e-12)


@settings(max_examples=25)
@given(
    exponent=st.floats(-150, 150),
    q=st.sampled_from(Q_VALUES),
    delta=st.sampled_from([0.0, 0.05]),
    seed=st.integers(0, 10_000),
    sizes=st.tuples(st.integers(1, 12), st.integers(0, 12)),
)
def test_scaling_invariance(exponent, q, delta, seed, sizes):
    """W_q(sA, sB) = s W_q(A, B): exactly up to rounding for delta = 0; for delta > 0 both sides
    lie within 1 + delta of the oracle."""
    s = 10.0**exponent
    a, b = _pair(seed, *sizes)
    base = calydon.wasserstein_distance(a, b, q=q, delta=delta)
    scaled = calydon.wasserstein_distance(a * s, b * s, q=q, delta=delta)
    if delta == 0:
        assert scaled / s == pytest.approx(base, rel=1e-9)
    else:
        exact = oracle_wasserstein(a, b, q)
        assert exact * (1 - 1e-9) <= scaled / s <= exact * (1 + delta) * (1 + 1e-9)
        assert exact * (1 - 1e-9) <= base <= exact * (1 + delta) * (1 + 1e-9)


def test_matching_cost_and_distance_stay_consistent():
    """cost = distance^q where it is a double; otherwise cost over- or underflows honestly."""
    a, b = _pair(3)
    m = calydon.wasserstein_matching(a, b, q=2.0, delta=0.0)
    assert m.cost == pytest.approx(m.distance**2, rel=1e-12)
    big = calydon.wasserstein_matching(a * 1e4, b * 1e4, q=100.0, delta=0.01)
    assert math.isfinite(big.distance) and big.cost == INF


def test_unrepresentable_distance_raises():
    a = np.array([[-1.5e308, 1.5e308]])
    with pytest.raises(ValueError, match="wasserstein_distance: the distance cannot be"):
        calydon.wasserstein_distance(a, np.empty((0, 2)), q=1.0, internal_p=1.0)


def test_essential_edges_join_the_scaled_sum():
    a = np.array([[0.0, 1e200], [3e200, INF]])
    b = np.array([[1e199, 1.1e200], [1e200, INF]])
    got = calydon.wasserstein_distance(a, b, q=2.0, delta=0.0)
    finite = oracle_wasserstein(a[:1], b[:1], 2.0)
    expected = math.hypot(finite, 2e200)
    assert got == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize("delta", [0.0, 0.01])
def test_point_farther_than_a_double_from_the_diagonal_can_still_be_matched(delta):
    """Its L_1 edge to the diagonal is not a double, but its edge to its partner is."""
    a = np.array([[-1e308, 1e308], [0.0, 1.0]])
    b = np.array([[-1e308, 0.9999999e308], [0.0, 1.5]])
    got = calydon.wasserstein_distance(a, b, q=1.0, delta=delta, internal_p=1.0)
    expected = (1e308 - 0.9999999e308) + 0.5
    assert expected <= got * (1 + 1e-12) and got <= expected * (1 + delta) * (1 + 1e-12)
