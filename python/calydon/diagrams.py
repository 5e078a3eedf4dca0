"""Persistence diagrams as numpy arrays, with the sorted-id pairs they come from."""

from __future__ import annotations

from typing import Iterator, Sequence

import numpy as np

from ._pairs import IndexPairs


class Diagrams:
    """Per-dimension persistence diagrams of one filtration.

    ``dgms[d]`` (or ``in_dimension(d)``) is a float64 array of shape (n_d, 2) of (birth, death)
    values; essential points, when included, have death ``+inf`` (``-inf`` for a negated
    filtration). ``index_diagram_in_dimension(d)`` gives the matching int64 (n_d, 2) array of
    sorted cell ids, with -1 as the death id of essential points. Row order is unspecified.
    ``len(dgms)`` is the number of dimensions and iterating yields the arrays in order.

    Parameters
    ----------
    values : sequence of array_like
        Per dimension, the (n_d, 2) (birth, death) values (stored as float64).
    index : sequence of array_like
        Per dimension, the matching (n_d, 2) sorted-id pairs (stored as int64).
    """

    def __init__(self, values: Sequence[np.ndarray], index: Sequence[np.ndarray]):
        """Per-dimension (n, 2) value arrays and the matching (n, 2) sorted-id arrays."""
        self._values = [np.asarray(v, dtype=np.float64).reshape(-1, 2) for v in values]
        self._index = [np.asarray(i, dtype=np.int64).reshape(-1, 2) for i in index]

    @classmethod
    def from_arrays(cls, values: Sequence[np.ndarray], index: Sequence[np.ndarray]) -> "Diagrams":
        """Same as the constructor.

        Parameters
        ----------
        values : sequence of array_like
            Per dimension, the (n_d, 2) (birth, death) values.
        index : sequence of array_like
            Per dimension, the matching (n_d, 2) sorted-id pairs.

        Returns
        -------
        Diagrams
            The diagrams.
        """
        return cls(values, index)

    @classmethod
    def from_index_pairs(cls, pairs: IndexPairs, include_inf_points: bool = True) -> "Diagrams":
        """Gather ``pairs.source`` (a float64 array) at the index pairs of every dimension.

        Parameters
        ----------
        pairs : IndexPairs
            The persistence contract of any backend (``calydon._pairs.IndexPairs``).
        include_inf_points : bool, default True
            Include essential points (death ``pairs.infinity``).

        Returns
        -------
        Diagrams
            Dimensions 0..pairs.n_dims-1.
        """
        values, index = [], []
        source = np.asarray(pairs.source, dtype=np.float64)
        for dim in range(pairs.n_dims):
            births, deaths = pairs.rows(dim, include_inf_points)
            vals = np.full((len(births), 2), pairs.infinity)
            vals[:, 0] = source[births]
            vals[: len(deaths), 1] = source[deaths]
            values.append(vals)
            index.append(pairs.index_diagram(dim, include_inf_points))
        return cls(values, index)

    def in_dimension(self, dim: int, as_numpy: bool = True) -> np.ndarray:
        """The diagram of one homology dimension.

        Parameters
        ----------
        dim : int
            Homology dimension, in [0, len(self)).
        as_numpy : bool, default True
            Accepted for compatibility with the reference API; the result is always a numpy array.

        Returns
        -------
        numpy.ndarray
            float64 array of shape (n, 2) of (birth, death).

        Raises
        ------
        IndexError
            ``dim`` out of range.
        """
        return self[dim]

    def index_diagram_in_dimension(self, dim: int) -> np.ndarray:
        """The sorted-id pairs behind the diagram of one homology dimension.

        Parameters
        ----------
        dim : int
            Homology dimension, in [0, len(self)).

        Returns
        -------
        numpy.ndarray
            int64 array of shape (n, 2) of (birth, death) sorted ids; death -1 marks an essential
            point.

        Raises
        ------
        IndexError
            ``dim`` out of range.
        """
        self._check(dim)
        return self._index[dim]

    def _check(self, dim: int) -> None:
        if not 0 <= dim < len(self._values):
            raise IndexError(f"Diagrams: dim must be in [0, {len(self._values)}), got {dim}")

    def __getitem__(self, dim: int) -> np.ndarray:
        self._check(dim)
        return self._values[dim]

    def __len__(self) -> int:
        return len(self._values)

    def __iter__(self) -> Iterator[np.ndarray]:
        return iter(self._values)

    def __repr__(self) -> str:
        return f"Diagrams(n_dims={len(self)}, sizes={[len(v) for v in self._values]})"
