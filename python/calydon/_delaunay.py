"""Plumbing of the Delaunay builders shared by ``calydon.delaunay`` and ``calydon.diff.delaunay``:
the CGAL check, the point-cloud validation and the C++ call."""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _core
from ._validate import as_float64_array

DELAUNAY_RULES = ("alpha", "weak_alpha", "cech")
MAX_ABS_COORDINATE = 1e100


def require_cgal(api: str) -> None:
    if not getattr(_core, "HAVE_CGAL", False):
        raise ImportError(
            f"{api}: calydon was built without CGAL, which Delaunay filtrations need; "
            "install it (apt-get install libcgal-dev) and rebuild calydon"
        )


def as_point_cloud(points: Any, api: str) -> np.ndarray:
    """float64 C-contiguous (n, 2) or (n, 3) array, checked; raises ValueError / TypeError."""
    arr = as_float64_array(points, "points", api, ndims=(2,))
    if arr.shape[1] not in (2, 3):
        raise ValueError(
            f"{api}: points must have 2 or 3 coordinates per row, got shape {arr.shape}"
        )
    big = np.abs(arr).max()
    if big > MAX_ABS_COORDINATE:
        raise ValueError(
            f"{api}: points must have coordinates of absolute value at most "
            f"{MAX_ABS_COORDINATE:g} (squared radii would overflow), got {big:g}; rescale them"
        )
    return arr


def delaunay_core(points: Any, rule: str, api: str, with_simplices: bool = False):
    """Runs the C++ builder: (filtration, value_source, supports, simplices, tri_dim, has_dups)."""
    require_cgal(api)
    arr = as_point_cloud(points, api)
    return _core.delaunay_filtration(arr, rule, bool(with_simplices), api=api)
