"""``calydon.Filtration`` at the Python boundary: argument checks for its constructor (so that
nanobind's "incompatible function arguments" never reaches the user), the type check every
public function makes, and the fingerprint that tells two filtrations apart.

The class itself is the C++ one (builders return it directly); when its constructor cannot
convert the arguments, it calls ``constructor_arguments``. Pickling and copying come from the binding (``__getstate__`` /
``__setstate__``), which stores the cells in input order and the sorted order."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

import numpy as np

from . import _core
from ._validate import check_bool

Filtration = _core.Filtration


def require_filtration(fil: Any, name: str, api: str) -> None:
    if not isinstance(fil, _core.Filtration):
        raise TypeError(f"{api}: {name} must be a calydon.Filtration, got {type(fil).__name__}")


def _is_int(x: Any) -> bool:
    return isinstance(x, (int, np.integer)) and not isinstance(x, (bool, np.bool_))


def constructor_arguments(simplices: Any, values: Any, negate: Any) -> tuple:
    """Called by the binding when ``Filtration(simplices, values, negate)`` cannot convert its
    arguments as given: returns them as (list of int lists, list of floats, bool), e.g. from
    numpy arrays, or raises a TypeError / ValueError naming the offending one."""
    api = "Filtration"
    negate = check_bool(negate, "negate", api)
    if isinstance(simplices, (str, bytes)) or not isinstance(simplices, (Sequence, np.ndarray)):
        raise TypeError(
            f"{api}: simplices must be a list of vertex lists, got {type(simplices).__name__}"
        )
    vertex_lists = [_vertex_list(simplex, i, api) for i, simplex in enumerate(simplices)]
    arr = None
    if isinstance(values, (Sequence, np.ndarray)) and not isinstance(values, (str, bytes)):
        try:
            arr = np.asarray(values)
        except (ValueError, TypeError):  # ragged
            arr = None
    if arr is None or arr.dtype.kind not in "iuf" or arr.ndim != 1:
        shown = type(values).__name__ if arr is None else f"shape {arr.shape}, dtype {arr.dtype}"
        raise TypeError(f"{api}: values must be a 1-D sequence of real numbers, got {shown}")
    return vertex_lists, arr.astype(np.float64).tolist(), negate


def _vertex_list(simplex: Any, i: int, api: str) -> list[int]:
    if isinstance(simplex, (str, bytes)) or not isinstance(simplex, (Sequence, np.ndarray)):
        raise TypeError(
            f"{api}: simplices[{i}] must be a list of int vertex ids, got "
            f"{type(simplex).__name__} {simplex!r}"
        )
    out = []
    for v in simplex:
        if not _is_int(v):
            raise TypeError(
                f"{api}: simplices[{i}] must hold int vertex ids, got {type(v).__name__} {v!r}"
            )
        if not -(2**63) <= int(v) < 2**63:
            raise ValueError(f"{api}: simplices[{i}] holds a vertex id out of range: {v}")
        out.append(int(v))
    return out


def filtration_fingerprint(fil: _core.Filtration) -> bytes:
    """A digest of everything that makes a filtration what it is (order, values, dimensions,
    boundary, negation): equal for a filtration and its copies, different for another one."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(repr((fil.kind, fil.negate, len(fil), fil.max_dim)).encode())
    offsets, entries = fil.boundary_matrix()
    for arr in (fil.values(), fil.dims(), fil.inv_sorting_permutation(), offsets, entries):
        digest.update(np.ascontiguousarray(arr).tobytes())
    return digest.digest()
