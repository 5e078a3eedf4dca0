"""Move a small, noisy loop of points until its H1 diagram matches the diagram of a larger circle.

The loss is the differentiable Wasserstein cost (one matching per step in C++, the cost rebuilt
in torch) plus a little sliced Wasserstein for smoothness; the exact W_2 distance and the
bottleneck distance to the target are printed as the optimisation goes.

    .venv/bin/python examples/05_match_diagrams.py
"""

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


def main() -> None:
    target = h1_diagram(torch.tensor(circle(60, 1.0, 0.02, seed=0))).detach()
    points = torch.tensor(circle(60, 0.7, 0.08, seed=1), requires_grad=True)
    optimizer = torch.optim.Adam([points], lr=0.02)
    generator = torch.Generator().manual_seed(0)
    for step in range(41):
        dgm = h1_diagram(points)
        cost = diff.wasserstein_cost(dgm, target, wasserstein_q=2.0, wasserstein_delta=0.01)
        loss = cost + 0.1 * diff.sliced_wasserstein_distance(
            dgm, target, n_directions=32, generator=generator
        )
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if step % 10 == 0:
            d = dgm.detach().numpy()
            w2 = calydon.wasserstein_distance(d, target.numpy(), q=2.0, delta=0.0)
            bn = calydon.bottleneck_distance(d, target.numpy(), delta=0.0)
            print(
                f"step {step:3d}  W2 to target {w2:.4f}  bottleneck {bn:.4f}  H1 points {len(d):3d}"
            )


if __name__ == "__main__":
    main()
