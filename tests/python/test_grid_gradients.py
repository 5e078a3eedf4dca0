"""calydon.diff on grids: values, diagram tensors, gradients.

Gradients are checked against central finite differences of the same loss evaluated on diagrams
computed by independent oracles (gudhi ``CubicalComplex`` for cubical filtrations, gudhi
``SimplexTree`` on the reference Freudenthal enumeration), and with ``torch.autograd.gradcheck``.
"""

from __future__ import annotations

import gudhi
import numpy as np
import pytest
import torch

import calydon
import calydon.diff as diff
import reference
from conftest import as_numpy_dgm, assert_dgm_equal, gudhi_to_dgms, seed_of

ids = lambda s: "x".join(map(str, s))  # noqa: E731
KINDS = ["freudenthal", "vertices", "cells"]


def diff_fil(kind, x, negate=False, max_dim=None):
    if kind == "freudenthal":
        return diff.freudenthal_filtration(x, negate=negate, max_dim=max_dim)
    return diff.cube_filtration(x, negate=negate, values_on=kind, max_dim=max_dim)


def nondiff_fil(kind, data, negate=False):
    if kind == "freudenthal":
        return calydon.freudenthal_filtration(data, negate=negate)
    return calydon.cube_filtration(data, negate=negate, values_on=kind)


def general_position(shape, seed, spread=0.1):
    """Distinct values with gaps >= 0.8 * spread between any two of them."""
    rng = np.random.default_rng(seed)
    n = int(np.prod(shape))
    data = (rng.permutation(n) * spread + rng.uniform(0, 0.1 * spread, n)).reshape(shape)
    return data


def min_gap(data):
    v = np.unique(np.asarray(data).reshape(-1))
    return np.inf if len(v) < 2 else float(np.diff(v).min())


class Oracle:
    """Diagrams of a grid function by gudhi; the complex is enumerated once per shape."""

    def __init__(self, kind, shape, negate):
        self.kind, self.shape, self.negate = kind, tuple(shape), negate
        if kind == "freudenthal":
            self.simplices = reference.freudenthal_simplices(shape)

    def __call__(self, data) -> dict[int, np.ndarray]:
        arr = -data if self.negate else data
        nd = len(self.shape)
        if self.kind == "freudenthal":
            values = reference.lower_star_values(self.simplices, arr)
            st = gudhi.SimplexTree()
            for s, v in zip(self.simplices, values):
                st.insert(list(s), filtration=v)
            pers = st.persistence(
                homology_coeff_field=2, min_persistence=-1, persistence_dim_max=True
            )
        elif self.kind == "vertices":
            pers = gudhi.CubicalComplex(vertices=arr).persistence(
                homology_coeff_field=2, min_persistence=-1
            )
        else:
            pers = gudhi.CubicalComplex(top_dimensional_cells=arr).persistence(
                homology_coeff_field=2, min_persistence=-1
            )
        return gudhi_to_dgms(pers, nd + 1, negate=self.negate)


# Losses: work on both torch tensors and numpy arrays, given {dim: (n, 2)} with essentials included.
def _finite(dg):
    return (
        dg[np.isfinite(as_numpy_dgm(dg)[:, 1])]
        if isinstance(dg, np.ndarray)
        else dg[torch.isfinite(dg[:, 1])]
    )


def loss_total_persistence_sq(dgms):
    total = 0.0
    for d in (0, 1):
        if d in dgms:
            f = _finite(dgms[d])
            total = total + ((f[:, 1] - f[:, 0]) ** 2).sum()
    return total


def loss_sum_deaths(dgms):
    total = 0.0
    for d in dgms:
        f = _finite(dgms[d])
        total = total + f[:, 1].sum()
    return total


def loss_births_with_inf(dgms):
    """Uses essential rows' births: Σ b² over all rows + Σ finite deaths (d - b)."""
    total = 0.0
    for d in dgms:
        total = total + (dgms[d][:, 0] ** 2).sum()
        f = _finite(dgms[d])
        total = total + (f[:, 1] - f[:, 0]).sum()
    return total


LOSSES = {
    "tp2": (loss_total_persistence_sq, False),
    "deaths": (loss_sum_deaths, False),
    "births_inf": (loss_births_with_inf, True),
}


def oracle_loss(oracle, loss, include_inf, data, n_dims):
    dg = oracle(data)
    dg = {d: (dg[d] if include_inf else dg[d][np.isfinite(dg[d][:, 1])]) for d in range(n_dims)}
    return float(loss(dg))


# ---------------------------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("shape", [(7,), (4, 5), (3, 2, 4)], ids=ids)
@pytest.mark.parametrize("negate", [False, True])
def test_diff_values_equal_under_fil(kind, shape, negate):
    rng = np.random.default_rng(seed_of(kind, shape, negate))
    data = rng.integers(0, 5, size=shape).astype(np.float64)
    x = torch.tensor(data, requires_grad=True)
    fil = diff_fil(kind, x, negate)
    assert isinstance(fil, diff.DiffFiltration)
    assert fil.values.shape == (len(fil.under_fil),)
    assert fil.values.dtype == torch.float64
    assert fil.values.requires_grad
    np.testing.assert_array_equal(fil.values.detach().numpy(), fil.under_fil.values())
    # the same filtration as the non-diff builder, cell for cell
    ref = nondiff_fil(kind, data, negate)
    np.testing.assert_array_equal(fil.under_fil.values(), ref.values())
    np.testing.assert_array_equal(fil.under_fil.dims(), ref.dims())
    # delegation to under_fil
    assert fil.max_dim == ref.max_dim and fil.negate == negate and len(fil) == len(ref)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("shape", [(9,), (4, 5), (3, 3, 2)], ids=ids)
@pytest.mark.parametrize("negate", [False, True])
def test_diff_diagrams_match_gudhi(kind, shape, negate):
    data = general_position(shape, seed_of(kind, shape, negate))
    x = torch.tensor(data, requires_grad=True)
    fil = diff_fil(kind, x, negate)
    n_dims = max(fil.max_dim - 1, 0) + 1
    expected = Oracle(kind, shape, negate)(data)
    for inf in (False, True):
        for dualize in (None, False, True):
            dgms = diff.persistence_diagram(fil, include_inf_points=inf, dualize=dualize)
            assert sorted(dgms.keys()) == list(range(n_dims))
            for d in range(n_dims):
                t = dgms[d]
                assert t.dtype == torch.float64 and t.shape[1] == 2 and t.requires_grad
                exp = expected[d] if inf else expected[d][np.isfinite(expected[d][:, 1])]
                assert_dgm_equal(t, exp, msg=f"dim {d} inf={inf} dualize={dualize}")


# ---------------------------------------------------------------------------------------------
# Gradients vs central finite differences of the oracle's loss
# ---------------------------------------------------------------------------------------------

FD_CASES = [
    ("freudenthal", (9,)),
    ("freudenthal", (4, 4)),
    ("freudenthal", (3, 4, 3)),
    ("vertices", (8,)),
    ("vertices", (4, 5)),
    ("vertices", (3, 2, 3)),
    ("cells", (4, 4)),
    ("cells", (3, 3, 3)),
]


@pytest.mark.parametrize("kind,shape", FD_CASES, ids=lambda v: v if isinstance(v, str) else ids(v))
@pytest.mark.parametrize("loss_name", list(LOSSES))
@pytest.mark.parametrize("negate", [False, True])
def test_gradient_matches_finite_differences(kind, shape, loss_name, negate):
    loss, include_inf = LOSSES[loss_name]
    data = general_position(shape, seed_of(kind, shape, loss_name, negate))
    eps = 1e-6
    assert min_gap(data) > 1e4 * eps  # perturbations never reorder values
    x = torch.tensor(data, requires_grad=True)
    fil = diff_fil(kind, x, negate)
    dgms = diff.persistence_diagram(fil, include_inf_points=include_inf)
    n_dims = len(dgms)
    value = loss(dgms)
    value.backward()
    grad = x.grad.numpy()
    oracle = Oracle(kind, shape, negate)
    assert abs(value.item() - oracle_loss(oracle, loss, include_inf, data, n_dims)) < 1e-9
    fd = np.zeros(data.size)
    for i in range(data.size):
        plus, minus = data.copy().reshape(-1), data.copy().reshape(-1)
        plus[i] += eps
        minus[i] -= eps
        fd[i] = (
            oracle_loss(oracle, loss, include_inf, plus.reshape(shape), n_dims)
            - oracle_loss(oracle, loss, include_inf, minus.reshape(shape), n_dims)
        ) / (2 * eps)
    np.testing.assert_allclose(grad.reshape(-1), fd, atol=1e-5, rtol=1e-5)
    assert np.abs(grad).sum() > 0  # the check is not vacuous


@pytest.mark.parametrize(
    "kind,shape",
    [("freudenthal", (4, 3)), ("vertices", (3, 4)), ("cells", (4, 5)), ("freudenthal", (2, 2, 3))],
    ids=lambda v: v if isinstance(v, str) else ids(v),
)
@pytest.mark.parametrize("negate", [False, True])
def test_gradcheck(kind, shape, negate):
    data = general_position(shape, seed_of(kind, shape, negate, "gc"))
    x = torch.tensor(data, requires_grad=True)

    def f(t):
        dgms = diff.persistence_diagram(diff_fil(kind, t, negate))
        return torch.cat([dgms[d].reshape(-1) for d in sorted(dgms)])

    assert f(x).numel() > 0
    assert torch.autograd.gradcheck(f, (x,), eps=1e-6, atol=1e-6)

    def g(t):  # essential births are differentiable too (the infinite deaths are dropped)
        dgms = diff.persistence_diagram(diff_fil(kind, t, negate), include_inf_points=True)
        return torch.cat([dgms[d][:, 0] for d in sorted(dgms)])

    assert torch.autograd.gradcheck(g, (x,), eps=1e-6, atol=1e-6)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("negate", [False, True])
def test_essential_rows_get_gradient_on_birth(kind, negate):
    data = general_position((4, 5), seed_of(kind, negate, "ess"))
    x = torch.tensor(data, requires_grad=True)
    dgms = diff.persistence_diagram(diff_fil(kind, x, negate), include_inf_points=True)
    h0 = dgms[0]
    inf = torch.isinf(h0[:, 1])
    assert int(inf.sum()) == 1
    assert h0[inf][0, 1].item() == (-np.inf if negate else np.inf)
    h0[inf][:, 0].sum().backward()
    grad = x.grad.numpy()
    # the essential class is born at the global min (max when negated) pixel
    extreme = np.unravel_index(np.argmax(data) if negate else np.argmin(data), data.shape)
    expected = np.zeros_like(data)
    expected[extreme] = 1.0
    np.testing.assert_array_equal(grad, expected)


# ---------------------------------------------------------------------------------------------
# dtypes, layouts, devices
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_float32_input(kind):
    data = general_position((5, 4), seed_of(kind, "f32"))
    x = torch.tensor(data, dtype=torch.float32, requires_grad=True)
    fil = diff_fil(kind, x)
    assert fil.values.dtype == torch.float32
    dgms = diff.persistence_diagram(fil, include_inf_points=True)
    for d in dgms:
        assert dgms[d].dtype == torch.float32
    expected = Oracle(kind, (5, 4), False)(data.astype(np.float32).astype(np.float64))
    for d in dgms:
        assert_dgm_equal(dgms[d], expected[d], atol=1e-6, rtol=1e-6)
    loss = sum(
        ((dgms[d][torch.isfinite(dgms[d][:, 1])]) ** 2).sum() + dgms[d][:, 0].sum() for d in dgms
    )
    loss.backward()
    assert x.grad is not None and x.grad.dtype == torch.float32
    assert torch.isfinite(x.grad).all() and x.grad.abs().sum() > 0


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("dtype", [torch.int64, torch.int32, torch.uint8, torch.int16])
def test_integer_input(kind, dtype):
    rng = np.random.default_rng(seed_of(kind, str(dtype)))
    data = rng.integers(0, 50, size=(4, 5))
    x = torch.tensor(data, dtype=dtype)
    fil = diff_fil(kind, x)
    assert fil.values.is_floating_point()
    dgms = diff.persistence_diagram(fil, include_inf_points=True)
    expected = Oracle(kind, (4, 5), False)(data.astype(np.float64))
    for d in dgms:
        assert dgms[d].is_floating_point()
        assert_dgm_equal(dgms[d], expected[d])
    assert torch.isinf(dgms[0][:, 1]).sum() == 1


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("negate", [False, True])
def test_non_contiguous_input(kind, negate):
    base = torch.tensor(general_position((4, 6), seed_of(kind, negate, "nc")), requires_grad=True)
    xt = base.t()  # (6, 4), not contiguous
    assert not xt.is_contiguous()
    xs = base[:, ::2]  # strided view
    for view in (xt, xs):
        fil = diff_fil(kind, view, negate)
        arr = view.detach().numpy().copy()  # what the view holds, C-contiguous
        expected = Oracle(kind, arr.shape, negate)(arr)
        dgms = diff.persistence_diagram(fil, include_inf_points=True)
        for d in dgms:
            assert_dgm_equal(dgms[d], expected[d])
        np.testing.assert_array_equal(
            np.sort(fil.values.detach().numpy()), np.sort(nondiff_fil(kind, arr, negate).values())
        )
    # gradients land on the right pixels of the base tensor: compare with the contiguous path
    loss = loss_total_persistence_sq(diff.persistence_diagram(diff_fil(kind, xt, negate)))
    (g_view,) = torch.autograd.grad(loss, base)
    c = xt.detach().clone().contiguous().requires_grad_(True)
    loss_c = loss_total_persistence_sq(diff.persistence_diagram(diff_fil(kind, c, negate)))
    (g_c,) = torch.autograd.grad(loss_c, c)
    torch.testing.assert_close(g_view, g_c.t(), rtol=0, atol=0)
    assert g_c.abs().sum() > 0


@pytest.mark.parametrize("kind", KINDS)
def test_dualize_same_diagrams_and_gradients(kind):
    data = general_position((4, 3, 3), seed_of(kind, "dz"))
    grads, diagrams = [], []
    for dualize in (False, True):
        x = torch.tensor(data, requires_grad=True)
        dgms = diff.persistence_diagram(diff_fil(kind, x), include_inf_points=True, dualize=dualize)
        diagrams.append({d: dgms[d].detach().numpy() for d in dgms})
        loss_births_with_inf(dgms).backward()
        grads.append(x.grad.numpy())
    assert diagrams[0].keys() == diagrams[1].keys()
    for d in diagrams[0]:
        assert_dgm_equal(diagrams[0][d], diagrams[1][d])
    np.testing.assert_allclose(grads[0], grads[1], rtol=0, atol=1e-12)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device")
@pytest.mark.parametrize("kind", KINDS)
def test_cuda_round_trip(kind):
    data = general_position((5, 5), seed_of(kind, "cuda"))
    x = torch.tensor(data, device="cuda", requires_grad=True)
    fil = diff_fil(kind, x)
    assert fil.values.device.type == "cuda"
    dgms = diff.persistence_diagram(fil, include_inf_points=True)
    expected = Oracle(kind, (5, 5), False)(data)
    for d in dgms:
        assert dgms[d].device.type == "cuda"
        assert_dgm_equal(dgms[d].cpu(), expected[d])
    loss_total_persistence_sq(dgms).backward()
    assert x.grad.device.type == "cuda"
    xc = torch.tensor(data, requires_grad=True)
    loss_total_persistence_sq(
        diff.persistence_diagram(diff_fil(kind, xc), include_inf_points=True)
    ).backward()
    torch.testing.assert_close(x.grad.cpu(), xc.grad)


# ---------------------------------------------------------------------------------------------
# API behaviour
# ---------------------------------------------------------------------------------------------


def test_gradient_method_choices():
    fil = diff.freudenthal_filtration(torch.rand(4, 4, dtype=torch.float64))
    crit = diff.persistence_diagram(fil, gradient_method="crit-sets")
    plain = diff.persistence_diagram(fil, gradient_method="dgm-loss")
    for d in plain:  # the forward is the same diagram, whatever the backward
        assert torch.equal(
            torch.sort(crit[d].flatten()).values, torch.sort(plain[d].flatten()).values
        )
    with pytest.raises(ValueError, match="gradient_method"):
        diff.persistence_diagram(fil, gradient_method="bogus")
    diff.persistence_diagram(fil, gradient_method="dgm-loss")


def test_persistence_diagram_rejects_non_diff_filtration():
    with pytest.raises(TypeError, match="fil"):
        diff.persistence_diagram(calydon.freudenthal_filtration(np.zeros((3, 3))))


def test_persistence_diagrams_mapping_behaviour():
    data = general_position((4, 4, 3), 1)
    dgms = diff.persistence_diagram(diff.cube_filtration(torch.tensor(data, requires_grad=True)))
    assert len(dgms) == 3
    assert list(dgms) == [0, 1, 2]
    assert list(dgms.keys()) == [0, 1, 2]
    assert [d for d, _ in dgms.items()] == [0, 1, 2]
    assert all(t is dgms[d] for d, t in dgms.items())
    assert all(isinstance(t, torch.Tensor) for t in dgms.values())
    assert 1 in dgms and 3 not in dgms and -1 not in dgms
    assert dgms.in_dimension(1) is dgms[1]
    assert dgms.max_dim == 2
    assert dgms.get(7) is None
    for bad in (3, -1):
        with pytest.raises(KeyError, match=r"available: \[0, 1, 2\]"):
            dgms[bad]
    idx = dgms.index_diagram_in_dimension(0)
    assert idx.dtype == torch.int64 and idx.shape == dgms[0].shape
    with pytest.raises(KeyError):
        dgms.index_diagram_in_dimension(5)
    assert "PersistenceDiagrams" in repr(dgms)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("shape", [(1,), (1, 1), (1, 1, 1), (6, 5), (3, 1, 4)], ids=ids)
@pytest.mark.parametrize("negate", [False, True])
def test_constant_and_single_pixel_images(kind, shape, negate):
    x = torch.full(shape, 2.5, dtype=torch.float64, requires_grad=True)
    fil = diff_fil(kind, x, negate)
    with_inf = diff.persistence_diagram(fil, include_inf_points=True)
    without = diff.persistence_diagram(fil)
    assert len(with_inf) == len(without) == max(fil.max_dim - 1, 0) + 1
    assert_dgm_equal(with_inf[0], [[2.5, -np.inf if negate else np.inf]])
    for d in with_inf:
        if d > 0:
            assert with_inf[d].shape == (0, 2)
        assert without[d].shape == (0, 2)
    with_inf[0][:, 0].sum().backward()
    assert x.grad.sum().item() == 1.0  # one pixel carries the essential birth


def test_diff_filtration_holder():
    x = torch.rand(3, 3, dtype=torch.float64)
    under = calydon.freudenthal_filtration(x.numpy())
    fil = diff.DiffFiltration(under, torch.tensor(under.values()))
    assert fil.under_fil is under and len(fil) == len(under) and fil.kind == "freudenthal"
    with pytest.raises(ValueError, match="values"):
        diff.DiffFiltration(under, torch.zeros(len(under) + 1))
    with pytest.raises(TypeError, match="values"):
        diff.DiffFiltration(under, under.values())
    dg = diff.persistence_diagram(fil, include_inf_points=True)
    exp = reference.freudenthal_diagrams(x.numpy())
    for d in dg:
        assert_dgm_equal(dg[d], exp[d])
