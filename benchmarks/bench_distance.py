"""Diagram distances: calydon against Hera (gudhi.hera), oineus (Hera inside) and POT.

All libraries run in this one process on the same random diagrams (births uniform in [0, 1),
deaths = birth + uniform [0, 1)). Each cell is the CPU time of one call (time.process_time: the
work is single-threaded, and CPU time is robust to other load on a shared machine); the ratio
columns are peer / calydon, so above 1 means calydon is faster. POT solves the diagonal-augmented
(2n x 2n) assignment exactly with ot.emd2 and is only run up to --pot-max points (O(n^2) memory,
roughly O(n^3) time); the approximate solvers are compared at the same delta.

    .venv/bin/python benchmarks/bench_distance.py                       # 1k, 10k, 100k
    .venv/bin/python benchmarks/bench_distance.py --sizes 1000 10000 --peer-max 10000
    .venv/bin/python benchmarks/bench_distance.py --sizes 5000 --only pot
    .venv/bin/python benchmarks/bench_distance.py --quick                # 500 points (a smoke run)
    .venv/bin/python benchmarks/bench_distance.py --sliced-only          # sliced W. vs oineus.diff

The sliced Wasserstein table compares calydon.diff.sliced_wasserstein_distance with
oineus.diff.sliced_wasserstein_distance on the same torch float64 diagrams and the same number
of directions (each draws its own), forward alone and forward + backward (the gradient of both
diagrams' points); best wall time of --repeat calls, torch limited to --torch-threads threads.

Times are printed, never asserted. Peers that are not installed are reported as such.
"""

from __future__ import annotations

import argparse
import math

import numpy as np

import calydon
from _harness import RATIO_NOTE, best_time, cpu_time, fmt_ratio, missing, print_table
from generators import random_diagram  # tests/python/generators.py (sys.path set by _harness)

CASES = [  # (label, kind, q, delta)
    ("W1 d=0.01", "wasserstein", 1.0, 0.01),
    ("W1 d=0.05", "wasserstein", 1.0, 0.05),
    ("W2 d=0.01", "wasserstein", 2.0, 0.01),
    ("W2 d=0.05", "wasserstein", 2.0, 0.05),
    ("bottleneck d=0.01", "bottleneck", None, 0.01),
]


def timed(fn):
    """(CPU seconds of one call, its value as a float)."""
    seconds, value = cpu_time(fn)
    return seconds, float(value)


def calydon_call(kind, a, b, q, delta):
    if kind == "wasserstein":
        return lambda: calydon.wasserstein_distance(a, b, q=q, delta=delta)
    return lambda: calydon.bottleneck_distance(a, b, delta=delta)


def hera_call(kind, a, b, q, delta):
    from gudhi import hera

    if kind == "wasserstein":
        return lambda: hera.wasserstein_distance(a, b, order=q, internal_p=math.inf, delta=delta)
    return lambda: hera.bottleneck_distance(a, b, delta)


def oineus_call(kind, a, b, q, delta):
    import oineus

    if kind == "wasserstein":
        return lambda: oineus.wasserstein_distance(a, b, q=q, delta=delta, internal_p=math.inf)
    return lambda: oineus.bottleneck_distance(a, b, delta=delta)


def pot_call(kind, a, b, q, delta):
    if kind != "wasserstein":
        return None
    import ot

    def solve():
        n, m = len(a), len(b)
        cost = np.zeros((n + m, n + m))
        cost[:n, :m] = (
            np.maximum(np.abs(a[:, None, 0] - b[None, :, 0]), np.abs(a[:, None, 1] - b[None, :, 1]))
            ** q
        )
        cost[:n, m:] = ((a[:, 1] - a[:, 0]) / 2)[:, None] ** q
        cost[n:, :m] = ((b[:, 1] - b[:, 0]) / 2)[None, :] ** q
        weights = np.ones(n + m)
        return ot.emd2(weights, weights, cost, numItermax=10**9) ** (1 / q)

    return solve


PEERS = {"hera": hera_call, "oineus": oineus_call, "pot": pot_call}
MODULES = {"hera": "gudhi.hera", "oineus": "oineus", "pot": "ot"}


def available(name: str) -> bool:
    return missing(MODULES[name]) is None


def sliced_rows(sizes: list[int], n_directions: int, repeats: int) -> list[dict]:
    """Rows of the sliced Wasserstein table: calydon and oineus, forward and forward+backward."""
    import torch

    import calydon.diff as cdiff

    peers = {"calydon": cdiff.sliced_wasserstein_distance}
    if missing("oineus.diff") is None:
        import oineus.diff as odiff

        peers["oineus"] = odiff.sliced_wasserstein_distance
    rows = []
    for n in sizes:
        a0, b0 = torch.from_numpy(random_diagram(n, 1)), torch.from_numpy(random_diagram(n, 2))
        row = {"case": f"n={n} K={n_directions}"}
        for name, sliced in peers.items():
            row[name] = best_time(lambda: sliced(a0, b0, n_directions=n_directions), repeats)
            a, b = a0.clone().requires_grad_(True), b0.clone().requires_grad_(True)
            row[f"{name} fwd+bwd"] = best_time(
                lambda: sliced(a, b, n_directions=n_directions).backward(), repeats
            )
        rows.append(row)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument(
        "--peer-max", type=int, default=100000, help="largest size at which Hera/oineus run"
    )
    parser.add_argument("--pot-max", type=int, default=5000, help="largest size at which POT runs")
    parser.add_argument(
        "--only", nargs="+", choices=sorted(PEERS), help="peers to run (default: all)"
    )
    parser.add_argument("--cases", nargs="+", help="labels of CASES to run (default: all)")
    parser.add_argument(
        "--quick", action="store_true", help="smoke run: --sizes 500 (POT included)"
    )
    parser.add_argument(
        "--sliced-sizes", type=int, nargs="+", default=[1000, 10000, 100000], metavar="N"
    )
    parser.add_argument("--directions", type=int, default=64, help="sliced W.: directions")
    parser.add_argument("--repeat", type=int, default=5, help="sliced W.: best of N calls")
    parser.add_argument("--torch-threads", type=int, default=1, help="sliced W.: torch threads")
    parser.add_argument("--sliced-only", action="store_true", help="only the sliced W. table")
    parser.add_argument("--no-sliced", action="store_true", help="skip the sliced W. table")
    args = parser.parse_args()
    if not args.no_sliced:
        import torch

        torch.set_num_threads(args.torch_threads)
        sizes = [500] if args.quick else args.sliced_sizes
        rows = sliced_rows(sizes, args.directions, 2 if args.quick else args.repeat)
        print_table("sliced Wasserstein distance (calydon.diff vs oineus.diff)", rows)
    if args.sliced_only:
        return
    if args.quick:
        args.sizes, args.peer_max, args.pot_max = (
            [500],
            max(args.peer_max, 500),
            max(args.pot_max, 500),
        )

    peers = [p for p in (args.only or sorted(PEERS)) if available(p)]
    absent = [p for p in (args.only or sorted(PEERS)) if p not in peers]
    print(
        f"calydon {calydon.__version__}; peers: {', '.join(peers)}"
        + (f"; not installed: {', '.join(absent)}" if absent else "")
    )
    print(f"CPU seconds per call; {RATIO_NOTE}")
    header = f"{'case':<18} {'n':>7} {'calydon s':>10}"
    for p in peers:
        header += f" {p + ' s':>10} {'ratio':>7}"
    print(header)
    print("-" * len(header))
    for n in args.sizes:
        a, b = random_diagram(n, 1), random_diagram(n, 2)
        for label, kind, q, delta in CASES:
            if args.cases and label not in args.cases:
                continue
            t_ours, v_ours = timed(calydon_call(kind, a, b, q, delta))
            row = f"{label:<18} {n:>7} {t_ours:>10.3f}"
            for p in peers:
                limit = args.pot_max if p == "pot" else args.peer_max
                call = PEERS[p](kind, a, b, q, delta) if n <= limit else None
                if call is None:
                    row += f" {'-':>10} {'-':>7}"
                    continue
                t_peer, v_peer = timed(call)
                # The approximate solvers may differ by up to their delta; report gross disagreement.
                flag = (
                    "" if abs(v_peer - v_ours) <= 2.5 * delta * max(v_peer, v_ours) + 1e-12 else "!"
                )
                row += f" {t_peer:>10.3f} {fmt_ratio(t_peer, t_ours, 6)}{flag or ' '}"
            print(row, flush=True)
    print(f"{RATIO_NOTE}; '!' marks values differing by more than 2.5 delta")


if __name__ == "__main__":
    main()
