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

from .. import rips as _rips
from ._tensor import differentiable_source, index_tensor, require_tensor
from .filtration import DiffFiltration
from .persistence import PersistenceDiagrams, persistence_diagram


def edge_lengths(source: torch.Tensor, from_pwdists: bool, u: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """Lengths of the edges (u[i], v[i]), differentiable, exactly as the C++ core computes them.

    Points: ``sqrt(sum_k (x_u[k] - x_v[k])^2)`` with the coordinates summed in order and an IEEE
    (correctly rounded) square root, so float64 results match the core bit for bit. A zero-length edge (u == v, or coincident points) gets
    length 0 and gradient 0: the square root is only evaluated where the sum is positive, since
    its derivative at 0 is infinite and would turn into NaN. Distance matrices: ``D[u, v]``.
    """
    if from_pwdists:
        return source[u, v]
    diff = source[u] - source[v]
    squared = diff[:, 0] * diff[:, 0]
    for k in range(1, source.shape[1]):
        squared = squared + diff[:, k] * diff[:, k]
    positive = squared > 0
    safe = torch.where(positive, squared, torch.ones_like(squared))
    root = torch.sqrt(safe)
    # torch's CPU sqrt is not correctly rounded (1 ulp off on ~1% of inputs), the core's is: take
    # the value from numpy's IEEE sqrt and the derivative from torch (the added term is 0).
    exact = torch.from_numpy(np.sqrt(safe.detach().cpu().numpy())).to(root.device)
    root = exact + (root - root.detach())
    return torch.where(positive, root, torch.zeros_like(squared))


class RipsPersistenceDiagrams(PersistenceDiagrams):
    """Diagrams from the implicit path; also knows each point's birth and death critical edge.

    ``critical_edges_in_dimension(d)``: int64 tensor (n_d, 4) of (birth u, birth v, death u,
    death v), -1 as the death edge of an essential point. ``index_diagram_in_dimension(d)``
    builds the explicit filtration on first use and returns, per row, the sorted ids of the
    birth and death simplices (whose values are exactly the row's values).
    """

    def __init__(self, diagrams, edges, simplices, fil: "DiffRipsFiltration"):
        super().__init__(diagrams, {})
        self._edges = edges
        self._simplices = simplices
        self._fil = fil

    def critical_edges_in_dimension(self, dim: int) -> torch.Tensor:
        """int64 tensor (n_dim, 4): (birth u, birth v, death u, death v); -1 for essential deaths."""
        self[dim]
        return self._edges[dim]

    def index_diagram_in_dimension(self, dim: int) -> torch.Tensor:
        self[dim]
        if dim not in self._index:
            self._index[dim] = self._fil._sorted_ids(dim, self._simplices[dim]).to(self._dgms[dim].device)
        return self._index[dim]


class DiffRipsFiltration(DiffFiltration):
    """A lazy differentiable Vietoris-Rips filtration (see ``vr_filtration``).

    ``under_fil``, ``values`` and ``critical_edges`` build the explicit filtration on first
    access (after a memory check). ``max_dim``, ``kind``, ``negate``, ``infinity()`` and
    ``max_diameter`` are known without building it.
    """

    def __init__(self, data: torch.Tensor, plan, max_diameter_arg: Any):
        # DiffFiltration.__init__ is not called: under_fil and values are lazy properties here.
        self._data = data
        self._plan = plan
        self._max_diameter_arg = max_diameter_arg
        self._explicit = None

    # -- known without the explicit complex ------------------------------------------------
    @property
    def max_dim(self) -> int:
        return self._plan.max_dim

    @property
    def kind(self) -> str:
        return "vr"

    @property
    def negate(self) -> bool:
        return False

    @property
    def max_diameter(self) -> float:
        """The threshold in use (the enclosing radius when none was given)."""
        return self._plan.threshold

    @property
    def from_pwdists(self) -> bool:
        return self._plan.from_pwdists

    def infinity(self) -> float:
        """Death value of essential points: +inf (VR filtrations are never negated)."""
        return math.inf

    # -- the explicit filtration, on demand ------------------------------------------------
    def _materialise(self):
        if self._explicit is None:
            fil, edges, simplex_indices = _rips.build_explicit(self._plan, "diff.vr_filtration",
                                                               self._max_diameter_arg)
            e = index_tensor(edges, self._data.device)
            values = edge_lengths(differentiable_source(self._data), self._plan.from_pwdists, e[:, 0], e[:, 1])
            self._explicit = (fil, values, e, simplex_indices)
        return self._explicit

    @property
    def under_fil(self):
        return self._materialise()[0]

    @property
    def values(self) -> torch.Tensor:
        return self._materialise()[1]

    @property
    def critical_edges(self) -> torch.Tensor:
        """int64 tensor (n_cells, 2): the critical edge of each sorted cell ((v, v) for vertices)."""
        return self._materialise()[2]

    def __len__(self) -> int:
        return len(self.under_fil)

    def __repr__(self) -> str:
        built = "built" if self._explicit is not None else "not built"
        return (f"DiffRipsFiltration(n_points={self._plan.n_points}, max_dim={self.max_dim}, "
                f"max_diameter={self.max_diameter:.6g}, from_pwdists={self.from_pwdists}, explicit {built})")

    def _sorted_ids(self, dim: int, simplices: np.ndarray) -> torch.Tensor:
        """Sorted ids of (birth (dim), death (dim + 1)) simplices given by combinatorial index."""
        fil, _, _, simplex_indices = self._materialise()
        out = np.full(simplices.shape, -1, dtype=np.int64)
        for col, d in ((0, dim), (1, dim + 1)):
            lo, hi = fil.dim_first(d), fil.dim_first(d + 1) if d < fil.max_dim else len(fil)
            if d > fil.max_dim:
                continue
            block = simplex_indices[lo:hi]
            order = np.argsort(block, kind="stable")
            wanted = simplices[:, col]
            has = wanted >= 0
            out[has, col] = lo + order[np.searchsorted(block, wanted[has], sorter=order)]
        return torch.from_numpy(out)

    # -- the hook used by calydon.diff.persistence_diagram ---------------------------------
    def _persistence_diagram_fast(self, include_inf_points: bool = False, dualize: bool | None = None,
                                  n_threads: int | None = None) -> PersistenceDiagrams:
        n_dims = _rips.diagram_dims(self.max_dim)
        if dualize is False:
            # Homology was asked for explicitly: reduce the explicit filtration (same diagrams).
            fil, values, _, _ = self._materialise()
            plain = persistence_diagram(DiffFiltration(fil, values), include_inf_points=include_inf_points,
                                        dualize=False)
            return _pad_dims(plain, n_dims, values)
        source = differentiable_source(self._data)
        device = self._data.device
        dgms, edges_by_dim, simplices_by_dim = {}, {}, {}
        for dim, (edges, values, simplices) in enumerate(_rips.implicit_pairs(self._plan)[:n_dims]):
            keep = np.isfinite(values[:, 1]) | include_inf_points
            edges, simplices = edges[keep], simplices[keep]
            e = index_tensor(edges, device)
            finite = e[:, 2] >= 0
            births = edge_lengths(source, self.from_pwdists, e[:, 0], e[:, 1])
            # Essential rows read their birth edge as a stand-in death edge; torch.where then
            # gives them +inf and a zero gradient from that branch.
            death_u = torch.where(finite, e[:, 2], e[:, 0])
            death_v = torch.where(finite, e[:, 3], e[:, 1])
            deaths = torch.where(finite, edge_lengths(source, self.from_pwdists, death_u, death_v),
                                 torch.full_like(births, math.inf))
            dgms[dim] = torch.stack([births, deaths], dim=1)
            edges_by_dim[dim] = e
            simplices_by_dim[dim] = simplices
        return RipsPersistenceDiagrams(dgms, edges_by_dim, simplices_by_dim, self)


def _pad_dims(dgms: PersistenceDiagrams, n_dims: int, values: torch.Tensor) -> PersistenceDiagrams:
    """The explicit complex may lack top simplices within the threshold (hence a smaller
    max_dim); report the requested dimensions anyway, as empty diagrams."""
    if len(dgms) >= n_dims:
        return dgms
    out, index = {}, {}
    for d in range(n_dims):
        if d in dgms:
            out[d], index[d] = dgms[d], dgms.index_diagram_in_dimension(d)
        else:
            out[d] = values.new_zeros((0, 2))
            index[d] = torch.empty((0, 2), dtype=torch.int64, device=values.device)
    return PersistenceDiagrams(out, index)


def vr_filtration(data: torch.Tensor, from_pwdists: bool = False, max_dim: int = _rips.DEFAULT_MAX_DIM,
                  max_diameter: float | None = None, n_threads: int = 1) -> DiffRipsFiltration:
    """Differentiable Vietoris-Rips filtration of points or of a distance matrix.

    Args:
        data: tensor (n, d) of points, or with ``from_pwdists=True`` an (n, n) distance-matrix
            tensor (finite, symmetric, non-negative, zero diagonal) that may itself require grad.
            Any real dtype and device; the combinatorics run on a float64 CPU copy.
        from_pwdists: ``data`` is a distance matrix.
        max_dim: top simplex dimension (default 2, i.e. diagrams in dimensions 0 and 1).
        max_diameter: keep simplices of diameter ``<= max_diameter``; default (None) the enclosing
            radius ``min_i max_j d(i, j)``, above which the complex is a cone (no homology lost).
        n_threads: accepted for API compatibility; the computation is serial.

    Returns:
        ``DiffRipsFiltration``: a ``DiffFiltration`` whose ``values[i]`` is the length of the
        critical edge of sorted cell ``i`` (0 for vertices; ``D[v, v]`` from a distance matrix),
        built lazily. ``calydon.diff.persistence_diagram(fil)`` uses the implicit cohomology; the
        gradient of each diagram point goes to its birth and death critical edges. Coincident
        points give zero-length edges with zero (never NaN) gradient.

    Raises:
        TypeError: ``data`` is not a real tensor, or ``max_dim`` is not an int.
        ValueError: wrong shape, non-finite values, a bad distance matrix, negative ``max_dim`` or
            ``max_diameter``, or a complex estimated not to fit in memory.
    """
    api = "diff.vr_filtration"
    require_tensor(data, "data", api)
    plan = _rips.plan_rips(data, from_pwdists, max_dim, max_diameter, api)
    return DiffRipsFiltration(data, plan, max_diameter)
