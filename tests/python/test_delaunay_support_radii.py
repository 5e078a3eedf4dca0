"""The supports' squared circumradii on CPU tensors (C++ forward and closed-form backward)
against the torch formula they replace: values, gradients (flat simplices and their tied longest
edges included), thread counts, and a backward that is itself differentiable."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.autograd.forward_ad as fwAD
from hypothesis import given, settings
from hypothesis import strategies as st

from calydon.diff._support_radii import _torch_formula, support_radii_sq_of_rows


def _rows(rng, n, k, m):
    return np.stack([rng.choice(n, size=k, replace=False) for _ in range(m)]).astype(np.int64)


def _value_and_grad(fn, points, rows_by_size, weights):
    p = points.clone().requires_grad_(True)
    r_sq = fn(p, rows_by_size)
    (r_sq * weights).sum().backward()
    return r_sq.detach(), p.grad


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    dim=st.sampled_from([2, 3]),
    n_threads=st.integers(1, 3),
    flat=st.booleans(),
)
def test_cpp_values_and_gradients_equal_the_torch_formula(seed, dim, n_threads, flat):
    rng = np.random.default_rng(seed)
    pts = rng.random((15, dim))
    if flat:  # a lattice: collinear triples, coplanar quadruples, tied longest edges
        pts = np.floor(pts * 3)
    points = torch.tensor(pts)
    rows_by_size = [_rows(rng, 15, k, 40) for k in range(2, dim + 2)]
    weights = torch.tensor(rng.normal(size=40 * len(rows_by_size)))
    value, grad = _value_and_grad(
        lambda p, r: support_radii_sq_of_rows(p, r, n_threads), points, rows_by_size, weights
    )
    ref_value, ref_grad = _value_and_grad(_torch_formula, points, rows_by_size, weights)
    np.testing.assert_allclose(value.numpy(), ref_value.numpy(), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(grad.numpy(), ref_grad.numpy(), rtol=1e-9, atol=1e-9)


def test_the_gradient_does_not_depend_on_the_thread_count():
    rng = np.random.default_rng(3)
    points = torch.tensor(rng.random((400, 3)))
    rows_by_size = [_rows(rng, 400, k, 30000) for k in (2, 3, 4)]
    weights = torch.tensor(rng.normal(size=90000))
    grads = [
        _value_and_grad(
            lambda p, r: support_radii_sq_of_rows(p, r, n_threads), points, rows_by_size, weights
        )[1]
        for n_threads in (1, 2, 3)
    ]
    assert torch.equal(grads[0], grads[1]) and torch.equal(grads[0], grads[2])


def test_known_values_are_returned_with_the_formula_gradient():
    rng = np.random.default_rng(6)
    points = torch.tensor(rng.random((30, 3)))
    rows_by_size = [_rows(rng, 30, 3, 20), _rows(rng, 30, 4, 20)]
    weights = torch.tensor(rng.normal(size=40))
    known = rng.random(40)
    value, grad = _value_and_grad(
        lambda p, r: support_radii_sq_of_rows(p, r, 2, known), points, rows_by_size, weights
    )
    _, ref_grad = _value_and_grad(_torch_formula, points, rows_by_size, weights)
    np.testing.assert_array_equal(value.numpy(), known)
    np.testing.assert_allclose(grad.numpy(), ref_grad.numpy(), rtol=1e-9, atol=1e-9)
    with pytest.raises(ValueError, match="one value per support row"):
        support_radii_sq_of_rows(points, rows_by_size, 1, known[:5])


def test_a_differentiable_backward_gives_second_derivatives():
    rng = np.random.default_rng(4)
    points = torch.tensor(rng.random((8, 3)), requires_grad=True)
    rows_by_size = [_rows(rng, 8, 3, 5), _rows(rng, 8, 4, 5)]
    assert torch.autograd.gradgradcheck(
        lambda p: support_radii_sq_of_rows(p, rows_by_size, 2), (points,)
    )


def test_rows_outside_the_points_raise():
    with pytest.raises(ValueError, match="support rows must index"):
        support_radii_sq_of_rows(torch.zeros(3, 3), [np.array([[0, 5]])], 1)


def test_flat_simplices_on_a_decimal_grid_split_ties_as_the_torch_formula():
    # Exactly coplanar quadruples and collinear triples on a 0.1 grid: equal edges may round
    # apart in one arithmetic and not the other unless C++ compares the torch formula's own
    # scaled edges (before, about 0.5% of such quads got another subgradient).
    rng = np.random.default_rng(1)
    xy = rng.integers(-6, 7, size=(4000, 2)) * 0.1 + rng.integers(-3, 4, size=(4000, 1)) * 0.7
    line = xy[:, :1] * np.array([[1.0, 2.0]])  # points on the line y = 2x
    points = torch.tensor(
        np.vstack(
            [np.hstack([xy, np.full((4000, 1), 0.3)]), np.hstack([line, np.full((4000, 1), 0.3)])]
        )
    )
    quads = np.arange(4000).reshape(1000, 4)
    triples = 4000 + np.arange(3999).reshape(1333, 3)
    rows_by_size = [triples, quads]
    weights = torch.tensor(rng.normal(size=1333 + 1000))
    _, grad = _value_and_grad(
        lambda p, r: support_radii_sq_of_rows(p, r, 2), points, rows_by_size, weights
    )
    _, ref_grad = _value_and_grad(_torch_formula, points, rows_by_size, weights)
    np.testing.assert_allclose(grad.numpy(), ref_grad.numpy(), rtol=1e-9, atol=1e-12)


def test_forward_mode_and_torch_func_see_the_torch_formula():
    rng = np.random.default_rng(5)
    points = torch.tensor(rng.random((12, 3)))
    rows_by_size = [_rows(rng, 12, 3, 6), _rows(rng, 12, 4, 6)]
    tangent = torch.tensor(rng.normal(size=(12, 3)))
    with fwAD.dual_level():
        out = support_radii_sq_of_rows(fwAD.make_dual(points, tangent), rows_by_size, 2)
        jvp = fwAD.unpack_dual(out).tangent
    jacobian = torch.func.jacrev(lambda p: support_radii_sq_of_rows(p, rows_by_size, 2))(points)
    ref = torch.autograd.functional.jacobian(lambda p: _torch_formula(p, rows_by_size), points)
    torch.testing.assert_close(jacobian, ref, rtol=1e-12, atol=1e-12)
    torch.testing.assert_close(jvp, (ref * tangent).sum(dim=(1, 2)), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("rows", [np.zeros((0, 0)), np.zeros((2, 0)), np.zeros((3, 1))])
def test_rows_of_fewer_than_two_points_raise(rows):
    from calydon import _core

    with pytest.raises(ValueError, match="support rows must have 2 to 4 points"):
        _core.support_radii_sq(np.zeros((3, 3)), rows.astype(np.int64), 1)
    with pytest.raises(ValueError, match="support rows must have 2 to 4 points"):
        _core.support_radii_sq_gradient(
            np.zeros((3, 3)), rows.astype(np.int64), np.zeros(len(rows)), 1
        )
