"""The diff losses take a numpy array or a nested list as the target diagram (converted to the
other diagram's dtype and device), and refuse the diagrams of all dimensions at once with a
TypeError that asks for one dimension."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

import calydon
from calydon import diff
from distance_oracles import random_diagram, scipy_wasserstein_cost

INF = math.inf


def seeded(loss):
    """The loss with reproducible directions for the sliced ones."""
    if "sliced" in loss.__name__:
        return lambda a, b, **kw: loss(a, b, generator=torch.Generator().manual_seed(0), **kw)
    return loss


LOSSES = [
    diff.wasserstein_cost,
    diff.bottleneck_cost,
    diff.sliced_wasserstein_distance,
    diff.sliced_wasserstein_distance_diag_corrected,
]
DEVICES = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])


@pytest.mark.parametrize("loss", LOSSES, ids=lambda f: f.__name__)
@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_numpy_and_list_targets_equal_tensor_target(loss, device, dtype):
    rng = np.random.default_rng(1)
    a0, b0 = random_diagram(rng, 12), random_diagram(rng, 9)
    a = torch.from_numpy(a0).to(device=device, dtype=dtype).requires_grad_(True)
    f = seeded(loss)
    for target in (b0, b0.astype(np.float32), b0.tolist(), [tuple(r) for r in b0.tolist()]):
        as_tensor = torch.from_numpy(np.asarray(target, dtype=np.float64)).to(device, dtype)
        expected = f(a, as_tensor).item()
        value = f(a, target)
        assert value.dtype == dtype and value.device.type == device
        assert value.item() == expected
        (grad,) = torch.autograd.grad(value, (a,))
        assert torch.isfinite(grad).all() and grad.abs().sum() > 0


def test_list_target_value_against_scipy():
    a = torch.tensor([[0.0, 1.0], [0.3, 2.0], [1.0, 1.4]], dtype=torch.float64)
    target = [[0.1, 1.2], [0.5, 1.5]]
    cost = diff.wasserstein_cost(a, target, wasserstein_q=2.0, wasserstein_delta=0.0)
    assert cost.item() == pytest.approx(scipy_wasserstein_cost(a.numpy(), target, 2.0), rel=1e-10)


@pytest.mark.parametrize("loss", LOSSES, ids=lambda f: f.__name__)
def test_empty_and_integer_targets(loss):
    a = torch.tensor([[0.0, 1.0], [0.5, 3.0]], dtype=torch.float64)
    f = seeded(loss)
    empty = f(a, torch.empty(0, 2, dtype=torch.float64)).item()
    assert f(a, []).item() == pytest.approx(empty)
    assert f(a, np.empty((0, 2))).item() == pytest.approx(empty)
    assert f(a, np.array([[0, 1], [0, 3]])).item() == pytest.approx(
        f(a, torch.tensor([[0.0, 1.0], [0.0, 3.0]], dtype=torch.float64)).item()
    )


def test_essential_target_from_a_list():
    a = torch.tensor([[0.2, INF], [0.0, 1.0]], dtype=torch.float64, requires_grad=True)
    target = [[0.7, INF], [0.0, 1.0]]
    cost = diff.wasserstein_cost(a, target, ignore_inf_points=False, wasserstein_delta=0.0)
    assert cost.item() == pytest.approx(0.5)


def _persistence_diagrams():
    x = torch.tensor([[0.0, 2.0, 0.5], [1.0, 3.0, 0.2], [0.4, 2.5, 0.1]], dtype=torch.float64)
    return diff.persistence_diagram(diff.cube_filtration(x))


@pytest.mark.parametrize("loss", LOSSES, ids=lambda f: f.__name__)
def test_whole_persistence_diagrams_is_a_type_error(loss):
    dgms = _persistence_diagrams()
    numpy_dgms = calydon.compute_diagrams_cubical(np.array([[0.0, 2.0], [1.0, 3.0]]))
    name = loss.__name__
    first, second = ("dgm_a", "dgm_b") if "sliced" not in name else ("dgm1", "dgm2")
    pick = r"pick a dimension, e\.g\. dgms\[1\]"
    with pytest.raises(TypeError, match=rf"^{name}: {first} .*got PersistenceDiagrams.*{pick}"):
        loss(dgms, dgms[0])
    with pytest.raises(TypeError, match=rf"^{name}: {second} .*got PersistenceDiagrams.*{pick}"):
        loss(dgms[0], dgms)
    with pytest.raises(TypeError, match=rf"^{name}: {second} .*got Diagrams.*{pick}"):
        loss(dgms[0], numpy_dgms)
    with pytest.raises(TypeError, match=rf"^{name}: {second} .*got dict.*{pick}"):
        loss(dgms[0], {0: dgms[0]})


@pytest.mark.parametrize("loss", LOSSES, ids=lambda f: f.__name__)
def test_bad_targets(loss):
    a = torch.tensor([[0.0, 1.0]], dtype=torch.float64)
    name = loss.__name__
    second = "dgm2" if "sliced" in name else "dgm_b"
    with pytest.raises(ValueError, match=rf"^{name}: {second} must be an \(n, 2\) tensor.*ragged"):
        loss(a, [[0.0, 1.0], [2.0]])
    with pytest.raises(ValueError, match=rf"^{name}: {second} must have shape \(n, 2\)"):
        loss(a, [0.0, 1.0, 2.0])
    with pytest.raises(ValueError, match=rf"^{name}: {second} must not contain NaN"):
        loss(a, [[0.0, float("nan")]])
    with pytest.raises(TypeError, match=rf"^{name}: {second} must have a real numeric dtype"):
        loss(a, [["a", "b"]])
    with pytest.raises(TypeError, match=rf"^{name}: {second} must have a real numeric dtype"):
        loss(a, None)
    first = "dgm1" if "sliced" in name else "dgm_a"
    with pytest.raises(TypeError, match=rf"^{name}: {first} must be a torch.Tensor, got ndarray"):
        loss(a.numpy(), a)
