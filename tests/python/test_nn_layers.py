"""calydon.nn persistence layers: every item of a batch equals the functional call on that item
(and gudhi / ripser where they apply), padded views agree with the items, gradients reach the
right slice of the input, and gradcheck passes on small inputs in general position."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import calydon
from calydon import diff
from calydon import nn as cnn
from conftest import assert_dgm_equal, finite_rows, gudhi_to_dgms

gudhi = pytest.importorskip("gudhi")


def assert_same_items(out: cnn.DiagramBatch, expected_of, batch_shape):
    """Each item equals the functional diagrams exactly (same rows, same order), and the padded
    view of every dimension holds those rows under its mask."""
    assert out.batch_shape == batch_shape
    for idx in np.ndindex(*batch_shape):
        expected = expected_of(idx)
        item = out.item(*idx) if idx else out.item()
        assert sorted(item) == sorted(expected)
        for d in expected:
            torch.testing.assert_close(item[d], expected[d], rtol=0, atol=0)
            values, mask = out[d]
            assert values.shape[:-2] == batch_shape and mask.shape == values.shape[:-1]
            torch.testing.assert_close(values[idx][mask[idx]], expected[d], rtol=0, atol=0)
            assert (values[idx][~mask[idx]] == 0).all()


@pytest.mark.parametrize("batch_shape", [(3,), (2, 2), ()])
@pytest.mark.parametrize("grid_shape", [(5, 6), (3, 4, 4)])
@pytest.mark.parametrize("values_on,negate", [("vertices", False), ("cells", True)])
def test_cubical_items_match_functional_and_gudhi(batch_shape, grid_shape, values_on, negate):
    x = torch.rand(batch_shape + grid_shape, generator=torch.Generator().manual_seed(1))
    layer = cnn.CubicalPersistence(
        values_on, negate, batch_dims=len(batch_shape), grid_dims=len(grid_shape)
    )
    out = layer(x.double())
    functional = lambda idx: diff.persistence_diagram(
        diff.cube_filtration(x.double()[idx], negate, values_on)
    )
    assert_same_items(out, functional, batch_shape)
    for idx in np.ndindex(*batch_shape):
        arr = x.double()[idx].numpy()
        cc_arr = -arr if negate else arr
        cc = (
            gudhi.CubicalComplex(vertices=cc_arr)
            if values_on == "vertices"
            else gudhi.CubicalComplex(top_dimensional_cells=cc_arr)
        )
        pers = cc.persistence(homology_coeff_field=2, min_persistence=-1)
        expected = gudhi_to_dgms(pers, len(grid_shape), negate=negate)
        for d in range(len(grid_shape)):
            assert_dgm_equal(out.item(*idx)[d] if idx else out.item()[d], finite_rows(expected[d]))


@pytest.mark.parametrize("batch_shape", [(2,), (2, 3)])
@pytest.mark.parametrize("grid_shape", [(6, 5), (3, 3, 4)])
def test_freudenthal_items_match_functional(batch_shape, grid_shape):
    x = torch.rand(batch_shape + grid_shape, generator=torch.Generator().manual_seed(2))
    layer = cnn.FreudenthalPersistence(
        negate=True, batch_dims=len(batch_shape), grid_dims=len(grid_shape), n_threads=2
    )
    out = layer(x)
    assert out[0].values.dtype == torch.float32
    functional = lambda idx: diff.persistence_diagram(diff.freudenthal_filtration(x[idx], True))
    assert_same_items(out, functional, batch_shape)


def test_include_inf_points_and_max_dim():
    x = torch.rand(2, 5, 5, dtype=torch.float64)
    out = cnn.CubicalPersistence(max_dim=1, include_inf_points=True)(x)
    assert list(out) == [0] and out.max_dim == 0
    for i in range(2):
        expected = diff.persistence_diagram(diff.cube_filtration(x[i], max_dim=1), True)
        torch.testing.assert_close(out.item(i)[0], expected[0])
        assert torch.isinf(out[0].values[i][out[0].mask[i]]).any()


def _item_gradient(x_item: torch.Tensor, build) -> torch.Tensor:
    """Gradient of the total persistence over all dims of one item, by the functional API."""
    leaf = x_item.detach().clone().requires_grad_(True)
    dgms = diff.persistence_diagram(build(leaf))
    total = sum((dgms[d][:, 1] - dgms[d][:, 0]).abs().sum() for d in dgms)
    (grad,) = torch.autograd.grad(total, (leaf,))
    return grad


def test_gradients_reach_each_items_slice():
    x = torch.rand(2, 3, 6, 6, dtype=torch.float64, requires_grad=True)
    out = cnn.CubicalPersistence(batch_dims=2)(x)
    loss = cnn.TotalPersistenceLoss(reduction="sum")
    (loss(out[0]) + loss(out[1])).backward()
    for idx in np.ndindex(2, 3):
        expected = _item_gradient(x[idx], diff.cube_filtration)
        assert expected.abs().sum() > 0
        torch.testing.assert_close(x.grad[idx], expected)


def test_crit_sets_gradients_match_functional():
    x = torch.rand(2, 5, 5, dtype=torch.float64, requires_grad=True)
    out = cnn.FreudenthalPersistence(gradient_method="crit-sets")(x)
    cnn.TotalPersistenceLoss(reduction="sum")(out[0]).backward()
    for i in range(2):
        leaf = x[i].detach().clone().requires_grad_(True)
        dgms = diff.persistence_diagram(
            diff.freudenthal_filtration(leaf), gradient_method="crit-sets"
        )
        (dgms[0][:, 1] - dgms[0][:, 0]).abs().sum().backward()
        torch.testing.assert_close(x.grad[i], leaf.grad)


def general_position_grid(shape, seed) -> torch.Tensor:
    """Distinct values well apart, so small perturbations keep every pairing."""
    rng = np.random.default_rng(seed)
    n = int(np.prod(shape))
    values = rng.permutation(n) + rng.uniform(0.2, 0.4, n)
    return torch.from_numpy(values.reshape(shape)).requires_grad_(True)


@pytest.mark.parametrize("layer_type", [cnn.CubicalPersistence, cnn.FreudenthalPersistence])
def test_gradcheck_grid_layers(layer_type):
    x = general_position_grid((2, 4, 5), 3)
    layer = layer_type(negate=True)
    loss = cnn.TotalPersistenceLoss(p=2.0, reduction="none")
    f = lambda t: torch.cat([loss(layer(t)[0]), loss(layer(t)[1])])
    assert torch.autograd.gradcheck(f, (x,), eps=1e-6, atol=1e-6)


def spread_points(shape, seed) -> torch.Tensor:
    rng = np.random.default_rng(seed)
    return torch.from_numpy(rng.random(shape) * 4)


@pytest.mark.parametrize("batch_dims", [1, 2])
def test_vietoris_rips_items_match_functional_and_ripser(batch_dims):
    ripser = pytest.importorskip("ripser")
    shape = (3, 12, 2) if batch_dims == 1 else (2, 2, 10, 3)
    points = spread_points(shape, 4)
    out = cnn.VietorisRipsPersistence(batch_dims=batch_dims)(points)
    functional = lambda idx: diff.persistence_diagram(diff.vr_filtration(points[idx]))
    assert_same_items(out, functional, shape[:batch_dims])
    for idx in np.ndindex(*shape[:batch_dims]):
        expected = ripser.ripser(points[idx].numpy(), maxdim=1)["dgms"]
        for d in (0, 1):
            assert_dgm_equal(
                out.item(*idx)[d], finite_rows(expected[d]), atol=1e-6
            )  # ripser: float32


def test_vietoris_rips_list_of_clouds_and_distance_matrices():
    clouds = [spread_points((n, 2), n) for n in (7, 11, 9)]
    out = cnn.VietorisRipsPersistence(max_dim=2, max_diameter=3.0)(clouds)
    assert out.batch_shape == (3,)
    for i, cloud in enumerate(clouds):
        expected = diff.persistence_diagram(diff.vr_filtration(cloud, max_diameter=3.0))
        for d in expected:
            torch.testing.assert_close(out.item(i)[d], expected[d])
    stacked = spread_points((2, 8, 3), 5)
    dist = torch.cdist(stacked, stacked)
    by_matrix = cnn.VietorisRipsPersistence(from_pwdists=True)(dist)
    by_points = cnn.VietorisRipsPersistence()(stacked)
    for d in (0, 1):
        for i in range(2):
            assert_dgm_equal(by_matrix.item(i)[d], by_points.item(i)[d], atol=1e-9)


def test_gradcheck_vietoris_rips():
    points = spread_points((2, 7, 2), 6).requires_grad_(True)
    layer = cnn.VietorisRipsPersistence()
    loss = cnn.TotalPersistenceLoss(reduction="none")
    f = lambda p: torch.cat([loss(layer(p)[0]), loss(layer(p)[1])])
    assert torch.autograd.gradcheck(f, (points,), eps=1e-6, atol=1e-6)


needs_cgal = pytest.mark.skipif(
    not getattr(calydon._core, "HAVE_CGAL", False), reason="built without CGAL"
)


@needs_cgal
@pytest.mark.parametrize("rule", ["alpha", "weak_alpha", "cech_delaunay"])
def test_alpha_items_match_functional(rule):
    builder = {
        "alpha": diff.alpha_filtration,
        "weak_alpha": diff.weak_alpha_filtration,
        "cech_delaunay": diff.cech_delaunay_filtration,
    }[rule]
    points = spread_points((3, 15, 2), 7)
    out = cnn.AlphaPersistence(rule)(points)
    assert_same_items(out, lambda idx: diff.persistence_diagram(builder(points[idx])), (3,))
    clouds = [spread_points((12, 3), 8), spread_points((9, 3), 9)]
    listed = cnn.AlphaPersistence(rule)(clouds)
    for i, cloud in enumerate(clouds):
        expected = diff.persistence_diagram(builder(cloud))
        assert sorted(listed.item(i)) == [0, 1, 2]
        for d in expected:
            torch.testing.assert_close(listed.item(i)[d], expected[d])
    mixed = cnn.AlphaPersistence(rule)([spread_points((10, 2), 1), spread_points((10, 3), 2)])
    assert list(mixed) == [0, 1, 2] and mixed[2].mask[0].sum() == 0


@needs_cgal
def test_alpha_gradients_reach_points():
    points = spread_points((2, 12, 2), 10).requires_grad_(True)
    out = cnn.AlphaPersistence()(points)
    cnn.TotalPersistenceLoss(reduction="sum")(out[1]).backward()
    for i in range(2):
        leaf = points[i].detach().clone().requires_grad_(True)
        dgms = diff.persistence_diagram(diff.alpha_filtration(leaf))
        (dgms[1][:, 1] - dgms[1][:, 0]).abs().sum().backward()
        assert leaf.grad.abs().sum() > 0
        torch.testing.assert_close(points.grad[i], leaf.grad)
