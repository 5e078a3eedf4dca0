"""Sliced Wasserstein distances between diagrams, vectorised over directions, on any device.

For a direction u = (cos t, sin t), t uniform in [0, pi), each diagram is projected on u together
with the diagonal projections of the other diagram's points, and the two 1-D point sets of equal
size are matched by sorting (W_1 on the line). The result is the mean over directions (not
normalised by pi, no power), plus the rank-matching cost of the essential points.
"""

from __future__ import annotations

import math

import torch

from ._tensor import common_float, diagram_tensor, zero_like_graph

# (family name, column tested for infinity, its sign, column holding the finite coordinate)
_FAMILIES = (
    ("(finite, +inf)", 1, 1.0, 0),
    ("(finite, -inf)", 1, -1.0, 0),
    ("(+inf, finite)", 0, 1.0, 1),
    ("(-inf, finite)", 0, -1.0, 1),
)


def _check_n_directions(n_directions, api: str) -> int:
    if isinstance(n_directions, bool) or not isinstance(n_directions, int):
        raise TypeError(f"{api}: n_directions must be an int, got {type(n_directions).__name__}")
    if n_directions <= 0:
        raise ValueError(f"{api}: n_directions must be a positive int, got {n_directions}")
    return n_directions


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
    n_directions = _check_n_directions(n_directions, api)
    _check_generator(generator, api)
    if not isinstance(ignore_inf_points, bool):
        raise TypeError(
            f"{api}: ignore_inf_points must be a bool, got {type(ignore_inf_points).__name__}"
        )
    a, _ = diagram_tensor(dgm1, "dgm1", api)
    b, _ = diagram_tensor(dgm2, "dgm2", api)
    b = common_float(a, b, api)
    essential = zero_like_graph(a, b) if ignore_inf_points else _essential_cost(a, b, api)
    finite_a = a[torch.isfinite(a).all(dim=1)]
    finite_b = b[torch.isfinite(b).all(dim=1)]
    if len(finite_a) == 0 and len(finite_b) == 0:
        return n_directions, essential, None
    u = _directions(n_directions, a, generator)
    return n_directions, essential, (*_projections(finite_a, u), *_projections(finite_b, u))


def _directions(n_directions: int, like: torch.Tensor, generator) -> torch.Tensor:
    """(2, K) unit vectors at angles uniform in [0, pi), drawn on the generator's device and
    moved to the diagrams' device."""
    source = generator.device if generator is not None else like.device
    theta = torch.rand(n_directions, generator=generator, device=source, dtype=like.dtype) * math.pi
    theta = theta.to(like.device)
    return torch.stack([torch.cos(theta), torch.sin(theta)])


def _projections(
    points: torch.Tensor, directions: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor]:
    """(n, K) projections of the points and of their diagonal projections ((b+d)/2, (b+d)/2)."""
    on_line = points @ directions
    mid = 0.5 * (points[:, 0] + points[:, 1])
    on_diagonal = mid[:, None] * (directions[0] + directions[1])[None, :]
    return on_line, on_diagonal


def sliced_wasserstein_distance(
    dgm1: torch.Tensor,
    dgm2: torch.Tensor,
    n_directions: int = 100,
    ignore_inf_points: bool = False,
    generator: torch.Generator | None = None,
) -> torch.Tensor:
    """Sliced Wasserstein distance (mean of 1-D W_1 costs over random directions).

    dgm1: (n, 2), dgm2: (m, 2) tensors on one device; returns a 0-d tensor in dgm1's floating
    dtype. Directions come from ``generator`` (or torch's global RNG) and are created on the
    diagrams' device. Gradients flow through the points and through the diagonal projections.
    Essential points are matched by rank within their family (counts must agree, else
    ValueError) unless ``ignore_inf_points``; points with two infinite coordinates are dropped.
    """
    api = "sliced_wasserstein_distance"
    n_directions, essential, projected = _prepare(
        dgm1, dgm2, n_directions, ignore_inf_points, generator, api
    )
    if projected is None:
        return essential
    on_a, diag_a, on_b, diag_b = projected
    line_a = torch.sort(torch.cat([on_a, diag_b]), dim=0).values
    line_b = torch.sort(torch.cat([on_b, diag_a]), dim=0).values
    return essential + (line_a - line_b).abs().sum(dim=0).mean()


def sliced_wasserstein_distance_diag_corrected(
    dgm1: torch.Tensor,
    dgm2: torch.Tensor,
    n_directions: int = 100,
    ignore_inf_points: bool = False,
    generator: torch.Generator | None = None,
) -> torch.Tensor:
    """Sliced Wasserstein with diagonal-aware slice costs.

    After sorting both augmented lines, position k costs: point vs point, their gap; a point of
    dgm1 vs a diagonal slot, the gap between that point and its own projection (and symmetrically
    for dgm2); diagonal vs diagonal, 0. Projections are detached. Arguments as in
    ``sliced_wasserstein_distance``.
    """
    api = "sliced_wasserstein_distance_diag_corrected"
    n_directions, essential, projected = _prepare(
        dgm1, dgm2, n_directions, ignore_inf_points, generator, api
    )
    if projected is None:
        return essential
    on_a, diag_a, on_b, diag_b = projected
    diag_a, diag_b = diag_a.detach(), diag_b.detach()
    n, m = len(on_a), len(on_b)
    line_a, order_a = torch.sort(torch.cat([on_a, diag_b]), dim=0)
    line_b, order_b = torch.sort(torch.cat([on_b, diag_a]), dim=0)
    real_a, real_b = order_a < n, order_b < m
    # Gap of each point to its own projection, with 0 in the diagonal slots, in sorted order.
    gap_a = torch.gather(
        torch.cat([(on_a - diag_a).abs(), on_a.new_zeros(m, n_directions)]), 0, order_a
    )
    gap_b = torch.gather(
        torch.cat([(on_b - diag_b).abs(), on_b.new_zeros(n, n_directions)]), 0, order_b
    )
    zero = torch.zeros_like(line_a)
    slice_cost = torch.where(
        real_a & real_b,
        (line_a - line_b).abs(),
        torch.where(real_a, gap_a, torch.where(real_b, gap_b, zero)),
    )
    return essential + slice_cost.sum(dim=0).mean()
