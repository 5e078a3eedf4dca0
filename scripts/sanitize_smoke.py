"""Every builder once, small, under AddressSanitizer (run by `make test-sanitize`).

The extension is built with -fsanitize=address,undefined and loaded into an ordinary Python with
the ASan runtime preloaded; leak detection is off, because the interpreter itself does not free
everything at exit. Any memory error aborts the process with a report; the script checks a few
results against each other so that a silently wrong answer fails too.
"""

from __future__ import annotations

import numpy as np

import calydon


def grids(rng: np.random.Generator) -> None:
    for shape in [(7,), (6, 5), (4, 5, 3), (3, 3, 2, 3)]:
        data = rng.integers(0, 4, size=shape).astype(np.float64)  # ties
        for wrap in (False, True):
            if wrap and min(shape) < 3:
                continue
            for values_on in ("vertices", "cells"):
                implicit = calydon.compute_diagrams_cubical(data, values_on=values_on, wrap=wrap)
                fil = calydon.cube_filtration(data, values_on=values_on, wrap=wrap)
                explicit = calydon.compute_diagrams(fil)
                for d in range(data.ndim):
                    assert sorted(map(tuple, implicit[d])) == sorted(map(tuple, explicit[d]))
            calydon.compute_diagrams_ls(data, wrap=wrap)
            calydon.Decomposition(calydon.freudenthal_filtration(data, wrap=wrap), True)


def point_clouds(rng: np.random.Generator) -> None:
    points = rng.random((40, 2))
    vr = calydon.compute_diagrams_vr(points, max_dim=2)
    explicit = calydon.compute_diagrams(calydon.vr_filtration(points, max_dim=2))
    assert len(vr[1]) == len(explicit[1])
    calydon.compute_diagrams_alpha(points)
    calydon.compute_diagrams_alpha(rng.random((40, 3)))
    calydon.cech_delaunay_filtration(points)
    calydon.weak_alpha_filtration(points)


def distances(rng: np.random.Generator) -> None:
    a = np.sort(rng.random((30, 2)), axis=1)
    b = np.sort(rng.random((25, 2)), axis=1)
    exact = calydon.wasserstein_distance(a, b, q=2, delta=0)
    approx = calydon.wasserstein_distance(a, b, q=2, delta=0.01)
    assert exact <= approx <= 1.01 * exact + 1e-12
    assert (
        calydon.bottleneck_distance(a, b) <= calydon.bottleneck_distance(a, b, delta=0.01) + 1e-12
    )


def critical_sets(rng: np.random.Generator) -> None:
    fil = calydon.freudenthal_filtration(rng.random((8, 8)))
    opt = calydon.TopologyOptimizer(fil)
    dgm = calydon.compute_diagrams(fil)[0]
    opt.singletons(np.arange(min(3, len(dgm))), np.zeros(min(3, len(dgm))))


def main() -> None:
    rng = np.random.default_rng(0)
    grids(rng)
    point_clouds(rng)
    distances(rng)
    critical_sets(rng)
    print("sanitize smoke: every builder ran clean under ASan/UBSan")


if __name__ == "__main__":
    main()
