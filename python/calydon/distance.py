"""Distances and matchings between persistence diagrams (no autograd; see ``calydon.diff`` for
the differentiable losses).

A diagram is array-like of shape (n, 2) holding (birth, death) rows; numpy arrays, nested lists
and torch tensors (detached) are accepted and converted to float64. An empty array of any shape
is an empty diagram. Points with birth == death lie on the diagonal and are ignored. Essential
points have exactly one infinite coordinate and fall into four families,
(finite, +inf), (finite, -inf), (+inf, finite), (-inf, finite); they are matched only within
their family, by rank of the finite coordinate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from . import _core

ESSENTIAL_FAMILIES = ("inf_death", "neg_inf_death", "inf_birth", "neg_inf_birth")


def as_diagram(x: Any, name: str, api: str) -> np.ndarray:
    """C-contiguous float64 (n, 2) copy of a diagram, after the checks every distance API makes.

    TypeError for a non-numeric dtype; ValueError for a wrong shape, NaN, or a point whose two
    coordinates are infinite with opposite signs (no family can match it).
    """
    if hasattr(x, "detach") and hasattr(x, "cpu"):  # a torch tensor, without importing torch
        x = x.detach().cpu()
        if str(x.dtype) == "torch.bool" or x.is_complex():
            raise TypeError(f"{api}: {name} must have a real numeric dtype, got {x.dtype}")
        x = x.double().numpy()
    arr = np.asarray(x)
    if arr.dtype.kind not in "iuf":
        raise TypeError(f"{api}: {name} must have a real numeric dtype, got {arr.dtype}")
    if arr.size == 0:
        return np.empty((0, 2), dtype=np.float64)
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise ValueError(f"{api}: {name} must have shape (n, 2), got shape {arr.shape}")
    arr = np.ascontiguousarray(arr, dtype=np.float64)
    nan_rows = np.flatnonzero(np.isnan(arr).any(axis=1))
    if nan_rows.size:
        r = nan_rows[0]
        raise ValueError(
            f"{api}: {name} must not contain NaN, got {tuple(arr[r].tolist())} in row {r}"
        )
    crossed = np.flatnonzero(np.isinf(arr).all(axis=1) & (arr[:, 0] != arr[:, 1]))
    if crossed.size:
        r = crossed[0]
        raise ValueError(
            f"{api}: {name} must not contain points with two infinite coordinates of opposite sign, "
            f"got {tuple(arr[r].tolist())} in row {r}"
        )
    return arr


def _real(value: Any, name: str, api: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{api}: {name} must be a real number, got {type(value).__name__}")
    return float(value)


def check_q(q: Any, api: str, name: str = "q") -> float:
    q = _real(q, name, api)
    if not (q >= 1.0 and math.isfinite(q)):
        raise ValueError(f"{api}: {name} must be a finite number >= 1, got {q}")
    return q


def check_delta(delta: Any, api: str, name: str = "delta") -> float:
    delta = _real(delta, name, api)
    if not (delta >= 0.0 and math.isfinite(delta)):
        raise ValueError(f"{api}: {name} must be a finite number >= 0, got {delta}")
    return delta


def check_internal_p(p: Any, api: str, name: str = "internal_p") -> float:
    p = _real(p, name, api)
    if not p >= 1.0:
        raise ValueError(f"{api}: {name} must be >= 1 (or inf), got {p}")
    return p


def check_flag(value: Any, name: str, api: str) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{api}: {name} must be a bool, got {type(value).__name__}")
    return bool(value)


class EssentialMatching(NamedTuple):
    """The matching of essential points, family by family.

    Attributes
    ----------
    inf_death, neg_inf_death, inf_birth, neg_inf_birth : numpy.ndarray
        int64 arrays of shape (k, 2) of (row in a, row in b) for the families (finite, +inf),
        (finite, -inf), (+inf, finite) and (-inf, finite).
    """

    inf_death: np.ndarray
    neg_inf_death: np.ndarray
    inf_birth: np.ndarray
    neg_inf_birth: np.ndarray


@dataclass(frozen=True)
class DiagramMatching:
    """A matching between diagrams ``a`` and ``b``, as row indices into the inputs.

    Points on the diagonal (birth == death) appear in no bucket.

    Attributes
    ----------
    finite_to_finite : numpy.ndarray
        int64 array of shape (k, 2) of (row in a, row in b) pairs of off-diagonal finite points.
    a_to_diagonal, b_to_diagonal : numpy.ndarray
        int64 arrays of shape (k,): rows matched to their diagonal projection.
    essential : EssentialMatching
        Per-family int64 (k, 2) pairs (empty when essential points were ignored).
    cost : float
        Sum of edge lengths ** q (for a bottleneck matching: the longest edge); it may overflow
        to inf or underflow to 0 for large q where ``distance`` does not.
    distance : float
        ``cost ** (1 / q)`` (for a bottleneck matching: the longest edge).
    """

    finite_to_finite: np.ndarray
    a_to_diagonal: np.ndarray
    b_to_diagonal: np.ndarray
    essential: EssentialMatching
    cost: float
    distance: float


def _matching(raw: tuple) -> DiagramMatching:
    pairs, a_diag, b_diag, essential, cost, distance = raw
    return DiagramMatching(
        pairs, a_diag, b_diag, EssentialMatching(*essential), float(cost), float(distance)
    )


def wasserstein_distance(
    a: Any, b: Any, q: float = 1.0, delta: float = 0.01, internal_p: float = math.inf
) -> float:
    """Wasserstein distance W_q between two diagrams.

    An edge to the diagonal goes to the nearest diagonal point. ``delta > 0`` runs an auction
    whose result is certified to lie within a factor (1 + delta) of the optimum; ``delta = 0`` is
    exact (Hungarian method, O(N^3) time: meant for diagrams of at most a few thousand points).
    Essential points are included: their family counts must agree, otherwise the distance is
    ``inf``.

    Costs are evaluated in units of the bottleneck distance, so any ``q`` (up to 1e6 and beyond)
    and any magnitude of the coordinates give the distance to rounding, and the (1 + delta)
    certificate holds; ``W_q(s a, s b) = s W_q(a, b)``. For large ``q`` (about
    ``q log(1 + delta) >= log N``) a bottleneck matching already meets the certificate and is
    used. ValueError when the distance itself exceeds the largest double.

    Parameters
    ----------
    a, b : array_like, shape (n, 2) and (m, 2)
        Diagrams of (birth, death) rows (numpy, nested lists or torch tensors, read as float64).
    q : float, default 1.0
        The Wasserstein exponent, finite and >= 1.
    delta : float, default 0.01
        Relative error bound, >= 0 (0: exact).
    internal_p : float, default inf
        The L_p norm in [1, inf] that measures one edge.

    Returns
    -------
    float
        W_q(a, b) (``inf`` when the essential family counts differ).
    """
    api = "wasserstein_distance"
    q, delta, internal_p = (
        check_q(q, api),
        check_delta(delta, api),
        check_internal_p(internal_p, api),
    )
    a, b = as_diagram(a, "a", api), as_diagram(b, "b", api)
    return float(_core.wasserstein_distance(a, b, q, delta, internal_p))


def wasserstein_matching(
    a: Any,
    b: Any,
    q: float = 1.0,
    delta: float = 0.01,
    internal_p: float = math.inf,
    ignore_inf_points: bool = True,
) -> DiagramMatching:
    """The (1 + delta)-optimal (``delta = 0``: optimal) W_q matching behind ``wasserstein_distance``.

    Identical multisets are matched point to equal point whatever the row order (cost 0).

    ``distance`` is exact to rounding at any scale (see ``wasserstein_distance``); ``cost`` is
    ``distance ** q`` and overflows to ``inf`` or underflows to 0 where that power is not a double
    (e.g. q = 100 with edges near 1e4).

    Parameters
    ----------
    a, b : array_like, shape (n, 2) and (m, 2)
        Diagrams of (birth, death) rows, read as float64.
    q : float, default 1.0
        The Wasserstein exponent, finite and >= 1.
    delta : float, default 0.01
        Relative error bound, >= 0 (0: exact).
    internal_p : float, default inf
        The L_p norm in [1, inf] that measures one edge.
    ignore_inf_points : bool, default True
        Leave essential points out (their buckets are empty and they add nothing to the cost);
        with False, family counts must agree or ValueError is raised.

    Returns
    -------
    DiagramMatching
        Row indices of the matched pairs, the cost and the distance.
    """
    api = "wasserstein_matching"
    q, delta, internal_p = (
        check_q(q, api),
        check_delta(delta, api),
        check_internal_p(internal_p, api),
    )
    ignore_inf_points = check_flag(ignore_inf_points, "ignore_inf_points", api)
    a, b = as_diagram(a, "a", api), as_diagram(b, "b", api)
    return _matching(_core.wasserstein_matching(a, b, q, delta, internal_p, ignore_inf_points))


def bottleneck_distance(a: Any, b: Any, delta: float = 0.01) -> float:
    """Bottleneck distance (L_inf ground metric) between two diagrams.

    Parameters
    ----------
    a, b : array_like, shape (n, 2) and (m, 2)
        Diagrams of (birth, death) rows, read as float64; essential points as in
        ``wasserstein_distance``.
    delta : float, default 0.01
        ``0`` is exact; ``delta > 0`` returns the longest edge of a matching certified to be
        within a factor (1 + delta) of the optimum.

    Returns
    -------
    float
        The bottleneck distance (``inf`` when the essential family counts differ).
    """
    api = "bottleneck_distance"
    delta = check_delta(delta, api)
    a, b = as_diagram(a, "a", api), as_diagram(b, "b", api)
    return float(_core.bottleneck_distance(a, b, delta))


def bottleneck_matching(
    a: Any, b: Any, delta: float = 0.01, ignore_inf_points: bool = True
) -> DiagramMatching:
    """A bottleneck matching; ``cost`` and ``distance`` both hold its longest edge.

    Parameters
    ----------
    a, b : array_like, shape (n, 2) and (m, 2)
        Diagrams of (birth, death) rows, read as float64.
    delta : float, default 0.01
        Relative error bound, >= 0 (0: exact).
    ignore_inf_points : bool, default True
        Leave essential points out; with False, family counts must agree or ValueError is
        raised.

    Returns
    -------
    DiagramMatching
        Row indices of the matched pairs; ``cost == distance`` is the longest edge.
    """
    api = "bottleneck_matching"
    delta = check_delta(delta, api)
    ignore_inf_points = check_flag(ignore_inf_points, "ignore_inf_points", api)
    a, b = as_diagram(a, "a", api), as_diagram(b, "b", api)
    return _matching(_core.bottleneck_matching(a, b, delta, ignore_inf_points))
