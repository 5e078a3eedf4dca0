"""The critical-set method (Nigmetov & Morozov, "Topological optimization with big steps").

A diagram point moved by its two cells alone changes the pairing as soon as another cell of the
same chain crosses the target; its critical set is every cell that must move with it for the
point to reach the target in one step. ``TopologyOptimizer`` computes critical sets of a
``calydon.Filtration`` and resolves overlaps between them.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _core
from ._optimize import (
    ConflictStrategy,
    DenoiseStrategy,
    IndicesValues,
    check_dim,
    conflict_strategy_name,
    denoise_strategy,
    far_target,
    requests,
)
from ._pairs import IndexPairs
from ._validate import check_bool, check_finite_real, check_int, check_n_threads
from .diagrams import Diagrams
from .distance import as_diagram, wasserstein_matching

__all__ = ["ConflictStrategy", "DenoiseStrategy", "IndicesValues", "TopologyOptimizer"]

CriticalSet = "tuple[float, np.ndarray]"


class TopologyOptimizer:
    """Critical sets and diagram-level targets of one filtration.

    Matrices are built lazily, each at most once: the pairing from the cheapest reduction, the
    homology side (V in canonical form) only for death moves, the cohomology side only for
    birth moves, and U rows on demand, truncated at the target.

    Pickling and ``copy.deepcopy`` keep the filtration and ``n_threads``; the copy computes its
    matrices again on demand (same results).

    Parameters
    ----------
    fil : Filtration
        A ``calydon.Filtration`` (N cells; the indices below are its sorted ids).
    n_threads : int, optional
        None (one thread) or a positive int.
    """

    def __init__(self, fil: _core.Filtration, *, n_threads: int | None = None):
        api = "TopologyOptimizer"
        if not isinstance(fil, _core.Filtration):
            raise TypeError(f"{api}: fil must be a calydon.Filtration, got {type(fil).__name__}")
        self._fil = fil
        self._values = fil.values()
        self._n_threads = n_threads
        self._opt = _core.TopologyOptimizer(fil, check_n_threads(n_threads, api))
        self._pairs: IndexPairs | None = None

    def _pickled_filtration(self) -> Any:
        """What a pickle keeps: the filtration the optimizer was given."""
        return self._fil

    def __reduce__(self):
        return (_rebuild_optimizer, (type(self), self._pickled_filtration(), self._n_threads))

    @property
    def under_fil(self) -> _core.Filtration:
        """The ``calydon.Filtration`` the optimizer works on."""
        return self._fil

    # -- diagrams -------------------------------------------------------------------------
    def _pairing(self) -> IndexPairs:
        if self._pairs is None:
            finite, essential = self._opt.pairing()
            keep = [self._values[p[:, 0]] != self._values[p[:, 1]] for p in finite]
            finite = [p[k] for p, k in zip(finite, keep)]
            self._pairs = IndexPairs(
                self._values, finite, essential, self._fil.infinity(), max(self._fil.max_dim + 1, 1)
            )
        return self._pairs

    def compute_diagram(self, include_inf_points: bool = False) -> Diagrams:
        """Diagrams of the filtration, with the sorted-id pairs behind them.

        Parameters
        ----------
        include_inf_points : bool, default False
            Include essential points.

        Returns
        -------
        Diagrams
            Dimensions 0..max_dim, float64 arrays of shape (n_d, 2); zero-persistence points
            dropped.
        """
        include_inf_points = check_bool(include_inf_points, "include_inf_points", "compute_diagram")
        return Diagrams.from_index_pairs(self._pairing(), include_inf_points)

    def _finite(self, dim: Any, api: str) -> np.ndarray:
        return self._pairing().finite[check_dim(dim, self._fil.max_dim, api)]

    def get_nth_persistence(self, dim: int, n: int) -> float:
        """The n-th largest persistence |death - birth| among the finite points of ``dim``.

        ``eps = get_nth_persistence(dim, n)`` makes ``simplify`` cancel every point but the top
        n - 1 (ties included).

        Parameters
        ----------
        dim : int
            Homology dimension, in [0, max_dim].
        n : int
            Rank, >= 1.

        Returns
        -------
        float
            The persistence, or 0.0 when there are fewer than n points.
        """
        api = "get_nth_persistence"
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
            raise ValueError(f"{api}: n must be an int >= 1, got {n!r}")
        pairs = self._finite(dim, api)
        pers = np.sort(np.abs(self._values[pairs[:, 1]] - self._values[pairs[:, 0]]))[::-1]
        return float(pers[n - 1]) if n <= len(pers) else 0.0

    def simplify(self, epsilon: float, strategy: DenoiseStrategy | str, dim: int) -> IndicesValues:
        """Targets that cancel every finite point of ``dim`` with persistence <= epsilon.

        BirthBirth moves the death cell to the birth value, DeathDeath the birth cell to the death
        value, Midway both cells to the midpoint.

        Parameters
        ----------
        epsilon : float
            Finite persistence threshold.
        strategy : DenoiseStrategy or str
            ``DenoiseStrategy`` member or its name (``"birth-birth"``, ``"death-death"``,
            ``"midway"``).
        dim : int
            Homology dimension, in [0, max_dim].

        Returns
        -------
        IndicesValues
            Sorted ids (int64) and their float64 target values; unpacks as ``indices, values``.
        """
        api = "simplify"
        strategy = denoise_strategy(strategy, api)
        epsilon = check_finite_real(epsilon, "epsilon", api)
        pairs = self._finite(dim, api)
        b, d = self._values[pairs[:, 0]], self._values[pairs[:, 1]]
        small = np.abs(d - b) <= float(epsilon)
        pairs, b, d = pairs[small], b[small], d[small]
        if strategy is DenoiseStrategy.BirthBirth:
            return IndicesValues(pairs[:, 1], b)
        if strategy is DenoiseStrategy.DeathDeath:
            return IndicesValues(pairs[:, 0], d)
        mid = (b + d) / 2
        return IndicesValues(pairs.T.reshape(-1), np.concatenate([mid, mid]))

    def match(
        self,
        template_dgm: Any,
        dim: int,
        wasserstein_q: float = 1.0,
        wasserstein_delta: float = 0.01,
        return_wasserstein_distance: bool = False,
    ):
        """Targets that move the finite diagram of ``dim`` onto a template along a W_q matching.

        A matched point's cells go to the template point; a point matched to the diagonal has both
        cells moved to its midpoint.

        Parameters
        ----------
        template_dgm : array_like, shape (k, 2)
            Finite (birth, death) points, read as float64.
        dim : int
            Homology dimension, in [0, max_dim].
        wasserstein_q : float, default 1.0
            Wasserstein exponent of the matching, >= 1.
        wasserstein_delta : float, default 0.01
            Relative error of the matching, >= 0 (0: exact).
        return_wasserstein_distance : bool, default False
            Also return the W_q distance of the matching.

        Returns
        -------
        IndicesValues or tuple of (IndicesValues, float)
            Sorted ids and targets, and the distance when ``return_wasserstein_distance``.
        """
        api = "match"
        return_wasserstein_distance = check_bool(
            return_wasserstein_distance, "return_wasserstein_distance", api
        )
        template = as_diagram(template_dgm, "template_dgm", api)
        if not np.isfinite(template).all():
            raise ValueError(f"{api}: template_dgm must hold finite points")
        pairs = self._finite(dim, api)
        current = self._values[pairs]
        m = wasserstein_matching(
            template, current.reshape(-1, 2), q=wasserstein_q, delta=wasserstein_delta
        )
        t_rows, c_rows = m.finite_to_finite[:, 0], m.finite_to_finite[:, 1]
        mid = current[m.b_to_diagonal].mean(axis=1)
        idx = np.concatenate(
            [
                pairs[c_rows, 0],
                pairs[c_rows, 1],
                pairs[m.b_to_diagonal, 0],
                pairs[m.b_to_diagonal, 1],
            ]
        )
        vals = np.concatenate([template[t_rows, 0], template[t_rows, 1], mid, mid])
        iv = IndicesValues(idx, vals)
        return (iv, m.distance) if return_wasserstein_distance else iv

    # -- critical sets --------------------------------------------------------------------
    def singleton(self, index: int, value: float) -> tuple[float, np.ndarray]:
        """The critical set of one request.

        Parameters
        ----------
        index : int
            Sorted id of the cell to move.
        value : float
            Its finite target value.

        Returns
        -------
        tuple of (float, numpy.ndarray)
            ``(target, ids)``: the target and the int64 array of shape (k,) of the sorted ids of the
            critical set (empty when ``value`` is the current value).
        """
        api = "singleton"
        index = self._check_index(index, api)
        value = check_finite_real(value, "value", api)
        return value, self._opt.critical_set(index, value, api=api)

    def singletons(self, indices: Any, values: Any) -> list:
        """The critical sets of many requests, in input order.

        Parameters
        ----------
        indices : array_like of int, shape (k,)
            Sorted ids of the cells to move.
        values : array_like of float, shape (k,)
            Their finite target values.

        Returns
        -------
        list of tuple of (float, numpy.ndarray)
            One ``(target, ids)`` per request, ``ids`` an int64 array of sorted ids.
        """
        idx, vals = requests(indices, values, len(self._values), "singletons")
        offsets, cells, targets = self._opt.singletons(idx, vals, api="singletons")
        return [
            (float(targets[k]), cells[offsets[k] : offsets[k + 1]]) for k in range(len(targets))
        ]

    def combine_loss(self, critical_sets: list, strategy: ConflictStrategy | str) -> IndicesValues:
        """One target per cell of the given critical sets, sorted by cell.

        Parameters
        ----------
        critical_sets : list of tuple of (float, array_like)
            ``(target, ids)`` pairs, as ``singletons`` returns them.
        strategy : ConflictStrategy or str
            Max, Avg or Sum (FixCritAvg needs the requests: use ``crit_sets_apply``).

        Returns
        -------
        IndicesValues
            Sorted ids (int64, ascending) and their float64 targets.
        """
        api = "combine_loss"
        name = conflict_strategy_name(strategy, api)
        if name == "fca":
            raise ValueError(
                f"{api}: strategy FixCritAvg needs the original requests; use crit_sets_apply"
            )
        sets = [(float(t), np.asarray(ids, dtype=np.int64).reshape(-1)) for t, ids in critical_sets]
        cells = np.concatenate([ids for _, ids in sets]) if sets else np.empty(0, np.int64)
        requests(cells, np.zeros(len(cells)), len(self._values), api)
        requests(
            np.zeros(len(sets), np.int64), [t for t, _ in sets], max(len(self._values), 1), api
        )
        offsets = np.concatenate([[0], np.cumsum([len(ids) for _, ids in sets])]).astype(np.int64)
        targets = np.array([t for t, _ in sets], dtype=np.float64)
        return IndicesValues(*self._opt.combine(offsets, cells, targets, name, api=api))

    def crit_sets_apply(
        self, indices: Any, values: Any, strategy: ConflictStrategy | str
    ) -> IndicesValues:
        """Critical sets of every request whose target differs from the current value, combined.

        Parameters
        ----------
        indices : array_like of int, shape (k,)
            Sorted ids of the cells to move.
        values : array_like of float, shape (k,)
            Their finite target values.
        strategy : ConflictStrategy or str
            How overlaps are resolved; FixCritAvg pins each request's own cell to its own target.

        Returns
        -------
        IndicesValues
            Sorted ids (int64) and their float64 targets.
        """
        api = "crit_sets_apply"
        name = conflict_strategy_name(strategy, api)
        idx, vals = requests(indices, values, len(self._values), api)
        return IndicesValues(*self._opt.crit_sets_apply(idx, vals, name, api=api))

    def _check_index(self, index: Any, api: str) -> int:
        """One sorted id: an int (numpy ints too) in [0, N)."""
        index = check_int(index, "index", api)
        if not 0 <= index < len(self._values):
            raise ValueError(
                f"{api}: index must be a sorted id in [0, {len(self._values)}), got {index}"
            )
        return index

    def _whole(self, move: str, index: int, later: bool) -> np.ndarray:
        index = self._check_index(index, move)
        return self._opt.critical_set(index, far_target(later, self._fil.negate), move, api=move)

    def increase_death(self, index: int) -> np.ndarray:
        """Critical set of moving death cell ``index`` to +infinity (filtration order).

        Parameters
        ----------
        index : int
            A sorted id of the filtration.

        Returns
        -------
        numpy.ndarray
            int64 array of shape (k,): the sorted ids of the critical set.
        """
        return self._whole("increase_death", index, True)

    def decrease_death(self, index: int) -> np.ndarray:
        """Critical set of moving death cell ``index`` to -infinity (filtration order).

        Parameters
        ----------
        index : int
            A sorted id of the filtration.

        Returns
        -------
        numpy.ndarray
            int64 array of shape (k,): the sorted ids of the critical set.
        """
        return self._whole("decrease_death", index, False)

    def increase_birth(self, index: int) -> np.ndarray:
        """Critical set of moving birth cell ``index`` to +infinity (filtration order).

        Parameters
        ----------
        index : int
            A sorted id of the filtration.

        Returns
        -------
        numpy.ndarray
            int64 array of shape (k,): the sorted ids of the critical set.
        """
        return self._whole("increase_birth", index, True)

    def decrease_birth(self, index: int) -> np.ndarray:
        """Critical set of moving birth cell ``index`` to -infinity (filtration order).

        Parameters
        ----------
        index : int
            A sorted id of the filtration.

        Returns
        -------
        numpy.ndarray
            int64 array of shape (k,): the sorted ids of the critical set.
        """
        return self._whole("decrease_birth", index, False)


def _rebuild_optimizer(cls: type, fil: Any, n_threads: int | None) -> TopologyOptimizer:
    """Unpickling: a fresh optimizer of the same filtration."""
    return cls(fil, n_threads=n_threads)
