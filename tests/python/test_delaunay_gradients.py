"""Gradients of the Delaunay filtrations: autograd against central finite differences (float64,
general position, so the combinatorics and supports do not change under the perturbation), and
finite gradients on degenerate clouds (flat triangles, cospherical grids, duplicates)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import calydon
from calydon import diff
from calydon.diff.delaunay import circumradius_sq

RULES = {
    "alpha": (diff.alpha_filtration, calydon.alpha_filtration),
    "weak_alpha": (diff.weak_alpha_filtration, calydon.weak_alpha_filtration),
    "cech": (diff.cech_delaunay_filtration, calydon.cech_delaunay_filtration),
}
H = 1e-6


def simplex_weights(simplices) -> np.ndarray:
    """A weight per sorted cell that depends only on the cell's vertices, so that the loss below
    does not depend on the sort order (which may change under perturbation)."""
    w = []
    for block in simplices:
        for row in block:
            w.append(np.sin(1.0 + np.dot(np.arange(1, len(row) + 1), row)))
    return np.array(w)


def value_loss(rule: str, pts: np.ndarray) -> float:
    fil, simplices = RULES[rule][1](pts, with_simplices=True)
    return float(np.sum(simplex_weights(simplices) * np.sin(3 * fil.values())))


def diagram_loss(dgms, d: int):
    # Lower-dimensional clouds (collinear points) have fewer diagram dimensions.
    return sum(
        ((dgms[k][:, 1] - dgms[k][:, 0]) ** 2).sum() * (k + 1) for k in range(d) if k in dgms
    )


def plain_diagram_loss(rule: str, pts: np.ndarray) -> float:
    dgms = calydon.compute_diagrams(RULES[rule][1](pts))
    d = pts.shape[1]
    total = 0.0
    for k in range(d):
        a = dgms[k]
        a = a[np.isfinite(a[:, 1])]
        total += float(np.sum((a[:, 1] - a[:, 0]) ** 2)) * (k + 1)
    return total


def central_differences(f, pts: np.ndarray) -> np.ndarray:
    grad = np.zeros_like(pts)
    for idx in np.ndindex(pts.shape):
        up, down = pts.copy(), pts.copy()
        up[idx] += H
        down[idx] -= H
        grad[idx] = (f(up) - f(down)) / (2 * H)
    return grad


@pytest.mark.parametrize("rule", sorted(RULES))
@pytest.mark.parametrize("d,n", [(2, 12), (3, 9)])
def test_value_gradients_match_finite_differences(rule, d, n):
    pts = np.random.default_rng(100 + d).random((n, d))
    x = torch.tensor(pts, requires_grad=True)
    fil, simplices = RULES[rule][1](pts, with_simplices=True)
    values = RULES[rule][0](x).values
    loss = (torch.from_numpy(simplex_weights(simplices)) * torch.sin(3 * values)).sum()
    loss.backward()
    numeric = central_differences(lambda p: value_loss(rule, p), pts)
    np.testing.assert_allclose(x.grad.numpy(), numeric, rtol=1e-5, atol=1e-6)
    assert np.abs(numeric).max() > 1e-3  # the test is not vacuous


@pytest.mark.parametrize("rule", sorted(RULES))
@pytest.mark.parametrize("d,n", [(2, 14), (3, 10)])
def test_diagram_gradients_match_finite_differences(rule, d, n):
    pts = np.random.default_rng(200 + d).random((n, d))
    x = torch.tensor(pts, requires_grad=True)
    dgms = diff.persistence_diagram(RULES[rule][0](x))
    diagram_loss(dgms, d).backward()
    numeric = central_differences(lambda p: plain_diagram_loss(rule, p), pts)
    np.testing.assert_allclose(x.grad.numpy(), numeric, rtol=1e-5, atol=1e-6)
    assert np.abs(numeric).max() > 1e-3


def finite_gradient(build, pts: np.ndarray) -> np.ndarray:
    x = torch.tensor(pts, requires_grad=True)
    fil = build(x)
    assert torch.isfinite(fil.values).all()
    dgms = diff.persistence_diagram(fil, include_inf_points=False)
    # 0 * x keeps a graph when nothing depends on the points (a single point).
    loss = fil.values.sum() + diagram_loss(dgms, pts.shape[1]) + 0 * x.sum()
    loss.backward()
    assert torch.isfinite(x.grad).all()
    return x.grad.numpy()


@pytest.mark.parametrize("rule", sorted(RULES))
def test_degenerate_clouds_give_finite_gradients(rule):
    build = RULES[rule][0]
    grid2 = np.array([[x, y] for x in range(4) for y in range(4)], dtype=float)
    grid3 = np.array([[x, y, z] for x in range(3) for y in range(3) for z in range(3)], dtype=float)
    sliver = np.array([[0.0, 0.0], [1.0, 0.0], [0.5, 1e-30], [0.5, 2.0]])
    flat_tet = np.array([[0.0, 0, 0], [1, 0, 0], [0, 1, 0], [1, 1, 1e-30], [0.3, 0.3, 1.0]])
    dups = np.concatenate([grid2, grid2[:3]])
    line = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]])
    for pts in (grid2, grid3, sliver, flat_tet, dups, line, np.array([[0.5, 0.5, 0.5]])):
        finite_gradient(build, pts)


@given(
    st.sampled_from([2, 3]).flatmap(
        lambda d: arrays(
            np.float64,
            st.tuples(st.integers(1, 16), st.just(d)),
            elements=st.integers(0, 3).map(float) | st.floats(0, 3, allow_nan=False, width=64),
        )
    )
)
def test_hypothesis_clouds_give_finite_gradients(pts):
    # Small integer grids mixed with arbitrary floats: duplicates, cospherical, collinear and
    # nearly flat configurations.
    for build, _ in RULES.values():
        finite_gradient(build, pts)


def test_circumradius_guard_on_exactly_flat_simplices():
    flat = torch.tensor(
        [[[0.0, 0.0], [1.0, 0.0], [3.0, 0.0]], [[0.0, 0.0], [0.0, 0.0], [1.0, 1.0]]],
        dtype=torch.float64,
        requires_grad=True,
    )
    r = circumradius_sq(flat)
    np.testing.assert_allclose(r.detach().numpy(), [9 / 4, 2 / 4])  # longest squared edge / 4
    r.sum().backward()
    assert torch.isfinite(flat.grad).all()
    flat_tet = torch.tensor(
        [[[0.0, 0, 0], [1, 0, 0], [0, 1, 0], [1, 1, 0]]], dtype=torch.float64, requires_grad=True
    )
    r = circumradius_sq(flat_tet)
    assert r.item() == pytest.approx(2 / 4)
    r.sum().backward()
    assert torch.isfinite(flat_tet.grad).all()
