"""The one persistence contract: index pairs into a value source, the same for every backend.

The general reduction reports sorted ids into the filtration's values; the grid union-find
reports flat indices into the data; the implicit Rips cohomology reports rows of a critical-edge
table. Diagram assembly (numpy ``Diagrams.from_index_pairs``, torch ``assemble_diagrams``) only
gathers ``source`` at these indices, so it is written once for all of them.
"""

from __future__ import annotations

from typing import Any, Callable, NamedTuple, Sequence

import numpy as np

EMPTY_PAIRS = np.empty((0, 2), np.int64)
EMPTY_ESSENTIAL = np.empty(0, np.int64)

SortedIds = Callable[[int], "tuple[np.ndarray, np.ndarray]"]


class IndexPairs:
    """Persistence pairs of one filtration, per homology dimension 0..n_dims-1.

    Attributes:
        source: the values the indices point into (numpy float64 array or torch tensor, 1-D).
        finite: per dimension, int64 (n_d, 2) (birth, death) indices into ``source``.
        essential: per dimension, int64 (m_d,) birth indices into ``source``.
        infinity: death value of essential points (+inf, or -inf for a negated filtration).
        n_dims: number of diagram dimensions to report (missing ones are empty).
        extras: backend-specific per-row data (e.g. the Rips critical edges), keyed by name.
    """

    def __init__(
        self,
        source: Any,
        finite: Sequence[np.ndarray],
        essential: Sequence[np.ndarray],
        infinity: float,
        n_dims: int,
        sorted_ids: SortedIds | None = None,
        extras: dict | None = None,
    ):
        self.source = source
        self.finite = [_pairs(finite, d) for d in range(n_dims)]
        self.essential = [_essential(essential, d) for d in range(n_dims)]
        self.infinity = float(infinity)
        self.n_dims = n_dims
        self._sorted_ids = sorted_ids
        self.extras = extras or {}

    def sorted_ids(self, dim: int) -> tuple[np.ndarray, np.ndarray]:
        """(finite (n, 2), essential (m,)) sorted cell ids of the rows of dimension ``dim``; the
        indices themselves when they are sorted ids already."""
        if self._sorted_ids is None:
            return self.finite[dim], self.essential[dim]
        return self._sorted_ids(dim)

    def rows(self, dim: int, include_inf_points: bool) -> tuple[np.ndarray, np.ndarray]:
        """(births (k,), deaths (n,)) indices of dimension ``dim``: finite rows first, then the
        essential ones when included (they have no death index)."""
        finite, essential = self.finite[dim], self.essential[dim]
        births = np.concatenate([finite[:, 0], essential]) if include_inf_points else finite[:, 0]
        return births, finite[:, 1]

    def index_diagram(self, dim: int, include_inf_points: bool) -> np.ndarray:
        """int64 (k, 2) sorted-id pairs in row order, -1 as the death of essential points."""
        finite, essential = self.sorted_ids(dim)
        if not include_inf_points:
            return finite
        return np.concatenate([finite, np.stack([essential, np.full_like(essential, -1)], axis=1)])


def _pairs(per_dim: Sequence[np.ndarray], dim: int) -> np.ndarray:
    if dim >= len(per_dim):
        return EMPTY_PAIRS
    return np.asarray(per_dim[dim], dtype=np.int64).reshape(-1, 2)


def _essential(per_dim: Sequence[np.ndarray], dim: int) -> np.ndarray:
    if dim >= len(per_dim):
        return EMPTY_ESSENTIAL
    return np.asarray(per_dim[dim], dtype=np.int64).reshape(-1)


class PairsRequest(NamedTuple):
    """A persistence computation ready for ``_core.run_requests`` (``request``) and how to turn
    its raw result into ``IndexPairs`` (``finish``). Single calls and batches run the same
    requests, so a batch item equals the single call exactly. ``extra`` requests run in the
    same call, beside the pairs (a Delaunay filtration's deferred supports); ``finish`` then
    takes their results after the pairs'."""

    request: tuple
    finish: Callable[..., IndexPairs]
    extra: tuple = ()


def run_requests(requests: Sequence[PairsRequest], n_threads: int, api: str) -> list[IndexPairs]:
    """Runs every request in one C++ call without the GIL, spread over ``n_threads`` threads."""
    from . import _core  # deferred: the contract itself needs no extension
    from ._reduction_memory import require_requests_fit

    flat = [raw for r in requests for raw in (r.request, *r.extra)]
    require_requests_fit(flat, n_threads, api)
    results = iter(_core.run_requests(flat, n_threads, api=api))
    return [r.finish(*(next(results) for _ in range(1 + len(r.extra)))) for r in requests]


def run_request(request: PairsRequest, n_threads: int, api: str) -> IndexPairs:
    return run_requests([request], n_threads, api)[0]
