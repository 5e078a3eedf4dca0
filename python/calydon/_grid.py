"""Plumbing of the grid builders shared by ``calydon.grid`` and ``calydon.diff.grid``: cell counts,
the memory pre-flight and the C++ calls on validated float64 arrays."""

from __future__ import annotations

import math
from itertools import combinations
from math import comb, factorial, prod
from typing import Any, Callable, Sequence

import numpy as np

from . import _core
from ._memory import require_fits
from ._pairs import IndexPairs, PairsRequest, SortedIds, run_request
from ._validate import check_bool, check_max_dim

GRID_NDIMS = (1, 2, 3, 4)
VALUES_ON = ("vertices", "cells")
# Peak bytes per cell during a build (input-order cell list, sorted copy, permutations, ranks,
# critical indices) plus per boundary entry; measured on 2-D and 3-D grids, rounded up.
BYTES_PER_CELL = 160
BYTES_PER_FACE = 24


def _stirling2(n: int, k: int) -> int:
    return sum((-1) ** i * comb(k, i) * (k - i) ** n for i in range(k + 1)) // factorial(k)


def _shapes_ending_at(m: int, k: int, complex_kind: str) -> int:
    """k-cells whose vertices span exactly m given axes from their anchor: one cube (m = k), or
    the k! S(m, k) Kuhn chains of k nested nonempty subsets ending at all m axes."""
    if complex_kind == "cubical":
        return 1 if m == k else 0
    if k == 0:
        return 1 if m == 0 else 0
    return factorial(k) * _stirling2(m, k)


def grid_cell_counts(shape: Sequence[int], max_dim: int, complex_kind: str) -> list[int]:
    """Number of cells per dimension of the Freudenthal or cubical complex on a vertex grid.

    A cube spanning axes S has prod_{i in S}(n_i - 1) prod_{i not in S} n_i anchors; a Kuhn
    k-simplex whose offsets end at S exists for each of the k! S(|S|, k) chains ending at S.
    """
    axes = range(len(shape))
    counts = []
    for k in range(max_dim + 1):
        total = 0
        for m in range(k, len(shape) + 1):
            chains = _shapes_ending_at(m, k, complex_kind)
            if chains == 0:
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


def check_wrap(wrap: Any, api: str) -> bool:
    """``wrap`` must be a bool (numpy bools too): a string such as "False" is refused."""
    return check_bool(wrap, "wrap", api)


def grid_max_dim(max_dim: Any, ndim: int, api: str) -> int:
    if max_dim is None:
        return ndim
    return min(check_max_dim(max_dim, api), ndim)


def vertex_shape(shape: Sequence[int], values_on: str, wrap: bool = False) -> tuple[int, ...]:
    """Shape of the vertex grid: the data's, or one more per axis when values live on the top
    cells of a box (a torus has as many top cells as vertices along each axis)."""
    if values_on == "vertices" or wrap:
        return tuple(shape)
    return tuple(n + 1 for n in shape)


def top_cell_dim(shape: Sequence[int], max_dim: int) -> int:
    """Largest cell dimension actually present: axes of length 1 span no cells."""
    return min(max_dim, sum(1 for n in shape if n > 1))


# Peak bytes of the implicit path, measured on white noise (the worst case: most pairs, most
# columns to reduce) and rounded up: per vertex, the float64 data, the radix sort, order, ranks,
# lower-star masks, union-find and pairs; per top cell, the dual union-find; per cell of a middle
# dimension (reduced by cohomology in 3-D and 4-D), its share of the pending columns, reduced
# columns and pairs. Within 1.5x of the measured peak on 2-D and 3-D grids.
IMPLICIT_BYTES_PER_VERTEX = 48
IMPLICIT_BYTES_PER_TOP_CELL = 4
IMPLICIT_BYTES_PER_MIDDLE_CELL = 36


def patterns_per_vertex(ndim: int, k: int, complex_kind: str) -> int:
    """Cells of dimension k anchored at one vertex: k-subsets of the axes (cubes), or chains of
    k nested nonempty axis subsets (Kuhn simplices)."""
    return sum(_shapes_ending_at(m, k, complex_kind) * comb(ndim, m) for m in range(k, ndim + 1))


def implicit_bytes(shape: Sequence[int], complex_kind: str) -> int:
    """Estimated peak bytes of the implicit path on the vertex grid ``shape``."""
    ndim = len(shape)
    middle = (
        sum(patterns_per_vertex(ndim, k, complex_kind) for k in range(1, ndim)) if ndim >= 3 else 0
    )
    return prod(shape) * (
        IMPLICIT_BYTES_PER_VERTEX
        + IMPLICIT_BYTES_PER_TOP_CELL * patterns_per_vertex(ndim, ndim, complex_kind)
        + IMPLICIT_BYTES_PER_MIDDLE_CELL * middle
    )


def require_implicit_fits(
    shape: Sequence[int], complex_kind: str, values_on: str, wrap: bool, api: str
):
    """Memory pre-flight of the implicit path (``shape`` is the data's), before any copy."""
    vshape = vertex_shape(shape, values_on, wrap)
    require_fits(
        implicit_bytes(vshape, complex_kind),
        api,
        f"the persistence of a {complex_kind} grid of shape {tuple(shape)}",
        "downsample the data",
    )


def build(
    arr: np.ndarray,
    complex_kind: str,
    negate: bool,
    top: int,
    values_on: str,
    api: str,
    wrap: bool = False,
    with_codes: bool = False,
):
    """(Filtration, critical[, codes]) of a validated float64 array, after the memory pre-flight."""
    require_grid_fits(vertex_shape(arr.shape, values_on, wrap), top, complex_kind, api)
    return _core.grid_filtration(
        arr, complex_kind, bool(negate), top, values_on, bool(wrap), with_codes, api=api
    )


def sorted_ids_from_codes(codes: np.ndarray, fil, by_code) -> SortedIds:
    """Sorted ids of implicit pairs (cell codes per dimension) in the explicit filtration whose
    sorted cells have ``codes``."""

    def lookup(wanted: np.ndarray, d: int) -> np.ndarray:
        if d > fil.max_dim or len(wanted) == 0:
            return np.full(len(wanted), -1, dtype=np.int64)
        lo, hi = fil.dim_first(d), fil.dim_first(d + 1) if d < fil.max_dim else len(fil)
        block = codes[lo:hi]
        order = np.argsort(block, kind="stable")
        return lo + order[np.searchsorted(block, wanted, sorter=order)]

    def sorted_ids(dim: int) -> tuple[np.ndarray, np.ndarray]:
        finite, essential = by_code.finite[dim], by_code.essential[dim]
        ids = np.stack([lookup(finite[:, 0], dim), lookup(finite[:, 1], dim + 1)], axis=1)
        return ids.reshape(-1, 2), lookup(essential, dim)

    return sorted_ids


def implicit_request(
    arr: np.ndarray,
    complex_kind: str,
    negate: bool,
    top: int,
    values_on: str,
    api: str,
    n_dims: int,
    wrap: bool = False,
    source: Any = None,
    explicit: Callable[[], tuple] | None = None,
) -> PairsRequest:
    """The grid backend of the persistence contract: the implicit complex, no filtration object.
    Indices are flat indices into the data (``source``, default the flattened array). When
    ``explicit`` is given (it returns the explicit ``(Filtration, codes)``), sorted ids are
    available on demand. The memory pre-flight runs here, before anything is computed."""
    require_implicit_fits(arr.shape, complex_kind, values_on, wrap, api)
    infinity = -math.inf if negate else math.inf
    src = arr.reshape(-1) if source is None else source

    def finish(raw) -> IndexPairs:
        by_data, by_code = raw
        codes = IndexPairs(None, by_code[0], by_code[1], infinity, n_dims)
        sorted_ids = None
        if explicit is not None:

            def sorted_ids(dim: int):
                fil, fil_codes = explicit()
                return sorted_ids_from_codes(fil_codes, fil, codes)(dim)

        return IndexPairs(src, by_data[0], by_data[1], infinity, n_dims, sorted_ids=sorted_ids)

    request = ("grid", arr, complex_kind, bool(negate), top, values_on, bool(wrap), n_dims)
    return PairsRequest(request, finish)


def implicit_pairs(
    arr: np.ndarray,
    complex_kind: str,
    negate: bool,
    top: int,
    values_on: str,
    api: str,
    n_dims: int,
    wrap: bool = False,
    n_threads: int = 1,
) -> IndexPairs:
    """``implicit_request`` run at once on ``n_threads`` threads."""
    return run_request(
        implicit_request(arr, complex_kind, negate, top, values_on, api, n_dims, wrap),
        n_threads,
        api,
    )
