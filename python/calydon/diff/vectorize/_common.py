"""Input handling shared by the vectorisations: one diagram ``(N, 2)`` or a padded batch
``(B, N, 2)`` with its ``(B, N)`` mask becomes a batch ``(B, N, 2)`` plus a mask, the checks of
the scalar parameters, and the chunked sum over points that bounds memory on large diagrams.

Rows the mask drops (padding, or essential points with ``drop_essential=True``) are replaced by
the constant point ``FILLER = (0, 1)`` before any arithmetic: a user weight or a logarithm never
sees ``inf`` or a zero persistence there, so no NaN can leak into the gradient through a
``where``; every vectorisation then zeroes those rows' contribution with the mask.
"""

from __future__ import annotations

import math
import numbers
from typing import Any, Callable, NamedTuple

import torch
from torch.utils.checkpoint import checkpoint

from .._tensor import require_tensor

FILLER = (0.0, 1.0)
# Elements of one (B, chunk, resolution) intermediate; above it the sum over points runs in
# chunks, each recomputed in backward (checkpointing) instead of kept for it.
CHUNK_BUDGET = 1 << 18


class Batch(NamedTuple):
    points: torch.Tensor  # (B, N, 2), masked rows replaced by FILLER
    mask: torch.Tensor  # (B, N) bool, True on the rows that count
    batched: bool  # whether the caller passed (B, N, 2); results lose the batch axis if not


def _check_shape(diagrams: torch.Tensor, api: str) -> None:
    if diagrams.ndim not in (2, 3) or diagrams.shape[-1] != 2:
        raise ValueError(
            f"{api}: diagrams must have shape (N, 2) or (B, N, 2), got {tuple(diagrams.shape)}"
        )


def _check_mask(mask: Any, diagrams: torch.Tensor, api: str) -> torch.Tensor:
    if mask is None:
        return torch.ones(diagrams.shape[:-1], dtype=torch.bool, device=diagrams.device)
    if not isinstance(mask, torch.Tensor):
        raise TypeError(f"{api}: mask must be a torch.Tensor or None, got {type(mask).__name__}")
    if mask.dtype != torch.bool:
        raise TypeError(f"{api}: mask must have dtype torch.bool, got {mask.dtype}")
    if tuple(mask.shape) != tuple(diagrams.shape[:-1]):
        raise ValueError(
            f"{api}: mask must have shape {tuple(diagrams.shape[:-1])} (diagrams.shape[:-1]), "
            f"got {tuple(mask.shape)}"
        )
    if mask.device != diagrams.device:
        raise ValueError(
            f"{api}: mask must be on the device of diagrams ({diagrams.device}), got {mask.device}"
        )
    return mask


def _first_row(rows: torch.Tensor, batched: bool) -> str:
    """'row i' (one diagram) or 'row (item, i)' (a batch) of the first True entry."""
    where = tuple(int(i) for i in rows.nonzero()[0])
    return f"row {where}" if batched else f"row {where[1]}"


def _finite_rows(
    points: torch.Tensor, mask: torch.Tensor, drop_essential: bool, batched: bool, api: str
) -> torch.Tensor:
    """The mask with non-finite rows removed (drop_essential) or an error naming the first one.
    ``points`` is (B, N, 2); a single diagram's row is named by its index alone."""
    nan_rows = torch.isnan(points).any(-1) & mask
    if bool(nan_rows.any()):
        raise ValueError(
            f"{api}: diagrams must not contain NaN, got NaN in {_first_row(nan_rows, batched)}"
        )
    inf_rows = torch.isinf(points).any(-1) & mask
    if not drop_essential and bool(inf_rows.any()):
        where = tuple(int(i) for i in inf_rows.nonzero()[0])
        raise ValueError(
            f"{api}: diagrams must be finite, got the essential point "
            f"{points[where].detach().cpu().tolist()} in {_first_row(inf_rows, batched)}; "
            "pass drop_essential=True to ignore such rows"
        )
    return mask & ~inf_rows


def prepare(diagrams: Any, mask: Any, drop_essential: Any, api: str) -> Batch:
    """Validates a diagram or a padded batch and its mask; returns them as a batch.

    Integer diagrams become float64 (like the other diagram functions); bool and complex
    dtypes raise TypeError.
    """
    require_tensor(diagrams, "diagrams", api)
    _check_shape(diagrams, api)
    check_bool(drop_essential, "drop_essential", api)
    mask = _check_mask(mask, diagrams, api)
    points = diagrams if diagrams.is_floating_point() else diagrams.to(torch.float64)
    batched = points.ndim == 3
    if not batched:
        points, mask = points.unsqueeze(0), mask.unsqueeze(0)
    mask = _finite_rows(points, mask, drop_essential, batched, api)
    filler = points.new_tensor(FILLER)
    points = torch.where(mask.unsqueeze(-1), points, filler)
    return Batch(points, mask, batched)


def finish(result: torch.Tensor, batch: Batch) -> torch.Tensor:
    """Drops the batch axis again when the caller passed a single diagram."""
    return result if batch.batched else result[0]


def check_bool(value: Any, name: str, api: str) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{api}: {name} must be a bool, got {type(value).__name__} {value!r}")
    return value


def check_positive_int(value: Any, name: str, api: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{api}: {name} must be an int, got {type(value).__name__} {value!r}")
    if value < 1:
        raise ValueError(f"{api}: {name} must be a positive int, got {value}")
    return int(value)


def check_positive_float(value: Any, name: str, api: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{api}: {name} must be a real number, got {type(value).__name__}")
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{api}: {name} must be a finite positive number, got {value}")
    return float(value)


def check_temperature(value: Any, api: str) -> float | None:
    return None if value is None else check_positive_float(value, "temperature", api)


def check_weight(weight: Any, api: str) -> Callable | None:
    if weight is not None and not callable(weight):
        raise TypeError(
            f"{api}: weight must be a callable or None, got {type(weight).__name__} {weight!r}"
        )
    return weight


def point_weights(weight: Callable | None, rows: torch.Tensor, batch: Batch, api: str):
    """``weight(rows)`` as a (B, N) tensor, 0 on masked rows. ``rows`` is (B, N, 2) in the
    coordinates the vectorisation documents; the callable sees (N, 2) for a single diagram and
    (B, N, 2) for a batch, and must act row by row."""
    mask = batch.mask
    if weight is None:
        return mask.to(rows.dtype)
    values = weight(rows if batch.batched else rows[0])
    expected = mask.shape if batch.batched else mask.shape[1:]
    if isinstance(values, numbers.Real) and not isinstance(values, bool):
        values = rows.new_full(expected, float(values))
    if not isinstance(values, torch.Tensor) or values.shape not in (expected, torch.Size([])):
        shape = tuple(values.shape) if isinstance(values, torch.Tensor) else type(values).__name__
        raise ValueError(
            f"{api}: weight must map a (..., 2) tensor of rows to a tensor of shape (...) "
            f"(one weight per row) or a number, got {shape} for rows of shape "
            f"{tuple(rows.shape) if batch.batched else tuple(rows.shape[1:])}"
        )
    values = values.to(rows.dtype).expand(mask.shape)
    return torch.where(mask, values, torch.zeros_like(values))


def sum_over_points(
    term: Callable[..., torch.Tensor], inputs: list[torch.Tensor], cost_per_point: int
) -> torch.Tensor:
    """``term(*inputs)``, where ``term`` sums over the point axis (axis 1) of its (B, c) inputs,
    evaluated in chunks of points so that a (B, c, cost_per_point) intermediate stays under
    CHUNK_BUDGET elements. With gradients, each chunk is checkpointed: backward recomputes it
    rather than keeping its intermediates, so memory stays O(B * (N + chunk * cost))."""
    n_batch, n_points = inputs[0].shape[:2]
    chunk = max(1, CHUNK_BUDGET // max(1, n_batch * cost_per_point))
    if n_points <= chunk:
        return term(*inputs)
    needs_grad = torch.is_grad_enabled() and any(t.requires_grad for t in inputs)
    total = None
    for start in range(0, n_points, chunk):
        parts = [t[:, start : start + chunk] for t in inputs]
        value = checkpoint(term, *parts, use_reentrant=False) if needs_grad else term(*parts)
        total = value if total is None else total + value
    return total
