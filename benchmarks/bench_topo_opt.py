"""The circle experiment of Carrière, Theveneau and Lacombe (NeurIPS 2024): drive H1 to empty.

N points on the unit circle with Gaussian noise (sigma 0.05, tests/python/generators.py
noisy_circle), ``vr_filtration(max_dim=2, max_diameter=2.0)``, the loss sum over all H1 points
of (death - birth)^2, plain gradient descent with step 0.1, at most 250 steps, stopping as soon
as H1 is empty. Four methods, in calydon and in oineus.diff:

* ``dgm-loss``: the default gradient (birth and death cells only);
* ``crit-sets``: ``persistence_diagram(..., gradient_method="crit-sets")`` (avg, step size 1);
* ``smoothing``: dgm-loss through ``calydon.diff.smooth_gradient(x, 0.1, "diffeo")``;
* ``crit-sets+smoothing``: both.

oineus has no smooth_gradient: its smoothing rows apply ``calydon.diff.smooth_gradient`` to the
points tensor before ``oineus.diff.vr_filtration`` (a pure torch autograd Function, so it works).
Both libraries optimise the same function by default: oineus's Vietoris-Rips values are
sqrt(length^2 + 1e-6), and calydon runs with ``vr_filtration(..., eps=1e-6)`` (``--eps 0`` for
exact lengths, calydon's own default). The regularisation matters once points collide.
"Empty" means every H1 bar is shorter than ``--tol`` (default 1e-6, a millionth of the circle's
diameter). Exact emptiness is out of reach in floating point for every method and library: the
loss merges points, and the ties between their distances, broken by rounding, leave bars of
length 1e-16 (float64) or 1e-7 (float32) that no gradient can remove; such bars are still in the
loss. Each (library, method, N) runs in its own subprocess; a run that exceeds ``--budget`` seconds
stops early and reports the steps done (">k") and its time per step.

    .venv/bin/python benchmarks/bench_topo_opt.py            # N = 100 and 200
    .venv/bin/python benchmarks/bench_topo_opt.py --quick    # N = 100, at most 40 steps
"""

from __future__ import annotations

import argparse
import time

import _harness as h
from generators import noisy_circle  # tests/python/generators.py (path: _harness)

LIBRARIES = {"calydon": "calydon.diff", "oineus": "oineus.diff"}
METHODS = {  # name: (gradient_method, smoothing)
    "dgm-loss": ("dgm-loss", False),
    "crit-sets": ("crit-sets", False),
    "smoothing": ("dgm-loss", True),
    "crit-sets+smoothing": ("crit-sets", True),
}
SIGMA, STEP, NOISE, MAX_DIAMETER = 0.1, 0.1, 0.05, 2.0


def descend(
    lib: str, method: str, n: int, max_steps: int, budget: float, tol: float, eps: float
) -> dict:
    """Gradient descent until H1 is empty; {steps, empty, time, per_step}."""
    import torch

    import calydon.diff as cdiff

    diff = cdiff if lib == "calydon" else __import__("oineus.diff", fromlist=["diff"])
    gradient_method, smooth = METHODS[method]
    points = torch.tensor(noisy_circle(n, seed=0, noise=NOISE), requires_grad=True)
    start, steps, empty = time.perf_counter(), 0, False
    while steps <= max_steps and time.perf_counter() - start < budget:
        y = cdiff.smooth_gradient(points, SIGMA, method="diffeo") if smooth else points
        # oineus always regularises its values with its default eps=1e-6; calydon takes --eps.
        extra = {"eps": eps} if lib == "calydon" else {}
        fil = diff.vr_filtration(y, max_dim=2, max_diameter=MAX_DIAMETER, **extra)
        h1 = diff.persistence_diagram(fil, gradient_method=gradient_method)[1]
        if not bool(((h1[:, 1] - h1[:, 0]) > tol).any()):
            empty = True
            break
        if steps == max_steps:
            break
        loss = (h1[:, 1] - h1[:, 0]).pow(2).sum()
        points.grad = None
        loss.backward()
        with torch.no_grad():
            points -= STEP * points.grad
        steps += 1
    elapsed = time.perf_counter() - start
    return {
        "status": "ok",
        "steps": steps,
        "empty": empty,
        "time": elapsed,
        "per_step": elapsed / max(steps, 1),
        "h1_left": int(((h1[:, 1] - h1[:, 0]) > tol).sum()),
    }


def worker(
    lib: str, method: str, n: int, max_steps: int, budget: float, tol: float, eps: float
) -> dict:
    err = h.missing(LIBRARIES[lib], "torch", "calydon.diff")
    if err:
        return {"status": f"not available ({err})"}
    return descend(lib, method, n, max_steps, budget, tol, eps)


def steps_cell(res: dict | None) -> str:
    if res is None or res.get("status") != "ok":
        return "-" if res is None else res["status"][:30]
    return f"{res['steps']}" if res["empty"] else f">{res['steps']} ({res['h1_left']} left)"


def run_all(sizes, libs, max_steps, budget, tol, eps, timeout) -> dict:
    results = {}
    for n in sizes:
        for method in METHODS:
            for lib in libs:
                extra = ["--steps", str(max_steps), "--budget", str(budget), "--n", str(n)]
                extra += ["--tol", repr(tol), "--eps", repr(eps)]
                res = h.run_isolated(__file__, lib, method, extra, timeout=timeout)
                results[(n, method, lib)] = res
                t = (
                    f"{res['time']:.2f} s, {res['per_step'] * 1e3:.1f} ms/step"
                    if res["status"] == "ok"
                    else ""
                )
                print(f"N={n:4d} {method:20s} {lib:8s} steps {steps_cell(res):18s} {t}", flush=True)
    return results


def print_tables(results: dict, sizes, libs) -> None:
    def get(n, m, lib, key):
        res = results.get((n, m, lib))
        return res.get(key) if res and res.get("status") == "ok" else None

    print(f"\n## circle experiment: steps to empty H1 and wall time\n\n{h.RATIO_NOTE}\n")
    head = ["N", "method"] + [f"{lib} steps" for lib in libs] + [f"{lib} time [s]" for lib in libs]
    head += ["oineus / calydon time", "oineus / calydon per step"] if len(libs) == 2 else []
    print("| " + " | ".join(head) + " |\n|" + "---|" * len(head))
    for n in sizes:
        for m in METHODS:
            cells = [str(n), m] + [steps_cell(results.get((n, m, lib))) for lib in libs]
            cells += [h.fmt(get(n, m, lib, "time"), digits=2) for lib in libs]
            if len(libs) == 2:
                cells += [
                    h.fmt_ratio(get(n, m, libs[1], "time"), get(n, m, libs[0], "time")),
                    h.fmt_ratio(get(n, m, libs[1], "per_step"), get(n, m, libs[0], "per_step")),
                ]
            print("| " + " | ".join(cells) + " |")
    print("\n## one crit-sets step / one dgm-loss step (mean time per step)\n")
    print("| N | " + " | ".join(libs) + " |\n|" + "---|" * (len(libs) + 1))
    for n in sizes:
        cells = [
            h.fmt_ratio(get(n, "crit-sets", lib, "per_step"), get(n, "dgm-loss", lib, "per_step"))
            for lib in libs
        ]
        print(f"| {n} | " + " | ".join(cells) + " |")
    print(
        "\n'>k (j left)': stopped after k steps (step cap or --budget) with j H1 bars left "
        "longer than --tol."
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 200])
    parser.add_argument("--libs", nargs="*", default=list(LIBRARIES), choices=list(LIBRARIES))
    parser.add_argument("--steps", type=int, default=250, help="step cap")
    parser.add_argument(
        "--budget", type=float, default=40.0, help="seconds per run before stopping early"
    )
    parser.add_argument(
        "--tol", type=float, default=1e-6, help="H1 bars shorter than this are gone"
    )
    parser.add_argument(
        "--eps",
        type=float,
        default=1e-6,
        help="calydon's vr_filtration eps (values sqrt(length^2 + eps)); oineus uses 1e-6",
    )
    parser.add_argument("--quick", action="store_true", help="smoke run: N = 100, at most 40 steps")
    parser.add_argument("--n", type=int, default=100, help=argparse.SUPPRESS)
    parser.add_argument("--worker", nargs=2, metavar=("LIB", "METHOD"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        lib, method = args.worker
        h.reply(worker(lib, method, args.n, args.steps, args.budget, args.tol, args.eps))
        return
    sizes, max_steps, budget = (
        ([100], 40, min(args.budget, 15.0)) if args.quick else (args.sizes, args.steps, args.budget)
    )
    print(
        f"circle experiment: noise {NOISE}, max_diameter {MAX_DIAMETER}, step {STEP}, sigma {SIGMA}, "
        f"at most {max_steps} steps, budget {budget:.0f} s per run, H1 empty below {args.tol:g}, "
        f"calydon eps {args.eps:g}"
    )
    results = run_all(sizes, args.libs, max_steps, budget, args.tol, args.eps, timeout=budget + 120)
    print_tables(results, sizes, args.libs)


if __name__ == "__main__":
    main()
