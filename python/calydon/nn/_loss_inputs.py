"""The diagram forms a loss accepts, turned into per-item lists, and torch-style reductions.

Accepted forms (input and target alike):

* one diagram: an (n, 2) tensor (a target may also be a numpy array or a nested list);
* a padded batch: a ``PaddedDiagrams`` (``layer(x)[dim]``), or a tensor (*batch, N, 2) with an
  optional bool mask (*batch, N) (``pad_diagrams`` output; no mask: every row is real);
* a list or tuple of (n_i, 2) tensors: batch shape (len,).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from .._validate import check_choice, reject_diagram_collection
from .diagram_batch import PaddedDiagrams

REDUCTIONS = ("mean", "sum", "none")


def _check_mask(mask: Any, values: torch.Tensor, name: str, api: str) -> torch.Tensor:
    if mask is None:
        return torch.ones(values.shape[:-1], dtype=torch.bool, device=values.device)
    if not isinstance(mask, torch.Tensor) or mask.dtype != torch.bool:
        what = mask.dtype if isinstance(mask, torch.Tensor) else type(mask).__name__
        raise TypeError(f"{api}: {name} must be a bool tensor, got {what}")
    if tuple(mask.shape) != tuple(values.shape[:-1]):
        raise ValueError(
            f"{api}: {name} must have shape {tuple(values.shape[:-1])} (the diagrams' shape "
            f"without the last axis), got {tuple(mask.shape)}"
        )
    return mask.to(values.device)


def padded_form(x: Any, mask: Any, name: str, mask_name: str, api: str):
    """(values, mask, batch_shape): values (*batch, N, 2) with mask (*batch, N), or (n, 2) with
    an all-True (n,) mask and batch shape () for a single diagram. ``x`` must hold tensors."""
    reject_diagram_collection(x, name, api)
    if isinstance(x, PaddedDiagrams):
        if mask is not None:
            raise ValueError(f"{api}: {mask_name} must be None when {name} is a PaddedDiagrams")
        x, mask = x.values, x.mask
    elif isinstance(x, (list, tuple)):
        if mask is not None:
            raise ValueError(f"{api}: {mask_name} must be None when {name} is a list of diagrams")
        from ..diff import pad_diagrams

        x, mask = pad_diagrams(x)
    if not isinstance(x, torch.Tensor):
        raise TypeError(
            f"{api}: {name} must be a tensor (n, 2) or (*batch, N, 2), a PaddedDiagrams or a list "
            f"of (n, 2) tensors, got {type(x).__name__}"
        )
    if x.dtype == torch.bool or x.is_complex():
        raise TypeError(f"{api}: {name} must have a real dtype, got {x.dtype}")
    if x.ndim < 2 or x.shape[-1] != 2:
        raise ValueError(
            f"{api}: {name} must have shape (n, 2) or (*batch, N, 2), got {tuple(x.shape)}"
        )
    if x.ndim == 2 and mask is not None and mask.ndim != 1:
        raise ValueError(f"{api}: {mask_name} must have shape ({len(x)},), got {tuple(mask.shape)}")
    if 0 in x.shape[:-2]:
        raise ValueError(f"{api}: {name} has an empty batch, shape {tuple(x.shape)}")
    mask = _check_mask(mask, x, mask_name, api)
    return x, mask, tuple(x.shape[:-2])


def diagram_items(x: Any, mask: Any, name: str, mask_name: str, api: str):
    """(flat list of (n_i, 2) tensors, batch shape); a single diagram gives one item and ()."""
    values, mask, batch_shape = padded_form(x, mask, name, mask_name, api)
    if not batch_shape:
        return [values[mask]], ()
    rows = values.shape[-2]
    flat_values, flat_mask = values.reshape(-1, rows, 2), mask.reshape(-1, rows)
    return [v[m] for v, m in zip(flat_values, flat_mask)], batch_shape


def _array_target(target: Any, api: str) -> torch.Tensor:
    """A numpy array or nested list as a float64 tensor; an empty one is an empty diagram."""
    try:
        arr = np.asarray(target)
    except ValueError as exc:  # ragged nested lists
        raise ValueError(f"{api}: target must be a rectangular array-like, got {exc}") from None
    if arr.dtype.kind not in "iuf":
        raise TypeError(
            f"{api}: target must be a diagram of real numbers, got {type(target).__name__} "
            f"of dtype {arr.dtype}"
        )
    return torch.from_numpy(arr.reshape(0, 2) if arr.size == 0 else arr.astype(np.float64))


def target_items(target: Any, mask: Any, like: torch.Tensor, batch_shape, api: str) -> list:
    """One target per input item: a single target (tensor, numpy array, nested list) repeated,
    or a batch of targets whose batch shape equals the input's."""
    reject_diagram_collection(target, "target", api)
    is_tensor_list = (
        isinstance(target, (list, tuple))
        and len(target) > 0
        and all(isinstance(t, torch.Tensor) for t in target)
    )
    if not isinstance(target, (torch.Tensor, PaddedDiagrams)) and not is_tensor_list:
        dtype = like.dtype if like.is_floating_point() else torch.float64
        target = _array_target(target, api).to(device=like.device, dtype=dtype)
    if isinstance(target, torch.Tensor) and target.ndim == 2 and mask is None:
        return [target] * int(np.prod(batch_shape, dtype=np.int64))
    items, target_shape = diagram_items(target, mask, "target", "target_mask", api)
    if target_shape != tuple(batch_shape):
        raise ValueError(
            f"{api}: target must be one diagram or a batch of the input's batch shape "
            f"{tuple(batch_shape)}, got batch shape {target_shape}"
        )
    return items


def check_reduction(reduction: Any, api: str) -> str:
    return check_choice(reduction, "reduction", api, REDUCTIONS)


def reduce(per_item: torch.Tensor, reduction: str) -> torch.Tensor:
    """'none': the per-item losses (batch shape; 0-d for a single diagram); 'mean' / 'sum'
    over every item, as torch's losses do."""
    if reduction == "none":
        return per_item
    return per_item.mean() if reduction == "mean" else per_item.sum()
