"""Grid persistence: calydon against cripser (Cubical Ripser), gudhi and oineus.

Every (library, case, operation) runs in its own subprocess (peak memory = growth of the resident
set during the measured call, see _harness.measure), single-threaded, on the same smooth random
field (tests/python/generators.py; volumes use sigma 2), and on white noise (``noise 64^3``: the
worst case of the middle dimension, whose columns mostly need a reduction). Operations:

* ``vertices``: all diagrams of the cubical complex with values on vertices (calydon
  ``compute_diagrams_cubical``, cripser ``computePH`` (V-construction), gudhi
  ``CubicalComplex(vertices=...)``);
* ``cells``: values on top cells (calydon ``values_on="cells"``, cripser ``computePH_T``
  (T-construction), gudhi ``top_dimensional_cells``);
* ``freudenthal``: the lower-star Freudenthal complex (calydon ``compute_diagrams_ls``, oineus);
* ``fwd+bwd``: calydon.diff cubical filtration, all diagrams, total-persistence loss, backward;
* ``threads``: that fwd+bwd with n_threads=1 and n_threads=2 in alternating rounds (wall time;
  the speed-up by best and by median rounds) on a 1024^2 Freudenthal image and a 64^3 cubical
  volume, torch on one thread in both (so only calydon's threads differ).

    .venv/bin/python benchmarks/bench_grid.py            # 512^2 ... 2048^2, 64^3, 128^3, noise
    .venv/bin/python benchmarks/bench_grid.py --big      # also 256^3
    .venv/bin/python benchmarks/bench_grid.py --quick    # 128^2 and 24^3 (a smoke run)
    .venv/bin/python benchmarks/bench_grid.py --cases 1024^2 64^3 --threads-only

Ratios are peer / calydon: above 1 means calydon is faster (or uses less memory).
"""

from __future__ import annotations

import argparse

import numpy as np

import _harness as h
from generators import smooth_field  # tests/python/generators.py (path set by _harness)

CASES = {
    "512^2": ((512, 512), 4.0),
    "1024^2": ((1024, 1024), 4.0),
    "2048^2": ((2048, 2048), 4.0),
    "64^3": ((64, 64, 64), 2.0),
    "128^3": ((128, 128, 128), 2.0),
    "256^3": ((256, 256, 256), 2.0),
    "128^2": ((128, 128), 4.0),
    "24^3": ((24, 24, 24), 2.0),
    "noise64^3": ((64, 64, 64), 0.0),  # sigma 0: white noise
}
QUICK = ["128^2", "24^3"]
THREAD_CASES = {
    "1024^2": "freudenthal",
    "64^3": "cubical",
    "128^2": "freudenthal",
    "24^3": "cubical",
}
DEFAULT = ["512^2", "1024^2", "2048^2", "64^3", "128^3", "noise64^3"]
RUNS = [  # (operation, library)
    ("vertices", "calydon"),
    ("vertices", "cripser"),
    ("vertices", "gudhi"),
    ("cells", "calydon"),
    ("cells", "cripser"),
    ("cells", "gudhi"),
    ("freudenthal", "calydon"),
    ("freudenthal", "oineus"),
    ("fwd+bwd", "calydon"),
]


def job(op: str, lib: str, x: np.ndarray):
    """The measured call."""
    top = x.ndim - 1
    if lib == "calydon":
        import calydon

        if op == "vertices":
            return lambda: calydon.compute_diagrams_cubical(x)
        if op == "cells":
            return lambda: calydon.compute_diagrams_cubical(x, values_on="cells")
        if op == "freudenthal":
            return lambda: calydon.compute_diagrams_ls(x)
        return lambda: fwd_bwd(x)
    if lib == "cripser":
        import cripser

        return lambda: (cripser.computePH if op == "vertices" else cripser.computePH_T)(
            x, maxdim=top
        )
    if lib == "gudhi":
        import gudhi

        def run():
            kw = {"vertices" if op == "vertices" else "top_dimensional_cells": x}
            gudhi.CubicalComplex(**kw).compute_persistence(homology_coeff_field=2)

        return run
    import oineus

    return lambda: oineus.compute_diagrams_ls(x, max_dim=top)


def fwd_bwd(x: np.ndarray, kind: str = "cubical", n_threads: int = 1) -> None:
    import torch

    import calydon.diff as diff

    t = torch.tensor(x, requires_grad=True)
    build = diff.cube_filtration if kind == "cubical" else diff.freudenthal_filtration
    dgms = diff.persistence_diagram(build(t), n_threads=n_threads)
    loss = sum((d[:, 1] - d[:, 0]).sum() for d in dgms.values())
    loss.backward()


def worker(op: str, lib: str, case: str, repeat: int) -> dict:
    torch_op = op == "fwd+bwd" or op.startswith("threads")
    err = h.missing(lib if lib != "calydon" else "calydon", *(["torch"] if torch_op else []))
    if err:
        return {"status": f"not available ({err})"}
    if op.startswith("threads"):
        import torch

        # Only calydon's threads differ between the columns: torch's own OpenMP workers, which
        # spin for a while after each operation, would compete with them for the two cores.
        torch.set_num_threads(1)
    shape, sigma = CASES[case]
    if sigma == 0.0:
        x = np.random.default_rng(1).standard_normal(shape)
    else:
        x = np.ascontiguousarray(smooth_field(shape, seed=1, sigma=sigma), dtype=np.float64)
    if op.startswith("threads"):  # threads-<kind>: both counts, alternating
        return thread_rounds(x, op.split("-")[1], repeat)
    res = h.measure(job(op, lib, x), repeat)
    res.pop("value")
    return res


def thread_rounds(x: np.ndarray, kind: str, repeat: int) -> dict:
    """fwd+bwd at n_threads 1 and 2 in alternating rounds (a drifting host slows both alike):
    the best and the median round of each."""
    rounds = h.times_interleaved({n: lambda n=n: fwd_bwd(x, kind, n) for n in (1, 2)}, repeat)
    out = {"status": "ok"}
    for n, times in rounds.items():
        out[f"best_{n}"], out[f"median_{n}"] = min(times), float(np.median(times))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", nargs="*", default=DEFAULT, choices=list(CASES), metavar="CASE")
    parser.add_argument("--big", action="store_true", help="add 256^3")
    parser.add_argument("--quick", action="store_true", help=f"smoke run: {' '.join(QUICK)}")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=900.0)
    parser.add_argument("--threads-only", action="store_true", help="only the threads table")
    parser.add_argument("--worker", nargs=3, metavar=("OP", "LIB", "CASE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        h.reply(worker(*args.worker, args.repeat))
        return
    cases = QUICK if args.quick else args.cases + (["256^3"] if args.big else [])
    if not args.threads_only:
        peer_tables(cases, args)
    thread_table([c for c in cases if c in THREAD_CASES], args)


def thread_table(cases: list[str], args) -> None:
    """fwd+bwd with one and two threads (wall time), in alternating rounds in one process per
    case: the speed-up by best and by median rounds."""
    rows = []
    for case in cases:
        kind = THREAD_CASES[case]
        # Calls here take 0.02-0.1 s, and two threads feel the host's noise more than one: at
        # least 15 rounds.
        extra = [case, "--repeat", str(max(args.repeat, 15))]
        res = h.run_isolated(__file__, f"threads-{kind}", "calydon", extra, args.timeout)
        print(f"{case:7s} threads {res.get('best_2', res['status'])}", flush=True)
        if res["status"] == "ok":
            rows.append((f"{case} {kind}", res))
    if not rows:
        return
    print("\n## fwd+bwd, n_threads=1 against n_threads=2 (alternating rounds)\n")
    print(
        "| case | 1 thread [s] | 2 threads [s] | speed-up, best rounds | speed-up, median rounds |"
    )
    print("|---|---|---|---|---|")
    for name, r in rows:
        best, median = (h.fmt_ratio(r[f"{k}_1"], r[f"{k}_2"]) for k in ("best", "median"))
        print(f"| {name} | {r['best_1']:.3f} | {r['best_2']:.3f} | {best} | {median} |")


def peer_tables(cases: list[str], args) -> None:
    """Every (operation, library) of RUNS per case: time and peak memory tables."""
    times: dict[str, list[dict]] = {}
    peaks: dict[str, list[dict]] = {}
    for case in cases:
        rows_t: dict[str, dict] = {}
        rows_m: dict[str, dict] = {}
        for op, lib in RUNS:
            repeat = 1 if case in ("2048^2", "128^3", "256^3") else args.repeat
            res = h.run_isolated(__file__, op, lib, [case, "--repeat", str(repeat)], args.timeout)
            table = "vertices" if op == "fwd+bwd" else op
            name = "calydon fwd+bwd" if op == "fwd+bwd" else lib
            rows_t.setdefault(table, {"case": case})[name] = res.get("time")
            rows_m.setdefault(table, {"case": case})[name] = res.get("peak_mb")
            print(f"{case:7s} {op:12s} {lib:8s} {res.get('time', res['status'])}", flush=True)
        for table in rows_t:
            times.setdefault(table, []).append(rows_t[table])
            peaks.setdefault(table, []).append(rows_m[table])
    for table in times:
        h.print_table(f"{table}: time", times[table])
        h.print_table(
            f"{table}: peak memory (ratio: peer MiB / calydon MiB)", peaks[table], unit="MiB"
        )


if __name__ == "__main__":
    main()
