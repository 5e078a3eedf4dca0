"""Vectorisations: calydon.diff (torch, batched, forward and forward+backward) against
gudhi.representations (numpy, forward only) on the same diagrams and parameters.

Each (library, case) runs in its own interpreter (the harness's isolated workers), so the peak
memory column is the resident-set growth of three calls after a warm-up call. Both sides run on one thread
(OMP/OpenBLAS/MKL set to 1 before numpy is imported; torch.set_num_threads(1)). A case is
``KIND:BxN``: B random diagrams of N points (births uniform in [0, 1), deaths = birth + uniform
[0, 1)), a batch padded with ``pad_diagrams`` for calydon, a list for gudhi. The ranges are
given (a batch needs them); gudhi's fit is then a no-op.

    .venv/bin/python benchmarks/bench_vectorize.py                       # default cases
    .venv/bin/python benchmarks/bench_vectorize.py --sizes 1x100000 --kinds image
    .venv/bin/python benchmarks/bench_vectorize.py --quick                # a smoke run

Times are printed, never asserted.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import sys  # noqa: E402

import numpy as np  # noqa: E402

from _harness import (  # noqa: E402
    fmt,
    fmt_ratio,
    measure,
    missing,
    print_table,
    reply,
    run_isolated,
)
from generators import random_diagram  # noqa: E402

RES_1D, RES_IMAGE, SAMPLE_RANGE, IM_RANGE = 100, (20, 20), (0.0, 2.0), [0.0, 1.0, 0.0, 1.0]
KINDS = ("image", "landscape", "betti", "silhouette", "entropy")
LIBS = ("calydon", "calydon fwd+bwd", "gudhi")


def diagrams(n_batch: int, n_points: int) -> list[np.ndarray]:
    rng = np.random.default_rng(0)
    return [random_diagram(n_points, seed=rng) for _ in range(n_batch)]


def gudhi_call(kind: str, dgms: list[np.ndarray]):
    import gudhi.representations as gr

    estimator = {
        "image": lambda: gr.PersistenceImage(0.05, resolution=list(RES_IMAGE), im_range=IM_RANGE),
        "landscape": lambda: gr.Landscape(5, RES_1D, sample_range=list(SAMPLE_RANGE)),
        "betti": lambda: gr.BettiCurve(RES_1D, sample_range=list(SAMPLE_RANGE)),
        "silhouette": lambda: gr.Silhouette(resolution=RES_1D, sample_range=list(SAMPLE_RANGE)),
        "entropy": lambda: gr.Entropy(mode="scalar"),
    }[kind]()
    return lambda: estimator.fit_transform(dgms)


def calydon_call(kind: str, dgms: list[np.ndarray], backward: bool):
    import torch

    import calydon.diff as diff

    torch.set_num_threads(1)
    padded, mask = diff.pad_diagrams([torch.tensor(d) for d in dgms])
    padded.requires_grad_(backward)
    call = {
        "image": lambda p: diff.persistence_image(
            p, mask, bandwidth=0.05, resolution=RES_IMAGE, im_range=IM_RANGE
        ),
        "landscape": lambda p: diff.persistence_landscape(
            p, mask, num_landscapes=5, resolution=RES_1D, sample_range=SAMPLE_RANGE
        ),
        "betti": lambda p: (
            diff.betti_curve(
                p, mask, resolution=RES_1D, sample_range=SAMPLE_RANGE, temperature=0.01
            )
            if backward
            else diff.betti_curve(p, mask, resolution=RES_1D, sample_range=SAMPLE_RANGE)
        ),
        "silhouette": lambda p: diff.silhouette(
            p, mask, resolution=RES_1D, sample_range=SAMPLE_RANGE
        ),
        "entropy": lambda p: diff.persistent_entropy(p, mask),
    }[kind]

    def run():
        out = call(padded)
        if backward:
            out.sum().backward()
        return float(out.detach().sum())

    return run


def worker(lib: str, case: str) -> None:
    kind, size = case.split(":")
    n_batch, n_points = (int(v) for v in size.split("x"))
    dgms = diagrams(n_batch, n_points)
    if lib == "gudhi":
        fn = gudhi_call(kind, dgms)
    else:
        fn = calydon_call(kind, dgms, backward=lib.endswith("fwd+bwd"))
    fn()  # warm-up outside the measure: lazy initialisation (autograd engine, allocators)
    result = measure(fn, repeat=3)
    result["value"] = None
    reply(result)


def print_memory(rows: list[dict]) -> None:
    """Markdown table of peak resident-memory growth per call, gudhi / calydon ratios."""
    print("\n## peak resident-memory growth of the measured calls [MiB]\n")
    print("ratio = gudhi / calydon: above 1 means calydon needs less\n")
    print("| case | " + " | ".join(LIBS) + " | gudhi / calydon | gudhi / calydon fwd+bwd |")
    print("|" + "---|" * (len(LIBS) + 3))
    for row in rows:
        cells = [fmt(row.get(lib), digits=1) for lib in LIBS]
        ratios = [fmt_ratio(row.get("gudhi"), row.get(ref)) for ref in LIBS[:2]]
        print(f"| {row['case']} | " + " | ".join(cells + ratios) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["32x200", "32x2000", "1x20000"])
    parser.add_argument("--kinds", nargs="+", default=list(KINDS), choices=KINDS)
    parser.add_argument("--quick", action="store_true", help="4x100 only")
    parser.add_argument("--worker", nargs=2, metavar=("LIB", "CASE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(*args.worker)
        return
    sizes = ["4x100"] if args.quick else args.sizes
    absent = missing("gudhi.representations", "sklearn")
    if absent:
        print(f"gudhi column skipped: {absent}")
    times, memory = [], []
    for kind in args.kinds:
        for size in sizes:
            case = f"{kind}:{size}"
            t_row, m_row = {"case": case}, {"case": case}
            for lib in LIBS:
                if lib == "gudhi" and absent:
                    continue
                result = run_isolated(__file__, lib, case)
                if result.get("status") != "ok":
                    print(f"{case} {lib}: {result.get('status')}", file=sys.stderr)
                    continue
                t_row[lib], m_row[lib] = result["time"], result["peak_mb"]
            times.append(t_row)
            memory.append(m_row)
            print(f"done {case}", flush=True)
    note = "calydon: forward; calydon fwd+bwd: forward + backward of the sum (smoothed Betti)"
    print_table(f"vectorisations, best of 3, one thread ({note})", times)
    print_memory(memory)


if __name__ == "__main__":
    main()
