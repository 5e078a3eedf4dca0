"""calydon.nn losses: every accepted input form (single diagram, padded tensor + mask,
PaddedDiagrams, list) against the functional losses item by item, torch's reduction semantics,
targets (single, batched, numpy/list), total persistence against numpy, and gradients."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from calydon import diff
from calydon import nn as cnn
from distance_oracles import random_diagram

INF = math.inf


def ragged_batch(sizes, seed=0) -> list[torch.Tensor]:
    rng = np.random.default_rng(seed)
    return [torch.from_numpy(random_diagram(rng, n)).requires_grad_(True) for n in sizes]


def garbage_padded(dgms: list[torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
    """A padded tensor whose masked rows hold garbage (far from the diagonal, inf, NaN): a
    mask must keep every one of them out of the loss."""
    values, mask = diff.pad_diagrams(dgms)
    junk = torch.tensor([[5.0, 90.0], [0.0, INF], [math.nan, 1.0]], dtype=values.dtype)
    fill = junk[torch.arange(values.shape[1]) % 3].expand_as(values)
    return torch.where(mask[..., None], values, fill), mask


def sliced_functional(dgm, target, seed):
    gen = torch.Generator().manual_seed(seed)
    return diff.sliced_wasserstein_distance(dgm, target, n_directions=16, generator=gen)


def loss_and_functional(kind):
    """(module factory by reduction, functional loss of one item given the item's position)."""
    if kind == "sliced":
        # One generator per batch: item i draws the i-th set of directions, which the functional
        # reproduces by drawing i sets first.
        def functional(dgm, target, i):
            gen = torch.Generator().manual_seed(11)
            for _ in range(i):
                torch.rand(16, generator=gen, dtype=torch.float64)
            return diff.sliced_wasserstein_distance(dgm, target, n_directions=16, generator=gen)

        module = lambda r: cnn.SlicedWassersteinLoss(
            16, generator=torch.Generator().manual_seed(11), reduction=r
        )
        return module, functional
    if kind == "wasserstein":
        module = lambda r: cnn.WassersteinLoss(q=2.0, delta=0.0, reduction=r)
        return module, lambda d, t, i: diff.wasserstein_cost(d, t, 2.0, 0.0)
    module = lambda r: cnn.TotalPersistenceLoss(p=1.5, reduction=r)
    return module, lambda d, t, i: ((d[:, 1] - d[:, 0]).abs() ** 1.5).sum()


@pytest.mark.parametrize("kind", ["sliced", "wasserstein", "total"])
@pytest.mark.parametrize("form", ["list", "padded", "padded_diagrams"])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_batch_forms_and_reductions_match_functional(kind, form, reduction):
    dgms = ragged_batch([5, 0, 8, 3])
    target = torch.from_numpy(random_diagram(np.random.default_rng(9), 6))
    module, functional = loss_and_functional(kind)
    expected = torch.stack([functional(d, target, i) for i, d in enumerate(dgms)])
    args = {
        "list": (dgms,),
        "padded": garbage_padded(dgms),
        "padded_diagrams": (cnn.PaddedDiagrams(*garbage_padded(dgms)),),
    }[form]
    kwargs = {} if kind == "total" else {"target": target}
    if form == "padded":
        kwargs["mask"] = args[1]
        args = args[:1]
    value = module(reduction)(*args, **kwargs)
    want = {"mean": expected.mean(), "sum": expected.sum(), "none": expected}[reduction]
    assert value.shape == want.shape
    torch.testing.assert_close(value, want, rtol=1e-12, atol=1e-12)
    grads = torch.autograd.grad(value.sum(), [d for d in dgms if len(d)])
    want_grads = torch.autograd.grad(want.sum(), [d for d in dgms if len(d)])
    for g, w in zip(grads, want_grads):
        assert torch.isfinite(g).all()
        torch.testing.assert_close(g, w, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("kind", ["sliced", "wasserstein", "total"])
def test_single_diagram_gives_a_scalar_for_every_reduction(kind):
    (dgm,) = ragged_batch([7], seed=2)
    target = [[0.1, 0.4], [0.2, 1.0]]
    module, functional = loss_and_functional(kind)
    expected = functional(dgm, torch.tensor(target, dtype=torch.float64), 0)
    kwargs = {} if kind == "total" else {"target": target}
    for reduction in ("mean", "sum", "none"):
        value = module(reduction)(dgm, **kwargs)
        assert value.shape == ()
        torch.testing.assert_close(value, expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("kind", ["sliced", "wasserstein"])
def test_batched_targets_and_two_batch_axes(kind):
    dgms = ragged_batch([4, 6, 2, 5, 3, 7], seed=3)
    targets = ragged_batch([3, 3, 5, 1, 0, 4], seed=4)
    module, functional = loss_and_functional(kind)
    expected = torch.stack([functional(d, t, i) for i, (d, t) in enumerate(zip(dgms, targets))])
    values, mask = diff.pad_diagrams(dgms)
    target_values, target_mask = diff.pad_diagrams(targets)
    as_grid = lambda t: t.reshape((2, 3) + t.shape[1:])
    out = module("none")(
        as_grid(values),
        as_grid(target_values),
        mask=as_grid(mask),
        target_mask=as_grid(target_mask),
    )
    assert out.shape == (2, 3)
    torch.testing.assert_close(out.reshape(-1), expected, rtol=1e-12, atol=1e-12)
    listed = module("sum")(dgms, targets)
    torch.testing.assert_close(listed, expected.sum(), rtol=1e-12, atol=1e-12)


def test_layer_output_into_losses():
    x = torch.rand(3, 2, 6, 6, dtype=torch.float64, requires_grad=True)
    out = cnn.CubicalPersistence(batch_dims=2)(x)
    target = np.array([[0.1, 0.9]])
    sw = cnn.SlicedWassersteinLoss(8, generator=torch.Generator().manual_seed(0), reduction="none")
    per_item = sw(out[0], target)
    assert per_item.shape == (3, 2)
    per_item.sum().backward()
    assert x.grad.abs().sum(dim=(2, 3)).gt(0).all()


def test_total_persistence_against_numpy():
    dgm = np.array([[0.0, 1.0], [2.0, 0.5], [0.3, INF], [1.0, 1.0], [-INF, 2.0]])
    for p in (0.5, 1.0, 2.0, 3.5):
        t = torch.tensor(dgm, dtype=torch.float64, requires_grad=True)
        value = cnn.TotalPersistenceLoss(p=p)(t)
        finite = dgm[np.isfinite(dgm).all(axis=1)]
        assert value.item() == pytest.approx(np.sum(np.abs(finite[:, 1] - finite[:, 0]) ** p))
        (grad,) = torch.autograd.grad(value, (t,))
        assert torch.isfinite(grad).all()  # zero-persistence and essential rows: gradient 0
        assert (grad[2:] == 0).all()
        pers = abs(dgm[1, 1] - dgm[1, 0])
        assert grad[1, 1].item() == pytest.approx(-p * pers ** (p - 1))
    integer = cnn.TotalPersistenceLoss(reduction="none")(torch.tensor([[0, 3], [1, 2]]))
    assert integer.dtype == torch.float64 and integer.item() == 4.0


def test_empty_batch_items_and_target():
    dgms = [torch.empty(0, 2, dtype=torch.float64), torch.tensor([[0.0, 2.0]], dtype=torch.float64)]
    out = cnn.WassersteinLoss(delta=0.0, reduction="none")(dgms, [])
    torch.testing.assert_close(out, torch.tensor([0.0, 1.0], dtype=torch.float64))
    sw = cnn.SlicedWassersteinLoss(4, reduction="none")(dgms, np.empty((0, 2)))
    assert sw[0].item() == 0.0 and sw[1].item() > 0
