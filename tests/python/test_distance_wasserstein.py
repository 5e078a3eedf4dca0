"""calydon.wasserstein_distance / wasserstein_matching against scipy and POT on the
diagonal-augmented assignment problem, plus essential families, edge cases and bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import calydon
from distance_oracles import (
    essential_split,
    finite_offdiagonal,
    pot_wasserstein,
    random_diagram,
    scipy_wasserstein,
    scipy_wasserstein_cost,
)

INF = math.inf


@pytest.mark.parametrize("q", [1.0, 2.0, 3.5])
@pytest.mark.parametrize("p", [1.0, 2.0, 3.0, INF])
def test_exact_mode_equals_scipy(q, p):
    rng = np.random.default_rng(int(q * 10 + (p if p < INF else 99)))
    a, b = random_diagram(rng, 40), random_diagram(rng, 27)
    assert calydon.wasserstein_distance(a, b, q=q, delta=0.0, internal_p=p) == pytest.approx(
        scipy_wasserstein(a, b, q, p), rel=1e-10
    )


@pytest.mark.parametrize("q", [1.0, 2.0])
@pytest.mark.parametrize("p", [2.0, INF])
@pytest.mark.parametrize("delta", [0.01, 0.05, 0.3])
def test_auction_within_relative_error_of_scipy(q, p, delta):
    rng = np.random.default_rng(7)
    for n, m in [(1, 1), (5, 9), (120, 80), (400, 430)]:
        a, b = random_diagram(rng, n), random_diagram(rng, m)
        exact = scipy_wasserstein(a, b, q, p)
        approx = calydon.wasserstein_distance(a, b, q=q, delta=delta, internal_p=p)
        assert exact * (1 - 1e-12) <= approx <= exact * (1 + delta) + 1e-12, (n, m)


def test_auction_within_relative_error_at_two_thousand_points():
    rng = np.random.default_rng(11)
    for q, n in ((1.0, 2000), (2.0, 1000)):
        a, b = random_diagram(rng, n), random_diagram(rng, n - 100)
        exact = scipy_wasserstein(a, b, q, INF)
        approx = calydon.wasserstein_distance(a, b, q=q, delta=0.01)
        assert exact * (1 - 1e-12) <= approx <= exact * 1.01


@pytest.mark.parametrize("q,p", [(1.0, INF), (2.0, 2.0), (1.5, 1.0)])
def test_against_pot_emd2(q, p):
    rng = np.random.default_rng(3)
    a, b = random_diagram(rng, 150, scale=5.0), random_diagram(rng, 170, scale=5.0)
    reference = pot_wasserstein(a, b, q, p)
    assert calydon.wasserstein_distance(a, b, q=q, delta=0.0, internal_p=p) == pytest.approx(
        reference, rel=1e-9
    )
    assert reference <= calydon.wasserstein_distance(a, b, q=q, delta=0.02, internal_p=p) * (
        1 + 1e-12
    )
    assert calydon.wasserstein_distance(a, b, q=q, delta=0.02, internal_p=p) <= reference * 1.02


def test_matching_buckets_reproduce_the_cost_and_cover_every_point():
    rng = np.random.default_rng(5)
    a, b = random_diagram(rng, 60), random_diagram(rng, 45)
    a[7] = (0.3, 0.3)  # on the diagonal: in no bucket
    m = calydon.wasserstein_matching(a, b, q=2.0, delta=0.0, internal_p=2.0)
    rows_a = np.concatenate([m.finite_to_finite[:, 0], m.a_to_diagonal])
    rows_b = np.concatenate([m.finite_to_finite[:, 1], m.b_to_diagonal])
    assert sorted(rows_a) == [r for r in range(60) if r != 7]
    assert sorted(rows_b) == list(range(45))
    diff = a[m.finite_to_finite[:, 0]] - b[m.finite_to_finite[:, 1]]
    cost = (np.hypot(diff[:, 0], diff[:, 1]) ** 2).sum()
    for pts, rows in ((a, m.a_to_diagonal), (b, m.b_to_diagonal)):
        cost += ((np.abs(pts[rows, 1] - pts[rows, 0]) / math.sqrt(2)) ** 2).sum()
    assert m.cost == pytest.approx(cost, rel=1e-12)
    assert m.cost == pytest.approx(scipy_wasserstein_cost(a, b, 2.0, 2.0), rel=1e-10)
    assert m.distance == pytest.approx(math.sqrt(m.cost), rel=1e-12)


def test_essential_points_matched_by_rank_within_family():
    a = np.array([[0.0, INF], [2.0, INF], [1.0, -INF], [INF, 3.0], [-INF, 0.5], [0.0, 1.0]])
    b = np.array([[2.5, INF], [0.25, INF], [0.0, -INF], [INF, 1.0], [-INF, 0.0]])
    # ranks: 0<->0.25, 2<->2.5 | 1<->0 | 3<->1 | 0.5<->0 ; finite (0, 1) to the diagonal at 0.5
    expected_w1 = 0.25 + 0.5 + 1.0 + 2.0 + 0.5 + 0.5
    assert calydon.wasserstein_distance(a, b, q=1.0) == pytest.approx(expected_w1)
    expected_w2 = math.sqrt(0.25**2 + 0.5**2 + 1 + 4 + 0.25 + 0.25)
    assert calydon.wasserstein_distance(a, b, q=2.0, delta=0.0) == pytest.approx(expected_w2)
    m = calydon.wasserstein_matching(a, b, ignore_inf_points=False)
    ess = essential_split(a), essential_split(b)
    for family, pairs in zip(
        ("inf_death", "neg_inf_death", "inf_birth", "neg_inf_birth"), m.essential
    ):
        axis = 0 if "death" in family else 1
        np.testing.assert_array_equal(np.sort(a[pairs[:, 0], axis]), ess[0][family])
        assert np.all(np.argsort(a[pairs[:, 0], axis]) == np.argsort(b[pairs[:, 1], axis]))
    ignored = calydon.wasserstein_matching(a, b, ignore_inf_points=True)
    assert all(len(p) == 0 for p in ignored.essential)
    assert ignored.cost == pytest.approx(0.5)


def test_family_count_mismatch():
    a, b = np.array([[0.0, INF], [0.0, 1.0]]), np.array([[0.0, 1.0]])
    assert calydon.wasserstein_distance(a, b) == INF
    with pytest.raises(
        ValueError, match=r"wasserstein_matching: essential point counts must match .*1 vs 0"
    ):
        calydon.wasserstein_matching(a, b, ignore_inf_points=False)
    assert calydon.wasserstein_matching(a, b, ignore_inf_points=True).cost == 0.0


def test_empty_and_diagonal_only_diagrams():
    a = np.array([[0.0, 2.0], [1.0, 1.5]])
    empty = np.empty((0, 2))
    assert calydon.wasserstein_distance(empty, empty) == 0.0
    assert calydon.wasserstein_distance([], [[1.0, 1.0], [2.0, 2.0]]) == 0.0
    assert calydon.wasserstein_distance(a, empty, q=1.0, delta=0.0) == pytest.approx(1.0 + 0.25)
    assert calydon.wasserstein_distance(
        empty, a, q=2.0, delta=0.0, internal_p=1.0
    ) == pytest.approx(math.sqrt(4 + 0.25))


def test_identical_multisets_in_another_row_order_match_exactly():
    rng = np.random.default_rng(9)
    a = random_diagram(rng, 200)
    perm = rng.permutation(200)
    m = calydon.wasserstein_matching(a, a[perm], q=2.0, delta=0.05)
    assert m.cost == 0.0 and len(m.a_to_diagonal) == 0
    np.testing.assert_array_equal(perm[m.finite_to_finite[:, 1]], m.finite_to_finite[:, 0])


def test_many_duplicate_points_terminate():
    a = np.repeat([[0.0, 1.0], [0.5, 2.0]], 500, axis=0)
    b = np.repeat([[0.0, 1.1], [0.5, 2.0], [0.2, 0.4]], [300, 499, 20], axis=0)
    exact = scipy_wasserstein(a, b, 1.0, INF)
    for delta in (0.01, 0.1):
        assert (
            exact
            <= calydon.wasserstein_distance(a, b, delta=delta) * (1 + 1e-12)
            <= exact * (1 + delta) * (1 + 1e-12)
        )
    near_identical = a + np.repeat([[1e-9, 0.0]], 1000, axis=0)
    assert calydon.wasserstein_distance(a, near_identical, delta=0.01) <= 1000 * 1e-9 * 1.01


def test_torch_tensors_and_integer_inputs_are_accepted():
    torch = pytest.importorskip("torch")
    a = torch.tensor([[0, 4], [1, 3]])
    b = np.array([[0, 4]], dtype=np.int32)
    assert calydon.wasserstein_distance(a, b, delta=0.0) == pytest.approx(1.0)


finite_points = st.tuples(st.integers(0, 6), st.integers(1, 4)).map(
    lambda t: (t[0] / 4, (t[0] + t[1]) / 4)
)
diagrams = st.lists(finite_points, max_size=9).map(
    lambda rows: np.array(rows, dtype=float).reshape(-1, 2)
)


@given(a=diagrams, b=diagrams, q=st.sampled_from([1.0, 2.0]), p=st.sampled_from([1.0, 2.0, INF]))
def test_hypothesis_grid_diagrams_with_ties(a, b, q, p):
    exact = scipy_wasserstein(a, b, q, p)
    assert calydon.wasserstein_distance(a, b, q=q, delta=0.0, internal_p=p) == pytest.approx(
        exact, rel=1e-9, abs=1e-12
    )
    approx = calydon.wasserstein_distance(a, b, q=q, delta=0.05, internal_p=p)
    assert exact * (1 - 1e-9) - 1e-12 <= approx <= exact * 1.05 + 1e-12
    assert calydon.wasserstein_distance(b, a, q=q, delta=0.0, internal_p=p) == pytest.approx(
        exact, rel=1e-9, abs=1e-12
    )


@given(
    st.lists(st.tuples(st.floats(-5, 5), st.floats(0.01, 5)), max_size=30), st.integers(0, 2**31)
)
def test_hypothesis_random_real_diagrams(rows, seed):
    a = np.array([(x, x + h) for x, h in rows], dtype=float).reshape(-1, 2)
    b = random_diagram(np.random.default_rng(seed), len(rows) // 2 + 1, scale=3.0)
    exact = scipy_wasserstein(a, b, 2.0, INF)
    assert (
        exact * (1 - 1e-9)
        <= calydon.wasserstein_distance(a, b, q=2.0, delta=0.01)
        <= exact * 1.01 + 1e-12
    )
    assert len(finite_offdiagonal(a)) == len(
        np.concatenate(
            [
                m
                for m in (
                    calydon.wasserstein_matching(a, b).finite_to_finite[:, 0],
                    calydon.wasserstein_matching(a, b).a_to_diagonal,
                )
            ]
        )
    )


@pytest.mark.parametrize(
    "call,exc,pattern",
    [
        (
            lambda: calydon.wasserstein_distance(np.zeros((3, 3)), np.zeros((1, 2))),
            ValueError,
            r"wasserstein_distance: a must have shape \(n, 2\), got shape \(3, 3\)",
        ),
        (
            lambda: calydon.wasserstein_distance([[0.0, np.nan]], [[0.0, 1.0]]),
            ValueError,
            r"wasserstein_distance: a must not contain NaN, got \(0.0, nan\) in row 0",
        ),
        (
            lambda: calydon.wasserstein_distance([[0.0, 1.0]], [[0.0, 1.0]], delta=-0.1),
            ValueError,
            r"wasserstein_distance: delta must be a finite number >= 0, got -0.1",
        ),
        (
            lambda: calydon.wasserstein_distance([[0.0, 1.0]], [[0.0, 1.0]], q=0.5),
            ValueError,
            r"wasserstein_distance: q must be a finite number >= 1, got 0.5",
        ),
        (
            lambda: calydon.wasserstein_distance([[0.0, 1.0]], [[0.0, 1.0]], internal_p=0.5),
            ValueError,
            r"wasserstein_distance: internal_p must be >= 1 \(or inf\), got 0.5",
        ),
        (
            lambda: calydon.wasserstein_matching([["a", "b"]], [[0.0, 1.0]]),
            TypeError,
            r"wasserstein_matching: a must have a real numeric dtype, got <U1",
        ),
        (
            lambda: calydon.wasserstein_distance([[0.0, 1.0]], [[-INF, INF]]),
            ValueError,
            r"wasserstein_distance: b must not contain points with two infinite coordinates of opposite sign",
        ),
        (
            lambda: calydon.wasserstein_distance([[0.0, 1.0]], [[0.0, 1.0]], q="2"),
            TypeError,
            r"wasserstein_distance: q must be a real number, got str",
        ),
    ],
)
def test_bad_input(call, exc, pattern):
    with pytest.raises(exc, match=pattern):
        call()


def test_core_rejects_bad_values_too():
    from calydon import _core

    with pytest.raises(
        ValueError, match=r"wasserstein_distance: a must have shape \(n, 2\), got \(4,\)"
    ):
        _core.wasserstein_distance(np.zeros(4), np.zeros((0, 2)))
    with pytest.raises(
        ValueError, match=r"wasserstein_matching: q must be finite and >= 1, got 0.5"
    ):
        _core.wasserstein_matching(np.zeros((0, 2)), np.zeros((0, 2)), 0.5)
    with pytest.raises(ValueError, match=r"must not contain NaN"):
        _core.wasserstein_distance(np.array([[np.nan, 1.0]]), np.zeros((0, 2)))
