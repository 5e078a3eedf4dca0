"""Independent references for the diagram distances (nothing here imports calydon).

* ``augmented_cost_matrix``: the diagonal-augmented assignment problem written from its
  definition, solved with scipy's ``linear_sum_assignment`` or POT's ``ot.emd2``.
* ``brute_bottleneck``: smallest threshold at which the augmented graph has a perfect matching,
  by trying every candidate edge length (feasibility from scipy on a 0/1 cost matrix).
* ``essential_split``: the four essential families of a diagram, sorted.
* ``random_diagram``: off-diagonal points in general position.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.optimize import linear_sum_assignment


def lp_norm(dx: np.ndarray, dy: np.ndarray, p: float) -> np.ndarray:
    dx, dy = np.abs(dx), np.abs(dy)
    if p == math.inf:
        return np.maximum(dx, dy)
    return (dx**p + dy**p) ** (1.0 / p)


def finite_offdiagonal(dgm) -> np.ndarray:
    d = np.asarray(dgm, dtype=np.float64).reshape(-1, 2)
    d = d[np.isfinite(d).all(axis=1)]
    return d[d[:, 0] != d[:, 1]]


def augmented_cost_matrix(a, b, q: float = 1.0, p: float = math.inf) -> np.ndarray:
    """Rows: points of a, then one diagonal slot per point of b; columns: points of b, then one
    diagonal slot per point of a. A point may use any diagonal slot of the other side at the cost
    of its distance to the diagonal (to ((b+d)/2, (b+d)/2))."""
    a, b = finite_offdiagonal(a), finite_offdiagonal(b)
    n, m = len(a), len(b)
    half_a, half_b = np.abs(a[:, 1] - a[:, 0]) / 2, np.abs(b[:, 1] - b[:, 0]) / 2
    c = np.zeros((n + m, n + m))
    c[:n, :m] = lp_norm(a[:, None, 0] - b[None, :, 0], a[:, None, 1] - b[None, :, 1], p) ** q
    c[:n, m:] = (lp_norm(half_a, half_a, p) ** q)[:, None]
    c[n:, :m] = (lp_norm(half_b, half_b, p) ** q)[None, :]
    return c


def scipy_wasserstein_cost(a, b, q: float = 1.0, p: float = math.inf) -> float:
    c = augmented_cost_matrix(a, b, q, p)
    if c.size == 0:
        return 0.0
    rows, cols = linear_sum_assignment(c)
    return float(c[rows, cols].sum())


def scipy_wasserstein(a, b, q: float = 1.0, p: float = math.inf) -> float:
    return scipy_wasserstein_cost(a, b, q, p) ** (1.0 / q)


def pot_wasserstein(a, b, q: float = 1.0, p: float = math.inf) -> float:
    import ot

    c = augmented_cost_matrix(a, b, q, p)
    if c.size == 0:
        return 0.0
    w = np.ones(len(c))
    return float(ot.emd2(w, w, c)) ** (1.0 / q)


def brute_bottleneck(a, b) -> float:
    """Exact bottleneck distance of the finite parts: the first candidate length at which a
    perfect matching exists among edges not longer than it."""
    a, b = finite_offdiagonal(a), finite_offdiagonal(b)
    n, m = len(a), len(b)
    if n + m == 0:
        return 0.0
    e = np.zeros((n + m, n + m))
    e[:n, :m] = np.maximum(
        np.abs(a[:, None, 0] - b[None, :, 0]), np.abs(a[:, None, 1] - b[None, :, 1])
    )
    e[:n, m:] = (np.abs(a[:, 1] - a[:, 0]) / 2)[:, None]
    e[n:, :m] = (np.abs(b[:, 1] - b[:, 0]) / 2)[None, :]
    for threshold in np.unique(e):
        too_long = (e > threshold).astype(float)
        rows, cols = linear_sum_assignment(too_long)
        if too_long[rows, cols].sum() == 0:
            return float(threshold)
    raise AssertionError("unreachable: the largest edge always admits a perfect matching")


FAMILIES = ("inf_death", "neg_inf_death", "inf_birth", "neg_inf_birth")


def essential_split(dgm) -> dict[str, np.ndarray]:
    """Sorted finite coordinates of each essential family."""
    d = np.asarray(dgm, dtype=np.float64).reshape(-1, 2)
    b, e = d[:, 0], d[:, 1]
    return {
        "inf_death": np.sort(b[np.isfinite(b) & (e == math.inf)]),
        "neg_inf_death": np.sort(b[np.isfinite(b) & (e == -math.inf)]),
        "inf_birth": np.sort(e[np.isfinite(e) & (b == math.inf)]),
        "neg_inf_birth": np.sort(e[np.isfinite(e) & (b == -math.inf)]),
    }


def random_diagram(rng: np.random.Generator, n: int, scale: float = 1.0) -> np.ndarray:
    births = rng.random(n) * scale
    return np.stack([births, births + rng.random(n) * scale + 1e-3], axis=1)
