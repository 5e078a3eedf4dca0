"""plot_diagram_gradient: each diagram point with an arrow along -grad."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..distance import as_diagram
from ._frame import decorate_diagram, frame_of, has_infinite
from ._input import per_dimension, select_dimensions
from ._mpl import dimension_color, new_axes

API = "plot_diagram_gradient"


def _matching_grads(chosen: dict, grad: Any) -> dict[int, np.ndarray]:
    """The gradient of every chosen dimension, same shape as its diagram, finite."""
    grads = per_dimension(grad, "grad", API)
    if grads is None:
        if len(chosen) != 1:
            raise ValueError(
                f"{API}: grad must hold one gradient per drawn dimension {sorted(chosen)}, "
                f"got a single array"
            )
        grads = {next(iter(chosen)): as_diagram(grad, "grad", API)}
    out = {}
    for dim, dgm in chosen.items():
        g = grads.get(dim)
        if g is None or g.shape != dgm.shape:
            shape = None if g is None else g.shape
            raise ValueError(
                f"{API}: grad must match dgm's shape in dimension {dim}, "
                f"expected {dgm.shape}, got {shape}"
            )
        if not np.isfinite(g).all():
            raise ValueError(
                f"{API}: grad must be finite, got a non-finite entry in dimension {dim}"
            )
        out[dim] = g
    return out


def _descent_steps(chosen: dict, grads: dict, step: Any) -> tuple[dict, float]:
    """Per dimension the (n, 2) displacement -step * grad (zero along an infinite coordinate,
    which no step moves); ``step=None`` makes the longest arrow 15% of the finite range."""
    if step is None:
        frame = frame_of(chosen.values())
        longest = max(
            (float(np.linalg.norm(g, axis=1).max()) for g in grads.values() if g.size), default=0.0
        )
        step = 0.15 * (frame.hi - frame.lo or 1.0) / longest if longest > 0 else 1.0
    elif isinstance(step, bool) or not isinstance(step, (int, float, np.integer, np.floating)):
        raise TypeError(f"{API}: step must be a positive float or None, got {type(step).__name__}")
    elif not (np.isfinite(step) and step > 0):
        raise ValueError(f"{API}: step must be a positive finite float or None, got {step!r}")
    moves = {}
    for dim, dgm in chosen.items():
        moves[dim] = np.where(np.isfinite(dgm), -float(step) * grads[dim], 0.0)
    return moves, float(step)


def plot_diagram_gradient(
    dgm: Any,
    grad: Any,
    *,
    dims: Any = None,
    step: float | None = None,
    ax: Any = None,
    colors: Any = None,
    legend: bool = True,
    title: str | None = None,
) -> Any:
    """Draw diagram points with arrows along -grad: where a gradient-descent step moves them.

    Parameters
    ----------
    dgm : array-like, torch.Tensor, calydon.Diagrams, PersistenceDiagrams, list or dict
        One (n, 2) diagram of (birth, death) rows, or one per dimension as in ``plot_diagram``
        (tensors are detached).
    grad : same kinds as ``dgm``
        d loss / d dgm, float, the same shape as ``dgm`` in every drawn dimension, finite (e.g.
        ``torch.autograd.grad(loss, dgms[1])[0]``, or a tuple/dict of those per dimension).
    dims : int or sequence of int, optional
        Dimensions to draw (default: all of ``dgm``).
    step : float, optional
        The learning rate: an arrow goes from p to p - step * grad(p), in data units. Default:
        the longest arrow is 15% of the diagram's finite range.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is made when None.
    colors : mapping or sequence, optional
        ``colors[dim]`` is the colour of dimension ``dim`` (default: the tab10 palette).
    legend : bool
        Draw a legend.
    title : str, optional
        Axes title; default "-grad, step <step>".

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on: per dimension d a ``PathCollection`` with gid ``"H{d}"`` (the points)
        and a ``Quiver`` with gid ``"grad H{d}"`` (one arrow per point, ``U, V = -step * grad``;
        a component along an infinite coordinate of an essential point is 0), plus the diagonal
        and the '∞' line. The limits hold every point and every arrow tip.

    Raises
    ------
    TypeError, ValueError
        Bad diagrams, a gradient of another shape or with NaN/inf, or a bad ``step``.
    """
    chosen = select_dimensions(dgm, dims, "dgm", API)
    grads = _matching_grads(chosen, grad)
    moves, step = _descent_steps(chosen, grads, step)
    ax = new_axes(ax)
    tips = [np.where(np.isfinite(d), d + moves[k], d) for k, d in chosen.items()]
    frame = frame_of([*chosen.values(), *tips])
    for dim, dgm_d in chosen.items():
        placed, color = frame.place(dgm_d), dimension_color(dim, colors)
        ax.scatter(
            placed[:, 0], placed[:, 1], s=20, color=color, label=f"H{dim}", zorder=3
        ).set_gid(f"H{dim}")
        arrows = ax.quiver(
            placed[:, 0],
            placed[:, 1],
            moves[dim][:, 0],
            moves[dim][:, 1],
            color=color,
            angles="xy",
            scale_units="xy",
            scale=1.0,
            width=0.004,
            minlength=0.0,
            zorder=4,
        )
        arrows.set_gid(f"grad H{dim}")
    values = list(chosen.values())
    decorate_diagram(ax, frame, has_infinite(values, 0), has_infinite(values, 1))
    if legend:
        ax.legend(loc="lower right", fontsize="small")
    ax.set_title(title if title is not None else f"-grad, step {step:.3g}")
    return ax
