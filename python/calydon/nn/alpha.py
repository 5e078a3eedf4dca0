"""``AlphaPersistence``: diagrams of the alpha (or weak alpha, Čech-Delaunay) filtration of
every 2-D or 3-D point cloud of a batch."""

from __future__ import annotations

import torch

from .._validate import check_choice
from ..diff import alpha_filtration, cech_delaunay_filtration, weak_alpha_filtration
from ._layer import PersistenceLayer, check_int_in, split_clouds
from .diagram_batch import DiagramBatch

_BUILDERS = {
    "alpha": alpha_filtration,
    "weak_alpha": weak_alpha_filtration,
    "cech_delaunay": cech_delaunay_filtration,
}


class AlphaPersistence(PersistenceLayer):
    """Persistence diagrams of a Delaunay-based filtration of every point cloud of a batch.

    Parameters
    ----------
    rule : {"alpha", "weak_alpha", "cech_delaunay"}, default "alpha"
        The ``calydon.diff`` builder of that name (``"alpha"``: values are squared radii).
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
    Input: a tensor (*batch, N, D) with D in {2, 3}, any real dtype, finite, or a list of B
    tensors (n_i, D). Output: a ``DiagramBatch`` with dimensions 0..D-1, differentiable with
    respect to the points.
    """

    def __init__(
        self,
        rule: str = "alpha",
        *,
        batch_dims: int = 1,
        include_inf_points: bool = False,
        gradient_method: str = "dgm-loss",
        n_threads: int | None = None,
    ) -> None:
        api = "AlphaPersistence"
        super().__init__(include_inf_points, gradient_method, n_threads, api)
        self.rule = check_choice(rule, "rule", api, tuple(_BUILDERS))
        self.batch_dims = check_int_in(batch_dims, "batch_dims", api, 0)

    def forward(self, x: torch.Tensor | list[torch.Tensor]) -> DiagramBatch:
        """Diagrams of every point cloud of ``x``.

        Parameters
        ----------
        x : torch.Tensor or list of torch.Tensor
            A tensor (*batch, N, D) with ``batch_dims`` leading batch axes and D in {2, 3}, any real
            dtype and device, finite; or a non-empty list of B tensors (n_i, D) (batch shape (B,)).

        Returns
        -------
        DiagramBatch
            ``batch_shape`` the input's batch axes; ``out[d]`` is ``(values (*batch, N_d, 2), mask
            (*batch, N_d))`` for d in 0..D-1, values in the input's dtype and on its device,
            differentiable with respect to the points.

        Raises
        ------
        TypeError, ValueError
            A non-tensor or non-real input, NaN or infinity, a wrong number of axes, D not 2 or 3.
        """
        items, batch_shape = split_clouds(x, self.batch_dims, 2, "(N, D) point cloud", self._api)
        for i, item in enumerate(items):
            if item.shape[-1] not in (2, 3):
                raise ValueError(
                    f"{self._api}: every point cloud must have 2 or 3 coordinates, got item {i} "
                    f"of shape {tuple(item.shape)}"
                )
        build = _BUILDERS[self.rule]
        return self._diagrams([build(item) for item in items], batch_shape)

    def extra_repr(self) -> str:
        """The constructor's options, shown by ``repr(module)``.

        Returns
        -------
        str
            ``name=value`` pairs separated by commas.
        """
        return f"rule={self.rule!r}, batch_dims={self.batch_dims}, {self._options()}"
