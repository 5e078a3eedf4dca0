"""calydon.diff: differentiable filtrations and persistence diagrams on PyTorch tensors."""

from .filtration import DiffFiltration
from .grid import cube_filtration, freudenthal_filtration
from .persistence import PersistenceDiagrams, persistence_diagram
from .rips import DiffRipsFiltration, RipsPersistenceDiagrams, vr_filtration

__all__ = [
    "DiffFiltration",
    "DiffRipsFiltration",
    "PersistenceDiagrams",
    "RipsPersistenceDiagrams",
    "cube_filtration",
    "freudenthal_filtration",
    "persistence_diagram",
    "vr_filtration",
]
