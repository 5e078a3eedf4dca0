"""Topological denoising of an image: the main calydon demo (`make demo`).

A smooth field with one large bump and one large dip (height 1) carries six small bumps and dips
(height 0.3-0.35) and mild noise. We optimise the pixels so that every H0 and H1 feature of the
sublevel filtration with persistence between the noise floor (0.05) and a threshold (0.5)
disappears: the small bumps and dips are flattened to the level of their saddles, the large ones
and the noise are left as they are. The gradient of the diagram loss flows through calydon.diff
back to the extremal pixels only (gradient_method="dgm-loss").

Prints a line per 20 steps and saves out/01_denoise_image.png: input, output and their
difference on one colour scale, and the diagrams before and after.

    .venv/bin/python examples/01_denoise_image.py
"""

from __future__ import annotations

import argparse
import os

import numpy as np
import torch

import calydon
import calydon.diff as diff

# (x, y, height, width): two large features that must survive, six small ones that must go.
LARGE = [(0.3, 0.3, 1.0, 0.02), (0.72, 0.65, -1.0, 0.02)]
SMALL = [
    (0.15, 0.8, 0.35),
    (0.5, 0.15, -0.35),
    (0.85, 0.2, 0.35),
    (0.45, 0.85, -0.35),
    (0.6, 0.45, 0.3),
    (0.15, 0.5, -0.3),
]


def bumpy_field(size: int, noise: float, seed: int) -> np.ndarray:
    """Large and small Gaussian bumps and dips on the unit square, plus Gaussian noise."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0 : 1 : size * 1j, 0 : 1 : size * 1j]
    field = np.zeros_like(x)
    bumps = LARGE + [(cx, cy, h, 0.002) for cx, cy, h in SMALL]
    for cx, cy, height, width in bumps:
        field += height * np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / width)
    return field + noise * rng.standard_normal(field.shape)


def flattening_loss(dgms, threshold: float, floor: float) -> tuple[torch.Tensor, int]:
    """Half the squared persistence of every H0/H1 point with floor < persistence < threshold,
    with the gradient on its extremum only, and the number of such points.

    Sublevel sets: a small dip is an H0 point whose birth is its minimum, a small bump an H1
    point whose death is its maximum. Detaching the other end of each pair makes the gradient
    raise the minimum to its saddle level (dips) or lower the maximum to its saddle level
    (bumps), so a feature is flattened rather than dug around. Points at or below ``floor`` are
    the noise of the input: they are left alone, and so is every pixel that is not an extremum.
    """
    loss, count = torch.zeros(()), 0
    for dim in (0, 1):
        birth, death = dgms[dim][:, 0], dgms[dim][:, 1]
        pers = (death - birth).detach()
        small = (pers > floor) & (pers < threshold)
        count += int(small.sum())
        moving = birth - death.detach() if dim == 0 else death - birth.detach()
        loss = loss + 0.5 * moving[small].pow(2).sum()
    return loss, count


def count_above(dgms, floor: float) -> list[int]:
    return [int((d[:, 1] - d[:, 0] > floor).sum()) for d in (dgms[0], dgms[1])]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=96)
    parser.add_argument("--steps", type=int, default=400)
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--noise", type=float, default=0.005)
    parser.add_argument("--lr", type=float, default=0.01)
    parser.add_argument(
        "--floor", type=float, default=0.05, help="persistence below which a point is noise"
    )
    parser.add_argument("--out", default="out/01_denoise_image.png")
    args = parser.parse_args()

    start = bumpy_field(args.size, args.noise, seed=0)
    img = torch.tensor(start, requires_grad=True)
    opt = torch.optim.Adam([img], lr=args.lr)
    before = calydon.compute_diagrams_ls(start, include_inf_points=False)
    print(
        f"image {args.size}x{args.size}: {len(before[0])} H0 and {len(before[1])} H1 points, "
        f"H0/H1 above {args.floor}: {'/'.join(map(str, count_above(before, args.floor)))}; "
        f"removing every feature with persistence < {args.threshold}"
    )
    for step in range(args.steps + 1):
        opt.zero_grad()
        dgms = diff.persistence_diagram(diff.freudenthal_filtration(img))
        loss, n_small = flattening_loss(dgms, args.threshold, args.floor)
        if step % 20 == 0 or n_small == 0:
            print(f"step {step:4d}  loss {loss.item():9.6f}  small features left: {n_small}")
        if n_small == 0 or step == args.steps:
            break
        loss.backward()
        opt.step()

    result = img.detach().numpy()
    after = calydon.compute_diagrams_ls(result, include_inf_points=False)
    save_figure(start, result, before, after, args.threshold, args.out)
    print(f"figure saved to {args.out}")
    big = count_above(after, args.floor)
    change = np.abs(result - start)
    print(
        f"done after {step} steps: H0/H1 points with persistence above {args.floor}: "
        f"{big[0]}/{big[1]}; |change| mean {change.mean():.4f}, max {change.max():.4f}"
    )


def plot_diagram(ax, dgms, title: str, threshold: float, lo: float, hi: float) -> None:
    for dim, color in ((0, "tab:blue"), (1, "tab:orange")):
        if len(dgms[dim]):
            ax.scatter(dgms[dim][:, 0], dgms[dim][:, 1], s=8, c=color, label=f"H{dim}")
    ax.plot([lo, hi], [lo, hi], "k-", lw=0.8)
    ax.plot([lo, hi], [lo + threshold, hi + threshold], "k--", lw=0.6, label="threshold")
    ax.set_xlim(lo, hi)
    ax.set_ylim(lo, hi)
    ax.set_aspect("equal")
    ax.set_title(title)
    ax.set_xlabel("birth")
    ax.set_ylabel("death")
    ax.legend(loc="lower right")


def save_figure(start, result, before, after, threshold, path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplot_mosaic(
        [["in", "in", "out", "out", "diff", "diff"], ["b", "b", "b", "a", "a", "a"]],
        figsize=(12, 8.5),
        layout="constrained",
        height_ratios=[1, 1.35],
    )
    # One symmetric, diverging colour scale for the three images: the difference panel shows
    # exactly what the optimisation moved, in the units of the field.
    scale = float(max(np.abs(start).max(), np.abs(result).max()))
    panels = [
        ("in", start, "input"),
        ("out", result, "output"),
        ("diff", result - start, "output - input"),
    ]
    for key, image, title in panels:
        shown = axes[key].imshow(image, cmap="RdBu_r", vmin=-scale, vmax=scale, origin="lower")
        axes[key].set_title(title)
        axes[key].axis("off")
    fig.colorbar(shown, ax=[axes[k] for k, _, _ in panels], shrink=0.8, label="value")
    lo = min(start.min(), result.min()) - 0.1
    hi = max(start.max(), result.max()) + 0.1
    plot_diagram(axes["b"], before, f"diagram before ({count_sizes(before)})", threshold, lo, hi)
    plot_diagram(axes["a"], after, f"diagram after ({count_sizes(after)})", threshold, lo, hi)
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    fig.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(fig)


def count_sizes(dgms) -> str:
    return f"{len(dgms[0])} H0, {len(dgms[1])} H1 points"


if __name__ == "__main__":
    main()
