"""calydon.diff.wasserstein_cost and bottleneck_cost: values against scipy / brute force,
central finite-difference gradients (float64, general position), essential points, the
identical-multiset case (reference bug 26) and bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from calydon import diff
from distance_oracles import brute_bottleneck, random_diagram, scipy_wasserstein_cost

INF = math.inf


def general_position(seed: int, n: int) -> torch.Tensor:
    return torch.from_numpy(random_diagram(np.random.default_rng(seed), n)).requires_grad_(True)


@pytest.mark.parametrize("q", [1.0, 2.0, 3.0])
@pytest.mark.parametrize("p", [1.0, 2.0, 3.0, INF])
def test_value_equals_optimal_cost(q, p):
    a, b = general_position(1, 30), general_position(2, 22)
    exact = scipy_wasserstein_cost(a.detach(), b.detach(), q, p)
    cost = diff.wasserstein_cost(a, b, wasserstein_q=q, wasserstein_delta=0.0, internal_p=p)
    assert cost.item() == pytest.approx(exact, rel=1e-10)
    approx = diff.wasserstein_cost(a, b, wasserstein_q=q, wasserstein_delta=0.05, internal_p=p)
    assert exact ** (1 / q) * (1 - 1e-12) <= approx.item() ** (1 / q) <= exact ** (1 / q) * 1.05


@pytest.mark.parametrize("q", [1.0, 2.0, 2.5])
@pytest.mark.parametrize("p", [1.0, 2.0, 3.0, INF])
def test_finite_difference_gradients_both_diagrams(q, p):
    # Few points, spread out, so some pairs match each other and some go to the diagonal.
    a = torch.tensor(
        [[0.0, 1.0], [0.31, 2.2], [1.4, 1.52], [2.03, 4.1]], dtype=torch.float64, requires_grad=True
    )
    b = torch.tensor(
        [[0.07, 1.13], [0.52, 2.01], [3.1, 3.6]], dtype=torch.float64, requires_grad=True
    )
    matching = diff.wasserstein_cost(a, b, wasserstein_q=q, wasserstein_delta=0.0, internal_p=p)
    assert matching.item() > 0

    def cost(x, y):
        return diff.wasserstein_cost(x, y, wasserstein_q=q, wasserstein_delta=0.0, internal_p=p)

    assert torch.autograd.gradcheck(cost, (a, b), eps=1e-6, atol=1e-6, rtol=1e-5)


def test_diagonal_gradient_is_not_frozen_projection():
    # A lone point goes to the diagonal: cost = (|d - b| / 2)^q for L_inf, so the gradient
    # splits evenly between birth and death (a frozen projection would put it all on one side).
    a = torch.tensor([[1.0, 3.0]], dtype=torch.float64, requires_grad=True)
    cost = diff.wasserstein_cost(a, torch.empty(0, 2, dtype=torch.float64), wasserstein_q=2.0)
    cost.backward()
    assert cost.item() == pytest.approx(1.0)
    torch.testing.assert_close(a.grad, torch.tensor([[-1.0, 1.0]], dtype=torch.float64))


def test_essential_pairs_get_gradient_on_their_finite_coordinate():
    a = torch.tensor([[0.5, INF], [INF, 2.0], [0.0, 1.0]], dtype=torch.float64, requires_grad=True)
    b = torch.tensor([[0.2, INF], [INF, 2.5]], dtype=torch.float64, requires_grad=True)
    cost = diff.wasserstein_cost(
        a, b, wasserstein_q=2.0, ignore_inf_points=False, wasserstein_delta=0.0
    )
    assert cost.item() == pytest.approx(0.3**2 + 0.5**2 + 0.5**2)
    cost.backward()
    torch.testing.assert_close(
        a.grad, torch.tensor([[0.6, 0.0], [0.0, -1.0], [-0.5, 0.5]], dtype=torch.float64)
    )
    torch.testing.assert_close(b.grad, torch.tensor([[-0.6, 0.0], [0.0, 1.0]], dtype=torch.float64))
    ignored = diff.wasserstein_cost(a, b, wasserstein_q=2.0, ignore_inf_points=True)
    assert ignored.item() == pytest.approx(0.25)
    with pytest.raises(ValueError, match="wasserstein_cost: essential point counts must match"):
        diff.wasserstein_cost(a, b[:1], ignore_inf_points=False)


def test_identical_multisets_in_another_order_give_zero_cost_and_gradient():
    a = general_position(5, 40)
    perm = torch.from_numpy(np.random.default_rng(0).permutation(40))
    b = a.detach()[perm].clone().requires_grad_(True)
    for p in (2.0, INF):
        cost = diff.wasserstein_cost(a, b, wasserstein_q=2.0, internal_p=p)
        assert cost.item() == 0.0
        ga, gb = torch.autograd.grad(cost, (a, b))
        assert torch.count_nonzero(ga) == 0 and torch.count_nonzero(gb) == 0


def test_dtype_device_and_empty_inputs():
    a = general_position(6, 10).float()
    b = general_position(7, 12)
    cost = diff.wasserstein_cost(a, b)
    assert cost.dtype == torch.float32 and cost.device == a.device
    empty = torch.empty(0, 2, dtype=torch.float64, requires_grad=True)
    zero = diff.wasserstein_cost(empty, empty)
    zero.backward()
    assert zero.item() == 0.0 and empty.grad.shape == (0, 2)
    one_sided = diff.wasserstein_cost(b, empty, wasserstein_delta=0.0)
    expected = (b.detach()[:, 1] - b.detach()[:, 0]).abs().sum() / 2
    assert one_sided.item() == pytest.approx(expected.item())
    on_diagonal = torch.tensor([[1.0, 1.0], [0.0, 2.0]], dtype=torch.float64, requires_grad=True)
    diff.wasserstein_cost(on_diagonal, empty).backward()
    assert on_diagonal.grad[0].abs().sum() == 0.0


def test_bottleneck_cost_value_and_gradient():
    rng = np.random.default_rng(8)
    a = torch.from_numpy(random_diagram(rng, 12)).requires_grad_(True)
    b = torch.from_numpy(random_diagram(rng, 9)).requires_grad_(True)
    cost = diff.bottleneck_cost(a, b)
    assert cost.item() == brute_bottleneck(a.detach(), b.detach())
    assert torch.autograd.gradcheck(diff.bottleneck_cost, (a, b), eps=1e-7, atol=1e-6)
    ga, gb = torch.autograd.grad(diff.bottleneck_cost(a, b), (a, b))
    assert 1 <= torch.count_nonzero(ga) + torch.count_nonzero(gb) <= 4  # one edge only


def test_bottleneck_cost_essential_and_empty():
    a = torch.tensor([[0.0, INF], [0.0, 0.1]], dtype=torch.float64, requires_grad=True)
    b = torch.tensor([[2.0, INF]], dtype=torch.float64, requires_grad=True)
    cost = diff.bottleneck_cost(a, b, ignore_inf_points=False)
    assert cost.item() == 2.0
    cost.backward()
    torch.testing.assert_close(a.grad, torch.tensor([[-1.0, 0.0], [0.0, 0.0]], dtype=torch.float64))
    empty = torch.empty(0, 2, dtype=torch.float64)
    assert diff.bottleneck_cost(empty, empty).item() == 0.0


@pytest.mark.parametrize(
    "call,exc,pattern",
    [
        (
            lambda: diff.wasserstein_cost(np.zeros((1, 2)), torch.zeros(1, 2)),
            TypeError,
            r"wasserstein_cost: dgm_a must be a torch.Tensor, got ndarray",
        ),
        (
            lambda: diff.wasserstein_cost(torch.zeros(2, 3), torch.zeros(1, 2)),
            ValueError,
            r"wasserstein_cost: dgm_a must have shape \(n, 2\), got shape \(2, 3\)",
        ),
        (
            lambda: diff.wasserstein_cost(torch.zeros(1, 2), torch.tensor([[0.0, float("nan")]])),
            ValueError,
            r"wasserstein_cost: dgm_b must not contain NaN",
        ),
        (
            lambda: diff.wasserstein_cost(torch.zeros(1, 2), torch.zeros(1, 2), wasserstein_q=0.9),
            ValueError,
            r"wasserstein_cost: wasserstein_q must be a finite number >= 1, got 0.9",
        ),
        (
            lambda: diff.wasserstein_cost(
                torch.zeros(1, 2), torch.zeros(1, 2), wasserstein_delta=-0.5
            ),
            ValueError,
            r"wasserstein_cost: wasserstein_delta must be a finite number >= 0, got -0.5",
        ),
        (
            lambda: diff.wasserstein_cost(torch.zeros(1, 2, dtype=torch.bool), torch.zeros(1, 2)),
            TypeError,
            r"wasserstein_cost: dgm_a must have a real numeric dtype, got torch.bool",
        ),
        (
            lambda: diff.bottleneck_cost(torch.zeros(1, 2), torch.zeros(1, 2), delta=float("nan")),
            ValueError,
            r"bottleneck_cost: delta must be a finite number >= 0, got nan",
        ),
    ],
)
def test_bad_input(call, exc, pattern):
    with pytest.raises(exc, match=pattern):
        call()
