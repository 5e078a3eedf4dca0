"""Critical-set method: calydon against oineus.diff on the same inputs.

Two operations per (library, case), each in its own subprocess (peak memory = growth of the
resident set during the measured call, see _harness.measure):

* ``crit-sets``: build the differentiable filtration, ``persistence_diagram(fil,
  gradient_method="crit-sets")`` (conflict strategy "avg", step size 1), the loss sum over all
  dimensions of squared persistence, and ``loss.backward()``;
* ``seed loop``: one iteration of the reference's seed loop: build the filtration,
  ``TopologyOptimizer(fil)``, ``eps = get_nth_persistence(1, 11)`` (keep the top 10 H1 points),
  ``simplify(eps, BirthBirth, 1)``, ``singletons``, ``combine_loss(..., Max)``, the loss
  ``mean((fil.values[crit_indices] - crit_values)^2)`` and its backward.

Inputs (tests/python/generators.py): Vietoris-Rips on a noisy unit circle (noise 0.1,
max_dim=2, max_diameter=0.5; uniform points in the unit square at 800 points would need tens of
GB in oineus); smooth random images (Freudenthal and cubical on vertices);
a smooth random 64^3 volume (sigma 1.5, cubical on vertices).

    .venv/bin/python benchmarks/bench_critical_sets.py           # all cases
    .venv/bin/python benchmarks/bench_critical_sets.py --quick   # small sizes (a smoke run)
"""

from __future__ import annotations

import argparse

import numpy as np

import _harness as h
from generators import noisy_circle, smooth_field  # tests/python/generators.py (path: _harness)

LIBRARIES = {"calydon": "calydon.diff", "oineus": "oineus.diff"}
OPERATIONS = ("crit-sets", "seed loop")
CASES = {
    # name: (input factory, builder name, builder keyword arguments)
    "vr400": (lambda: noisy_circle(400, seed=1), "vr", {"max_dim": 2, "max_diameter": 0.5}),
    "vr800": (lambda: noisy_circle(800, seed=1), "vr", {"max_dim": 2, "max_diameter": 0.5}),
    "fr256": (lambda: smooth_field((256, 256), seed=2), "freudenthal", {}),
    "cub256": (lambda: smooth_field((256, 256), seed=2), "cube", {}),
    "fr512": (lambda: smooth_field((512, 512), seed=2), "freudenthal", {}),
    "cub512": (lambda: smooth_field((512, 512), seed=2), "cube", {}),
    "cub64^3": (lambda: smooth_field((64, 64, 64), seed=3, sigma=1.5), "cube", {}),
    # --quick
    "vr150": (lambda: noisy_circle(150, seed=1), "vr", {"max_dim": 2, "max_diameter": 0.5}),
    "fr64": (lambda: smooth_field((64, 64), seed=2), "freudenthal", {}),
    "cub16^3": (lambda: smooth_field((16, 16, 16), seed=3, sigma=1.5), "cube", {}),
}
QUICK_CASES = ["vr150", "fr64", "cub16^3"]
DEFAULT_CASES = [c for c in CASES if c not in QUICK_CASES]


def modules(lib: str):
    """(top-level module with the strategy enums, its diff module)."""
    if lib == "calydon":
        import calydon
        import calydon.diff as diff
    else:
        import oineus as calydon
        import oineus.diff as diff
    return calydon, diff


def build(diff, kind: str, x, kwargs: dict):
    import torch

    t = torch.tensor(x, requires_grad=True)
    builders = {
        "vr": diff.vr_filtration,
        "freudenthal": diff.freudenthal_filtration,
        "cube": diff.cube_filtration,
    }
    return builders[kind](t, **kwargs)


def crit_sets_step(lib: str, kind: str, x, kwargs: dict) -> list[int]:
    _, diff = modules(lib)
    fil = build(diff, kind, x, kwargs)
    dgms = diff.persistence_diagram(
        fil, gradient_method="crit-sets", conflict_strategy="avg", step_size=1.0
    )
    loss = sum((dgms[d][:, 1] - dgms[d][:, 0]).pow(2).sum() for d in dgms.keys())
    loss.backward()
    return [len(dgms[d]) for d in dgms.keys()]


def seed_loop_step(lib: str, kind: str, x, kwargs: dict) -> list[int]:
    import torch

    top, diff = modules(lib)
    fil = build(diff, kind, x, kwargs)
    top_opt = diff.TopologyOptimizer(fil)
    eps = top_opt.get_nth_persistence(1, 11)
    indices, values = top_opt.simplify(eps, top.DenoiseStrategy.BirthBirth, 1)
    critical_sets = top_opt.singletons(indices, values)
    crit_indices, crit_values = top_opt.combine_loss(critical_sets, top.ConflictStrategy.Max)
    crit_indices = np.asarray(crit_indices, dtype=np.int64)
    loss = ((fil.values[crit_indices] - torch.as_tensor(crit_values)) ** 2).mean()
    loss.backward()
    return [len(indices), len(crit_indices)]


def worker(lib: str, case: str, op: str, repeat: int) -> dict:
    err = h.missing(LIBRARIES[lib], "torch")
    if err:
        return {"status": f"not available ({err})"}
    factory, kind, kwargs = CASES[case]
    x = np.ascontiguousarray(factory(), dtype=np.float64)
    run = crit_sets_step if op == "crit-sets" else seed_loop_step
    res = h.measure(lambda: run(lib, kind, x, kwargs), repeat)
    res["sizes"] = res.pop("value")
    return res


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--cases", nargs="*", default=DEFAULT_CASES, choices=list(CASES), metavar="CASE"
    )
    parser.add_argument("--libs", nargs="*", default=list(LIBRARIES), choices=list(LIBRARIES))
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument(
        "--timeout", type=float, default=300.0, help="seconds per (library, case, operation)"
    )
    parser.add_argument(
        "--quick", action="store_true", help=f"smoke run: --cases {' '.join(QUICK_CASES)}"
    )
    parser.add_argument("--worker", nargs=3, metavar=("LIB", "CASE", "OP"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        h.reply(worker(*args.worker, args.repeat))
        return
    cases = QUICK_CASES if args.quick else args.cases
    print(
        f"{'case':9s} {'operation':10s} {'library':8s} {'time [s]':>9s} {'peak MB':>8s} {'x calydon':>9s}  sizes"
    )
    rows = []
    for case in cases:
        for op in OPERATIONS:
            results = {}
            for lib in args.libs:
                res = results[lib] = h.run_isolated(
                    __file__, lib, case, [op, "--repeat", str(args.repeat)], timeout=args.timeout
                )
                ref = results.get("calydon", {}).get("time")
                if res["status"] == "ok":
                    r = h.fmt_ratio(res["time"], ref, 9) if lib != "calydon" else f"{'':9s}"
                    print(
                        f"{case:9s} {op:10s} {lib:8s} {res['time']:9.3f} {res['peak_mb']:8.1f} {r}  {res['sizes']}",
                        flush=True,
                    )
                else:
                    print(f"{case:9s} {op:10s} {lib:8s} {res['status']}", flush=True)
            rows.append(
                {
                    "case": f"{case} {op}",
                    **{lib: results[lib].get("time") for lib in args.libs},
                    "peaks": {lib: results[lib].get("peak_mb") for lib in args.libs},
                }
            )
    print_summary(rows, args.libs)


def print_summary(rows: list[dict], libs: list[str]) -> None:
    h.print_table(
        "critical-set method, one step",
        [{k: v for k, v in r.items() if k != "peaks"} for r in rows],
    )
    print("\npeak memory [MiB] (growth of the resident set during the call):\n")
    print("| case | " + " | ".join(libs) + " |")
    print("|" + "---|" * (len(libs) + 1))
    for r in rows:
        print(
            f"| {r['case']} | "
            + " | ".join(h.fmt(r["peaks"].get(lib), digits=1) for lib in libs)
            + " |"
        )
    print(
        "\nsizes: crit-sets = diagram points per dimension; seed loop = [requests, critical cells]"
    )


if __name__ == "__main__":
    main()
