"""Runtime of the differentiable alpha and Čech–Delaunay filtrations on the same clouds.

Both filtrations live on the same Delaunay complex; they differ in the value of a simplex: the
squared radius of its smallest empty circumsphere (alpha, with attached simplices taking their
coface's value) or of the minimum enclosing ball of its vertices (Čech–Delaunay, recomputed in
torch from the ball's support set). For uniform clouds in the unit square and cube we time, best
of ``--repeats``: building the filtration, the diagrams, and the backward of a total squared
persistence loss.

Prints a table and saves out/09_alpha_vs_cech_runtime.png (total time against the number of
points, 2-D and 3-D).

    .venv/bin/python examples/09_alpha_vs_cech_runtime.py
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np
import torch

import calydon.diff as diff

BUILDERS = {"alpha": diff.alpha_filtration, "cech-delaunay": diff.cech_delaunay_filtration}


def timed_run(x: np.ndarray, builder) -> tuple[float, float, float, int]:
    """(build, diagram, backward) seconds of one run, and the number of cells."""
    points = torch.tensor(x, requires_grad=True)
    t0 = time.perf_counter()
    fil = builder(points)
    t1 = time.perf_counter()
    dgms = diff.persistence_diagram(fil)
    t2 = time.perf_counter()
    loss = sum((d[:, 1] - d[:, 0]).pow(2).sum() for d in dgms.values())
    loss.backward()
    t3 = time.perf_counter()
    return t1 - t0, t2 - t1, t3 - t2, fil.size()


def best_of(x: np.ndarray, builder, repeats: int) -> tuple[float, float, float, int]:
    runs = [timed_run(x, builder) for _ in range(repeats)]
    return min(runs, key=lambda r: sum(r[:3]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 3000, 9000])
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--out", default="out/09_alpha_vs_cech_runtime.png")
    args = parser.parse_args()

    rng = np.random.default_rng(0)
    for dim in (2, 3):  # warm-up: first calls load CGAL and torch kernels
        for builder in BUILDERS.values():
            timed_run(rng.uniform(size=(200, dim)), builder)
    totals = {}
    print(
        f"{'dim':>3} {'points':>7} {'filtration':>14} {'cells':>9} {'build [s]':>10} {'diagram [s]':>12} "
        f"{'backward [s]':>13} {'total [s]':>10}"
    )
    for dim in (2, 3):
        for n in args.sizes:
            x = rng.uniform(size=(n, dim))
            for name, builder in BUILDERS.items():
                build, dgm, bwd, cells = best_of(x, builder, args.repeats)
                totals[(dim, name, n)] = build + dgm + bwd
                print(
                    f"{dim:>3} {n:>7} {name:>14} {cells:>9} {build:>10.4f} {dgm:>12.4f} {bwd:>13.4f} "
                    f"{build + dgm + bwd:>10.4f}",
                    flush=True,
                )
    for dim in (2, 3):
        ratios = [totals[(dim, "cech-delaunay", n)] / totals[(dim, "alpha", n)] for n in args.sizes]
        print(f"{dim}-D: cech-delaunay / alpha total time: {', '.join(f'{r:.2f}' for r in ratios)}")
    save_figure(totals, args.sizes, args.out)
    print(f"figure saved to {args.out}")


def save_figure(totals, sizes, path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for ax, dim in zip(axes, (2, 3)):
        for name, marker in zip(BUILDERS, "os"):
            ax.loglog(sizes, [totals[(dim, name, n)] for n in sizes], marker=marker, label=name)
        ax.set_title(f"{dim}-D uniform cloud: build + diagram + backward")
        ax.set_xlabel("points")
        ax.set_ylabel("seconds (best of repeats)")
        ax.legend()
    fig.tight_layout()
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    fig.savefig(path, dpi=100)


if __name__ == "__main__":
    main()
