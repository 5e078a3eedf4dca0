"""calydon.diff: differentiable filtrations and persistence diagrams on PyTorch tensors."""

from .filtration import DiffFiltration
from .grid import cube_filtration, freudenthal_filtration
from .persistence import PersistenceDiagrams, persistence_diagram
from .rips import DiffRipsFiltration, RipsPersistenceDiagrams, vr_filtration
from .sliced import sliced_wasserstein_distance, sliced_wasserstein_distance_diag_corrected
from .wasserstein import bottleneck_cost, wasserstein_cost

__all__ = [
    "DiffFiltration",
    "DiffRipsFiltration",
    "PersistenceDiagrams",
    "RipsPersistenceDiagrams",
    "bottleneck_cost",
    "cube_filtration",
    "freudenthal_filtration",
    "persistence_diagram",
    "sliced_wasserstein_distance",
    "sliced_wasserstein_distance_diag_corrected",
    "vr_filtration",
    "wasserstein_cost",
]
