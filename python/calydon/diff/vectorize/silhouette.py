"""Persistence silhouettes (Chazal et al., arXiv:1312.0308), differentiable, on one diagram or a
batch: the weighted mean of the points' tents, sampled on a grid. The sum over points runs in
chunks (checkpointed under autograd), so memory stays O(B * (N + chunk * R))."""

from __future__ import annotations

import math
from typing import Any, Callable

import torch

from ._common import (
    check_bool,
    check_positive_int,
    check_weight,
    finish,
    point_weights,
    prepare,
    sum_over_points,
)
from ._grid import check_range, require_complete, sample_grid


def _weighted_mean_tents(points, weights, grid: torch.Tensor) -> torch.Tensor:
    """(B, R): sqrt(2) sum_j w_j tent_j(x) / sum_j w_j, zero where the weights sum to zero."""
    mid = points.sum(-1) / 2
    half = (points[..., 1] - points[..., 0]) / 2

    def weighted_tents(m: torch.Tensor, h: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
        tents = torch.relu(h.unsqueeze(-1) - (grid - m.unsqueeze(-1)).abs())
        return torch.einsum("bcr,bc->br", tents, w)

    total = sum_over_points(weighted_tents, [mid, half, weights], grid.shape[0])
    weight_sum = weights.sum(1, keepdim=True)
    nonzero = weight_sum != 0
    safe_sum = torch.where(nonzero, weight_sum, torch.ones_like(weight_sum))
    return torch.where(nonzero, total / safe_sum, torch.zeros_like(total)) * math.sqrt(2.0)


def silhouette(
    diagrams: torch.Tensor,
    mask: torch.Tensor | None = None,
    *,
    weight: Callable[[torch.Tensor], Any] | None = None,
    resolution: int = 100,
    sample_range: Any = None,
    keep_endpoints: bool = False,
    drop_essential: bool = False,
) -> torch.Tensor:
    """Persistence silhouette of a diagram, or of each diagram of a padded batch.

    ``sqrt(2) * sum_j w_j * max(0, (d_j - b_j)/2 - |x - (b_j + d_j)/2|) / sum_j w_j`` at each
    sample x: the values of ``gudhi.representations.Silhouette(weight, resolution, sample_range,
    keep_endpoints=...)``, including its factor sqrt(2); differentiable in the points (and through
    the weights). A diagram whose weights sum to zero (e.g. an empty one) gives zeros, where gudhi
    gives NaN.

    Parameters
    ----------
    diagrams : torch.Tensor
        Shape (N, 2) of (birth, death) rows, or a padded batch (B, N, 2)
        (``calydon.diff.pad_diagrams``); a floating dtype (integers become float64), any device.
        Rows should have birth <= death.
    mask : torch.Tensor, optional
        Bool, shape ``diagrams.shape[:-1]``, False on padding rows; None: every row counts.
    weight : callable, optional
        Maps a (..., 2) tensor of (birth, death) rows (gudhi's coordinates for this class, unlike
        the persistence image) to a (...) tensor, row by row, e.g.
        ``lambda bd: (bd[..., 1] - bd[..., 0]) ** 2``, or returns a number. None: weight 1.
    resolution : int, default 100
        R >= 1 samples.
    sample_range : sequence of 2 floats, optional
        ``(x_min, x_max)``; the samples are ``linspace(x_min, x_max, R)``. None or NaN ends are
        computed from the diagram (min birth, max death) and, unless ``keep_endpoints``, left out
        of the samples, as gudhi does; a batch needs both.
    keep_endpoints : bool, default False
        With a computed end, whether it is a sample (gudhi's flag).
    drop_essential : bool, default False
        Ignore rows with an infinite coordinate; False raises ValueError on one.

    Returns
    -------
    torch.Tensor
        Shape (R,), or (B, R) for a batch, in the diagrams' dtype and device. Item i of a batch
        equals the call on item i alone.

    Raises
    ------
    TypeError, ValueError
        As ``persistence_image``, and for weight, resolution, sample_range and keep_endpoints.
    """
    api = "silhouette"
    batch = prepare(diagrams, mask, drop_essential, api)
    weight = check_weight(weight, api)
    resolution = check_positive_int(resolution, "resolution", api)
    keep_endpoints = check_bool(keep_endpoints, "keep_endpoints", api)
    bounds = check_range(sample_range, 2, "sample_range", api)
    require_complete(bounds, batch, "sample_range", api)
    grid = sample_grid(bounds, resolution, keep_endpoints, batch)
    weights = point_weights(weight, batch.points, batch, api)
    curve = _weighted_mean_tents(batch.points, weights, grid)
    return finish(curve, batch)
