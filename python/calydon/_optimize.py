"""Plumbing of the critical-set method: the strategy enums, IndicesValues, and argument checks."""

from __future__ import annotations

import enum
import math
from typing import Any, Iterator

import numpy as np


class DenoiseStrategy(enum.Enum):
    """How ``simplify`` cancels a point.

    Attributes
    ----------
    BirthBirth
        Move the death cell to the birth value (``"birth-birth"``).
    DeathDeath
        Move the birth cell to the death value (``"death-death"``).
    Midway
        Move both cells to the midpoint (``"midway"``).
    """

    BirthBirth = "birth-birth"
    DeathDeath = "death-death"
    Midway = "midway"


class ConflictStrategy(enum.Enum):
    """One target per cell when critical sets overlap.

    Attributes
    ----------
    Max
        The most displaced target (``"max"``).
    Avg
        The mean of the targets (``"avg"``).
    Sum
        Every (cell, target) pair kept (``"sum"``).
    FixCritAvg
        Each input cell pinned to its own target, the rest averaged (``"fca"``).
    """

    Max = "max"
    Avg = "avg"
    Sum = "sum"
    FixCritAvg = "fca"


_STRATEGY_NAMES = {"max": "max", "avg": "avg", "sum": "sum", "fca": "fca", "fixcritavg": "fca"}


def conflict_strategy_name(strategy: Any, api: str, name: str = "strategy") -> str:
    """'max' | 'avg' | 'sum' | 'fca' from a ConflictStrategy or its (case-insensitive) name."""
    if isinstance(strategy, ConflictStrategy):
        return strategy.value
    if isinstance(strategy, str) and strategy.lower() in _STRATEGY_NAMES:
        return _STRATEGY_NAMES[strategy.lower()]
    raise ValueError(
        f"{api}: {name} must be a ConflictStrategy or one of 'max', 'avg', 'sum', 'fca', "
        f"got {strategy!r}"
    )


def denoise_strategy(strategy: Any, api: str) -> DenoiseStrategy:
    if isinstance(strategy, DenoiseStrategy):
        return strategy
    for s in DenoiseStrategy:
        if isinstance(strategy, str) and strategy.lower() in (s.value, s.name.lower()):
            return s
    raise ValueError(
        f"{api}: strategy must be a DenoiseStrategy (BirthBirth, DeathDeath, Midway), got {strategy!r}"
    )


class IndicesValues:
    """Cells (sorted ids) and their target values.

    ``idx, vals = iv`` unpacks into two lists; ``iv[0]`` / ``iv[1]`` are those lists;
    ``len(iv)`` is the number of cells.

    Parameters
    ----------
    indices : array_like of int, shape (k,)
        Sorted ids (stored as int64).
    values : array_like of float, shape (k,)
        Target values (stored as float64).
    """

    __slots__ = ("_indices", "_values")

    def __init__(self, indices: Any, values: Any):
        self._indices = np.ascontiguousarray(indices, dtype=np.int64).reshape(-1)
        self._values = np.ascontiguousarray(values, dtype=np.float64).reshape(-1)
        if len(self._indices) != len(self._values):
            raise ValueError(
                f"IndicesValues: indices and values must have the same length, got "
                f"{len(self._indices)} and {len(self._values)}"
            )

    def indices_array(self) -> np.ndarray:
        """The sorted ids as an array.

        Returns
        -------
        numpy.ndarray
            int64 array of shape (k,) (a view, not a copy).
        """
        return self._indices

    def values_array(self) -> np.ndarray:
        """The target values as an array.

        Returns
        -------
        numpy.ndarray
            float64 array of shape (k,) (a view, not a copy).
        """
        return self._values

    def __getitem__(self, i: int) -> list:
        if i == 0:
            return self._indices.tolist()
        if i == 1:
            return self._values.tolist()
        raise IndexError(f"IndicesValues: index must be 0 (indices) or 1 (values), got {i!r}")

    def __iter__(self) -> Iterator[list]:
        yield self[0]
        yield self[1]

    def __len__(self) -> int:
        return len(self._indices)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, IndicesValues)
            and np.array_equal(self._indices, other._indices)
            and np.array_equal(self._values, other._values)
        )

    def __repr__(self) -> str:
        return f"IndicesValues(n={len(self)}, indices={self._indices[:6].tolist()}...)"


def requests(indices: Any, values: Any, n_cells: int, api: str) -> tuple[np.ndarray, np.ndarray]:
    """Validated (int64 cells, float64 targets): same length, ids in range, finite targets."""
    idx = np.asarray(indices)
    vals = np.asarray(values)
    if idx.size and idx.dtype.kind not in "iu":
        raise TypeError(f"{api}: indices must be integers (sorted ids), got dtype {idx.dtype}")
    if vals.size and vals.dtype.kind not in "iuf":
        raise TypeError(f"{api}: values must be real numbers, got dtype {vals.dtype}")
    idx = np.ascontiguousarray(idx, dtype=np.int64).reshape(-1)
    vals = np.ascontiguousarray(vals, dtype=np.float64).reshape(-1)
    if len(idx) != len(vals):
        raise ValueError(
            f"{api}: indices and values must have the same length, got {len(idx)} and {len(vals)}"
        )
    bad = np.flatnonzero((idx < 0) | (idx >= n_cells))
    if len(bad):
        raise ValueError(
            f"{api}: indices must be sorted ids in [0, {n_cells}), got {idx[bad[0]]} at position {bad[0]}"
        )
    if not np.isfinite(vals).all():
        pos = int(np.flatnonzero(~np.isfinite(vals))[0])
        raise ValueError(f"{api}: values must be finite, got {vals[pos]} at position {pos}")
    return idx, vals


def check_dim(dim: Any, max_dim: int, api: str) -> int:
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)):
        raise TypeError(f"{api}: dim must be an int, got {type(dim).__name__}")
    if not 0 <= dim <= max(max_dim, 0):
        raise ValueError(f"{api}: dim must be in [0, {max(max_dim, 0)}], got {dim}")
    return int(dim)


def far_target(later: bool, negate: bool) -> float:
    """The target of a whole-column or whole-row move: +-inf in filtration order."""
    return math.inf if later != negate else -math.inf
