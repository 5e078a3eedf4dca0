"""Vietoris-Rips persistence: calydon against ripser, giotto-ph, gudhi and oineus.diff.

calydon and oineus.diff are timed forward + backward (diagram tensors, a total-persistence loss,
loss.backward()); ripser, giotto-ph and gudhi compute diagrams only. Every (library, case) runs
in its own subprocess on the same deterministic input; peak memory is the growth of the
process's resident set (VmHWM, reset through /proc/self/clear_refs after imports and input
generation), so the C++ allocations count and the interpreter's baseline does not.

    .venv/bin/python benchmarks/bench_rips.py                 # all cases
    .venv/bin/python benchmarks/bench_rips.py --cases circle400 circle1000 --repeat 3
    .venv/bin/python benchmarks/bench_rips.py --list

Times are printed, never asserted. Peers that are not installed are reported as such.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "ripser-benchmark"  # shared/ sits beside the repository
LIBRARIES = ["calydon", "ripser", "giotto-ph", "gudhi", "oineus.diff"]
EXPLICIT_LIMIT = 3e7  # gudhi / oineus build every simplex: skip cases estimated above this


def noisy_circle(n: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = rng.uniform(0, 2 * np.pi, n)
    return np.stack([np.cos(t), np.sin(t)], 1) + rng.normal(0, 0.1, (n, 2))


CASES = {
    # name: (points factory, max_dim (top simplex dim; diagrams 0..max_dim-1), max_diameter or None)
    "circle400": (lambda: noisy_circle(400), 2, None),
    "circle1000": (lambda: noisy_circle(1000), 2, None),
    "circle2000": (lambda: noisy_circle(2000), 2, None),
    "random9d1000": (lambda: np.random.default_rng(1).random((1000, 9)), 3, 0.9),
    "o3_1024_dim2": (lambda: np.loadtxt(DATA / "o3_1024.txt"), 3, 1.8),
    "o3_1024_dim3": (lambda: np.loadtxt(DATA / "o3_1024.txt"), 4, 1.4),
}


def _peak_reset() -> int:
    """Resets the high-water mark; returns the current resident set in bytes."""
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
    return _status_kb("VmRSS") * 1024


def _status_kb(field: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def run_calydon(x, max_dim, thr):
    import torch

    import calydon.diff as diff

    pts = torch.tensor(x, requires_grad=True)
    fil = diff.vr_filtration(pts, max_dim=max_dim, max_diameter=thr)
    dgms = diff.persistence_diagram(fil, include_inf_points=True)  # sizes comparable with the peers
    finite = [d[torch.isfinite(d[:, 1])] for d in dgms.values()]
    loss = sum(((d[:, 1] - d[:, 0]) ** 2).sum() for d in finite)
    loss.backward()
    return [len(d) for d in dgms.values()]


def run_oineus(x, max_dim, thr):
    import oineus.diff as odiff
    import torch

    pts = torch.tensor(x, requires_grad=True)
    thr = -1.0 if thr is None else thr
    if x.shape[1] <= 5:
        fil = odiff.vr_filtration(pts, max_dim=max_dim, max_diameter=thr)
    else:  # oineus builds Rips from points in ambient dimension <= 5 only; use the matrix
        fil = odiff.vr_filtration(torch.cdist(pts, pts), from_pwdists=True, max_dim=max_dim, max_diameter=thr)
    dgms = odiff.persistence_diagram(fil, include_inf_points=False)
    loss = sum(((dgms[k][:, 1] - dgms[k][:, 0]) ** 2).sum() for k in range(max_dim))
    loss.backward()
    return [len(dgms[k]) for k in range(max_dim)]


def run_ripser(x, max_dim, thr):
    import ripser

    dgms = ripser.ripser(x, maxdim=max_dim - 1, thresh=math.inf if thr is None else thr)["dgms"]
    return [len(d) for d in dgms]


def run_giotto(x, max_dim, thr):
    from gph import ripser_parallel

    dgms = ripser_parallel(x, maxdim=max_dim - 1, thresh=math.inf if thr is None else thr, n_threads=1)["dgms"]
    return [len(d) for d in dgms]


def run_gudhi(x, max_dim, thr):
    import gudhi

    radius = thr if thr is not None else float(np.sqrt(((x[:, None] - x[None]) ** 2).sum(-1)).max(1).min())
    st = gudhi.RipsComplex(points=x, max_edge_length=radius).create_simplex_tree(max_dimension=max_dim)
    st.compute_persistence()
    return [len(st.persistence_intervals_in_dimension(k)) for k in range(max_dim)]


RUNNERS = {"calydon": run_calydon, "ripser": run_ripser, "giotto-ph": run_giotto, "gudhi": run_gudhi,
           "oineus.diff": run_oineus}
IMPORTS = {"calydon": "calydon.diff", "ripser": "ripser", "giotto-ph": "gph", "gudhi": "gudhi",
           "oineus.diff": "oineus.diff"}


def worker(lib: str, case: str, repeat: int) -> dict:
    """Runs one (library, case) in this process; prints a JSON line."""
    try:
        __import__(IMPORTS[lib])
        if lib in ("calydon", "oineus.diff"):
            import torch  # noqa: F401  (imported before the memory baseline)
    except Exception as exc:  # a peer that is missing or broken is reported, not fatal
        return {"status": f"not available ({type(exc).__name__}: {exc})"}
    make, max_dim, thr = CASES[case]
    x = np.ascontiguousarray(make(), dtype=np.float64)
    if lib in ("gudhi", "oineus.diff"):
        import calydon

        counts = calydon._core.rips_size_estimate(x, False, max_dim, math.inf if thr is None else thr)[1]
        if sum(counts) > EXPLICIT_LIMIT:
            return {"status": f"skipped: explicit complex ~{sum(counts):.2g} simplices"}
    base = _peak_reset()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        sizes = RUNNERS[lib](x, max_dim, thr)
        times.append(time.perf_counter() - t0)
    peak = _status_kb("VmHWM") * 1024 - base
    return {"status": "ok", "time": min(times), "peak_mb": peak / 2**20, "sizes": sizes}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", nargs="*", default=list(CASES))
    parser.add_argument("--libs", nargs="*", default=LIBRARIES)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per (library, case)")
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--worker", nargs=2, metavar=("LIB", "CASE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.list:
        for name, (_, max_dim, thr) in CASES.items():
            print(f"{name}: diagrams H0..H{max_dim - 1}, max_diameter={thr or 'enclosing radius'}")
        return
    if args.worker:
        print(json.dumps(worker(args.worker[0], args.worker[1], args.repeat)))
        return

    print(f"{'case':14s} {'library':12s} {'time [s]':>9s} {'x calydon':>9s} {'peak MB':>8s}  diagram sizes")
    for case in args.cases:
        results = {}
        for lib in args.libs:
            cmd = [sys.executable, __file__, "--worker", lib, case, "--repeat", str(args.repeat)]
            try:
                out = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout)
                lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
                res = json.loads(lines[-1]) if lines else {"status": f"failed: {out.stderr.strip()[-200:]}"}
            except subprocess.TimeoutExpired:
                res = {"status": f"timeout after {args.timeout:.0f} s"}
            results[lib] = res
            ref = results.get("calydon", {}).get("time")
            if res["status"] == "ok":
                ratio = f"{res['time'] / ref:9.2f}" if ref else f"{'':9s}"
                print(f"{case:14s} {lib:12s} {res['time']:9.3f} {ratio} {res['peak_mb']:8.1f}  {res['sizes']}",
                      flush=True)
            else:
                print(f"{case:14s} {lib:12s} {res['status']}", flush=True)
    print("\n'x calydon' = peer time / calydon time (above 1: calydon is faster). calydon and oineus.diff"
          " include the backward pass; the others compute diagrams only. Sizes include essential points,"
          " except for oineus.diff (finite only).")


if __name__ == "__main__":
    main()
