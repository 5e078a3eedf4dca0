"""Diagram losses as ``torch.nn.Module``: ``SlicedWassersteinLoss``, ``WassersteinLoss`` (to a
target diagram) and ``TotalPersistenceLoss`` (no target), with torch's ``reduction`` semantics.

Every loss takes one diagram or a batch (see ``_loss_inputs``: an (n, 2) tensor, a
``PaddedDiagrams`` such as ``layer(x)[1]``, a padded (*batch, N, 2) tensor with ``mask=``, or a
list of (n_i, 2) tensors). The per-item losses have the input's batch shape; ``reduction``
"mean" (default) averages them, "sum" adds them, "none" returns them (a 0-d tensor for a single
diagram). Masked rows never reach a loss."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch

from .._validate import check_count
from ..diff import sliced_wasserstein_distance, wasserstein_cost
from ..distance import check_delta, check_flag, check_internal_p, check_q
from ._loss_inputs import check_reduction, diagram_items, padded_form, reduce, target_items


class _TargetLoss(torch.nn.Module):
    """A loss between each input item and its target; subclasses define ``_item_loss``."""

    def __init__(self, reduction: Any, api: str) -> None:
        super().__init__()
        self._api = api
        self.reduction = check_reduction(reduction, api)

    def _item_loss(self, dgm: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError

    def forward(
        self,
        input: Any,
        target: Any,
        mask: torch.Tensor | None = None,
        target_mask: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """Loss between ``input`` and ``target`` (one diagram, repeated for every item, or a
        batch of the input's batch shape), reduced as ``reduction`` says."""
        items, batch_shape = diagram_items(input, mask, "input", "mask", self._api)
        targets = target_items(target, target_mask, items[0], batch_shape, self._api)
        per_item = torch.stack([self._item_loss(d, t) for d, t in zip(items, targets)])
        return reduce(per_item.reshape(batch_shape), self.reduction)


class SlicedWassersteinLoss(_TargetLoss):
    """Sliced Wasserstein distance to a target, ``calydon.diff.sliced_wasserstein_distance``
    per item (each item draws its own ``n_directions`` directions from ``generator``, in row-major
    item order; default: torch's global RNG).

    Args:
        n_directions: positive int. ignore_inf_points: drop essential points.
        generator: ``torch.Generator`` or None. reduction: "mean" | "sum" | "none".
    """

    def __init__(
        self,
        n_directions: int = 100,
        ignore_inf_points: bool = False,
        generator: torch.Generator | None = None,
        reduction: str = "mean",
    ) -> None:
        api = "SlicedWassersteinLoss"
        super().__init__(reduction, api)
        self.n_directions = check_count(n_directions, "n_directions", api)
        self.ignore_inf_points = check_flag(ignore_inf_points, "ignore_inf_points", api)
        if generator is not None and not isinstance(generator, torch.Generator):
            raise TypeError(
                f"{api}: generator must be a torch.Generator or None, got {type(generator).__name__}"
            )
        self.generator = generator

    def _item_loss(self, dgm: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        return sliced_wasserstein_distance(
            dgm, target, self.n_directions, self.ignore_inf_points, self.generator
        )

    def extra_repr(self) -> str:
        return (
            f"n_directions={self.n_directions}, ignore_inf_points={self.ignore_inf_points}, "
            f"reduction={self.reduction!r}"
        )


class WassersteinLoss(_TargetLoss):
    """Wasserstein matching cost to a target, ``calydon.diff.wasserstein_cost`` per item: the sum
    of (L_p edge length)^q over an optimal matching (``cost ** (1 / q)`` is W_q).

    Args:
        q: >= 1. delta: relative error of the matching (0: exact). internal_p: ground L_p norm.
        ignore_inf_points: drop essential points (default True). reduction: as torch losses.
    """

    def __init__(
        self,
        q: float = 1.0,
        delta: float = 0.05,
        internal_p: float = math.inf,
        ignore_inf_points: bool = True,
        reduction: str = "mean",
    ) -> None:
        api = "WassersteinLoss"
        super().__init__(reduction, api)
        self.q = check_q(q, api)
        self.delta = check_delta(delta, api)
        self.internal_p = check_internal_p(internal_p, api)
        self.ignore_inf_points = check_flag(ignore_inf_points, "ignore_inf_points", api)

    def _item_loss(self, dgm: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        return wasserstein_cost(
            dgm, target, self.q, self.delta, self.internal_p, self.ignore_inf_points
        )

    def extra_repr(self) -> str:
        return (
            f"q={self.q}, delta={self.delta}, internal_p={self.internal_p}, "
            f"ignore_inf_points={self.ignore_inf_points}, reduction={self.reduction!r}"
        )


class TotalPersistenceLoss(torch.nn.Module):
    """Sum over the finite points of each diagram of |death - birth| ** p (essential points, whose
    persistence is infinite, and masked rows are left out; integer diagrams count in float64); one vectorised pass over the padded
    batch. Gradients: p |d - b|^(p-1) sign(d - b) on death, its negative on birth (0 at d = b).

    Args:
        p: positive real (default 1). reduction: "mean" | "sum" | "none".
    """

    def __init__(self, p: float = 1.0, reduction: str = "mean") -> None:
        super().__init__()
        api = "TotalPersistenceLoss"
        self._api = api
        self.reduction = check_reduction(reduction, api)
        if isinstance(p, bool) or not isinstance(p, (int, float, np.integer, np.floating)):
            raise TypeError(f"{api}: p must be a positive real number, got {type(p).__name__}")
        if not (math.isfinite(p) and p > 0):
            raise ValueError(f"{api}: p must be a positive finite number, got {p}")
        self.p = float(p)

    def forward(self, input: Any, mask: torch.Tensor | None = None) -> torch.Tensor:
        values, mask, _ = padded_form(input, mask, "input", "mask", self._api)
        if not values.is_floating_point():
            values = values.to(torch.float64)
        keep = mask & torch.isfinite(values).all(dim=-1)
        persistence = (values[..., 1] - values[..., 0]).abs()
        # Rows left out get a stand-in of 1 before the power, so no inf * 0 = NaN reaches the
        # gradient (p < 1); their term is then replaced by an exact 0.
        use = keep & (persistence > 0)
        safe = torch.where(use, persistence, torch.ones_like(persistence))
        terms = torch.where(use, safe**self.p, torch.zeros_like(safe))
        return reduce(terms.sum(dim=-1), self.reduction)

    def extra_repr(self) -> str:
        return f"p={self.p}, reduction={self.reduction!r}"
