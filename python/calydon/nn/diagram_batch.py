"""What the persistence layers return: the diagrams of a batch, per item and padded per dimension.

A ``DiagramBatch`` is a mapping ``{dim: PaddedDiagrams}`` like ``PersistenceDiagrams`` is a
mapping ``{dim: tensor}``, so ``out[1]`` is "H1 of every item": a ``(values, mask)`` pair of
shapes ``(*batch_shape, N, 2)`` and ``(*batch_shape, N)``, N the largest H1 diagram of the batch.
Padding rows are ``(0, 0)`` (on the diagonal, no gradient; see ``calydon.diff.pad_diagrams``)
and ``mask`` is False there. The unpadded diagrams stay available per item (``out.item(i)``,
``out.diagrams(dim)``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Iterator, NamedTuple, Sequence

import numpy as np
import torch

from ..diff import PersistenceDiagrams, pad_diagrams


class PaddedDiagrams(NamedTuple):
    """One homology dimension of a batch: a named tuple ``(values, mask)``.

    Attributes
    ----------
    values : torch.Tensor
        Shape (*batch_shape, N, 2), in the input's dtype and on its device, differentiable;
        padding rows are ``(0, 0)``.
    mask : torch.Tensor
        Bool, shape (*batch_shape, N), True on real rows.
    """

    values: torch.Tensor
    mask: torch.Tensor

    @property
    def batch_shape(self) -> tuple[int, ...]:
        """The batch axes, ``mask.shape[:-1]`` (a tuple of ints; () for a single item)."""
        return tuple(self.mask.shape[:-1])

    def unpad(self) -> list[torch.Tensor]:
        """The real rows of every item, a flat list in row-major order of the batch axes.

        Returns
        -------
        list of torch.Tensor
            One (n_i, 2) tensor per item, in ``values``' dtype and on its device, keeping its
            autograd graph.
        """
        n_rows = self.values.shape[-2]
        flat_values = self.values.reshape(-1, n_rows, 2)
        flat_mask = self.mask.reshape(-1, n_rows)
        return [v[m] for v, m in zip(flat_values, flat_mask)]


class DiagramBatch(Mapping):
    """Diagrams of a batch of inputs: a mapping ``{dim: PaddedDiagrams}`` for dims 0..max_dim.

    ``batch[dim]`` pads that dimension on first access (and caches it); ``item(i)`` or
    ``item(b, c)`` returns one item's ``PersistenceDiagrams``; ``diagrams(dim)`` the flat list of
    its unpadded (n_i, 2) tensors. Iteration yields dimensions, as for a dict. The persistence
    layers of ``calydon.nn`` build it.

    Parameters
    ----------
    items : sequence of PersistenceDiagrams
        One per item of the batch, in row-major order.
    batch_shape : tuple of int
        The input's batch axes, e.g. (B,) or (B, C); () for a single item. Its product must equal
        ``len(items)``.

    Attributes
    ----------
    batch_shape : tuple of int
        The input's batch axes.
    items : list of PersistenceDiagrams
        One per item, in row-major order.

    Raises
    ------
    ValueError
        ``items`` does not fill ``batch_shape``.
    """

    def __init__(self, items: Sequence[PersistenceDiagrams], batch_shape: tuple[int, ...]):
        if len(items) != int(np.prod(batch_shape, dtype=np.int64)):
            raise ValueError(
                f"DiagramBatch: {len(items)} items do not fill the batch shape {batch_shape}"
            )
        self.items = list(items)
        self.batch_shape = tuple(int(n) for n in batch_shape)
        self._dims = sorted(set().union(*(set(d) for d in self.items)))
        self._padded: dict[int, PaddedDiagrams] = {}

    def __getitem__(self, dim: int) -> PaddedDiagrams:
        if dim not in self._dims:
            raise KeyError(f"DiagramBatch: no dimension {dim!r}; available: {self._dims}")
        if dim not in self._padded:
            values, mask = pad_diagrams(self.diagrams(dim))
            tail = tuple(values.shape[1:])
            self._padded[dim] = PaddedDiagrams(
                values.reshape(self.batch_shape + tail), mask.reshape(self.batch_shape + tail[:1])
            )
        return self._padded[dim]

    def __iter__(self) -> Iterator[int]:
        return iter(self._dims)

    def __len__(self) -> int:
        return len(self._dims)

    def in_dimension(self, dim: int) -> PaddedDiagrams:
        """``self[dim]``: the padded diagrams of homology dimension ``dim``.

        Parameters
        ----------
        dim : int
            A homology dimension present in the batch.

        Returns
        -------
        PaddedDiagrams
            ``values`` (*batch_shape, N, 2) and bool ``mask`` (*batch_shape, N), N the largest
            diagram of that dimension in the batch.

        Raises
        ------
        KeyError
            No item has dimension ``dim``.
        """
        return self[dim]

    def diagrams(self, dim: int) -> list[torch.Tensor]:
        """The unpadded diagrams of dimension ``dim``, one per item.

        Parameters
        ----------
        dim : int
            A homology dimension present in the batch.

        Returns
        -------
        list of torch.Tensor
            One (n_i, 2) tensor per item in row-major order, in the input's dtype and on its device
            (an empty (0, 2) one for an item without that dimension).

        Raises
        ------
        KeyError
            No item has dimension ``dim``.
        """
        if dim not in self._dims:
            raise KeyError(f"DiagramBatch: no dimension {dim!r}; available: {self._dims}")
        # Items of one batch may differ in dimensions (a list of 2-D and 3-D clouds): an item
        # without this one contributes an empty diagram.
        return [
            item[dim] if dim in item else next(iter(item.values())).new_zeros((0, 2))
            for item in self.items
        ]

    def item(self, *index: int) -> PersistenceDiagrams:
        """The diagrams of one item.

        Parameters
        ----------
        *index : int
            ``item(b, c)`` for batch shape (B, C), or a single flat position ``item(i)`` (row-major)
            for any batch shape; negative indices count from the end.

        Returns
        -------
        PersistenceDiagrams
            The item's unpadded diagrams, ``{dim: tensor (n_d, 2)}``.

        Raises
        ------
        IndexError
            A wrong number of indices or an index out of range.
        """
        shape = self.batch_shape
        if len(index) == 1 and len(shape) != 1:
            shape = (len(self.items),)  # a flat position
        if len(index) != len(shape):
            raise IndexError(f"DiagramBatch.item: got {len(index)} indices for batch shape {shape}")
        for i, n in zip(index, shape):
            if isinstance(i, bool) or not isinstance(i, (int, np.integer)) or not -n <= i < n:
                raise IndexError(
                    f"DiagramBatch.item: index {index} out of range for batch shape {shape}"
                )
        wrapped = tuple(int(i) % n for i, n in zip(index, shape))
        return self.items[int(np.ravel_multi_index(wrapped, shape)) if shape else 0]

    @property
    def max_dim(self) -> int:
        """Largest homology dimension present (-1 when there is none)."""
        return self._dims[-1] if self._dims else -1

    def __repr__(self) -> str:
        sizes = {d: max((len(t) for t in self.diagrams(d)), default=0) for d in self._dims}
        return f"DiagramBatch(batch_shape={self.batch_shape}, largest diagram per dim={sizes})"
