"""Filtrations of functions on grids: the Freudenthal triangulation and the cubical complex, and
their diagrams in one call."""

from __future__ import annotations

from typing import Any

from . import _grid
from ._validate import as_float64_array, check_bool, check_choice, check_max_dim
from .batch import map_grid_batch, numpy_item
from .diagrams import Diagrams
from .persistence import persistence_index_pairs


def freudenthal_filtration(
    data: Any,
    negate: bool = False,
    max_dim: int | None = None,
    with_critical_vertices: bool = False,
    *,
    batch_dims: int = 0,
):
    """Lower-star filtration of the Freudenthal triangulation of a 1-4 dimensional array.

    Every unit cube of the grid is split into D! simplices along its main diagonal; a simplex
    takes the largest value of its vertices (the smallest with ``negate=True``, an upper-star
    filtration).

    Args:
        data: array-like of shape (n_1, ..., n_D), 1 <= D <= 4, real dtype, finite values.
        negate: superlevel (upper-star) filtration instead of sublevel.
        max_dim: top simplex dimension (default D).
        with_critical_vertices: also return the critical vertices.
        batch_dims: number of leading axes of ``data`` that index items (see ``calydon.batch``).

    Returns:
        ``Filtration``, or ``(Filtration, critical)`` where ``critical`` is an int64 array of shape
        (n_cells,) giving, per sorted cell, the flat index into ``data`` of its value. With
        ``batch_dims=k > 0``, or a list/tuple of arrays as ``data``, a flat list of those, one per
        item, in row-major order of the batch axes.
    """
    api = "freudenthal_filtration"
    negate = check_bool(negate, "negate", api)
    with_critical_vertices = check_bool(with_critical_vertices, "with_critical_vertices", api)
    _check_optional_max_dim(max_dim, api)

    def one(item: Any, name: str):
        arr = as_float64_array(item, name, api, ndims=_grid.GRID_NDIMS)
        top = _grid.grid_max_dim(max_dim, arr.ndim, api)
        fil, crit = _grid.build(arr, "freudenthal", negate, top, "vertices", api)
        return (fil, crit) if with_critical_vertices else fil

    return map_grid_batch(data, batch_dims, api, one, numpy_item)


def cube_filtration(
    data: Any,
    negate: bool = False,
    max_dim: int | None = None,
    values_on: str = "vertices",
    with_critical_indices: bool = False,
    *,
    batch_dims: int = 0,
):
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
        batch_dims: number of leading axes of ``data`` that index items (see ``calydon.batch``).

    Returns:
        ``Filtration``, or ``(Filtration, critical)`` with ``critical`` an int64 array (n_cells,)
        of flat indices into ``data``; a flat list of those for a batch (``batch_dims > 0`` or a
        list/tuple of arrays).
    """
    api = "cube_filtration"
    check_choice(values_on, "values_on", api, _grid.VALUES_ON)
    negate = check_bool(negate, "negate", api)
    with_critical_indices = check_bool(with_critical_indices, "with_critical_indices", api)
    _check_optional_max_dim(max_dim, api)

    def one(item: Any, name: str):
        arr = as_float64_array(item, name, api, ndims=_grid.GRID_NDIMS)
        top = _grid.grid_max_dim(max_dim, arr.ndim, api)
        fil, crit = _grid.build(arr, "cubical", negate, top, values_on, api)
        return (fil, crit) if with_critical_indices else fil

    return map_grid_batch(data, batch_dims, api, one, numpy_item)


def _check_optional_max_dim(max_dim: Any, api: str) -> None:
    """Checked once before any item is converted (see ``check_max_dim``)."""
    if max_dim is not None:
        check_max_dim(max_dim, api)


def _check_flags(api: str, negate: Any, include_inf_points: Any, dualize: Any) -> tuple:
    return (
        check_bool(negate, "negate", api),
        check_bool(include_inf_points, "include_inf_points", api),
        check_bool(dualize, "dualize", api),
    )


def _grid_diagrams(
    data: Any,
    name: str,
    complex_kind: str,
    negate: bool,
    values_on: str,
    max_dim: Any,
    include_inf_points: bool,
    dualize: bool,
    api: str,
) -> Diagrams:
    arr = as_float64_array(data, name, api, ndims=_grid.GRID_NDIMS)
    top = arr.ndim - 1 if max_dim is None else check_max_dim(max_dim, api)
    cells = min(top + 1, arr.ndim)
    if arr.ndim <= 2:
        # Images and signals: union-find only, no filtration object (identical diagrams).
        pairs = _grid.union_find_pairs(arr, complex_kind, negate, cells, values_on, api, top + 1)
    else:
        fil, _ = _grid.build(arr, complex_kind, negate, cells, values_on, api)
        pairs = persistence_index_pairs(fil, dualize, top + 1)
    return Diagrams.from_index_pairs(pairs, include_inf_points)


def compute_diagrams_ls(
    data: Any,
    negate: bool = False,
    max_dim: int | None = None,
    include_inf_points: bool = True,
    dualize: bool = False,
    *,
    batch_dims: int = 0,
) -> Diagrams | list[Diagrams]:
    """Diagrams of the lower-star (``negate``: upper-star) filtration of a 1-4 dimensional array.

    Args:
        data: array-like (n_1, ..., n_D), finite real values.
        negate: upper-star filtration (superlevel sets).
        max_dim: largest homology dimension (default D - 1); the Freudenthal complex is built
            up to dimension ``max_dim + 1``.
        include_inf_points: include essential points (death = +inf, or -inf when negated).
        dualize: reduce cohomology instead of homology (same diagrams).
        batch_dims: number of leading axes of ``data`` that index items (see ``calydon.batch``).

    Returns:
        ``Diagrams`` with dims 0..max_dim: float64 (n, 2) arrays; a flat list of ``Diagrams``
        for a batch (``batch_dims > 0`` or a list/tuple of arrays).
    """
    api = "compute_diagrams_ls"
    negate, include_inf_points, dualize = _check_flags(api, negate, include_inf_points, dualize)
    _check_optional_max_dim(max_dim, api)

    def one(item: Any, name: str) -> Diagrams:
        return _grid_diagrams(
            item, name, "freudenthal", negate, "vertices", max_dim, include_inf_points, dualize, api
        )

    return map_grid_batch(data, batch_dims, api, one, numpy_item)


def compute_diagrams_cubical(
    data: Any,
    negate: bool = False,
    values_on: str = "vertices",
    max_dim: int | None = None,
    include_inf_points: bool = True,
    *,
    batch_dims: int = 0,
) -> Diagrams | list[Diagrams]:
    """Diagrams of the cubical filtration of a 1-4 dimensional array in one call.

    Args:
        data: array-like (n_1, ..., n_D), finite real values.
        negate: superlevel filtration.
        values_on: ``"vertices"`` or ``"cells"`` (see ``cube_filtration``).
        max_dim: largest homology dimension (default D - 1).
        include_inf_points: include essential points.
        batch_dims: number of leading axes of ``data`` that index items (see ``calydon.batch``).

    Returns:
        ``Diagrams`` with dims 0..max_dim (1-D and 2-D inputs take the union-find-only path); a
        flat list of ``Diagrams`` for a batch (``batch_dims > 0`` or a list/tuple of arrays).
    """
    api = "compute_diagrams_cubical"
    check_choice(values_on, "values_on", api, _grid.VALUES_ON)
    negate, include_inf_points, _ = _check_flags(api, negate, include_inf_points, False)
    _check_optional_max_dim(max_dim, api)

    def one(item: Any, name: str) -> Diagrams:
        return _grid_diagrams(
            item, name, "cubical", negate, values_on, max_dim, include_inf_points, False, api
        )

    return map_grid_batch(data, batch_dims, api, one, numpy_item)
