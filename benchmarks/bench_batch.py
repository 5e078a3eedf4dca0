"""A batch of images in one call: calydon against Betti-Matching-3D's list call.

64 smooth random images of 128 x 128 (tests/python/generators.py smooth_field, one seed per
image), cubical complex with values on pixels (the construction Betti-Matching-3D uses: their
diagrams are identical). calydon's rows run in interleaved rounds (each round calls every row
once, so a machine whose speed drifts slows them alike); each row is the best of ``--repeat``
rounds, and the speed-ups of two threads are also given by median rounds:

* ``calydon.diff.persistence_diagrams`` of the 64 ``cube_filtration`` s, the loss sum over all
  diagrams of squared persistence, and its backward (fwd+bwd), at n_threads 1 and 2: "batch"
  builds each image from its own leaf tensor, "stacked" splits one (64, 128, 128) leaf tensor
  with ``batch_dims=1`` (as a training loop holds its batch);
* the same through 64 sequential ``persistence_diagram`` calls (one thread);
* diagrams only: ``calydon.compute_diagrams_cubical(stack, batch_dims=1)`` at n_threads 1 and 2,
  and ``betti_matching.compute_barcode(list_of_images)`` (one ``std::async`` task per image).

Betti-Matching-3D ships inside ``topolosses`` (PyPI); its requirements pull torchvision and
OpenCV, so ``make bench`` installs it with ``--no-deps`` and this script loads its compiled
module directly, without the package's Python layer.

    .venv/bin/python benchmarks/bench_batch.py [--batch 64] [--size 128] [--repeat 15]
    .venv/bin/python benchmarks/bench_batch.py --quick   # 8 images of 64^2 (a smoke run)
"""

from __future__ import annotations

import argparse
import glob
import importlib.machinery
import importlib.util
import site

import numpy as np

import _harness as h
from generators import smooth_field  # tests/python/generators.py (path: _harness)


def betti_matching_module():
    """The compiled ``betti_matching`` module of topolosses, or None when not installed."""
    for root in site.getsitepackages():
        pattern = f"{root}/topolosses/losses/betti_matching/src/betti_matching*.so"
        for path in glob.glob(pattern):
            loader = importlib.machinery.ExtensionFileLoader("betti_matching", path)
            spec = importlib.util.spec_from_loader("betti_matching", loader)
            module = importlib.util.module_from_spec(spec)
            loader.exec_module(module)
            return module
    return None


def calydon_fwd_bwd(images, stack, n_threads: int, how: str) -> None:
    """``how``: "batch" (one call on 64 leaf tensors), "stacked" (one (64, H, W) leaf tensor
    split by ``batch_dims=1``, one call) or "calls" (64 leaf tensors, one call each)."""
    import torch

    import calydon.diff as diff

    if how == "stacked":
        fils = diff.cube_filtration(torch.tensor(stack, requires_grad=True), batch_dims=1)
    else:
        fils = [diff.cube_filtration(torch.tensor(x, requires_grad=True)) for x in images]
    if how == "calls":
        results = [diff.persistence_diagram(f) for f in fils]
    else:
        results = diff.persistence_diagrams(fils, n_threads=n_threads)
    loss = sum((d[:, 1] - d[:, 0]).pow(2).sum() for r in results for d in r.values())
    loss.backward()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--size", type=int, default=128)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--quick", action="store_true", help="smoke run: 8 images of 64^2")
    args = parser.parse_args()
    if args.quick:
        args.batch, args.size, args.repeat = 8, 64, 1
    import torch

    import calydon

    torch.set_num_threads(1)  # only calydon's threads differ between the rows
    images = [smooth_field((args.size, args.size), seed=s) for s in range(args.batch)]
    stack = np.stack(images)
    rows = {}
    for how in ("batch", "stacked"):
        for threads in (1, 2):
            rows[f"calydon fwd+bwd, {how}, {threads} thr"] = lambda t=threads, w=how: (
                calydon_fwd_bwd(images, stack, t, w)
            )
    rows[f"calydon fwd+bwd, {args.batch} calls"] = lambda: calydon_fwd_bwd(
        images, stack, 1, "calls"
    )
    for threads in (1, 2):
        rows[f"calydon diagrams, batch, {threads} thr"] = lambda t=threads: (
            calydon.compute_diagrams_cubical(stack, batch_dims=1, n_threads=t)
        )
    rounds = h.times_interleaved(rows, args.repeat)
    timed = h.best_of(rounds)
    bm = betti_matching_module()
    if bm is not None:
        timed["Betti-Matching-3D diagrams, list call"] = h.best_time(
            lambda: bm.compute_barcode(images), args.repeat, warmup=True
        )
    else:
        print("Betti-Matching-3D not installed (pip install --no-deps topolosses): row skipped")
    print(f"\n## {args.batch} images of {args.size}^2, cubical (values on pixels)\n")
    reference = timed["calydon fwd+bwd, batch, 2 thr"]
    print("| row | time [s] | row / calydon fwd+bwd batch 2 thr |\n|---|---|---|")
    for name, seconds in timed.items():
        print(f"| {name} | {seconds:.3f} | {h.fmt_ratio(seconds, reference)} |")
    print("\nspeed-ups of 2 threads over 1 (best rounds; median rounds):")
    for what in ("fwd+bwd, batch", "fwd+bwd, stacked", "diagrams, batch"):
        one, two = (rounds[f"calydon {what}, {t} thr"] for t in (1, 2))
        by_median = h.fmt_ratio(float(np.median(one)), float(np.median(two)))
        print(f"  {what}: {h.fmt_ratio(min(one), min(two))}; {by_median}")


if __name__ == "__main__":
    main()
