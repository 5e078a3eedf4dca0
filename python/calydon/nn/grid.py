"""Persistence layers for images and volumes: ``CubicalPersistence`` and
``FreudenthalPersistence`` over batches whose batch and grid axes are both given at construction.
"""

from __future__ import annotations

from typing import Any

import torch

from .. import _grid
from .._validate import check_choice, check_max_dim
from ..diff import cube_filtration, freudenthal_filtration
from ._layer import (
    PersistenceLayer,
    batch_axis_names,
    check_flag,
    check_int_in,
    check_real_tensor,
)
from .diagram_batch import DiagramBatch

_AXIS_NAMES = {1: "W", 2: "H, W", 3: "D, H, W", 4: "T, D, H, W"}


class _GridPersistence(PersistenceLayer):
    """Shared forward: split the batch axes, build one lazy filtration per item, one call."""

    def __init__(
        self,
        negate: Any,
        max_dim: Any,
        grid_dims: Any,
        batch_dims: Any,
        include_inf_points: Any,
        gradient_method: Any,
        n_threads: Any,
        api: str,
    ) -> None:
        super().__init__(include_inf_points, gradient_method, n_threads, api)
        self.negate = check_flag(negate, "negate", api)
        self.grid_dims = check_int_in(grid_dims, "grid_dims", api, 1, 4)
        self.batch_dims = check_int_in(batch_dims, "batch_dims", api, 0)
        self.max_dim = None if max_dim is None else check_max_dim(max_dim, api)

    def _build(self, items: torch.Tensor) -> list:
        raise NotImplementedError

    def forward(self, x: torch.Tensor) -> DiagramBatch:
        """Diagrams of every grid of ``x``.

        Parameters
        ----------
        x : torch.Tensor
            Shape (*batch, *grid): ``batch_dims`` batch axes then ``grid_dims`` grid axes, any real
            dtype and device, finite, not empty.

        Returns
        -------
        DiagramBatch
            ``batch_shape == x.shape[:batch_dims]``; ``out[d]`` is ``(values (*batch, N_d, 2), mask
            (*batch, N_d))``, values in ``x``'s dtype and on its device, differentiable with
            respect to ``x``.

        Raises
        ------
        TypeError, ValueError
            A non-tensor or non-real input, NaN or infinity, a wrong number of axes, an empty input.
        """
        api = self._api
        check_real_tensor(x, "input", api)
        expected = self.batch_dims + self.grid_dims
        if x.ndim != expected:
            layout = ", ".join(batch_axis_names(self.batch_dims) + [_AXIS_NAMES[self.grid_dims]])
            raise ValueError(
                f"{api}: input must have batch_dims + grid_dims = {self.batch_dims} + "
                f"{self.grid_dims} = {expected} axes ({layout}), got shape {tuple(x.shape)}"
            )
        batch_shape = tuple(x.shape[: self.batch_dims])
        if x.numel() == 0:
            raise ValueError(f"{api}: input must not be empty, got shape {tuple(x.shape)}")
        items = x.reshape((-1,) + tuple(x.shape[self.batch_dims :]))
        return self._diagrams(self._build(items), batch_shape)

    def extra_repr(self) -> str:
        """The constructor's options, shown by ``repr(module)``.

        Returns
        -------
        str
            ``name=value`` pairs separated by commas.
        """
        return (
            f"negate={self.negate}, max_dim={self.max_dim}, grid_dims={self.grid_dims}, "
            f"batch_dims={self.batch_dims}, {self._options()}"
        )


class CubicalPersistence(_GridPersistence):
    """Persistence diagrams of the cubical filtration of every image (or volume) of a batch.

    Parameters
    ----------
    values_on : {"vertices", "cells"}, default "vertices"
        ``"vertices"``: each pixel is a vertex (V-construction); ``"cells"``: each pixel is a top
        cube (T-construction), as in ``calydon.diff.cube_filtration``.
    negate : bool, default False
        Superlevel filtration (e.g. for bright structures on a dark background).
    max_dim : int, optional
        Top cube dimension; None: ``grid_dims`` (diagrams in dimensions 0..grid_dims-1).
    grid_dims : int, default 2
        Number of trailing grid axes: 2 for images, 3 for volumes (1 to 4).
    batch_dims : int, default 1
        Number of leading batch axes: 1 for (B, H, W), 2 for (B, C, H, W), 0 for a single grid.
        Never guessed from the input's shape.
    include_inf_points : bool, default False
        Append essential points as rows ``(birth, inf)``, as in
        ``calydon.diff.persistence_diagrams``.
    gradient_method : {"dgm-loss", "crit-sets"}, default "dgm-loss"
        As in ``calydon.diff.persistence_diagrams`` (one call for the whole batch; with dgm-loss
        the C++ work runs without the GIL, spread over ``n_threads``).
    n_threads : int, optional
        None (one thread) or a positive int.

    Raises
    ------
    TypeError, ValueError
        A bad option, naming the layer, the argument and the value.

    Notes
    -----
    Input: (*batch, *grid) with ``batch_dims`` and ``grid_dims`` axes, any real dtype and device,
    finite. Output: a ``DiagramBatch`` with ``batch_shape == input.shape[:batch_dims]``; ``out[d]``
    is ``(values (*batch, N, 2), mask (*batch, N))``, differentiable with respect to the input.

    Examples
    --------
    >>> layer = CubicalPersistence(batch_dims=2)            # (B, C, H, W)
    >>> out = layer(images)                                  # DiagramBatch
    >>> values, mask = out[1]                                # H1 of every image and channel
    """

    def __init__(
        self,
        values_on: str = "vertices",
        negate: bool = False,
        max_dim: int | None = None,
        *,
        grid_dims: int = 2,
        batch_dims: int = 1,
        include_inf_points: bool = False,
        gradient_method: str = "dgm-loss",
        n_threads: int | None = None,
    ) -> None:
        api = "CubicalPersistence"
        super().__init__(
            negate,
            max_dim,
            grid_dims,
            batch_dims,
            include_inf_points,
            gradient_method,
            n_threads,
            api,
        )
        self.values_on = check_choice(values_on, "values_on", api, _grid.VALUES_ON)

    def _build(self, items: torch.Tensor) -> list:
        return cube_filtration(items, self.negate, self.values_on, self.max_dim, batch_dims=1)

    def extra_repr(self) -> str:
        """The constructor's options, shown by ``repr(module)``.

        Returns
        -------
        str
            ``name=value`` pairs separated by commas.
        """
        return f"values_on={self.values_on!r}, " + super().extra_repr()


class FreudenthalPersistence(_GridPersistence):
    """Persistence diagrams of the lower-star (``negate``: upper-star) filtration of the Freudenthal
    triangulation of every grid of a batch; values always live on vertices.

    Parameters
    ----------
    negate : bool, default False
        Upper-star (superlevel) filtration.
    max_dim : int, optional
        Top simplex dimension; None: ``grid_dims`` (diagrams in dimensions 0..grid_dims-1).
    grid_dims : int, default 2
        Number of trailing grid axes: 2 for images, 3 for volumes (1 to 4).
    batch_dims : int, default 1
        Number of leading batch axes: 1 for (B, H, W), 2 for (B, C, H, W), 0 for a single grid.
        Never guessed from the input's shape.
    include_inf_points : bool, default False
        Append essential points as rows ``(birth, inf)``, as in
        ``calydon.diff.persistence_diagrams``.
    gradient_method : {"dgm-loss", "crit-sets"}, default "dgm-loss"
        As in ``calydon.diff.persistence_diagrams`` (one call for the whole batch; with dgm-loss
        the C++ work runs without the GIL, spread over ``n_threads``).
    n_threads : int, optional
        None (one thread) or a positive int.

    Raises
    ------
    TypeError, ValueError
        A bad option, naming the layer, the argument and the value.

    Notes
    -----
    Input and output as in ``CubicalPersistence``.
    """

    def __init__(
        self,
        negate: bool = False,
        max_dim: int | None = None,
        *,
        grid_dims: int = 2,
        batch_dims: int = 1,
        include_inf_points: bool = False,
        gradient_method: str = "dgm-loss",
        n_threads: int | None = None,
    ) -> None:
        super().__init__(
            negate,
            max_dim,
            grid_dims,
            batch_dims,
            include_inf_points,
            gradient_method,
            n_threads,
            "FreudenthalPersistence",
        )

    def _build(self, items: torch.Tensor) -> list:
        return freudenthal_filtration(items, self.negate, self.max_dim, batch_dims=1)
