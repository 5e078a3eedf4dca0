"""Delaunay filtrations: calydon against gudhi.AlphaComplex (diagrams only) and oineus + diode
(differentiable alpha, weak alpha and Čech–Delaunay), on uniform random clouds.

    .venv/bin/python benchmarks/bench_delaunay.py                 # 10k / 100k in 3-D, 100k in 2-D
    .venv/bin/python benchmarks/bench_delaunay.py --sizes 3:10000 --rules alpha --repeat 3
    .venv/bin/python benchmarks/bench_delaunay.py --quick         # 2k points in 3-D (a smoke run)

Times are wall-clock seconds, best of --repeat runs (after one warm-up run when --repeat > 1),
single-threaded everywhere (torch too).
"fwd" = build the differentiable filtration + persistence_diagram; "fwd+bwd" adds the backward
of the sum of all finite persistences. The gudhi column is AlphaComplex(points) +
create_simplex_tree() + persistence() (precision "safe"), compared with
calydon.compute_diagrams_alpha. Ratios are peer / calydon: above 1 means calydon is faster.
Peers that are not installed are reported as such. Nothing is asserted.
"""

from __future__ import annotations

import argparse

import numpy as np
import torch

import calydon
from _harness import RATIO_NOTE, best_time, fmt_ratio, missing
from calydon import diff
from generators import random_cloud  # tests/python/generators.py (sys.path set by _harness)

RULES = ("alpha", "weak_alpha", "cech")
OURS = {
    "alpha": diff.alpha_filtration,
    "weak_alpha": diff.weak_alpha_filtration,
    "cech": diff.cech_delaunay_filtration,
}
OINEUS = {
    "alpha": "alpha_filtration",
    "weak_alpha": "weak_alpha_filtration",
    "cech": "cech_delaunay_filtration",
}


def total_persistence(dgms):
    return sum((dgms[k][:, 1] - dgms[k][:, 0]).sum() for k in dgms)


def run_calydon(points: np.ndarray, rule: str, backward: bool) -> None:
    x = torch.tensor(points, requires_grad=True)
    dgms = diff.persistence_diagram(OURS[rule](x))
    if backward:
        total_persistence(dgms).backward()


def run_oineus(points: np.ndarray, rule: str, backward: bool) -> None:
    import oineus.diff as odiff

    x = torch.tensor(points, requires_grad=True)
    fil = getattr(odiff, OINEUS[rule])(x)
    dgms = odiff.persistence_diagram(fil)
    if backward:
        sum((dgms[k][:, 1] - dgms[k][:, 0]).sum() for k in range(points.shape[1])).backward()


def run_gudhi(points: np.ndarray) -> None:
    import gudhi

    st = gudhi.AlphaComplex(points=points).create_simplex_tree()
    st.persistence()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sizes",
        nargs="+",
        default=["3:10000", "3:100000", "2:100000"],
        help="dim:n_points cases (default: 3:10000 3:100000 2:100000)",
    )
    parser.add_argument("--rules", nargs="+", default=list(RULES), choices=RULES)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument(
        "--no-oineus", action="store_true", help="skip oineus + diode (slow on 100k clouds)"
    )
    parser.add_argument("--quick", action="store_true", help="smoke run: --sizes 3:2000 --repeat 1")
    args = parser.parse_args()
    if args.quick:
        args.sizes, args.repeat = ["3:2000"], 1
    torch.set_num_threads(1)

    missing_oineus = "--no-oineus" if args.no_oineus else missing("oineus", "diode")
    missing_gudhi = missing("gudhi")
    if missing_oineus:
        print(f"oineus + diode not run: {missing_oineus}")
    if missing_gudhi:
        print(f"gudhi not run: {missing_gudhi}")

    header = (
        f"{'case':<14}{'rule':<11}{'phase':<9}{'calydon':>9}{'oineus':>9}{'ratio':>9}"
        f"{'gudhi':>9}{'ratio':>9}"
    )
    print(RATIO_NOTE)
    print(header)
    print("-" * len(header))
    for case in args.sizes:
        d, n = (int(v) for v in case.split(":"))
        points = random_cloud(n, d, seed=0)
        name = f"{n // 1000}k {d}-D"
        for rule in args.rules:
            for backward in (False, True):
                phase = "fwd+bwd" if backward else "fwd"
                ours = best_time(lambda: run_calydon(points, rule, backward), args.repeat)
                peer = (
                    None
                    if missing_oineus
                    else best_time(lambda: run_oineus(points, rule, backward), args.repeat)
                )
                line = (
                    f"{name:<14}{rule:<11}{phase:<9}{ours:9.3f}"
                    f"{'-' if peer is None else f'{peer:9.3f}':>9}{fmt_ratio(peer, ours, 9)}"
                )
                print(line + f"{'':>9}{'':>9}", flush=True)
        if "alpha" in args.rules and not missing_gudhi:
            ours = best_time(lambda: calydon.compute_diagrams_alpha(points), args.repeat)
            peer = best_time(lambda: run_gudhi(points), args.repeat)
            print(
                f"{name:<14}{'alpha':<11}{'diagram':<9}{ours:9.3f}{'':>9}{'':>9}{peer:9.3f}"
                f"{fmt_ratio(peer, ours, 9)}",
                flush=True,
            )


if __name__ == "__main__":
    main()
