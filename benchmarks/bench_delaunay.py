"""Delaunay filtrations: calydon against gudhi.AlphaComplex (diagrams only) and oineus + diode
(differentiable alpha, weak alpha and Čech–Delaunay), on uniform random clouds.

    .venv/bin/python benchmarks/bench_delaunay.py                 # 10k / 100k in 3-D, 100k in 2-D
    .venv/bin/python benchmarks/bench_delaunay.py --sizes 3:10000 --rules alpha --repeat 3

Times are wall-clock seconds, best of --repeat runs, single-threaded everywhere (torch too).
"fwd" = build the differentiable filtration + persistence_diagram; "fwd+bwd" adds the backward
of the sum of all finite persistences. The gudhi column is AlphaComplex(points) +
create_simplex_tree() + persistence() (precision "safe"), compared with
calydon.compute_diagrams_alpha. Ratios are peer / calydon: above 1 means calydon is faster.
Peers that are not installed are reported as such. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import torch

import calydon
from calydon import diff

RULES = ("alpha", "weak_alpha", "cech")
OURS = {"alpha": diff.alpha_filtration, "weak_alpha": diff.weak_alpha_filtration,
        "cech": diff.cech_delaunay_filtration}
OINEUS = {"alpha": "alpha_filtration", "weak_alpha": "weak_alpha_filtration", "cech": "cech_delaunay_filtration"}


def best_of(fn, repeat: int) -> float:
    best = np.inf
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


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


def available(module: str) -> str | None:
    try:
        __import__(module)
        return None
    except Exception as exc:  # report, do not fail
        return f"{type(exc).__name__}: {exc}"


def fmt_ratio(peer: float | None, ours: float) -> str:
    return "-" if peer is None else f"{peer / ours:6.2f}x"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", nargs="+", default=["3:10000", "3:100000", "2:100000"],
                        help="dim:n_points cases (default: 3:10000 3:100000 2:100000)")
    parser.add_argument("--rules", nargs="+", default=list(RULES), choices=RULES)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--no-oineus", action="store_true", help="skip oineus + diode (slow on 100k clouds)")
    args = parser.parse_args()
    torch.set_num_threads(1)

    missing_oineus = "--no-oineus" if args.no_oineus else (available("oineus") or available("diode"))
    missing_gudhi = available("gudhi")
    if missing_oineus:
        print(f"oineus + diode not run: {missing_oineus}")
    if missing_gudhi:
        print(f"gudhi not run: {missing_gudhi}")

    header = (f"{'case':<14}{'rule':<11}{'phase':<9}{'calydon':>9}{'oineus':>9}{'ratio':>9}"
              f"{'gudhi':>9}{'ratio':>9}")
    print(header)
    print("-" * len(header))
    for case in args.sizes:
        d, n = (int(v) for v in case.split(":"))
        points = np.random.default_rng(0).random((n, d))
        name = f"{n // 1000}k {d}-D"
        for rule in args.rules:
            for backward in (False, True):
                phase = "fwd+bwd" if backward else "fwd"
                ours = best_of(lambda: run_calydon(points, rule, backward), args.repeat)
                peer = None if missing_oineus else best_of(lambda: run_oineus(points, rule, backward), args.repeat)
                line = (f"{name:<14}{rule:<11}{phase:<9}{ours:9.3f}"
                        f"{'-' if peer is None else f'{peer:9.3f}':>9}{fmt_ratio(peer, ours):>9}")
                print(line + f"{'':>9}{'':>9}", flush=True)
        if "alpha" in args.rules and not missing_gudhi:
            ours = best_of(lambda: calydon.compute_diagrams_alpha(points), args.repeat)
            peer = best_of(lambda: run_gudhi(points), args.repeat)
            print(f"{name:<14}{'alpha':<11}{'diagram':<9}{ours:9.3f}{'':>9}{'':>9}{peer:9.3f}"
                  f"{fmt_ratio(peer, ours):>9}", flush=True)


if __name__ == "__main__":
    main()
