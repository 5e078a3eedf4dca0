"""plot_diagram and plot_barcode: one colour per homology dimension, essential points on a
dashed line labelled '∞'."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._frame import INF_LINE_STYLE, decorate_diagram, frame_of, has_infinite, set_ticks
from ._input import select_dimensions
from ._mpl import dimension_color, mcollections, new_axes


def plot_diagram(
    dgms: Any,
    dims: Any = None,
    ax: Any = None,
    *,
    colors: Any = None,
    marker_size: float = 20.0,
    legend: bool = True,
    title: str | None = None,
) -> Any:
    """Scatter persistence diagrams, one colour per homology dimension.

    Parameters
    ----------
    dgms : array-like, torch.Tensor, calydon.Diagrams, calydon.diff.PersistenceDiagrams, list or dict
        One diagram of shape (n, 2) (float or int dtype; a tensor is detached, it may require
        grad), or one per dimension: a ``calydon.Diagrams``, a list/tuple of (n_d, 2) arrays or
        tensors (index = dimension), or a mapping ``{dim: (n_d, 2)}`` such as
        ``calydon.diff.PersistenceDiagrams``. Rows are (birth, death); a death of +inf (or -inf
        for a superlevel filtration) marks an essential point.
    dims : int or sequence of int, optional
        Dimensions to draw (default: all). For a single (n, 2) diagram, the one int names its
        dimension (default 0), which sets its colour and label.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is made when None.
    colors : mapping or sequence, optional
        ``colors[dim]`` is the colour of dimension ``dim`` (default: the tab10 palette).
    marker_size : float
        Marker area in points², as ``Axes.scatter``'s ``s``.
    legend : bool
        Draw a legend (one entry per dimension, and the '∞' line when there is one).
    title : str, optional
        Axes title.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on. Each dimension d is one ``PathCollection`` with gid ``"H{d}"`` and
        label ``"H{d}"``; the diagonal is a ``Line2D`` with gid ``"diagonal"``; essential points
        sit on a dashed ``Line2D`` with gid ``"inf"`` at y = ``max finite + 10% of the range``,
        whose tick reads '∞'. Nothing is shown: no ``plt.show()``.

    Raises
    ------
    TypeError, ValueError
        A diagram of the wrong dtype or shape, NaN, or ``dims`` naming a missing dimension.
    """
    chosen = select_dimensions(dgms, dims, "dgms", "plot_diagram")
    ax = new_axes(ax)
    frame = frame_of(chosen.values())
    for dim, dgm in chosen.items():
        placed = frame.place(dgm)
        ax.scatter(
            placed[:, 0],
            placed[:, 1],
            s=marker_size,
            color=dimension_color(dim, colors),
            label=f"H{dim}",
            gid=f"H{dim}",
            zorder=3,
        )
    values = list(chosen.values())
    decorate_diagram(ax, frame, has_infinite(values, 0), has_infinite(values, 1))
    _finish(ax, legend, title)
    return ax


def _finish(ax: Any, legend: bool, title: str | None) -> None:
    if legend:
        ax.legend(loc="lower right", fontsize="small")
    if title is not None:
        ax.set_title(title)


def _bar_order(dgm: np.ndarray) -> np.ndarray:
    """Rows by birth, then death: the usual reading order of a barcode."""
    return np.lexsort((dgm[:, 1], dgm[:, 0]))


def plot_barcode(
    dgms: Any,
    dims: Any = None,
    ax: Any = None,
    *,
    colors: Any = None,
    linewidth: float = 2.0,
    legend: bool = True,
    title: str | None = None,
) -> Any:
    """Draw persistence barcodes: one horizontal bar per point, dimensions stacked bottom up.

    Parameters
    ----------
    dgms : array-like, torch.Tensor, calydon.Diagrams, calydon.diff.PersistenceDiagrams, list or dict
        As in ``plot_diagram``: one (n, 2) diagram or one per dimension, rows (birth, death).
    dims : int or sequence of int, optional
        Dimensions to draw (default: all); for a single diagram, its dimension (default 0).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is made when None.
    colors : mapping or sequence, optional
        ``colors[dim]`` is the colour of dimension ``dim`` (default: the tab10 palette).
    linewidth : float
        Bar thickness in points.
    legend : bool
        Draw a legend.
    title : str, optional
        Axes title.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on. Dimension d is one ``LineCollection`` with gid ``"H{d}"`` holding one
        segment per point, ordered by (birth, death), from (birth, y) to (death, y); the bars of
        essential points end on a dashed vertical ``Line2D`` with gid ``"inf"`` whose tick reads
        '∞' ('−∞' for a superlevel filtration). Nothing is shown.
    """
    chosen = select_dimensions(dgms, dims, "dgms", "plot_barcode")
    ax = new_axes(ax)
    frame = frame_of(chosen.values())
    row, centres = 0, []
    for dim, dgm in chosen.items():
        placed = frame.place(dgm[_bar_order(dgm)])
        ys = row + np.arange(len(placed), dtype=np.float64)
        segments = np.stack([np.c_[placed[:, 0], ys], np.c_[placed[:, 1], ys]], axis=1)
        bars = mcollections.LineCollection(
            segments, colors=[dimension_color(dim, colors)], linewidths=linewidth
        )
        bars.set_label(f"H{dim}")
        bars.set_gid(f"H{dim}")
        ax.add_collection(bars)
        centres.append((row + (len(placed) - 1) / 2, f"H{dim}"))
        row += len(placed) + 1  # one empty row between dimensions
    for position, present, label in (
        (frame.pos_inf, frame.has_pos_inf, "∞"),
        (frame.neg_inf, frame.has_neg_inf, "−∞"),
    ):
        if present:
            ax.axvline(position, label=label, gid="inf", **INF_LINE_STYLE)
    ax.set_xlim(*frame.limits)
    ax.set_ylim(-1, max(row - 1, 1))
    set_ticks(frame, ax.xaxis)
    ax.set_yticks([c for c, _ in centres], [name for _, name in centres])
    ax.set_xlabel("filtration value")
    _finish(ax, legend, title)
    return ax
