"""Non-differentiable persistence of any filtration: the one-shot Decomposition and diagrams."""

from __future__ import annotations

from typing import Any

from . import _core
from ._filtration import filtration_fingerprint, require_filtration
from ._pairs import IndexPairs, PairsRequest, run_request
from ._reduction_memory import require_reduction_fits
from ._validate import check_bool, check_n_threads
from .diagrams import Diagrams


class Decomposition(_core.Decomposition):
    """R = D V of a filtration (``dualize=True``: of the anti-transposed coboundary matrix).

    One-shot and immutable: the constructor reduces at once. Read ``r_data`` / ``v_data`` /
    ``d_data`` (lists of columns in matrix order, each a sorted list of int row indices; matrix
    index m is sorted id m, or N-1-m when dualized), ``index_pairs(fil)`` or ``diagram(fil)``.
    ``v_data`` needs ``compute_v=True``. ``index_pairs`` and ``diagram`` refuse (ValueError) a
    filtration other than the one decomposed (an equal copy, e.g. unpickled, is accepted).

    Pickling and ``copy.deepcopy`` keep the filtration and the options and reduce again on load
    (the reduction is deterministic, so R and V are the same); the decomposition is read-only,
    so one object may be read from many threads.

    Parameters
    ----------
    fil : Filtration
        The ``calydon.Filtration`` to reduce (N cells).
    dualize : bool, default False
        Reduce the anti-transposed coboundary matrix (cohomology) instead of the boundary matrix.
    clearing : bool, default True
        Skip columns known to reduce to zero (same pairs, faster).
    compute_v : bool, default False
        Also keep V (in canonical form), so that R = D V can be read.
    n_threads : int, optional
        None (one thread) or a positive int.

    Attributes
    ----------
    r_data, v_data, d_data : list of list of int
        The N columns of R, V and D in matrix order, each a sorted list of row indices.
    dualize : bool
        The side that was reduced.
    compute_v : bool
        Whether V was kept.
    """

    __slots__ = ("_fil", "_options", "_fingerprint")

    def __init__(
        self,
        fil: _core.Filtration,
        dualize: bool = False,
        *,
        clearing: bool = True,
        compute_v: bool = False,
        n_threads: int | None = None,
    ):
        api = "Decomposition"
        require_filtration(fil, "fil", api)
        options = {
            "dualize": check_bool(dualize, "dualize", api),
            "clearing": check_bool(clearing, "clearing", api),
            "compute_v": check_bool(compute_v, "compute_v", api),
            "n_threads": n_threads,
        }
        threads = check_n_threads(n_threads, api)
        require_reduction_fits(
            fil, options["dualize"], threads, api, all_columns=True, with_v=options["compute_v"]
        )
        super().__init__(
            fil,
            options["dualize"],
            clearing=options["clearing"],
            compute_v=options["compute_v"],
            n_threads=n_threads,
        )
        self._fil, self._options, self._fingerprint = fil, options, None

    def _require_same_filtration(self, fil: Any, api: str) -> None:
        """ValueError unless ``fil`` is the decomposed filtration or an identical copy: a
        different filtration of the same size would silently give a wrong diagram."""
        require_filtration(fil, "fil", api)
        if fil is self._fil:
            return
        if self._fingerprint is None:
            self._fingerprint = filtration_fingerprint(self._fil)
        if filtration_fingerprint(fil) != self._fingerprint:
            raise ValueError(
                f"{api}: fil must be the filtration that was decomposed ({self._fil!r}), got a "
                f"different one ({fil!r})"
            )

    def index_pairs(self, fil: _core.Filtration, keep_zero_persistence: bool = False):
        """The sorted-id pairs read off the reduced matrix.

        Parameters
        ----------
        fil : Filtration
            The filtration that was decomposed (another one is a ValueError; an equal copy is
            accepted).
        keep_zero_persistence : bool, default False
            Keep the pairs whose birth and death values are equal.

        Returns
        -------
        tuple of (list of numpy.ndarray, list of numpy.ndarray)
            ``(finite, essential)``: per dimension, an int64 array of shape (n, 2) of (birth,
            death) sorted ids, and an int64 array of shape (m,) of essential birth ids.
        """
        api = "Decomposition.index_pairs"
        self._require_same_filtration(fil, api)
        keep = check_bool(keep_zero_persistence, "keep_zero_persistence", api)
        return super().index_pairs(fil, keep)

    def diagram(self, fil: _core.Filtration, include_inf_points: bool = True) -> Diagrams:
        """Diagrams read off the reduced matrix; zero-persistence points are dropped.

        Parameters
        ----------
        fil : Filtration
            The filtration that was decomposed (another one is a ValueError; an equal copy is
            accepted).
        include_inf_points : bool, default True
            Include essential points (death ``fil.infinity()``).

        Returns
        -------
        Diagrams
            Dimensions 0..fil.max_dim, each a float64 array of shape (n_d, 2) of (birth, death),
            with the int64 (n_d, 2) sorted-id pairs they come from.
        """
        api = "Decomposition.diagram"
        self._require_same_filtration(fil, api)
        include_inf_points = check_bool(include_inf_points, "include_inf_points", api)
        finite, essential = super().index_pairs(fil, False)
        pairs = IndexPairs(fil.values(), finite, essential, fil.infinity(), max(fil.max_dim + 1, 0))
        return Diagrams.from_index_pairs(pairs, include_inf_points)

    @property
    def filtration(self) -> _core.Filtration:
        """The filtration that was decomposed."""
        return self._fil

    def __reduce__(self):
        return (_rebuild_decomposition, (type(self), self._fil, dict(self._options)))


def _rebuild_decomposition(cls: type, fil: _core.Filtration, options: dict) -> Decomposition:
    """Unpickling: reduce the same filtration with the same options again."""
    dualize = options.pop("dualize")
    return cls(fil, dualize, **options)


def reduce(
    fil: _core.Filtration,
    dualize: bool = False,
    clearing: bool = True,
    compute_v: bool = False,
    n_threads: int | None = None,
) -> Decomposition:
    """Reduce the boundary (``dualize=False``) or coboundary matrix of ``fil`` over Z/2.

    Parameters
    ----------
    fil : Filtration
        A ``calydon.Filtration`` with N cells.
    dualize : bool, default False
        Cohomology (anti-transposed coboundary) instead of homology.
    clearing : bool, default True
        Skip columns known to reduce to zero (same result, faster).
    compute_v : bool, default False
        Also keep V, so that R = D V can be read (``v_data``).
    n_threads : int, optional
        None (one thread) or a positive int.

    Returns
    -------
    Decomposition
        A reduced, immutable decomposition of the N x N matrix.
    """
    api = "reduce"
    require_filtration(fil, "fil", api)
    for name, flag in (("dualize", dualize), ("clearing", clearing), ("compute_v", compute_v)):
        check_bool(flag, name, api)
    return Decomposition(fil, dualize, clearing=clearing, compute_v=compute_v, n_threads=n_threads)


def general_request(
    fil: _core.Filtration, dualize: bool, n_dims: int, fast_paths: bool = True, source: Any = None
) -> PairsRequest:
    """The general backend of the persistence contract: sorted ids into ``source`` (default
    ``fil.values()``), from the reduction of ``fil`` with the fast paths."""

    def finish(raw) -> IndexPairs:
        finite, essential = raw
        return IndexPairs(
            fil.values() if source is None else source, finite, essential, fil.infinity(), n_dims
        )

    return PairsRequest(("general", fil, bool(dualize), bool(fast_paths), False), finish)


def persistence_index_pairs(
    fil: _core.Filtration,
    dualize: bool,
    n_dims: int,
    fast_paths: bool = True,
    n_threads: int = 1,
    api: str = "compute_diagrams",
) -> IndexPairs:
    """``general_request`` run at once."""
    return run_request(general_request(fil, dualize, n_dims, fast_paths), n_threads, api)


def compute_diagrams(
    fil: _core.Filtration,
    include_inf_points: bool = True,
    dualize: bool = False,
    fast_paths: bool = True,
    n_threads: int | None = None,
) -> Diagrams:
    """Persistence diagrams of any filtration.

    Uses union-find for H0 and, on grids and other triangulated balls, for the top dimension;
    the dimensions in between are reduced with clearing on the requested side. Homology and
    cohomology give identical diagrams.

    Parameters
    ----------
    fil : Filtration
        A ``calydon.Filtration``.
    include_inf_points : bool, default True
        Include essential points (death ``fil.infinity()``).
    dualize : bool, default False
        Reduce cohomology instead of homology.
    fast_paths : bool, default True
        Use the union-find fast paths (identical diagrams).
    n_threads : int, optional
        None (one thread) or a positive int.

    Returns
    -------
    Diagrams
        Dimensions 0..fil.max_dim: float64 arrays of shape (n_d, 2) of (birth, death) and the
        int64 (n_d, 2) sorted-id pairs they come from.
    """
    api = "compute_diagrams"
    require_filtration(fil, "fil", api)
    include_inf_points = check_bool(include_inf_points, "include_inf_points", api)
    dualize = check_bool(dualize, "dualize", api)
    fast_paths = check_bool(fast_paths, "fast_paths", api)
    n_threads = check_n_threads(n_threads, api)
    pairs = persistence_index_pairs(fil, dualize, max(fil.max_dim + 1, 0), fast_paths, n_threads)
    return Diagrams.from_index_pairs(pairs, include_inf_points)
