"""Grow the loop of a noisy circle: gradient descent on the points of a cloud to make its most
persistent H1 class live longer and to shrink every other H1 class (the noise).

The Vietoris-Rips diagram comes from the implicit cohomology (no complex is built); its rows are
lengths of critical edges computed in torch, so loss.backward() moves exactly the endpoints of
those edges.

Prints a line per 10 steps and a summary, and saves out/03_rips_circle.png (points and H1
diagrams, before/after).

    .venv/bin/python examples/03_rips_circle.py
"""

from __future__ import annotations

import argparse
import os

import numpy as np
import torch

import calydon.diff as diff


def noisy_circle(n: int, noise: float, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    angle = rng.uniform(0, 2 * np.pi, n)
    return np.stack([np.cos(angle), np.sin(angle)], 1) + rng.normal(0, noise, (n, 2))


def h1_diagram(points: torch.Tensor) -> torch.Tensor:
    fil = diff.vr_filtration(points, max_dim=2)  # diagrams in H0 and H1
    return diff.persistence_diagram(fil)[1]


def h1_summary(dgm: torch.Tensor) -> tuple[float, float]:
    """(persistence of the main class, total persistence of the others)."""
    pers = (dgm[:, 1] - dgm[:, 0]).detach()
    if len(pers) == 0:
        return 0.0, 0.0
    top = pers.max().item()
    return top, pers.sum().item() - top


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=150)
    parser.add_argument("--noise", type=float, default=0.25)
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--lr", type=float, default=0.01)
    parser.add_argument("--out", default="out/03_rips_circle.png")
    args = parser.parse_args()

    start = noisy_circle(args.points, args.noise)
    points = torch.tensor(start, requires_grad=True)
    optimizer = torch.optim.Adam([points], lr=args.lr)
    before = h1_diagram(points).detach().numpy()
    for step in range(args.steps + 1):
        h1 = h1_diagram(points)
        pers = h1[:, 1] - h1[:, 0]
        main_class = torch.argmax(pers)
        noise = torch.cat([pers[:main_class], pers[main_class + 1 :]])
        # Lengthen the main loop, shorten the rest; keep the cloud from simply blowing up.
        loss = -pers[main_class] + (noise**2).sum() + 0.1 * points.pow(2).sum(1).mean()
        if step % 10 == 0 or step == args.steps:
            top, rest = h1_summary(h1)
            print(
                f"step {step:3d}  loss {loss.item():8.4f}  main H1 persistence {top:.4f}  "
                f"other H1 classes {len(h1) - 1:3d} (total persistence {rest:.4f})"
            )
        if step == args.steps:
            break
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    after = h1_diagram(points).detach().numpy()
    save_figure(start, points.detach().numpy(), before, after, args.out)
    print(f"figure saved to {args.out}")
    top0, rest0 = h1_summary(torch.from_numpy(before))
    top1, rest1 = h1_summary(torch.from_numpy(after))
    print(
        f"done after {args.steps} steps: main H1 persistence {top0:.4f} -> {top1:.4f}, "
        f"other H1 classes {len(before) - 1} -> {len(after) - 1} "
        f"(total persistence {rest0:.4f} -> {rest1:.4f})"
    )


def save_figure(start, result, before, after, path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from calydon.vis import plot_diagram

    fig, axes = plt.subplots(2, 2, figsize=(9, 8))
    for col, (pts, dgm, title) in enumerate([(start, before, "input"), (result, after, "output")]):
        axes[0, col].scatter(pts[:, 0], pts[:, 1], s=8)
        axes[0, col].set_aspect("equal")
        axes[0, col].set_title(f"{title} points")
        plot_diagram(dgm, dims=1, ax=axes[1, col], title=f"{title}: {len(dgm)} H1 points")
    fig.tight_layout()
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)


if __name__ == "__main__":
    main()
