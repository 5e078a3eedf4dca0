"""Betti curves, exact or smoothed (differentiable), on one diagram or a batch.

The exact curve counts, at each sample x, ``#{b <= x} - #{d <= x}`` (sorted ends and
searchsorted: O(N log N), exact integers): the points alive at x,
``b <= x < d`` (gudhi's convention). It is piecewise constant, so its gradient is zero almost
everywhere and we return it without an autograd graph. The smoothed curve replaces each step by a
logistic sigmoid of width ``temperature``:

    beta_T(x) = sum_j sigmoid((x - b_j) / T) - sigmoid((x - d_j) / T),

smooth in the points, and equal to the exact curve as T -> 0 away from births and deaths (at
x = b_j exactly it counts 1/2).
"""

from __future__ import annotations

from typing import Any

import torch

from ._common import (
    check_bool,
    check_positive_int,
    check_temperature,
    finish,
    prepare,
    sum_over_points,
)
from ._grid import check_range, require_complete, sample_grid


def _sum_below(ends: torch.Tensor, values: torch.Tensor, grid: torch.Tensor) -> torch.Tensor:
    """(B, R): ``sum_j values_j [ends_j <= x]`` at each sample, by sorting the ends once and
    reading prefix sums at ``searchsorted`` positions: O(B (N log N + R log N)) time, O(B N)
    memory. With unit values the prefix sums are integers, so the counts are exact."""
    n_batch = ends.shape[0]
    order = ends.argsort(1)
    sorted_ends = ends.gather(1, order).contiguous()
    prefix = torch.cumsum(values.gather(1, order), 1)
    prefix = torch.cat([prefix.new_zeros((n_batch, 1)), prefix], 1)
    samples = grid.expand(n_batch, -1).contiguous()
    return prefix.gather(1, torch.searchsorted(sorted_ends, samples, right=True))


def interval_sum(
    births: torch.Tensor,
    deaths: torch.Tensor,
    values: torch.Tensor,
    grid: torch.Tensor,
    temperature: float | None,
) -> torch.Tensor:
    """(B, R): sum over points of ``values_j * ([b_j <= x] - [d_j <= x])`` at each sample x
    (hard; ``[b_j <= x < d_j]`` when b_j <= d_j), or the sigmoid-smoothed steps with
    ``temperature``. ``values`` is 0 on masked rows. The hard sum is differentiable in
    ``values`` only; the smoothed one in the points too (chunked, see ``sum_over_points``)."""
    if temperature is None:
        return _sum_below(births, values, grid) - _sum_below(deaths, values, grid)

    def term(b: torch.Tensor, d: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
        steps = torch.sigmoid((grid - b.unsqueeze(-1)) / temperature)
        steps = steps - torch.sigmoid((grid - d.unsqueeze(-1)) / temperature)
        return torch.einsum("bcr,bc->br", steps, v)

    return sum_over_points(term, [births, deaths, values], grid.shape[0])


def betti_curve(
    diagrams: torch.Tensor,
    mask: torch.Tensor | None = None,
    *,
    resolution: int = 100,
    sample_range: Any = None,
    keep_endpoints: bool = False,
    temperature: float | None = None,
    drop_essential: bool = False,
) -> torch.Tensor:
    """Betti curve of a diagram, or of each diagram of a padded batch, sampled on a grid;
    differentiable when ``temperature`` is given.

    With ``temperature=None``: the values of ``gudhi.representations.BettiCurve(resolution,
    sample_range, keep_endpoints=...)``, the number of points with ``b <= x < d`` at each sample x
    (in the diagrams' float dtype, no autograd graph). With ``temperature=T > 0``:
    ``sum_j sigmoid((x - b_j)/T) - sigmoid((x - d_j)/T)``, a smooth surrogate whose gradient moves
    births and deaths across the samples; T is in filtration units (a fraction of the sample
    spacing keeps it close to the counts).

    Parameters
    ----------
    diagrams : torch.Tensor
        Shape (N, 2) of (birth, death) rows, or a padded batch (B, N, 2)
        (``calydon.diff.pad_diagrams``); a floating dtype (integers become float64), any device.
    mask : torch.Tensor, optional
        Bool, shape ``diagrams.shape[:-1]``, False on padding rows; None: every row counts.
    resolution : int, default 100
        R >= 1 samples.
    sample_range : sequence of 2 floats, optional
        ``(x_min, x_max)``; the samples are ``linspace(x_min, x_max, R)``. None or NaN ends are
        computed from the diagram (min birth, max death) and, unless ``keep_endpoints``, left out
        of the samples, as gudhi does; a batch needs both.
    keep_endpoints : bool, default False
        With a computed end, whether it is a sample (gudhi's flag).
    temperature : float, optional
        None (exact counts) or the sigmoid width T, a finite number > 0.
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
        As ``persistence_image``, and for resolution, sample_range, keep_endpoints and
        temperature.
    """
    api = "betti_curve"
    batch = prepare(diagrams, mask, drop_essential, api)
    resolution = check_positive_int(resolution, "resolution", api)
    keep_endpoints = check_bool(keep_endpoints, "keep_endpoints", api)
    temperature = check_temperature(temperature, api)
    bounds = check_range(sample_range, 2, "sample_range", api)
    require_complete(bounds, batch, "sample_range", api)
    grid = sample_grid(bounds, resolution, keep_endpoints, batch)
    points = batch.points if temperature is not None else batch.points.detach()
    ones = batch.mask.to(points.dtype)
    curve = interval_sum(points[..., 0], points[..., 1], ones, grid, temperature)
    return finish(curve, batch)
