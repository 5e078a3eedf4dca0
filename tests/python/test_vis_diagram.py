"""calydon.vis.plot_diagram and plot_barcode, checked on the artists they leave on the Axes:
points per dimension at their input coordinates, essential points on the '∞' line, limits that
hold every point, and one bar per point."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import calydon  # noqa: E402
from calydon import vis  # noqa: E402
from conftest import seed_of, sort_dgm  # noqa: E402
from generators import noisy_circle, random_diagram  # noqa: E402

torch = pytest.importorskip("torch")
diff = pytest.importorskip("calydon.diff")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def by_gid(ax, gid):
    found = [a for a in [*ax.collections, *ax.lines] if a.get_gid() == gid]
    assert len(found) == 1, f"expected one artist with gid {gid!r}, got {len(found)}"
    return found[0]


def diagrams_with_essentials(sizes, n_essential, seed, sign=1.0):
    """One finite diagram per size, plus n_essential rows (birth, sign * inf) in dimension 0."""
    rng = np.random.default_rng(seed)
    dgms = [random_diagram(n, rng) for n in sizes]
    births = rng.random(n_essential)
    dgms[0] = np.concatenate([dgms[0], np.c_[births, np.full(n_essential, sign * np.inf)]])
    return dgms


def assert_inside(ax, xy):
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    assert np.all((xy[:, 0] > x0) & (xy[:, 0] < x1)), (xy, ax.get_xlim())
    assert np.all((xy[:, 1] > y0) & (xy[:, 1] < y1)), (xy, ax.get_ylim())


def check_scatter(ax, dgms):
    """Each dimension's points are its finite rows exactly, its essential rows at the birth on
    the '∞' line, which lies above every finite death and is ticked '∞'."""
    finite = np.concatenate([d[np.isfinite(d)] for d in dgms])
    inf_y = by_gid(ax, "inf").get_ydata()[0] if any(np.isinf(d).any() for d in dgms) else None
    for dim, dgm in enumerate(dgms):
        drawn = np.asarray(by_gid(ax, f"H{dim}").get_offsets())
        assert len(drawn) == len(dgm)
        expected = np.where(np.isinf(dgm), inf_y if inf_y is not None else np.nan, dgm)
        np.testing.assert_allclose(sort_dgm(drawn), sort_dgm(expected))
        assert_inside(ax, drawn)
    if inf_y is not None:
        assert inf_y > finite.max()
        labels = {t.get_text() for t in ax.get_yticklabels()}
        assert "∞" in labels


@given(
    sizes=st.lists(st.integers(0, 12), min_size=1, max_size=4),
    n_essential=st.integers(0, 3),
    seed=st.integers(0, 2**16),
)
def test_points_per_dimension_and_essential_line(sizes, n_essential, seed):
    dgms = diagrams_with_essentials(sizes, n_essential, seed)
    ax = vis.plot_diagram(dgms)
    check_scatter(ax, dgms)
    diagonal = by_gid(ax, "diagonal")
    np.testing.assert_array_equal(diagonal.get_xdata(), diagonal.get_ydata())
    colors = {tuple(by_gid(ax, f"H{d}").get_facecolor()[0]) for d in range(len(dgms)) if sizes[d]}
    assert len(colors) == sum(1 for d in range(len(dgms)) if sizes[d])  # a colour per dimension
    plt.close(ax.figure)


def test_superlevel_essentials_sit_on_a_minus_infinity_line():
    dgms = [-diagrams_with_essentials([6], 2, seed=3)[0]]  # deaths below births, -inf deaths
    ax = vis.plot_diagram(dgms)
    line = by_gid(ax, "inf")
    y = line.get_ydata()[0]
    finite = dgms[0][np.isfinite(dgms[0])]
    assert y < finite.min()
    drawn = np.asarray(by_gid(ax, "H0").get_offsets())
    assert np.sum(drawn[:, 1] == y) == 2
    assert_inside(ax, drawn)
    assert "−∞" in {t.get_text() for t in ax.get_yticklabels()}


def test_every_input_kind_draws_the_same_points():
    points = noisy_circle(30, seed=seed_of("vis", "kinds"))
    ref = calydon.compute_diagrams_vr(points, include_inf_points=True)
    x = torch.tensor(points, requires_grad=True)
    pd = diff.persistence_diagram(diff.vr_filtration(x), include_inf_points=True)
    assert pd[0].requires_grad
    arrays = [ref[0], ref[1]]
    for dgms in (ref, arrays, {0: ref[0], 1: ref[1]}, pd, [pd[0], pd[1]]):
        ax = vis.plot_diagram(dgms)
        check_scatter(ax, arrays)
    ax = vis.plot_diagram(pd[1], dims=1)
    assert len(by_gid(ax, "H1").get_offsets()) == len(ref[1])
    assert [c.get_gid() for c in vis.plot_diagram(pd, dims=[1]).collections] == ["H1"]


def test_counts_match_an_independent_library():
    ripser = pytest.importorskip("ripser")
    points = noisy_circle(25, seed=seed_of("vis", "ripser"))
    expected = ripser.ripser(points, maxdim=1)["dgms"]
    ax = vis.plot_diagram(calydon.compute_diagrams_vr(points, include_inf_points=True))
    for dim in (0, 1):
        assert len(by_gid(ax, f"H{dim}").get_offsets()) == len(expected[dim])


def test_draws_on_the_given_axes_and_returns_them():
    fig, ax = plt.subplots()
    assert vis.plot_diagram(random_diagram(4), ax=ax) is ax
    assert vis.plot_barcode(random_diagram(4), ax=ax) is ax
    assert vis.plot_diagram(random_diagram(4)) is not ax


@given(
    sizes=st.lists(st.integers(0, 10), min_size=1, max_size=3),
    n_essential=st.integers(0, 2),
    seed=st.integers(0, 2**16),
)
def test_barcode_one_bar_per_point(sizes, n_essential, seed):
    dgms = diagrams_with_essentials(sizes, n_essential, seed)
    ax = vis.plot_barcode(dgms)
    inf_x = by_gid(ax, "inf").get_xdata()[0] if n_essential else None
    heights = []
    for dim, dgm in enumerate(dgms):
        segments = by_gid(ax, f"H{dim}").get_segments()
        assert len(segments) == len(dgm)
        ends = np.array([[s[0, 0], s[1, 0]] for s in segments]).reshape(-1, 2)
        expected = np.where(np.isinf(dgm), inf_x if inf_x is not None else np.nan, dgm)
        np.testing.assert_allclose(sort_dgm(ends), sort_dgm(expected))
        heights += [s[0, 1] for s in segments]
        assert all(s[0, 1] == s[1, 1] for s in segments)  # horizontal bars
        x0, x1 = ax.get_xlim()
        assert np.all((ends > x0) & (ends < x1))
    assert len(set(heights)) == len(heights)  # no two bars on one row
    y0, y1 = ax.get_ylim()
    assert all(y0 < h < y1 for h in heights)
    if inf_x is not None:
        assert inf_x > max(d[np.isfinite(d)].max() for d in dgms if np.isfinite(d).any())
        assert "∞" in {t.get_text() for t in ax.get_xticklabels()}
    plt.close(ax.figure)


@pytest.mark.parametrize("plot", [vis.plot_diagram, vis.plot_barcode])
def test_bad_input_names_the_function_and_argument(plot):
    name = plot.__name__
    with pytest.raises(ValueError, match=f"{name}: dims"):
        plot([random_diagram(3), random_diagram(2)], dims=2)
    with pytest.raises(ValueError, match=f"{name}: dgms must not contain NaN"):
        plot(np.array([[0.0, np.nan]]))
    with pytest.raises(ValueError, match=f"{name}: dgms must have shape"):
        plot(np.zeros((3, 3)))
    with pytest.raises(TypeError, match=f"{name}: dgms must have a real numeric dtype"):
        plot(np.array([["a", "b"]]))
    with pytest.raises(TypeError, match=f"{name}: dims"):
        plot(random_diagram(3), dims="0")
