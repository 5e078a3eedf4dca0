"""Delaunay filtrations of 2-D and 3-D point clouds: alpha, weak alpha and Čech–Delaunay.

The combinatorics come from CGAL's Delaunay triangulation (exact predicates). All values are
squared radii, as in gudhi and the reference implementation:

* alpha: the squared radius of the smallest empty circumsphere of a simplex, or, when the
  simplex is attached (a vertex of a coface lies strictly inside its smallest circumsphere), the
  value of its attaching coface;
* weak alpha: the squared length |p - q|^2 of the longest edge (not divided by 4);
* Čech–Delaunay: the squared radius of the minimum enclosing ball of the simplex's vertices.

Vertices have value 0. A duplicated point stays a vertex and is joined to the first point with
the same coordinates by an edge of value 0, so diagrams equal those of the de-duplicated cloud.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _core
from ._validate import as_float64_array
from .diagrams import Diagrams

DELAUNAY_RULES = ("alpha", "weak_alpha", "cech")
MAX_ABS_COORDINATE = 1e100


def require_cgal(api: str) -> None:
    if not getattr(_core, "HAVE_CGAL", False):
        raise ImportError(f"{api}: calydon was built without CGAL, which Delaunay filtrations need; "
                          "install it (apt-get install libcgal-dev) and rebuild calydon")


def as_point_cloud(points: Any, api: str) -> np.ndarray:
    """float64 C-contiguous (n, 2) or (n, 3) array, checked; raises ValueError / TypeError."""
    arr = as_float64_array(points, "points", api, ndims=(2,))
    if arr.shape[1] not in (2, 3):
        raise ValueError(f"{api}: points must have 2 or 3 coordinates per row, got shape {arr.shape}")
    big = np.abs(arr).max()
    if big > MAX_ABS_COORDINATE:
        raise ValueError(f"{api}: points must have coordinates of absolute value at most "
                         f"{MAX_ABS_COORDINATE:g} (squared radii would overflow), got {big:g}; rescale them")
    return arr


def delaunay_core(points: Any, rule: str, api: str, with_simplices: bool = False):
    """Runs the C++ builder: (filtration, value_source, supports, simplices, tri_dim, has_dups)."""
    require_cgal(api)
    arr = as_point_cloud(points, api)
    return _core.delaunay_filtration(arr, rule, bool(with_simplices))


def _build(points: Any, rule: str, api: str, with_simplices: bool):
    fil, _, _, simplices, _, _ = delaunay_core(points, rule, api, with_simplices)
    return (fil, simplices) if with_simplices else fil


def alpha_filtration(points: Any, with_simplices: bool = False):
    """Alpha filtration (values = squared radii) of a 2-D or 3-D point cloud.

    Args:
        points: array-like (n, 2) or (n, 3), finite real values.
        with_simplices: also return the simplices.

    Returns:
        ``Filtration`` (kind ``"alpha"``), or ``(Filtration, simplices)`` where ``simplices[k]``
        is an int64 array (n_k, k + 1) of point indices of the k-simplices in filtration order.
    """
    return _build(points, "alpha", "alpha_filtration", with_simplices)


def weak_alpha_filtration(points: Any, with_simplices: bool = False):
    """Weak alpha filtration: each Delaunay simplex takes the squared length of its longest edge.

    Same arguments and return value as ``alpha_filtration`` (kind ``"weak_alpha"``).
    """
    return _build(points, "weak_alpha", "weak_alpha_filtration", with_simplices)


def cech_delaunay_filtration(points: Any, with_simplices: bool = False):
    """Čech–Delaunay filtration: each Delaunay simplex takes the squared radius of the minimum
    enclosing ball of its vertices.

    Same arguments and return value as ``alpha_filtration`` (kind ``"cech_delaunay"``).
    """
    return _build(points, "cech", "cech_delaunay_filtration", with_simplices)


def compute_diagrams_alpha(points: Any, include_inf_points: bool = True, dualize: bool = False) -> Diagrams:
    """Persistence diagrams of the alpha filtration of a 2-D or 3-D point cloud.

    Args:
        points: array-like (n, d), d = 2 or 3, finite.
        include_inf_points: include essential points (death ``+inf``).
        dualize: reduce cohomology instead of homology (same diagrams).

    Returns:
        ``Diagrams`` with dims 0..d-1 (values are squared radii); a dimension the complex does not
        reach (e.g. collinear points) is empty.
    """
    fil = alpha_filtration(points)
    d = np.shape(points)[1]
    finite, essential = _core.persistence_pairs(fil, bool(dualize))
    finite = [finite[k] if k < len(finite) else np.empty((0, 2), np.int64) for k in range(d)]
    essential = [essential[k] if k < len(essential) else np.empty(0, np.int64) for k in range(d)]
    return Diagrams(fil.values(), finite, essential, fil.infinity(), include_inf_points)
