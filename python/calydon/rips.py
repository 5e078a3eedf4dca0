"""Vietoris-Rips filtrations of point clouds and distance matrices, and their diagrams.

Two backends give the same diagrams:

* the explicit filtration (``vr_filtration``): every simplex up to ``max_dim`` with diameter
  ``<= max_diameter``, sorted like any calydon filtration, each with its critical edge;
* implicit cohomology (``compute_diagrams_vr`` with ``dualize=True``, the default): the
  algorithm of Ripser (Bauer 2021) with clearing, apparent and emergent pairs, which never
  materialises the complex.

Before anything is built, the size of the complex is estimated and a complex that would not fit
in memory is refused with a ValueError (see ``memory_budget_bytes``).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import _core
from ._validate import as_float64_array, check_max_dim
from .diagrams import Diagrams
from .persistence import compute_diagrams

DEFAULT_MAX_DIM = 2
"""Top simplex dimension by default: diagrams in dimensions 0 and 1 (H0, H1)."""

_SPARSE_DENSITY = 0.25  # below this fraction of all pairs, neighbour lists beat the dense matrix
_BYTES_PER_EXPLICIT_CELL = 200  # filtration arrays, sort keys, boundary, critical edge, torch value
_BYTES_PER_COLUMN = 48  # implicit path: simplex list, column list, pivot table entries


def memory_budget_bytes() -> int:
    """Bytes a Rips complex may take: ``$CALYDON_MEMORY_BUDGET`` if set, otherwise 3/4 of the
    memory the kernel reports as available (MemAvailable in /proc/meminfo), or 8 GiB when that
    cannot be read."""
    env = os.environ.get("CALYDON_MEMORY_BUDGET")
    if env:
        return int(float(env))
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024 * 3 // 4
    except OSError:
        pass
    return 8 << 30


@dataclass
class RipsPlan:
    """A validated request: float64 data, top dimension, threshold and how to store lengths."""

    data: np.ndarray
    from_pwdists: bool
    max_dim: int
    threshold: float
    simplices: list  # estimated counts per dimension 0..max_dim
    sparse: bool

    @property
    def n_points(self) -> int:
        return self.data.shape[0]


def _check_max_diameter(max_diameter: Any, api: str) -> float | None:
    if max_diameter is None:
        return None
    if isinstance(max_diameter, bool) or not isinstance(max_diameter, (int, float, np.integer, np.floating)):
        raise TypeError(f"{api}: max_diameter must be a number or None, got {type(max_diameter).__name__}")
    value = float(max_diameter)
    if math.isnan(value) or value < 0:
        raise ValueError(f"{api}: max_diameter must be >= 0 (or None for the enclosing radius), got {max_diameter}")
    return value


def _format_counts(counts) -> str:
    return "[" + ", ".join(f"{c:.3g}" for c in counts) + "]"


def _refuse_if_too_large(bytes_needed: float, counts, max_dim: int, max_diameter, what: str, api: str) -> None:
    budget = memory_budget_bytes()
    if bytes_needed > budget:
        shown = "the enclosing radius" if max_diameter is None else max_diameter
        raise ValueError(
            f"{api}: the Vietoris-Rips complex with max_dim={max_dim} and max_diameter={shown} is estimated "
            f"at {_format_counts(counts)} simplices per dimension, {bytes_needed / 2**30:.3g} GiB for {what}, "
            f"above the memory budget of {budget / 2**30:.3g} GiB; lower max_dim or max_diameter "
            "(or set CALYDON_MEMORY_BUDGET in bytes)")


def plan_rips(data: Any, from_pwdists: bool, max_dim: Any, max_diameter: Any, api: str,
              data_name: str = "data") -> RipsPlan:
    """Validates a Rips request and checks that the implicit (cohomology) path fits in memory.

    The size estimate runs before the exact enclosing radius (O(n^2) lengths) is computed, so an
    impossible request fails within seconds.
    """
    arr = as_float64_array(data, data_name, api, ndims=(2,))
    from_pwdists = bool(from_pwdists)
    if from_pwdists and arr.shape[0] != arr.shape[1]:
        raise ValueError(f"{api}: {data_name} must be a square distance matrix with from_pwdists=True, "
                         f"got shape {arr.shape}")
    max_dim = check_max_dim(max_dim, api)
    max_diameter = _check_max_diameter(max_diameter, api)
    n = arr.shape[0]
    requested = math.inf if max_diameter is None else max_diameter
    _, counts = _core.rips_size_estimate(arr, from_pwdists, max_dim, requested)
    all_pairs = n * (n - 1) / 2
    sparse = counts[1] < _SPARSE_DENSITY * all_pairs if max_dim >= 1 else False
    matrix_bytes = 32 * counts[1] if sparse else (0 if from_pwdists else 8 * n * n)
    edge_bytes = 16 * counts[1] if max_dim >= 1 else 0
    column_bytes = _BYTES_PER_COLUMN * sum(counts[1:max_dim])
    _refuse_if_too_large(matrix_bytes + edge_bytes + column_bytes, counts, max_dim, max_diameter,
                         "the persistence computation", api)
    threshold = _core.rips_enclosing_radius(arr, from_pwdists) if max_diameter is None else max_diameter
    return RipsPlan(arr, from_pwdists, max_dim, threshold, list(counts), bool(sparse))


def build_explicit(plan: RipsPlan, api: str, max_diameter_shown: Any = None):
    """(Filtration, critical_edges, simplex_indices) after checking that all simplices fit."""
    bytes_needed = _BYTES_PER_EXPLICIT_CELL * sum(plan.simplices) + 8 * plan.n_points**2
    _refuse_if_too_large(bytes_needed, plan.simplices, plan.max_dim, max_diameter_shown,
                         "the explicit filtration", api)
    max_cells = int(max(1.0, 2 * memory_budget_bytes() / _BYTES_PER_EXPLICIT_CELL))
    return _core.rips_filtration(plan.data, plan.from_pwdists, plan.max_dim, plan.threshold, max_cells)


def implicit_pairs(plan: RipsPlan):
    """Per homology dimension: (critical edges (m, 4), values (m, 2), simplex indices (m, 2))."""
    return _core.rips_persistence_pairs(plan.data, plan.from_pwdists, plan.max_dim, plan.threshold, plan.sparse)


def vr_filtration(data: Any, from_pwdists: bool = False, max_dim: int = DEFAULT_MAX_DIM,
                  max_diameter: float | None = None, with_critical_edges: bool = False):
    """Vietoris-Rips filtration of a point cloud or a distance matrix.

    Vertices have value 0; an edge has its length; a higher simplex has its diameter, the
    length of its longest edge (its critical edge). Lengths are Euclidean (coordinates summed in
    order, then the square root), or the matrix entries bit for bit with ``from_pwdists``.

    Args:
        data: (n, d) points, or with ``from_pwdists=True`` an (n, n) distance matrix: finite,
            symmetric, non-negative, with a zero diagonal.
        from_pwdists: ``data`` is a distance matrix.
        max_dim: top simplex dimension (default 2: diagrams in dimensions 0 and 1).
        max_diameter: keep simplices of diameter ``<= max_diameter``. ``None`` (default): the
            enclosing radius ``min_i max_j d(i, j)``, above which the complex is a cone and has no
            more homology below ``max_dim``; ``math.inf`` keeps every simplex.
        with_critical_edges: also return the critical edges.

    Returns:
        ``Filtration`` (kind ``"vr"``), or ``(Filtration, edges)`` with ``edges`` an int64 array
        (n_cells, 2): the vertices (u <= v) of each sorted cell's critical edge, ``(v, v)`` for a
        vertex v.

    Raises:
        ValueError: bad data or arguments, or a complex estimated not to fit in memory.
        OverflowError: simplex indices would overflow int64 (absurd ``max_dim`` for ``n``).
    """
    api = "vr_filtration"
    plan = plan_rips(data, from_pwdists, max_dim, max_diameter, api)
    fil, edges, _ = build_explicit(plan, api, max_diameter)
    return (fil, edges) if with_critical_edges else fil


def diagram_dims(max_dim: int) -> int:
    """Number of diagram dimensions of a Rips complex with top simplex dimension max_dim."""
    return max(max_dim, 1)


def compute_diagrams_vr(data: Any, from_pwdists: bool = False, max_dim: int = DEFAULT_MAX_DIM,
                        max_diameter: float | None = None, include_inf_points: bool = True,
                        dualize: bool = True) -> Diagrams:
    """Persistence diagrams of a Vietoris-Rips filtration, dimensions 0..max_dim-1.

    ``dualize=True`` (default) runs the implicit cohomology and never builds the complex;
    ``dualize=False`` builds the explicit filtration and reduces homology. The diagrams are equal
    as multisets. With the implicit path, ``index_diagram_in_dimension`` holds positions in the
    diagram's own value table rather than sorted cell ids (there is no sorted filtration); use
    ``dualize=False`` for cell ids.

    Arguments as in ``vr_filtration``; ``include_inf_points`` adds essential points
    ``(birth, inf)``.
    """
    api = "compute_diagrams_vr"
    plan = plan_rips(data, from_pwdists, max_dim, max_diameter, api)
    n_dims = diagram_dims(plan.max_dim)
    if not dualize:
        fil, _, _ = build_explicit(plan, api, max_diameter)
        dgms = compute_diagrams(fil, include_inf_points, dualize=False)
        empty = np.empty((0, 2), np.int64)
        dgms._values = [dgms._values[d] if d < len(dgms._values) else empty.astype(np.float64) for d in range(n_dims)]
        dgms._index = [dgms._index[d] if d < len(dgms._index) else empty for d in range(n_dims)]
        return dgms
    pairs = implicit_pairs(plan)
    tables, finite, essential = [], [], []
    offset = 0
    for _, values, _ in pairs[:n_dims]:
        is_finite = np.isfinite(values[:, 1])
        rows = np.arange(len(values)) * 2 + offset
        finite.append(np.stack([rows[is_finite], rows[is_finite] + 1], axis=1))
        essential.append(rows[~is_finite])
        tables.append(values.reshape(-1))
        offset += values.size
    table = np.concatenate(tables) if tables else np.empty(0)
    return Diagrams(table, finite, essential, math.inf, include_inf_points)
