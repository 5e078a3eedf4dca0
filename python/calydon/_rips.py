"""Plumbing of the Vietoris-Rips builders shared by ``calydon.rips`` and ``calydon.diff.rips``:
the validated plan (one C++ call: validation, size estimate, threshold), the memory pre-flight,
and the explicit and implicit backends."""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import _core
from ._memory import check_memory, memory_budget_bytes
from ._pairs import IndexPairs, PairsRequest, run_request
from ._validate import as_float64_array, check_bool, check_max_dim

DEFAULT_MAX_DIM = 2
"""Top simplex dimension by default: diagrams in dimensions 0 and 1 (H0, H1)."""

_SPARSE_DENSITY = 0.25  # below this fraction of all pairs, neighbour lists beat the dense matrix
_BYTES_PER_EXPLICIT_CELL = 200  # filtration arrays, sort keys, boundary, critical edge, torch value
_BYTES_PER_COLUMN = 48  # implicit path: simplex list, column list, pivot table entries


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
    if isinstance(max_diameter, bool) or not isinstance(
        max_diameter, (int, float, np.integer, np.floating)
    ):
        raise TypeError(
            f"{api}: max_diameter must be a number or None, got {type(max_diameter).__name__}"
        )
    value = float(max_diameter)
    if math.isnan(value) or value < 0:
        raise ValueError(
            f"{api}: max_diameter must be >= 0 (or None for the enclosing radius), got {max_diameter}"
        )
    return value


def _check_representable_lengths(points: np.ndarray, api: str, data_name: str) -> None:
    """ValueError when the bounding box of the points is longer than the largest double: their
    lengths could not all be represented (the core computes each one without overflow below)."""
    if points.shape[0] < 2:
        return
    with np.errstate(over="ignore", invalid="ignore"):
        spread = points.max(axis=0) - points.min(axis=0)
        largest = float(spread.max(initial=0.0))
        diagonal = largest * math.sqrt(float(((spread / largest) ** 2).sum())) if largest else 0.0
    if not math.isfinite(diagonal):
        raise ValueError(
            f"{api}: {data_name} has a bounding box whose diagonal exceeds the largest double "
            f"(about 1.8e308), so its edge lengths cannot be represented; got coordinate ranges "
            f"up to {largest:.3g}; rescale the points"
        )


def _format_counts(counts) -> str:
    return "[" + ", ".join(f"{c:.3g}" for c in counts) + "]"


def _refuse_if_too_large(
    bytes_needed: float, counts, max_dim: int, max_diameter, what: str, api: str
) -> None:
    shown = "the enclosing radius" if max_diameter is None else max_diameter
    check_memory(
        api,
        f"the Vietoris-Rips complex with max_dim={max_dim} and max_diameter={shown} (estimated at "
        f"{_format_counts(counts)} simplices per dimension) for {what}",
        bytes_needed,
        "lower max_dim or max_diameter",
    )


def plan_rips(
    data: Any,
    from_pwdists: bool,
    max_dim: Any,
    max_diameter: Any,
    api: str,
    data_name: str = "data",
) -> RipsPlan:
    """Validates a Rips request once and checks that the implicit (cohomology) path fits.

    One C++ call validates a distance matrix (finite, non-negative, symmetric with a zero diagonal
    up to 1e-5 of its largest entry; a matrix symmetric only up to rounding is read from its
    lower triangle), estimates the simplex counts and, only once they fit, computes the exact
    enclosing radius (O(n^2) lengths), so an impossible request fails within seconds.
    """
    # Scalars first: a bad max_dim is refused before the data is even copied.
    from_pwdists = check_bool(from_pwdists, "from_pwdists", api)
    max_dim = check_max_dim(max_dim, api)
    max_diameter = _check_max_diameter(max_diameter, api)
    arr = as_float64_array(data, data_name, api, ndims=(2,))
    if from_pwdists and arr.shape[0] != arr.shape[1]:
        raise ValueError(
            f"{api}: {data_name} must be a square distance matrix with from_pwdists=True, "
            f"got shape {arr.shape}"
        )
    n_rows, n_cols = arr.shape
    # A square, exactly symmetric matrix with a zero diagonal is most likely a distance matrix
    # (as ripser warns); the O(n^2) checks run on square inputs only.
    if (
        not from_pwdists
        and n_rows == n_cols >= 2
        and not arr.diagonal().any()
        and np.array_equal(arr, arr.T)
    ):
        warnings.warn(
            f"{api}: {data_name} is a square, symmetric matrix with a zero diagonal but is read as "
            f"{arr.shape[0]} points in R^{arr.shape[1]}; pass from_pwdists=True if it is a distance "
            "matrix",
            UserWarning,
            stacklevel=3,
        )
    if not from_pwdists:
        _check_representable_lengths(arr, api, data_name)
    n = arr.shape[0]
    sparse = [False]

    def check_size(counts) -> None:
        all_pairs = n * (n - 1) / 2
        sparse[0] = counts[1] < _SPARSE_DENSITY * all_pairs if max_dim >= 1 else False
        matrix_bytes = 32 * counts[1] if sparse[0] else (0 if from_pwdists else 8 * n * n)
        edge_bytes = 16 * counts[1] if max_dim >= 1 else 0
        column_bytes = _BYTES_PER_COLUMN * sum(counts[1:max_dim])
        _refuse_if_too_large(
            matrix_bytes + edge_bytes + column_bytes,
            counts,
            max_dim,
            max_diameter,
            "the persistence computation",
            api,
        )

    threshold, counts, symmetrized = _core.rips_plan(
        arr, from_pwdists, max_dim, max_diameter, check_size, api=api
    )
    if symmetrized is not None:
        arr = symmetrized
    return RipsPlan(arr, from_pwdists, max_dim, threshold, list(counts), bool(sparse[0]))


# The last explicit complex's combinatorics, reused when the next build has the same points count,
# max_dim and edges within the threshold (an optimisation loop rebuilding the filtration from
# moved points); kept only when small next to the memory budget.
_LAST_SKELETON: list = []
_SKELETON_SHARE_OF_BUDGET = 16


def build_explicit(plan: RipsPlan, api: str, max_diameter_shown: Any = None):
    """(Filtration, critical_edges, simplex_indices) after checking that all simplices fit."""
    bytes_needed = _BYTES_PER_EXPLICIT_CELL * sum(plan.simplices) + 8 * plan.n_points**2
    _refuse_if_too_large(
        bytes_needed,
        plan.simplices,
        plan.max_dim,
        max_diameter_shown,
        "the explicit filtration",
        api,
    )
    budget = memory_budget_bytes()
    max_cells = int(max(1.0, 2 * budget / _BYTES_PER_EXPLICIT_CELL))
    reuse = _LAST_SKELETON[0] if _LAST_SKELETON else None
    fil, edges, simplex_indices, skeleton = _core.rips_filtration(
        plan.data, plan.from_pwdists, plan.max_dim, plan.threshold, max_cells, api=api, reuse=reuse
    )
    _LAST_SKELETON.clear()
    if skeleton.nbytes * _SKELETON_SHARE_OF_BUDGET <= budget:
        _LAST_SKELETON.append(skeleton)
    return fil, edges, simplex_indices


def diagram_dims(max_dim: int) -> int:
    """Number of diagram dimensions of a Rips complex with top simplex dimension max_dim."""
    return max(max_dim, 1)


def implicit_request(plan: RipsPlan) -> PairsRequest:
    """The Rips backend of the persistence contract: implicit cohomology, no complex built.

    Indices are rows of a critical-edge table: ``source`` holds the rows' diameters (float64),
    ``extras["edges"]`` the int64 (k, 2) vertex pairs and ``extras["simplices"]`` the
    combinatorial indices of the birth and death simplices, as (finite, essential) per dimension.
    """

    def finish(raw) -> IndexPairs:
        edges, diameters, (finite, essential), simplices = raw
        return IndexPairs(
            diameters,
            finite,
            essential,
            math.inf,
            diagram_dims(plan.max_dim),
            extras={"edges": edges, "simplices": simplices},
        )

    return PairsRequest(
        ("rips", plan.data, plan.from_pwdists, plan.max_dim, plan.threshold, plan.sparse), finish
    )


def implicit_pairs(plan: RipsPlan, api: str, n_threads: int = 1) -> IndexPairs:
    """``implicit_request`` run at once on ``n_threads`` threads (the pairs do not depend on it)."""
    return run_request(implicit_request(plan), n_threads, api)
