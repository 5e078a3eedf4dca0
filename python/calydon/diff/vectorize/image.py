"""Persistence images (Adams et al., JMLR 18, 2017), differentiable, on one diagram or a batch.

Each point ``(b, d)`` becomes ``(b, p = d - b)`` and contributes a Gaussian of standard deviation
``bandwidth``, normalised to integrate to one and scaled by the point's weight; the image samples
the sum at a grid of pixel centres. The Gaussian is separable, so the image is the matrix product
``G_p^T diag(w) G_b`` of two (N, R) tables of 1-D Gaussians: memory O(N * (Rx + Ry)), never
O(N * Rx * Ry).
"""

from __future__ import annotations

import math
import numbers
from typing import Any, Callable

import torch

from ._common import (
    check_positive_float,
    check_positive_int,
    check_weight,
    finish,
    point_weights,
    prepare,
    sum_over_points,
)
from ._grid import check_range, image_axes, require_complete


def _check_resolution(resolution: Any, api: str) -> tuple[int, int]:
    if isinstance(resolution, numbers.Integral) and not isinstance(resolution, bool):
        resolution = (resolution, resolution)
    if isinstance(resolution, (str, bytes)) or not hasattr(resolution, "__len__"):
        raise TypeError(
            f"{api}: resolution must be an int or a pair of ints, got "
            f"{type(resolution).__name__} {resolution!r}"
        )
    if len(resolution) != 2:
        raise ValueError(f"{api}: resolution must be a pair of ints, got {resolution!r}")
    nx, ny = (check_positive_int(r, "resolution", api) for r in resolution)
    return nx, ny


def _gaussian_sum(births, persistence, weights, xs, ys, bandwidth: float) -> torch.Tensor:
    """(B, Ry, Rx): sum over points of w * N((b, p), bandwidth^2 I) at the pixel centres, as the
    product of the two (B, N, R) tables of 1-D Gaussians."""
    scale = -0.5 / bandwidth**2

    def gaussian_products(b: torch.Tensor, p: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
        along_birth = torch.exp(scale * (b.unsqueeze(-1) - xs) ** 2)  # (B, c, Rx)
        along_pers = torch.exp(scale * (p.unsqueeze(-1) - ys) ** 2) * w.unsqueeze(-1)
        return along_pers.transpose(1, 2) @ along_birth  # (B, Ry, Rx)

    cost = xs.shape[0] + ys.shape[0]
    image = sum_over_points(gaussian_products, [births, persistence, weights], cost)
    return image / (2.0 * math.pi * bandwidth**2)


def persistence_image(
    diagrams: torch.Tensor,
    mask: torch.Tensor | None = None,
    *,
    bandwidth: float = 1.0,
    weight: Callable[[torch.Tensor], Any] | None = None,
    resolution: int | tuple[int, int] = (20, 20),
    im_range: Any = None,
    drop_essential: bool = False,
) -> torch.Tensor:
    """Persistence image of a diagram, or of each diagram of a padded batch.

    The values of ``gudhi.representations.PersistenceImage(bandwidth, weight, resolution,
    im_range)`` (its flat vector is ``result.flatten()``), differentiable in the points. Each point
    ``(b, d)`` adds ``w / (2 pi bandwidth^2) * exp(-((x - b)^2 + (y - p)^2) / (2 bandwidth^2))``
    at pixel centre (x, y), with persistence ``p = d - b`` and weight w.

    Parameters
    ----------
    diagrams : torch.Tensor
        Shape (N, 2) of (birth, death) rows, or a padded batch (B, N, 2)
        (``calydon.diff.pad_diagrams``); a floating dtype (integers become float64), any device.
        Rows should have birth <= death.
    mask : torch.Tensor, optional
        Bool, shape ``diagrams.shape[:-1]``, False on padding rows (which contribute nothing);
        None: every row counts.
    bandwidth : float, default 1.0
        Standard deviation of the Gaussian, > 0.
    weight : callable, optional
        Maps a (..., 2) tensor of (birth, persistence) rows (gudhi's coordinates for this class)
        to a (...) tensor of weights, row by row, e.g. ``lambda bp: bp[..., 1] ** 2``, or returns
        a number (a constant weight). None: weight 1.
    resolution : int or tuple of (int, int), default (20, 20)
        (Rx, Ry): pixels along birth and along persistence, each >= 1; one int for both.
    im_range : sequence of 4 floats, optional
        ``[x_min, x_max, y_min, y_max]`` (births, persistences) of the pixel centres: pixel (j, i)
        is centred at ``(linspace(x_min, x_max, Rx)[i], linspace(y_min, y_max, Ry)[j])``. None or
        NaN entries are computed from the diagram (min and max of births and of persistences, a
        constant for autograd); a batch needs all four.
    drop_essential : bool, default False
        Ignore rows with an infinite coordinate; False raises ValueError on one.

    Returns
    -------
    torch.Tensor
        Shape (Ry, Rx), or (B, Ry, Rx) for a batch, in the diagrams' dtype and device: row j is
        persistence ``y_j``, column i birth ``x_i`` (``imshow(img, origin="lower")`` puts
        persistence upwards). Item i of a batch equals the call on item i alone.

    Raises
    ------
    TypeError
        A non-tensor, bool or complex input, a non-bool mask, a non-numeric parameter, a weight
        that is not callable.
    ValueError
        Wrong shapes, NaN, an essential point without ``drop_essential``, ``bandwidth <= 0``,
        ``resolution < 1``, a bad or (for a batch) incomplete ``im_range``, a weight without one
        entry per row.
    """
    api = "persistence_image"
    batch = prepare(diagrams, mask, drop_essential, api)
    bandwidth = check_positive_float(bandwidth, "bandwidth", api)
    weight = check_weight(weight, api)
    nx, ny = _check_resolution(resolution, api)
    bounds = check_range(im_range, 4, "im_range", api)
    require_complete(bounds, batch, "im_range", api)
    xs, ys = image_axes(bounds, (nx, ny), batch)
    births = batch.points[..., 0]
    persistence = batch.points[..., 1] - births
    weights = point_weights(weight, torch.stack([births, persistence], -1), batch, api)
    return finish(_gaussian_sum(births, persistence, weights, xs, ys, bandwidth), batch)
