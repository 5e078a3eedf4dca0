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
    """

    def __init__(self, values: Sequence[np.ndarray], index: Sequence[np.ndarray]):
        """Per-dimension (n, 2) value arrays and the matching (n, 2) sorted-id arrays."""
        self._values = [np.asarray(v, dtype=np.float64).reshape(-1, 2) for v in values]
        self._index = [np.asarray(i, dtype=np.int64).reshape(-1, 2) for i in index]

    @classmethod
    def from_arrays(cls, values: Sequence[np.ndarray], index: Sequence[np.ndarray]) -> "Diagrams":
        """Same as the constructor."""
        return cls(values, index)

    @classmethod
    def from_index_pairs(cls, pairs: IndexPairs, include_inf_points: bool = True) -> "Diagrams":
        """Gathers ``pairs.source`` (a float64 array) at the index pairs of every dimension."""
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
        """float64 array (n, 2) of (birth, death) in homology dimension ``dim``."""
        return self[dim]

    def index_diagram_in_dimension(self, dim: int) -> np.ndarray:
        """int64 array (n, 2) of (birth, death) sorted ids; death -1 marks an essential point."""
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
