"""Differentiable Vietoris-Rips filtrations.

Every value is the length of a critical edge, recomputed in torch from the input (points or a
distance matrix), so the gradient of a diagram reaches exactly the two endpoints of each birth
and death edge (or the two matrix entries). The explicit filtration is built only when asked for
(``fil.values``, ``fil.under_fil``); ``persistence_diagram(fil)`` runs the implicit cohomology
(``calydon.rips``), which reports each pair as two critical edges and never builds the complex.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch

from .. import _rips
from .._pairs import IndexPairs, PairsRequest
from .._validate import check_finite_real, check_n_threads
from ..persistence import general_request
from ._edge_lengths import cell_lengths, edge_lengths
from ._tensor import differentiable_source, index_tensor, require_tensor
from .filtration import DiffFiltration


class DiffRipsFiltration(DiffFiltration):
    """A lazy differentiable Vietoris-Rips filtration (see ``vr_filtration``).

    ``under_fil``, ``values`` and ``critical_edges`` build the explicit filtration on first
    access (after a memory check). ``max_dim``, ``kind``, ``negate``, ``infinity()`` and
    ``max_diameter`` are known without building it. Created by ``vr_filtration``, not by hand.
    A pickle or deep copy holds the input (as a leaf tensor) and the validated plan, never the
    explicit filtration.

    Attributes
    ----------
    under_fil : Filtration
        The explicit ``calydon.Filtration`` (built on first access).
    values : torch.Tensor, shape (n_cells,)
        Length of each sorted cell's critical edge, differentiable (built on first access).
    """

    _transient_state = ("_explicit",)
    _eps = 0.0  # instances set it; the class value serves pickles made before eps existed

    def __init__(self, data: torch.Tensor, plan, max_diameter_arg: Any, eps: float = 0.0):
        # DiffFiltration.__init__ is not called: under_fil and values are lazy properties here.
        self._data = data
        self._plan = plan
        self._max_diameter_arg = max_diameter_arg
        self._eps = eps
        self._explicit = None

    def _regularised(self, lengths: torch.Tensor) -> torch.Tensor:
        """sqrt(length^2 + eps) when eps > 0 (the exact lengths otherwise); monotone, so the
        combinatorics are those of the exact lengths, and its derivative at length 0 is 0."""
        if self._eps == 0.0:
            return lengths
        return torch.sqrt(lengths * lengths + self._eps)

    # -- known without the explicit complex ------------------------------------------------
    @property
    def max_dim(self) -> int:
        """Top simplex dimension (int); diagrams in dimensions 0..max_dim-1."""
        return self._plan.max_dim

    @property
    def kind(self) -> str:
        """Always ``"vr"``."""
        return "vr"

    @property
    def negate(self) -> bool:
        """Always False (Vietoris-Rips filtrations are sublevel filtrations)."""
        return False

    @property
    def max_diameter(self) -> float:
        """The threshold in use (the enclosing radius when none was given)."""
        return self._plan.threshold

    @property
    def from_pwdists(self) -> bool:
        """True when the input is a distance matrix."""
        return self._plan.from_pwdists

    def infinity(self) -> float:
        """Death value of essential points.

        Returns
        -------
        float
            ``+inf`` (Vietoris-Rips filtrations are never negated).
        """
        return math.inf

    # -- the explicit filtration, on demand ------------------------------------------------
    def _materialise(self, api: str = "diff.vr_filtration"):
        """The explicit filtration, built once; ``api`` names the caller in a memory refusal."""
        if self._explicit is None:
            fil, edges, simplex_indices = _rips.build_explicit(
                self._plan, api, self._max_diameter_arg
            )
            e = index_tensor(edges, self._data.device)
            values = cell_lengths(self._data, self._plan.n_points, self._plan.from_pwdists, edges)
            values = self._regularised(values)
            self._explicit = (fil, values, e, simplex_indices)
        return self._explicit

    def _explicit_values(self, api: str):
        fil, values, _, _ = self._materialise(api)
        return fil, values

    @property
    def under_fil(self):
        """The explicit ``calydon.Filtration``, built on first access."""
        return self._materialise()[0]

    @property
    def values(self) -> torch.Tensor:
        """Critical-edge lengths of the sorted cells, shape (n_cells,) (built on first access)."""
        return self._materialise()[1]

    @property
    def critical_edges(self) -> torch.Tensor:
        """int64 tensor (n_cells, 2): the critical edge of each sorted cell ((v, v) for vertices)."""
        return self._materialise()[2]

    def __len__(self) -> int:
        return len(self.under_fil)

    def __repr__(self) -> str:
        built = "built" if self._explicit is not None else "not built"
        return (
            f"DiffRipsFiltration(n_points={self._plan.n_points}, max_dim={self.max_dim}, "
            f"max_diameter={self.max_diameter:.6g}, from_pwdists={self.from_pwdists}, "
            + (f"eps={self._eps:g}, " if self._eps else "")
            + f"explicit {built})"
        )

    def _sorted_ids(self, dim: int, simplices) -> tuple[np.ndarray, np.ndarray]:
        """Sorted ids of the (birth, death) simplices of dimension ``dim`` given by combinatorial
        index, as (finite (n, 2), essential (m,)); builds the explicit filtration."""
        fil, _, _, simplex_indices = self._materialise()

        def lookup(wanted: np.ndarray, d: int) -> np.ndarray:
            if d > fil.max_dim or len(wanted) == 0:
                return np.full(len(wanted), -1, dtype=np.int64)
            lo, hi = fil.dim_first(d), fil.dim_first(d + 1) if d < fil.max_dim else len(fil)
            block = simplex_indices[lo:hi]
            order = np.argsort(block, kind="stable")
            return lo + order[np.searchsorted(block, wanted, sorter=order)]

        finite, essential = simplices[0][dim], simplices[1][dim]
        ids = np.stack([lookup(finite[:, 0], dim), lookup(finite[:, 1], dim + 1)], axis=1).reshape(
            -1, 2
        )
        return ids, lookup(essential, dim)

    def _pairs_request(self, dualize: bool | None, gradient_method: str) -> PairsRequest:
        """Implicit cohomology by default: rows of a critical-edge table, whose lengths torch
        recomputes; ``dualize=False`` reduces the explicit complex (as does the critical-set
        method, through ``_explicit_values``)."""
        n_dims = _rips.diagram_dims(self.max_dim)
        if dualize is False:
            fil, values, _, _ = self._materialise("persistence_diagram")
            return general_request(fil, dualize is not False, n_dims, source=values)
        implicit = _rips.implicit_request(self._plan)

        def finish(raw) -> IndexPairs:
            pairs = implicit.finish(raw)
            e = index_tensor(pairs.extras["edges"], self._data.device)
            source = self._regularised(
                edge_lengths(differentiable_source(self._data), self.from_pwdists, e[:, 0], e[:, 1])
            )
            simplices = pairs.extras["simplices"]
            return IndexPairs(
                source,
                pairs.finite,
                pairs.essential,
                pairs.infinity,
                n_dims,
                sorted_ids=lambda dim: self._sorted_ids(dim, simplices),
                extras=pairs.extras,
            )

        return PairsRequest(implicit.request, finish)


def vr_filtration(
    data: torch.Tensor,
    from_pwdists: bool = False,
    max_dim: int = _rips.DEFAULT_MAX_DIM,
    max_diameter: float | None = None,
    n_threads: int | None = None,
    eps: float = 0.0,
) -> DiffRipsFiltration:
    """Differentiable Vietoris-Rips filtration of points or of a distance matrix.

    ``calydon.diff.persistence_diagram(fil)`` uses the implicit cohomology; the gradient of each
    diagram point goes to its birth and death critical edges. Coincident points give
    zero-length edges with zero (never NaN) gradient.

    Parameters
    ----------
    data : torch.Tensor, shape (n, d) or (n, n)
        Points, or with ``from_pwdists=True`` a distance-matrix tensor that may itself require
        grad: finite, non-negative, symmetric with a zero diagonal up to 1e-5 of its largest entry
        (``torch.cdist(p, p)`` qualifies); values and gradients are read from its lower triangle
        ``D[i, j]``, i > j. Any real dtype and device; the combinatorics run on a float64 CPU
        copy.
    from_pwdists : bool, default False
        ``data`` is a distance matrix.
    max_dim : int, default 2
        Top simplex dimension (2: diagrams in dimensions 0 and 1).
    max_diameter : float, optional
        Keep simplices of diameter ``<= max_diameter``; default (None) the enclosing radius
        ``min_i max_j d(i, j)``, above which the complex is a cone (no homology lost).
    n_threads : int, optional
        None or a positive int, validated here; the threads of the implicit cohomology are
        those given to ``persistence_diagram(fil, n_threads=...)``.
    eps : float, default 0.0
        Points only: with ``eps > 0`` each value is ``sqrt(length^2 + eps)`` instead of the
        length (vertices ``sqrt(eps)``), as ``oineus.diff.vr_filtration`` computes with its
        default ``eps=1e-6``. The order and the pairs are those of the exact lengths; the
        gradient of a short edge shrinks smoothly to 0, which damps the steps that make points
        collide. ``eps=1e-6`` reproduces oineus's values and its optimisation runs.

    Returns
    -------
    DiffRipsFiltration
        A lazy ``DiffFiltration`` whose ``values[i]`` (dtype and device of ``data``) is the
        length of the critical edge of sorted cell ``i`` (0 for vertices; ``D[v, v]`` from a
        distance matrix), or ``sqrt(length^2 + eps)``.

    Raises
    ------
    TypeError
        ``data`` is not a real tensor, or ``max_dim`` is not an int.
    ValueError
        Wrong shape, non-finite values, a bad distance matrix, negative ``max_dim`` or
        ``max_diameter``, a negative or non-finite ``eps`` (or ``eps > 0`` with
        ``from_pwdists=True``), or a complex estimated not to fit in memory.
    """
    api = "diff.vr_filtration"
    require_tensor(data, "data", api)
    check_n_threads(n_threads, api)
    eps = _check_eps(eps, from_pwdists, api)
    plan = _rips.plan_rips(data, from_pwdists, max_dim, max_diameter, api)
    return DiffRipsFiltration(data, plan, max_diameter, eps)


def _check_eps(eps: Any, from_pwdists: Any, api: str) -> float:
    value = check_finite_real(eps, "eps", api)
    if value < 0:
        raise ValueError(f"{api}: eps must be >= 0, got {eps!r}")
    if value > 0 and from_pwdists is True:
        raise ValueError(
            f"{api}: eps applies to points; with from_pwdists=True pass the regularised "
            f"matrix itself (got eps={eps!r})"
        )
    return value
