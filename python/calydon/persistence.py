"""Non-differentiable persistence: reductions and one-shot diagram helpers."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from . import _core
from ._validate import as_float64_array, check_choice, check_max_dim
from .diagrams import Diagrams
from .grid import GRID_NDIMS, build_cubical, build_freudenthal, grid_pairs


class Decomposition(_core.Decomposition):
    """R = D V of a filtration (``dualize=True``: of the anti-transposed coboundary matrix).

    Construct with ``Decomposition(fil, dualize=False)``, call ``reduce(clearing=True,
    compute_v=False)``, then read ``r_data`` / ``v_data`` / ``d_data`` (lists of columns in
    matrix order) or ``diagram(fil)``.
    """

    def diagram(self, fil: _core.Filtration, include_inf_points: bool = True) -> Diagrams:
        """Diagrams read off the reduced matrix (zero-persistence points dropped)."""
        finite, essential = self.index_pairs(fil)
        return Diagrams(fil.values(), finite, essential, fil.infinity(), include_inf_points)


def reduce(fil: _core.Filtration, dualize: bool = False, clearing: bool = True,
           compute_v: bool = False) -> Decomposition:
    """Builds and reduces the decomposition of ``fil`` in one call."""
    dcmp = Decomposition(fil, bool(dualize))
    dcmp.reduce(clearing=clearing, compute_v=compute_v)
    return dcmp


def compute_diagrams(fil: _core.Filtration, include_inf_points: bool = True, dualize: bool = False,
                     fast_paths: bool = True) -> Diagrams:
    """Persistence diagrams of any filtration, dims 0..fil.max_dim.

    Uses union-find for H0 and, on grids and other triangulated balls, for the top dimension;
    the dimensions in between are reduced with clearing on the requested side. Homology and
    cohomology give identical diagrams.
    """
    finite, essential = _core.persistence_pairs(fil, bool(dualize), bool(fast_paths))
    return Diagrams(fil.values(), finite, essential, fil.infinity(), include_inf_points)


def compute_diagrams_ls(data: Any, negate: bool = False, max_dim: int | None = None,
                        include_inf_points: bool = True, dualize: bool = False) -> Diagrams:
    """Diagrams of the lower-star (``negate``: upper-star) filtration of a 1-4 dimensional array.

    Args:
        data: array-like (n_1, ..., n_D), finite real values.
        negate: upper-star filtration (superlevel sets).
        max_dim: largest homology dimension (default D - 1); the Freudenthal complex is built
            up to dimension ``max_dim + 1``.
        include_inf_points: include essential points (death = +inf, or -inf when negated).
        dualize: reduce cohomology instead of homology (same diagrams).

    Returns:
        ``Diagrams`` with dims 0..max_dim: float64 (n, 2) arrays.
    """
    api = "compute_diagrams_ls"
    arr = as_float64_array(data, "data", api, ndims=GRID_NDIMS)
    top = arr.ndim - 1 if max_dim is None else check_max_dim(max_dim, api)
    if arr.ndim <= 2:
        # Images and signals: union-find only, no filtration object (identical diagrams).
        finite, essential = grid_pairs(arr, "freudenthal", negate, min(top + 1, arr.ndim))
        return diagrams_from_grid_pairs(arr, finite, essential, negate, top + 1, include_inf_points)
    fil, _ = build_freudenthal(arr, negate, top + 1, api)
    dgms = compute_diagrams(fil, include_inf_points, dualize)
    return _trim(dgms, top)


def compute_diagrams_cubical(data: Any, negate: bool = False, values_on: str = "vertices",
                             max_dim: int | None = None, include_inf_points: bool = True) -> Diagrams:
    """Diagrams of the cubical filtration of a 1-4 dimensional array in one call.

    Args:
        data: array-like (n_1, ..., n_D), finite real values.
        negate: superlevel filtration.
        values_on: ``"vertices"`` or ``"cells"`` (see ``cube_filtration``).
        max_dim: largest homology dimension (default D - 1).
        include_inf_points: include essential points.

    Returns:
        ``Diagrams`` with dims 0..max_dim; 1-D and 2-D inputs take the union-find-only path.
    """
    api = "compute_diagrams_cubical"
    check_choice(values_on, "values_on", api, ("vertices", "cells"))
    arr = as_float64_array(data, "data", api, ndims=GRID_NDIMS)
    top = arr.ndim - 1 if max_dim is None else check_max_dim(max_dim, api)
    cells = min(top + 1, arr.ndim)
    if arr.ndim <= 2:
        finite, essential = grid_pairs(arr, "cubical", negate, cells, values_on)
        return diagrams_from_grid_pairs(arr, finite, essential, negate, top + 1, include_inf_points)
    fil, _ = build_cubical(arr, negate, cells, values_on, api)
    return _trim(compute_diagrams(fil, include_inf_points), top)


def diagrams_from_grid_pairs(arr: np.ndarray, finite, essential, negate: bool, n_dims: int,
                             include_inf_points: bool) -> Diagrams:
    flat = arr.reshape(-1)
    infinity = -math.inf if negate else math.inf
    values, index = [], []
    for dim in range(n_dims):
        rows = finite[dim] if dim < len(finite) else np.empty((0, 4), np.int64)
        vals, idx = flat[rows[:, 2:4]], rows[:, 0:2]
        if include_inf_points and dim < len(essential) and len(essential[dim]):
            ess = essential[dim]
            vals = np.concatenate([vals, np.stack([flat[ess[:, 1]], np.full(len(ess), infinity)], axis=1)])
            idx = np.concatenate([idx, np.stack([ess[:, 0], np.full(len(ess), -1)], axis=1)])
        values.append(vals)
        index.append(idx)
    return Diagrams.from_arrays(values, index)


def _trim(dgms: Diagrams, top: int) -> Diagrams:
    """Exactly dims 0..top: extra dims dropped, missing ones (degenerate shapes) empty."""
    missing = max(0, top + 1 - len(dgms))
    values = list(dgms)[: top + 1] + [np.empty((0, 2))] * missing
    index = [dgms.index_diagram_in_dimension(d) for d in range(min(len(dgms), top + 1))]
    return Diagrams.from_arrays(values, index + [np.empty((0, 2), np.int64)] * missing)
