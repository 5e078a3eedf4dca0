"""Batches inside one call: the diagrams of many filtrations (``compute_diagrams_batch``) and the
batched inputs of the grid builders (``batch_dims``, a list of arrays).

A batch is always explicit, never guessed from a shape: ``batch_dims=k`` says that the leading k
axes index items, and a list or tuple whose every element is an array (numpy or torch) is a list
of items. Results come back as a flat Python list in row-major order of the batch axes (then in
list order)."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any, Callable

import numpy as np

from ._core import Filtration
from ._pairs import run_requests
from ._validate import check_bool, check_n_threads
from .diagrams import Diagrams
from .persistence import general_request

GRID_ITEM_NDIMS = (1, 2, 3, 4)


def check_batch_dims(batch_dims: Any, api: str) -> int:
    """``batch_dims`` as a non-negative int; TypeError / ValueError naming it otherwise."""
    if isinstance(batch_dims, (bool, np.bool_)) or not isinstance(batch_dims, (int, np.integer)):
        raise TypeError(
            f"{api}: batch_dims must be a non-negative int, got {type(batch_dims).__name__} "
            f"{batch_dims!r}"
        )
    if batch_dims < 0:
        raise ValueError(f"{api}: batch_dims must be a non-negative int, got {batch_dims}")
    return int(batch_dims)


def _is_array(x: Any) -> bool:
    """A numpy array or a torch tensor (duck-typed, without importing torch) of at least one axis."""
    is_tensor = hasattr(x, "detach") and hasattr(x, "reshape") and hasattr(x, "shape")
    return (isinstance(x, np.ndarray) or is_tensor) and len(x.shape) >= 1


def is_list_batch(data: Any) -> bool:
    """True for a list or tuple given as a batch: non-empty, every element a numpy array or a
    tensor. A nested list of numbers stays one array-like item (and the torch builders refuse it
    as not a tensor)."""
    return isinstance(data, (list, tuple)) and len(data) > 0 and all(_is_array(x) for x in data)


def _split(data: Any, batch_dims: int, name: str, api: str) -> list[tuple[str, Any]]:
    """(name, item) for every index of the leading ``batch_dims`` axes, row-major; items are
    views (``reshape``, then ``unbind`` for tensors and indexing for arrays), so tensors keep
    their autograd graph. One ``unbind`` has one backward, which stacks the items' gradients
    once; indexing would give each item a backward that writes a zero tensor of the whole batch
    (64 images of 128^2: 49 ms of backward against 16)."""
    shape = tuple(data.shape)
    if len(shape) - batch_dims not in GRID_ITEM_NDIMS:
        raise ValueError(
            f"{api}: with batch_dims={batch_dims}, {name} must have {batch_dims + 1} to "
            f"{batch_dims + 4} dimensions (batch axes, then 1-4 grid axes), got shape {shape}"
        )
    batch_shape = shape[:batch_dims]
    n_items = int(np.prod(batch_shape, dtype=np.int64))
    if n_items == 0:
        raise ValueError(
            f"{api}: with batch_dims={batch_dims}, {name} has an empty batch (shape {shape})"
        )
    flat = data.reshape((n_items,) + shape[batch_dims:])
    names = (
        f"{name}[{', '.join(map(str, np.unravel_index(i, batch_shape)))}]" for i in range(n_items)
    )
    parts = flat.unbind(0) if hasattr(flat, "unbind") else (flat[i] for i in range(n_items))
    return list(zip(names, parts))


def _warn_leading_one(data: Any, api: str) -> None:
    try:
        shape = tuple(np.shape(data))
    except ValueError:  # a ragged nested list: the builder reports it
        return
    if len(shape) in (3, 4) and shape[0] == 1:
        warnings.warn(
            f"{api}: data of shape {shape} is read as one {len(shape)}-D grid (batch_dims=0); "
            f"if its leading axis of size 1 is a batch axis, pass batch_dims=1 (a list of "
            f"one result) or drop the axis",
            UserWarning,
            stacklevel=5,
        )


def grid_batch_items(
    data: Any, batch_dims: Any, api: str, as_array: Callable[[Any, str], Any]
) -> list[tuple[str, Any]] | None:
    """Splits a grid builder's ``data`` into named items, or returns None for a single item.

    Args:
        data: one array (``batch_dims=0``), an array whose leading ``batch_dims`` axes are batch
            axes, or a list/tuple of arrays (each split by ``batch_dims`` in turn).
        batch_dims: validated here (non-negative int).
        api: the public function's name, for messages.
        as_array: turns one user object into something with ``shape`` and ``reshape`` (or raises
            naming it), e.g. ``np.asarray`` for the numpy builders, a tensor check for torch.

    Returns:
        None when ``data`` is one item (``batch_dims=0``, not a list; a 3-D or 4-D input whose
        leading axis has size 1 gets a UserWarning naming ``batch_dims``), else a non-empty list
        of ``(name, item)`` such as ``("data[1, 0]", item)`` in row-major order.
    """
    batch_dims = check_batch_dims(batch_dims, api)
    if is_list_batch(data):
        items = []
        for i, elem in enumerate(data):
            elem = as_array(elem, f"data[{i}]")
            items += (
                [(f"data[{i}]", elem)]
                if batch_dims == 0
                else _split(elem, batch_dims, f"data[{i}]", api)
            )
        return items
    if batch_dims == 0:
        _warn_leading_one(data, api)
        return None
    return _split(as_array(data, "data"), batch_dims, "data", api)


def map_grid_batch(
    data: Any,
    batch_dims: Any,
    api: str,
    one: Callable[[Any, str], Any],
    as_array: Callable[[Any, str], Any],
) -> Any:
    """``one(data, "data")`` for a single item, else ``[one(item, name) for each item]`` (see
    ``grid_batch_items``); called directly by the public builders (the warning's stack level)."""
    items = grid_batch_items(data, batch_dims, api, as_array)
    if items is None:
        return one(data, "data")
    return [one(item, name) for name, item in items]


def run_grid_batch(
    data: Any,
    batch_dims: Any,
    api: str,
    request_of: Callable[[Any, str], Any],
    n_threads: int,
) -> Any:
    """Like ``map_grid_batch``, for builders that return a ``PairsRequest`` per item: every
    item's request runs in one GIL-free ``run_requests`` call, threads spread over the items.
    Returns one ``IndexPairs`` for a single item, else a list; called directly by the public
    builders (the warning's stack level)."""
    items = grid_batch_items(data, batch_dims, api, numpy_item)
    if items is None:
        return run_requests([request_of(data, "data")], n_threads, api)[0]
    return run_requests([request_of(item, name) for name, item in items], n_threads, api)


def numpy_item(x: Any, name: str) -> Any:
    """An object with ``shape`` and ``reshape``: arrays and tensors as they are, else np.asarray."""
    return x if hasattr(x, "shape") and hasattr(x, "reshape") else np.asarray(x)


def check_filtration_batch(
    fils: Any, api: str, is_item: Callable[[Any], bool], expected: str, hint: str = ""
) -> list:
    """``fils`` as a list after checking it is a non-empty sequence of accepted filtrations.

    Raises:
        TypeError: ``fils`` is not a sequence (a single filtration, a generator, a string), or an
            element is not accepted (the message names ``fils[i]`` and its type).
        ValueError: ``fils`` is empty.
    """
    if isinstance(fils, (str, bytes)) or not isinstance(fils, Sequence):
        raise TypeError(
            f"{api}: fils must be a sequence (list or tuple) of {expected}, got "
            f"{type(fils).__name__}"
        )
    if len(fils) == 0:
        raise ValueError(f"{api}: fils must not be empty")
    for i, fil in enumerate(fils):
        if not is_item(fil):
            raise TypeError(
                f"{api}: fils[{i}] must be a {expected}, got {type(fil).__name__}{hint}"
            )
    return list(fils)


def compute_diagrams_batch(
    fils: Sequence[Filtration],
    *,
    include_inf_points: bool = True,
    dualize: bool = False,
    n_threads: int | None = None,
) -> list[Diagrams]:
    """Persistence diagrams of many filtrations in one call.

    Parameters
    ----------
    fils : sequence of Filtration
        Non-empty sequence of ``calydon.Filtration`` (any builders, mixed).
    include_inf_points : bool, default True
        Include essential points (death ``fil.infinity()``).
    dualize : bool, default False
        Reduce cohomology instead of homology (same diagrams).
    n_threads : int, optional
        None (one thread) or a positive int, the threads of the whole call.

    Returns
    -------
    list of Diagrams
        ``out[i] == calydon.compute_diagrams(fils[i], ...)``: per item, dimensions
        0..fils[i].max_dim of float64 arrays of shape (n_d, 2).

    Raises
    ------
    TypeError
        ``fils`` is not a sequence of ``calydon.Filtration`` (the message names ``fils[i]``).
    ValueError
        ``fils`` is empty, or ``n_threads < 1``.
    """
    api = "compute_diagrams_batch"
    include_inf_points = check_bool(include_inf_points, "include_inf_points", api)
    dualize = check_bool(dualize, "dualize", api)
    n_threads = check_n_threads(n_threads, api)
    fils = check_filtration_batch(
        fils,
        api,
        lambda f: isinstance(f, Filtration),
        "calydon.Filtration",
        "; differentiable filtrations go to calydon.diff.persistence_diagrams",
    )
    requests = [general_request(fil, dualize, max(fil.max_dim + 1, 0)) for fil in fils]
    return [
        Diagrams.from_index_pairs(p, include_inf_points)
        for p in run_requests(requests, n_threads, api)
    ]
