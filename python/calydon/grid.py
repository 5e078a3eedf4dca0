"""Filtrations of functions on grids: the Freudenthal triangulation and the cubical complex, and
their diagrams in one call."""

from __future__ import annotations

from typing import Any

from . import _grid
from ._validate import as_float64_array, check_bool, check_choice, check_max_dim, check_n_threads
from .batch import map_grid_batch, numpy_item, run_grid_batch
from .diagrams import Diagrams


def freudenthal_filtration(
    data: Any,
    negate: bool = False,
    max_dim: int | None = None,
    with_critical_vertices: bool = False,
    *,
    wrap: bool = False,
    batch_dims: int = 0,
):
    """Lower-star filtration of the Freudenthal triangulation of a 1-4 dimensional array.

    Every unit cube of the grid is split into D! simplices along its main diagonal; a simplex
    takes the largest value of its vertices (the smallest with ``negate=True``, an upper-star
    filtration).

    Parameters
    ----------
    data : array_like, shape (n_1, ..., n_D)
        1 <= D <= 4 axes, real dtype (converted to float64), finite values. With
        ``batch_dims=k`` the shape is (b_1, ..., b_k, n_1, ..., n_D); a list or tuple of arrays
        is a batch too.
    negate : bool, default False
        Superlevel (upper-star) filtration instead of sublevel.
    max_dim : int, optional
        Top simplex dimension (default D).
    with_critical_vertices : bool, default False
        Also return the critical vertex of every cell.
    wrap : bool, default False
        Periodic boundary conditions (a torus); every axis needs length >= 3.
    batch_dims : int, default 0
        Number of leading axes of ``data`` that index items (see ``calydon.batch``).

    Returns
    -------
    Filtration or tuple of (Filtration, ndarray) or list
        The ``calydon.Filtration``, or ``(fil, critical)`` where ``critical`` is an int64 array
        of shape (n_cells,) giving, per sorted cell, the flat index into ``data`` of its value.
        For a batch, a flat list of those, one per item, in row-major order of the batch axes.
    """
    api = "freudenthal_filtration"
    wrap = _grid.check_wrap(wrap, api)
    negate = check_bool(negate, "negate", api)
    with_critical_vertices = check_bool(with_critical_vertices, "with_critical_vertices", api)
    _check_optional_max_dim(max_dim, api)

    def one(item: Any, name: str):
        arr = as_float64_array(item, name, api, ndims=_grid.GRID_NDIMS)
        top = _grid.grid_max_dim(max_dim, arr.ndim, api)
        fil, crit = _grid.build(arr, "freudenthal", negate, top, "vertices", api, wrap)
        return (fil, crit) if with_critical_vertices else fil

    return map_grid_batch(data, batch_dims, api, one, numpy_item)


def cube_filtration(
    data: Any,
    negate: bool = False,
    max_dim: int | None = None,
    values_on: str = "vertices",
    with_critical_indices: bool = False,
    *,
    wrap: bool = False,
    batch_dims: int = 0,
):
    """Cubical filtration of a 1-4 dimensional array.

    ``values_on="vertices"``: data lives on the vertices and a cube takes the max of its
    vertices. ``values_on="cells"``: data lives on the top-dimensional cubes (vertex grid of shape
    ``data.shape + 1``) and a cube takes the min over the top cubes containing it. ``negate``
    swaps max and min (superlevel filtration).

    Parameters
    ----------
    data : array_like, shape (n_1, ..., n_D)
        1 <= D <= 4 axes, real dtype (converted to float64), finite values; batch axes first
        with ``batch_dims``, or a list or tuple of arrays.
    negate : bool, default False
        Superlevel filtration.
    max_dim : int, optional
        Top cube dimension (default D).
    values_on : {"vertices", "cells"}, default "vertices"
        Where the data lives.
    with_critical_indices : bool, default False
        Also return the critical index of every cell.
    wrap : bool, default False
        Periodic boundary conditions (a torus, GUDHI's ``PeriodicCubicalComplex``); every axis
        needs length >= 2. With ``values_on="cells"`` the torus has as many vertices as top
        cells along each axis.
    batch_dims : int, default 0
        Number of leading axes of ``data`` that index items (see ``calydon.batch``).

    Returns
    -------
    Filtration or tuple of (Filtration, ndarray) or list
        The ``calydon.Filtration``, or ``(fil, critical)`` with ``critical`` an int64 array of
        shape (n_cells,) of flat indices into ``data``; a flat list of those for a batch
        (``batch_dims > 0`` or a list/tuple of arrays).
    """
    api = "cube_filtration"
    wrap = _grid.check_wrap(wrap, api)
    check_choice(values_on, "values_on", api, _grid.VALUES_ON)
    negate = check_bool(negate, "negate", api)
    with_critical_indices = check_bool(with_critical_indices, "with_critical_indices", api)
    _check_optional_max_dim(max_dim, api)

    def one(item: Any, name: str):
        arr = as_float64_array(item, name, api, ndims=_grid.GRID_NDIMS)
        top = _grid.grid_max_dim(max_dim, arr.ndim, api)
        fil, crit = _grid.build(arr, "cubical", negate, top, values_on, api, wrap)
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


def _grid_request(
    data: Any,
    name: str,
    complex_kind: str,
    negate: bool,
    values_on: str,
    max_dim: Any,
    wrap: bool,
    api: str,
):
    """The implicit complex's request for one item (no filtration object, identical diagrams)."""
    # The memory pre-flight comes before the float64 copy when the input has a shape already.
    shape = getattr(data, "shape", None)
    if shape is not None and len(shape) in _grid.GRID_NDIMS:
        _grid.require_implicit_fits(
            tuple(int(n) for n in shape), complex_kind, values_on, wrap, api
        )
    arr = as_float64_array(data, name, api, ndims=_grid.GRID_NDIMS)
    top = arr.ndim - 1 if max_dim is None else check_max_dim(max_dim, api)
    cells = min(top + 1, arr.ndim)
    return _grid.implicit_request(arr, complex_kind, negate, cells, values_on, api, top + 1, wrap)


def _as_diagrams(pairs: Any, include_inf_points: bool) -> Diagrams | list[Diagrams]:
    if isinstance(pairs, list):
        return [Diagrams.from_index_pairs(p, include_inf_points) for p in pairs]
    return Diagrams.from_index_pairs(pairs, include_inf_points)


def compute_diagrams_ls(
    data: Any,
    negate: bool = False,
    max_dim: int | None = None,
    include_inf_points: bool = True,
    dualize: bool = False,
    *,
    wrap: bool = False,
    n_threads: int | None = None,
    batch_dims: int = 0,
) -> Diagrams | list[Diagrams]:
    """Diagrams of the lower-star (``negate``: upper-star) filtration of a 1-4 dimensional array.

    Parameters
    ----------
    data : array_like, shape (n_1, ..., n_D)
        1 <= D <= 4 axes, finite real values; batch axes first with ``batch_dims``, or a list
        or tuple of arrays.
    negate : bool, default False
        Upper-star filtration (superlevel sets).
    max_dim : int, optional
        Largest homology dimension (default D - 1); the Freudenthal complex is built up to
        dimension ``max_dim + 1``.
    include_inf_points : bool, default True
        Include essential points (death ``+inf``, or ``-inf`` when negated).
    dualize : bool, default False
        Kept for compatibility: the implicit complex gives the same diagrams either way.
    wrap : bool, default False
        Periodic boundary conditions (a torus); every axis needs length >= 3.
    n_threads : int, optional
        Threads (None: 1). A batch runs in one call with its threads spread over the items;
        a single item with 2 or more runs H0 and the middle dimensions beside the top
        dimension's union-find. The result does not depend on it.
    batch_dims : int, default 0
        Number of leading axes of ``data`` that index items (see ``calydon.batch``).

    Returns
    -------
    Diagrams or list of Diagrams
        Dimensions 0..max_dim, each a float64 array of shape (n_d, 2); a flat list of
        ``Diagrams`` for a batch (``batch_dims > 0`` or a list/tuple of arrays).
    """
    api = "compute_diagrams_ls"
    wrap = _grid.check_wrap(wrap, api)
    threads = check_n_threads(n_threads, api)
    negate, include_inf_points, dualize = _check_flags(api, negate, include_inf_points, dualize)
    _check_optional_max_dim(max_dim, api)

    def request_of(item: Any, name: str):
        return _grid_request(item, name, "freudenthal", negate, "vertices", max_dim, wrap, api)

    # A batch runs in one GIL-free call, its threads spread over the items.
    pairs = run_grid_batch(data, batch_dims, api, request_of, threads)
    return _as_diagrams(pairs, include_inf_points)


def compute_diagrams_cubical(
    data: Any,
    negate: bool = False,
    values_on: str = "vertices",
    max_dim: int | None = None,
    include_inf_points: bool = True,
    *,
    wrap: bool = False,
    n_threads: int | None = None,
    batch_dims: int = 0,
) -> Diagrams | list[Diagrams]:
    """Diagrams of the cubical filtration of a 1-4 dimensional array in one call.

    Parameters
    ----------
    data : array_like, shape (n_1, ..., n_D)
        1 <= D <= 4 axes, finite real values; batch axes first with ``batch_dims``, or a list
        or tuple of arrays.
    negate : bool, default False
        Superlevel filtration.
    values_on : {"vertices", "cells"}, default "vertices"
        Where the data lives (see ``cube_filtration``).
    max_dim : int, optional
        Largest homology dimension (default D - 1).
    include_inf_points : bool, default True
        Include essential points.
    wrap : bool, default False
        Periodic boundary conditions (a torus, GUDHI's ``PeriodicCubicalComplex``); every axis
        needs length >= 2. With ``values_on="cells"`` the torus has as many vertices as top
        cells along each axis.
    n_threads : int, optional
        Threads (None: 1). A batch runs in one call with its threads spread over the items;
        a single item with 2 or more runs H0 and the middle dimensions beside the top
        dimension's union-find. The result does not depend on it.
    batch_dims : int, default 0
        Number of leading axes of ``data`` that index items (see ``calydon.batch``).

    Returns
    -------
    Diagrams or list of Diagrams
        Dimensions 0..max_dim, each a float64 array of shape (n_d, 2) (from the implicit
        complex: no filtration is built); a flat list of ``Diagrams`` for a batch.
    """
    api = "compute_diagrams_cubical"
    wrap = _grid.check_wrap(wrap, api)
    threads = check_n_threads(n_threads, api)
    check_choice(values_on, "values_on", api, _grid.VALUES_ON)
    negate, include_inf_points, _ = _check_flags(api, negate, include_inf_points, False)
    _check_optional_max_dim(max_dim, api)

    def request_of(item: Any, name: str):
        return _grid_request(item, name, "cubical", negate, values_on, max_dim, wrap, api)

    # A batch runs in one GIL-free call, its threads spread over the items.
    pairs = run_grid_batch(data, batch_dims, api, request_of, threads)
    return _as_diagrams(pairs, include_inf_points)
