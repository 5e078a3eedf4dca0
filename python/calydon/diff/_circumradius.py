"""The squared-circumradius formulas of the differentiable Delaunay filtrations, in torch.

One vectorised formula per support size (2, 3 or 4 points). Flat triangles and tetrahedra (a
scale-free squared area or volume below 1e-40) take their longest squared edge / 4, as in C++,
so no value or gradient is infinite or NaN.
"""

from __future__ import annotations

from typing import Sequence

import torch

# Mirrors calydon::flat_simplex_threshold (delaunay_geometry.hpp).
FLAT_SIMPLEX_THRESHOLD = 1e-40


def dot_rows(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
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
    return circumradius_sq_of_columns(vertices.unbind(1))


def circumradius_sq_of_columns(columns: Sequence[torch.Tensor]) -> torch.Tensor:
    """circumradius_sq of rows given as k = 2..4 tensors (m, D), one per vertex: the builders
    gather each vertex column straight from the points, so backward() adds each column's gradient
    into the points once (no slice, stack or broadcast reductions to undo)."""
    # Edges from the first vertex, as (vertices[:, 1:] - vertices[:, :1]) would give them.
    edges = [p - columns[0] for p in columns[1:]]
    if len(edges) == 1:
        return dot_rows(edges[0], edges[0]) / 4
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
    aa, bb, cc = dot_rows(a, a), dot_rows(b, b), dot_rows(ba, ba)
    if a.shape[1] == 2:
        ax, ay = a.unbind(1)
        bx, by = b.unbind(1)
        z = ax * by - ay * bx
        cross_sq = z * z
    else:
        ab = torch.linalg.cross(a, b, dim=1)
        cross_sq = dot_rows(ab, ab)
    longest = torch.maximum(torch.maximum(aa, bb), cc)
    return _guarded_ratio(aa * bb * cc, 4 * cross_sq, longest / 4)


def _tetrahedron_r_sq(a: torch.Tensor, b: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
    bc, ca, ab = (
        torch.linalg.cross(b, c, dim=1),
        torch.linalg.cross(c, a, dim=1),
        torch.linalg.cross(a, b, dim=1),
    )
    det = dot_rows(a, bc)
    aa, bb, cc = dot_rows(a, a), dot_rows(b, b), dot_rows(c, c)
    num = aa[:, None] * bc + bb[:, None] * ca + cc[:, None] * ab
    ba, ca_, cb = b - a, c - a, c - b
    longest = torch.stack(
        [aa, bb, cc, dot_rows(ba, ba), dot_rows(ca_, ca_), dot_rows(cb, cb)], dim=1
    ).amax(dim=1)
    return _guarded_ratio(dot_rows(num, num), 4 * det * det, longest / 4)
