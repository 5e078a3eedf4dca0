"""persistence_diagram: diagram tensors gathered from a DiffFiltration's value source.

Every differentiable filtration answers one contract, ``fil._index_pairs(dualize, n_threads,
gradient_method)``: a value source (a tensor) and per-dimension index pairs into it. The diagram
is ``source[pairs]``, so autograd's gather backward is the dgm-loss gradient (a scatter-add onto
the birth and death cells), whatever backend produced the pairs."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Callable, Iterator, Union

import numpy as np
import torch

from .._optimize import conflict_strategy_name
from .._pairs import IndexPairs
from .._validate import check_bool, check_n_threads, check_optional_bool
from ._tensor import index_tensor

GRADIENT_METHODS = ("dgm-loss", "crit-sets")


class PersistenceDiagrams(Mapping):
    """Dict-like ``{dim: tensor (n_dim, 2)}`` of (birth, death) rows, for dims 0..max_dim.

    Each tensor has the dtype and device of ``fil.values`` and is differentiable with respect to
    them. Row order is unspecified. Unlike ``calydon.Diagrams`` (a list: iteration yields arrays,
    a bad dimension raises IndexError), this is a mapping: iteration yields dimensions and a bad
    dimension raises KeyError, as in the reference API. Created by ``persistence_diagram``.

    Parameters
    ----------
    diagrams : dict of int to torch.Tensor
        The (n_d, 2) diagram tensor of every dimension.
    index_diagrams : dict of int to torch.Tensor, or callable
        The int64 (n_d, 2) sorted-id pairs of every dimension, or a function of the dimension
        that computes them on first use.
    critical_edges : dict of int to torch.Tensor, optional
        Vietoris-Rips from the implicit path: the int64 (n_d, 4) critical edges per dimension.
    """

    def __init__(
        self,
        diagrams: dict[int, torch.Tensor],
        index_diagrams: Union[dict[int, torch.Tensor], Callable[[int], torch.Tensor]],
        critical_edges: dict[int, torch.Tensor] | None = None,
    ):
        self._dgms = diagrams
        self._index = index_diagrams if isinstance(index_diagrams, dict) else {}
        self._index_of = None if isinstance(index_diagrams, dict) else index_diagrams
        self._edges = critical_edges

    def __getitem__(self, dim: int) -> torch.Tensor:
        if dim not in self._dgms:
            raise KeyError(
                f"PersistenceDiagrams: no dimension {dim!r}; available: {sorted(self._dgms)}"
            )
        return self._dgms[dim]

    def __iter__(self) -> Iterator[int]:
        return iter(self._dgms)

    def __len__(self) -> int:
        return len(self._dgms)

    def in_dimension(self, dim: int) -> torch.Tensor:
        """The diagram tensor of one homology dimension (same as ``dgms[dim]``).

        Parameters
        ----------
        dim : int
            Homology dimension, one of the keys.

        Returns
        -------
        torch.Tensor
            Shape (n, 2), the dtype and device of the filtration's values.

        Raises
        ------
        KeyError
            No such dimension.
        """
        return self[dim]

    def index_diagram_in_dimension(self, dim: int) -> torch.Tensor:
        """The sorted-id pairs behind the diagram of one dimension.

        Lazy filtrations (Vietoris-Rips) build their explicit filtration on first use.

        Parameters
        ----------
        dim : int
            Homology dimension, one of the keys.

        Returns
        -------
        torch.Tensor
            int64, shape (n, 2): (birth, death) sorted ids; -1 as the death of essential points.
        """
        self[dim]
        if dim not in self._index:
            self._index[dim] = self._index_of(dim)
        return self._index[dim]

    def critical_edges_in_dimension(self, dim: int) -> torch.Tensor:
        """The critical edges behind the diagram of one dimension (Vietoris-Rips, implicit path).

        Parameters
        ----------
        dim : int
            Homology dimension, one of the keys.

        Returns
        -------
        torch.Tensor
            int64, shape (n_dim, 4): (birth u, birth v, death u, death v); -1 for essential deaths.

        Raises
        ------
        ValueError
            The diagrams do not come from the implicit Vietoris-Rips path.
        """
        self[dim]
        if self._edges is None:
            raise ValueError(
                "critical_edges_in_dimension: only Vietoris-Rips diagrams from the implicit "
                "path (dualize left at its default) carry critical edges"
            )
        return self._edges[dim]

    @property
    def max_dim(self) -> int:
        """Largest homology dimension present (int; -1 when there is none)."""
        return max(self._dgms) if self._dgms else -1

    def __repr__(self) -> str:
        sizes = {d: len(t) for d, t in self._dgms.items()}
        return f"PersistenceDiagrams({sizes})"


def _check_filtration(fil, api: str):
    if not callable(getattr(fil, "_index_pairs", None)):
        raise TypeError(
            f"{api}: fil must be a DiffFiltration (with a tensor .values), got {type(fil).__name__}"
        )


def persistence_diagram(
    fil,
    include_inf_points: bool = False,
    gradient_method: str = "dgm-loss",
    dualize: bool | None = None,
    n_threads: int | None = None,
    *,
    conflict_strategy: str = "avg",
    step_size: float = 1.0,
) -> PersistenceDiagrams:
    """Differentiable persistence diagrams of a ``DiffFiltration``.

    Parameters
    ----------
    fil : DiffFiltration
        A filtration from any ``calydon.diff`` builder.
    include_inf_points : bool, default False
        Append essential points as rows ``(birth, inf)`` (``-inf`` for a negated filtration);
        the gradient reaches their birth cell.
    gradient_method : {"dgm-loss", "crit-sets"}, default "dgm-loss"
        ``"dgm-loss"``: gradient on each point's birth and death cells. ``"crit-sets"``: the
        upstream gradient g becomes targets t = f - step_size * g for each point's cells, every
        moving cell is expanded into its critical set (the cells that must move with it for the
        point to reach its target in one step), overlaps are resolved by ``conflict_strategy``
        across all dimensions, and the gradient is that of 1/2 sum (f_i - t_i)^2 over the
        resolved cells. Lazy filtrations (1-D/2-D grids, Vietoris-Rips) build their explicit
        complex for it (with the memory pre-flight).
    dualize : bool, optional
        Reduce cohomology (True) or homology (False); default: the builder's preferred side
        (cohomology for Vietoris-Rips, homology otherwise). The diagrams are identical. The
        critical-set method takes its diagram from its optimizer's pairing, on the builder's
        preferred side, and its gradients are canonical whatever the side.
    n_threads : int, optional
        None (one thread) or a positive int: H0 runs beside the other dimensions, and large
        blocks of the explicit reduction run in parallel; the pairs do not depend on it.
    conflict_strategy : str or ConflictStrategy, default "avg"
        crit-sets only: ``"avg"``, ``"max"``, ``"sum"``, ``"fca"`` (or a
        ``calydon.ConflictStrategy``).
    step_size : float, default 1.0
        crit-sets only: a positive finite float scaling the targets' displacement.

    Returns
    -------
    PersistenceDiagrams
        Dimensions 0..max(fil.max_dim - 1, 0), each a tensor of shape (n_d, 2) with the dtype and
        device of the filtration's values. Zero-persistence points are dropped.

    Raises
    ------
    ValueError
        Unknown ``gradient_method`` or ``conflict_strategy``, ``n_threads < 1``, a bad
        ``step_size``.
    TypeError
        ``fil`` is not a ``DiffFiltration``.
    """
    api = "persistence_diagram"
    if not isinstance(gradient_method, str) or gradient_method not in GRADIENT_METHODS:
        raise ValueError(
            f"{api}: gradient_method must be one of {GRADIENT_METHODS}, got {gradient_method!r}"
        )
    include_inf_points = check_bool(include_inf_points, "include_inf_points", api)
    dualize = check_optional_bool(dualize, "dualize", api)
    n_threads = check_n_threads(n_threads, api)
    _check_filtration(fil, api)
    if gradient_method == "crit-sets":
        strategy = conflict_strategy_name(conflict_strategy, api, "conflict_strategy")
        step = _check_step_size(step_size, api)
        from ._crit_sets import crit_sets_diagrams  # the critical-set module loads on first use

        under, values = fil._explicit_values(api)
        return crit_sets_diagrams(under, values, include_inf_points, strategy, step, n_threads)
    pairs = fil._index_pairs(dualize, n_threads, gradient_method)
    return assemble_diagrams(pairs, include_inf_points)


def _check_step_size(step_size, api: str) -> float:
    if isinstance(step_size, bool) or not isinstance(
        step_size, (int, float, np.integer, np.floating)
    ):
        raise TypeError(
            f"{api}: step_size must be a positive float, got {type(step_size).__name__}"
        )
    if not (math.isfinite(float(step_size)) and step_size > 0):
        raise ValueError(f"{api}: step_size must be a positive finite float, got {step_size!r}")
    return float(step_size)


def assemble_diagrams(pairs: IndexPairs, include_inf_points: bool) -> PersistenceDiagrams:
    """Gathers ``pairs.source`` (a 1-D tensor) at the index pairs of every dimension; the one
    diagram assembly of every persistence backend."""
    source = pairs.source
    device = source.device
    dgms, edges = {}, ({} if "edges" in pairs.extras else None)
    for dim in range(pairs.n_dims):
        # One gather for the finite rows: the cheapest forward and backward.
        dgm = source[index_tensor(pairs.finite[dim], device)]
        essential = pairs.essential[dim]
        if include_inf_points and len(essential):
            births = source[index_tensor(essential, device)]
            dgm = torch.cat(
                [dgm, torch.stack([births, torch.full_like(births, pairs.infinity)], dim=1)]
            )
        dgms[dim] = dgm
        if edges is not None:
            births, deaths = pairs.rows(dim, include_inf_points)
            edges[dim] = _critical_edges(pairs.extras["edges"], births, deaths, device)

    def index_of(dim: int) -> torch.Tensor:  # sorted ids on demand: lazy backends build the complex
        return index_tensor(pairs.index_diagram(dim, include_inf_points), source.device)

    return PersistenceDiagrams(dgms, index_of, edges)


def _critical_edges(
    table: np.ndarray, births: np.ndarray, deaths: np.ndarray, device
) -> torch.Tensor:
    """(k, 4) rows of (birth edge, death edge), (-1, -1) as the death edge of essential rows."""
    out = np.full((len(births), 4), -1, dtype=np.int64)
    out[:, 0:2] = table[births]
    out[: len(deaths), 2:4] = table[deaths]
    return index_tensor(out, device)
