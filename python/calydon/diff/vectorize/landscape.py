"""Persistence landscapes (Bubenik, JMLR 16, 2015), differentiable, on one diagram or a batch.

The point (b, d) is the tent ``max(0, (d - b)/2 - |x - (b + d)/2|)``; the k-th landscape at x is
the k-th largest tent value there. The ranking runs without autograd, in chunks of points (a
running top-k), so it needs O(B * (k + chunk) * R) memory; the k selected tents are then
recomputed with autograd, so backward keeps O(B * k * R), never O(B * N * R).
"""

from __future__ import annotations

import math
from typing import Any

import torch

from . import _common
from ._common import check_bool, check_positive_int, finish, prepare
from ._grid import check_range, require_complete, sample_grid


def _tents(mid: torch.Tensor, half: torch.Tensor, grid: torch.Tensor) -> torch.Tensor:
    """(B, R, c) tent values of (B, c) points; the points last, for a contiguous top-k."""
    return torch.relu(half.unsqueeze(1) - (grid.unsqueeze(-1) - mid.unsqueeze(1)).abs())


def _top_indices(mid, half, mask, grid, k: int) -> torch.Tensor:
    """(B, k, R) row indices of the k largest tents at each sample, descending; -1 stands for a
    zero tent beyond the diagram's size (gudhi pads with zeros when k > N)."""
    n_batch, n_points = mid.shape
    resolution = grid.shape[0]
    best = mid.new_zeros((n_batch, resolution, k))
    best_rows = torch.full((n_batch, resolution, k), -1, dtype=torch.long, device=mid.device)
    chunk = max(1, _common.CHUNK_BUDGET // max(1, n_batch * resolution))
    with torch.no_grad():
        for start in range(0, n_points, chunk):
            stop = min(start + chunk, n_points)
            tents = _tents(mid[:, start:stop], half[:, start:stop], grid)
            tents = tents * mask[:, None, start:stop]
            best, picked = torch.cat([best, tents], -1).topk(k, dim=-1)
            # picked < k: a previous winner (its row from best_rows); else row start + picked - k
            previous = best_rows.gather(-1, picked.clamp(max=k - 1))
            best_rows = torch.where(picked < k, previous, picked + (start - k))
    return best_rows.transpose(1, 2)


def _selected_tents(mid, half, mask, rows: torch.Tensor, grid: torch.Tensor) -> torch.Tensor:
    """(B, k, R): sqrt(2) times the tents of the selected rows (-1: zero), with autograd."""
    n_batch = rows.shape[0]
    flat = rows.clamp(min=0).reshape(n_batch, -1)
    keep = (rows >= 0) & mask.gather(1, flat).view_as(rows)
    picked_mid = mid.gather(1, flat).view_as(rows)
    picked_half = half.gather(1, flat).view_as(rows)
    values = torch.relu(picked_half - (grid - picked_mid).abs())
    return torch.where(keep, values, torch.zeros_like(values)) * math.sqrt(2.0)


def persistence_landscape(
    diagrams: torch.Tensor,
    mask: torch.Tensor | None = None,
    *,
    num_landscapes: int = 5,
    resolution: int = 100,
    sample_range: Any = None,
    keep_endpoints: bool = False,
    drop_essential: bool = False,
) -> torch.Tensor:
    """The first ``num_landscapes`` persistence landscapes of a diagram, or of each diagram of a
    padded batch, sampled on a grid.

    The values of ``gudhi.representations.Landscape(num_landscapes, resolution, sample_range,
    keep_endpoints=...)`` (its flat vector is ``result.flatten()``), including gudhi's factor
    sqrt(2) (tents measured along the diagonal); differentiable in the points (where two tents tie,
    the gradient follows one of them).

    Parameters
    ----------
    diagrams : torch.Tensor
        Shape (N, 2) of (birth, death) rows, or a padded batch (B, N, 2)
        (``calydon.diff.pad_diagrams``); a floating dtype (integers become float64), any device.
        Rows should have birth <= death.
    mask : torch.Tensor, optional
        Bool, shape ``diagrams.shape[:-1]``, False on padding rows; None: every row counts.
    num_landscapes : int, default 5
        k >= 1; landscapes beyond the number of points are zero.
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
        Shape (k, R), or (B, k, R) for a batch, in the diagrams' dtype and device: row j is the
        (j+1)-th landscape. Item i of a batch equals the call on item i alone.

    Raises
    ------
    TypeError, ValueError
        As ``persistence_image``, and for num_landscapes, resolution, sample_range and
        keep_endpoints.
    """
    api = "persistence_landscape"
    batch = prepare(diagrams, mask, drop_essential, api)
    k = check_positive_int(num_landscapes, "num_landscapes", api)
    resolution = check_positive_int(resolution, "resolution", api)
    keep_endpoints = check_bool(keep_endpoints, "keep_endpoints", api)
    bounds = check_range(sample_range, 2, "sample_range", api)
    require_complete(bounds, batch, "sample_range", api)
    grid = sample_grid(bounds, resolution, keep_endpoints, batch)
    mid = batch.points.sum(-1) / 2
    half = (batch.points[..., 1] - batch.points[..., 0]) / 2
    n_batch, n_points = mid.shape
    if n_points == 0:  # nothing to gather from: zero landscapes, still on the input's graph
        return finish(mid.new_zeros((n_batch, k, grid.shape[0])) + mid.sum(), batch)
    landscapes = _selected_tents(
        mid, half, batch.mask, _top_indices(mid, half, batch.mask, grid, k), grid
    )
    return finish(landscapes, batch)
