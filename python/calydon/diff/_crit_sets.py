"""The crit-sets backward of ``persistence_diagram``: the only custom autograd Function.

Forward gathers the diagram rows from the values, exactly as dgm-loss does. Backward turns the
upstream gradient g into targets t = f - step_size * g for each row's birth and death cells,
expands every moving (cell, target) into its critical set, resolves overlaps with the conflict
strategy across all homology dimensions at once, and returns the gradient of
1/2 sum_i (f_i - t_i)^2 over the resolved cells: f_i - t_i (scatter-added for Sum).
"""

from __future__ import annotations

import numpy as np
import torch
from torch.autograd.function import once_differentiable

from .._pairs import IndexPairs
from ..optimize import TopologyOptimizer
from ._tensor import index_tensor
from .persistence import PersistenceDiagrams


class _CritSetsRows(torch.autograd.Function):
    @staticmethod
    def forward(ctx, values, births, deaths, infinity, backward_state):
        ctx.save_for_backward(values, births, deaths)
        ctx.backward_state = backward_state
        death_values = torch.full_like(births, infinity, dtype=values.dtype)
        death_values[: len(deaths)] = values[deaths]
        return torch.stack([values[births], death_values], dim=1)

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_rows):
        values, births, deaths = ctx.saved_tensors
        optimizer, strategy, step_size = ctx.backward_state
        # The core's float64 values: targets and "moving" are judged on the values it compares.
        current = optimizer.under_fil.values()
        g = grad_rows.detach().to("cpu", torch.float64).numpy()
        cells = np.concatenate([births.cpu().numpy(), deaths.cpu().numpy()])
        shifts = np.concatenate([g[:, 0], g[: len(deaths), 1]])
        targets = current[cells] - step_size * shifts
        moving = targets != current[cells]
        resolved = optimizer.crit_sets_apply(cells[moving], targets[moving], strategy)
        idx_np, tgt_np = resolved.indices_array(), resolved.values_array()
        grad = np.zeros_like(current)
        if strategy == "sum":  # a cell may come once per critical set holding it
            np.add.at(grad, idx_np, current[idx_np] - tgt_np)
        else:  # one target per cell: a plain scatter (np.add.at is ten times slower)
            grad[idx_np] = current[idx_np] - tgt_np
        return torch.from_numpy(grad).to(values.device, values.dtype), None, None, None, None


def crit_sets_diagrams(
    under_fil,
    values: torch.Tensor,
    include_inf_points: bool,
    strategy: str,
    step_size: float,
    n_threads: int,
) -> PersistenceDiagrams:
    """Diagrams of the explicit filtration ``under_fil`` (differentiable ``values`` by sorted id)
    whose backward is the critical-set gradient.

    The diagram comes from the optimizer's own pairing, so the backward reads the pairing the
    forward computed instead of reducing the matrix again.
    """
    device = values.device
    optimizer = TopologyOptimizer(under_fil, n_threads=n_threads)
    n_dims = max(under_fil.max_dim, 1)
    full = optimizer._pairing()
    pairs = IndexPairs(values, full.finite[:n_dims], full.essential[:n_dims], full.infinity, n_dims)
    birth_parts, death_parts, sizes = [], [], []
    for dim in range(pairs.n_dims):
        b, d = pairs.rows(dim, include_inf_points)
        birth_parts.append(b)
        death_parts.append(d)
        sizes.append((len(b), len(d)))
    # Finite rows of every dimension first, then essential ones, so deaths align with the
    # leading rows; one Function for all dimensions makes conflict resolution global.
    finite_births = np.concatenate([b[:nd] for b, (_, nd) in zip(birth_parts, sizes)])
    essential_births = np.concatenate([b[nd:] for b, (_, nd) in zip(birth_parts, sizes)])
    births = index_tensor(np.concatenate([finite_births, essential_births]), device)
    deaths = index_tensor(np.concatenate(death_parts), device)
    rows = _CritSetsRows.apply(
        values, births, deaths, pairs.infinity, (optimizer, strategy, step_size)
    )
    dgms, n_finite_total = {}, len(finite_births)
    finite_at, essential_at = 0, n_finite_total
    for dim, (nb, nd) in enumerate(sizes):
        parts = [rows[finite_at : finite_at + nd], rows[essential_at : essential_at + nb - nd]]
        dgms[dim] = torch.cat(parts)
        finite_at += nd
        essential_at += nb - nd

    def index_of(dim: int) -> torch.Tensor:
        return index_tensor(pairs.index_diagram(dim, include_inf_points), device)

    return PersistenceDiagrams(dgms, index_of)
