"""Batches of diagrams: item i of a padded batch equals the call on item i alone (values and
gradients), padded or masked rows change nothing, essential rows are dropped on request, and the
chunked sum over points (large diagrams) gives the unchunked values and gradients."""

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import calydon.diff as diff
from calydon.diff.vectorize import _common
from generators import random_diagram
from vectorize_cases import CASES, DIFFERENTIABLE


def _diagrams(sizes, seed):
    rng = np.random.default_rng(seed)
    return [
        torch.tensor(random_diagram(n, seed=rng, scale=1.5, min_persistence=1e-3) - 0.4)
        for n in sizes
    ]


@pytest.mark.parametrize("name", sorted(CASES))
@given(sizes=st.lists(st.integers(0, 25), min_size=1, max_size=5), seed=st.integers(0, 10**6))
def test_batch_item_equals_single_call(name, sizes, seed):
    dgms = [d.requires_grad_() for d in _diagrams(sizes, seed)]
    padded, mask = diff.pad_diagrams(dgms)
    batched = CASES[name](padded, mask)
    assert batched.shape[0] == len(dgms)
    for i, dgm in enumerate(dgms):
        single = CASES[name](dgm)
        assert single.shape == batched.shape[1:]
        torch.testing.assert_close(batched[i], single, rtol=1e-12, atol=1e-12)
    if name in DIFFERENTIABLE and sum(sizes):
        probe = torch.randn(
            batched.shape, dtype=batched.dtype, generator=torch.Generator().manual_seed(0)
        )
        batch_grads = torch.autograd.grad((batched * probe).sum(), dgms, allow_unused=True)
        for i, dgm in enumerate(dgms):
            (single_grad,) = torch.autograd.grad(
                (CASES[name](dgm) * probe[i]).sum(), dgm, allow_unused=True
            )
            expected = torch.zeros_like(dgm) if single_grad is None else single_grad
            got = torch.zeros_like(dgm) if batch_grads[i] is None else batch_grads[i]
            torch.testing.assert_close(got, expected, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name", sorted(CASES))
def test_masked_rows_change_nothing_and_get_no_gradient(name):
    (dgm,) = _diagrams([12], 7)
    junk = torch.tensor([[0.3, 0.2], [float("inf"), 5.0], [float("nan"), 1.0], [-3.0, 9.0]])
    rows = torch.cat([dgm, junk.double()]).requires_grad_()
    mask = torch.arange(len(rows)) < len(dgm)
    out = CASES[name](rows, mask)
    torch.testing.assert_close(out, CASES[name](dgm), rtol=1e-12, atol=1e-12)
    if out.requires_grad:
        (grad,) = torch.autograd.grad(out.sum(), rows)
        assert torch.isfinite(grad).all()
        assert torch.all(grad[len(dgm) :] == 0)


@pytest.mark.parametrize("name", sorted(CASES))
def test_drop_essential_ignores_infinite_rows(name):
    (dgm,) = _diagrams([10], 3)
    essential = torch.tensor([[0.1, float("inf")], [-float("inf"), 0.5]], dtype=torch.float64)
    with_inf = torch.cat([dgm[:4], essential, dgm[4:]])
    call = CASES[name]
    with pytest.raises(ValueError, match="drop_essential"):
        call(with_inf)
    torch.testing.assert_close(
        call(with_inf, drop_essential=True), call(dgm), rtol=1e-12, atol=1e-12
    )


@pytest.mark.parametrize("name", sorted(CASES))
def test_chunked_sum_equals_one_pass(name, monkeypatch):
    dgms = [d.requires_grad_() for d in _diagrams([40, 23, 0], 5)]
    padded, mask = diff.pad_diagrams(dgms)
    whole = CASES[name](padded, mask)
    grads = torch.autograd.grad(whole.sum(), dgms) if whole.requires_grad else None
    monkeypatch.setattr(_common, "CHUNK_BUDGET", 50)  # a few points per chunk
    chunked = CASES[name](padded, mask)
    torch.testing.assert_close(chunked, whole, rtol=1e-12, atol=1e-12)
    if grads is not None:
        for got, expected in zip(torch.autograd.grad(chunked.sum(), dgms), grads):
            torch.testing.assert_close(got, expected, rtol=1e-12, atol=1e-12)


def test_large_diagram_matches_gudhi():
    """2 * 10^4 points, above the chunk budget with 300 samples: gudhi computes (R, N) at once."""
    import gudhi.representations as gr

    dgm = random_diagram(20_000, seed=1)
    tensor = torch.tensor(dgm, requires_grad=True)
    grid = dict(resolution=300, sample_range=[0.0, 2.0])
    out = diff.silhouette(tensor, **grid)
    np.testing.assert_allclose(out.detach().numpy(), gr.Silhouette(**grid)(dgm), rtol=1e-9)
    out.sum().backward()
    assert torch.isfinite(tensor.grad).all()
    lands = diff.persistence_landscape(tensor, num_landscapes=3, **grid)
    expected = gr.Landscape(num_landscapes=3, **grid)(dgm)
    np.testing.assert_allclose(lands.detach().numpy().ravel(), expected, rtol=1e-9, atol=1e-12)


def test_float32_stays_float32():
    (dgm,) = _diagrams([15], 2)
    for name, call in CASES.items():
        out = call(dgm.float())
        assert out.dtype == torch.float32, name
        torch.testing.assert_close(out.double(), call(dgm), rtol=1e-4, atol=1e-5)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
@pytest.mark.parametrize("name", sorted(CASES))
def test_cuda_matches_cpu(name):
    dgms = _diagrams([30, 11, 4], 9)
    padded, mask = diff.pad_diagrams(dgms)
    on_gpu = padded.cuda().requires_grad_()
    out = CASES[name](on_gpu, mask.cuda())
    assert out.device == on_gpu.device
    torch.testing.assert_close(out.cpu(), CASES[name](padded, mask), rtol=1e-10, atol=1e-10)
    if out.requires_grad:
        out.sum().backward()
        assert on_gpu.grad.device == on_gpu.device
