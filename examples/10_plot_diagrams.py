"""Figures of calydon.vis: diagrams, barcodes, a matching, a diagram gradient and critical sets.

Makes the figures of docs/vis.md (one per function) from a noisy circle and a small smooth
image, and saves them as PNGs under --out (default docs/img, relative to the current directory).

    .venv/bin/python examples/10_plot_diagrams.py --out docs/img
"""

from __future__ import annotations

import argparse
import os

import matplotlib

matplotlib.use("Agg")  # files only, no window

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

import calydon  # noqa: E402
import calydon.diff as diff  # noqa: E402
from calydon import vis  # noqa: E402

DPI = 80


def noisy_circle(n: int, noise: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    angle = rng.uniform(0, 2 * np.pi, n)
    return np.stack([np.cos(angle), np.sin(angle)], 1) + rng.normal(0, noise, (n, 2))


def two_dips(size: int, seed: int) -> np.ndarray:
    """A smooth image with two basins (one finite H0 point of large persistence) plus noise."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0 : 1 : size * 1j, 0 : 1 : size * 1j]
    field = -np.exp(-((x - 0.3) ** 2 + (y - 0.35) ** 2) / 0.03)
    field -= 0.7 * np.exp(-((x - 0.7) ** 2 + (y - 0.65) ** 2) / 0.03)
    return field + 0.03 * rng.standard_normal(field.shape)


def save(ax, out: str, name: str) -> None:
    path = os.path.join(out, name)
    ax.figure.savefig(path, dpi=DPI, bbox_inches="tight")
    plt.close(ax.figure)
    print(f"saved {path}")


def diagram_figures(points: np.ndarray, out: str) -> None:
    dgms = calydon.compute_diagrams_vr(points, max_dim=2, include_inf_points=True)
    save(vis.plot_diagram(dgms, title="Vietoris-Rips, noisy circle"), out, "vis_diagram.png")
    save(vis.plot_barcode(dgms, title="the same diagrams as bars"), out, "vis_barcode.png")
    a = calydon.compute_diagrams_vr(noisy_circle(60, 0.15, seed=3))[1]
    b = calydon.compute_diagrams_vr(noisy_circle(60, 0.25, seed=4))[1]
    ax = vis.plot_matching(a, b, q=2.0, labels=("noise 0.15", "noise 0.25"))
    save(ax, out, "vis_matching.png")


def gradient_figure(points: np.ndarray, out: str) -> None:
    """Loss: grow the most persistent H1 point, shrink every other one."""
    x = torch.tensor(points, requires_grad=True)
    h1 = diff.persistence_diagram(diff.vr_filtration(x, max_dim=2))[1]
    pers = h1[:, 1] - h1[:, 0]
    loss = pers.sum() - 2 * pers.max()
    (grad,) = torch.autograd.grad(loss, h1)
    ax = vis.plot_diagram_gradient(
        h1, grad, dims=1, title="-grad: grow the top H1 point, shrink the rest"
    )
    save(ax, out, "vis_gradient.png")


def critical_set_figures(image: np.ndarray, points: np.ndarray, out: str) -> None:
    """Cancel one point (death cell to the birth value): its critical set is more than the two
    cells a dgm-loss step would move."""
    fil, pixels = calydon.freudenthal_filtration(image, with_critical_vertices=True)
    opt = calydon.TopologyOptimizer(fil)
    h0 = opt.compute_diagram().index_diagram_in_dimension(0)
    values = fil.values()
    basin = h0[np.argmax(values[h0[:, 1]] - values[h0[:, 0]])]
    target, cells = opt.singleton(int(basin[1]), float(values[basin[0]]))
    ax = vis.plot_critical_set(
        (target, cells), image=image, cell_pixels=pixels, point_cells=basin, colorbar=False
    )
    ax.set_title(f"cancel the second basin: {len(cells)} cells")
    save(ax, out, "vis_critical_set_image.png")
    alpha, simplices = calydon.alpha_filtration(points, with_simplices=True)
    opt = calydon.TopologyOptimizer(alpha)
    h1 = opt.compute_diagram().index_diagram_in_dimension(1)
    values = alpha.values()
    loop = h1[np.argmax(values[h1[:, 1]] - values[h1[:, 0]])]
    cells = opt.decrease_death(int(loop[1]))
    ax = vis.plot_critical_set(cells, points=points, cell_vertices=simplices, point_cells=loop)
    ax.set_title(f"alpha, the loop's death moved down: {len(cells)} triangles")
    save(ax, out, "vis_critical_set_points.png")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join("docs", "img"))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    points = noisy_circle(40, 0.1, seed=0)
    diagram_figures(points, args.out)
    gradient_figure(noisy_circle(60, 0.25, seed=3), args.out)
    critical_set_figures(two_dips(24, seed=1), points, args.out)


if __name__ == "__main__":
    main()
