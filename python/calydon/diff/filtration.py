"""DiffFiltration: a C++ filtration plus the differentiable value of every cell."""

from __future__ import annotations

import torch

from .._pairs import IndexPairs, PairsRequest, run_request
from ..persistence import general_request


class DiffFiltration:
    """A filtration whose values are a torch tensor that may require grad.

    Every other attribute (``max_dim``, ``negate``, ``kind``, ``size()``, ...) is read from
    ``under_fil``. The builders of ``calydon.diff`` create these; the constructor is for values
    computed by hand.

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
        if not isinstance(values, torch.Tensor):
            raise TypeError(
                f"DiffFiltration: values must be a torch.Tensor, got {type(values).__name__}"
            )
        if values.ndim != 1 or values.shape[0] != len(under_fil):
            raise ValueError(
                f"DiffFiltration: values must have shape ({len(under_fil)},), "
                f"got {tuple(values.shape)}"
            )
        self.under_fil = under_fil
        self.values = values

    def __getattr__(self, name: str):
        # Only reached for attributes not set in __init__: delegate to the C++ filtration.
        if name in ("under_fil", "values"):
            raise AttributeError(name)
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
