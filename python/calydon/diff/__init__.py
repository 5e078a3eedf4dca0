"""calydon.diff: differentiable filtrations and persistence diagrams on PyTorch tensors."""

from .batch import pad_diagrams, persistence_diagrams
from .delaunay import (
    DiffDelaunayFiltration,
    alpha_filtration,
    cech_delaunay_filtration,
    weak_alpha_filtration,
)
from .filtration import DiffFiltration
from .grid import DiffGridFiltration, cube_filtration, freudenthal_filtration
from .persistence import PersistenceDiagrams, persistence_diagram
from .rips import DiffRipsFiltration, vr_filtration
from .sliced import sliced_wasserstein_distance, sliced_wasserstein_distance_diag_corrected
from .smoothing import smooth_gradient
from .topology_optimizer import TopologyOptimizer
from .vectorize import (
    betti_curve,
    persistence_image,
    persistence_landscape,
    persistent_entropy,
    silhouette,
)
from .wasserstein import bottleneck_cost, wasserstein_cost

__all__ = [
    "DiffDelaunayFiltration",
    "DiffFiltration",
    "DiffGridFiltration",
    "DiffRipsFiltration",
    "PersistenceDiagrams",
    "TopologyOptimizer",
    "alpha_filtration",
    "betti_curve",
    "bottleneck_cost",
    "cech_delaunay_filtration",
    "cube_filtration",
    "freudenthal_filtration",
    "pad_diagrams",
    "persistence_diagram",
    "persistence_diagrams",
    "persistence_image",
    "persistence_landscape",
    "persistent_entropy",
    "silhouette",
    "sliced_wasserstein_distance",
    "sliced_wasserstein_distance_diag_corrected",
    "smooth_gradient",
    "vr_filtration",
    "wasserstein_cost",
    "weak_alpha_filtration",
]
