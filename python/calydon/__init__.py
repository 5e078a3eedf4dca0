"""calydon: differentiable persistent homology (C++20 engine, PyTorch layer in calydon.diff)."""

from ._filtration import Filtration
from ._memory import release_cached_memory, set_memory_budget
from .batch import compute_diagrams_batch
from .delaunay import (
    alpha_filtration,
    cech_delaunay_filtration,
    compute_diagrams_alpha,
    weak_alpha_filtration,
)
from .diagrams import Diagrams
from .distance import (
    DiagramMatching,
    bottleneck_distance,
    bottleneck_matching,
    wasserstein_distance,
    wasserstein_matching,
)
from .grid import (
    compute_diagrams_cubical,
    compute_diagrams_ls,
    cube_filtration,
    freudenthal_filtration,
)
from .optimize import ConflictStrategy, DenoiseStrategy, IndicesValues, TopologyOptimizer
from .persistence import Decomposition, compute_diagrams, reduce
from .rips import compute_diagrams_vr, vr_filtration

__version__ = "0.1.0"

__all__ = [
    "ConflictStrategy",
    "Decomposition",
    "DenoiseStrategy",
    "DiagramMatching",
    "Diagrams",
    "Filtration",
    "IndicesValues",
    "TopologyOptimizer",
    "alpha_filtration",
    "bottleneck_distance",
    "bottleneck_matching",
    "cech_delaunay_filtration",
    "compute_diagrams",
    "compute_diagrams_alpha",
    "compute_diagrams_batch",
    "compute_diagrams_cubical",
    "compute_diagrams_ls",
    "compute_diagrams_vr",
    "cube_filtration",
    "freudenthal_filtration",
    "reduce",
    "release_cached_memory",
    "set_memory_budget",
    "vr_filtration",
    "wasserstein_distance",
    "wasserstein_matching",
    "weak_alpha_filtration",
]
