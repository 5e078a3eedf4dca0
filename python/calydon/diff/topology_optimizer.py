"""``calydon.diff.TopologyOptimizer``: the critical-set method on a differentiable filtration.

The optimizer works on the filtration's explicit complex (lazy grid and Vietoris-Rips
filtrations build it, after the memory pre-flight) and returns sorted ids, which index
``fil.values`` directly::

    opt = diff.TopologyOptimizer(fil)
    eps = opt.get_nth_persistence(1, 3)
    indices, values = opt.simplify(eps, calydon.DenoiseStrategy.BirthBirth, 1)
    crit_indices, crit_values = opt.combine_loss(opt.singletons(indices, values), calydon.ConflictStrategy.Max)
    loss = ((fil.values[crit_indices] - torch.as_tensor(crit_values)) ** 2).mean()
"""

from __future__ import annotations

from ..optimize import TopologyOptimizer as _NumpyOptimizer
from .filtration import DiffFiltration


class TopologyOptimizer(_NumpyOptimizer):
    """``calydon.TopologyOptimizer`` for a ``DiffFiltration`` (from any ``calydon.diff`` builder).

    One optimizer serves one filtration: within its life the pairing, each reduced side (V in
    canonical form) and the U-row blocks are computed at most once and reused by every call. A
    loop that rebuilds the filtration from updated values each step builds a new optimizer.

    Parameters
    ----------
    fil : DiffFiltration
        Its ``values`` (shape (N,)) are indexed by the sorted ids the methods return; lazy grid
        and Vietoris-Rips filtrations build their explicit complex here.
    n_threads : int, optional
        None (one thread) or a positive int.

    Attributes
    ----------
    fil : DiffFiltration
        The filtration given.
    """

    def __init__(self, fil: DiffFiltration, *, n_threads: int | None = None):
        if not callable(getattr(fil, "_index_pairs", None)):
            raise TypeError(
                f"TopologyOptimizer: fil must be a DiffFiltration, got {type(fil).__name__}"
            )
        if callable(getattr(fil, "_materialise", None)):  # lazy filtrations: the explicit complex
            fil._materialise("TopologyOptimizer")
        super().__init__(fil.under_fil, n_threads=n_threads)
        self.fil = fil

    def _pickled_filtration(self):
        return self.fil

    @property
    def values(self):
        """The differentiable values, shape (N,), aligned with the sorted ids returned here."""
        return self.fil.values
