"""Sliced Wasserstein distances between diagrams, vectorised over directions, on any device.

For a direction u = (cos t, sin t), t uniform in [0, pi), each diagram is projected on u together
with the diagonal projections of the other diagram's points, and the two 1-D point sets of equal
size are matched by sorting (W_1 on the line). The result is the mean over directions (not
normalised by pi, no power), plus the rank-matching cost of the essential points.
"""

from __future__ import annotations

import math

import numpy as np
import torch

from .._memory import require_fits
from .._validate import check_count
from ._tensor import zero_like_graph
from .wasserstein import diagram_and_target

# (family name, column tested for infinity, its sign, column holding the finite coordinate)
_FAMILIES = (
    ("(finite, +inf)", 1, 1.0, 0),
    ("(finite, -inf)", 1, -1.0, 0),
    ("(+inf, finite)", 0, 1.0, 1),
    ("(-inf, finite)", 0, -1.0, 1),
)


def _check_n_directions(n_directions, api: str) -> int:
    return check_count(n_directions, "n_directions", api)


def _require_fits(n_directions: int, n_points: int, itemsize: int, api: str) -> None:
    """Refuses, before anything is allocated, a direction count whose working arrays cannot fit:
    per direction, two lines of n_points values, their sort order (int64) and the gathered
    copies autograd keeps."""
    n_bytes = float(n_directions) * (2 * itemsize + 2 * max(n_points, 1) * (3 * itemsize + 8))
    require_fits(n_bytes, api, f"n_directions={n_directions}", "use fewer directions")


def _check_generator(generator, api: str):
    if generator is not None and not isinstance(generator, torch.Generator):
        raise TypeError(
            f"{api}: generator must be a torch.Generator or None, got {type(generator).__name__}"
        )
    return generator


def _essential_cost(a: torch.Tensor, b: torch.Tensor, api: str) -> torch.Tensor:
    total = zero_like_graph(a, b)
    for name, inf_col, sign, fin_col in _FAMILIES:
        in_a = torch.isfinite(a[:, fin_col]) & (a[:, inf_col] == sign * math.inf)
        in_b = torch.isfinite(b[:, fin_col]) & (b[:, inf_col] == sign * math.inf)
        count_a, count_b = int(in_a.sum()), int(in_b.sum())
        if count_a != count_b:
            raise ValueError(
                f"{api}: essential point counts must match in every family, got {count_a} vs "
                f"{count_b} points in family {name}"
            )
        if count_a:
            xa = torch.sort(a[in_a][:, fin_col]).values
            xb = torch.sort(b[in_b][:, fin_col]).values
            total = total + (xa - xb).abs().sum()
    return total


def _prepare(dgm1, dgm2, n_directions, ignore_inf_points, generator, api):
    """Validated inputs: (essential cost, finite points of dgm1 and dgm2, directions (2, K)), the
    directions being None when neither diagram has a finite point."""
    n_directions = _check_n_directions(n_directions, api)
    _check_generator(generator, api)
    if not isinstance(ignore_inf_points, bool):
        raise TypeError(
            f"{api}: ignore_inf_points must be a bool, got {type(ignore_inf_points).__name__}"
        )
    a, _, b, _ = diagram_and_target(dgm1, dgm2, ("dgm1", "dgm2"), api)
    _require_fits(n_directions, len(a) + len(b), a.element_size(), api)
    essential = zero_like_graph(a, b) if ignore_inf_points else _essential_cost(a, b, api)
    finite_a = a[torch.isfinite(a).all(dim=1)]
    finite_b = b[torch.isfinite(b).all(dim=1)]
    if len(finite_a) == 0 and len(finite_b) == 0:
        return essential, finite_a, finite_b, None
    return essential, finite_a, finite_b, _directions(n_directions, a, generator)


def _directions(n_directions: int, like: torch.Tensor, generator) -> torch.Tensor:
    """(2, K) unit vectors at angles uniform in [0, pi), drawn on the generator's device and
    moved to the diagrams' device."""
    source = generator.device if generator is not None else like.device
    theta = torch.rand(n_directions, generator=generator, device=source, dtype=like.dtype) * math.pi
    theta = theta.to(like.device)
    return torch.stack([torch.cos(theta), torch.sin(theta)])


def _line_coordinates(a: torch.Tensor, b: torch.Tensor, frozen: bool):
    """(births, deaths), each (2, n + m): row 0 holds a's points then b's diagonal projections
    ((b+d)/2, (b+d)/2), row 1 b's points then a's projections. ``frozen`` detaches the
    projections."""
    mid_a = 0.5 * (a[:, 0] + a[:, 1])
    mid_b = 0.5 * (b[:, 0] + b[:, 1])
    if frozen:
        mid_a, mid_b = mid_a.detach(), mid_b.detach()
    births = torch.stack([torch.cat([a[:, 0], mid_b]), torch.cat([b[:, 0], mid_a])])
    deaths = torch.stack([torch.cat([a[:, 1], mid_b]), torch.cat([b[:, 1], mid_a])])
    return births, deaths


def _project(births: torch.Tensor, deaths: torch.Tensor, directions: torch.Tensor) -> torch.Tensor:
    """(2, K, n + m) projections on each of the K directions; the last axis is contiguous, so
    both rows sort in one call along it."""
    cos, sin = directions[0][:, None], directions[1][:, None]
    return cos * births[:, None, :] + sin * deaths[:, None, :]


class _SlicedCost(torch.autograd.Function):
    """Mean over directions of sum_i |sorted line 0 - sorted line 1|, with a hand-written
    backward. Autograd through gather / select / broadcast products would fill and reduce
    several (2, K, n + m) temporaries; here the backward is one scatter of the signs back to
    the unsorted positions and two (K,) x (2, K, n + m) products. Every step of the backward is
    a torch op, so create_graph works: the second derivative is 0 almost everywhere, and the
    first one stays connected to the input as it would through autograd."""

    @staticmethod
    def forward(ctx, births, deaths, cos, sin):
        lines = cos[:, None] * births[:, None, :]
        lines.addcmul_(sin[:, None], deaths[:, None, :])
        order = _sort_order(lines)
        ordered = torch.gather(lines, -1, order)
        del lines
        gap = ordered[0].sub_(ordered[1])
        sign = torch.sign(gap)
        ctx.save_for_backward(order, sign, cos, sin, births, deaths)
        return gap.abs_().sum(dim=-1).mean()

    @staticmethod
    def backward(ctx, grad):
        order, sign, cos, sin, births, deaths = ctx.saved_tensors
        per_sorted = sign * (grad / sign.shape[0])
        grad_lines = torch.stack(
            [
                torch.zeros_like(per_sorted).scatter(-1, order[0], per_sorted),
                torch.zeros_like(per_sorted).scatter(-1, order[1], -per_sorted),
            ]
        )
        grads = [None, None, None, None]
        if ctx.needs_input_grad[0]:
            grads[0] = torch.matmul(cos, grad_lines)
        if ctx.needs_input_grad[1]:
            grads[1] = torch.matmul(sin, grad_lines)
        if torch.is_grad_enabled():  # create_graph: keep the (zero) second derivative connected
            grads[:2] = [
                None if g is None else g + 0 * x for g, x in zip(grads[:2], (births, deaths))
            ]
        if ctx.needs_input_grad[2]:
            grads[2] = (grad_lines * births[:, None, :]).sum(dim=(0, 2))
        if ctx.needs_input_grad[3]:
            grads[3] = (grad_lines * deaths[:, None, :]).sum(dim=(0, 2))
        return tuple(grads)


def _sort_order(lines: torch.Tensor) -> torch.Tensor:
    """int64 positions that sort ``lines`` along its last axis. The order is combinatorics only:
    it is found on detached values (numpy's vectorised sort on the CPU, several times faster than
    torch.sort there) and torch gathers the differentiable values at it. Ties may be broken either
    way: the sorted values, hence the cost, do not depend on it."""
    values = lines.detach()
    if values.device.type == "cpu" and values.dtype in (torch.float32, torch.float64):
        return torch.from_numpy(np.argsort(values.numpy(), axis=-1))
    return torch.argsort(values, dim=-1)


def sliced_wasserstein_distance(
    dgm1: torch.Tensor,
    dgm2: torch.Tensor,
    n_directions: int = 100,
    ignore_inf_points: bool = False,
    generator: torch.Generator | None = None,
) -> torch.Tensor:
    """Sliced Wasserstein distance: the mean of 1-D W_1 costs over random directions.

    For each direction u = (cos t, sin t), t uniform in [0, pi), each diagram is projected on u
    together with the diagonal projections of the other diagram's points, and the two 1-D point
    sets are matched by sorting. The result is the mean over directions (not normalised by pi, no
    power), plus the rank-matching cost of the essential points.

    Parameters
    ----------
    dgm1 : torch.Tensor
        Shape (n, 2) of (birth, death) rows, any real dtype (integers become float64) and device:
        one dimension of a ``PersistenceDiagrams``, e.g. ``dgms[1]`` (the whole mapping is a
        TypeError).
    dgm2 : torch.Tensor or array_like
        Shape (m, 2): a tensor on dgm1's device, or a numpy array / nested list (a fixed target),
        converted to dgm1's floating dtype and device.
    n_directions : int, default 100
        The number K of random directions, a positive int (Python or numpy integer, not bool); a
        K whose (2, K, n + m) working arrays would not fit in memory is a ValueError before
        anything is allocated.
    ignore_inf_points : bool, default False
        Drop essential points instead of matching them.
    generator : torch.Generator, optional
        Source of the directions (None: torch's global RNG); they are drawn on its device and
        moved to the diagrams' device.

    Returns
    -------
    torch.Tensor
        0-d, in dgm1's floating dtype and on its device. Gradients flow through the points and
        through the diagonal projections. Essential points are matched by rank within their
        family unless ``ignore_inf_points``; points with two infinite coordinates are dropped.

    Raises
    ------
    TypeError
        A non-tensor ``dgm1``, a whole ``PersistenceDiagrams``, a non-bool ``ignore_inf_points``,
        a ``generator`` that is not a ``torch.Generator``.
    ValueError
        Wrong shapes, NaN, ``n_directions < 1`` or too large for memory, essential point counts
        that differ within a family (unless ``ignore_inf_points``).
    """
    api = "sliced_wasserstein_distance"
    essential, a, b, directions = _prepare(
        dgm1, dgm2, n_directions, ignore_inf_points, generator, api
    )
    if directions is None:
        return essential
    births, deaths = _line_coordinates(a, b, frozen=False)
    return essential + _SlicedCost.apply(births, deaths, directions[0], directions[1])


def sliced_wasserstein_distance_diag_corrected(
    dgm1: torch.Tensor,
    dgm2: torch.Tensor,
    n_directions: int = 100,
    ignore_inf_points: bool = False,
    generator: torch.Generator | None = None,
) -> torch.Tensor:
    """Sliced Wasserstein distance with diagonal-aware slice costs.

    After sorting both augmented lines (as in ``sliced_wasserstein_distance``), position k costs:
    point vs point, their gap; a point of dgm1 vs a diagonal slot, the gap between that point and
    its own projection (and symmetrically for dgm2); diagonal vs diagonal, 0. Projections are
    detached.

    Parameters
    ----------
    dgm1 : torch.Tensor
        Shape (n, 2) of (birth, death) rows, any real dtype (integers become float64) and device.
    dgm2 : torch.Tensor or array_like
        Shape (m, 2): a tensor on dgm1's device, or a numpy array / nested list (a fixed target),
        converted to dgm1's floating dtype and device.
    n_directions : int, default 100
        The number K of random directions, a positive int.
    ignore_inf_points : bool, default False
        Drop essential points instead of matching them by rank within their family.
    generator : torch.Generator, optional
        Source of the directions (None: torch's global RNG).

    Returns
    -------
    torch.Tensor
        0-d, in dgm1's floating dtype and on its device, differentiable with respect to the points
        of both diagrams (not through the projections).

    Raises
    ------
    TypeError, ValueError
        As ``sliced_wasserstein_distance``.
    """
    api = "sliced_wasserstein_distance_diag_corrected"
    essential, a, b, directions = _prepare(
        dgm1, dgm2, n_directions, ignore_inf_points, generator, api
    )
    if directions is None:
        return essential
    n, m = len(a), len(b)
    lines = _project(*_line_coordinates(a, b, frozen=True), directions)
    order = _sort_order(lines)
    ordered = torch.gather(lines, -1, order)
    real = torch.stack([order[0] < n, order[1] < m])
    # Gap of each point to its own (frozen) projection, 0 in the diagonal slots, in sorted order.
    gap_a = (lines[0, :, :n] - lines[1, :, m:].detach()).abs()
    gap_b = (lines[1, :, :m] - lines[0, :, n:].detach()).abs()
    gaps = torch.stack(
        [
            torch.cat([gap_a, gap_a.new_zeros(len(gap_a), m)], dim=1),
            torch.cat([gap_b, gap_b.new_zeros(len(gap_b), n)], dim=1),
        ]
    )
    gaps = torch.gather(gaps, -1, order)
    slice_cost = torch.where(
        real[0] & real[1],
        (ordered[0] - ordered[1]).abs(),
        torch.where(real[0], gaps[0], torch.where(real[1], gaps[1], torch.zeros_like(gaps[0]))),
    )
    return essential + slice_cost.sum(dim=-1).mean()
