"""Tensor plumbing for the diff layer: type checks, the detached float64 copy handed to the C++
core, and index arrays brought back onto the input's device."""

from __future__ import annotations

from typing import Sequence

import numpy as np
import torch

from .._validate import as_float64_array


def require_tensor(x, name: str, api: str) -> torch.Tensor:
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"{api}: {name} must be a torch.Tensor, got {type(x).__name__}")
    if x.dtype == torch.bool or x.is_complex():
        raise TypeError(f"{api}: {name} must have a real numeric dtype, got {x.dtype}")
    return x


def detached_float64(x: torch.Tensor, name: str, api: str, ndims: Sequence[int] | None = None) -> np.ndarray:
    """CPU float64 numpy copy of a tensor, validated (shape, emptiness, finiteness)."""
    require_tensor(x, name, api)
    return as_float64_array(x, name, api, ndims=ndims)


def differentiable_source(x: torch.Tensor) -> torch.Tensor:
    """The tensor values are gathered from: integer inputs are promoted to float64 so diagrams
    can hold infinities; floating inputs keep their dtype and autograd graph."""
    return x if x.is_floating_point() else x.to(torch.float64)


def index_tensor(indices: np.ndarray, device: torch.device) -> torch.Tensor:
    return torch.from_numpy(np.ascontiguousarray(indices, dtype=np.int64)).to(device)
