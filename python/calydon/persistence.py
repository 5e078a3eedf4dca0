"""Non-differentiable persistence: reductions and one-shot diagram helpers."""

from __future__ import annotations

from typing import Any

from . import _core
from ._validate import as_float64_array, check_max_dim
from .diagrams import Diagrams
from .grid import GRID_NDIMS, build_freudenthal


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
    fil, _ = build_freudenthal(arr, negate, top + 1, api)
    dgms = compute_diagrams(fil, include_inf_points, dualize)
    return _trim(dgms, top)


def _trim(dgms: Diagrams, top: int) -> Diagrams:
    dgms._values = dgms._values[: top + 1]
    dgms._index = dgms._index[: top + 1]
    return dgms
