"""Gradients of differentiable Vietoris-Rips diagrams: finite differences (float64, general
position), explicit vs implicit path, coincident points, distance matrices, dtypes."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import calydon.diff as diff
from conftest import seed_of


def loss_of(dgms) -> torch.Tensor:
    """A loss touching births and deaths in every dimension (weights break symmetries)."""
    total = torch.zeros((), dtype=torch.float64)
    for k, dgm in dgms.items():
        finite = torch.isfinite(dgm[:, 1])
        d = dgm[finite]
        total = total + (k + 1.0) * ((d[:, 1] - d[:, 0]) ** 2).sum() + 0.3 * d[:, 1].sum() + 0.7 * d[:, 0].sum()
    return total


def diagram_loss(data: torch.Tensor, from_pwdists=False, max_dim=3, max_diameter=None, dualize=None):
    fil = diff.vr_filtration(data, from_pwdists=from_pwdists, max_dim=max_dim, max_diameter=max_diameter)
    return loss_of(diff.persistence_diagram(fil, dualize=dualize))


def central_differences(f, x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        up, down = x.copy(), x.copy()
        up[i] += eps
        down[i] -= eps
        grad[i] = (f(up) - f(down)) / (2 * eps)
    return grad


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("dualize", [None, False])
def test_points_gradient_matches_finite_differences(seed, dualize):
    x = np.random.default_rng(seed_of("fd", seed)).random((9, 2))
    pts = torch.tensor(x, requires_grad=True)
    diagram_loss(pts, dualize=dualize).backward()
    numeric = central_differences(lambda y: diagram_loss(torch.tensor(y), dualize=dualize).item(), x)
    np.testing.assert_allclose(pts.grad.numpy(), numeric, atol=1e-6, rtol=1e-5)


@pytest.mark.parametrize("seed", range(2))
def test_distance_matrix_gradient_matches_finite_differences(seed):
    x = np.random.default_rng(seed_of("fd-matrix", seed)).random((8, 3))
    dist = np.sqrt(((x[:, None] - x[None]) ** 2).sum(-1))
    D = torch.tensor(dist, requires_grad=True)
    diagram_loss(D, from_pwdists=True).backward()
    g = D.grad.numpy()
    n = len(dist)
    eps = 1e-6
    # The matrix must stay symmetric: perturb (i, j) and (j, i) together, compare with their sum.
    for i in range(n):
        for j in range(i + 1, n):
            up, down = dist.copy(), dist.copy()
            up[i, j] = up[j, i] = dist[i, j] + eps
            down[i, j] = down[j, i] = dist[i, j] - eps
            numeric = (diagram_loss(torch.tensor(up), True).item() - diagram_loss(torch.tensor(down), True).item()) / (2 * eps)
            assert g[i, j] + g[j, i] == pytest.approx(numeric, abs=1e-6, rel=1e-5), (i, j)
    assert np.isfinite(np.diag(g)).all()


@pytest.mark.parametrize("from_pwdists", [False, True])
def test_explicit_and_fast_gradients_are_identical(from_pwdists):
    x = np.random.default_rng(5).random((20, 3))
    data = np.sqrt(((x[:, None] - x[None]) ** 2).sum(-1)) if from_pwdists else x
    grads = []
    for dualize in (None, False):
        t = torch.tensor(data, requires_grad=True)
        diagram_loss(t, from_pwdists=from_pwdists, dualize=dualize).backward()
        grads.append(t.grad)
    torch.testing.assert_close(grads[0], grads[1], rtol=0, atol=1e-14)


def test_coincident_points_have_finite_gradients():
    x = torch.tensor([[0.0, 0.0], [0.0, 0.0], [1.0, 0.0], [1.0, 0.0], [0.3, 0.9], [0.3, 0.9]], requires_grad=True)
    fil = diff.vr_filtration(x, max_dim=2)
    dgms = diff.persistence_diagram(fil, include_inf_points=True)
    (loss_of(dgms) + fil.values.sum()).backward()
    assert torch.isfinite(x.grad).all()
    assert torch.isfinite(fil.values).all()


def test_gradient_reaches_only_critical_edges():
    x = np.random.default_rng(11).random((12, 2))
    pts = torch.tensor(x, requires_grad=True)
    fil = diff.vr_filtration(pts, max_dim=2)
    dgms = diff.persistence_diagram(fil)
    dgms[1][:, 1].sum().backward()
    touched = set(dgms.critical_edges_in_dimension(1)[:, 2:].flatten().tolist())
    moved = set(np.flatnonzero(np.abs(pts.grad.numpy()).sum(1)).tolist())
    assert moved <= touched


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_dtype_is_kept(dtype):
    x = torch.rand(15, 2, dtype=dtype, generator=torch.Generator().manual_seed(0), requires_grad=True)
    fil = diff.vr_filtration(x, max_dim=2)
    dgms = diff.persistence_diagram(fil)
    assert all(d.dtype == dtype for d in dgms.values())
    assert fil.values.dtype == dtype
    loss_of({k: v.double() for k, v in dgms.items()}).backward()
    assert x.grad.dtype == dtype and torch.isfinite(x.grad).all()


def test_gradcheck_points():
    x = torch.tensor(np.random.default_rng(3).random((7, 2)), requires_grad=True)
    assert torch.autograd.gradcheck(lambda y: diagram_loss(y, max_dim=2), (x,), eps=1e-6, atol=1e-6)
