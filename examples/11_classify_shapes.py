"""Classify point clouds by their persistence images: noisy circles (one loop) against noisy
figure-eights (two loops), at random scales and rotations.

Each cloud's H1 diagram comes from the Vietoris-Rips filtration (calydon.diff, all clouds in one
call); the padded batch of diagrams becomes a batch of persistence images in one call, on a pixel
range fitted on the training set (a batch needs an explicit range, so that an image depends on
its own diagram only); a small torch MLP learns from the images. The images are differentiable
in the points, so the same pipeline trains end to end when the clouds are learned.

    .venv/bin/python examples/11_classify_shapes.py --steps 150 --out out/11_classify_shapes.png
"""

import argparse
import os

import numpy as np
import torch

import calydon.diff as diff

RESOLUTION = (16, 16)


def circle(n: int, rng: np.random.Generator) -> np.ndarray:
    angle = rng.uniform(0, 2 * np.pi, n)
    return np.stack([np.cos(angle), np.sin(angle)], 1)


def figure_eight(n: int, rng: np.random.Generator) -> np.ndarray:
    """Two unit-diameter circles touching at the origin (as wide as the unit circle)."""
    loop = circle(n, rng) * 0.5
    side = np.where(rng.random(n) < 0.5, -0.5, 0.5)
    return loop + np.stack([side, np.zeros(n)], 1)


def make_clouds(per_class: int, n_points: int, noise: float, rng: np.random.Generator):
    clouds, labels = [], []
    for label, shape in enumerate((circle, figure_eight)):
        for _ in range(per_class):
            scale = rng.uniform(0.4, 1.6)  # a small circle looks like one loop of a big eight
            turn = rng.uniform(0, 2 * np.pi)
            rotation = np.array([[np.cos(turn), -np.sin(turn)], [np.sin(turn), np.cos(turn)]])
            cloud = shape(n_points, rng) @ rotation.T * scale
            clouds.append(cloud + rng.normal(0, noise * scale, cloud.shape))
            labels.append(label)
    return clouds, np.array(labels)


def h1_images(clouds, im_range=None, bandwidth=None):
    """(B, Ry, Rx) persistence images of the clouds' H1 diagrams, weighted by persistence."""
    fils = [diff.vr_filtration(torch.tensor(c), max_dim=2) for c in clouds]
    padded, mask = diff.pad_diagrams([d[1] for d in diff.persistence_diagrams(fils)])
    if im_range is None:  # fitted on these (training) diagrams, as gudhi's fit() does
        rows = padded[mask]
        pers = rows[:, 1] - rows[:, 0]
        im_range = [0.0, float(rows[:, 0].max()), 0.0, float(pers.max())]
        bandwidth = 0.05 * max(im_range[1], im_range[3])
    images = diff.persistence_image(
        padded,
        mask,
        bandwidth=bandwidth,
        weight=lambda bp: bp[..., 1],
        resolution=RESOLUTION,
        im_range=im_range,
    )
    return images, im_range, bandwidth


def train(train_x, train_y, test_x, test_y, steps: int, seed: int):
    torch.manual_seed(seed)
    scale = train_x.amax()
    train_x, test_x = train_x / scale, test_x / scale
    model = torch.nn.Sequential(
        torch.nn.Flatten(),
        torch.nn.Linear(train_x[0].numel(), 32),
        torch.nn.ReLU(),
        torch.nn.Linear(32, 2),
    ).double()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.003)
    history = []
    for step in range(steps):
        loss = torch.nn.functional.cross_entropy(model(train_x), train_y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        with torch.no_grad():
            accuracy = (model(test_x).argmax(1) == test_y).double().mean().item()
        history.append((loss.item(), accuracy))
        if step % 25 == 0 or step == steps - 1:
            print(f"step {step:4d}  train loss {loss.item():.4f}  test accuracy {accuracy:.3f}")
    return history


def save_figure(images, labels, history, path: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(10, 4.2))
    grid = fig.add_gridspec(2, 5)
    for row, name in enumerate(("circle", "figure-eight")):
        picks = np.flatnonzero(labels == row)[:3]
        for col, i in enumerate(picks):
            ax = fig.add_subplot(grid[row, col])
            ax.imshow(images[i].numpy(), origin="lower", cmap="magma")
            ax.set_xticks([])
            ax.set_yticks([])
            ax.set_title(f"{name} {col + 1}", fontsize=9)
            if col == 0:
                ax.set_ylabel("persistence")
    ax = fig.add_subplot(grid[:, 3:])
    loss, accuracy = np.array(history).T
    ax.plot(loss, label="train loss")
    ax.plot(accuracy, label="test accuracy")
    ax.set_xlabel("step")
    ax.set_ylim(0, max(1.05, loss.max() * 1.05))
    ax.legend(loc="center right")
    ax.set_title("training (H1 persistence images, birth to the right)", fontsize=9)
    fig.tight_layout()
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    fig.savefig(path, dpi=80)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=150)
    parser.add_argument("--per-class", type=int, default=40, help="clouds per class")
    parser.add_argument("--points", type=int, default=60, help="points per cloud")
    parser.add_argument("--noise", type=float, default=0.15)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default="out/11_classify_shapes.png")
    args = parser.parse_args()
    torch.set_num_threads(min(2, torch.get_num_threads()))

    rng = np.random.default_rng(args.seed)
    clouds, labels = make_clouds(args.per_class, args.points, args.noise, rng)
    order = rng.permutation(len(clouds))
    half = len(order) // 2
    train_idx, test_idx = order[:half], order[half:]
    train_x, im_range, bandwidth = h1_images([clouds[i] for i in train_idx])
    test_x, _, _ = h1_images([clouds[i] for i in test_idx], im_range, bandwidth)
    print(
        f"{len(clouds)} clouds of {args.points} points; images {tuple(train_x.shape[1:])} on "
        f"im_range {[round(v, 3) for v in im_range]}, bandwidth {bandwidth:.3f}"
    )
    train_y = torch.as_tensor(labels[train_idx])
    test_y = torch.as_tensor(labels[test_idx])
    history = train(train_x, train_y, test_x, test_y, args.steps, args.seed)
    save_figure(train_x, labels[train_idx], history, args.out)
    print(f"figure saved to {args.out}")
    correct = round(history[-1][1] * len(test_idx))
    print(
        f"summary: test accuracy {history[-1][1]:.3f} ({correct}/{len(test_idx)} clouds) after "
        f"{args.steps} steps, circles vs figure-eights from H1 persistence images"
    )


if __name__ == "__main__":
    main()
