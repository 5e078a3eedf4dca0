"""Tensor plumbing for the diff layer: type checks, the detached float64 copy handed to the C++
core, index arrays brought back onto the input's device, and the argument handling shared by the
diagram losses."""

from __future__ import annotations

from typing import Sequence

import numpy as np
import torch

from .._validate import as_float64_array
from ..distance import as_diagram


def require_tensor(x, name: str, api: str) -> torch.Tensor:
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"{api}: {name} must be a torch.Tensor, got {type(x).__name__}")
    if x.dtype == torch.bool or x.is_complex():
        raise TypeError(f"{api}: {name} must have a real numeric dtype, got {x.dtype}")
    return x


def detached_float64(
    x: torch.Tensor, name: str, api: str, ndims: Sequence[int] | None = None
) -> np.ndarray:
    """CPU float64 numpy copy of a tensor, validated (shape, emptiness, finiteness)."""
    require_tensor(x, name, api)
    return as_float64_array(x, name, api, ndims=ndims)


def differentiable_source(x: torch.Tensor) -> torch.Tensor:
    """The tensor values are gathered from: integer inputs are promoted to float64 so diagrams
    can hold infinities; floating inputs keep their dtype and autograd graph."""
    return x if x.is_floating_point() else x.to(torch.float64)


def index_tensor(indices: np.ndarray, device: torch.device) -> torch.Tensor:
    return torch.from_numpy(np.ascontiguousarray(indices, dtype=np.int64)).to(device)


def diagram_tensor(x, name: str, api: str) -> tuple[torch.Tensor, np.ndarray]:
    """Returns (differentiable (n, 2) tensor, validated float64 numpy copy).

    Integer tensors are promoted to float64; floating tensors keep their dtype and graph.
    """
    require_tensor(x, name, api)
    detached = as_diagram(x, name, api)
    tensor = x if x.is_floating_point() else x.to(torch.float64)
    return tensor.reshape(-1, 2), detached


def common_float(a: torch.Tensor, b: torch.Tensor, api: str) -> torch.Tensor:
    """b in a's dtype, after checking that both live on one device."""
    if a.device != b.device:
        raise ValueError(
            f"{api}: dgm_b must be on the device of dgm_a ({a.device}), got {b.device}"
        )
    return b.to(a.dtype)


def zero_like_graph(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """A 0-d zero connected to both inputs (an empty sum), so backward() works on a zero loss
    and gives zero gradients, even when the diagrams contain infinities."""
    return a[:0].sum() + b[:0].sum()


def lp_edge_length(diff: torch.Tensor, internal_p: float) -> torch.Tensor:
    """L_p norm of the rows of a (k, 2) tensor of coordinate differences, with gradient 0
    (not NaN) at a zero difference."""
    delta = diff.abs()
    if internal_p == float("inf"):
        return torch.maximum(delta[:, 0], delta[:, 1])
    if internal_p == 1.0:
        return delta[:, 0] + delta[:, 1]
    powered = delta[:, 0] ** internal_p + delta[:, 1] ** internal_p
    positive = powered > 0
    safe = torch.where(positive, powered, torch.ones_like(powered))
    return torch.where(positive, safe ** (1.0 / internal_p), torch.zeros_like(powered))


def diagonal_edge_length(points: torch.Tensor, internal_p: float) -> torch.Tensor:
    """L_p distance from (b, d) to its nearest diagonal point ((b+d)/2, (b+d)/2): |d - b| / 2 *
    2^(1/p). The projection moves with the point; freezing it (as the reference does) gives the
    wrong gradient for L_inf, where the max of two tied coordinates picks one of them."""
    factor = 0.5 if internal_p == float("inf") else 0.5 * 2.0 ** (1.0 / internal_p)
    return (points[:, 1] - points[:, 0]).abs() * factor
