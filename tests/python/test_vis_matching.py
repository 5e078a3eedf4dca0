"""calydon.vis.plot_matching, checked on its segments: one per matched pair, one per point sent
to the diagonal ending at its projection, and together an optimal matching (the W_q distance
they add up to equals gudhi's)."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import calydon  # noqa: E402
from calydon import vis  # noqa: E402
from calydon.distance import DiagramMatching, EssentialMatching  # noqa: E402
from conftest import sort_dgm  # noqa: E402
from generators import random_diagram  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def by_gid(ax, gid):
    found = [a for a in [*ax.collections, *ax.lines] if a.get_gid() == gid]
    assert len(found) == 1, f"expected one artist with gid {gid!r}, got {len(found)}"
    return found[0]


def segments(ax, gid) -> np.ndarray:
    return np.array(by_gid(ax, gid).get_segments()).reshape(-1, 2, 2)


def rows_of(points: np.ndarray, dgm: np.ndarray) -> list[int]:
    """Row of ``dgm`` equal to each of ``points`` (the test diagrams have distinct rows)."""
    return [int(np.flatnonzero((dgm == p).all(axis=1))[0]) for p in points]


@given(
    n_a=st.integers(0, 12),
    n_b=st.integers(0, 12),
    q=st.sampled_from([1.0, 2.0]),
    seed=st.integers(0, 2**16),
)
def test_segments_form_an_optimal_matching(n_a, n_b, q, seed):
    wasserstein = pytest.importorskip("gudhi.wasserstein")
    rng = np.random.default_rng(seed)
    a, b = random_diagram(n_a, rng), random_diagram(n_b, rng)
    ax = vis.plot_matching(a, b, q=q, delta=0.0)
    matched, diagonal = segments(ax, "matched"), segments(ax, "to diagonal")
    # every point appears exactly once: in a matched pair or sent to the diagonal
    a_ends = np.concatenate([matched[:, 0], diagonal[:, 0]])
    assert sorted(rows_of(a_ends[np.isin(a_ends, a).all(axis=1)], a)) == list(range(n_a))
    assert len(matched) + len(diagonal) == n_a + n_b - len(matched)
    np.testing.assert_allclose(sort_dgm(by_gid(ax, "a").get_offsets()), sort_dgm(a))
    np.testing.assert_allclose(sort_dgm(by_gid(ax, "b").get_offsets()), sort_dgm(b))
    # a diagonal segment ends at the midpoint (m, m) of its point
    np.testing.assert_allclose(diagonal[:, 1, 0], diagonal[:, 1, 1])
    np.testing.assert_allclose(diagonal[:, 1, 0], diagonal[:, 0].mean(axis=1))
    lengths = np.concatenate(
        [
            np.abs(matched[:, 0] - matched[:, 1]).max(axis=1),
            np.abs(np.diff(diagonal[:, 0])).ravel() / 2,
        ]
    )
    drawn = float((lengths**q).sum() ** (1 / q))
    expected = wasserstein.wasserstein_distance(a, b, order=q, internal_p=np.inf)
    assert drawn == pytest.approx(expected, rel=1e-9, abs=1e-12)
    every = np.concatenate([a.reshape(-1), b.reshape(-1), diagonal.reshape(-1)])
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    assert np.all((x0 < every) & (every < x1) & (y0 < every) & (every < y1))
    plt.close(ax.figure)


def test_a_given_matching_is_drawn_as_given():
    a = np.array([[0.0, 1.0], [0.2, 0.5], [0.1, 0.3]])
    b = np.array([[0.0, 2.0], [0.4, 0.6]])
    empty = np.empty((0, 2), np.int64)
    matching = DiagramMatching(
        finite_to_finite=np.array([[0, 1], [1, 0]]),
        a_to_diagonal=np.array([2]),
        b_to_diagonal=np.empty(0, np.int64),
        essential=EssentialMatching(empty, empty, empty, empty),
        cost=0.0,
        distance=0.0,
    )
    ax = vis.plot_matching(a, b, matching)
    np.testing.assert_allclose(segments(ax, "matched"), [[a[0], b[1]], [a[1], b[0]]])
    np.testing.assert_allclose(segments(ax, "to diagonal"), [[a[2], [0.2, 0.2]]])


def test_essential_pairs_are_matched_on_the_infinity_line():
    a = np.array([[0.0, 1.0], [0.1, np.inf], [0.5, np.inf]])
    b = np.array([[0.0, 1.2], [0.3, np.inf], [0.6, np.inf]])
    ax = vis.plot_matching(a, b, ignore_inf_points=False)
    inf_y = by_gid(ax, "inf").get_ydata()[0]
    assert inf_y > 1.2
    matched = segments(ax, "matched")
    on_line = matched[(matched[:, :, 1] == inf_y).all(axis=1)]
    # essential points are matched by rank of their births: 0.1 with 0.3, 0.5 with 0.6
    np.testing.assert_allclose(sorted(on_line[:, :, 0].tolist()), [[0.1, 0.3], [0.5, 0.6]])
    assert ax.get_ylim()[1] > inf_y
    ignored = vis.plot_matching(a, b)  # essential points drawn, left unmatched
    assert len(segments(ignored, "matched")) == 1
    assert len(by_gid(ignored, "a").get_offsets()) == 3


def test_diagrams_containers_and_tensors():
    torch = pytest.importorskip("torch")
    dgms_a = calydon.Diagrams(
        [random_diagram(5, 1), random_diagram(4, 2)], [np.zeros((5, 2)), np.zeros((4, 2))]
    )
    b = torch.tensor(random_diagram(3, 3), requires_grad=True)
    ax = vis.plot_matching(dgms_a, b, dim=1)
    assert len(by_gid(ax, "a").get_offsets()) == 4
    assert len(by_gid(ax, "b").get_offsets()) == 3
    with pytest.raises(ValueError, match="plot_matching: dgm_a holds dimensions"):
        vis.plot_matching(dgms_a, b)


def test_bad_matching_is_refused():
    a, b = random_diagram(2, 0), random_diagram(2, 1)
    empty = np.empty((0, 2), np.int64)
    bad = DiagramMatching(
        np.array([[0, 5]]),
        np.empty(0, np.int64),
        np.empty(0, np.int64),
        EssentialMatching(empty, empty, empty, empty),
        0.0,
        0.0,
    )
    with pytest.raises(ValueError, match=r"plot_matching: matching pairs must hold rows of dgm_b"):
        vis.plot_matching(a, b, bad)
    with pytest.raises(
        TypeError, match="plot_matching: matching must be a calydon.DiagramMatching"
    ):
        vis.plot_matching(a, b, [(0, 0)])
    with pytest.raises(ValueError, match="wasserstein_matching: q"):
        vis.plot_matching(a, b, q=0.5)
    assert math.isfinite(vis.plot_matching(a, b).get_xlim()[1])
