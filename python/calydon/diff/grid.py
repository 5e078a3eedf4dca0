"""Differentiable grid filtrations: values are gathered from the input tensor at the critical
vertex (Freudenthal) or critical vertex / top cell (cubical) that C++ reports for each cell.

The filtration is lazy: its persistence backend is the implicit grid complex, which reports each
pair's critical data indices (and cell codes), and the explicit filtration is built only when
``under_fil``, ``values``, sorted ids or the critical-set method need it."""

from __future__ import annotations

import math

import numpy as np
import torch

from .. import _grid
from .._pairs import PairsRequest
from .._validate import check_bool, check_choice, check_max_dim, check_n_threads
from ..batch import map_grid_batch
from ._tensor import detached_float64, differentiable_source, index_tensor, require_tensor
from .filtration import DiffFiltration


def _gather(data: torch.Tensor, fil, crit) -> DiffFiltration:
    values = differentiable_source(data).reshape(-1)[index_tensor(crit, data.device)]
    return DiffFiltration(fil, values)


class DiffGridFiltration(DiffFiltration):
    """A lazy differentiable filtration of a grid (see ``freudenthal_filtration``).

    ``under_fil`` and ``values`` build the explicit filtration on first access; ``max_dim``,
    ``kind``, ``negate`` and ``infinity()`` are known without it. Created by the grid builders,
    not by hand. A pickle or deep copy holds the input (as a leaf tensor) and never the explicit
    filtration, which the copy builds again when asked.

    Attributes
    ----------
    under_fil : Filtration
        The explicit ``calydon.Filtration`` (built on first access).
    values : torch.Tensor, shape (n_cells,)
        ``data.flatten()[critical]``, differentiable (built on first access).
    """

    _transient_state = ("_explicit",)

    def __init__(
        self,
        data: torch.Tensor,
        arr: np.ndarray,
        complex_kind: str,
        negate: bool,
        top: int,
        values_on: str,
        api: str,
        wrap: bool = False,
    ):
        # DiffFiltration.__init__ is not called: under_fil and values are lazy properties here.
        self._data, self._arr, self._complex_kind = data, arr, complex_kind
        self._negate, self._top, self._values_on, self._api = bool(negate), top, values_on, api
        self._wrap = bool(wrap)
        self._explicit = None
        self._codes = None

    @property
    def max_dim(self) -> int:
        """Top cell dimension (int), known without building the complex."""
        return _grid.top_cell_dim(_grid.vertex_shape(self._arr.shape, self._values_on), self._top)

    @property
    def kind(self) -> str:
        """``"freudenthal"`` or ``"cubical"``."""
        return self._complex_kind

    @property
    def negate(self) -> bool:
        """True for a superlevel (upper-star) filtration."""
        return self._negate

    def infinity(self) -> float:
        """Death value of essential points.

        Returns
        -------
        float
            ``+inf``, or ``-inf`` for a negated filtration.
        """
        return -math.inf if self._negate else math.inf

    def _materialise(self, api: str | None = None) -> DiffFiltration:
        """The explicit filtration, built once; ``api`` names the caller in a memory refusal."""
        if self._explicit is None:
            fil, crit, codes = _grid.build(
                self._arr,
                self._complex_kind,
                self._negate,
                self._top,
                self._values_on,
                api or self._api,
                self._wrap,
                with_codes=True,
            )
            self._explicit, self._codes = _gather(self._data, fil, crit), codes
        return self._explicit

    def _explicit_values(self, api: str):
        explicit = self._materialise(api)
        return explicit.under_fil, explicit.values

    def _explicit_with_codes(self):
        fil = self._materialise("PersistenceDiagrams.index_of").under_fil
        return fil, self._codes

    @property
    def under_fil(self):
        """The explicit ``calydon.Filtration``, built on first access."""
        return self._materialise().under_fil

    @property
    def values(self) -> torch.Tensor:
        """Differentiable cell values in sorted order, shape (n_cells,) (built on first access)."""
        return self._materialise().values

    def __len__(self) -> int:
        return len(self.under_fil)

    def __repr__(self) -> str:
        built = "built" if self._explicit is not None else "not built"
        return (
            f"DiffGridFiltration(kind={self._complex_kind}, shape={tuple(self._arr.shape)}, "
            f"negate={self._negate}, wrap={self._wrap}, max_dim={self.max_dim}, explicit {built})"
        )

    def _pairs_request(self, dualize: bool | None, gradient_method: str) -> PairsRequest:
        """Implicit backend: flat indices into the data tensor; either side gives these pairs.
        (The critical-set method reads the explicit filtration instead: see ``_explicit_values``.)"""
        source = differentiable_source(self._data).reshape(-1)
        return _grid.implicit_request(
            self._arr,
            self._complex_kind,
            self._negate,
            self._top,
            self._values_on,
            self._api,
            max(self.max_dim, 1),
            wrap=self._wrap,
            source=source,
            explicit=self._explicit_with_codes,
        )


def _grid_filtration(
    data, name: str, complex_kind: str, negate: bool, max_dim, values_on: str, api: str, wrap
):
    shape = getattr(data, "shape", None)
    if shape is not None and len(shape) in _grid.GRID_NDIMS:  # before the float64 copy
        _grid.require_implicit_fits(
            tuple(int(n) for n in shape), complex_kind, values_on, wrap, api
        )
    arr = detached_float64(data, name, api, ndims=_grid.GRID_NDIMS)
    top = _grid.grid_max_dim(max_dim, arr.ndim, api)
    return DiffGridFiltration(data, arr, complex_kind, negate, top, values_on, api, wrap)


def freudenthal_filtration(
    data: torch.Tensor,
    negate: bool = False,
    max_dim: int | None = None,
    n_threads: int | None = None,
    *,
    wrap: bool = False,
    batch_dims: int = 0,
) -> DiffFiltration | list[DiffFiltration]:
    """Differentiable lower-star filtration of the Freudenthal triangulation of a grid.

    Parameters
    ----------
    data : torch.Tensor, shape (n_1, ..., n_D)
        1 <= D <= 4 axes, any real dtype and device, finite. With ``batch_dims=k`` the shape is
        (b_1, ..., b_k, n_1, ..., n_D); a list or tuple of tensors (shapes may differ) is a
        batch too.
    negate : bool, default False
        Upper-star (superlevel) filtration.
    max_dim : int, optional
        Top simplex dimension (default D).
    n_threads : int, optional
        None or a positive int, validated here; the threads of the grid passes are those
        given to ``persistence_diagram(fil, n_threads=...)``.
    wrap : bool, default False
        Periodic boundary conditions (a torus); every axis needs length >= 3.
    batch_dims : int, default 0
        Number of leading axes of ``data`` that index items: ``b_1 * ... * b_k`` filtrations.

    Returns
    -------
    DiffFiltration or list of DiffFiltration
        A filtration whose ``values`` (shape (n_cells,), dtype and device of ``data``) is
        ``data.flatten()[critical_vertex]``; gradients flow back to ``data``. It is a lazy
        ``DiffGridFiltration`` (same interface). For a batch, a flat list of those in
        row-major order of the batch axes; each item's gradient flows back to its slice of
        ``data``.
    """
    api = "diff.freudenthal_filtration"
    wrap = _grid.check_wrap(wrap, api)
    negate = check_bool(negate, "negate", api)
    if max_dim is not None:
        check_max_dim(max_dim, api)
    check_n_threads(n_threads, api)

    def one(item: torch.Tensor, name: str) -> DiffFiltration:
        return _grid_filtration(item, name, "freudenthal", negate, max_dim, "vertices", api, wrap)

    return map_grid_batch(data, batch_dims, api, one, lambda x, name: require_tensor(x, name, api))


def cube_filtration(
    data: torch.Tensor,
    negate: bool = False,
    values_on: str = "vertices",
    max_dim: int | None = None,
    n_threads: int | None = None,
    *,
    wrap: bool = False,
    batch_dims: int = 0,
) -> DiffFiltration | list[DiffFiltration]:
    """Differentiable cubical filtration of a grid.

    Parameters
    ----------
    data : torch.Tensor, shape (n_1, ..., n_D)
        1 <= D <= 4 axes, any real dtype and device, finite. With ``batch_dims=k`` the shape is
        (b_1, ..., b_k, n_1, ..., n_D); a list or tuple of tensors (shapes may differ) is a
        batch too.
    negate : bool, default False
        Superlevel filtration.
    values_on : {"vertices", "cells"}, default "vertices"
        ``"vertices"``: a cube takes the max of its vertices; ``"cells"``: data on the top cubes,
        a cube takes the min of the top cubes containing it.
    max_dim : int, optional
        Top cube dimension (default D).
    n_threads : int, optional
        None or a positive int, validated here; the threads of the grid passes are those
        given to ``persistence_diagram(fil, n_threads=...)``.
    wrap : bool, default False
        Periodic boundary conditions (a torus, GUDHI's ``PeriodicCubicalComplex``); every axis
        needs length >= 2. With ``values_on="cells"`` the torus has as many vertices as top
        cells along each axis.
    batch_dims : int, default 0
        Number of leading axes of ``data`` that index items (as in ``freudenthal_filtration``).

    Returns
    -------
    DiffFiltration or list of DiffFiltration
        A filtration with ``values = data.flatten()[critical_index]`` (shape (n_cells,), dtype
        and device of ``data``; lazy); a flat list of them, row-major over the batch
        axes, for a batch.
    """
    api = "diff.cube_filtration"
    wrap = _grid.check_wrap(wrap, api)
    check_choice(values_on, "values_on", api, _grid.VALUES_ON)
    negate = check_bool(negate, "negate", api)
    if max_dim is not None:
        check_max_dim(max_dim, api)
    check_n_threads(n_threads, api)

    def one(item: torch.Tensor, name: str) -> DiffFiltration:
        return _grid_filtration(item, name, "cubical", negate, max_dim, values_on, api, wrap)

    return map_grid_batch(data, batch_dims, api, one, lambda x, name: require_tensor(x, name, api))
