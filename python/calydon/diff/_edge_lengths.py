"""Differentiable Vietoris-Rips edge lengths, bit for bit the lengths the C++ core compares."""

from __future__ import annotations

import numpy as np
import torch

from ._tensor import differentiable_source, index_tensor

# Squared lengths in this range are summed without overflow or harmful underflow; outside it
# the differences are scaled by a power of two first (see include/calydon/rips/distances.hpp).
_SAFE_SQUARE_MIN = 2.0**-968
_SAFE_SQUARE_MAX = 2.0**1000


def _sum_of_squares(diff: torch.Tensor) -> torch.Tensor:
    """sum_k diff[:, k]^2 with the coordinates summed in order, as the core does.

    The columns come from one ``unbind``, whose backward stacks their gradients once; indexing
    ``diff[:, k]`` instead would make every column's backward fill and add a tensor of the whole
    shape (d times the work, most of a large Rips backward)."""
    columns = diff.unbind(1)
    squared = columns[0] * columns[0]
    for column in columns[1:]:
        squared = squared + column * column
    return squared


def _ieee_sqrt(x: torch.Tensor) -> torch.Tensor:
    """sqrt with the correctly rounded value of the core and torch's derivative.

    torch's CPU sqrt is not correctly rounded (1 ulp off on ~1% of inputs), the core's is: take
    the value from numpy's IEEE sqrt and the derivative from torch (the added term is 0). CUDA's
    sqrt is correctly rounded already, so GPU inputs skip this host round trip.
    """
    root = torch.sqrt(x)
    if root.device.type == "cpu":
        exact = torch.from_numpy(np.sqrt(x.detach().numpy()))
        root = exact + (root - root.detach())
    return root


def _scaled_lengths(diff: torch.Tensor) -> torch.Tensor:
    """Lengths of rows whose plain sum of squares over- or underflows: differences divided by
    2^e (e the binary exponent of the largest), the root multiplied back; exact scalings."""
    largest = diff.detach().abs().amax(dim=1).cpu().numpy()
    positive = (largest > 0) & np.isfinite(largest)
    _, exponent = np.frexp(np.where(positive, largest, 1.0))
    unit_np = np.ldexp(1.0, np.clip(exponent, -1022, 1023))
    unit = torch.from_numpy(unit_np).to(diff.device)
    squared = _sum_of_squares(diff / unit[:, None])
    keep = torch.from_numpy(positive).to(diff.device)
    root = _ieee_sqrt(torch.where(keep, squared, torch.ones_like(squared))) * unit
    fallback = torch.from_numpy(np.where(positive, 0.0, largest)).to(diff.device)
    return torch.where(keep, root, fallback)


def edge_lengths(
    source: torch.Tensor, from_pwdists: bool, u: torch.Tensor, v: torch.Tensor
) -> torch.Tensor:
    """Lengths of the edges (u[i], v[i]), differentiable, exactly as the C++ core computes them.

    Points: ``sqrt(sum_k (x_u[k] - x_v[k])^2)`` in float64 with the coordinates summed in order
    and an IEEE (correctly rounded) square root, so the results match the core bit for bit; a
    sum beyond the safe range (lengths above about 1e154 or below about 1e-146) is computed on
    differences scaled by a power of two, as the core does. Other dtypes (float16, bfloat16,
    float32) are evaluated in float64 and cast back. A zero-length edge (u == v, or coincident
    points) gets length 0 and gradient 0: the square root is only evaluated where the sum is
    positive, since its derivative at 0 is infinite and would turn into NaN. Distance matrices:
    the lower triangle ``D[max(u, v), min(u, v)]`` (the triangle the core reads), and for u == v
    the value 0 with the gradient of ``D[v, v]``, so a diagonal that is zero only up to rounding
    (torch.cdist) is read as 0.
    """
    if from_pwdists:
        entries = source[torch.maximum(u, v), torch.minimum(u, v)]
        return torch.where(u == v, entries - entries.detach(), entries)
    work = source if source.dtype == torch.float64 else source.to(torch.float64)
    diff = work[u] - work[v]
    squared = _sum_of_squares(diff)
    in_range = (squared >= _SAFE_SQUARE_MIN) & (squared <= _SAFE_SQUARE_MAX)
    safe = torch.where(in_range, squared, torch.ones_like(squared))
    lengths = torch.where(in_range, _ieee_sqrt(safe), torch.zeros_like(squared))
    outside = torch.nonzero(~in_range.detach()).squeeze(1)
    if len(outside):
        lengths = lengths.index_put((outside,), _scaled_lengths(diff[outside]))
    return lengths if source.dtype == torch.float64 else lengths.to(source.dtype)


def cell_lengths(
    data: torch.Tensor, n_points: int, from_pwdists: bool, edges: np.ndarray
) -> torch.Tensor:
    """Critical-edge length of every sorted cell, differentiable.

    Most cells share their critical edge with many others (a triangle's longest edge is an edge
    of the complex), so each distinct edge is measured once and the cells gather from it: the
    values are the same bits, and the backward is one scatter-add instead of a replay of the
    length computation per cell.
    """
    keys = edges[:, 0].astype(np.int64) * n_points + edges[:, 1]
    distinct, cell_to_edge = np.unique(keys, return_inverse=True)
    device = data.device
    u = index_tensor(distinct // n_points, device)
    v = index_tensor(distinct % n_points, device)
    lengths = edge_lengths(differentiable_source(data), from_pwdists, u, v)
    return lengths[index_tensor(cell_to_edge.reshape(-1), device)]
