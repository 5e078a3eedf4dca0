"""Deterministic inputs shared by the test suite and benchmarks/ (numpy only, no calydon import).

Every generator takes a ``seed`` (an int, or a ``numpy.random.Generator``, which
``np.random.default_rng`` passes through unchanged so several calls can share one stream) and
returns float64 arrays.

* ``smooth_field``: a Gaussian-smoothed standard normal field (images and volumes).
* ``gaussian_smooth``: the separable Gaussian filter behind it (``scipy.ndimage.gaussian_filter``
  with its defaults, reflect boundary and truncate=4, up to rounding; numpy only).
* ``noisy_circle``: points on the unit circle plus Gaussian noise.
* ``random_cloud``: uniform points in the unit cube, optionally snapped to an integer lattice.
* ``random_diagram``: births uniform in [0, scale), deaths = birth + uniform [0, scale).

The benchmarks reach this file through the sys.path entry added in ``benchmarks/_harness.py``;
the tests through ``conftest.py``.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np


def gaussian_smooth(x: np.ndarray, sigma: float, truncate: float = 4.0) -> np.ndarray:
    """Gaussian filter along every axis; the boundary reflects (d c b a | a b c d | d c b a)."""
    radius = int(truncate * float(sigma) + 0.5)
    taps = np.arange(-radius, radius + 1, dtype=np.float64)
    weights = np.exp(-0.5 / float(sigma) ** 2 * taps**2)
    weights /= weights.sum()
    out = np.asarray(x, dtype=np.float64)
    for axis in range(out.ndim):
        moved = np.moveaxis(out, axis, 0)
        padded = np.pad(moved, [(radius, radius)] + [(0, 0)] * (out.ndim - 1), mode="symmetric")
        n = moved.shape[0]
        acc = np.zeros_like(moved)
        for k, w in enumerate(weights):
            acc += w * padded[k : k + n]
        out = np.moveaxis(acc, 0, axis)
    return np.ascontiguousarray(out)


def smooth_field(
    shape: Sequence[int], seed: int | np.random.Generator = 0, sigma: float = 3.0
) -> np.ndarray:
    """Standard normal noise of the given shape, smoothed by a Gaussian of width ``sigma``."""
    rng = np.random.default_rng(seed)
    return gaussian_smooth(rng.standard_normal(tuple(shape)), sigma)


def noisy_circle(n: int, seed: int | np.random.Generator = 0, noise: float = 0.1) -> np.ndarray:
    """(n, 2): angles uniform in [0, 2 pi) on the unit circle, plus N(0, noise^2) per coordinate."""
    rng = np.random.default_rng(seed)
    t = rng.uniform(0, 2 * np.pi, n)
    return np.stack([np.cos(t), np.sin(t)], 1) + rng.normal(0, noise, (n, 2))


def random_cloud(
    n: int, d: int, seed: int | np.random.Generator = 0, lattice: int = 0
) -> np.ndarray:
    """(n, d) uniform in [0, 1)^d; with ``lattice`` > 0, floor(x * lattice) (many ties, duplicates)."""
    rng = np.random.default_rng(seed)
    x = rng.random((n, d))
    return np.floor(x * lattice) if lattice else x


def random_diagram(
    n: int, seed: int | np.random.Generator = 0, scale: float = 1.0, min_persistence: float = 0.0
) -> np.ndarray:
    """(n, 2) finite off-diagonal points: birth uniform in [0, scale), death = birth + uniform
    [0, scale) + ``min_persistence``."""
    rng = np.random.default_rng(seed)
    births = rng.random(n) * scale
    return np.stack([births, births + rng.random(n) * scale + min_persistence], axis=1)
