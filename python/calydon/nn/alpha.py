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

    Args:
        rule: ``"alpha"`` (default; values are squared radii), ``"weak_alpha"`` or
            ``"cech_delaunay"``, as the ``calydon.diff`` builders of those names.
        batch_dims: leading batch axes of a tensor input (default 1: (B, N, D)).
        include_inf_points, gradient_method, n_threads: as in
            ``calydon.diff.persistence_diagrams`` (one call for the whole batch).

    Shape:
        input: a tensor (*batch, N, D), D in {2, 3}, or a list of B tensors (n_i, D). Output:
        ``DiagramBatch`` with dims 0..D-1, differentiable with respect to the points.
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
        """Diagrams of every point cloud of ``x``."""
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
        return f"rule={self.rule!r}, batch_dims={self.batch_dims}, {self._options()}"
