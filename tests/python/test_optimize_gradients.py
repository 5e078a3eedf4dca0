"""The crit-sets backward of ``calydon.diff.persistence_diagram`` against the oracle.

The upstream loss is a smooth function of each diagram point, h(b, d) = a b + c d + k (d - b)^2
with per-dimension coefficients, so the upstream gradient of a point depends only on the point
(never on the unspecified row order). The oracle computes the targets b - s g_b, d - s g_d of the
moving coordinates of every dimension, their critical sets, one global conflict resolution and the
gradient f - t on the values; the tests map it to the input (image pixels, points) through the
builder's own gather. Also: determinism (repeated calls, both reduction sides), crit-sets forward
= dgm-loss forward, the documented optimizer loop, and convergence in far fewer steps than
dgm-loss on a noisy image.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

import calydon
import calydon.diff as diff
from conftest import assert_dgm_equal
from critical_sets_oracle import CritOracle
from generators import noisy_circle, random_cloud, smooth_field

COEFFS = {0: (0.3, -0.7, 0.9), 1: (-0.4, 0.5, -1.1), 2: (0.2, 0.6, 0.35)}
STRATEGIES = ["avg", "max", "sum", "fca"]
SQUARE = (
    [[0], [1], [2], [3], [0, 1], [1, 2], [2, 3], [0, 3], [0, 2], [0, 1, 2], [0, 2, 3]],
    [0.0, 1.0, 2.0, 3.0, 1.0, 2.0, 3.0, 3.5, 4.0, 5.0, 6.0],
)


def h(dim, b, d):
    a, c, k = COEFFS[dim]
    return a * b + c * d + k * (d - b) ** 2


def h_grad(dim, dgm):
    a, c, k = COEFFS[dim]
    dgm = np.asarray(dgm, dtype=np.float64).reshape(-1, 2)
    p = dgm[:, 1] - dgm[:, 0]
    return np.stack([a - 2 * k * p, c + 2 * k * p], axis=1)


def torch_loss(dgms):
    return sum(h(dim, dgms[dim][:, 0], dgms[dim][:, 1]).sum() for dim in dgms)


# ------------------------------------------------------------------------------ cases
# Each case builds (input leaf tensor, DiffFiltration, oracle, map: value gradient -> input gradient).
def case_leaf_square():
    fil = calydon.Filtration(*SQUARE)
    x = torch.tensor(fil.values(), requires_grad=True)
    return x, diff.DiffFiltration(fil, x), CritOracle.from_filtration(fil), lambda gv: gv


def case_leaf_vr():
    fil = calydon.vr_filtration(random_cloud(10, 2, 4), max_dim=2)
    x = torch.tensor(fil.values(), requires_grad=True)
    return x, diff.DiffFiltration(fil, x), CritOracle.from_filtration(fil), lambda gv: gv


def _grid_case(kind, shape, seed, negate):
    data = smooth_field(shape, seed, sigma=1.0) + 0.3 * np.random.default_rng(seed).standard_normal(
        shape
    )
    x = torch.tensor(data, requires_grad=True)
    if kind == "freudenthal":
        fil, crit = calydon.freudenthal_filtration(data, negate=negate, with_critical_vertices=True)
        dfil = diff.freudenthal_filtration(x, negate=negate)
    else:
        fil, crit = calydon.cube_filtration(
            data, negate=negate, values_on=kind, with_critical_indices=True
        )
        dfil = diff.cube_filtration(x, negate=negate, values_on=kind)
    return (
        x,
        dfil,
        CritOracle.from_filtration(fil),
        lambda gv: np.bincount(crit, weights=gv, minlength=data.size).reshape(shape),
    )


def case_freudenthal():
    return _grid_case("freudenthal", (7, 8), 1, False)


def case_freudenthal_negate():
    return _grid_case("freudenthal", (7, 7), 5, True)


def case_cubical_cells_negate():
    return _grid_case("cells", (6, 7), 4, True)


def case_vr():
    pts = noisy_circle(11, seed=7, noise=0.15)
    x = torch.tensor(pts, requires_grad=True)
    dfil = diff.vr_filtration(x, max_dim=2)
    o = CritOracle.from_filtration(calydon.vr_filtration(pts, max_dim=2))

    def to_input(gv):
        x2 = torch.tensor(pts, requires_grad=True)
        vals = diff.vr_filtration(x2, max_dim=2).values
        (g,) = torch.autograd.grad((vals * torch.as_tensor(gv)).sum(), x2)
        return g.numpy()

    return x, dfil, o, to_input


CASES = {
    f.__name__[5:]: f
    for f in (
        case_leaf_square,
        case_leaf_vr,
        case_freudenthal,
        case_freudenthal_negate,
        case_cubical_cells_negate,
        case_vr,
    )
}


def crit_grad(case, strategy, step_size, **kw):
    x, dfil, o, to_input = CASES[case]()
    dgms = diff.persistence_diagram(
        dfil, gradient_method="crit-sets", conflict_strategy=strategy, step_size=step_size, **kw
    )
    torch_loss(dgms).backward()
    return x, dgms, o, to_input


def expected(o, dims, strategy, step_size):
    upstream = {dim: h_grad(dim, o.diagram(dim)) for dim in dims}
    return o.backward(upstream, step_size, strategy)


# ------------------------------------------------------------------------------ tests
@pytest.mark.parametrize("step_size", [1.0, 0.5])
@pytest.mark.parametrize("strategy", STRATEGIES)
@pytest.mark.parametrize("case", list(CASES))
def test_backward_equals_oracle(case, strategy, step_size):
    x, dgms, o, to_input = crit_grad(case, strategy, step_size)
    dims = sorted(dgms)
    for dim in dims:
        assert_dgm_equal(dgms[dim], o.diagram(dim), atol=1e-12, msg=f"forward dim {dim}")
    gv, ambiguous = expected(o, dims, strategy, step_size)
    assert x.grad is not None
    got = x.grad.detach().numpy()
    if case.startswith("leaf"):
        for cell, choices in ambiguous.items():  # Max ties between different targets
            assert any(abs(got[cell] - c) <= 1e-12 for c in choices), (cell, got[cell], choices)
            gv[cell] = got[cell]
    else:
        assert not ambiguous, "the case must be free of Max ties to be compared on the input"
    np.testing.assert_allclose(got, to_input(gv), rtol=1e-10, atol=1e-12)


def test_step_size_one_without_conflicts_equals_dgm_loss_on_pair_cells():
    # One finite H1 point and one H0 point with disjoint critical sets: at step 1 the pair's own
    # cells get exactly the upstream gradient, as with dgm-loss.
    fil = calydon.Filtration([[0], [1], [0, 1]], [0.0, 1.0, 2.0])
    x = torch.tensor(fil.values(), requires_grad=True)
    dgms = diff.persistence_diagram(diff.DiffFiltration(fil, x), gradient_method="crit-sets")
    torch_loss(dgms).backward()
    np.testing.assert_allclose(
        x.grad.numpy(), [0.0, *h_grad(0, [[1.0, 2.0]])[0]], rtol=0, atol=1e-15
    )


def test_conflicts_are_resolved_across_dimensions():
    # The freudenthal case has cells in critical sets of two dimensions: a per-dimension
    # resolution (the reference's) differs from the global one, and calydon does the global one.
    x, dgms, o, to_input = crit_grad("freudenthal", "avg", 1.0)
    dims = sorted(dgms)
    global_gv, _ = expected(o, dims, "avg", 1.0)
    per_dim = sum(expected(o, [d], "avg", 1.0)[0] for d in dims)
    assert not np.allclose(global_gv, per_dim), (
        "this case must discriminate per-dimension resolution"
    )
    np.testing.assert_allclose(x.grad.numpy(), to_input(global_gv), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("strategy", ["avg", "max"])
@pytest.mark.parametrize("case", ["freudenthal", "vr", "cubical_cells_negate"])
def test_bit_identical_across_calls_and_sides(case, strategy):
    grads = []
    for kw in ({}, {}, {"dualize": True}, {"dualize": False}, {"n_threads": 2}):
        x, _, _, _ = crit_grad(case, strategy, 0.5, **kw)
        grads.append(x.grad.detach().clone())
    for g in grads[1:]:
        assert torch.equal(g, grads[0])


@pytest.mark.parametrize("case", ["freudenthal", "vr", "leaf_vr", "cubical_cells_negate"])
def test_forward_equals_dgm_loss(case):
    _, dfil, _, _ = CASES[case]()
    a = diff.persistence_diagram(dfil, gradient_method="crit-sets")
    b = diff.persistence_diagram(dfil, gradient_method="dgm-loss")
    assert sorted(a) == sorted(b)
    for dim in a:
        assert a[dim].dtype == b[dim].dtype and a[dim].shape == b[dim].shape
        assert_dgm_equal(a[dim], b[dim], atol=0, rtol=0)
    for dim in a:  # the crit-sets diagrams carry a graph back to the input
        assert a[dim].numel() == 0 or a[dim].requires_grad


def test_documented_optimizer_loop():
    """The spec's sculpting loop: nth persistence, simplify, singletons, combine (Max), loss."""
    pts = random_cloud(16, 2, 3)
    x = torch.tensor(pts, requires_grad=True)
    fil = diff.vr_filtration(x, max_dim=2)
    top_opt = diff.TopologyOptimizer(fil)
    top_opt.compute_diagram(include_inf_points=False)
    o = CritOracle.from_filtration(calydon.vr_filtration(pts, max_dim=2))
    dgm1 = o.diagram(1)
    assert len(dgm1) >= 3, "the example needs at least three H1 points"
    pers = np.sort(dgm1[:, 1] - dgm1[:, 0])[::-1]
    eps = top_opt.get_nth_persistence(1, 2)
    assert eps == pytest.approx(pers[1], abs=1e-12)
    indices, values = top_opt.simplify(eps, calydon.DenoiseStrategy.BirthBirth, 1)
    keep = (dgm1[:, 1] - dgm1[:, 0]) <= eps
    exp_idx = o.index_diagram(1)[keep][:, 1]
    exp_val = o.values[o.index_diagram(1)[keep][:, 0]]
    got = sorted(
        zip(np.asarray(indices, dtype=np.int64).tolist(), np.asarray(values, dtype=float).tolist())
    )
    assert got == sorted(zip(exp_idx.tolist(), exp_val.tolist()))
    critical_sets = top_opt.singletons(indices, values)
    crit_indices, crit_values = top_opt.combine_loss(critical_sets, calydon.ConflictStrategy.Max)
    crit_indices = np.asarray(crit_indices, dtype=np.int64)
    crit_values = torch.as_tensor(np.asarray(crit_values, dtype=np.float64))
    top_loss = ((fil.values[crit_indices] - crit_values) ** 2).mean()
    top_loss.backward()
    oi, ov = o.combine(o.singletons(exp_idx, exp_val), "max")
    assert not o.max_ties(o.singletons(exp_idx, exp_val))
    gv = np.zeros(o.n)
    gv[oi] = 2.0 * (o.values[oi] - ov) / len(oi)
    x2 = torch.tensor(pts, requires_grad=True)
    (g,) = torch.autograd.grad(
        (diff.vr_filtration(x2, max_dim=2).values * torch.as_tensor(gv)).sum(), x2
    )
    np.testing.assert_allclose(x.grad.numpy(), g.numpy(), rtol=1e-10, atol=1e-12)


# ------------------------------------------------------------------------------ convergence
def noisy_image(seed=1):
    img = smooth_field((24, 24), seed, sigma=4.0)
    img = img / np.ptp(img)
    return img + 0.05 * np.random.default_rng(100 + seed).standard_normal(img.shape)


def steps_to_clean(img, gradient_method, threshold=0.15, cap=150):
    """Plain SGD (lr 1) on the image with loss sum ((d - b) / 2)^2 over every H0/H1 point of
    persistence < threshold; the number of steps until there is none (cap if never)."""
    x = torch.tensor(img, requires_grad=True)
    kw = {"step_size": 1.0} if gradient_method == "crit-sets" else {}
    for step in range(cap):
        dgms = diff.persistence_diagram(
            diff.freudenthal_filtration(x), gradient_method=gradient_method, **kw
        )
        loss = x.new_zeros(())
        count = 0
        for dim in (0, 1):
            p = dgms[dim][:, 1] - dgms[dim][:, 0]
            small = p < threshold
            count += int(small.sum())
            loss = loss + ((p[small] / 2) ** 2).sum()
        if count == 0:
            return step
        x.grad = None
        loss.backward()
        with torch.no_grad():
            x -= 1.0 * x.grad
    return cap


def test_crit_sets_cleans_a_noisy_image_in_far_fewer_steps():
    img = noisy_image()
    n_crit = steps_to_clean(img, "crit-sets")
    n_dgm = steps_to_clean(img, "dgm-loss")
    assert n_crit <= 25, f"crit-sets needed {n_crit} steps"
    assert 2 * n_crit <= n_dgm, f"crit-sets {n_crit} steps vs dgm-loss {n_dgm}"
