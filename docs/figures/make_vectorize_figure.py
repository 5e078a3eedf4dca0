"""Makes docs/figures/vectorize_summaries.png: the five calydon.diff vectorisations of one
diagram (H1 of a Vietoris-Rips filtration on two noisy circles of different sizes), and the
gradient of a landscape entry drawn as arrows on the diagram.

    .venv/bin/python docs/figures/make_vectorize_figure.py
"""

from __future__ import annotations

import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

import calydon.diff as diff  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "vectorize_summaries.png")


def two_circles(seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    angle = rng.uniform(0, 2 * np.pi, 90)
    radius = np.where(np.arange(90) < 55, 1.0, 0.5)
    centre = np.where(np.arange(90)[:, None] < 55, [0.0, 0.0], [2.2, 0.0])
    ring = np.stack([np.cos(angle), np.sin(angle)], 1) * radius[:, None] + centre
    return ring + rng.normal(0, 0.08, ring.shape)


def main() -> None:
    fil = diff.vr_filtration(torch.tensor(two_circles()), max_dim=2)
    dgm = diff.persistence_diagram(fil)[1].detach().requires_grad_()
    lo, hi = 0.0, float(dgm.detach().max()) * 1.05
    grid = np.linspace(lo, hi, 200)
    common = {"resolution": 200, "sample_range": (lo, hi)}
    image = diff.persistence_image(
        dgm,
        bandwidth=0.04,
        weight=lambda bp: bp[..., 1],
        resolution=(40, 40),
        im_range=[lo, hi, 0.0, hi],
    )
    lands = diff.persistence_landscape(dgm, num_landscapes=3, **common)
    betti = diff.betti_curve(dgm, **common)
    smooth = diff.betti_curve(dgm, temperature=0.01, **common)
    sil = diff.silhouette(dgm, weight=lambda bd: (bd[..., 1] - bd[..., 0]) ** 2, **common)
    ent = diff.persistent_entropy(dgm, mode="vector", normalized=False, **common)
    (grad,) = torch.autograd.grad(lands[0].sum(), dgm)  # ascent: points leave the diagonal

    plt.rcParams["axes.titlesize"] = 9
    fig, axes = plt.subplots(2, 3, figsize=(11, 6.4))
    arrows = grad.numpy() / grad.norm(dim=1).max().item() * 0.3
    pts = dgm.detach().numpy()
    ax = axes[0, 0]
    ax.scatter(pts[:, 0], pts[:, 1], s=10)
    ax.quiver(
        pts[:, 0],
        pts[:, 1],
        arrows[:, 0],
        arrows[:, 1],
        color="tab:red",
        angles="xy",
        scale_units="xy",
        scale=1,
    )
    ax.plot([lo, hi], [lo, hi], "k-", lw=0.7)
    ax.set_ylim(-0.05, hi * 1.2)
    ax.set(title="H1 diagram, arrows: grad sum(lambda_1)", xlabel="birth", ylabel="death")
    ax = axes[0, 1]
    ax.imshow(image.detach().numpy(), origin="lower", extent=[lo, hi, 0, hi], cmap="magma")
    ax.set(title="persistence_image (weight = persistence)", xlabel="birth", ylabel="persistence")
    ax = axes[0, 2]
    for k, curve in enumerate(lands.detach().numpy()):
        ax.plot(grid, curve, label=f"lambda_{k + 1}")
    ax.set(title="persistence_landscape", xlabel="filtration value")
    ax.legend()
    ax = axes[1, 0]
    ax.step(grid, betti.numpy(), where="post", label="exact")
    ax.plot(grid, smooth.detach().numpy(), label="temperature 0.01")
    ax.set(title="betti_curve", xlabel="filtration value")
    ax.legend()
    axes[1, 1].plot(grid, sil.detach().numpy())
    axes[1, 1].set(title="silhouette (weight = persistence^2)", xlabel="filtration value")
    axes[1, 2].plot(grid, ent.detach().numpy())
    axes[1, 2].set(title="persistent_entropy, mode='vector'", xlabel="filtration value")
    fig.tight_layout()
    fig.savefig(OUT, dpi=70)
    print(f"saved {OUT}")


if __name__ == "__main__":
    main()
