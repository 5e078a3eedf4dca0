"""``diff.vr_filtration(points, eps=...)``: values sqrt(length^2 + eps), as oineus.diff computes
with its default eps. Checked against gudhi's exact (float64) diagrams mapped through the same function,
against oineus where it is installed, and by finite differences; bad eps values are refused."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import calydon.diff as diff
from generators import noisy_circle


def regularised(x: np.ndarray, eps: float) -> np.ndarray:
    return np.sqrt(x * x + eps)


@settings(max_examples=15, deadline=None)
@given(n=st.integers(4, 30), seed=st.integers(0, 10_000), eps=st.sampled_from([1e-6, 1e-3, 0.5]))
def test_diagrams_are_gudhis_mapped_through_sqrt_of_square_plus_eps(n, seed, eps):
    gudhi = pytest.importorskip("gudhi")
    points = np.random.default_rng(seed).normal(size=(n, 2))
    fil = diff.vr_filtration(torch.tensor(points), max_dim=2, max_diameter=10.0, eps=eps)
    dgms = diff.persistence_diagram(fil, include_inf_points=True)
    tree = gudhi.RipsComplex(points=points, max_edge_length=10.0).create_simplex_tree(2)
    tree.persistence()
    for dim in (0, 1):
        got = dgms[dim].detach().numpy()
        want = regularised(tree.persistence_intervals_in_dimension(dim).reshape(-1, 2), eps)
        key = lambda d: np.lexsort((d[:, 1], d[:, 0]))  # noqa: E731
        np.testing.assert_allclose(got[key(got)], want[key(want)], rtol=1e-12, atol=1e-12)


def test_explicit_values_are_the_regularised_critical_edge_lengths():
    points = noisy_circle(25, seed=3)
    fil = diff.vr_filtration(torch.tensor(points), max_dim=2, eps=1e-4)
    edges = fil.critical_edges.numpy()
    lengths = np.linalg.norm(points[edges[:, 0]] - points[edges[:, 1]], axis=1)
    np.testing.assert_allclose(fil.values.detach().numpy(), regularised(lengths, 1e-4), rtol=1e-14)
    # The combinatorics and the core's values are those of the exact lengths.
    np.testing.assert_allclose(fil.under_fil.values(), lengths, rtol=0, atol=0)


def test_gradients_match_finite_differences():
    rng = np.random.default_rng(7)
    points = torch.tensor(rng.normal(size=(9, 2)), requires_grad=True)

    def loss(x):
        dgms = diff.persistence_diagram(diff.vr_filtration(x, max_dim=2, eps=0.01))
        return sum((d[torch.isfinite(d[:, 1])] ** 2).sum() for d in dgms.values())

    assert torch.autograd.gradcheck(loss, (points,), eps=1e-7, atol=1e-6)


def test_coincident_points_have_finite_zero_gradients():
    points = torch.tensor([[0.0, 0.0], [0.0, 0.0], [1.0, 0.0], [0.0, 1.0]], requires_grad=True)
    dgms = diff.persistence_diagram(diff.vr_filtration(points, max_dim=2, eps=1e-6))
    dgms[0][torch.isfinite(dgms[0][:, 1])].sum().backward()
    assert torch.isfinite(points.grad).all()
    assert float(dgms[0][0, 0].detach()) == pytest.approx(1e-3)  # a vertex: sqrt(0 + eps)


def test_crit_sets_and_pickles_keep_eps():
    points = torch.tensor(noisy_circle(30, seed=1), requires_grad=True)
    fil = diff.vr_filtration(points, max_dim=2, eps=1e-3)
    again = pickle.loads(pickle.dumps(fil))
    assert "eps=0.001" in repr(again)
    torch.testing.assert_close(again.values, fil.values, rtol=0, atol=0)
    h1 = diff.persistence_diagram(fil, gradient_method="crit-sets")[1]
    (h1[:, 1] - h1[:, 0]).pow(2).sum().backward()
    assert torch.isfinite(points.grad).all() and points.grad.abs().sum() > 0


def test_matches_oineus_values_with_its_default_eps():
    oineus_diff = pytest.importorskip("oineus.diff")
    points = np.random.default_rng(11).normal(size=(40, 3))
    ours = diff.persistence_diagram(diff.vr_filtration(torch.tensor(points), max_dim=2, eps=1e-6))
    theirs = oineus_diff.persistence_diagram(
        oineus_diff.vr_filtration(torch.tensor(points), max_dim=2)
    )
    for dim in (0, 1):
        a, b = ours[dim].detach().numpy(), theirs[dim].detach().numpy()
        a, b = a[np.lexsort(a.T[::-1])], b[np.lexsort(b.T[::-1])]
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(
    "eps, error, words",
    [
        (-1e-6, ValueError, "eps must be >= 0"),
        (float("nan"), ValueError, "eps must be finite"),
        ("small", TypeError, "eps must be a real number"),
        (True, TypeError, "eps must be a real number"),
    ],
)
def test_bad_eps_is_refused(eps, error, words):
    with pytest.raises(error, match=words) as info:
        diff.vr_filtration(torch.zeros(3, 2), eps=eps)
    assert "diff.vr_filtration" in str(info.value)


def test_eps_with_a_distance_matrix_is_refused():
    d = torch.cdist(torch.rand(5, 2, dtype=torch.float64), torch.rand(5, 2, dtype=torch.float64))
    d = (d + d.T) / 2
    d.fill_diagonal_(0)
    with pytest.raises(ValueError, match="eps applies to points"):
        diff.vr_filtration(d, from_pwdists=True, eps=1e-6)
