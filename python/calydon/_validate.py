"""Argument checks shared by the public API: one place that turns user input into what the core
expects, or raises a ValueError / TypeError naming the argument and the offending value."""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

MAX_DIM_LIMIT = 64
"""Largest ``max_dim`` any builder accepts. No grid has cells above dimension 4, and a
Vietoris-Rips simplex of dimension 64 has 65 vertices, whose combinatorial indices overflow
int64 for any cloud large enough to need them; a larger request is a mistake, refused before
anything (one empty diagram per requested dimension included) is allocated."""

MAX_THREADS = 4096
"""Largest ``n_threads`` accepted (a larger count is a mistake, not a machine)."""


def dtype_kind_is_numeric(dtype: np.dtype) -> bool:
    return dtype.kind in "iuf"


def as_float64_array(
    x: Any, name: str, api: str, ndims: Sequence[int] | None = None, allow_empty: bool = False
) -> np.ndarray:
    """Converts array-like input to a C-contiguous float64 numpy array and checks it.

    Raises TypeError for non-numeric dtypes (bool, complex, object, strings) and ValueError for a
    wrong number of axes, an empty array, NaN or infinity.
    """
    if hasattr(x, "detach") and hasattr(x, "cpu"):  # a torch tensor, without importing torch
        x = x.detach().cpu()
        if str(x.dtype) in ("torch.bool",) or x.is_complex():
            raise TypeError(f"{api}: {name} must have a real numeric dtype, got {x.dtype}")
        x = x.double().numpy()
    try:
        arr = np.asarray(x)
    except (ValueError, TypeError) as err:  # ragged nested lists, unconvertible objects
        raise ValueError(
            f"{api}: {name} must be a rectangular array of numbers, got a "
            f"{type(x).__name__} numpy cannot convert ({err})"
        ) from None
    if not dtype_kind_is_numeric(arr.dtype):
        raise TypeError(f"{api}: {name} must have a real numeric dtype, got {arr.dtype}")
    if ndims is not None and arr.ndim not in ndims:
        raise ValueError(
            f"{api}: {name} must have {' or '.join(map(str, ndims))} dimensions, "
            f"got shape {arr.shape}"
        )
    if arr.size == 0 and not allow_empty:
        raise ValueError(f"{api}: {name} must not be empty, got shape {arr.shape}")
    arr = np.ascontiguousarray(arr, dtype=np.float64)
    if arr.size and not np.isfinite(arr).all():
        bad = np.flatnonzero(~np.isfinite(arr.reshape(-1)))[0]
        raise ValueError(
            f"{api}: {name} must be finite, got {arr.reshape(-1)[bad]} at flat index {bad}"
        )
    return arr


def check_int(value: Any, name: str, api: str) -> int:
    """A Python or numpy integer (never a bool) as a Python int; TypeError naming it otherwise."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{api}: {name} must be an int, got {type(value).__name__} {value!r}")
    return int(value)


def check_max_dim(max_dim: Any, api: str, name: str = "max_dim") -> int:
    """An int in [0, MAX_DIM_LIMIT]: dimensions the input cannot have are empty anyway, and a
    huge value would otherwise allocate one (empty) diagram per dimension."""
    max_dim = check_int(max_dim, name, api)
    if max_dim < 0:
        raise ValueError(f"{api}: {name} must be >= 0, got {max_dim}")
    if max_dim > MAX_DIM_LIMIT:
        raise ValueError(
            f"{api}: {name} must be at most {MAX_DIM_LIMIT}, got {max_dim} (every dimension "
            "above the input's own is empty, and this many would not fit in memory)"
        )
    return max_dim


def check_finite_real(value: Any, name: str, api: str) -> float:
    """A finite real number (Python, numpy or 0-d) as a float; never a bool or a string."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(
        value, (int, float, np.integer, np.floating)
    ):
        raise TypeError(
            f"{api}: {name} must be a real number, got {type(value).__name__} {value!r}"
        )
    if not np.isfinite(float(value)):
        raise ValueError(f"{api}: {name} must be finite, got {value!r}")
    return float(value)


def check_bool(value: Any, name: str, api: str) -> bool:
    """A bool flag: Python or numpy bool. Anything else (the string "False", 0, None) is a
    TypeError, since ``bool()`` would silently turn "False" into True."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{api}: {name} must be a bool, got {type(value).__name__} {value!r}")
    return bool(value)


def check_optional_bool(value: Any, name: str, api: str) -> bool | None:
    """None or a bool flag (see ``check_bool``)."""
    return None if value is None else check_bool(value, name, api)


def check_choice(value: Any, name: str, api: str, choices: Sequence[str]) -> str:
    if not isinstance(value, str) or value not in choices:
        raise ValueError(
            f"{api}: {name} must be one of {', '.join(map(repr, choices))}, got {value!r}"
        )
    return value


def check_n_threads(n_threads: Any, api: str) -> int:
    """None (one thread) or a positive int; more threads than cores is allowed."""
    if n_threads is None:
        return 1
    if isinstance(n_threads, (bool, np.bool_)) or not isinstance(n_threads, (int, np.integer)):
        raise TypeError(
            f"{api}: n_threads must be a positive int or None, got {type(n_threads).__name__} "
            f"{n_threads!r}"
        )
    if not 1 <= n_threads <= MAX_THREADS:
        raise ValueError(
            f"{api}: n_threads must be a positive int (at most {MAX_THREADS}) or None, "
            f"got {n_threads}"
        )
    return int(n_threads)


def check_count(value: Any, name: str, api: str) -> int:
    """A positive int (Python or numpy integer, never a bool) as a Python int."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{api}: {name} must be an int, got {type(value).__name__}")
    if value <= 0:
        raise ValueError(f"{api}: {name} must be a positive int, got {value}")
    return int(value)


def reject_diagram_collection(x: Any, name: str, api: str) -> None:
    """TypeError when ``x`` holds the diagrams of several homology dimensions (a mapping such as
    ``calydon.diff.PersistenceDiagrams``, or ``calydon.Diagrams``) where one diagram is expected:
    the user has to pick a dimension, and guessing one would silently compare the wrong ones."""
    is_mapping = hasattr(x, "keys") and hasattr(x, "__getitem__")
    if is_mapping or callable(getattr(x, "in_dimension", None)):
        raise TypeError(
            f"{api}: {name} must be one diagram ((n, 2) rows of birth, death), got "
            f"{type(x).__name__} (the diagrams of every homology dimension); pick a dimension, "
            f"e.g. dgms[1] for H1"
        )
