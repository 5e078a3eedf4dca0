"""Gradients of the vectorisations against finite differences (torch.autograd.gradcheck, float64)
on diagrams in general position, single and batched, and the gradient of a computed range (a
constant); the exact Betti curve has no graph."""

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import calydon.diff as diff
from generators import random_diagram
from vectorize_cases import CASES, DIFFERENTIABLE


def _points(n: int, seed: int) -> torch.Tensor:
    dgm = random_diagram(n, seed=seed, scale=1.5, min_persistence=0.05) - 0.4
    return torch.tensor(dgm, requires_grad=True)


@pytest.mark.parametrize("name", DIFFERENTIABLE)
@given(n=st.integers(1, 12), seed=st.integers(0, 10**6))
def test_gradcheck_single(name, n, seed):
    assert torch.autograd.gradcheck(CASES[name], (_points(n, seed),), eps=1e-7, atol=1e-6)


@pytest.mark.parametrize("name", DIFFERENTIABLE)
def test_gradcheck_batch(name):
    rng = np.random.default_rng(4)
    dgms = [torch.tensor(random_diagram(n, seed=rng, min_persistence=0.05)) for n in (7, 3, 5)]
    padded, mask = diff.pad_diagrams(dgms)
    padded = padded.detach().requires_grad_()
    assert torch.autograd.gradcheck(lambda p: CASES[name](p, mask), (padded,), eps=1e-7, atol=1e-6)


def test_landscape_gradient_moves_the_selected_tent():
    """A single point (b, d): at a sample x on its rising side, lambda_1(x) = sqrt(2) (x - b), so
    the derivative is -sqrt(2) in b and 0 in d."""
    point = torch.tensor([[0.0, 2.0]], dtype=torch.float64, requires_grad=True)
    out = diff.persistence_landscape(point, num_landscapes=2, resolution=3, sample_range=(0.5, 1.5))
    out[0, 0].backward()
    torch.testing.assert_close(
        point.grad, torch.tensor([[-np.sqrt(2.0), 0.0]], dtype=torch.float64)
    )


def test_computed_range_is_a_constant():
    """With a computed range the grid follows the data, but autograd treats it as fixed: the
    gradient equals that of the call with the range passed explicitly."""
    dgm = _points(9, 2)
    auto = diff.silhouette(dgm, resolution=20, keep_endpoints=True)
    lo, hi = float(dgm.detach()[:, 0].min()), float(dgm.detach()[:, 1].max())
    fixed = diff.silhouette(dgm, resolution=20, sample_range=(lo, hi))
    torch.testing.assert_close(auto, fixed)
    (g_auto,) = torch.autograd.grad(auto.sum(), dgm)
    (g_fixed,) = torch.autograd.grad(fixed.sum(), dgm)
    torch.testing.assert_close(g_auto, g_fixed)


def test_exact_betti_curve_has_no_graph_and_entropy_of_zero_lifetime_is_finite():
    dgm = _points(6, 1)
    assert not diff.betti_curve(dgm, resolution=5, sample_range=(0, 1)).requires_grad
    with_zero = torch.cat([dgm, dgm[:1, :1].expand(1, 2)])  # a (b, b) row: p = 0
    (grad,) = torch.autograd.grad(diff.persistent_entropy(with_zero), dgm)
    assert torch.isfinite(grad).all()
