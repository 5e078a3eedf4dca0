"""DiffFiltration: a C++ filtration plus the differentiable value of every cell."""

from __future__ import annotations

import copy

import torch

from .._core import Filtration
from .._filtration import require_filtration
from .._pairs import IndexPairs, PairsRequest, run_request
from ..persistence import general_request

FORWARDED_NAMES = frozenset(
    name for name in dir(Filtration) if not name.startswith("_") and name != "values"
)
"""The documented ``calydon.Filtration`` API a ``DiffFiltration`` answers from ``under_fil``;
any other unknown name is an AttributeError that builds nothing (``hasattr``, ``copy`` and
``pickle`` probe for names such as ``__setstate__``)."""


def leaf_copy(t: torch.Tensor) -> torch.Tensor:
    """A tensor with t's values, dtype, device and requires_grad but no autograd history: what
    a pickle or a deep copy can hold (a graph cannot be copied)."""
    return t.detach().requires_grad_(t.requires_grad)


class PicklableFiltration:
    """Pickling and copying for differentiable filtrations: ``copy.copy`` shares everything
    (the values keep their graph); ``pickle`` and ``copy.deepcopy`` hold every tensor as a new
    leaf (see ``leaf_copy``) and leave out what ``_transient_state`` names (built on demand)."""

    _transient_state: tuple[str, ...] = ()

    def __copy__(self):
        new = type(self).__new__(type(self))
        new.__dict__.update(self.__dict__)
        return new

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        for name in self._transient_state:
            state[name] = None
        return {k: leaf_copy(v) if isinstance(v, torch.Tensor) else v for k, v in state.items()}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)

    def __deepcopy__(self, memo: dict):
        new = type(self).__new__(type(self))
        memo[id(self)] = new
        new.__setstate__(copy.deepcopy(self.__getstate__(), memo))
        return new


class DiffFiltration(PicklableFiltration):
    """A filtration whose values are a torch tensor that may require grad.

    Every other attribute (``max_dim``, ``negate``, ``kind``, ``size()``, ...) is read from
    ``under_fil``. The builders of ``calydon.diff`` create these; the constructor is for values
    computed by hand.

    The public ``calydon.Filtration`` API (``FORWARDED_NAMES``) is read from ``under_fil``; any
    other unknown name raises AttributeError. Pickling and ``copy.deepcopy`` keep the filtration
    and the values (as a new leaf tensor: the autograd graph to the original input is not
    copied).

    Parameters
    ----------
    under_fil : Filtration
        The ``calydon.Filtration`` (combinatorics and float64 values, in sorted order).
    values : torch.Tensor, shape (len(under_fil),)
        ``values[i]`` is the differentiable value of the cell with sorted id ``i``; it must equal
        ``under_fil.values()[i]`` in float64. Any real dtype and device.

    Attributes
    ----------
    under_fil : Filtration
        As given.
    values : torch.Tensor, shape (n_cells,)
        As given.
    """

    def __init__(self, under_fil, values: torch.Tensor):
        api = "DiffFiltration"
        require_filtration(under_fil, "under_fil", api)
        if not isinstance(values, torch.Tensor):
            raise TypeError(f"{api}: values must be a torch.Tensor, got {type(values).__name__}")
        if values.dtype == torch.bool or values.is_complex():
            raise TypeError(f"{api}: values must have a real numeric dtype, got {values.dtype}")
        if values.ndim != 1 or values.shape[0] != len(under_fil):
            raise ValueError(
                f"{api}: values must have shape ({len(under_fil)},), got {tuple(values.shape)}"
            )
        if values.is_floating_point() and bool(torch.isnan(values.detach()).any()):
            bad = int(torch.isnan(values.detach()).nonzero()[0, 0])
            raise ValueError(f"{api}: values must not be NaN, got NaN at sorted id {bad}")
        self.under_fil = under_fil
        self.values = values

    def __getattr__(self, name: str):
        # Only reached for names not found the normal way. Anything but the documented
        # Filtration API fails here, so probing (hasattr, copy, pickle) never builds a lazy
        # complex, and a half-constructed object (no __dict__ entries yet) cannot recurse.
        if name not in FORWARDED_NAMES:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        return getattr(self.under_fil, name)

    def __len__(self) -> int:
        return len(self.under_fil)

    def _index_pairs(
        self, dualize: bool | None, n_threads: int, gradient_method: str
    ) -> IndexPairs:
        """The persistence contract: index pairs into a differentiable value source (the
        ``_pairs_request`` of this filtration, run at once)."""
        return run_request(
            self._pairs_request(dualize, gradient_method), n_threads, "persistence_diagram"
        )

    def _explicit_values(self, api: str):
        """(under_fil, values): the explicit filtration and its differentiable values; lazy
        subclasses build them here, naming ``api`` in a memory refusal."""
        return self.under_fil, self.values

    def _pairs_request(self, dualize: bool | None, gradient_method: str) -> PairsRequest:
        """The persistence computation behind ``_index_pairs``, ready to run alone or in a batch.

        This general backend reduces ``under_fil`` (dims 0..max(max_dim - 1, 0)) and indexes
        ``values`` by sorted id; lazy subclasses (1-D/2-D grids, Vietoris-Rips) override it with
        their own backends. ``dualize=None`` takes the builder's preferred side.
        """
        under = self.under_fil
        if dualize is None:
            dualize = under.prefers_cohomology
        return general_request(under, dualize, max(under.max_dim, 1), source=self.values)

    def __repr__(self) -> str:
        return (
            f"DiffFiltration({self.under_fil!r}, values=Tensor(shape={tuple(self.values.shape)}, "
            f"dtype={self.values.dtype}, device={self.values.device}, "
            f"requires_grad={self.values.requires_grad}))"
        )
