"""Makes docs/figures/critical_sets.png: the same image-denoising task run with the dgm-loss and
the crit-sets gradient.

A 48x48 smooth field with three bumps and three dips, plus noise. The loss is
1/2 sum (death - birth)^2 over the H0 and H1 points of the Freudenthal filtration with
persistence below 0.5; plain gradient descent with learning rate 1. With step_size 0.5 the
crit-sets targets of a point's two cells are its midpoint, so one step could cancel it; the
dgm-loss step moves the same two cells by the same amount, but the pairing changes as soon as
another cell of the chain crosses and the point reappears elsewhere. We count, per step, the
points with persistence in (0.02, 0.5).

    .venv/bin/python docs/figures/make_critical_sets_figure.py
"""

from __future__ import annotations

import os
import time

import numpy as np
import torch

import calydon.diff as diff

SIZE, NOISE, THRESHOLD, FLOOR, STEPS, LR = 48, 0.12, 0.5, 0.02, 60, 1.0
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "critical_sets.png")


def noisy_field(size: int, noise: float, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0 : 1 : size * 1j, 0 : 1 : size * 1j]
    field = np.zeros_like(x)
    for cx, cy, sign in [
        (0.25, 0.3, 1),
        (0.7, 0.25, 1),
        (0.5, 0.75, 1),
        (0.2, 0.75, -1),
        (0.8, 0.7, -1),
        (0.5, 0.45, -1),
    ]:
        field += sign * np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / 0.01)
    return field + noise * rng.standard_normal(field.shape)


def run(start: np.ndarray, method: str) -> tuple[list[int], float]:
    """Small-feature count per step, and the seconds spent."""
    img = torch.tensor(start, requires_grad=True)
    counts = []
    t0 = time.perf_counter()
    for step in range(STEPS + 1):
        dgms = diff.persistence_diagram(
            diff.freudenthal_filtration(img), gradient_method=method, step_size=0.5
        )
        loss, count = 0.0, 0
        for dim in (0, 1):
            pers = dgms[dim][:, 1] - dgms[dim][:, 0]
            small = pers < THRESHOLD
            count += int((small & (pers > FLOOR)).sum())
            loss = loss + 0.5 * pers[small].pow(2).sum()
        counts.append(count)
        if count == 0 or step == STEPS:
            break
        img.grad = None
        loss.backward()
        with torch.no_grad():
            img -= LR * img.grad
    elapsed = time.perf_counter() - t0
    print(
        f"{method:>9}: {counts[0]} -> {counts[-1]} small features in {len(counts) - 1} steps, {elapsed:.2f} s"
    )
    return counts, elapsed


def main() -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    start = noisy_field(SIZE, NOISE)
    fig, ax = plt.subplots(figsize=(6, 3.6))
    for method, style in (("dgm-loss", "-o"), ("crit-sets", "-s")):
        counts, elapsed = run(start, method)
        ax.plot(counts, style, ms=3, label=f"{method} ({elapsed:.1f} s)")
    ax.set_xlabel("gradient step")
    ax.set_ylabel(f"points with {FLOOR} < persistence < {THRESHOLD}")
    ax.set_title(f"denoising a {SIZE}x{SIZE} image (Freudenthal, H0 + H1)")
    ax.set_yscale("symlog", linthresh=1)
    ax.legend()
    fig.tight_layout()
    fig.savefig(OUT, dpi=90)
    print(f"figure saved to {OUT} ({os.path.getsize(OUT) // 1024} KB)")


if __name__ == "__main__":
    main()
