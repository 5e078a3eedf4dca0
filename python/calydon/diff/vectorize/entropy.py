"""Persistent entropy (Atienza et al., arXiv:1803.08304): the Shannon entropy of the lifetimes
normalised to sum to one, as a scalar, or as the entropy summary function sampled on a grid;
differentiable, on one diagram or a batch."""

from __future__ import annotations

from typing import Any

import torch

from ._common import (
    check_bool,
    check_positive_int,
    check_temperature,
    finish,
    prepare,
)
from ._grid import check_range, require_complete, sample_grid
from .betti import interval_sum


def _entropy_terms(points: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """(B, N): ``-p_j log p_j`` with ``p_j = l_j / sum l``, ``l`` the lifetimes; 0 where
    ``p_j <= 0`` (masked rows, zero lifetimes; 0 log 0 = 0, with gradient 0 there)."""
    lifetimes = points[..., 1] - points[..., 0]
    lifetimes = torch.where(mask, lifetimes, torch.zeros_like(lifetimes))
    total = lifetimes.sum(1, keepdim=True)
    safe_total = torch.where(total != 0, total, torch.ones_like(total))
    p = lifetimes / safe_total
    positive = p > 0
    safe_p = torch.where(positive, p, torch.ones_like(p))
    return torch.where(positive, -safe_p * torch.log(safe_p), torch.zeros_like(p))


def _summary(points, terms, grid, normalized: bool, temperature: float | None) -> torch.Tensor:
    """(B, R) entropy summary function, divided by its L1 norm if ``normalized`` (0 stays 0)."""
    if temperature is None:  # the steps are constants; the gradient goes through the terms
        points = points.detach()
    summary = interval_sum(points[..., 0], points[..., 1], terms, grid, temperature)
    if not normalized:
        return summary
    norm = summary.abs().sum(1, keepdim=True)
    safe_norm = torch.where(norm != 0, norm, torch.ones_like(norm))
    return torch.where(norm != 0, summary / safe_norm, torch.zeros_like(summary))


def persistent_entropy(
    diagrams: torch.Tensor,
    mask: torch.Tensor | None = None,
    *,
    mode: str = "scalar",
    normalized: bool = True,
    resolution: int = 100,
    sample_range: Any = None,
    keep_endpoints: bool = False,
    temperature: float | None = None,
    drop_essential: bool = False,
) -> torch.Tensor:
    """Persistent entropy of a diagram, or of each diagram of a padded batch.

    ``mode="scalar"``: ``E = -sum_j p_j log p_j``, ``p_j = (d_j - b_j) / sum_k (d_k - b_k)``, the
    value of ``gudhi.representations.Entropy(mode="scalar")``. ``mode="vector"``: the entropy
    summary function ``S(x) = sum_j -p_j log p_j [b_j <= x < d_j]`` at each sample x, divided by
    its L1 norm over the samples if ``normalized``: the values of ``Entropy(mode="vector",
    normalized, resolution, sample_range)`` for a given ``sample_range`` (with a computed range
    gudhi's bins sit one sample spacing to the left of its own grid; we sample at the grid). With
    ``temperature`` the indicator is smoothed as in ``betti_curve``. Differentiable through the
    ``p_j``. Where gudhi gives NaN: a zero lifetime adds 0 (0 log 0 = 0, gradient 0), an empty
    diagram has entropy 0, an all-zero summary stays zero when normalised.

    Parameters
    ----------
    diagrams : torch.Tensor
        Shape (N, 2) of (birth, death) rows, or a padded batch (B, N, 2)
        (``calydon.diff.pad_diagrams``); a floating dtype (integers become float64), any device.
        Rows should have birth <= death (rows with d < b contribute 0).
    mask : torch.Tensor, optional
        Bool, shape ``diagrams.shape[:-1]``, False on padding rows; None: every row counts.
    mode : {"scalar", "vector"}, default "scalar"
        The entropy, or the entropy summary function on a grid.
    normalized : bool, default True
        Vector mode: divide the summary by its L1 norm over the samples.
    resolution : int, default 100
        Vector mode: R >= 1 samples.
    sample_range : sequence of 2 floats, optional
        Vector mode: ``(x_min, x_max)``, as in ``betti_curve``; a batch needs both ends.
    keep_endpoints : bool, default False
        Vector mode: with a computed end, whether it is a sample (gudhi's flag).
    temperature : float, optional
        Vector mode: None (exact indicator) or the sigmoid width T > 0, as in ``betti_curve``.
    drop_essential : bool, default False
        Ignore rows with an infinite coordinate; False raises ValueError on one.

    Returns
    -------
    torch.Tensor
        Scalar mode: 0-d, or shape (B,) for a batch. Vector mode: shape (R,), or (B, R). In the
        diagrams' dtype and device; item i of a batch equals the call on item i alone.

    Raises
    ------
    TypeError, ValueError
        As ``persistence_image``, and for mode and the vector-mode options.
    """
    api = "persistent_entropy"
    batch = prepare(diagrams, mask, drop_essential, api)
    if mode not in ("scalar", "vector"):
        raise ValueError(f"{api}: mode must be 'scalar' or 'vector', got {mode!r}")
    normalized = check_bool(normalized, "normalized", api)
    resolution = check_positive_int(resolution, "resolution", api)
    keep_endpoints = check_bool(keep_endpoints, "keep_endpoints", api)
    temperature = check_temperature(temperature, api)
    bounds = check_range(sample_range, 2, "sample_range", api)
    terms = _entropy_terms(batch.points, batch.mask)
    if mode == "scalar":
        return finish(terms.sum(1), batch)
    require_complete(bounds, batch, "sample_range", api)
    grid = sample_grid(bounds, resolution, keep_endpoints, batch)
    summary = _summary(batch.points, terms, grid, normalized, temperature)
    return finish(summary, batch)
