"""calydon.nn: persistence layers and diagram losses as ``torch.nn.Module`` (see docs/nn.md)."""

from .alpha import AlphaPersistence
from .diagram_batch import DiagramBatch, PaddedDiagrams
from .grid import CubicalPersistence, FreudenthalPersistence
from .losses import SlicedWassersteinLoss, TotalPersistenceLoss, WassersteinLoss
from .rips import VietorisRipsPersistence

__all__ = [
    "AlphaPersistence",
    "CubicalPersistence",
    "DiagramBatch",
    "FreudenthalPersistence",
    "PaddedDiagrams",
    "SlicedWassersteinLoss",
    "TotalPersistenceLoss",
    "VietorisRipsPersistence",
    "WassersteinLoss",
]
