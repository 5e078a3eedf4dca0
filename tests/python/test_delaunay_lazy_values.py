"""The lazy values of the differentiable Delaunay filtrations: persistence_diagram evaluates only
the diagrams' values, and its diagrams, index diagrams and gradients equal, bit for bit, those of
the general path over every cell's value (a DiffFiltration built from ``values`` by hand)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from calydon import diff

BUILDERS = {
    "alpha": diff.alpha_filtration,
    "weak_alpha": diff.weak_alpha_filtration,
    "cech": diff.cech_delaunay_filtration,
}


def _diagrams_and_gradient(fil, points: torch.Tensor, include_inf_points: bool):
    dgms = diff.persistence_diagram(fil, include_inf_points=include_inf_points)
    finite = [d[torch.isfinite(d[:, 1])] for d in dgms.values()]
    loss = sum(((d[:, 1] - d[:, 0]) ** 2).sum() + d[:, 0].sum() for d in finite)
    (grad,) = torch.autograd.grad(loss, points)
    indices = [dgms.index_diagram_in_dimension(k) for k in dgms.keys()]
    return [d.detach() for d in dgms.values()], indices, grad


@settings(max_examples=25, deadline=None)
@given(
    rule=st.sampled_from(sorted(BUILDERS)),
    dim=st.sampled_from([2, 3]),
    n=st.integers(4, 300),
    seed=st.integers(0, 2**31 - 1),
    include_inf_points=st.booleans(),
)
def test_lazy_diagrams_equal_the_general_path(rule, dim, n, seed, include_inf_points):
    points = torch.tensor(np.random.default_rng(seed).random((n, dim)), requires_grad=True)
    lazy = BUILDERS[rule](points)
    got = _diagrams_and_gradient(lazy, points, include_inf_points)
    assert lazy._values is None  # the diagram evaluated only its own cells
    general = diff.DiffFiltration(lazy.under_fil, lazy.values)
    want = _diagrams_and_gradient(general, points, include_inf_points)
    for g, w in zip(got[0], want[0]):
        assert torch.equal(g, w)
    for g, w in zip(got[1], want[1]):
        assert torch.equal(g, w)
    assert torch.equal(got[2], want[2])


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_lazy_values_keep_the_points_dtype_and_gradient(dtype):
    points = torch.tensor(np.random.default_rng(3).random((60, 3)), dtype=dtype, requires_grad=True)
    fil = diff.alpha_filtration(points)
    assert "not evaluated" in repr(fil)
    dgm = diff.persistence_diagram(fil)[1]
    assert dgm.dtype == dtype
    values = fil.values
    assert values.dtype == dtype and values.shape == (len(fil.under_fil),)
    np.testing.assert_allclose(
        values.detach().double().numpy(),
        fil.under_fil.values(),
        rtol=1e-6 if dtype == torch.float32 else 1e-12,
        atol=1e-12,
    )
    assert "evaluated" in repr(fil) and "not evaluated" not in repr(fil)
