"""Batches inside one call: pad_diagrams, persistence_diagrams (torch) and compute_diagrams_batch
(numpy) give exactly what per-item calls give, gradients included."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

import calydon
import calydon.diff as diff

RNG = np.random.default_rng(7)
IMG = RNG.random((9, 8))
VOL = RNG.random((5, 4, 6))
PTS = RNG.random((25, 2))


def diff_filtrations(img, vol, pts):
    """Mixed builders: a lazy 2-D grid, an explicit 3-D cubical grid, lazy Rips, alpha."""
    return [
        diff.freudenthal_filtration(img),
        diff.cube_filtration(vol, values_on="cells"),
        diff.vr_filtration(pts),
        diff.alpha_filtration(pts),
    ]


def leaves():
    return [torch.tensor(a, requires_grad=True) for a in (IMG, VOL, PTS)]


def total_loss(dgm_list) -> torch.Tensor:
    loss = 0.0
    for dgms in dgm_list:
        for dim in dgms:
            d = dgms[dim]
            finite = torch.isfinite(d[:, 1])
            loss = loss + (d[finite, 1] - d[finite, 0]).pow(2).sum() + d[:, 0].sum()
    return loss


# -- pad_diagrams ------------------------------------------------------------------------------


def test_pad_diagrams_values_mask_and_inf_rows():
    a = torch.tensor([[0.0, 1.0], [0.5, math.inf]])
    b = torch.empty((0, 2))
    c = torch.tensor([[1.0, 2.0], [2.0, 4.0], [0.0, 3.0]])
    padded, mask = diff.pad_diagrams([a, b, c])
    assert padded.shape == (3, 3, 2) and mask.shape == (3, 3) and mask.dtype == torch.bool
    assert mask.tolist() == [[True, True, False], [False, False, False], [True, True, True]]
    assert torch.equal(padded[0, :2], a) and torch.equal(padded[2], c)
    assert torch.equal(padded[~mask], torch.zeros((4, 2)))  # padding: (0, 0), on the diagonal
    assert padded[0, 1, 1].item() == math.inf


def test_pad_diagrams_gradients_reach_the_real_rows():
    a = torch.rand(4, 2, dtype=torch.float64, requires_grad=True)
    b = torch.rand(1, 2, dtype=torch.float64, requires_grad=True)
    padded, mask = diff.pad_diagrams((a, b))
    weights = torch.arange(1.0, 9.0, dtype=torch.float64).reshape(1, 4, 2).expand(2, 4, 2)
    (padded * weights).sum().backward()
    assert torch.equal(a.grad, weights[0])
    assert torch.equal(b.grad, weights[0, :1])


def test_pad_diagrams_keeps_dtype_and_device():
    for dtype in (torch.float32, torch.float64):
        padded, mask = diff.pad_diagrams(
            [torch.ones(2, 2, dtype=dtype), torch.ones(3, 2, dtype=dtype)]
        )
        assert padded.dtype == dtype
    meta = [torch.empty(2, 2, device="meta"), torch.empty(5, 2, device="meta")]
    padded, mask = diff.pad_diagrams(meta)
    assert padded.device.type == "meta" and mask.device.type == "meta" and padded.shape == (2, 5, 2)
    if torch.cuda.is_available():
        padded, mask = diff.pad_diagrams([torch.ones(2, 2, device="cuda")])
        assert padded.is_cuda and mask.is_cuda


def test_pad_diagrams_all_empty_and_losses_ignore_padding():
    padded, mask = diff.pad_diagrams([torch.empty(0, 2), torch.empty(0, 2)])
    assert padded.shape == (2, 0, 2) and mask.shape == (2, 0)
    x = torch.tensor(IMG, requires_grad=True)
    dgms = diff.persistence_diagrams(diff.cube_filtration(x, batch_dims=1))
    h0 = [d[0] for d in dgms]
    padded, mask = diff.pad_diagrams(h0)
    target = torch.tensor([[0.2, 0.6]], dtype=torch.float64)
    for i, d in enumerate(h0):
        assert torch.equal(padded[i, mask[i]], d)
        pers = (padded[i, :, 1] - padded[i, :, 0]).pow(2).sum()
        assert torch.allclose(pers, (d[:, 1] - d[:, 0]).pow(2).sum(), rtol=0, atol=1e-15)
        cost = diff.wasserstein_cost(padded[i], target, wasserstein_q=2.0)
        assert torch.allclose(cost, diff.wasserstein_cost(d, target, wasserstein_q=2.0), atol=1e-12)


@pytest.mark.parametrize(
    "bad, error, match",
    [
        ([], ValueError, "must not be empty"),
        (torch.zeros(2, 2), TypeError, "list or tuple"),
        ([torch.zeros(2, 2), np.zeros((2, 2))], TypeError, r"diagrams\[1\]"),
        ([torch.zeros(2, 3)], ValueError, r"diagrams\[0\].*\(n, 2\)"),
        ([torch.zeros(4)], ValueError, r"diagrams\[0\]"),
        ([torch.zeros(2, 2, dtype=torch.bool)], TypeError, "real dtype"),
        ([torch.zeros(2, 2), torch.zeros(2, 2, dtype=torch.float64)], ValueError, "one dtype"),
        ([torch.zeros(2, 2), torch.zeros(2, 2, device="meta")], ValueError, "one device"),
    ],
)
def test_pad_diagrams_rejects_bad_input(bad, error, match):
    with pytest.raises(error, match=match):
        diff.pad_diagrams(bad)


# -- persistence_diagrams ----------------------------------------------------------------------


@pytest.mark.parametrize("include_inf_points", [False, True])
@pytest.mark.parametrize("dualize", [None, False, True])
def test_persistence_diagrams_equals_per_item_calls_with_gradients(include_inf_points, dualize):
    batch_leaves, single_leaves = leaves(), leaves()
    batch = diff.persistence_diagrams(
        diff_filtrations(*batch_leaves),
        include_inf_points=include_inf_points,
        dualize=dualize,
        n_threads=2,
    )
    single = [
        diff.persistence_diagram(f, include_inf_points=include_inf_points, dualize=dualize)
        for f in diff_filtrations(*single_leaves)
    ]
    assert isinstance(batch, list) and len(batch) == len(single)
    for got, want in zip(batch, single):
        assert isinstance(got, diff.PersistenceDiagrams) and list(got) == list(want)
        for dim in want:
            assert torch.equal(got[dim], want[dim]), dim
            assert torch.equal(
                got.index_diagram_in_dimension(dim), want.index_diagram_in_dimension(dim)
            )
    total_loss(batch).backward()
    total_loss(single).backward()
    for got, want in zip(batch_leaves, single_leaves):
        assert torch.equal(got.grad, want.grad)
        assert got.grad.abs().sum() > 0


def test_persistence_diagrams_of_a_batched_grid_tensor():
    x = torch.tensor(RNG.random((2, 3, 6, 7)), requires_grad=True)
    dgms = diff.persistence_diagrams(diff.freudenthal_filtration(x, batch_dims=2))
    assert len(dgms) == 6
    total_loss(dgms).backward()
    for i, j in np.ndindex(2, 3):
        item = x.detach()[i, j].clone().requires_grad_(True)
        want = diff.persistence_diagram(diff.freudenthal_filtration(item))
        assert all(torch.equal(dgms[3 * i + j][d], want[d]) for d in want)
        total_loss([want]).backward()
        assert torch.equal(x.grad[i, j], item.grad)


def test_persistence_diagrams_accepts_tuples_and_one_item():
    fil = diff.freudenthal_filtration(torch.tensor(IMG))
    (only,) = diff.persistence_diagrams((fil,))
    want = diff.persistence_diagram(fil)
    assert all(torch.equal(only[d], want[d]) for d in want)


def test_persistence_diagrams_rejects_bad_arguments():
    fil = diff.freudenthal_filtration(torch.tensor(IMG))
    with pytest.raises(TypeError, match="fils must be a sequence"):
        diff.persistence_diagrams(fil)
    with pytest.raises(TypeError, match="fils must be a sequence"):
        diff.persistence_diagrams(f for f in [fil])
    with pytest.raises(ValueError, match="fils must not be empty"):
        diff.persistence_diagrams([])
    with pytest.raises(TypeError, match=r"fils\[1\] must be a DiffFiltration, got ndarray"):
        diff.persistence_diagrams([fil, IMG])
    with pytest.raises(TypeError, match=r"fils\[0\].*compute_diagrams_batch"):
        diff.persistence_diagrams([calydon.freudenthal_filtration(IMG)])
    with pytest.raises(ValueError, match="persistence_diagrams: gradient_method"):
        diff.persistence_diagrams([fil], gradient_method="nope")
    with pytest.raises(ValueError, match="persistence_diagrams: n_threads"):
        diff.persistence_diagrams([fil], n_threads=0)
    with pytest.raises(TypeError, match="n_threads"):
        diff.persistence_diagrams([fil], n_threads="2")
    with pytest.raises(TypeError):
        diff.persistence_diagrams([fil], False)  # keyword-only options


# -- compute_diagrams_batch --------------------------------------------------------------------


def numpy_filtrations():
    return [
        calydon.freudenthal_filtration(IMG),
        calydon.cube_filtration(VOL, values_on="cells"),
        calydon.vr_filtration(PTS),
        calydon.alpha_filtration(PTS),
        calydon.freudenthal_filtration(VOL),
    ]


@pytest.mark.parametrize("include_inf_points", [False, True])
@pytest.mark.parametrize("dualize", [False, True])
def test_compute_diagrams_batch_equals_per_item_calls(include_inf_points, dualize):
    fils = numpy_filtrations()
    batch = calydon.compute_diagrams_batch(
        fils, include_inf_points=include_inf_points, dualize=dualize, n_threads=2
    )
    assert isinstance(batch, list) and len(batch) == len(fils)
    for fil, got in zip(fils, batch):
        want = calydon.compute_diagrams(fil, include_inf_points=include_inf_points, dualize=dualize)
        assert isinstance(got, calydon.Diagrams) and len(got) == len(want)
        for dim in range(len(want)):
            np.testing.assert_array_equal(got[dim], want[dim])
            np.testing.assert_array_equal(
                got.index_diagram_in_dimension(dim), want.index_diagram_in_dimension(dim)
            )


def test_compute_diagrams_batch_rejects_bad_arguments():
    fil = calydon.freudenthal_filtration(IMG)
    with pytest.raises(TypeError, match="compute_diagrams_batch: fils must be a sequence"):
        calydon.compute_diagrams_batch(fil)
    with pytest.raises(ValueError, match="fils must not be empty"):
        calydon.compute_diagrams_batch(())
    with pytest.raises(TypeError, match=r"fils\[2\] must be a calydon.Filtration, got str"):
        calydon.compute_diagrams_batch([fil, fil, "x"])
    with pytest.raises(TypeError, match=r"fils\[0\].*diff.persistence_diagrams"):
        calydon.compute_diagrams_batch([diff.freudenthal_filtration(torch.tensor(IMG))])
    with pytest.raises(ValueError, match="compute_diagrams_batch: n_threads"):
        calydon.compute_diagrams_batch([fil], n_threads=-1)
