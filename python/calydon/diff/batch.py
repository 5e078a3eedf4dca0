"""Batches of differentiable diagrams: ``persistence_diagrams`` over many filtrations in one
call, and ``pad_diagrams`` to stack diagrams of different sizes into one tensor with a mask.

Padding rows are ``(0, 0)``: constants on the diagonal (persistence 0), with no gradient and no
connection to any input. Losses built from persistence (``death - birth``), from distances to
the diagonal (Wasserstein, bottleneck, sliced Wasserstein) or from sums of polynomials in birth
and death without a constant term ignore them; anything else (means, counts, maxima of births,
nearest-point terms) should use the mask. A copy of a real point projected to the diagonal was
not chosen: an empty diagram has no point to copy, and such rows would shift sums of births."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

from .._pairs import run_requests
from .._validate import check_bool, check_n_threads, check_optional_bool
from ..batch import check_filtration_batch
from .persistence import (
    GRADIENT_METHODS,
    PersistenceDiagrams,
    assemble_diagrams,
    persistence_diagram,
)


def _is_diff_filtration(fil: Any) -> bool:
    return callable(getattr(fil, "_index_pairs", None))


def check_diagram_batch_args(
    fils: Any, gradient_method: Any, n_threads: Any, api: str
) -> tuple[list, int]:
    """Validates the arguments of ``persistence_diagrams``; returns (list of filtrations, n_threads).

    Raises:
        TypeError: ``fils`` is not a sequence of ``DiffFiltration`` (naming ``fils[i]``), or
            ``n_threads`` is not an int.
        ValueError: ``fils`` is empty, an unknown ``gradient_method``, ``n_threads < 1``.
    """
    if not isinstance(gradient_method, str) or gradient_method not in GRADIENT_METHODS:
        raise ValueError(
            f"{api}: gradient_method must be one of {GRADIENT_METHODS}, got {gradient_method!r}"
        )
    n_threads = check_n_threads(n_threads, api)
    fils = check_filtration_batch(
        fils,
        api,
        _is_diff_filtration,
        "DiffFiltration",
        "; calydon.Filtration objects go to calydon.compute_diagrams_batch",
    )
    return fils, n_threads


def persistence_diagrams(
    fils: Sequence,
    *,
    include_inf_points: bool = False,
    gradient_method: str = "dgm-loss",
    dualize: bool | None = None,
    n_threads: int | None = None,
    conflict_strategy: str = "avg",
    step_size: float = 1.0,
) -> list[PersistenceDiagrams]:
    """Differentiable persistence diagrams of many filtrations in one call.

    Parameters
    ----------
    fils : sequence of DiffFiltration
        Non-empty, from any ``calydon.diff`` builders, mixed (grids, Vietoris-Rips, Delaunay;
        e.g. the list a grid builder returns with ``batch_dims``).
    include_inf_points : bool, default False
        As in ``persistence_diagram``, for every item.
    gradient_method : {"dgm-loss", "crit-sets"}, default "dgm-loss"
        As in ``persistence_diagram``.
    dualize : bool, optional
        As in ``persistence_diagram``.
    n_threads : int, optional
        None (one thread) or a positive int, the threads of the whole call. With dgm-loss, every
        item's C++ work runs in one call without the GIL, the items spread over the threads (a
        single item gets them all).
    conflict_strategy : str or ConflictStrategy, default "avg"
        As in ``persistence_diagram`` (crit-sets only).
    step_size : float, default 1.0
        As in ``persistence_diagram`` (crit-sets only).

    Returns
    -------
    list of PersistenceDiagrams
        ``out[i]`` equal to ``persistence_diagram(fils[i], ...)``: dimensions
        0..max(fils[i].max_dim - 1, 0), tensors of shape (n_d, 2) with the dtype and device of
        ``fils[i]``'s values, differentiable with respect to them.

    Raises
    ------
    TypeError
        ``fils`` is not a sequence of ``DiffFiltration`` (naming ``fils[i]``), or ``n_threads``
        is not an int.
    ValueError
        ``fils`` is empty, an unknown ``gradient_method``, ``n_threads < 1``.
    """
    api = "persistence_diagrams"
    include_inf_points = check_bool(include_inf_points, "include_inf_points", api)
    dualize = check_optional_bool(dualize, "dualize", api)
    fils, n_threads = check_diagram_batch_args(fils, gradient_method, n_threads, api)
    if gradient_method == "crit-sets":  # the forward is cheap; each backward walks its own matrices
        return [
            persistence_diagram(
                fil,
                include_inf_points,
                gradient_method,
                dualize,
                n_threads,
                conflict_strategy=conflict_strategy,
                step_size=step_size,
            )
            for fil in fils
        ]
    pairs = run_requests(
        [fil._pairs_request(dualize, gradient_method) for fil in fils], n_threads, api
    )
    return [assemble_diagrams(p, include_inf_points) for p in pairs]


def _check_diagrams(diagrams: Any, api: str) -> list[torch.Tensor]:
    if not isinstance(diagrams, (list, tuple)):
        raise TypeError(
            f"{api}: diagrams must be a list or tuple of (n_i, 2) tensors, got "
            f"{type(diagrams).__name__}"
        )
    if len(diagrams) == 0:
        raise ValueError(f"{api}: diagrams must not be empty")
    for i, dgm in enumerate(diagrams):
        if not isinstance(dgm, torch.Tensor):
            raise TypeError(
                f"{api}: diagrams[{i}] must be a torch.Tensor, got {type(dgm).__name__}"
            )
        if dgm.dtype == torch.bool or dgm.is_complex():
            raise TypeError(f"{api}: diagrams[{i}] must have a real dtype, got {dgm.dtype}")
        if dgm.ndim != 2 or dgm.shape[1] != 2:
            raise ValueError(f"{api}: diagrams[{i}] must have shape (n, 2), got {tuple(dgm.shape)}")
        first = diagrams[0]
        if dgm.device != first.device:
            raise ValueError(
                f"{api}: all diagrams must be on one device: diagrams[0] is on {first.device}, "
                f"diagrams[{i}] on {dgm.device}"
            )
        if dgm.dtype != first.dtype:
            raise ValueError(
                f"{api}: all diagrams must have one dtype: diagrams[0] is {first.dtype}, "
                f"diagrams[{i}] is {dgm.dtype}"
            )
    return list(diagrams)


def pad_diagrams(diagrams: Sequence[torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
    """Stack diagrams of different sizes into one padded tensor and a mask.

    Parameters
    ----------
    diagrams : sequence of torch.Tensor
        Non-empty list or tuple of B tensors of shape (n_i, 2) (e.g.
        ``[d[1] for d in persistence_diagrams(fils)]``), one real dtype and one device; rows with
        ``inf`` (essential points) are kept as they are.

    Returns
    -------
    padded : torch.Tensor
        Shape (B, N, 2), N = max n_i, with the diagrams' dtype and device;
        ``padded[i, :n_i] = diagrams[i]`` (differentiable: the gradient of ``padded`` reaches the
        real rows of each input) and ``(0, 0)`` on the padding rows (on the diagonal; see the
        module docstring).
    mask : torch.Tensor
        bool, shape (B, N), True on real rows.

    Raises
    ------
    TypeError
        Not a list/tuple of real tensors.
    ValueError
        Empty list, a tensor not of shape (n, 2), mixed devices or dtypes.
    """
    api = "pad_diagrams"
    diagrams = _check_diagrams(diagrams, api)
    first = diagrams[0]
    lengths = torch.tensor([len(d) for d in diagrams], dtype=torch.int64, device=first.device)
    n_max = max(len(d) for d in diagrams)
    rows = [torch.cat([d, d.new_zeros((n_max - len(d), 2))]) for d in diagrams]
    padded = torch.stack(rows)
    mask = torch.arange(n_max, device=first.device).unsqueeze(0) < lengths.unsqueeze(1)
    return padded, mask
