"""calydon.diff: differentiable filtrations and persistence diagrams on PyTorch tensors."""

from .filtration import DiffFiltration
from .grid import cube_filtration, freudenthal_filtration
from .persistence import PersistenceDiagrams, persistence_diagram

__all__ = [
    "DiffFiltration",
    "PersistenceDiagrams",
    "cube_filtration",
    "freudenthal_filtration",
    "persistence_diagram",
]
