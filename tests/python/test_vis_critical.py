"""calydon.vis.plot_critical_set, checked on its artists against placements computed here from
the input alone: in general position a grid cell's pixel is the one pixel holding its value, and
a Rips cell's critical edge the one pair of points at its value's distance."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import calydon  # noqa: E402
from calydon import vis  # noqa: E402
from conftest import seed_of  # noqa: E402
from generators import noisy_circle  # noqa: E402

torch = pytest.importorskip("torch")
diff = pytest.importorskip("calydon.diff")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def by_gid(ax, gid):
    found = [a for a in ax.collections if a.get_gid() == gid]
    assert len(found) == 1, f"expected one artist with gid {gid!r}, got {len(found)}"
    return found[0]


def drawn_pixels(ax, gid="critical cells") -> set:
    return {(int(r), int(c)) for c, r in np.asarray(by_gid(ax, gid).get_offsets())}


def pixels_by_value(image: np.ndarray, values: np.ndarray) -> set:
    """The pixel holding each value (image values are distinct)."""
    return {tuple(int(i) for i in np.argwhere(image == v)[0]) for v in values}


def image_and_cells(seed: int):
    image = np.random.default_rng(seed).random((9, 11))
    fil, pixels = calydon.freudenthal_filtration(image, with_critical_vertices=True)
    opt = calydon.TopologyOptimizer(fil)
    requests = opt.simplify(opt.get_nth_persistence(0, 3), calydon.DenoiseStrategy.BirthBirth, 0)
    cells = opt.combine_loss(opt.singletons(*requests), calydon.ConflictStrategy.Max)
    return image, fil, pixels, opt, cells


def test_image_cells_sit_on_the_pixels_holding_their_values():
    image, fil, pixels, _, cells = image_and_cells(seed_of("vis", "image"))
    expected = pixels_by_value(image, fil.values()[cells.indices_array()])
    assert len(cells) > len(expected) > 2  # several cells share a pixel: one square each
    torch_fil = diff.freudenthal_filtration(torch.tensor(image, requires_grad=True))
    for where in ({"cell_pixels": pixels}, {"fil": fil}, {"fil": torch_fil}):
        ax = vis.plot_critical_set(cells, image=image, **where)
        assert drawn_pixels(ax) == expected
        assert len(by_gid(ax, "critical cells").get_offsets()) == len(expected)
        assert len(ax.images) == 1
        (x0, x1), (y1, y0) = ax.get_xlim(), ax.get_ylim()  # imshow: y grows downwards
        assert x0 < 0 and x1 > image.shape[1] - 1 and y0 < 0 and y1 > image.shape[0] - 1


def test_every_critical_set_form():
    image, fil, pixels, opt, _ = image_and_cells(seed_of("vis", "forms"))
    requests = opt.simplify(opt.get_nth_persistence(0, 3), calydon.DenoiseStrategy.BirthBirth, 0)
    sets = opt.singletons(*requests)
    values = fil.values()
    union = np.concatenate([ids for _, ids in sets])
    for critical_set, ids in (
        (sets, union),
        (sets[0], sets[0][1]),
        (list(sets[0][1]), sets[0][1]),
        (torch.as_tensor(union), union),
    ):
        ax = vis.plot_critical_set(critical_set, image=image, cell_pixels=pixels)
        assert drawn_pixels(ax) == pixels_by_value(image, values[ids])


@pytest.mark.parametrize("values_on", ["vertices", "cells"])
def test_cubical_filtrations(values_on):
    image = np.random.default_rng(seed_of("vis", values_on)).random((6, 7))
    fil, pixels = calydon.cube_filtration(image, values_on=values_on, with_critical_indices=True)
    cells = calydon.TopologyOptimizer(fil).increase_birth(int(np.argmax(fil.dims() == 1)))
    expected = pixels_by_value(image, fil.values()[cells])
    assert drawn_pixels(vis.plot_critical_set(cells, image=image, cell_pixels=pixels)) == expected
    assert drawn_pixels(vis.plot_critical_set(cells, image=image, fil=fil)) == expected


def test_targets_colour_the_pixels_and_a_point_marks_its_cells():
    image, fil, pixels, opt, cells = image_and_cells(seed_of("vis", "targets"))
    point = opt.compute_diagram().index_diagram_in_dimension(0)[0]
    ax = vis.plot_critical_set(cells, image=image, cell_pixels=pixels, point_cells=point)
    faces = by_gid(ax, "critical cells").get_facecolors()
    assert len({tuple(f) for f in faces}) > 1  # distinct targets, distinct colours
    assert len(ax.figure.axes) == 2  # the colorbar of the targets
    values = fil.values()
    assert drawn_pixels(ax, "birth cell") == pixels_by_value(image, values[point[:1]])
    assert drawn_pixels(ax, "death cell") == pixels_by_value(image, values[point[1:]])
    alone = vis.plot_critical_set(image=image, fil=fil, point_cells=(int(point[0]), -1))
    assert len(by_gid(alone, "critical cells").get_offsets()) == 0
    assert [a.get_gid() for a in alone.collections].count("death cell") == 0


def segment_pairs(ax, gid, points) -> set:
    """Each drawn segment as the unordered pair of point indices at its ends."""
    pairs = set()
    for seg in by_gid(ax, gid).get_segments():
        ends = [int(np.flatnonzero((points == end).all(axis=1))[0]) for end in seg]
        pairs.add(tuple(sorted(ends)))
    return pairs


def test_rips_cells_are_drawn_as_their_critical_edges():
    points = noisy_circle(14, seed=seed_of("vis", "rips"))
    fil = calydon.vr_filtration(points, max_dim=2)
    opt = calydon.TopologyOptimizer(fil)
    h1 = opt.compute_diagram().index_diagram_in_dimension(1)
    cells = opt.decrease_death(int(h1[0, 1]))
    dims, values = fil.dims(), fil.values()
    dist = np.linalg.norm(points[:, None] - points[None], axis=2)
    expected = set()
    for c in cells[dims[cells] > 0]:
        u, v = np.argwhere(np.triu(dist == values[c], 1))[0]
        expected.add((int(u), int(v)))
    x = torch.tensor(points, requires_grad=True)
    for fil_arg in (fil, diff.vr_filtration(x, max_dim=2)):
        ax = vis.plot_critical_set(cells, points=points, fil=fil_arg, point_cells=h1[0])
        assert segment_pairs(ax, "critical edges", points) == expected
        assert len(by_gid(ax, "critical edges").get_segments()) == len(expected)
        assert len(by_gid(ax, "critical triangles").get_paths()) == 0
        assert len(by_gid(ax, "points").get_offsets()) == len(points)
        assert len(by_gid(ax, "birth cell").get_segments()) == 1
    every = vis.plot_critical_set(np.arange(len(fil)), points=points, fil=fil)
    assert len(by_gid(every, "critical vertices").get_offsets()) == len(points)
    assert len(by_gid(every, "critical edges").get_segments()) == fil.size_in_dimension(1)
    (x0, x1), (y0, y1) = every.get_xlim(), every.get_ylim()
    assert np.all((x0 <= points[:, 0]) & (points[:, 0] <= x1))
    assert np.all((y0 <= points[:, 1]) & (points[:, 1] <= y1))


def test_delaunay_cells_are_drawn_as_simplices():
    """Weak alpha values a simplex by its squared longest edge: recomputed from the drawn
    triangles, they are the values of the critical set's triangles."""
    points = noisy_circle(20, seed=seed_of("vis", "alpha"))
    fil, simplices = calydon.weak_alpha_filtration(points, with_simplices=True)
    opt = calydon.TopologyOptimizer(fil)
    h1 = opt.compute_diagram().index_diagram_in_dimension(1)
    values = fil.values()
    loop = h1[np.argmax(values[h1[:, 1]] - values[h1[:, 0]])]
    cells = opt.decrease_death(int(loop[1]))
    assert len(cells) > 1
    for where in ({"cell_vertices": simplices}, {"fil": fil}):
        ax = vis.plot_critical_set(cells, points=points, point_cells=loop, **where)
        triangles = [p.vertices[:3] for p in by_gid(ax, "critical triangles").get_paths()]
        longest = [
            max(np.sum((t[i] - t[j]) ** 2) for i, j in ((0, 1), (1, 2), (0, 2))) for t in triangles
        ]
        np.testing.assert_allclose(np.sort(longest), np.sort(values[cells]), rtol=1e-9)
        assert len(by_gid(ax, "death cell").get_paths()) == 1
        assert len(by_gid(ax, "birth cell").get_segments()) == 1


def test_bad_arguments_are_refused():
    image, fil, pixels, _, cells = image_and_cells(0)
    api = "plot_critical_set"
    with pytest.raises(ValueError, match=f"{api}: give exactly one of image and points"):
        vis.plot_critical_set(cells, image=image, points=np.zeros((3, 2)), cell_pixels=pixels)
    with pytest.raises(ValueError, match=f"{api}: critical_set must be sorted ids"):
        vis.plot_critical_set([len(fil)], image=image, cell_pixels=pixels)
    with pytest.raises(ValueError, match=f"{api}: drawing over an image needs cell_pixels"):
        vis.plot_critical_set(cells, image=image)
    with pytest.raises(ValueError, match=f"{api}: fil must be a grid filtration of image"):
        vis.plot_critical_set(cells, image=image + 1.0, fil=fil)
    with pytest.raises(TypeError, match=f"{api}: critical_set must hold integers"):
        vis.plot_critical_set([0.5], image=image, cell_pixels=pixels)
    with pytest.raises(ValueError, match=f"{api}: fil must be a Rips or Delaunay filtration"):
        vis.plot_critical_set([0], points=np.random.default_rng(0).random((5, 2)), fil=fil)
