"""plot_matching: two diagrams and the segments of a matching between them."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..distance import DiagramMatching, wasserstein_matching
from ._frame import decorate_diagram, frame_of, has_infinite
from ._input import one_diagram
from ._mpl import mcollections, new_axes

API = "plot_matching"


def _diagonal_rows(matching: DiagramMatching, field: str, n: int) -> np.ndarray:
    """``matching.<field>`` as int64 rows (k,), each checked against its diagram's size ``n``."""
    rows = np.asarray(getattr(matching, field), dtype=np.int64).reshape(-1)
    bad = (rows < 0) | (rows >= n)
    if bad.any():
        raise ValueError(f"{API}: matching.{field} must hold rows in [0, {n}), got {rows[bad][0]}")
    return rows


def _pair_rows(matching: DiagramMatching, n_a: int, n_b: int) -> np.ndarray:
    """Every (row in a, row in b) pair, finite and essential, checked against the sizes."""
    parts = [np.asarray(matching.finite_to_finite, dtype=np.int64).reshape(-1, 2)]
    parts += [np.asarray(p, dtype=np.int64).reshape(-1, 2) for p in matching.essential]
    pairs = np.concatenate(parts)
    for column, n, name in ((0, n_a, "a"), (1, n_b, "b")):
        bad = (pairs[:, column] < 0) | (pairs[:, column] >= n)
        if bad.any():
            raise ValueError(
                f"{API}: matching pairs must hold rows of dgm_{name} in [0, {n}), "
                f"got {pairs[bad][0, column]}"
            )
    return pairs


def _diagonal_segments(dgm: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """(k, 2, 2) segments from each point to its nearest diagonal point, the midpoint (b+d)/2
    (nearest in every L_p norm)."""
    points = dgm[rows.reshape(-1)]
    mid = points.mean(axis=1)
    return np.stack([points, np.c_[mid, mid]], axis=1)


def _segments(ax: Any, segments: np.ndarray, gid: str, label: str, style: dict) -> None:
    lines = mcollections.LineCollection(segments.reshape(-1, 2, 2), **style)
    lines.set_gid(gid)
    lines.set_label(label)
    ax.add_collection(lines)


def plot_matching(
    dgm_a: Any,
    dgm_b: Any,
    matching: DiagramMatching | None = None,
    *,
    dim: int | None = None,
    q: float = 1.0,
    delta: float = 0.01,
    internal_p: float = math.inf,
    ignore_inf_points: bool = True,
    ax: Any = None,
    labels: tuple[str, str] = ("a", "b"),
    colors: tuple[Any, Any] = ("tab:blue", "tab:orange"),
    legend: bool = True,
    title: str | None = None,
) -> Any:
    """Draw two diagrams and a matching between them.

    Parameters
    ----------
    dgm_a, dgm_b : array-like, torch.Tensor, calydon.Diagrams, PersistenceDiagrams, list or dict
        Two diagrams, each float (n, 2) rows of (birth, death) (tensors are detached); a
        container of diagrams (as in ``plot_diagram``) is read at ``dim``.
    matching : calydon.DiagramMatching, optional
        Rows into ``dgm_a`` and ``dgm_b``, as ``calydon.wasserstein_matching`` or
        ``calydon.bottleneck_matching`` return. Computed by ``calydon.wasserstein_matching(dgm_a,
        dgm_b, q, delta, internal_p, ignore_inf_points)`` when None.
    dim : int, optional
        The dimension to read from containers of diagrams.
    q, delta, internal_p, ignore_inf_points
        Passed to ``calydon.wasserstein_matching`` when ``matching`` is None.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is made when None.
    labels, colors : pairs
        Legend labels and colours of ``dgm_a`` and ``dgm_b``.
    legend : bool
        Draw a legend.
    title : str, optional
        Axes title; default "matching distance <matching.distance>".

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on: a ``PathCollection`` per diagram (gids ``"a"`` and ``"b"``), a
        ``LineCollection`` with gid ``"matched"`` (one segment per matched pair, finite and
        essential, from the point of a to the point of b), a ``LineCollection`` with gid
        ``"to diagonal"`` (one segment per point matched to the diagonal, ending at (m, m),
        m = (birth + death) / 2), the diagonal and, for essential points, the '∞' line.

    Raises
    ------
    TypeError, ValueError
        Bad diagrams, or a matching whose rows do not fit them.
    """
    a = one_diagram(dgm_a, dim, "dgm_a", API)
    b = one_diagram(dgm_b, dim, "dgm_b", API)
    if matching is None:
        matching = wasserstein_matching(a, b, q, delta, internal_p, ignore_inf_points)
    elif not isinstance(matching, DiagramMatching):
        raise TypeError(
            f"{API}: matching must be a calydon.DiagramMatching or None, "
            f"got {type(matching).__name__}"
        )
    pairs = _pair_rows(matching, len(a), len(b))
    to_diagonal = (
        _diagonal_rows(matching, "a_to_diagonal", len(a)),
        _diagonal_rows(matching, "b_to_diagonal", len(b)),
    )
    ax = new_axes(ax)
    _draw(ax, (a, b), pairs, to_diagonal, labels, colors)
    if legend:
        ax.legend(loc="lower right", fontsize="small")
    ax.set_title(title if title is not None else f"matching distance {matching.distance:.4g}")
    return ax


def _draw(ax: Any, dgms: tuple, pairs: np.ndarray, to_diagonal: tuple, labels, colors) -> None:
    """Segments under points: matched pairs solid, points matched to the diagonal dotted."""
    frame = frame_of(dgms)
    placed = [frame.place(d) for d in dgms]
    style = {"colors": "0.25", "linewidths": 1.0, "zorder": 2}
    matched = np.stack([placed[0][pairs[:, 0]], placed[1][pairs[:, 1]]], axis=1)
    _segments(ax, matched, "matched", "matched", style)
    diagonal = np.concatenate([_diagonal_segments(p, r) for p, r in zip(placed, to_diagonal)])
    _segments(
        ax,
        diagonal,
        "to diagonal",
        "to diagonal",
        {**style, "linestyles": (0, (2, 2)), "colors": "0.45"},
    )
    for points, gid, label, color, marker in zip(placed, "ab", labels, colors, "os"):
        ax.scatter(
            points[:, 0], points[:, 1], s=22, color=color, marker=marker, label=label, zorder=3
        ).set_gid(gid)
    decorate_diagram(ax, frame, has_infinite(dgms, 0), has_infinite(dgms, 1))
