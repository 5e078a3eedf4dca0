"""Differentiable grid filtrations: values are gathered from the input tensor at the critical
vertex (Freudenthal) or critical vertex / top cell (cubical) that C++ reports for each cell."""

from __future__ import annotations

import torch

from ..grid import build_cubical, build_freudenthal
from ._tensor import differentiable_source, index_tensor, require_tensor
from .filtration import DiffFiltration


def _gather(data: torch.Tensor, fil, crit) -> DiffFiltration:
    values = differentiable_source(data).reshape(-1)[index_tensor(crit, data.device)]
    return DiffFiltration(fil, values)


def freudenthal_filtration(data: torch.Tensor, negate: bool = False, max_dim: int | None = None,
                           n_threads: int = 1) -> DiffFiltration:
    """Differentiable lower-star filtration of the Freudenthal triangulation of a grid.

    Args:
        data: tensor of shape (n_1, ..., n_D), 1 <= D <= 4, any real dtype and device, finite.
        negate: upper-star (superlevel) filtration.
        max_dim: top simplex dimension (default D).
        n_threads: accepted for API compatibility; the build is serial.

    Returns:
        ``DiffFiltration`` whose ``values`` (shape (n_cells,), dtype and device of ``data``) is
        ``data.flatten()[critical_vertex]``; gradients flow back to ``data``.
    """
    api = "diff.freudenthal_filtration"
    fil, crit = build_freudenthal(require_tensor(data, "data", api), negate, max_dim, api)
    return _gather(data, fil, crit)


def cube_filtration(data: torch.Tensor, negate: bool = False, values_on: str = "vertices",
                    max_dim: int | None = None, n_threads: int = 1) -> DiffFiltration:
    """Differentiable cubical filtration of a grid.

    Args:
        data: tensor of shape (n_1, ..., n_D), 1 <= D <= 4, any real dtype and device, finite.
        negate: superlevel filtration.
        values_on: ``"vertices"`` (a cube takes the max of its vertices) or ``"cells"`` (data on
            top cubes; a cube takes the min of the top cubes containing it).
        max_dim: top cube dimension (default D).
        n_threads: accepted for API compatibility; the build is serial.

    Returns:
        ``DiffFiltration`` with ``values = data.flatten()[critical_index]``.
    """
    api = "diff.cube_filtration"
    fil, crit = build_cubical(require_tensor(data, "data", api), negate, max_dim, values_on, api)
    return _gather(data, fil, crit)
