"""calydon.bottleneck_distance / bottleneck_matching against a brute-force search over candidate
edge lengths and against gudhi.bottleneck_distance."""

from __future__ import annotations

import math

import gudhi
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import calydon
from distance_oracles import brute_bottleneck, random_diagram

INF = math.inf


def test_exact_equals_brute_force_on_random_diagrams():
    rng = np.random.default_rng(1)
    for n, m in [(0, 3), (1, 1), (4, 6), (12, 9), (25, 30)]:
        a, b = random_diagram(rng, n), random_diagram(rng, m)
        assert calydon.bottleneck_distance(a, b, delta=0.0) == brute_bottleneck(a, b), (n, m)


@pytest.mark.parametrize("delta", [0.001, 0.01, 0.1, 0.5])
def test_approximation_within_relative_error(delta):
    rng = np.random.default_rng(2)
    for n, m in [(3, 2), (30, 40), (60, 55)]:
        a, b = random_diagram(rng, n), random_diagram(rng, m)
        exact = brute_bottleneck(a, b)
        assert exact <= calydon.bottleneck_distance(a, b, delta=delta) <= exact * (1 + delta)


def test_exact_agrees_with_gudhi_on_larger_diagrams():
    rng = np.random.default_rng(3)
    for n in (200, 1500):
        a, b = random_diagram(rng, n, scale=10.0), random_diagram(rng, n + 17, scale=10.0)
        assert calydon.bottleneck_distance(a, b, delta=0.0) == pytest.approx(
            gudhi.bottleneck_distance(a, b), rel=1e-12
        )
        approx = calydon.bottleneck_distance(a, b, delta=0.01)
        assert (
            gudhi.bottleneck_distance(a, b) * (1 - 1e-12)
            <= approx
            <= gudhi.bottleneck_distance(a, b) * 1.01
        )


def test_matching_realises_the_distance():
    rng = np.random.default_rng(4)
    a, b = random_diagram(rng, 40), random_diagram(rng, 35)
    m = calydon.bottleneck_matching(a, b, delta=0.0)
    edges = [
        np.max(np.abs(a[m.finite_to_finite[:, 0]] - b[m.finite_to_finite[:, 1]]), axis=1),
        np.abs(a[m.a_to_diagonal, 1] - a[m.a_to_diagonal, 0]) / 2,
        np.abs(b[m.b_to_diagonal, 1] - b[m.b_to_diagonal, 0]) / 2,
    ]
    assert np.concatenate(edges).max() == m.distance == brute_bottleneck(a, b)
    assert sorted(np.concatenate([m.finite_to_finite[:, 0], m.a_to_diagonal])) == list(range(40))
    assert sorted(np.concatenate([m.finite_to_finite[:, 1], m.b_to_diagonal])) == list(range(35))


def test_essential_families():
    a = np.array([[0.0, INF], [3.0, INF], [INF, 1.0], [0.0, 0.2]])
    b = np.array([[1.0, INF], [3.5, INF], [INF, 1.1]])
    assert calydon.bottleneck_distance(a, b, delta=0.0) == pytest.approx(1.0)
    assert calydon.bottleneck_distance(a, np.array([[1.0, INF]]), delta=0.0) == INF
    assert calydon.bottleneck_distance(a, b[:2], delta=0.0) == INF
    with pytest.raises(ValueError, match="bottleneck_matching: essential point counts must match"):
        calydon.bottleneck_matching(a, b[:2], ignore_inf_points=False)
    m = calydon.bottleneck_matching(a, b, delta=0.0, ignore_inf_points=False)
    np.testing.assert_array_equal(m.essential.inf_death, [[0, 0], [1, 1]])
    np.testing.assert_array_equal(m.essential.inf_birth, [[2, 2]])


def test_empty_identical_and_duplicates():
    a = np.array([[0.0, 2.0], [1.0, 1.5]])
    assert calydon.bottleneck_distance(a, np.empty((0, 2)), delta=0.0) == 1.0
    assert calydon.bottleneck_distance([], [], delta=0.0) == 0.0
    assert calydon.bottleneck_distance(a, a[::-1], delta=0.0) == 0.0
    many = np.repeat([[0.0, 1.0], [0.25, 2.0]], 400, axis=0)
    other = np.repeat([[0.0, 1.0], [0.25, 2.0], [0.0, 1.5]], [399, 400, 2], axis=0)
    # one (0, 1) copy must reach (0, 1.5) or the diagonal, and the extra (0, 1.5) must move too
    assert calydon.bottleneck_distance(many, other, delta=0.0) == 0.5
    assert calydon.bottleneck_distance(many, other, delta=0.01) <= 0.505


finite_points = st.tuples(st.integers(0, 8), st.integers(1, 5)).map(
    lambda t: (t[0] / 8, (t[0] + t[1]) / 8)
)
diagrams = st.lists(finite_points, max_size=8).map(
    lambda rows: np.array(rows, dtype=float).reshape(-1, 2)
)


@given(a=diagrams, b=diagrams)
def test_hypothesis_grid_diagrams_with_ties(a, b):
    exact = brute_bottleneck(a, b)
    assert calydon.bottleneck_distance(a, b, delta=0.0) == exact
    assert exact <= calydon.bottleneck_distance(a, b, delta=0.2) <= exact * 1.2
    if len(a) and len(b):
        assert gudhi.bottleneck_distance(a, b) == pytest.approx(exact, abs=1e-12)


@pytest.mark.parametrize(
    "call,exc,pattern",
    [
        (
            lambda: calydon.bottleneck_distance([[0.0, 1.0]], [[0.0, 1.0]], delta=-1.0),
            ValueError,
            r"bottleneck_distance: delta must be a finite number >= 0, got -1.0",
        ),
        (
            lambda: calydon.bottleneck_distance([[0.0, 1.0, 2.0]], [[0.0, 1.0]]),
            ValueError,
            r"bottleneck_distance: a must have shape \(n, 2\), got shape \(1, 3\)",
        ),
        (
            lambda: calydon.bottleneck_distance([[0.0, 1.0]], [[np.nan, 1.0]]),
            ValueError,
            r"bottleneck_distance: b must not contain NaN",
        ),
        (
            lambda: calydon.bottleneck_matching([[0.0, 1.0]], [[True, False]]),
            TypeError,
            r"bottleneck_matching: b must have a real numeric dtype, got bool",
        ),
        (
            lambda: calydon.bottleneck_matching([[0.0, 1.0]], [[0.0, 1.0]], ignore_inf_points=1),
            TypeError,
            r"bottleneck_matching: ignore_inf_points must be a bool, got int",
        ),
    ],
)
def test_bad_input(call, exc, pattern):
    with pytest.raises(exc, match=pattern):
        call()
