"""plot_critical_set: the cells of a critical set (or one point's birth and death cells) drawn
where they live, over a 2-D image or a 2-D point cloud."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._validate import as_float64_array
from ._cells import check_ids, critical_cells, int_array, pixel_map, vertex_map
from ._mpl import matplotlib, mcm, mcollections, mcolors, new_axes

API = "plot_critical_set"
POINT_CELL_COLORS = {"birth cell": "tab:green", "death cell": "tab:purple"}
SHAPES = ((1, "vertices"), (2, "edges"), (3, "triangles"))


def _point_cells(point_cells: Any) -> list[tuple[str, int]]:
    """[(gid, sorted id)] of a (birth, death) row; a death id < 0 (essential) is left out."""
    if point_cells is None:
        return []
    ids = int_array(point_cells, "point_cells", API).reshape(-1)
    if ids.shape != (2,):
        raise ValueError(
            f"{API}: point_cells must be one (birth, death) pair of sorted ids, got {point_cells!r}"
        )
    return [(gid, int(i)) for gid, i in zip(POINT_CELL_COLORS, ids) if i >= 0]


def _placement(image, points, fil, cell_pixels, cell_vertices) -> tuple:
    """(validated image or None, validated points or None, the per-cell pixel or vertex map)."""
    if (image is None) == (points is None):
        given = "both" if image is not None else "neither"
        raise ValueError(f"{API}: give exactly one of image and points, got {given}")
    if image is not None:
        image = as_float64_array(image, "image", API, ndims=(2,))
        return image, None, pixel_map(image, fil, cell_pixels, API)
    points = as_float64_array(points, "points", API, ndims=(2,))
    if points.shape[1] != 2:
        raise ValueError(f"{API}: points must have shape (n, 2), got {points.shape}")
    return None, points, vertex_map(points, fil, cell_vertices, API)


def _grouped_colors(keys: np.ndarray, targets: np.ndarray | None, style: dict) -> tuple:
    """Unique rows of ``keys`` and one RGBA colour each: the mean target of the cells behind a
    row through the colormap when targets are given, else the plain colour."""
    unique, inverse = np.unique(keys, axis=0, return_inverse=True)
    if targets is None:
        return unique, np.tile(mcolors.to_rgba(style["color"]), (len(unique), 1))
    inverse = inverse.reshape(-1)
    counts = np.bincount(inverse, minlength=len(unique))
    means = np.bincount(inverse, targets, len(unique)) / np.maximum(counts, 1)
    return unique, matplotlib.colormaps[style["cmap"]](style["norm"](means)).reshape(-1, 4)


def _draw_over_image(ax, image, pixels, ids, targets, cells, style) -> None:
    """Pixels are drawn at (column, row), as ``imshow`` places them."""
    ax.imshow(image, cmap="gray", interpolation="nearest", zorder=0)
    rows_cols = np.stack(np.unravel_index(pixels[ids], image.shape), axis=1)
    unique, colors = _grouped_colors(rows_cols, targets, style)
    size = style["marker_size"]
    ax.scatter(unique[:, 1], unique[:, 0], s=size, c=colors, marker="s", zorder=2).set_gid(
        "critical cells"
    )
    ax.collections[-1].set_label("critical cells" if len(unique) else "_critical cells")
    for gid, cell in cells:
        r, c = np.unravel_index(pixels[cell], image.shape)
        marker = "^" if gid == "birth cell" else "v"
        artist = ax.scatter([c], [r], s=3 * size, color=POINT_CELL_COLORS[gid], marker=marker)
        artist.set(gid=gid, label=gid, zorder=3, edgecolor="white")


def _canonical(rows: np.ndarray) -> np.ndarray:
    """Each row's point ids sorted, -1 padding last, so that equal simplices compare equal."""
    big = np.iinfo(np.int64).max
    out = np.sort(np.where(rows < 0, big, rows), axis=1)
    return np.where(out == big, -1, out)


def _simplex_artist(ax, points, rows, colors, n_vertices, style):
    """One artist for rows of ``n_vertices`` point ids: a scatter, segments or polygons."""
    if n_vertices == 1:
        return ax.scatter(
            points[rows[:, 0], 0], points[rows[:, 0], 1], s=style["marker_size"], c=colors, zorder=3
        )
    if n_vertices == 2:
        artist = mcollections.LineCollection(
            points[rows[:, :2]].reshape(-1, 2, 2), colors=colors, linewidths=style["linewidth"]
        )
    else:
        faces = np.array(colors, dtype=np.float64).reshape(-1, 4)
        faces[:, 3] *= 0.35  # see-through fill, solid outline
        artist = mcollections.PolyCollection(
            [points[r[r >= 0]] for r in rows], facecolors=faces, edgecolors=colors, linewidths=0.8
        )
    ax.add_collection(artist)
    return artist


def _draw_over_points(ax, points, table, ids, targets, cells, style) -> None:
    ax.scatter(points[:, 0], points[:, 1], s=8, color="0.6", zorder=1).set_gid("points")
    unique, colors = _grouped_colors(_canonical(table[ids]), targets, style)
    count = (unique >= 0).sum(axis=1)
    for n_vertices, noun in SHAPES:
        pick = count == n_vertices if n_vertices < 3 else count >= 3
        artist = _simplex_artist(ax, points, unique[pick], colors[pick], n_vertices, style)
        hidden = "" if pick.any() else "_"  # an empty artist stays out of the legend
        artist.set(
            gid=f"critical {noun}", label=f"{hidden}critical {noun}", zorder=2 + (n_vertices < 3)
        )
    for gid, cell in cells:
        row = table[cell : cell + 1]
        n_vertices = min(int((row >= 0).sum()), 3)
        color = np.array([mcolors.to_rgba(POINT_CELL_COLORS[gid])])
        emphasis = {
            **style,
            "marker_size": 3 * style["marker_size"],
            "linewidth": 3 * style["linewidth"],
        }
        artist = _simplex_artist(ax, points, row, color, n_vertices, emphasis)
        artist.set(gid=gid, label=gid, zorder=4)
    ax.autoscale_view()
    ax.set_aspect("equal", adjustable="datalim")


def plot_critical_set(
    critical_set: Any = None,
    *,
    image: Any = None,
    points: Any = None,
    fil: Any = None,
    cell_pixels: Any = None,
    cell_vertices: Any = None,
    point_cells: Any = None,
    ax: Any = None,
    color: Any = "tab:red",
    cmap: str = "coolwarm",
    marker_size: float = 30.0,
    linewidth: float = 1.5,
    colorbar: bool = True,
    legend: bool = True,
    title: str | None = None,
) -> Any:
    """Draw the cells of a critical set, or one diagram point's birth and death cells, over the
    2-D image or 2-D point cloud the filtration was built from.

    Parameters
    ----------
    critical_set : array-like of int, IndicesValues, (target, ids) or list of those, optional
        Sorted ids of the cells: a flat int array (``increase_death`` and its siblings), a
        ``calydon.IndicesValues`` (``simplify``, ``combine_loss``, ``crit_sets_apply``), one
        ``(target, ids)`` pair (``singleton``) or a list of them (``singletons``). With target
        values the cells are coloured by target through ``cmap`` (the mean target when several
        cells share a pixel or simplex), otherwise in ``color``.
    image : array-like, shape (h, w), optional
        The image of a Freudenthal or cubical filtration; each cell is drawn at the pixel whose
        value it takes.
    points : array-like, shape (n, 2), optional
        The point cloud of a Vietoris-Rips or Delaunay filtration; each cell is drawn as its
        simplex (vertex, edge, triangle), a Rips cell as its critical edge.
    fil : calydon.Filtration or calydon.diff filtration, optional
        Used to find where the cells lie when ``cell_pixels`` / ``cell_vertices`` are not given:
        a 2-D ``diff`` grid filtration or a ``DiffRipsFiltration`` knows it; other filtrations
        are rebuilt from ``image`` / ``points`` and must agree value for value.
    cell_pixels : int array, shape (n_cells,), optional
        Flat index into ``image`` per sorted cell: the second output of
        ``freudenthal_filtration(image, with_critical_vertices=True)`` or
        ``cube_filtration(image, with_critical_indices=True)``.
    cell_vertices : int array (n_cells, 2) or list of int arrays (n_k, k + 1), optional
        Point ids per sorted cell: the critical edges of ``vr_filtration(points,
        with_critical_edges=True)`` ((v, v) is the vertex v), or the simplices of
        ``alpha_filtration(points, with_simplices=True)`` (one block per dimension).
    point_cells : pair of int, optional
        (birth, death) sorted ids of one diagram point, e.g.
        ``dgms.index_diagram_in_dimension(1)[k]``; a death of -1 (essential) is not drawn.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is made when None.
    color, cmap, marker_size, linewidth : drawing style
        Colour without targets; colormap of targets; marker area (points²); edge width.
    colorbar, legend : bool
        Add a colorbar of the targets (when there are targets), a legend.
    title : str, optional
        Axes title.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on. Over an image: a ``PathCollection`` with gid ``"critical cells"``
        holding one square per distinct pixel. Over points: ``"points"`` (every point),
        ``"critical vertices"`` (``PathCollection``), ``"critical edges"`` (``LineCollection``)
        and ``"critical triangles"`` (``PolyCollection``), one entry per distinct simplex. The
        point's cells have gids ``"birth cell"`` and ``"death cell"``.

    Raises
    ------
    TypeError, ValueError
        Not exactly one of ``image`` and ``points``, no way to place the cells, or sorted ids
        out of range.
    """
    image, points, geometry = _placement(image, points, fil, cell_pixels, cell_vertices)
    ids, targets = critical_cells(critical_set, API)
    if targets is not None and len(np.unique(targets)) < 2:
        targets = None  # one target for every cell: a colour scale would say nothing
    cells = _point_cells(point_cells)
    check_ids(ids, len(geometry), "critical_set", API)
    check_ids(np.array([c for _, c in cells], np.int64), len(geometry), "point_cells", API)
    norm = mcolors.Normalize(*(targets.min(), targets.max()) if targets is not None else (0, 1))
    style = {"color": color, "cmap": cmap, "norm": norm}
    style.update(marker_size=marker_size, linewidth=linewidth)
    ax = new_axes(ax)
    if image is not None:
        _draw_over_image(ax, image, geometry, ids, targets, cells, style)
    else:
        _draw_over_points(ax, points, geometry, ids, targets, cells, style)
    if colorbar and targets is not None:
        mappable = mcm.ScalarMappable(norm=norm, cmap=cmap)
        ax.figure.colorbar(mappable, ax=ax, label="target value", shrink=0.8)
    if legend:
        ax.legend(loc="upper right", fontsize="small")
    if title is not None:
        ax.set_title(title)
    return ax
