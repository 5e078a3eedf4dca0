"""Differentiable Delaunay filtrations: alpha, weak alpha and Čech–Delaunay.

C++ (CGAL) builds the Delaunay complex, sorts its cells by their exact float64 values and returns,
for every cell in sorted order, its *support*: the simplex whose smallest circumsphere gives the
value (alpha: the attaching simplex; weak alpha: the longest edge; Čech: the minimum enclosing
ball's support set). One squared-circumradius formula per support size (2, 3 or 4 points) is
evaluated (in C++ with a closed-form gradient on CPU tensors, in torch on other devices) and
gathered in the C++ sorted order, so every value is attached to its own cell, ties included (no
per-dimension torch sort, unlike the reference).
The builders return a ``DiffDelaunayFiltration``: ``values`` is evaluated when first read, and
``persistence_diagram`` evaluates only the values of the diagrams' cells.

Values are squared radii (weak alpha: squared edge lengths |p - q|^2, not divided by 4, as in
the reference). Vertices have value 0 and pass no gradient. Flat triangles and tetrahedra (a
scale-free squared area or volume below 1e-40) take their longest squared edge / 4, in C++ and
in torch alike, so no value or gradient is infinite or NaN.
"""

from __future__ import annotations

from typing import Any

import torch

from .._delaunay import delaunay_core
from .._validate import check_n_threads
from ._circumradius import FLAT_SIMPLEX_THRESHOLD, circumradius_sq
from ._delaunay_filtration import DiffDelaunayFiltration
from ._tensor import require_tensor

__all__ = [
    "FLAT_SIMPLEX_THRESHOLD",
    "DiffDelaunayFiltration",
    "alpha_filtration",
    "cech_delaunay_filtration",
    "circumradius_sq",
    "weak_alpha_filtration",
]


def _diff_delaunay(
    points: torch.Tensor, rule: str, api: str, n_threads: Any
) -> DiffDelaunayFiltration:
    require_tensor(points, "points", api)
    n_threads = check_n_threads(n_threads, api)
    # On several threads the supports are indexed during the persistence call, on one thread
    # beside the pairs, whose middle reduction leaves it idle (DiffDelaunayFiltration).
    fil, source, supports, _, _, _ = delaunay_core(
        points, rule, api, differentiable=True, n_threads=n_threads, defer_supports=n_threads > 1
    )
    return DiffDelaunayFiltration(fil, points, source, supports, rule, n_threads)


def alpha_filtration(
    points: torch.Tensor, *, n_threads: int | None = None
) -> DiffDelaunayFiltration:
    """Differentiable alpha filtration of a 2-D or 3-D point cloud (values = squared radii).

    A simplex's value is the squared radius of its smallest empty circumsphere, or, when it is
    attached, its attaching coface's value; it is recomputed from that simplex's vertices, with
    its gradient.

    Parameters
    ----------
    points : torch.Tensor, shape (n, 2) or (n, 3)
        Any real dtype and device, finite. Float64 is advised; other dtypes are evaluated in
        float64 and cast back.
    n_threads : int, optional
        None (one thread) or a positive int: the builder's faces, values and sort, a 3-D
        triangulation of 2000 points or more (slabs triangulated at once, then merged), and the
        values' forward and backward on CPU run on that many threads; the result does not
        depend on it.

    Returns
    -------
    DiffDelaunayFiltration
        A ``DiffFiltration`` of kind ``"alpha"``; ``values[i]`` (shape (n_cells,), dtype and
        device of ``points``) is the differentiable value of the cell with sorted id ``i``,
        evaluated when first read (``persistence_diagram`` evaluates only its diagrams' cells);
        gradients flow back to ``points``.
    """
    return _diff_delaunay(points, "alpha", "diff.alpha_filtration", n_threads)


def weak_alpha_filtration(
    points: torch.Tensor, *, n_threads: int | None = None
) -> DiffDelaunayFiltration:
    """Differentiable weak alpha filtration: each Delaunay simplex takes |p - q|^2 of its longest
    edge (the squared length, not divided by 4).

    Parameters
    ----------
    points : torch.Tensor, shape (n, 2) or (n, 3)
        Any real dtype and device, finite. Float64 is advised; other dtypes are evaluated in
        float64 and cast back.
    n_threads : int, optional
        None (one thread) or a positive int: the builder's faces, values and sort, a 3-D
        triangulation of 2000 points or more (slabs triangulated at once, then merged), and the
        values' forward and backward on CPU run on that many threads; the result does not
        depend on it.

    Returns
    -------
    DiffDelaunayFiltration
        A ``DiffFiltration`` of kind ``"weak_alpha"``; ``values`` of shape (n_cells,) as in
        ``alpha_filtration``.
    """
    return _diff_delaunay(points, "weak_alpha", "diff.weak_alpha_filtration", n_threads)


def cech_delaunay_filtration(
    points: torch.Tensor, *, n_threads: int | None = None
) -> DiffDelaunayFiltration:
    """Differentiable Čech–Delaunay filtration: each Delaunay simplex takes the squared radius of
    the minimum enclosing ball of its vertices, recomputed from the ball's support set.

    Parameters
    ----------
    points : torch.Tensor, shape (n, 2) or (n, 3)
        Any real dtype and device, finite. Float64 is advised; other dtypes are evaluated in
        float64 and cast back.
    n_threads : int, optional
        None (one thread) or a positive int: the builder's faces, values and sort, a 3-D
        triangulation of 2000 points or more (slabs triangulated at once, then merged), and the
        values' forward and backward on CPU run on that many threads; the result does not
        depend on it.

    Returns
    -------
    DiffDelaunayFiltration
        A ``DiffFiltration`` of kind ``"cech_delaunay"``; ``values`` of shape (n_cells,) as in
        ``alpha_filtration``.
    """
    return _diff_delaunay(points, "cech", "diff.cech_delaunay_filtration", n_threads)
