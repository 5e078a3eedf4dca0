"""calydon.diff.sliced_wasserstein_distance against two independent computations with the same
directions: a vectorised numpy oracle written here, and POT's ot.sliced_wasserstein_distance on
the diagonal-augmented point sets; plus the n_directions argument rules (numpy integers, bool,
a count too large to allocate)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from calydon import diff
from distance_oracles import random_diagram


def directions(n_directions: int, seed: int, dtype=torch.float64) -> np.ndarray:
    """(2, K) unit vectors at the angles the implementation draws from a seeded generator
    (uniform [0, pi) from torch.rand in the diagrams' dtype)."""
    gen = torch.Generator().manual_seed(seed)
    theta = (torch.rand(n_directions, generator=gen, dtype=dtype) * math.pi).double().numpy()
    return np.stack([np.cos(theta), np.sin(theta)])


def augmented(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """a with b's diagonal projections appended, and b with a's: two sets of n + m points in the
    plane, on which diagram sliced Wasserstein is plain sliced W_1 (times n + m)."""
    on_diagonal = lambda d: np.repeat(((d[:, 0] + d[:, 1]) / 2)[:, None], 2, axis=1)
    return np.concatenate([a, on_diagonal(b)]), np.concatenate([b, on_diagonal(a)])


def numpy_sliced(a: np.ndarray, b: np.ndarray, u: np.ndarray) -> float:
    """Mean over directions of the 1-D W_1 cost between the projected augmented sets."""
    xa, xb = augmented(a, b)
    line_a, line_b = np.sort(xa @ u, axis=0), np.sort(xb @ u, axis=0)
    return float(np.abs(line_a - line_b).sum(axis=0).mean())


def ours(a: np.ndarray, b, n_directions, seed: int) -> float:
    gen = torch.Generator().manual_seed(seed)
    return diff.sliced_wasserstein_distance(
        torch.from_numpy(a), b, n_directions=n_directions, generator=gen
    ).item()


@given(
    n=st.integers(0, 40),
    m=st.integers(0, 40),
    k=st.integers(1, 70),
    seed=st.integers(0, 2**31 - 1),
)
def test_matches_numpy_oracle(n, m, k, seed):
    rng = np.random.default_rng(seed)
    a, b = random_diagram(rng, n), random_diagram(rng, m)
    expected = numpy_sliced(a, b, directions(k, seed)) if n + m else 0.0
    assert ours(a, torch.from_numpy(b), k, seed) == pytest.approx(expected, rel=1e-12, abs=1e-14)


@pytest.mark.parametrize("n,m", [(1, 1), (12, 5), (60, 80)])
def test_matches_pot_sliced_w1(n, m):
    ot = pytest.importorskip("ot")
    rng = np.random.default_rng(n + 7 * m)
    a, b = random_diagram(rng, n), random_diagram(rng, m)
    u = directions(33, 9)
    xa, xb = augmented(a, b)
    # POT averages W_1 between uniform measures of weight 1 / (n + m): scale back to counts.
    pot = ot.sliced_wasserstein_distance(xa, xb, n_projections=33, p=1, projections=u)
    assert ours(a, torch.from_numpy(b), 33, 9) == pytest.approx(pot * (n + m), rel=1e-10)


def test_ties_and_duplicates():
    # Repeated points and points shared by both diagrams: many equal projections, any tie order.
    a = np.array([[0.0, 1.0], [0.0, 1.0], [0.5, 2.0], [1.0, 1.5]])
    b = np.array([[0.0, 1.0], [0.5, 2.0], [0.5, 2.0]])
    assert ours(a, torch.from_numpy(b), 20, 4) == pytest.approx(
        numpy_sliced(a, b, directions(20, 4)), rel=1e-12
    )
    assert ours(a, torch.from_numpy(a), 20, 4) == 0.0


def test_numpy_integer_directions_and_float32():
    rng = np.random.default_rng(3)
    a, b = random_diagram(rng, 9), random_diagram(rng, 7)
    expected = ours(a, torch.from_numpy(b), 10, 2)
    for k in (np.int64(10), np.int32(10), np.uint16(10)):
        assert ours(a, torch.from_numpy(b), k, 2) == expected
    value = diff.sliced_wasserstein_distance(
        torch.from_numpy(a).float(),
        torch.from_numpy(b).float(),
        n_directions=10,
        generator=torch.Generator().manual_seed(2),
    )
    assert value.dtype == torch.float32
    assert value.item() == pytest.approx(
        numpy_sliced(a, b, directions(10, 2, torch.float32)), rel=1e-5
    )


@pytest.mark.parametrize(
    "loss", [diff.sliced_wasserstein_distance, diff.sliced_wasserstein_distance_diag_corrected]
)
def test_huge_direction_count_refused_before_allocation(loss):
    name = loss.__name__
    a = torch.tensor([[0.0, 1.0]])
    with pytest.raises(
        ValueError, match=rf"^{name}: n_directions=1000000000000 needs an estimated"
    ):
        loss(a, a, n_directions=10**12)
    with pytest.raises(
        ValueError, match=rf"^{name}: n_directions=1000000000000 needs an estimated"
    ):
        loss(a, a, n_directions=np.int64(10**12))
    with pytest.raises(TypeError, match=rf"^{name}: n_directions must be an int, got bool"):
        loss(a, a, n_directions=np.bool_(True))
    with pytest.raises(TypeError, match=rf"^{name}: n_directions must be an int, got float64"):
        loss(a, a, n_directions=np.float64(10))
    with pytest.raises(ValueError, match=rf"^{name}: n_directions must be a positive int, got -3"):
        loss(a, a, n_directions=np.int8(-3))


def test_gradient_matches_finite_differences_of_numpy_oracle():
    rng = np.random.default_rng(21)
    a0, b0 = random_diagram(rng, 8), random_diagram(rng, 6)
    u = directions(13, 5)
    a, b = torch.from_numpy(a0).requires_grad_(True), torch.from_numpy(b0).requires_grad_(True)
    value = diff.sliced_wasserstein_distance(
        a, b, n_directions=13, generator=torch.Generator().manual_seed(5)
    )
    grads = torch.autograd.grad(value, (a, b))
    h = 1e-7
    for which, base in enumerate((a0, b0)):
        for idx in np.ndindex(base.shape):
            plus, minus = base.copy(), base.copy()
            plus[idx] += h
            minus[idx] -= h
            pair = lambda x: (x, b0) if which == 0 else (a0, x)
            numeric = (numpy_sliced(*pair(plus), u) - numpy_sliced(*pair(minus), u)) / (2 * h)
            assert grads[which][idx].item() == pytest.approx(numeric, abs=1e-6)


def test_create_graph_keeps_the_gradient_connected():
    # A gradient penalty needs d(loss)/d(dgm) with create_graph=True; the second derivative of
    # the piecewise-linear cost is 0, and backward through it must work.
    a = torch.from_numpy(random_diagram(np.random.default_rng(1), 6)).requires_grad_(True)
    b = torch.from_numpy(random_diagram(np.random.default_rng(2), 4))
    value = diff.sliced_wasserstein_distance(a, b, n_directions=5)
    (grad,) = torch.autograd.grad(value, (a,), create_graph=True)
    assert grad.requires_grad
    grad.pow(2).sum().backward()
    assert torch.equal(a.grad, torch.zeros_like(a))
