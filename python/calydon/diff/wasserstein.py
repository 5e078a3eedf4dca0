"""Matching-based differentiable losses: the Wasserstein cost and the bottleneck cost.

One matching is computed in C++ on detached float64 copies; the value is then rebuilt in torch
from the input tensors along that matching, so autograd gives the exact gradient of the cost for
the fixed matching (the function is piecewise smooth: the gradient jumps where the optimal
matching changes).
"""

from __future__ import annotations

import math

import numpy as np
import torch

from .. import _core
from .._validate import reject_diagram_collection
from ..distance import (
    ESSENTIAL_FAMILIES,
    _matching,
    as_diagram,
    check_delta,
    check_flag,
    check_internal_p,
    check_q,
)
from ._tensor import (
    common_float,
    diagonal_edge_length,
    diagram_tensor,
    index_tensor,
    lp_edge_length,
    zero_like_graph,
)


def diagram_and_target(
    dgm, target, names: tuple[str, str], api: str
) -> tuple[torch.Tensor, np.ndarray, torch.Tensor, np.ndarray]:
    """The two diagrams of a loss, as (tensor, float64 numpy copy) each.

    ``dgm`` must be a real tensor (integer tensors become float64); ``target`` may be a tensor on
    ``dgm``'s device, a numpy array or a nested list, and comes back in ``dgm``'s floating dtype
    and on its device. Diagrams of all dimensions at once (``PersistenceDiagrams``,
    ``calydon.Diagrams``) are refused with a TypeError asking for one dimension.
    """
    name_a, name_b = names
    reject_diagram_collection(dgm, name_a, api)
    reject_diagram_collection(target, name_b, api)
    a, a_np = diagram_tensor(dgm, name_a, api)
    if isinstance(target, torch.Tensor):
        b, b_np = diagram_tensor(target, name_b, api)
        return a, a_np, common_float(a, b, api), b_np
    try:
        target = np.asarray(target)
    except (ValueError, TypeError) as exc:  # ragged nested lists
        raise ValueError(
            f"{api}: {name_b} must be an (n, 2) tensor, array or nested list, got a ragged "
            f"{type(target).__name__} ({exc})"
        ) from None
    b_np = as_diagram(target, name_b, api)
    return a, a_np, torch.from_numpy(b_np).to(device=a.device, dtype=a.dtype), b_np


# Essential families (fin, +-inf) are matched on the birth (column 0), (+-inf, fin) on the death.
_FAMILY_AXIS = {"inf_death": 0, "neg_inf_death": 0, "inf_birth": 1, "neg_inf_birth": 1}


def _edge_lengths(
    a: torch.Tensor, b: torch.Tensor, matching, internal_p: float
) -> list[torch.Tensor]:
    """Lengths of all matched edges as 1-D tensors (finite pairs, a and b to the diagonal,
    essential pairs on their finite coordinate)."""
    device = a.device
    edges = []
    if len(matching.finite_to_finite):
        ia, ib = (
            index_tensor(matching.finite_to_finite[:, 0], device),
            index_tensor(matching.finite_to_finite[:, 1], device),
        )
        edges.append(lp_edge_length(a[ia] - b[ib], internal_p))
    if len(matching.a_to_diagonal):
        edges.append(
            diagonal_edge_length(a[index_tensor(matching.a_to_diagonal, device)], internal_p)
        )
    if len(matching.b_to_diagonal):
        edges.append(
            diagonal_edge_length(b[index_tensor(matching.b_to_diagonal, device)], internal_p)
        )
    for family, pairs in zip(ESSENTIAL_FAMILIES, matching.essential):
        if len(pairs):
            axis = _FAMILY_AXIS[family]
            ia, ib = index_tensor(pairs[:, 0], device), index_tensor(pairs[:, 1], device)
            edges.append((a[ia, axis] - b[ib, axis]).abs())
    return edges


def wasserstein_cost(
    dgm_a: torch.Tensor,
    dgm_b: torch.Tensor,
    wasserstein_q: float = 1.0,
    wasserstein_delta: float = 0.05,
    internal_p: float = math.inf,
    ignore_inf_points: bool = True,
) -> torch.Tensor:
    """Wasserstein matching cost: the sum over matched pairs of (L_p edge length) ** q, so
    ``cost ** (1 / q)`` is W_q.

    One matching is computed in C++ on detached float64 copies; the cost is rebuilt in torch along
    it, so the gradient is exact for the fixed matching. Finite pairs get gradients through both
    points, points matched to the diagonal through their distance to it, essential pairs (kept when
    ``ignore_inf_points=False``) through their finite coordinate. Points with birth == death get no
    gradient. Equal multisets in any row order give 0.

    Parameters
    ----------
    dgm_a : torch.Tensor
        Shape (n, 2) of (birth, death) rows, any real dtype (integers become float64) and device.
    dgm_b : torch.Tensor or array_like
        Shape (m, 2): a tensor on dgm_a's device, or a numpy array / nested list (the target),
        converted to dgm_a's floating dtype and device.
    wasserstein_q : float, default 1.0
        The exponent q, finite and >= 1.
    wasserstein_delta : float, default 0.05
        Relative error of the matching, >= 0 (0: exact).
    internal_p : float, default inf
        Ground L_p norm of the edges, >= 1 (or inf).
    ignore_inf_points : bool, default True
        Drop essential points; False matches them by rank within their family.

    Returns
    -------
    torch.Tensor
        0-d, in dgm_a's floating dtype and on its device, with gradients to both diagrams.

    Raises
    ------
    TypeError
        A non-tensor ``dgm_a``, a whole ``PersistenceDiagrams``, non-numeric parameters.
    ValueError
        Wrong shapes, NaN, parameters out of range, essential point counts that differ within a
        family (with ``ignore_inf_points=False``).
    """
    api = "wasserstein_cost"
    q = check_q(wasserstein_q, api, "wasserstein_q")
    delta = check_delta(wasserstein_delta, api, "wasserstein_delta")
    internal_p = check_internal_p(internal_p, api)
    ignore_inf_points = check_flag(ignore_inf_points, "ignore_inf_points", api)
    a, a_np, b, b_np = diagram_and_target(dgm_a, dgm_b, ("dgm_a", "dgm_b"), api)
    matching = _matching(
        _core.wasserstein_matching(a_np, b_np, q, delta, internal_p, ignore_inf_points, api)
    )
    total = zero_like_graph(a, b)
    for lengths in _edge_lengths(a, b, matching, internal_p):
        total = total + (lengths**q).sum()
    return total


def bottleneck_cost(
    dgm_a: torch.Tensor, dgm_b: torch.Tensor, delta: float = 0.0, ignore_inf_points: bool = True
) -> torch.Tensor:
    """Bottleneck matching cost: the length of the longest edge of a bottleneck matching (L_inf
    ground metric).

    ``delta = 0`` (default) uses an exact bottleneck matching, so the value is the bottleneck
    distance; ``delta > 0`` a matching within a factor (1 + delta). The gradient flows through the
    longest matched edge only.

    Parameters
    ----------
    dgm_a : torch.Tensor
        Shape (n, 2) of (birth, death) rows, any real dtype (integers become float64) and device.
    dgm_b : torch.Tensor or array_like
        Shape (m, 2): a tensor on dgm_a's device, or a numpy array / nested list (the target),
        converted to dgm_a's floating dtype and device.
    delta : float, default 0.0
        Relative error of the matching, >= 0 (0: exact).
    ignore_inf_points : bool, default True
        Drop essential points; False matches them by rank within their family.

    Returns
    -------
    torch.Tensor
        0-d, in dgm_a's floating dtype and on its device, with gradients to both diagrams (0 when
        nothing is matched).

    Raises
    ------
    TypeError, ValueError
        As ``wasserstein_cost``.
    """
    api = "bottleneck_cost"
    delta = check_delta(delta, api)
    ignore_inf_points = check_flag(ignore_inf_points, "ignore_inf_points", api)
    a, a_np, b, b_np = diagram_and_target(dgm_a, dgm_b, ("dgm_a", "dgm_b"), api)
    matching = _matching(_core.bottleneck_matching(a_np, b_np, delta, ignore_inf_points, api))
    edges = _edge_lengths(a, b, matching, math.inf)
    if not edges:
        return zero_like_graph(a, b)
    return torch.cat(edges).max() + zero_like_graph(a, b)
