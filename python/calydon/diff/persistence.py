"""persistence_diagram: diagram tensors gathered from a DiffFiltration's values.

The C++ core returns (birth, death) sorted ids; the diagram is ``values[pairs]``, so autograd's
gather backward is the dgm-loss gradient (a scatter-add onto the birth and death cells)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Iterator

import numpy as np
import torch

from .. import _core
from ._tensor import index_tensor

GRADIENT_METHODS = ("dgm-loss", "crit-sets")


class PersistenceDiagrams(Mapping):
    """Dict-like ``{dim: tensor (n_dim, 2)}`` of (birth, death) rows, for dims 0..max_dim.

    Each tensor has the dtype and device of ``fil.values`` and is differentiable with respect to
    them. ``index_diagram_in_dimension(d)`` gives the int64 (n_d, 2) sorted-id pairs (death -1
    for an essential point). Row order is unspecified.
    """

    def __init__(self, diagrams: dict[int, torch.Tensor], index_diagrams: dict[int, torch.Tensor]):
        self._dgms = diagrams
        self._index = index_diagrams

    def __getitem__(self, dim: int) -> torch.Tensor:
        if dim not in self._dgms:
            raise KeyError(f"PersistenceDiagrams: no dimension {dim!r}; available: {sorted(self._dgms)}")
        return self._dgms[dim]

    def __iter__(self) -> Iterator[int]:
        return iter(self._dgms)

    def __len__(self) -> int:
        return len(self._dgms)

    def in_dimension(self, dim: int) -> torch.Tensor:
        """The (n, 2) diagram tensor of homology dimension ``dim``."""
        return self[dim]

    def index_diagram_in_dimension(self, dim: int) -> torch.Tensor:
        """int64 tensor (n, 2) of (birth, death) sorted ids; -1 as the death of essential points."""
        self[dim]
        return self._index[dim]

    @property
    def max_dim(self) -> int:
        return max(self._dgms) if self._dgms else -1

    def __repr__(self) -> str:
        sizes = {d: len(t) for d, t in self._dgms.items()}
        return f"PersistenceDiagrams({sizes})"


def _check_filtration(fil, api: str):
    values = getattr(fil, "values", None)
    under = getattr(fil, "under_fil", None)
    if not isinstance(values, torch.Tensor) or under is None:
        raise TypeError(f"{api}: fil must be a DiffFiltration (with a tensor .values), got {type(fil).__name__}")
    return under, values


def persistence_diagram(fil, include_inf_points: bool = False, gradient_method: str = "dgm-loss",
                        dualize: bool | None = None, n_threads: int | None = None) -> PersistenceDiagrams:
    """Differentiable persistence diagrams of a ``DiffFiltration``.

    Args:
        fil: a ``DiffFiltration`` from any ``calydon.diff`` builder.
        include_inf_points: append essential points as rows ``(birth, inf)`` (``-inf`` for a
            negated filtration); the gradient reaches their birth cell.
        gradient_method: ``"dgm-loss"`` (gradient on each point's birth and death cells).
            ``"crit-sets"`` belongs to the critical-set capability and raises
            NotImplementedError until it lands.
        dualize: reduce cohomology (True) or homology (False); default cohomology for VR
            filtrations and homology otherwise. The diagrams are identical either way.
        n_threads: accepted for API compatibility; the reduction is serial.

    Returns:
        ``PersistenceDiagrams``: dims 0..max(fil.max_dim - 1, 0), each a tensor of shape
        (n_d, 2) with the dtype and device of ``fil.values``. Zero-persistence points are dropped.
    """
    api = "persistence_diagram"
    if gradient_method not in GRADIENT_METHODS:
        raise ValueError(f"{api}: gradient_method must be one of {GRADIENT_METHODS}, got {gradient_method!r}")
    if gradient_method == "crit-sets":
        raise NotImplementedError(f"{api}: gradient_method='crit-sets' needs the critical-set "
                                  "capability (TopologyOptimizer), which is not implemented yet; "
                                  "use 'dgm-loss'")
    # Filtrations with a specialised backend (e.g. implicit Vietoris-Rips cohomology) provide it
    # as a method on their class, so the explicit complex is never materialised here.
    fast = getattr(type(fil), "_persistence_diagram_fast", None)
    if fast is not None:
        return fast(fil, include_inf_points=include_inf_points, dualize=dualize, n_threads=n_threads)
    under, values = _check_filtration(fil, api)
    if dualize is None:
        dualize = under.kind == "vr"
    finite, essential = _core.persistence_pairs(under, bool(dualize))
    return assemble_diagrams(values, finite, essential, under.infinity(), max(under.max_dim, 1),
                             include_inf_points)


def assemble_diagrams(values: torch.Tensor, finite, essential, infinity: float, n_dims: int,
                      include_inf_points: bool) -> PersistenceDiagrams:
    """Gathers ``values`` at per-dimension index pairs; shared by every persistence backend."""
    dgms, index = {}, {}
    for dim in range(n_dims):
        pairs = finite[dim] if dim < len(finite) else np.empty((0, 2), np.int64)
        if include_inf_points and dim < len(essential) and len(essential[dim]):
            ess = np.asarray(essential[dim], dtype=np.int64)
            pairs = np.concatenate([pairs, np.stack([ess, np.full_like(ess, -1)], axis=1)])
        idx = index_tensor(pairs, values.device)
        n_finite = len(finite[dim]) if dim < len(finite) else 0
        births = values[idx[:, 0]]
        deaths = torch.cat([values[idx[:n_finite, 1]],
                            torch.full((len(idx) - n_finite,), infinity, dtype=values.dtype, device=values.device)])
        dgms[dim] = torch.stack([births, deaths], dim=1)
        index[dim] = idx
    return PersistenceDiagrams(dgms, index)
