"""Grow the loop of a noisy circle: gradient descent on the points of a cloud to make its most
persistent H1 class live longer and to shrink every other H1 class (the noise).

The Vietoris-Rips diagram comes from the implicit cohomology (no complex is built); its rows are
lengths of critical edges computed in torch, so loss.backward() moves exactly the endpoints of
those edges.

    .venv/bin/python examples/03_rips_circle.py
"""

import numpy as np
import torch

import calydon.diff as diff


def noisy_circle(n: int, noise: float, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    angle = rng.uniform(0, 2 * np.pi, n)
    return np.stack([np.cos(angle), np.sin(angle)], 1) + rng.normal(0, noise, (n, 2))


def h1_summary(dgm: torch.Tensor) -> tuple[float, float]:
    """(persistence of the main class, total persistence of the others)."""
    pers = (dgm[:, 1] - dgm[:, 0]).detach()
    if len(pers) == 0:
        return 0.0, 0.0
    top = pers.max().item()
    return top, pers.sum().item() - top


def main() -> None:
    points = torch.tensor(noisy_circle(150, 0.25), requires_grad=True)
    optimizer = torch.optim.Adam([points], lr=0.01)
    for step in range(41):
        fil = diff.vr_filtration(points, max_dim=2)  # diagrams in H0 and H1
        h1 = diff.persistence_diagram(fil)[1]
        pers = h1[:, 1] - h1[:, 0]
        main_class = torch.argmax(pers)
        noise = torch.cat([pers[:main_class], pers[main_class + 1 :]])
        # Lengthen the main loop, shorten the rest; keep the cloud from simply blowing up.
        loss = -pers[main_class] + (noise**2).sum() + 0.1 * points.pow(2).sum(1).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if step % 10 == 0:
            top, rest = h1_summary(h1)
            print(
                f"step {step:3d}  loss {loss.item():8.4f}  main H1 persistence {top:.4f}  "
                f"other H1 classes {len(h1) - 1:3d} (total persistence {rest:.4f})"
            )


if __name__ == "__main__":
    main()
