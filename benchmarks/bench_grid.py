"""Grid persistence benchmark: calydon vs gudhi, cripser and oineus on smooth random images.

Run:  .venv/bin/python benchmarks/bench_grid.py [--sizes 256 512 1024] [--volume 64] [--repeats 3]
      .venv/bin/python benchmarks/bench_grid.py --quick     # one 64x64 image and a 16^3 volume

Same inputs, one process. Diagram columns compute all diagrams (H0..H_{D-1}); the calydon
fwd+bwd column builds the differentiable filtration, the diagram tensors, a total-persistence
loss and its backward pass. Ratios are peer / calydon, so > 1 means calydon is faster.
"""

from __future__ import annotations

import argparse

import numpy as np

import calydon
from _harness import best_time, optional_import, print_table
from generators import smooth_field  # tests/python/generators.py (sys.path set by _harness)

gudhi = optional_import("gudhi")
cripser = optional_import("cripser")
oineus = optional_import("oineus")
torch = optional_import("torch")


def calydon_fwd_bwd(x, builder):
    import calydon.diff as diff

    t = torch.tensor(x, requires_grad=True)
    dgms = diff.persistence_diagram(builder(t))
    loss = sum((d[:, 1] - d[:, 0]).sum() for d in dgms.values())
    loss.backward()


def oineus_fwd_bwd(x):
    import oineus.diff as odiff

    t = torch.tensor(x, requires_grad=True)
    dgms = odiff.persistence_diagram(odiff.freudenthal_filtration(t))
    loss = sum((dgms[d][:, 1] - dgms[d][:, 0]).sum() for d in dgms.keys())
    loss.backward()


def run_case(x, repeats):
    import calydon.diff as diff

    top = x.ndim - 1
    vertex_row, cells_row, fr_row = (
        {"case": f"{x.shape} vertices"},
        {"case": f"{x.shape} top cells"},
        {"case": f"{x.shape} Freudenthal"},
    )
    vertex_row["calydon"] = best_time(lambda: calydon.compute_diagrams_cubical(x), repeats)
    vertex_row["calydon fwd+bwd"] = best_time(
        lambda: calydon_fwd_bwd(x, diff.cube_filtration), repeats
    )
    cells_row["calydon"] = best_time(
        lambda: calydon.compute_diagrams_cubical(x, values_on="cells"), repeats
    )
    fr_row["calydon"] = best_time(lambda: calydon.compute_diagrams_ls(x), repeats)
    fr_row["calydon fwd+bwd"] = best_time(
        lambda: calydon_fwd_bwd(x, diff.freudenthal_filtration), repeats
    )
    if gudhi:

        def gudhi_run(**kw):
            cc = gudhi.CubicalComplex(**kw)
            cc.compute_persistence(homology_coeff_field=2)

        vertex_row["gudhi"] = best_time(lambda: gudhi_run(vertices=x), repeats)
        cells_row["gudhi"] = best_time(lambda: gudhi_run(top_dimensional_cells=x), repeats)
    if cripser:
        # computePH_T puts values on vertices (T-construction), computePH on top cells (V-construction).
        vertex_row["cripser"] = best_time(lambda: cripser.computePH_T(x, maxdim=top), repeats)
        cells_row["cripser"] = best_time(lambda: cripser.computePH(x, maxdim=top), repeats)
    if oineus:
        fr_row["oineus"] = best_time(lambda: oineus.compute_diagrams_ls(x, max_dim=top), repeats)
        if torch:
            fr_row["oineus.diff fwd+bwd"] = best_time(lambda: oineus_fwd_bwd(x), repeats)
        vertex_row["oineus"] = best_time(
            lambda: oineus.reduce(oineus.cube_filtration(x)).diagram(oineus.cube_filtration(x)),
            repeats,
        )
    return vertex_row, cells_row, fr_row


def check_agreement(x):
    """Sanity: calydon's finite H0 count equals gudhi's on the same input."""
    if not gudhi:
        return
    cc = gudhi.CubicalComplex(vertices=x)
    cc.compute_persistence(homology_coeff_field=2)
    g = cc.persistence_intervals_in_dimension(0)
    g = g[np.isfinite(g[:, 1]) & (g[:, 1] > g[:, 0])]
    ours = calydon.compute_diagrams(calydon.cube_filtration(x), include_inf_points=False)[0]
    assert len(g) == len(ours), (len(g), len(ours))


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sizes", type=int, nargs="*", default=[256, 512, 1024], help="n for n x n images"
    )
    parser.add_argument("--volume", type=int, default=64, help="n for an n^3 volume (0: none)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--quick", action="store_true", help="smoke run: --sizes 64 --volume 16 --repeats 1"
    )
    args = parser.parse_args()
    if args.quick:
        args.sizes, args.volume, args.repeats = [64], 16, 1
    tables = {"vertices": [], "top cells": [], "Freudenthal": []}
    inputs = [smooth_field((n, n)) for n in args.sizes]
    if args.volume:
        inputs.append(smooth_field((args.volume,) * 3, sigma=2.0))
    for x in inputs:
        check_agreement(x)
        repeats = args.repeats if x.size <= 512 * 512 else 1
        for table, row in zip(tables.values(), run_case(x, repeats)):
            table.append(row)
            print(row, flush=True)
    for name, rows in tables.items():
        print_table(f"cubical / Freudenthal persistence, values on {name}", rows, "calydon")


if __name__ == "__main__":
    main()
