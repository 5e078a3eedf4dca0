"""Grid diagrams against cripser, interleaved in one process (for a noisy, shared machine).

``bench_grid.py`` runs every (library, case) in its own process, minutes apart, which measures
peak memory well but lets the machine's load drift between the two columns of a ratio. Here one
process alternates calydon and cripser (calydon, cripser, calydon, ...) for ``--rounds`` rounds on
the same smooth random field (the fields of ``bench_grid.py``), single-threaded, and reports the
min and the median of both the CPU time (``time.process_time``) and the wall time:

* ``vertices``: ``calydon.compute_diagrams_cubical(x)`` against ``cripser.computePH(x)``;
* ``cells``: ``values_on="cells"`` against ``cripser.computePH_T(x)``.

    PYTHONPATH=python .venv/bin/python benchmarks/bench_grid_rounds.py --cases 512^2 2048^2
    PYTHONPATH=python .venv/bin/python benchmarks/bench_grid_rounds.py --cases 64^3 128^3 --rounds 9

Ratios are cripser / calydon: above 1 means calydon is faster.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

import _harness as h
from bench_grid import CASES  # (shape, smoothing sigma) by name, the fields of bench_grid.py
from generators import smooth_field  # tests/python/generators.py (path set by _harness)


def calls(op: str, x: np.ndarray) -> dict:
    """The two measured calls of one operation, by library."""
    import cripser

    import calydon

    top = x.ndim - 1
    if op == "vertices":
        return {
            "calydon": lambda: calydon.compute_diagrams_cubical(x),
            "cripser": lambda: cripser.computePH(x, maxdim=top),
        }
    return {
        "calydon": lambda: calydon.compute_diagrams_cubical(x, values_on="cells"),
        "cripser": lambda: cripser.computePH_T(x, maxdim=top),
    }


def rounds(fns: dict, n_rounds: int) -> dict:
    """{library: {"cpu": [...], "wall": [...]}} over n_rounds interleaved rounds (one warm-up)."""
    for fn in fns.values():
        fn()
    out = {lib: {"cpu": [], "wall": []} for lib in fns}
    for _ in range(n_rounds):
        for lib, fn in fns.items():
            cpu, wall = time.process_time(), time.perf_counter()
            fn()
            out[lib]["wall"].append(time.perf_counter() - wall)
            out[lib]["cpu"].append(time.process_time() - cpu)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", nargs="*", default=["512^2", "1024^2", "2048^2"])
    parser.add_argument("--ops", nargs="*", default=["vertices", "cells"])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    err = h.missing("calydon", "cripser")
    if err:
        print(f"not available ({err})")
        return
    tables: dict[str, list[dict]] = {}
    for case in args.cases:
        shape, sigma = CASES[case]
        if sigma == 0.0:
            x = np.random.default_rng(1).standard_normal(shape)
        else:
            x = np.ascontiguousarray(smooth_field(shape, seed=1, sigma=sigma), dtype=np.float64)
        for op in args.ops:
            times = rounds(calls(op, x), args.rounds)
            for clock in ("cpu", "wall"):
                for stat, f in (("min", min), ("median", statistics.median)):
                    row = {"case": f"{case} {op}"}
                    for lib in ("calydon", "cripser"):
                        row[lib] = f(times[lib][clock])
                    tables.setdefault(f"{clock} time, {stat} of {args.rounds}", []).append(row)
            print(f"{case} {op}: done", flush=True)
    for title, rows in tables.items():
        h.print_table(f"grids against cripser, interleaved: {title}", rows)


if __name__ == "__main__":
    main()
