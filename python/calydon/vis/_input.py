"""Diagrams of every supported kind turned into ``{dim: float64 (n, 2) array}``.

Accepted: a numpy array, a nested list or a torch tensor (detached; it may require grad) of
shape (n, 2), which is one diagram; a ``calydon.Diagrams``; a list or tuple of such arrays or
tensors, one per dimension (as ripser's ``dgms``); a mapping ``{dim: diagram}``, which includes
``calydon.diff.PersistenceDiagrams``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ..diagrams import Diagrams
from ..distance import as_diagram


def _is_array(x: Any) -> bool:
    return isinstance(x, np.ndarray) or (hasattr(x, "detach") and hasattr(x, "shape"))


def per_dimension(x: Any, name: str, api: str) -> dict[int, np.ndarray] | None:
    """``{dim: (n, 2)}`` for a container of diagrams, None when ``x`` is a single diagram."""
    if isinstance(x, Mapping):
        out = {}
        for dim, dgm in x.items():
            if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)) or dim < 0:
                raise TypeError(f"{api}: {name} keys must be dimensions (ints >= 0), got {dim!r}")
            out[int(dim)] = as_diagram(dgm, f"{name}[{dim}]", api)
        return out
    if isinstance(x, Diagrams) or (
        isinstance(x, (list, tuple)) and len(x) > 0 and all(_is_array(d) for d in x)
    ):
        return {dim: as_diagram(dgm, f"{name}[{dim}]", api) for dim, dgm in enumerate(x)}
    return None


def _dims_list(dims: Any, api: str) -> list[int] | None:
    if dims is None:
        return None
    items = [dims] if isinstance(dims, (int, np.integer)) else dims
    try:
        out = [int(d) for d in items if not isinstance(d, bool) and int(d) == d and d >= 0]
    except (TypeError, ValueError):
        out = []
    if not out or len(out) != len(items):
        raise TypeError(f"{api}: dims must be an int >= 0 or a sequence of them, got {dims!r}")
    return out


def select_dimensions(x: Any, dims: Any, name: str, api: str) -> dict[int, np.ndarray]:
    """The diagrams of ``x`` in the dimensions ``dims`` (all when None), keyed by dimension.

    A single (n, 2) diagram is dimension ``dims`` when that is one int, otherwise 0.
    """
    wanted = _dims_list(dims, api)
    found = per_dimension(x, name, api)
    if found is None:
        if wanted is not None and len(wanted) != 1:
            raise ValueError(
                f"{api}: {name} is a single diagram, so dims must name one dimension, got {dims!r}"
            )
        return {wanted[0] if wanted else 0: as_diagram(x, name, api)}
    if wanted is None:
        return found
    missing = [d for d in wanted if d not in found]
    if missing:
        raise ValueError(
            f"{api}: dims must be among the dimensions of {name} {sorted(found)}, got {dims!r}"
        )
    return {d: found[d] for d in wanted}


def one_diagram(x: Any, dim: Any, name: str, api: str) -> np.ndarray:
    """One float64 (n, 2) diagram: ``x`` itself, or ``x[dim]`` for a container of diagrams."""
    found = per_dimension(x, name, api)
    if found is None:
        return as_diagram(x, name, api)
    if dim is None:
        if len(found) == 1:
            return next(iter(found.values()))
        raise ValueError(
            f"{api}: {name} holds dimensions {sorted(found)}, so dim must say which, got None"
        )
    wanted = _dims_list(dim, api)
    if len(wanted) != 1:
        raise ValueError(f"{api}: dim must be one dimension, got {dim!r}")
    return select_dimensions(found, wanted, name, api)[wanted[0]]
