"""Move a small, noisy loop of points until its H1 diagram matches the diagram of a larger circle.

The loss is the differentiable Wasserstein cost (one matching per step in C++, the cost rebuilt
in torch) plus a little sliced Wasserstein for smoothness; the exact W_2 distance and the
bottleneck distance to the target are printed as the optimisation goes.

Prints a line per 10 steps and a summary, and saves out/05_match_diagrams.png (the clouds and
the H1 diagrams against the target's, before/after).

    .venv/bin/python examples/05_match_diagrams.py
"""

from __future__ import annotations

import argparse
import os

import numpy as np
import torch

import calydon
import calydon.diff as diff


def circle(n: int, radius: float, noise: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    angle = rng.uniform(0, 2 * np.pi, n)
    return radius * np.stack([np.cos(angle), np.sin(angle)], 1) + rng.normal(0, noise, (n, 2))


def h1_diagram(points: torch.Tensor) -> torch.Tensor:
    return diff.persistence_diagram(diff.vr_filtration(points, max_dim=2))[1]


def distances(dgm: np.ndarray, target: np.ndarray) -> tuple[float, float]:
    """(exact W_2, exact bottleneck) between two finite diagrams."""
    w2 = calydon.wasserstein_distance(dgm, target, q=2.0, delta=0.0)
    return w2, calydon.bottleneck_distance(dgm, target, delta=0.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=60)
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--lr", type=float, default=0.02)
    parser.add_argument("--out", default="out/05_match_diagrams.png")
    args = parser.parse_args()

    target_points = circle(args.points, 1.0, 0.02, seed=0)
    target = h1_diagram(torch.tensor(target_points)).detach()
    start = circle(args.points, 0.7, 0.08, seed=1)
    points = torch.tensor(start, requires_grad=True)
    optimizer = torch.optim.Adam([points], lr=args.lr)
    generator = torch.Generator().manual_seed(0)
    before = h1_diagram(points).detach().numpy()
    for step in range(args.steps + 1):
        dgm = h1_diagram(points)
        if step % 10 == 0 or step == args.steps:
            w2, bn = distances(dgm.detach().numpy(), target.numpy())
            print(
                f"step {step:3d}  W2 to target {w2:.4f}  bottleneck {bn:.4f}  H1 points {len(dgm):3d}"
            )
        if step == args.steps:
            break
        cost = diff.wasserstein_cost(dgm, target, wasserstein_q=2.0, wasserstein_delta=0.01)
        loss = cost + 0.1 * diff.sliced_wasserstein_distance(
            dgm, target, n_directions=32, generator=generator
        )
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    after = dgm.detach().numpy()
    save_figure(
        (start, points.detach().numpy(), target_points), (before, after, target.numpy()), args.out
    )
    print(f"figure saved to {args.out}")
    w2_0, bn_0 = distances(before, target.numpy())
    w2_1, bn_1 = distances(after, target.numpy())
    print(
        f"done after {args.steps} steps: W2 to target {w2_0:.4f} -> {w2_1:.4f}, "
        f"bottleneck {bn_0:.4f} -> {bn_1:.4f}"
    )


def save_figure(clouds, diagrams, path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    start, result, target_points = clouds
    before, after, target = diagrams
    fig, axes = plt.subplots(2, 2, figsize=(9, 8))
    hi = max(d[:, 1].max(initial=0.0) for d in diagrams) * 1.05 + 1e-9
    for col, (pts, dgm, title) in enumerate([(start, before, "input"), (result, after, "output")]):
        ax = axes[0, col]
        ax.scatter(target_points[:, 0], target_points[:, 1], s=8, c="lightgray", label="target")
        ax.scatter(pts[:, 0], pts[:, 1], s=8, label=title)
        ax.set_aspect("equal")
        ax.set_title(f"{title} points")
        ax.legend(loc="upper right")
        ax = axes[1, col]
        ax.scatter(target[:, 0], target[:, 1], s=40, marker="x", c="k", label="target H1")
        ax.scatter(dgm[:, 0], dgm[:, 1], s=12, c="tab:orange", label=f"{title} H1")
        ax.plot([0, hi], [0, hi], "k-", lw=0.8)
        ax.set_xlim(0, hi)
        ax.set_ylim(0, hi)
        ax.set_title(f"{title}: {len(dgm)} H1 points")
        ax.set_xlabel("birth")
        ax.set_ylabel("death")
        ax.legend(loc="lower right")
    fig.tight_layout()
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)


if __name__ == "__main__":
    main()
