"""Squared circumradii of Delaunay support simplices on CPU tensors, forward and backward in C++.

The torch formula (``_circumradius.py``) builds some thirty tensor operations per support size,
and its backward twice that; for the 10^5 supports of a 10k-point alpha complex they cost more
than the persistence pairs. C++ evaluates the same formula, and its gradient in closed form
(d r^2 / d p_i = 2 lambda_i (p_i - c), lambda the circumcentre's barycentric coordinates), on
the builder's threads; when the values are known already (the Delaunay filtration's own), the
forward returns them and only the backward computes. A backward that must itself be
differentiable (``create_graph=True``) differentiates the torch formula instead, so higher
derivatives keep working; forward-mode AD and torch.func transforms run the torch formula from
the start.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import torch
import torch.autograd.forward_ad as fwAD

from .._core import support_radii_sq, support_radii_sq_gradient
from ._circumradius import circumradius_sq_of_columns
from ._tensor import index_tensor


def _torch_formula(points: torch.Tensor, rows_by_size: Sequence[np.ndarray]) -> torch.Tensor:
    parts = []
    for rows in rows_by_size:
        columns = [
            points.index_select(0, index_tensor(rows[:, j], points.device))
            for j in range(rows.shape[1])
        ]
        parts.append(circumradius_sq_of_columns(columns))
    return torch.cat(parts) if parts else points.new_zeros(0)


def _needs_torch_ops(points: torch.Tensor) -> bool:
    """Whether autograd must see torch operations rather than the C++ Function: forward-mode AD
    (a dual tensor: the Function has no jvp) and torch.func transforms (wrapped tensors, which
    have no numpy view)."""
    if fwAD.unpack_dual(points).tangent is not None:
        return True
    is_wrapped = getattr(torch._C._functorch, "is_functorch_wrapped_tensor", None)
    return bool(is_wrapped is not None and is_wrapped(points))


class _SupportRadiiSq(torch.autograd.Function):
    @staticmethod
    def forward(ctx, points, rows_by_size, n_threads, known):
        coords = np.ascontiguousarray(points.detach().numpy())
        ctx.save_for_backward(points)
        ctx.rows_by_size, ctx.n_threads, ctx.coords = rows_by_size, n_threads, coords
        if known is not None:
            return torch.from_numpy(known)
        parts = [
            torch.from_numpy(support_radii_sq(coords, rows, n_threads)) for rows in rows_by_size
        ]
        return torch.cat(parts) if parts else points.new_zeros(0)

    @staticmethod
    def backward(ctx, grad):
        (points,) = ctx.saved_tensors
        if torch.is_grad_enabled():  # create_graph=True: a differentiable backward
            r_sq = _torch_formula(points, ctx.rows_by_size)
            (grad_points,) = torch.autograd.grad(r_sq, points, grad, create_graph=True)
            return grad_points, None, None, None
        g = np.ascontiguousarray(grad.detach().numpy(), dtype=np.float64)
        total = np.zeros_like(ctx.coords)
        start = 0
        for rows in ctx.rows_by_size:
            stop = start + len(rows)
            total += support_radii_sq_gradient(ctx.coords, rows, g[start:stop], ctx.n_threads)
            start = stop
        return torch.from_numpy(total), None, None, None


def uses_cpp_formula(points: torch.Tensor) -> bool:
    """Whether ``support_radii_sq_of_rows`` runs C++ on these points (and so takes ``known``)."""
    return points.device.type == "cpu" and not _needs_torch_ops(points)


def support_radii_sq_of_rows(
    points: torch.Tensor,
    rows_by_size: Sequence[np.ndarray],
    n_threads: int,
    known: np.ndarray | None = None,
) -> torch.Tensor:
    """Squared circumradius of each support row, concatenated over ``rows_by_size`` (int64
    arrays (m_k, k) of point indices, k = 2..4).

    Args:
        points: float64 tensor (n, D), D = 2 or 3, any device; it may require grad.
        rows_by_size: non-empty row arrays, in the order of the result.
        n_threads: threads for the C++ forward and backward (CPU tensors).
        known: optional float64 array (sum of m_k,): the rows' values already computed (the
            filtration's exact ones). On the C++ path (``uses_cpp_formula``) they are returned
            as they are, with the formula's gradient, and the forward computes nothing.

    Returns:
        float64 tensor (sum of m_k,) on the points' device, differentiable in the points.
    """
    if not uses_cpp_formula(points):
        return _torch_formula(points, rows_by_size)
    rows_by_size = [np.ascontiguousarray(rows, dtype=np.int64) for rows in rows_by_size]
    if known is not None:
        known = np.ascontiguousarray(known, dtype=np.float64)
        if known.shape != (sum(len(rows) for rows in rows_by_size),):
            raise ValueError(f"known must have one value per support row, got {known.shape}")
    return _SupportRadiiSq.apply(points, rows_by_size, n_threads, known)
