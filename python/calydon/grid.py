"""Filtrations of functions on grids: the Freudenthal triangulation and the cubical complex."""

from __future__ import annotations

from itertools import combinations
from math import comb, factorial, prod
from typing import Any, Sequence

import numpy as np

from . import _core
from ._memory import require_fits
from ._validate import as_float64_array, check_choice, check_max_dim

GRID_NDIMS = (1, 2, 3, 4)
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
            chains = 1 if complex_kind == "cubical" else (1 if k == 0 else factorial(k) * _stirling2(m, k))
            if complex_kind == "freudenthal" and k == 0 and m > 0:
                continue
            for span in combinations(axes, m):
                total += chains * prod((shape[i] - 1) if i in span else shape[i] for i in axes)
        counts.append(total)
    return counts


def require_grid_fits(shape: Sequence[int], max_dim: int, complex_kind: str, api: str) -> None:
    counts = grid_cell_counts(shape, max_dim, complex_kind)
    faces_per_cell = (lambda k: k + 1) if complex_kind == "freudenthal" else (lambda k: 2 * k)
    n_bytes = sum(c * (BYTES_PER_CELL + BYTES_PER_FACE * faces_per_cell(k)) for k, c in enumerate(counts))
    require_fits(n_bytes, api, f"the {complex_kind} complex of shape {tuple(shape)} "
                 f"({sum(counts):,} cells up to dimension {max_dim})",
                 "use a smaller max_dim or downsample the data")


def grid_max_dim(max_dim: Any, ndim: int, api: str) -> int:
    if max_dim is None:
        return ndim
    return min(check_max_dim(max_dim, api), ndim)


def build_freudenthal(data: Any, negate: bool, max_dim: int | None, api: str):
    """Validated build shared by the numpy and torch front ends: (Filtration, critical)."""
    arr = as_float64_array(data, "data", api, ndims=GRID_NDIMS)
    top = grid_max_dim(max_dim, arr.ndim, api)
    require_grid_fits(arr.shape, top, "freudenthal", api)
    return _core.freudenthal_filtration(arr, bool(negate), top)


def top_cell_dim(shape: Sequence[int], max_dim: int) -> int:
    """Largest cell dimension actually present: axes of length 1 span no cells."""
    return min(max_dim, sum(1 for n in shape if n > 1))


def grid_pairs(arr: np.ndarray, complex_kind: str, negate: bool, top: int, values_on: str = "vertices"):
    """Union-find persistence of a 1-D or 2-D grid complex without building the filtration.

    Returns (finite, essential) as per-dimension int64 arrays: finite rows (birth id, death id,
    birth data index, death data index), essential rows (id, data index); ids are sorted ids of
    the filtration the matching builder returns.
    """
    vertex_shape = arr.shape if values_on == "vertices" else tuple(n + 1 for n in arr.shape)
    require_grid_fits(vertex_shape, top, complex_kind, "grid_pairs")
    return _core.grid_persistence_pairs(arr, complex_kind, bool(negate), top, values_on)


def build_cubical(data: Any, negate: bool, max_dim: int | None, values_on: str, api: str):
    """Validated build shared by the numpy and torch front ends: (Filtration, critical)."""
    check_choice(values_on, "values_on", api, ("vertices", "cells"))
    arr = as_float64_array(data, "data", api, ndims=GRID_NDIMS)
    top = grid_max_dim(max_dim, arr.ndim, api)
    vertex_shape = arr.shape if values_on == "vertices" else tuple(n + 1 for n in arr.shape)
    require_grid_fits(vertex_shape, top, "cubical", api)
    return _core.cube_filtration(arr, bool(negate), top, values_on)


def freudenthal_filtration(data: Any, negate: bool = False, max_dim: int | None = None,
                           with_critical_vertices: bool = False):
    """Lower-star filtration of the Freudenthal triangulation of a 1-4 dimensional array.

    Every unit cube of the grid is split into D! simplices along its main diagonal; a simplex
    takes the largest value of its vertices (the smallest with ``negate=True``, an upper-star
    filtration).

    Args:
        data: array-like of shape (n_1, ..., n_D), 1 <= D <= 4, real dtype, finite values.
        negate: superlevel (upper-star) filtration instead of sublevel.
        max_dim: top simplex dimension (default D).
        with_critical_vertices: also return the critical vertices.

    Returns:
        ``Filtration``, or ``(Filtration, critical)`` where ``critical`` is an int64 array of shape
        (n_cells,) giving, per sorted cell, the flat index into ``data`` of its value.
    """
    fil, crit = build_freudenthal(data, negate, max_dim, "freudenthal_filtration")
    return (fil, crit) if with_critical_vertices else fil


def cube_filtration(data: Any, negate: bool = False, max_dim: int | None = None,
                    values_on: str = "vertices", with_critical_indices: bool = False):
    """Cubical filtration of a 1-4 dimensional array.

    ``values_on="vertices"``: data lives on the vertices and a cube takes the max of its
    vertices. ``values_on="cells"``: data lives on the top-dimensional cubes (vertex grid of shape
    ``data.shape + 1``) and a cube takes the min over the top cubes containing it. ``negate``
    swaps max and min (superlevel filtration).

    Args:
        data: array-like of shape (n_1, ..., n_D), 1 <= D <= 4, real dtype, finite values.
        negate: superlevel filtration.
        max_dim: top cube dimension (default D).
        values_on: ``"vertices"`` or ``"cells"``.
        with_critical_indices: also return the critical indices.

    Returns:
        ``Filtration``, or ``(Filtration, critical)`` with ``critical`` an int64 array (n_cells,)
        of flat indices into ``data``.
    """
    fil, crit = build_cubical(data, negate, max_dim, values_on, "cube_filtration")
    return (fil, crit) if with_critical_indices else fil

