"""Grow the main hole of a noisy 2-D ring with a differentiable alpha filtration.

The loss rewards the persistence of the most persistent H1 point (the ring's hole), penalises
every other H1 point (small spurious loops) and keeps the points inside a disc of radius 2.
Alpha values are squared radii, so persistence is measured in squared units.

    .venv/bin/python examples/04_alpha_holes.py
"""

import numpy as np
import torch

from calydon import diff


def noisy_ring(n: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    angle = rng.uniform(0, 2 * np.pi, n)
    radius = 1 + 0.35 * rng.standard_normal(n)
    return np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1)


def h1_persistence(points: torch.Tensor) -> torch.Tensor:
    dgm = diff.persistence_diagram(diff.alpha_filtration(points))[1]
    return dgm[:, 1] - dgm[:, 0]


def main() -> None:
    torch.manual_seed(0)
    points = torch.tensor(noisy_ring(200), requires_grad=True)
    optimizer = torch.optim.Adam([points], lr=0.01)
    for step in range(61):
        persistence = h1_persistence(points)
        main_hole = persistence.max()
        noise = persistence.sum() - main_hole
        outside = torch.relu(points.norm(dim=1) - 2).pow(2).sum()
        loss = -main_hole + 0.5 * noise + 10 * outside
        if step % 10 == 0:
            print(
                f"step {step:3d}  main hole {main_hole.item():.4f}  other H1 {noise.item():.4f}  "
                f"({len(persistence)} H1 points)  loss {loss.item():+.4f}"
            )
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


if __name__ == "__main__":
    main()
