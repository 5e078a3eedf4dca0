"""Where the cells of a filtration lie: a pixel per cell for 2-D grid filtrations, the vertices
of a simplex (or of its critical edge) per cell for point-cloud filtrations.

Sorted ids are what the critical-set method returns; the builders give the maps below with
``with_critical_vertices`` / ``with_critical_indices`` (grids), ``with_critical_edges`` (Rips)
and ``with_simplices`` (Delaunay). Without them, a filtration of the same input is rebuilt here
and accepted only if its values agree cell by cell, so a map never silently mismatches."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import _grid
from .._optimize import IndicesValues

GRID_KINDS = {"freudenthal": ("vertices",), "cubical": ("vertices", "cells")}
DELAUNAY_KINDS = ("alpha", "weak_alpha", "cech_delaunay")


def int_array(x: Any, name: str, api: str) -> np.ndarray:
    if hasattr(x, "detach") and hasattr(x, "cpu"):  # a torch tensor, without importing torch
        x = x.detach().cpu().numpy()
    arr = np.asarray(x)
    if arr.size and arr.dtype.kind not in "iu":
        raise TypeError(f"{api}: {name} must hold integers, got dtype {arr.dtype}")
    return arr.astype(np.int64)


def _is_singleton(x: Any) -> bool:
    """A ``(target, ids)`` tuple as ``TopologyOptimizer.singleton`` returns."""
    return isinstance(x, tuple) and len(x) == 2 and np.ndim(x[0]) == 0 and np.ndim(x[1]) == 1


def critical_cells(critical_set: Any, api: str) -> tuple[np.ndarray, np.ndarray | None]:
    """(int64 sorted ids (k,), float64 targets (k,) or None) of any critical-set form."""
    if critical_set is None:
        return np.empty(0, np.int64), None
    if isinstance(critical_set, IndicesValues):
        return critical_set.indices_array(), critical_set.values_array()
    sets = [critical_set] if _is_singleton(critical_set) else critical_set
    if isinstance(sets, list) and sets and all(_is_singleton(s) for s in sets):
        ids = [int_array(s[1], "critical_set", api).reshape(-1) for s in sets]
        targets = [np.full(len(i), float(s[0])) for i, s in zip(ids, sets)]
        return np.concatenate(ids), np.concatenate(targets)
    return int_array(critical_set, "critical_set", api).reshape(-1), None


def check_ids(ids: np.ndarray, n_cells: int, name: str, api: str) -> None:
    bad = (ids < 0) | (ids >= n_cells)
    if bad.any():
        raise ValueError(f"{api}: {name} must be sorted ids in [0, {n_cells}), got {ids[bad][0]}")


def _values_agree(fil: Any, rebuilt: Any) -> bool:
    return len(rebuilt) == len(fil) and np.array_equal(rebuilt.values(), fil.values())


def pixel_map(image: np.ndarray, fil: Any, cell_pixels: Any, api: str) -> np.ndarray:
    """int64 (n_cells,): the flat index into ``image`` of each sorted cell's value."""
    if cell_pixels is not None:
        pixels = int_array(cell_pixels, "cell_pixels", api).reshape(-1)
    elif fil is None:
        raise ValueError(
            f"{api}: drawing over an image needs cell_pixels (the critical vertices of "
            f"freudenthal_filtration or cube_filtration) or fil, got neither"
        )
    elif hasattr(fil, "_complex_kind"):  # a lazy DiffGridFiltration knows how it was built
        if fil._arr.shape != image.shape:
            raise ValueError(
                f"{api}: image must have the filtration's shape {fil._arr.shape}, got {image.shape}"
            )
        pixels = _grid.build(
            fil._arr, fil._complex_kind, fil._negate, fil._top, fil._values_on, api
        )[1]
    else:
        pixels = _rebuilt_pixels(image, getattr(fil, "under_fil", fil), api)
    bad = (pixels < 0) | (pixels >= image.size)
    if bad.any():
        raise ValueError(
            f"{api}: cell_pixels must be flat indices in [0, {image.size}), got {pixels[bad][0]}"
        )
    return pixels


def _rebuilt_pixels(image: np.ndarray, fil: Any, api: str) -> np.ndarray:
    for values_on in GRID_KINDS.get(getattr(fil, "kind", None), ()):
        try:
            rebuilt, pixels = _grid.build(image, fil.kind, fil.negate, fil.max_dim, values_on, api)
        except ValueError:
            continue
        if _values_agree(fil, rebuilt):
            return np.asarray(pixels, dtype=np.int64)
    raise ValueError(
        f"{api}: fil must be a grid filtration of image (freudenthal or cubical, values agreeing "
        f"cell by cell), got {fil!r}; pass cell_pixels instead"
    )


def vertex_map(points: np.ndarray, fil: Any, cell_vertices: Any, api: str) -> np.ndarray:
    """int64 (n_cells, m): the point indices of each sorted cell, padded with -1."""
    if cell_vertices is None and fil is None:
        raise ValueError(
            f"{api}: drawing over points needs cell_vertices (critical edges of vr_filtration or "
            f"simplices of alpha_filtration) or fil, got neither"
        )
    if cell_vertices is None:
        cell_vertices = _rebuilt_vertices(points, fil, api)
    if isinstance(cell_vertices, (list, tuple)) and all(
        hasattr(b, "shape") for b in cell_vertices
    ):  # one (n_k, k + 1) array per dimension
        blocks = [int_array(b, "cell_vertices", api).reshape(len(b), -1) for b in cell_vertices]
        width = max((b.shape[1] for b in blocks), default=1)
        table = np.concatenate(
            [np.pad(b, ((0, 0), (0, width - b.shape[1])), constant_values=-1) for b in blocks]
        )
    else:  # critical edges (n_cells, 2); (v, v) is the vertex v
        table = int_array(cell_vertices, "cell_vertices", api).reshape(-1, 2).copy()
        table[table[:, 0] == table[:, 1], 1] = -1
    bad = (table < -1) | (table >= len(points))
    if bad.any():
        raise ValueError(
            f"{api}: cell_vertices must be point indices in [0, {len(points)}), got {table[bad][0]}"
        )
    return table


def _rebuilt_vertices(points: np.ndarray, fil: Any, api: str) -> Any:
    if hasattr(fil, "critical_edges") and not callable(fil.critical_edges):  # DiffRipsFiltration
        return fil.critical_edges
    from .. import delaunay, rips  # the builders, only when a map must be rebuilt

    under = getattr(fil, "under_fil", fil)
    kind = getattr(under, "kind", None)
    if kind == "vr" and len(under):
        top = float(under.values().max())  # every simplex up to the largest value: fil's own
        rebuilt, table = rips.vr_filtration(
            points, max_dim=under.max_dim, max_diameter=top, with_critical_edges=True
        )
    elif kind in DELAUNAY_KINDS:
        rebuilt, table = getattr(delaunay, f"{kind}_filtration")(points, with_simplices=True)
    else:
        rebuilt, table = None, None
    if rebuilt is None or not _values_agree(under, rebuilt):
        raise ValueError(
            f"{api}: fil must be a Rips or Delaunay filtration of points (values agreeing cell by "
            f"cell), got {fil!r}; pass cell_vertices instead"
        )
    return table
