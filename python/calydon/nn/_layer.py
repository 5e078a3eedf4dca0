"""Plumbing shared by the persistence layers: option checks at construction, input checks at
call time (naming the layer), and the one batched diagram call."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from .._validate import check_choice, check_n_threads
from ..diff import persistence_diagrams
from ..diff.persistence import GRADIENT_METHODS
from .diagram_batch import DiagramBatch


def check_flag(value: Any, name: str, api: str) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{api}: {name} must be a bool, got {type(value).__name__}")
    return value


def check_int_in(value: Any, name: str, api: str, low: int, high: int | None = None) -> int:
    """An int (Python or numpy, not bool) in [low, high]."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{api}: {name} must be an int, got {type(value).__name__}")
    if value < low or (high is not None and value > high):
        bound = f">= {low}" if high is None else f"in [{low}, {high}]"
        raise ValueError(f"{api}: {name} must be {bound}, got {value}")
    return int(value)


def check_real_tensor(x: Any, name: str, api: str) -> torch.Tensor:
    """A real (not bool, not complex) tensor with finite values."""
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"{api}: {name} must be a torch.Tensor, got {type(x).__name__}")
    if x.dtype == torch.bool or x.is_complex():
        raise TypeError(f"{api}: {name} must have a real dtype, got {x.dtype}")
    if x.is_floating_point() and x.numel() and not bool(torch.isfinite(x).all()):
        raise ValueError(f"{api}: {name} must be finite, got NaN or infinity")
    return x


def batch_axis_names(batch_dims: int) -> list[str]:
    """Names of the batch axes in messages: B, (B, C), or B1, B2, ... beyond two."""
    if batch_dims <= 2:
        return ["B", "C"][:batch_dims]
    return [f"B{i + 1}" for i in range(batch_dims)]


def split_clouds(x: Any, batch_dims: int, item_ndim: int, what: str, api: str):
    """(flat list of items, batch shape) from a tensor with ``batch_dims`` leading batch axes
    then ``item_ndim`` item axes, or from a non-empty list/tuple of item tensors (batch shape
    (len,)); items keep their autograd graph."""
    if isinstance(x, (list, tuple)):
        if len(x) == 0:
            raise ValueError(f"{api}: input must not be an empty list")
        for i, item in enumerate(x):
            check_real_tensor(item, f"input[{i}]", api)
            if item.ndim != item_ndim:
                raise ValueError(
                    f"{api}: input[{i}] must be one {what}, got shape {tuple(item.shape)}"
                )
        return list(x), (len(x),)
    check_real_tensor(x, "input", api)
    if x.ndim != batch_dims + item_ndim:
        layout = ", ".join(batch_axis_names(batch_dims)) + ", " + what
        raise ValueError(
            f"{api}: input must have batch_dims + {item_ndim} = {batch_dims + item_ndim} axes "
            f"({layout}) or be a list of {what} tensors, got shape {tuple(x.shape)}"
        )
    batch_shape = tuple(x.shape[:batch_dims])
    if 0 in batch_shape:
        raise ValueError(f"{api}: input has an empty batch, shape {tuple(x.shape)}")
    items = x.reshape((-1,) + tuple(x.shape[batch_dims:]))
    return list(items.unbind(0)), batch_shape


class PersistenceLayer(torch.nn.Module):
    """Base of the persistence layers: the options every one of them passes to
    ``calydon.diff.persistence_diagrams`` (checked here, once)."""

    def __init__(
        self, include_inf_points: Any, gradient_method: Any, n_threads: Any, api: str
    ) -> None:
        super().__init__()
        self._api = api
        self.include_inf_points = check_flag(include_inf_points, "include_inf_points", api)
        self.gradient_method = check_choice(
            gradient_method, "gradient_method", api, GRADIENT_METHODS
        )
        self.n_threads = None if n_threads is None else check_n_threads(n_threads, api)

    def _diagrams(self, fils: list, batch_shape: tuple[int, ...]) -> DiagramBatch:
        """One GIL-free call for the whole batch (dgm-loss), then the batch wrapper."""
        items = persistence_diagrams(
            fils,
            include_inf_points=self.include_inf_points,
            gradient_method=self.gradient_method,
            n_threads=self.n_threads,
        )
        return DiagramBatch(items, batch_shape)

    def _options(self) -> str:
        return (
            f"include_inf_points={self.include_inf_points}, "
            f"gradient_method={self.gradient_method!r}, n_threads={self.n_threads}"
        )
