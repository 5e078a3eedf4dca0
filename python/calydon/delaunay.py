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

from ._delaunay import delaunay_core
from ._validate import check_bool, check_n_threads
from .diagrams import Diagrams
from .persistence import persistence_index_pairs


def _build(points: Any, rule: str, api: str, with_simplices: bool, n_threads: Any):
    with_simplices = check_bool(with_simplices, "with_simplices", api)
    n_threads = check_n_threads(n_threads, api)
    fil, _, _, simplices, _, _ = delaunay_core(
        points, rule, api, with_simplices, n_threads=n_threads
    )
    return (fil, simplices) if with_simplices else fil


def alpha_filtration(points: Any, with_simplices: bool = False, *, n_threads: int | None = None):
    """Alpha filtration (values = squared radii) of a 2-D or 3-D point cloud.

    Parameters
    ----------
    points : array_like, shape (n, 2) or (n, 3)
        Finite real coordinates (converted to float64).
    with_simplices : bool, default False
        Also return the simplices as point indices.
    n_threads : int, optional
        None (one thread) or a positive int: the faces, the values and the sort run on that many
        threads, and so does a 3-D triangulation of 2000 points or more (slabs triangulated at
        once, then merged); the result does not depend on it.

    Returns
    -------
    Filtration or tuple of (Filtration, list of ndarray)
        The ``calydon.Filtration`` (kind ``"alpha"``), or ``(fil, simplices)`` where
        ``simplices[k]`` is an int64 array of shape (n_k, k + 1) of point indices of the
        k-simplices in filtration order.
    """
    return _build(points, "alpha", "alpha_filtration", with_simplices, n_threads)


def weak_alpha_filtration(
    points: Any, with_simplices: bool = False, *, n_threads: int | None = None
):
    """Weak alpha filtration: each Delaunay simplex takes the squared length of its longest edge.

    Parameters
    ----------
    points : array_like, shape (n, 2) or (n, 3)
        Finite real coordinates (converted to float64).
    with_simplices : bool, default False
        Also return the simplices as point indices.
    n_threads : int, optional
        None (one thread) or a positive int: the faces, the values and the sort run on that many
        threads, and so does a 3-D triangulation of 2000 points or more (slabs triangulated at
        once, then merged); the result does not depend on it.

    Returns
    -------
    Filtration or tuple of (Filtration, list of ndarray)
        The ``calydon.Filtration`` (kind ``"weak_alpha"``), or ``(fil, simplices)`` as in
        ``alpha_filtration``.
    """
    return _build(points, "weak_alpha", "weak_alpha_filtration", with_simplices, n_threads)


def cech_delaunay_filtration(
    points: Any, with_simplices: bool = False, *, n_threads: int | None = None
):
    """Čech–Delaunay filtration: each Delaunay simplex takes the squared radius of the minimum
    enclosing ball of its vertices.

    Parameters
    ----------
    points : array_like, shape (n, 2) or (n, 3)
        Finite real coordinates (converted to float64).
    with_simplices : bool, default False
        Also return the simplices as point indices.
    n_threads : int, optional
        None (one thread) or a positive int: the faces, the values and the sort run on that many
        threads, and so does a 3-D triangulation of 2000 points or more (slabs triangulated at
        once, then merged); the result does not depend on it.

    Returns
    -------
    Filtration or tuple of (Filtration, list of ndarray)
        The ``calydon.Filtration`` (kind ``"cech_delaunay"``), or ``(fil, simplices)`` as in
        ``alpha_filtration``.
    """
    return _build(points, "cech", "cech_delaunay_filtration", with_simplices, n_threads)


def compute_diagrams_alpha(
    points: Any,
    include_inf_points: bool = True,
    dualize: bool = False,
    *,
    n_threads: int | None = None,
) -> Diagrams:
    """Persistence diagrams of the alpha filtration of a 2-D or 3-D point cloud.

    Parameters
    ----------
    points : array_like, shape (n, d)
        d = 2 or 3, finite real coordinates.
    include_inf_points : bool, default True
        Include essential points (death ``+inf``).
    dualize : bool, default False
        Reduce cohomology instead of homology (same diagrams).
    n_threads : int, optional
        None (one thread) or a positive int: the builder's faces, values and sort, and the
        reduction's large blocks, run on that many threads, and so does a 3-D triangulation of
        2000 points or more (slabs triangulated at once, then merged); the result does not
        depend on it.

    Returns
    -------
    Diagrams
        Dimensions 0..d-1, each a float64 array of shape (n_k, 2) of squared radii; a dimension
        the complex does not reach (e.g. collinear points) is empty.
    """
    api = "compute_diagrams_alpha"
    include_inf_points = check_bool(include_inf_points, "include_inf_points", api)
    dualize = check_bool(dualize, "dualize", api)
    n_threads = check_n_threads(n_threads, api)
    fil, _, _, _, _, _ = delaunay_core(points, "alpha", api, n_threads=n_threads)
    pairs = persistence_index_pairs(fil, dualize, np.shape(points)[1], n_threads=n_threads)
    return Diagrams.from_index_pairs(pairs, include_inf_points)
