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
        """Loss between ``input`` and ``target``, reduced as ``reduction`` says.

        Parameters
        ----------
        input : torch.Tensor, PaddedDiagrams or list of torch.Tensor
            One diagram (n, 2); a ``PaddedDiagrams`` (``layer(x)[dim]``); a padded batch
            (*batch, N, 2) with ``mask``; or a list of (n_i, 2) tensors (batch shape (len,)). A real
            dtype, any device.
        target : torch.Tensor, array_like, PaddedDiagrams or list of torch.Tensor
            One diagram (a tensor, numpy array or nested list, converted to the input's dtype and
            device), used for every item, or a batch of the input's batch shape.
        mask : torch.Tensor, optional
            Bool (*batch, N), False on padding rows of a padded ``input``; None: every row is real.
        target_mask : torch.Tensor, optional
            The same for a padded ``target``.

        Returns
        -------
        torch.Tensor
            In the input's dtype (float64 for integers) and on its device: 0-d for ``"mean"``,
            ``"sum"`` or a single diagram; shape ``batch_shape`` for ``"none"``. Differentiable
            with respect to ``input`` (and ``target``).

        Raises
        ------
        TypeError, ValueError
            An unsupported form (a whole ``DiagramBatch`` asks for one dimension), bad shapes, a
            target batch of another batch shape.
        """
        items, batch_shape = diagram_items(input, mask, "input", "mask", self._api)
        targets = target_items(target, target_mask, items[0], batch_shape, self._api)
        per_item = torch.stack([self._item_loss(d, t) for d, t in zip(items, targets)])
        return reduce(per_item.reshape(batch_shape), self.reduction)


class SlicedWassersteinLoss(_TargetLoss):
    """Sliced Wasserstein distance to a target: ``calydon.diff.sliced_wasserstein_distance``
    per item.

    Each item draws its own ``n_directions`` directions from ``generator``, in row-major item
    order. Called as ``loss(input, target, mask=None, target_mask=None)``: see ``forward``.

    Parameters
    ----------
    n_directions : int, default 100
        Number of random directions, a positive int.
    ignore_inf_points : bool, default False
        Drop essential points (``inf`` coordinates) before the distance.
    generator : torch.Generator, optional
        Source of the directions; None: torch's global RNG.
    reduction : {"mean", "sum", "none"}, default "mean"
        As for torch losses: average or add the per-item losses, or return them.

    Raises
    ------
    TypeError, ValueError
        A bad option, naming the loss, the argument and the value.
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
        """The constructor's options, shown by ``repr(module)``.

        Returns
        -------
        str
            ``name=value`` pairs separated by commas.
        """
        return (
            f"n_directions={self.n_directions}, ignore_inf_points={self.ignore_inf_points}, "
            f"reduction={self.reduction!r}"
        )


class WassersteinLoss(_TargetLoss):
    """Wasserstein matching cost to a target, ``calydon.diff.wasserstein_cost`` per item: the sum of
    (L_p edge length)^q over an optimal matching (``cost ** (1 / q)`` is W_q).

    Called as ``loss(input, target, mask=None, target_mask=None)``: see ``forward``.

    Parameters
    ----------
    q : float, default 1.0
        Exponent of the cost, >= 1.
    delta : float, default 0.05
        Relative error of the matching (0: exact).
    internal_p : float, default inf
        Ground L_p norm, >= 1.
    ignore_inf_points : bool, default True
        Drop essential points before the matching.
    reduction : {"mean", "sum", "none"}, default "mean"
        As for torch losses: average or add the per-item losses, or return them.

    Raises
    ------
    TypeError, ValueError
        A bad option, naming the loss, the argument and the value.
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
        """The constructor's options, shown by ``repr(module)``.

        Returns
        -------
        str
            ``name=value`` pairs separated by commas.
        """
        return (
            f"q={self.q}, delta={self.delta}, internal_p={self.internal_p}, "
            f"ignore_inf_points={self.ignore_inf_points}, reduction={self.reduction!r}"
        )


class TotalPersistenceLoss(torch.nn.Module):
    """Sum over the finite points of each diagram of ``|death - birth| ** p``.

    Essential points (infinite persistence) and masked rows are left out; integer diagrams count
    in float64. One vectorised pass over the padded batch. Gradients: ``p |d - b|^(p-1)
    sign(d - b)`` on death, its negative on birth (0 at d = b).

    Parameters
    ----------
    p : float, default 1.0
        Exponent, a positive finite real.
    reduction : {"mean", "sum", "none"}, default "mean"
        As for torch losses: average or add the per-item losses, or return them.

    Raises
    ------
    TypeError, ValueError
        A bad option, naming the loss, the argument and the value.
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
        """Total persistence of ``input``, reduced as ``reduction`` says.

        Parameters
        ----------
        input : torch.Tensor, PaddedDiagrams or list of torch.Tensor
            One diagram (n, 2); a ``PaddedDiagrams`` (``layer(x)[dim]``); a padded batch
            (*batch, N, 2) with ``mask``; or a list of (n_i, 2) tensors (batch shape (len,)). A real
            dtype, any device.
        mask : torch.Tensor, optional
            Bool (*batch, N), False on padding rows of a padded ``input``; None: every row is real.

        Returns
        -------
        torch.Tensor
            In the input's floating dtype (float64 for integers) and on its device: 0-d for
            ``"mean"``, ``"sum"`` or a single diagram; shape ``batch_shape`` for ``"none"``.
            Differentiable with respect to ``input``.

        Raises
        ------
        TypeError, ValueError
            An unsupported form (a whole ``DiagramBatch`` asks for one dimension), bad shapes.
        """
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
        """The constructor's options, shown by ``repr(module)``.

        Returns
        -------
        str
            ``name=value`` pairs separated by commas.
        """
        return f"p={self.p}, reduction={self.reduction!r}"
