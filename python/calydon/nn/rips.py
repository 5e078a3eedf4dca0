"""``VietorisRipsPersistence``: diagrams of the Vietoris-Rips filtration of every point cloud (or
distance matrix) of a batch."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from .. import _rips
from .._validate import check_max_dim
from ..diff import vr_filtration
from ._layer import PersistenceLayer, check_flag, check_int_in, split_clouds
from .diagram_batch import DiagramBatch


def _check_max_diameter(value: Any, api: str) -> float | None:
    """None, or a non-negative real (Python or numpy, not bool)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(
            f"{api}: max_diameter must be a real number or None, got {type(value).__name__}"
        )
    if not float(value) >= 0:
        raise ValueError(f"{api}: max_diameter must be >= 0 or None, got {value}")
    return float(value)


class VietorisRipsPersistence(PersistenceLayer):
    """Persistence diagrams of the Vietoris-Rips filtration of every item of a batch.

    Parameters
    ----------
    max_dim : int, default 2
        Top simplex dimension, as in ``calydon.diff.vr_filtration`` (2: diagrams in dimensions 0
        and 1).
    max_diameter : float, optional
        Keep simplices of diameter <= max_diameter (>= 0); None: each item's enclosing radius (no
        homology lost).
    from_pwdists : bool, default False
        Items are (N, N) distance matrices instead of (N, D) points.
    batch_dims : int, default 1
        Number of leading batch axes of a tensor input: 1 for (B, N, D), 0 for a single cloud.
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
    Input: a tensor (*batch, N, D) (or (*batch, N, N) with ``from_pwdists``), or a list of B
    tensors (n_i, D) of different sizes (batch shape (B,)). Output: a ``DiagramBatch``; ``out[1]``
    is ``(values (*batch, N1, 2), mask (*batch, N1))``, differentiable with respect to the points
    (the gradient of each point goes to its critical edges).
    """

    def __init__(
        self,
        max_dim: int = _rips.DEFAULT_MAX_DIM,
        max_diameter: float | None = None,
        *,
        from_pwdists: bool = False,
        batch_dims: int = 1,
        include_inf_points: bool = False,
        gradient_method: str = "dgm-loss",
        n_threads: int | None = None,
    ) -> None:
        api = "VietorisRipsPersistence"
        super().__init__(include_inf_points, gradient_method, n_threads, api)
        self.max_dim = check_max_dim(max_dim, api)
        self.max_diameter = _check_max_diameter(max_diameter, api)
        self.from_pwdists = check_flag(from_pwdists, "from_pwdists", api)
        self.batch_dims = check_int_in(batch_dims, "batch_dims", api, 0)

    def forward(self, x: torch.Tensor | list[torch.Tensor]) -> DiagramBatch:
        """Diagrams of every point cloud (or distance matrix) of ``x``.

        Parameters
        ----------
        x : torch.Tensor or list of torch.Tensor
            A tensor (*batch, N, D) (or (*batch, N, N) with ``from_pwdists``) with ``batch_dims``
            leading batch axes, any real dtype and device, finite; or a non-empty list of B tensors
            (n_i, D) (batch shape (B,)).

        Returns
        -------
        DiagramBatch
            ``batch_shape`` the input's batch axes; ``out[d]`` is ``(values (*batch, N_d, 2), mask
            (*batch, N_d))`` for d in 0..max_dim-1, values in the input's dtype and on its device,
            differentiable with respect to the points.

        Raises
        ------
        TypeError, ValueError
            A non-tensor or non-real input, NaN or infinity, a wrong number of axes.
        """
        what = "(N, N) distance matrix" if self.from_pwdists else "(N, D) point cloud"
        items, batch_shape = split_clouds(x, self.batch_dims, 2, what, self._api)
        fils = [
            vr_filtration(item, self.from_pwdists, self.max_dim, self.max_diameter)
            for item in items
        ]
        return self._diagrams(fils, batch_shape)

    def extra_repr(self) -> str:
        """The constructor's options, shown by ``repr(module)``.

        Returns
        -------
        str
            ``name=value`` pairs separated by commas.
        """
        return (
            f"max_dim={self.max_dim}, max_diameter={self.max_diameter}, "
            f"from_pwdists={self.from_pwdists}, batch_dims={self.batch_dims}, {self._options()}"
        )
