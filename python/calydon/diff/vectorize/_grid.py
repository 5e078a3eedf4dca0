"""Sampling grids of the vectorisations, with gudhi.representations' conventions.

A given range ``(lo, hi)`` is sampled as ``torch.linspace(lo, hi, resolution)``: both ends are
samples (pixel centres for the persistence image). A missing end (None or NaN) is computed from
the one diagram passed: for the 1-D summaries ``lo = min birth`` and ``hi = max death`` over the
rows the mask keeps, and, unless ``keep_endpoints``, the grid takes ``resolution + (number of
missing ends)`` samples and drops the computed ends (where every summary is zero); for the
persistence image ``[min birth, max birth, min persistence, max persistence]``. This is what
gudhi's ``fit`` does on a list holding that one diagram. The computed range is a constant for
autograd.

A batch needs the whole range: an item's result may depend only on that item, so that item i of
a batch equals the call on item i alone, and a range computed over the batch would break it
(compute one over your training set and pass it instead).
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import torch

from ._common import Batch


def check_range(value: Any, length: int, name: str, api: str) -> list[float | None]:
    """None or a sequence of ``length`` entries, each a finite real, None or NaN (missing)."""
    if value is None:
        return [None] * length
    if isinstance(value, torch.Tensor):
        value = value.detach().cpu().tolist()
    if isinstance(value, (str, bytes)) or not hasattr(value, "__len__") or len(value) != length:
        raise ValueError(
            f"{api}: {name} must be None or a sequence of {length} numbers (None or NaN where "
            f"computed from the diagram), got {value!r}"
        )
    out: list[float | None] = []
    for entry in value:
        if entry is None:
            out.append(None)
            continue
        if isinstance(entry, bool) or not isinstance(entry, numbers.Real):
            raise TypeError(
                f"{api}: {name} entries must be real numbers or None, got "
                f"{type(entry).__name__} {entry!r} in {value!r}"
            )
        entry = float(entry)
        if math.isinf(entry):
            raise ValueError(f"{api}: {name} entries must be finite, got {value!r}")
        out.append(None if math.isnan(entry) else entry)
    for lo, hi in zip(out[::2], out[1::2]):
        if lo is not None and hi is not None and lo > hi:
            raise ValueError(f"{api}: {name} must have min <= max, got {value!r}")
    return out


def require_complete(bounds: list[float | None], batch: Batch, name: str, api: str) -> None:
    if batch.batched and any(b is None for b in bounds):
        raise ValueError(
            f"{api}: {name} must be given in full for a batch of diagrams "
            f"{tuple(batch.points.shape)} (item i must not depend on the other items), "
            f"got {bounds!r}"
        )


def _extremes(values: torch.Tensor, mask: torch.Tensor) -> tuple[float, float] | None:
    """(min, max) of the masked entries, or None when the mask keeps nothing."""
    kept = values[mask]
    if kept.numel() == 0:
        return None
    return float(kept.min()), float(kept.max())


def _fill(bounds: list[float | None], computed: list[float | None]) -> list[float]:
    """Missing bounds from ``computed``; on an empty diagram (nothing computed) a missing bound
    copies the other one (or 0): every summary is zero there whatever the grid."""
    out = [b if b is not None else c for b, c in zip(bounds, computed)]
    for i in range(0, len(out), 2):
        lo, hi = out[i], out[i + 1]
        out[i] = lo if lo is not None else (hi if hi is not None else 0.0)
        out[i + 1] = hi if hi is not None else out[i]
    return out


def sample_grid(
    bounds: list[float | None], resolution: int, keep_endpoints: bool, batch: Batch
) -> torch.Tensor:
    """(resolution,) grid of a 1-D summary, on the diagrams' device and dtype."""
    missing = [b is None for b in bounds]
    points = batch.points.detach()
    computed: list[float | None] = [None, None]
    if any(missing):
        births = _extremes(points[..., 0], batch.mask)
        deaths = _extremes(points[..., 1], batch.mask)
        if births is not None and deaths is not None:
            computed = [births[0], deaths[1]]
    lo, hi = _fill(bounds, computed)
    n_samples = resolution if keep_endpoints else resolution + sum(missing)
    grid = torch.linspace(lo, hi, n_samples, dtype=points.dtype, device=points.device)
    if not keep_endpoints:
        grid = grid[int(missing[0]) : n_samples - int(missing[1])]
    return grid


def image_axes(
    bounds: list[float | None], resolution: tuple[int, int], batch: Batch
) -> tuple[torch.Tensor, torch.Tensor]:
    """(birth samples (Rx,), persistence samples (Ry,)) of a persistence image."""
    points = batch.points.detach()
    computed: list[float | None] = [None] * 4
    if any(b is None for b in bounds):
        births = _extremes(points[..., 0], batch.mask)
        pers = _extremes(points[..., 1] - points[..., 0], batch.mask)
        if births is not None and pers is not None:
            computed = [births[0], births[1], pers[0], pers[1]]
    x_lo, x_hi, y_lo, y_hi = _fill(bounds, computed)
    options = {"dtype": points.dtype, "device": points.device}
    xs = torch.linspace(x_lo, x_hi, resolution[0], **options)
    ys = torch.linspace(y_lo, y_hi, resolution[1], **options)
    return xs, ys
