"""Delaunay filtration values, simplex by simplex, against independent references: gudhi's
AlphaComplex and DelaunayCechComplex (squared radii, exact arithmetic), a brute-force minimum
enclosing ball, and weak alpha on scipy's Delaunay triangulation. Also: the differentiable values
equal the C++ ones in sorted order, and the supports explain every value."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import calydon
from calydon import diff
from delaunay_oracles import (
    brute_force_meb_sq,
    gudhi_alpha_values,
    gudhi_cech_values,
    ours_by_simplex,
    scipy_weak_alpha_values,
)
from generators import random_cloud as cloud

BUILDERS = {
    "alpha": (calydon.alpha_filtration, diff.alpha_filtration, "alpha"),
    "weak_alpha": (calydon.weak_alpha_filtration, diff.weak_alpha_filtration, "weak_alpha"),
    "cech": (calydon.cech_delaunay_filtration, diff.cech_delaunay_filtration, "cech_delaunay"),
}


def assert_same_values(ours: dict, ref: dict, rtol: float = 1e-10):
    assert ours.keys() == ref.keys(), "simplex sets differ"
    keys = sorted(ours)
    a = np.array([ours[k] for k in keys])
    b = np.array([ref[k] for k in keys])
    np.testing.assert_allclose(a, b, rtol=rtol, atol=1e-14)


@pytest.mark.parametrize("d,n", [(2, 60), (3, 40)])
def test_alpha_values_match_gudhi(d, n):
    pts = cloud(n, d, 10 + d)
    fil, simplices = calydon.alpha_filtration(pts, with_simplices=True)
    assert fil.kind == "alpha"
    assert_same_values(ours_by_simplex(fil, simplices), gudhi_alpha_values(pts))


@pytest.mark.parametrize("d,n", [(2, 60), (3, 40)])
def test_cech_values_match_gudhi_and_brute_force(d, n):
    pts = cloud(n, d, 20 + d)
    fil, simplices = calydon.cech_delaunay_filtration(pts, with_simplices=True)
    assert fil.kind == "cech_delaunay"
    ours = ours_by_simplex(fil, simplices)
    assert_same_values(ours, gudhi_cech_values(pts))
    for s, v in ours.items():
        assert v == pytest.approx(brute_force_meb_sq(pts[list(s)]), rel=1e-9, abs=1e-14), s


@pytest.mark.parametrize("d,n", [(2, 60), (3, 40)])
def test_weak_alpha_values_match_scipy_delaunay(d, n):
    pts = cloud(n, d, 30 + d)
    fil, simplices = calydon.weak_alpha_filtration(pts, with_simplices=True)
    assert fil.kind == "weak_alpha"
    assert_same_values(ours_by_simplex(fil, simplices), scipy_weak_alpha_values(pts))


def test_unit_tetrahedron_alpha_values():
    # The reference's hand-computed values (sorted order): edges 1/4 and 1/2, three right
    # triangles 1/2, the attached equilateral face and the tetrahedron 3/4.
    pts = np.array([[0.0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]])
    expected = [0] * 4 + [0.25] * 3 + [0.5] * 3 + [0.5] * 3 + [0.75, 0.75]
    np.testing.assert_allclose(calydon.alpha_filtration(pts).values(), expected, atol=1e-15)
    values = diff.alpha_filtration(torch.tensor(pts)).values
    np.testing.assert_allclose(values.numpy(), expected, atol=1e-15)


@pytest.mark.parametrize("rule", sorted(BUILDERS))
@pytest.mark.parametrize("d", [2, 3])
def test_diff_values_equal_the_sorted_cpp_values(rule, d):
    plain, differentiable, kind = BUILDERS[rule]
    pts = cloud(80, d, 40 + d)
    fil = plain(pts)
    dfil = differentiable(torch.tensor(pts, requires_grad=True))
    assert dfil.kind == kind and len(dfil) == len(fil)
    assert dfil.values.dtype == torch.float64 and dfil.values.requires_grad
    np.testing.assert_allclose(dfil.values.detach().numpy(), fil.values(), rtol=1e-12, atol=1e-15)
    np.testing.assert_array_equal(dfil.under_fil.values(), fil.values())


@pytest.mark.parametrize("rule", ["alpha", "cech"])
@pytest.mark.parametrize("d", [2, 3])
def test_cpu_diff_values_are_the_filtration_values_bit_for_bit(rule, d):
    # On CPU the forward returns C++'s values of the filtration itself (the formula only gives
    # the gradient), so diagrams equal compute_diagrams' exactly, near-degenerate cells included.
    _, differentiable, _ = BUILDERS[rule]
    rng = np.random.default_rng(d)
    pts = np.vstack([cloud(120, d, 7 + d), rng.integers(0, 4, size=(40, d)) * 0.25])
    dfil = differentiable(torch.tensor(pts, requires_grad=True))
    exact = np.asarray(dfil.under_fil.values())
    lazy = diff.persistence_diagram(dfil)
    for k in lazy.keys():
        ids = lazy.index_diagram_in_dimension(k)
        np.testing.assert_array_equal(lazy[k].detach().numpy(), exact[ids])
    np.testing.assert_array_equal(dfil.values.detach().numpy(), exact)
    (grad,) = torch.autograd.grad(dfil.values.sum(), dfil._points)
    assert torch.isfinite(grad).all() and grad.abs().sum() > 0


@pytest.mark.parametrize("rule", sorted(BUILDERS))
def test_float32_points_give_float32_values(rule):
    _, differentiable, _ = BUILDERS[rule]
    pts = torch.tensor(cloud(30, 2, 5), dtype=torch.float32, requires_grad=True)
    values = differentiable(pts).values
    assert values.dtype == torch.float32
    values.sum().backward()
    assert pts.grad is not None and torch.isfinite(pts.grad).all()


def test_vertices_have_value_zero_and_no_gradient():
    pts = torch.tensor(cloud(20, 3, 6), requires_grad=True)
    fil = diff.cech_delaunay_filtration(pts)
    n_vertices = fil.under_fil.size_in_dimension(0)
    assert n_vertices == 20
    assert torch.all(fil.values[:n_vertices] == 0)
    fil.values[:n_vertices].sum().backward()
    assert torch.all(pts.grad == 0)


def test_circumradius_formula_on_known_simplices():
    from calydon.diff.delaunay import circumradius_sq

    tri = torch.tensor([[[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]], dtype=torch.float64)
    assert circumradius_sq(tri).item() == pytest.approx(0.5)
    tet = torch.tensor([[[0.0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]]], dtype=torch.float64)
    assert circumradius_sq(tet).item() == pytest.approx(0.75)
    equilateral3d = torch.tensor([[[1.0, 0, 0], [0, 1, 0], [0, 0, 1]]], dtype=torch.float64)
    assert circumradius_sq(equilateral3d).item() == pytest.approx(2 / 3)


@pytest.mark.parametrize("rule", ["weak_alpha", "cech"])
def test_tied_values_send_gradients_to_their_own_cell(rule):
    # A regular grid has many cells with exactly equal values. Each value is gathered at the
    # cell's own C++ sorted index (no torch re-sort), so its gradient touches only vertices of
    # that cell (weak alpha and Čech supports are faces of the cell).
    pts = np.array([[x, y] for x in range(4) for y in range(3)], dtype=float)
    plain, differentiable, _ = BUILDERS[rule]
    fil, simplices = plain(pts, with_simplices=True)
    cells = [tuple(row) for block in simplices for row in block]
    x = torch.tensor(pts, requires_grad=True)
    values = differentiable(x).values
    np.testing.assert_allclose(values.detach().numpy(), fil.values(), rtol=1e-14)
    assert len(np.unique(fil.values())) < len(fil.values()) / 4  # plenty of ties
    for i in range(len(cells)):
        (grad,) = torch.autograd.grad(values[i], x, retain_graph=True)
        touched = set(np.flatnonzero(grad.abs().sum(dim=1).numpy()))
        assert touched <= set(cells[i]), (cells[i], touched)
