"""calydon.diff.sliced_wasserstein_distance(_diag_corrected) against a per-direction brute-force
reference (explicit loops, one direction at a time), with finite-difference gradients,
reproducible generators, essential points, devices and bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from calydon import diff
from distance_oracles import essential_split, random_diagram

INF = math.inf


def reference_directions(n_directions: int, seed: int, dtype=torch.float64) -> np.ndarray:
    """The angles the implementation draws: uniform [0, pi) from a seeded generator."""
    g = torch.Generator().manual_seed(seed)
    return (torch.rand(n_directions, generator=g, dtype=dtype) * math.pi).double().numpy()


def brute_slice(a: np.ndarray, b: np.ndarray, theta: float, corrected: bool, frozen=None) -> float:
    """One direction: both augmented lines listed as (value, kind, own-gap) and matched by rank.
    ``frozen`` = (a0, b0) takes the diagonal projections from other (unperturbed) points."""
    u = np.array([math.cos(theta), math.sin(theta)])
    pa, pb = frozen if frozen is not None else (a, b)
    diag = lambda p: (p[0] + p[1]) / 2 * (u[0] + u[1])
    line_a = [(p @ u, "real", abs(p @ u - diag(p0))) for p, p0 in zip(a, pa)] + [
        (diag(q0), "diag", 0.0) for q0 in pb
    ]
    line_b = [(q @ u, "real", abs(q @ u - diag(q0))) for q, q0 in zip(b, pb)] + [
        (diag(p0), "diag", 0.0) for p0 in pa
    ]
    line_a.sort(key=lambda t: t[0])
    line_b.sort(key=lambda t: t[0])
    total = 0.0
    for (xa, kind_a, gap_a), (xb, kind_b, gap_b) in zip(line_a, line_b):
        if not corrected or (kind_a == "real" and kind_b == "real"):
            total += abs(xa - xb)
        elif kind_a == "real":
            total += gap_a
        elif kind_b == "real":
            total += gap_b
    return total


def brute_sliced(a, b, n_directions, seed, corrected, ignore_inf_points=False) -> float:
    a, b = np.asarray(a, dtype=float).reshape(-1, 2), np.asarray(b, dtype=float).reshape(-1, 2)
    essential = 0.0
    if not ignore_inf_points:
        ea, eb = essential_split(a), essential_split(b)
        essential = sum(np.abs(ea[f] - eb[f]).sum() for f in ea)
    fa, fb = a[np.isfinite(a).all(axis=1)], b[np.isfinite(b).all(axis=1)]
    if len(fa) + len(fb) == 0:
        return essential
    thetas = reference_directions(n_directions, seed)
    return essential + float(np.mean([brute_slice(fa, fb, t, corrected) for t in thetas]))


LOSSES = [
    (diff.sliced_wasserstein_distance, False),
    (diff.sliced_wasserstein_distance_diag_corrected, True),
]


@pytest.mark.parametrize("loss,corrected", LOSSES)
@pytest.mark.parametrize("n,m", [(0, 3), (1, 1), (7, 4), (25, 31)])
def test_matches_per_direction_brute_force(loss, corrected, n, m):
    rng = np.random.default_rng(n * 100 + m)
    a, b = random_diagram(rng, n), random_diagram(rng, m)
    value = loss(
        torch.from_numpy(a),
        torch.from_numpy(b),
        n_directions=17,
        generator=torch.Generator().manual_seed(3),
    )
    assert value.item() == pytest.approx(brute_sliced(a, b, 17, 3, corrected), rel=1e-12, abs=1e-14)


@pytest.mark.parametrize("loss,corrected", LOSSES)
def test_essential_points_by_rank_and_ignored(loss, corrected):
    a = np.array([[0.0, INF], [2.0, INF], [INF, 1.0], [0.0, 1.0], [1.0, 3.0]])
    b = np.array([[0.5, INF], [1.0, INF], [INF, 4.0], [0.2, 0.9], [INF, INF]])
    ta, tb = torch.from_numpy(a), torch.from_numpy(b)
    g = lambda: torch.Generator().manual_seed(5)
    value = loss(ta, tb, n_directions=9, generator=g())
    assert value.item() == pytest.approx(brute_sliced(a, b, 9, 5, corrected), rel=1e-12)
    assert brute_sliced(a, b, 9, 5, corrected) - brute_sliced(
        a, b, 9, 5, corrected, True
    ) == pytest.approx(0.5 + 1 + 3)
    ignored = loss(ta, tb, n_directions=9, ignore_inf_points=True, generator=g())
    assert ignored.item() == pytest.approx(
        brute_sliced(a, b, 9, 5, corrected, ignore_inf_points=True), rel=1e-12
    )
    with pytest.raises(
        ValueError, match=r"essential point counts must match in every family, got 2 vs 1"
    ):
        loss(ta, tb[1:], n_directions=9)


def test_finite_difference_gradients_standard():
    rng = np.random.default_rng(12)
    a = torch.from_numpy(random_diagram(rng, 6)).requires_grad_(True)
    b = torch.from_numpy(random_diagram(rng, 4)).requires_grad_(True)
    f = lambda x, y: diff.sliced_wasserstein_distance(
        x, y, n_directions=11, generator=torch.Generator().manual_seed(1)
    )
    assert torch.autograd.gradcheck(f, (a, b), eps=1e-6, atol=1e-6, rtol=1e-5)


def test_finite_difference_gradients_corrected_with_frozen_projections():
    # The corrected variant detaches the diagonal projections (its definition, section 3.11 of the
    # reference notes), so its gradient is that of the cost with projections held at their
    # current values: central differences of the brute-force reference with frozen projections.
    rng = np.random.default_rng(12)
    a0, b0 = random_diagram(rng, 6), random_diagram(rng, 4)
    thetas = reference_directions(11, 1)
    a, b = torch.from_numpy(a0).requires_grad_(True), torch.from_numpy(b0).requires_grad_(True)
    loss = diff.sliced_wasserstein_distance_diag_corrected(
        a, b, n_directions=11, generator=torch.Generator().manual_seed(1)
    )
    ga, gb = torch.autograd.grad(loss, (a, b))
    frozen = lambda x, y: np.mean([brute_slice(x, y, t, True, frozen=(a0, b0)) for t in thetas])
    h = 1e-6
    for which, base, grad in ((0, a0, ga), (1, b0, gb)):
        for idx in np.ndindex(base.shape):
            plus, minus = base.copy(), base.copy()
            plus[idx] += h
            minus[idx] -= h
            args_plus = (plus, b0) if which == 0 else (a0, plus)
            args_minus = (minus, b0) if which == 0 else (a0, minus)
            numeric = (frozen(*args_plus) - frozen(*args_minus)) / (2 * h)
            assert grad[idx].item() == pytest.approx(numeric, abs=1e-6), (which, idx)


@pytest.mark.parametrize("loss,corrected", LOSSES)
def test_essential_gradient_on_finite_coordinate(loss, corrected):
    f = lambda x, y: loss(x, y, n_directions=11, generator=torch.Generator().manual_seed(1))
    ea = torch.tensor([[0.3, INF], [0.1, 0.6]], dtype=torch.float64, requires_grad=True)
    eb = torch.tensor([[0.7, INF], [0.2, 0.5]], dtype=torch.float64, requires_grad=True)
    ga, _ = torch.autograd.grad(f(ea, eb), (ea, eb))
    assert ga[0, 0] == pytest.approx(-1.0) and ga[0, 1] == 0.0


def test_generator_reproducibility_and_global_rng():
    a = torch.from_numpy(random_diagram(np.random.default_rng(0), 20))
    b = torch.from_numpy(random_diagram(np.random.default_rng(1), 15))
    expected_42 = brute_sliced(a.numpy(), b.numpy(), 100, 42, corrected=False)
    expected_43 = brute_sliced(a.numpy(), b.numpy(), 100, 43, corrected=False)
    assert expected_42 != pytest.approx(expected_43, rel=1e-9)
    for _ in range(2):
        value = diff.sliced_wasserstein_distance(a, b, generator=torch.Generator().manual_seed(42))
        assert value.item() == pytest.approx(expected_42, rel=1e-12)
    value = diff.sliced_wasserstein_distance(a, b, generator=torch.Generator().manual_seed(43))
    assert value.item() == pytest.approx(expected_43, rel=1e-12)
    torch.manual_seed(42)  # without a generator the global RNG draws the directions
    assert diff.sliced_wasserstein_distance(a, b).item() == pytest.approx(expected_42, rel=1e-12)


def test_dtype_empty_and_diagonal_only():
    a = torch.from_numpy(random_diagram(np.random.default_rng(2), 5)).float()
    empty = torch.empty(0, 2)
    assert diff.sliced_wasserstein_distance(a, empty, n_directions=4).dtype == torch.float32
    both_empty = diff.sliced_wasserstein_distance_diag_corrected(empty, empty)
    assert both_empty.item() == 0.0 and both_empty.dtype == torch.float32
    # one side empty: the corrected cost is each point's gap to its own projection
    value = diff.sliced_wasserstein_distance_diag_corrected(
        a.double(), empty.double(), n_directions=6, generator=torch.Generator().manual_seed(0)
    )
    assert value.item() == pytest.approx(
        brute_sliced(a.double().numpy(), np.empty((0, 2)), 6, 0, True), rel=1e-12
    )


DEVICES = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])


@pytest.mark.parametrize("device", DEVICES)
def test_tensors_on_a_device_get_directions_there(device):
    a0, b0 = (
        random_diagram(np.random.default_rng(3), 30),
        random_diagram(np.random.default_rng(4), 20),
    )
    a = torch.from_numpy(a0).to(device).requires_grad_(True)
    b = torch.from_numpy(b0).to(device)
    for loss, corrected in LOSSES:
        for generator in (
            torch.Generator(device=device).manual_seed(0),
            torch.Generator().manual_seed(0),
        ):
            value = loss(a, b, n_directions=8, generator=generator)
            assert value.device.type == device
            (grad,) = torch.autograd.grad(value, (a,))
            assert grad.device.type == device and torch.isfinite(grad).all()
        reference = brute_sliced(a0, b0, 8, 0, corrected)
        value = loss(a, b, n_directions=8, generator=torch.Generator().manual_seed(0))
        assert value.item() == pytest.approx(reference, rel=1e-12)


@pytest.mark.parametrize(
    "kwargs,exc,pattern",
    [
        (
            {"n_directions": 0},
            ValueError,
            r"sliced_wasserstein_distance: n_directions must be a positive int, got 0",
        ),
        (
            {"n_directions": 2.5},
            TypeError,
            r"sliced_wasserstein_distance: n_directions must be an int, got float",
        ),
        ({"n_directions": True}, TypeError, r"n_directions must be an int, got bool"),
        ({"generator": 3}, TypeError, r"generator must be a torch.Generator or None, got int"),
        ({"ignore_inf_points": "no"}, TypeError, r"ignore_inf_points must be a bool, got str"),
    ],
)
def test_bad_arguments(kwargs, exc, pattern):
    with pytest.raises(exc, match=pattern):
        diff.sliced_wasserstein_distance(torch.zeros(1, 2), torch.zeros(1, 2), **kwargs)


@pytest.mark.parametrize(
    "a,exc,pattern",
    [
        (
            torch.zeros(3),
            ValueError,
            r"sliced_wasserstein_distance_diag_corrected: dgm1 must have shape \(n, 2\), got shape \(3,\)",
        ),
        (torch.tensor([[float("nan"), 1.0]]), ValueError, r"dgm1 must not contain NaN"),
        (
            torch.zeros(1, 2, dtype=torch.complex64),
            TypeError,
            r"dgm1 must have a real numeric dtype, got torch.complex64",
        ),
        ([[0.0, 1.0]], TypeError, r"dgm1 must be a torch.Tensor, got list"),
    ],
)
def test_bad_diagrams(a, exc, pattern):
    with pytest.raises(exc, match=pattern):
        diff.sliced_wasserstein_distance_diag_corrected(a, torch.zeros(1, 2))
