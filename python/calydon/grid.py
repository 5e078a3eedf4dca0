"""Filtrations of functions on grids: the Freudenthal triangulation and the cubical complex."""

from __future__ import annotations

from typing import Any

from . import _core
from ._validate import as_float64_array, check_choice, check_max_dim

GRID_NDIMS = (1, 2, 3, 4)


def grid_max_dim(max_dim: Any, ndim: int, api: str) -> int:
    if max_dim is None:
        return ndim
    return min(check_max_dim(max_dim, api), ndim)


def freudenthal_filtration(data: Any, negate: bool = False, max_dim: int | None = None,
                           with_critical_vertices: bool = False):
    """Lower-star filtration of the Freudenthal triangulation of a 1-4 dimensional array.

    Every unit cube of the grid is split into D! simplices along its main diagonal; a simplex
    takes the largest value of its vertices (the smallest with ``negate=True``, an upper-star
    filtration).

    Args:
        data: array-like of shape (n_1, ..., n_D), 1 <= D <= 4, real dtype, finite values.
        negate: superlevel (upper-star) filtration instead of sublevel.
        max_dim: top simplex dimension (default D).
        with_critical_vertices: also return the critical vertices.

    Returns:
        ``Filtration``, or ``(Filtration, critical)`` where ``critical`` is an int64 array of shape
        (n_cells,) giving, per sorted cell, the flat index into ``data`` of its value.
    """
    api = "freudenthal_filtration"
    arr = as_float64_array(data, "data", api, ndims=GRID_NDIMS)
    fil, crit = _core.freudenthal_filtration(arr, bool(negate), grid_max_dim(max_dim, arr.ndim, api))
    return (fil, crit) if with_critical_vertices else fil


def cube_filtration(data: Any, negate: bool = False, max_dim: int | None = None,
                    values_on: str = "vertices", with_critical_indices: bool = False):
    """Cubical filtration of a 1-4 dimensional array.

    ``values_on="vertices"``: data lives on the vertices and a cube takes the max of its
    vertices. ``values_on="cells"``: data lives on the top-dimensional cubes (vertex grid of shape
    ``data.shape + 1``) and a cube takes the min over the top cubes containing it. ``negate``
    swaps max and min (superlevel filtration).

    Args:
        data: array-like of shape (n_1, ..., n_D), 1 <= D <= 4, real dtype, finite values.
        negate: superlevel filtration.
        max_dim: top cube dimension (default D).
        values_on: ``"vertices"`` or ``"cells"``.
        with_critical_indices: also return the critical indices.

    Returns:
        ``Filtration``, or ``(Filtration, critical)`` with ``critical`` an int64 array (n_cells,)
        of flat indices into ``data``.
    """
    api = "cube_filtration"
    check_choice(values_on, "values_on", api, ("vertices", "cells"))
    arr = as_float64_array(data, "data", api, ndims=GRID_NDIMS)
    fil, crit = _core.cube_filtration(arr, bool(negate), grid_max_dim(max_dim, arr.ndim, api), values_on)
    return (fil, crit) if with_critical_indices else fil

