"""Differentiable vectorisations of persistence diagrams (persistence images, landscapes, Betti
curves, silhouettes, persistent entropy), on one diagram or on a padded batch with its mask."""

from .betti import betti_curve
from .entropy import persistent_entropy
from .image import persistence_image
from .landscape import persistence_landscape
from .silhouette import silhouette

__all__ = [
    "betti_curve",
    "persistence_image",
    "persistence_landscape",
    "persistent_entropy",
    "silhouette",
]
