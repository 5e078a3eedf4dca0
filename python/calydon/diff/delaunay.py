"""Differentiable Delaunay filtrations: alpha, weak alpha and Čech–Delaunay.

C++ (CGAL) builds the Delaunay complex, sorts its cells by their exact float64 values and returns,
for every cell in sorted order, its *support*: the simplex whose smallest circumsphere gives the
value (alpha: the attaching simplex; weak alpha: the longest edge; Čech: the minimum enclosing
ball's support set). Torch then evaluates one vectorised squared-circumradius formula per
support size (2, 3 or 4 points) and gathers the results in the C++ sorted order, so every value
is attached to its own cell, ties included (no per-dimension torch sort, unlike the reference).

Values are squared radii (weak alpha: squared edge lengths |p - q|^2, not divided by 4, as in
the reference). Vertices have value 0 and pass no gradient. Flat triangles and tetrahedra (a
scale-free squared area or volume below 1e-40) take their longest squared edge / 4, in C++ and
in torch alike, so no value or gradient is infinite or NaN.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import torch

from .._delaunay import delaunay_core
from .._validate import check_n_threads
from ._tensor import differentiable_source, index_tensor, require_tensor
from .filtration import DiffFiltration

# Mirrors calydon::flat_simplex_threshold (delaunay_geometry.hpp).
FLAT_SIMPLEX_THRESHOLD = 1e-40


def _dot(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    # A matrix-vector product reduces the 2 or 3 columns several times faster than sum(dim=1).
    return (a * b) @ a.new_ones(a.shape[1])


def _guarded_ratio(num: torch.Tensor, den: torch.Tensor, fallback: torch.Tensor) -> torch.Tensor:
    """num / den where den is above the flatness threshold, else fallback; both branches finite,
    so the unused one cannot leak NaN into the gradient."""
    ok = den > FLAT_SIMPLEX_THRESHOLD
    return torch.where(ok, num / torch.where(ok, den, torch.ones_like(den)), fallback)


def circumradius_sq(vertices: torch.Tensor) -> torch.Tensor:
    """Squared radius of the smallest sphere through each row's points.

    Args:
        vertices: tensor (m, k, D), k = 1..4 points per row (k = 4 needs D = 3), D = 2 or 3.

    Returns:
        tensor (m,): 0 for k = 1, |p - q|^2 / 4 for k = 2, the circumradius^2 of the triangle or
        tetrahedron for k = 3, 4 (computed on coordinates scaled by their largest difference; a
        flat simplex falls back to its longest squared edge / 4).
    """
    m, k, dim = vertices.shape
    if k == 1:
        return vertices.new_zeros(m)
    if k == 4 and dim != 3 or k > 4:
        raise ValueError(f"circumradius_sq: rows of {k} points in {dim}-D are not supported")
    return _circumradius_sq_of_columns(vertices.unbind(1))


def _circumradius_sq_of_columns(columns: Sequence[torch.Tensor]) -> torch.Tensor:
    """circumradius_sq of rows given as k = 2..4 tensors (m, D), one per vertex: the builders
    gather each vertex column straight from the points, so backward() adds each column's gradient
    into the points once (no slice, stack or broadcast reductions to undo)."""
    # Edges from the first vertex, as (vertices[:, 1:] - vertices[:, :1]) would give them.
    edges = [p - columns[0] for p in columns[1:]]
    if len(edges) == 1:
        return _dot(edges[0], edges[0]) / 4
    # The squared radius is homogeneous of degree 2 in the edges, so scaling by a detached
    # constant changes neither the value nor the gradient, only the rounding (and overflow).
    scale = torch.stack([e.detach().abs().amax(dim=1) for e in edges], dim=1).amax(dim=1)
    divisor = torch.where(scale > 0, scale, torch.ones_like(scale))[:, None]
    edges = [e / divisor for e in edges]
    if len(edges) == 2:
        r_sq = _triangle_r_sq(*edges)
    else:
        r_sq = _tetrahedron_r_sq(*edges)
    return scale * scale * r_sq


def _triangle_r_sq(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    ba = b - a
    aa, bb, cc = _dot(a, a), _dot(b, b), _dot(ba, ba)
    if a.shape[1] == 2:
        ax, ay = a.unbind(1)
        bx, by = b.unbind(1)
        z = ax * by - ay * bx
        cross_sq = z * z
    else:
        ab = torch.linalg.cross(a, b, dim=1)
        cross_sq = _dot(ab, ab)
    longest = torch.maximum(torch.maximum(aa, bb), cc)
    return _guarded_ratio(aa * bb * cc, 4 * cross_sq, longest / 4)


def _tetrahedron_r_sq(a: torch.Tensor, b: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
    bc, ca, ab = (
        torch.linalg.cross(b, c, dim=1),
        torch.linalg.cross(c, a, dim=1),
        torch.linalg.cross(a, b, dim=1),
    )
    det = _dot(a, bc)
    aa, bb, cc = _dot(a, a), _dot(b, b), _dot(c, c)
    num = aa[:, None] * bc + bb[:, None] * ca + cc[:, None] * ab
    ba, ca_, cb = b - a, c - a, c - b
    longest = torch.stack([aa, bb, cc, _dot(ba, ba), _dot(ca_, ca_), _dot(cb, cb)], dim=1).amax(
        dim=1
    )
    return _guarded_ratio(_dot(num, num), 4 * det * det, longest / 4)


def _diff_delaunay(points: torch.Tensor, rule: str, api: str, n_threads: Any) -> DiffFiltration:
    require_tensor(points, "points", api)
    n_threads = check_n_threads(n_threads, api)
    fil, source, supports, _, _, _ = delaunay_core(
        points, rule, api, differentiable=True, n_threads=n_threads
    )
    src = differentiable_source(points)
    pts = src if src.dtype == torch.float64 else src.to(torch.float64)
    device = pts.device
    parts = [pts.new_zeros(1)]
    for rows in supports:
        if len(rows) == 0:
            continue
        columns = [
            pts.index_select(0, index_tensor(rows[:, j], device)) for j in range(rows.shape[1])
        ]
        if rule == "weak_alpha":
            d = columns[1] - columns[0]
            parts.append(_dot(d, d))
        else:
            parts.append(_circumradius_sq_of_columns(columns))
    r_sq = torch.cat(parts)
    values = _trust_exact_values(r_sq.index_select(0, index_tensor(source, device)), fil)
    return DiffFiltration(fil, values.to(src.dtype))


def _trust_exact_values(values: torch.Tensor, fil) -> torch.Tensor:
    """The float64 formula loses every digit on nearly flat, nearly cospherical cells (slivers),
    where C++ computes the radius exactly: there the exact value is kept, with the formula's
    gradient (a straight-through estimate), so diagrams never disagree with the filtration."""
    exact = torch.as_tensor(np.asarray(fil.values()), dtype=values.dtype, device=values.device)
    off = (values.detach() - exact).abs() > 1e-9 * exact.abs().clamp_min(1e-300)
    if not bool(off.any()):
        return values
    return torch.where(off, exact + (values - values.detach()), values)


def alpha_filtration(points: torch.Tensor, *, n_threads: int | None = None) -> DiffFiltration:
    """Differentiable alpha filtration of a 2-D or 3-D point cloud (values = squared radii).

    A simplex's value is the squared radius of its smallest empty circumsphere, or, when it is
    attached, its attaching coface's value; torch recomputes it from that simplex's vertices.

    Parameters
    ----------
    points : torch.Tensor, shape (n, 2) or (n, 3)
        Any real dtype and device, finite. Float64 is advised; other dtypes are evaluated in
        float64 and cast back.
    n_threads : int, optional
        None (one thread) or a positive int: the builder's faces, values and sort run on that
        many threads, and so does a 3-D triangulation of 2000 points or more when calydon was
        built with TBB (``calydon._core.HAVE_PARALLEL_DELAUNAY``); the result does not depend
        on it.

    Returns
    -------
    DiffFiltration
        Kind ``"alpha"``; ``values[i]`` (shape (n_cells,), dtype and device of ``points``) is the
        differentiable value of the cell with sorted id ``i``; gradients flow back to ``points``.
    """
    return _diff_delaunay(points, "alpha", "diff.alpha_filtration", n_threads)


def weak_alpha_filtration(points: torch.Tensor, *, n_threads: int | None = None) -> DiffFiltration:
    """Differentiable weak alpha filtration: each Delaunay simplex takes |p - q|^2 of its longest
    edge (the squared length, not divided by 4).

    Parameters
    ----------
    points : torch.Tensor, shape (n, 2) or (n, 3)
        Any real dtype and device, finite. Float64 is advised; other dtypes are evaluated in
        float64 and cast back.
    n_threads : int, optional
        None (one thread) or a positive int: the builder's faces, values and sort run on that
        many threads, and so does a 3-D triangulation of 2000 points or more when calydon was
        built with TBB (``calydon._core.HAVE_PARALLEL_DELAUNAY``); the result does not depend
        on it.

    Returns
    -------
    DiffFiltration
        Kind ``"weak_alpha"``; ``values`` of shape (n_cells,) as in ``alpha_filtration``.
    """
    return _diff_delaunay(points, "weak_alpha", "diff.weak_alpha_filtration", n_threads)


def cech_delaunay_filtration(
    points: torch.Tensor, *, n_threads: int | None = None
) -> DiffFiltration:
    """Differentiable Čech–Delaunay filtration: each Delaunay simplex takes the squared radius of
    the minimum enclosing ball of its vertices, recomputed in torch from the ball's support set.

    Parameters
    ----------
    points : torch.Tensor, shape (n, 2) or (n, 3)
        Any real dtype and device, finite. Float64 is advised; other dtypes are evaluated in
        float64 and cast back.
    n_threads : int, optional
        None (one thread) or a positive int: the builder's faces, values and sort run on that
        many threads, and so does a 3-D triangulation of 2000 points or more when calydon was
        built with TBB (``calydon._core.HAVE_PARALLEL_DELAUNAY``); the result does not depend
        on it.

    Returns
    -------
    DiffFiltration
        Kind ``"cech_delaunay"``; ``values`` of shape (n_cells,) as in ``alpha_filtration``.
    """
    return _diff_delaunay(points, "cech", "diff.cech_delaunay_filtration", n_threads)
