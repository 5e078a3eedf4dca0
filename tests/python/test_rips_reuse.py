"""The explicit Rips complex reuses its combinatorics across builds with the same edge set.

An optimisation loop rebuilds the filtration from moved points every step; the simplices and
their boundaries are kept from the previous build when the points count, max_dim and the edges
within the threshold are unchanged. Every build must equal a build from scratch, whether the
skeleton was reused or not.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calydon import _core, _rips
from generators import noisy_circle


def build(points: np.ndarray, max_dim: int, threshold: float, reuse=None):
    return _core.rips_filtration(points, False, max_dim, threshold, reuse=reuse)


def same_filtration(a, b) -> None:
    fa, ea, ia, _ = a
    fb, eb, ib, _ = b
    np.testing.assert_array_equal(fa.values(), fb.values())
    np.testing.assert_array_equal(fa.dims(), fb.dims())
    np.testing.assert_array_equal(ea, eb)
    np.testing.assert_array_equal(ia, ib)
    for col_a, col_b in zip(fa.boundary_matrix(), fb.boundary_matrix()):
        assert list(col_a) == list(col_b)


@settings(max_examples=25, deadline=None)
@given(
    n=st.integers(3, 14),
    max_dim=st.integers(1, 3),
    seed=st.integers(0, 10**6),
    threshold=st.sampled_from([0.4, 0.9, 3.0]),
)
def test_a_reused_skeleton_gives_the_fresh_build(n, max_dim, seed, threshold):
    rng = np.random.default_rng(seed)
    first = rng.random((n, 2))
    moved = first + rng.normal(0, 0.05, first.shape)  # edges may or may not cross the threshold
    skeleton = build(first, max_dim, threshold)[3]
    same_filtration(
        build(moved, max_dim, threshold, reuse=skeleton), build(moved, max_dim, threshold)
    )


def test_the_skeleton_is_reused_only_when_the_edges_match():
    points = noisy_circle(30, seed=3, noise=0.05)
    skeleton = build(points, 2, 3.0)[3]
    assert (
        build(points * 1.01, 2, 3.0, reuse=skeleton)[3] is skeleton
    )  # complete complex both times
    far = points.copy()
    far[0] = [10.0, 10.0]  # its edges leave the threshold
    assert build(far, 2, 3.0, reuse=skeleton)[3] is not skeleton
    assert build(points, 3, 3.0, reuse=skeleton)[3] is not skeleton  # another max_dim
    assert build(points[:-1], 2, 3.0, reuse=skeleton)[3] is not skeleton  # another points count


@pytest.mark.parametrize("gradient_method", ["dgm-loss", "crit-sets"])
def test_a_descent_loop_matches_fresh_builds(gradient_method):
    torch = pytest.importorskip("torch")
    import calydon.diff as diff

    points = torch.tensor(noisy_circle(40, seed=5, noise=0.1), requires_grad=True)
    for _ in range(4):
        fil = diff.vr_filtration(points, max_dim=2, max_diameter=2.5)
        h1 = diff.persistence_diagram(fil, gradient_method=gradient_method)[1]
        loss = (h1[:, 1] - h1[:, 0]).pow(2).sum()
        points.grad = None
        loss.backward()
        _rips._LAST_SKELETON.clear()  # a build from scratch
        fresh = diff.vr_filtration(points.detach().clone(), max_dim=2, max_diameter=2.5)
        assert np.array_equal(fil.under_fil.values(), fresh.under_fil.values())
        assert np.array_equal(fil.critical_edges.numpy(), fresh.critical_edges.numpy())
        with torch.no_grad():
            points -= 0.05 * points.grad
