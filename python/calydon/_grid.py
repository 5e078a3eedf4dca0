"""Plumbing of the grid builders shared by ``calydon.grid`` and ``calydon.diff.grid``: cell counts,
the memory pre-flight and the C++ calls on validated float64 arrays."""

from __future__ import annotations

import math
from itertools import combinations
from math import comb, factorial, prod
from typing import Any, Sequence

import numpy as np

from . import _core
from ._memory import require_fits
from ._pairs import IndexPairs, PairsRequest, run_request
from ._validate import check_max_dim

GRID_NDIMS = (1, 2, 3, 4)
VALUES_ON = ("vertices", "cells")
# Peak bytes per cell during a build (input-order cell list, sorted copy, permutations, ranks,
# critical indices) plus per boundary entry; measured on 2-D and 3-D grids, rounded up.
BYTES_PER_CELL = 160
BYTES_PER_FACE = 24


def _stirling2(n: int, k: int) -> int:
    return sum((-1) ** i * comb(k, i) * (k - i) ** n for i in range(k + 1)) // factorial(k)


def grid_cell_counts(shape: Sequence[int], max_dim: int, complex_kind: str) -> list[int]:
    """Number of cells per dimension of the Freudenthal or cubical complex on a vertex grid.

    A cube spanning axes S has prod_{i in S}(n_i - 1) prod_{i not in S} n_i anchors; a Kuhn
    k-simplex whose offsets end at S exists for each of the k! S(|S|, k) chains ending at S.
    """
    axes = range(len(shape))
    counts = []
    for k in range(max_dim + 1):
        total = 0
        sizes = range(k, len(shape) + 1) if complex_kind == "freudenthal" else (k,)
        for m in sizes:
            chains = (
                1
                if complex_kind == "cubical"
                else (1 if k == 0 else factorial(k) * _stirling2(m, k))
            )
            if complex_kind == "freudenthal" and k == 0 and m > 0:
                continue
            for span in combinations(axes, m):
                total += chains * prod((shape[i] - 1) if i in span else shape[i] for i in axes)
        counts.append(total)
    return counts


def require_grid_fits(shape: Sequence[int], max_dim: int, complex_kind: str, api: str) -> None:
    counts = grid_cell_counts(shape, max_dim, complex_kind)
    faces_per_cell = (lambda k: k + 1) if complex_kind == "freudenthal" else (lambda k: 2 * k)
    n_bytes = sum(
        c * (BYTES_PER_CELL + BYTES_PER_FACE * faces_per_cell(k)) for k, c in enumerate(counts)
    )
    require_fits(
        n_bytes,
        api,
        f"the {complex_kind} complex of shape {tuple(shape)} "
        f"({sum(counts):,} cells up to dimension {max_dim})",
        "use a smaller max_dim or downsample the data",
    )


def grid_max_dim(max_dim: Any, ndim: int, api: str) -> int:
    if max_dim is None:
        return ndim
    return min(check_max_dim(max_dim, api), ndim)


def vertex_shape(shape: Sequence[int], values_on: str) -> tuple[int, ...]:
    """Shape of the vertex grid: the data's, or one more per axis when values live on top cells."""
    return tuple(shape) if values_on == "vertices" else tuple(n + 1 for n in shape)


def top_cell_dim(shape: Sequence[int], max_dim: int) -> int:
    """Largest cell dimension actually present: axes of length 1 span no cells."""
    return min(max_dim, sum(1 for n in shape if n > 1))


def build(arr: np.ndarray, complex_kind: str, negate: bool, top: int, values_on: str, api: str):
    """(Filtration, critical) of a validated float64 array, after the memory pre-flight."""
    require_grid_fits(vertex_shape(arr.shape, values_on), top, complex_kind, api)
    if complex_kind == "freudenthal":
        return _core.freudenthal_filtration(arr, bool(negate), top, api=api)
    return _core.cube_filtration(arr, bool(negate), top, values_on, api=api)


def union_find_request(
    arr: np.ndarray,
    complex_kind: str,
    negate: bool,
    top: int,
    values_on: str,
    api: str,
    n_dims: int,
    source: Any = None,
) -> PairsRequest:
    """The grid backend of the persistence contract, for 1-D and 2-D grids: union-find only, no
    filtration object. Indices are flat indices into the data (``source``, default the flattened
    array); the sorted ids of the explicit filtration come alongside. The memory pre-flight runs
    here, before anything is computed."""
    require_grid_fits(vertex_shape(arr.shape, values_on), top, complex_kind, api)
    infinity = -math.inf if negate else math.inf
    src = arr.reshape(-1) if source is None else source

    def finish(raw) -> IndexPairs:
        by_data, by_id = raw
        ids = IndexPairs(None, by_id[0], by_id[1], infinity, n_dims)
        return IndexPairs(src, by_data[0], by_data[1], infinity, n_dims, sorted_ids=ids.sorted_ids)

    return PairsRequest(("grid", arr, complex_kind, bool(negate), top, values_on), finish)


def union_find_pairs(
    arr: np.ndarray,
    complex_kind: str,
    negate: bool,
    top: int,
    values_on: str,
    api: str,
    n_dims: int,
) -> IndexPairs:
    """``union_find_request`` run at once."""
    return run_request(
        union_find_request(arr, complex_kind, negate, top, values_on, api, n_dims), 1, api
    )
