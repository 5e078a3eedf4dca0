"""Vietoris-Rips persistence: calydon against ripser, giotto-ph, gudhi and oineus.diff.

calydon and oineus.diff are timed forward + backward (diagram tensors, a total-persistence loss,
loss.backward()); ripser, giotto-ph and gudhi compute diagrams only. Every (library, case) runs
in its own subprocess on the same deterministic input; peak memory is the growth of the
process's resident set (VmHWM, reset through /proc/self/clear_refs after imports and input
generation), so the C++ allocations count and the interpreter's baseline does not.

    .venv/bin/python benchmarks/bench_rips.py --data DIR      # all cases but circle200
    .venv/bin/python benchmarks/bench_rips.py --cases circle400 circle1000 --repeat 3
    .venv/bin/python benchmarks/bench_rips.py --quick         # circle200 only (a smoke run)
    .venv/bin/python benchmarks/bench_rips.py --list
    .venv/bin/python benchmarks/bench_rips.py --threads --data DIR   # n_threads=2 tables

--threads compares calydon and giotto-ph both at n_threads=2 on circle2000, o3_1024_dim2,
o3_4096_dim2 and random9d1000 (calydon forward + backward, and diagrams only), and prints the
speed-up of calydon's n_threads=2 over n_threads=1 (diagrams only) and the peak memory.

The o3_* cases read o3_1024.txt or o3_4096.txt (Ripser/ripser-benchmark: points of O(3) as
3x3 matrices in R^9) from --data DIR or $CALYDON_BENCH_DATA;
without it they are skipped with a note. Times are printed, never asserted. Peers that are not
installed are reported as such.
"""

from __future__ import annotations

import argparse
import math
import sys

import numpy as np

import _harness as h
from generators import noisy_circle, random_cloud  # tests/python/generators.py (path: _harness)

LIBRARIES = ["calydon", "ripser", "giotto-ph", "gudhi", "oineus.diff"]
EXPLICIT_LIMIT = 3e7  # gudhi / oineus build every simplex: skip cases estimated above this

CASES = {
    # name: (points factory or data file name, max_dim (top simplex dim; diagrams 0..max_dim-1),
    #        max_diameter or None)
    "circle200": (lambda: noisy_circle(200), 2, None),  # --quick only, not in the default run
    "circle400": (lambda: noisy_circle(400), 2, None),
    "circle1000": (lambda: noisy_circle(1000), 2, None),
    "circle2000": (lambda: noisy_circle(2000), 2, None),
    "random9d1000": (lambda: random_cloud(1000, 9, seed=1), 3, 0.9),
    "o3_1024_dim2": ("o3_1024.txt", 3, 1.8),
    "o3_1024_dim3": ("o3_1024.txt", 4, 1.4),
    "o3_4096_dim2": ("o3_4096.txt", 3, 1.4),  # --threads only
}
DEFAULT_CASES = [c for c in CASES if c not in ("circle200", "o3_4096_dim2")]
THREAD_CASES = ["circle2000", "o3_1024_dim2", "o3_4096_dim2", "random9d1000"]
# --threads runs: name -> (worker library, n_threads)
THREAD_RUNS = {
    "calydon fwd+bwd": ("calydon", 2),
    "calydon": ("calydon-diagrams", 2),
    "giotto-ph": ("giotto-ph", 2),
    "calydon 1 thread": ("calydon-diagrams", 1),
}
QUICK_CASES = ["circle200"]


def case_input(case: str, data, quiet: bool = False):
    """The points of a case, or None (with a note) when its data file is missing."""
    source = CASES[case][0]
    if callable(source):
        return source()
    path = h.data_file(data, source, case, quiet=quiet)
    return None if path is None else np.loadtxt(path)


def run_calydon(x, max_dim, thr, n_threads=1):
    import torch

    import calydon.diff as diff

    pts = torch.tensor(x, requires_grad=True)
    fil = diff.vr_filtration(pts, max_dim=max_dim, max_diameter=thr)
    # include_inf_points: sizes comparable with the peers
    dgms = diff.persistence_diagram(fil, include_inf_points=True, n_threads=n_threads)
    finite = [d[torch.isfinite(d[:, 1])] for d in dgms.values()]
    loss = sum(((d[:, 1] - d[:, 0]) ** 2).sum() for d in finite)
    loss.backward()
    return [len(d) for d in dgms.values()]


def run_calydon_diagrams(x, max_dim, thr, n_threads=1):
    import calydon

    dgms = calydon.compute_diagrams_vr(x, max_dim=max_dim, max_diameter=thr, n_threads=n_threads)
    return [len(dgms[k]) for k in range(max_dim)]


def run_oineus(x, max_dim, thr, n_threads=1):
    import oineus.diff as odiff
    import torch

    pts = torch.tensor(x, requires_grad=True)
    thr = -1.0 if thr is None else thr
    if x.shape[1] <= 5:
        fil = odiff.vr_filtration(pts, max_dim=max_dim, max_diameter=thr)
    else:  # oineus builds Rips from points in ambient dimension <= 5 only; use the matrix
        fil = odiff.vr_filtration(
            torch.cdist(pts, pts), from_pwdists=True, max_dim=max_dim, max_diameter=thr
        )
    dgms = odiff.persistence_diagram(fil, include_inf_points=False)
    loss = sum(((dgms[k][:, 1] - dgms[k][:, 0]) ** 2).sum() for k in range(max_dim))
    loss.backward()
    return [len(dgms[k]) for k in range(max_dim)]


def run_ripser(x, max_dim, thr, n_threads=1):
    import ripser

    dgms = ripser.ripser(x, maxdim=max_dim - 1, thresh=math.inf if thr is None else thr)["dgms"]
    return [len(d) for d in dgms]


def run_giotto(x, max_dim, thr, n_threads=1):
    from gph import ripser_parallel

    dgms = ripser_parallel(
        x, maxdim=max_dim - 1, thresh=math.inf if thr is None else thr, n_threads=n_threads
    )["dgms"]
    return [len(d) for d in dgms]


def run_gudhi(x, max_dim, thr, n_threads=1):
    import gudhi

    radius = (
        thr
        if thr is not None
        else float(np.sqrt(((x[:, None] - x[None]) ** 2).sum(-1)).max(1).min())
    )
    st = gudhi.RipsComplex(points=x, max_edge_length=radius).create_simplex_tree(
        max_dimension=max_dim
    )
    st.compute_persistence()
    return [len(st.persistence_intervals_in_dimension(k)) for k in range(max_dim)]


RUNNERS = {
    "calydon": run_calydon,
    "calydon-diagrams": run_calydon_diagrams,
    "ripser": run_ripser,
    "giotto-ph": run_giotto,
    "gudhi": run_gudhi,
    "oineus.diff": run_oineus,
}
IMPORTS = {
    "calydon": "calydon.diff",
    "calydon-diagrams": "calydon",
    "ripser": "ripser",
    "giotto-ph": "gph",
    "gudhi": "gudhi",
    "oineus.diff": "oineus.diff",
}


def worker(lib: str, case: str, repeat: int, data, n_threads: int = 1) -> dict:
    """Runs one (library, case) in this process; the result goes back as a JSON line."""
    err = h.missing(IMPORTS[lib], *(["torch"] if lib in ("calydon", "oineus.diff") else []))
    if err:  # a peer that is missing or broken is reported, not fatal (torch: before the baseline)
        return {"status": f"not available ({err})"}
    _, max_dim, thr = CASES[case]
    x = case_input(case, data, quiet=True)
    if x is None:
        return {"status": "skipped: data file missing"}
    x = np.ascontiguousarray(x, dtype=np.float64)
    if lib in ("gudhi", "oineus.diff"):
        import calydon

        counts = calydon._core.rips_size_estimate(
            x, False, max_dim, math.inf if thr is None else thr
        )[1]
        if sum(counts) > EXPLICIT_LIMIT:
            return {"status": f"skipped: explicit complex ~{sum(counts):.2g} simplices"}
    # One call on 20 points first: one-off initialisation (torch's autograd engine, thread pools)
    # counts neither in the time nor in the peak memory, for every library alike.
    RUNNERS[lib](x[:20], max_dim, thr, n_threads)
    res = h.measure(lambda: RUNNERS[lib](x, max_dim, thr, n_threads), repeat)
    res["sizes"] = res.pop("value")
    return res


def thread_tables(cases, data, extra, args) -> None:
    """calydon and giotto-ph at n_threads=2, and calydon's speed-up over n_threads=1."""
    rows, memory = [], []
    for case in cases:
        if isinstance(CASES[case][0], str) and case_input(case, data) is None:
            continue
        row, mem = {"case": case}, {"case": case}
        for name, (lib, n_threads) in THREAD_RUNS.items():
            res = h.run_isolated(
                __file__, lib, case, extra + ["--n-threads", str(n_threads)], args.timeout
            )
            print(f"{case:14s} {name:18s} {res.get('time', res['status'])}", flush=True)
            if res["status"] == "ok":
                row[name], mem[name] = res["time"], res["peak_mb"]
        rows.append(row)
        memory.append(mem)

    def pick(table, columns, rename=None):
        rename = rename or {}
        return [
            {"case": r["case"], **{rename.get(c, c): r[c] for c in columns if c in r}}
            for r in table
        ]

    h.print_table(
        "calydon forward + backward vs giotto-ph diagrams, both n_threads=2",
        pick(rows, ["calydon fwd+bwd", "giotto-ph"]),
        baseline="calydon fwd+bwd",
    )
    h.print_table(
        "Diagrams only, both n_threads=2", pick(rows, ["calydon", "giotto-ph"]), baseline="calydon"
    )
    h.print_table(
        "calydon diagrams: n_threads=1 over n_threads=2 (the ratio is the speed-up)",
        pick(rows, ["calydon", "calydon 1 thread"], {"calydon": "calydon 2 threads"}),
        baseline="calydon 2 threads",
    )
    h.print_table(
        "Peak memory (VmHWM growth), n_threads=2",
        pick(memory, ["calydon fwd+bwd", "calydon", "giotto-ph"]),
        unit="MB",
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--cases", nargs="*", default=DEFAULT_CASES, choices=list(CASES), metavar="CASE"
    )
    parser.add_argument("--libs", nargs="*", default=LIBRARIES, choices=LIBRARIES, metavar="LIB")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per (library, case)")
    parser.add_argument(
        "--quick", action="store_true", help=f"smoke run: --cases {' '.join(QUICK_CASES)}"
    )
    parser.add_argument("--list", action="store_true")
    parser.add_argument(
        "--threads", action="store_true", help="n_threads=2 tables against giotto-ph"
    )
    h.add_data_argument(parser, "Ripser benchmark files (o3_1024.txt, o3_4096.txt)")
    parser.add_argument("--worker", nargs=2, metavar=("LIB", "CASE"), help=argparse.SUPPRESS)
    parser.add_argument("--n-threads", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    data = h.data_dir(args.data)
    if args.list:
        for name, (source, max_dim, thr) in CASES.items():
            src = f", file {source}" if isinstance(source, str) else ""
            print(
                f"{name}: diagrams H0..H{max_dim - 1}, max_diameter={thr or 'enclosing radius'}{src}"
            )
        return
    if args.worker:
        h.reply(worker(args.worker[0], args.worker[1], args.repeat, data, args.n_threads))
        return
    extra = ["--repeat", str(args.repeat)] + (["--data", str(data)] if data else [])
    if args.threads:
        thread_tables(args.cases if "--cases" in sys.argv else THREAD_CASES, data, extra, args)
        return
    cases = QUICK_CASES if args.quick else args.cases

    print(
        f"{'case':14s} {'library':12s} {'time [s]':>9s} {'x calydon':>9s} {'peak MB':>8s}  diagram sizes"
    )
    for case in cases:
        if isinstance(CASES[case][0], str) and case_input(case, data) is None:
            continue  # data file missing: skipped, with the note printed
        results = {}
        for lib in args.libs:
            res = results[lib] = h.run_isolated(__file__, lib, case, extra, timeout=args.timeout)
            ref = results.get("calydon", {}).get("time")
            if res["status"] == "ok":
                ratio = f"{res['time'] / ref:9.2f}" if ref else f"{'':9s}"
                print(
                    f"{case:14s} {lib:12s} {res['time']:9.3f} {ratio} {res['peak_mb']:8.1f}  {res['sizes']}",
                    flush=True,
                )
            else:
                print(f"{case:14s} {lib:12s} {res['status']}", flush=True)
    print(
        f"\n'x calydon' = peer time / calydon time ({h.RATIO_NOTE.split(': ')[1]}). calydon and oineus.diff"
        " include the backward pass; the others compute diagrams only. Sizes include essential points,"
        " except for oineus.diff (finite only)."
    )


if __name__ == "__main__":
    main()
