"""Plumbing of the Delaunay builders shared by ``calydon.delaunay`` and ``calydon.diff.delaunay``:
the CGAL check, the point-cloud validation and the C++ call."""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _core
from ._memory import check_memory
from ._validate import as_float64_array

DELAUNAY_RULES = ("alpha", "weak_alpha", "cech")
MAX_ABS_COORDINATE = 1e100

# Peak memory per input point (bytes): peak RSS minus the resident size before the call, of
# whole runs on uniform random points at 20k-400k points, rounded up: CGAL's triangulation, the
# faces, the sorted filtration and its boundary (the same for the three value rules; 2-D 772,
# 3-D 4216-4249 bytes per point; 4481 at 200k with the slab triangulation, n_threads=2).
# The differentiable path adds the reduction, the supports' radii and backward() (both in C++, so
# no torch graph of the formula is kept). The worst case reads every value too (`fil.values`: the
# critical-set method, a loss on the values): 2-D 1194, 3-D 6001 bytes per point (200k and 60k
# points). The estimate covers that worst case. Degenerate 3-D inputs can have far
# larger Delaunay complexes (up to quadratic); the estimate is for points in general position.
_BYTES_PER_POINT = {(2, False): 800, (3, False): 4700, (2, True): 1200, (3, True): 6000}
_BYTES_FIXED = 1 << 20


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


def delaunay_memory_estimate(n_points: int, dim: int, differentiable: bool = False) -> int:
    """Estimated peak bytes of a Delaunay filtration of ``n_points`` points in R^dim."""
    return _BYTES_FIXED + _BYTES_PER_POINT[(dim, bool(differentiable))] * n_points


def delaunay_core(
    points: Any,
    rule: str,
    api: str,
    with_simplices: bool = False,
    differentiable: bool = False,
    n_threads: int | None = None,
    defer_supports: bool = False,
):
    """Runs the C++ builder: (filtration, value_source, supports, simplices, tri_dim, has_dups),
    after checking the memory estimate (before CGAL starts). The faces, the values and the sort
    run on ``n_threads`` threads (validated by the caller); so does the 3-D triangulation from
    2000 points (split_triangulation.hpp). ``defer_supports``: value_source is None and
    supports a ``_core.DelaunaySupportPlan`` (see ``DiffDelaunayFiltration``)."""
    require_cgal(api)
    arr = as_point_cloud(points, api)
    check_memory(
        api,
        f"the Delaunay filtration of points of shape {arr.shape}",
        delaunay_memory_estimate(arr.shape[0], arr.shape[1], differentiable),
        "use fewer points (e.g. a subsample)",
    )
    return _core.delaunay_filtration(
        arr,
        rule,
        bool(with_simplices),
        api=api,
        n_threads=n_threads or 1,
        defer_supports=bool(defer_supports),
    )
