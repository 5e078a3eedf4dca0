"""Threads on explicit complexes: calydon with n_threads=2 against n_threads=1 (and gudhi where it
computes the same thing), on a 3-D alpha filtration (forward and forward+backward through
calydon.diff), a 3-D cubical filtration reduced as an explicit complex, and a user Filtration.

    .venv/bin/python benchmarks/bench_threads.py                 # 10k alpha, 48^3 cubical, clique
    .venv/bin/python benchmarks/bench_threads.py --points 10000 --side 64 --repeat 5
    .venv/bin/python benchmarks/bench_threads.py --quick         # a smoke run

Times are wall-clock seconds, best of --repeat rounds after one warm-up round, each round
running one thread then two (interleaved, so a drifting machine slows both alike); the alpha
table also gives the median round of each column. torch runs on one thread throughout, so only
calydon's own threads differ between the columns. The tables' ratio
"n_threads=1 / n_threads=2" is the speed-up of two threads (above 1: two threads are faster).
The load average is printed before and after: on a shared machine, a load above the number of
cores makes the speed-up meaningless. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import inspect
import os
import statistics

import numpy as np
import torch

import calydon
from _harness import (
    best_of,
    best_time,
    best_times_interleaved,
    missing,
    print_table,
    times_interleaved,
)
from calydon import diff
from generators import random_cloud, smooth_field  # tests/python/generators.py

ONE, TWO = "n_threads=1", "n_threads=2"
THREADS = ((ONE, 1), (TWO, 2))


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} cores"


def _alpha_builder_takes_threads() -> bool:
    return "n_threads" in inspect.signature(diff.alpha_filtration).parameters


def alpha_run(points: np.ndarray, n_threads: int, backward: bool) -> None:
    x = torch.tensor(points, requires_grad=backward)
    extra = {"n_threads": n_threads} if _alpha_builder_takes_threads() else {}
    dgms = diff.persistence_diagram(diff.alpha_filtration(x, **extra), n_threads=n_threads)
    if backward:
        sum((d[:, 1] - d[:, 0]).sum() for d in dgms.values()).backward()


def gudhi_alpha(points: np.ndarray) -> None:
    import gudhi

    gudhi.AlphaComplex(points=points).create_simplex_tree().persistence()


def clique_filtration(n_vertices: int, p: float, seed: int) -> calydon.Filtration:
    """The clique complex (to dimension 3) of a random graph; values: max of uniform draws over
    the faces."""
    rng = np.random.default_rng(seed)
    adj = np.triu(rng.random((n_vertices, n_vertices)) < p, 1)
    adj = adj | adj.T
    simplices, values, value_of = [], [], {}
    layer = [(v,) for v in range(n_vertices)]
    for _ in range(4):
        nxt = []
        for s in layer:
            faces = [s[:i] + s[i + 1 :] for i in range(len(s))] if len(s) > 1 else []
            value_of[s] = max([float(rng.random())] + [value_of[f] for f in faces])
            simplices.append(list(s))
            values.append(value_of[s])
            nxt += [s + (w,) for w in range(s[-1] + 1, n_vertices) if all(adj[u, w] for u in s)]
        layer = nxt
    return calydon.Filtration(simplices, values)


def alpha_rows(n_points: int, repeat: int) -> list[dict]:
    """Best rounds, then median rounds (steadier on a host whose speed drifts, where one lucky
    round moves a best)."""
    points = random_cloud(n_points, 3, seed=0)
    rows, medians = [], []
    for backward in (False, True):
        case = f"alpha {n_points // 1000}k 3-D {'fwd+bwd' if backward else 'fwd'}"
        times = times_interleaved(
            {label: (lambda nt=nt: alpha_run(points, nt, backward)) for label, nt in THREADS},
            repeat,
        )
        rows.append({"case": case} | best_of(times))
        medians.append(
            {"case": f"{case}, median round"}
            | {label: statistics.median(ts) for label, ts in times.items()}
        )
    rows += medians
    if not missing("gudhi"):
        rows[0]["gudhi (diagram only)"] = best_time(lambda: gudhi_alpha(points), repeat)
    return rows


def cubical_rows(side: int, repeat: int) -> list[dict]:
    volume = smooth_field((side, side, side), np.random.default_rng(1), 2.0)
    fil = calydon.cube_filtration(volume, values_on="cells")
    rows = []
    for dualize in (False, True):
        row = {"case": f"cubical {side}^3 explicit, {'cohomology' if dualize else 'homology'}"}
        row |= best_times_interleaved(
            {
                label: (lambda nt=nt: calydon.compute_diagrams(fil, dualize=dualize, n_threads=nt))
                for label, nt in THREADS
            },
            repeat,
        )
        rows.append(row)
    if not missing("gudhi"):
        import gudhi

        def run_gudhi():
            gudhi.CubicalComplex(top_dimensional_cells=volume).persistence()

        rows[0]["gudhi"] = best_time(run_gudhi, repeat)
    return rows


def user_rows(n_vertices: int, repeat: int) -> list[dict]:
    fil = clique_filtration(n_vertices, 0.3, seed=2)
    cases = {
        f"clique complex ({fil.size()} cells): compute_diagrams": lambda nt: (
            calydon.compute_diagrams(fil, n_threads=nt)
        ),
        "  same, Decomposition without fast paths": lambda nt: calydon.Decomposition(
            fil, n_threads=nt
        ),
        "  same, Decomposition with V (canonical)": lambda nt: calydon.Decomposition(
            fil, compute_v=True, n_threads=nt
        ),
    }
    rows = []
    for name, run in cases.items():
        row = {"case": name}
        row |= best_times_interleaved(
            {label: (lambda nt=nt: run(nt)) for label, nt in THREADS}, repeat
        )
        rows.append(row)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--points", type=int, default=10000, help="alpha cloud size (3-D)")
    parser.add_argument("--side", type=int, default=48, help="cubical volume side")
    parser.add_argument("--vertices", type=int, default=150, help="clique complex vertices")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="smoke run: small inputs, 1 repeat")
    args = parser.parse_args()
    if args.quick:
        args.points, args.side, args.vertices, args.repeat = 2000, 16, 60, 1
    torch.set_num_threads(1)
    print(_load())
    if not _alpha_builder_takes_threads():
        print("note: diff.alpha_filtration takes no n_threads here: its builder runs serially")
    elif not getattr(calydon._core, "HAVE_PARALLEL_DELAUNAY", False):
        print("note: this calydon triangulates on one thread")
    tables = {
        "3-D alpha through calydon.diff": alpha_rows(args.points, args.repeat),
        "3-D cubical filtration reduced as an explicit complex": cubical_rows(
            args.side, args.repeat
        ),
        "user Filtration": user_rows(args.vertices, args.repeat),
    }
    for title, rows in tables.items():
        print_table(title, rows, baseline=TWO)
    print(f"\n{_load()}")


if __name__ == "__main__":
    main()
