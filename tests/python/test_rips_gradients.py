"""Gradients of differentiable Vietoris-Rips diagrams: finite differences (float64, general
position), explicit vs implicit path, coincident points, distance matrices, dtypes."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import calydon.diff as diff
from conftest import seed_of


def loss_of(dgms) -> torch.Tensor:
    """A loss touching births and deaths in every dimension (weights break symmetries)."""
    total = torch.zeros((), dtype=torch.float64)
    for k, dgm in dgms.items():
        finite = torch.isfinite(dgm[:, 1])
        d = dgm[finite]
        total = (
            total
            + (k + 1.0) * ((d[:, 1] - d[:, 0]) ** 2).sum()
            + 0.3 * d[:, 1].sum()
            + 0.7 * d[:, 0].sum()
        )
    return total


def diagram_loss(
    data: torch.Tensor, from_pwdists=False, max_dim=3, max_diameter=None, dualize=None
):
    fil = diff.vr_filtration(
        data, from_pwdists=from_pwdists, max_dim=max_dim, max_diameter=max_diameter
    )
    return loss_of(diff.persistence_diagram(fil, dualize=dualize))


def central_differences(f, x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        up, down = x.copy(), x.copy()
        up[i] += eps
        down[i] -= eps
        grad[i] = (f(up) - f(down)) / (2 * eps)
    return grad


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("dualize", [None, False])
def test_points_gradient_matches_finite_differences(seed, dualize):
    x = np.random.default_rng(seed_of("fd", seed)).random((9, 2))
    pts = torch.tensor(x, requires_grad=True)
    diagram_loss(pts, dualize=dualize).backward()
    numeric = central_differences(
        lambda y: diagram_loss(torch.tensor(y), dualize=dualize).item(), x
    )
    np.testing.assert_allclose(pts.grad.numpy(), numeric, atol=1e-6, rtol=1e-5)


@pytest.mark.parametrize("seed", range(2))
def test_distance_matrix_gradient_matches_finite_differences(seed):
    x = np.random.default_rng(seed_of("fd-matrix", seed)).random((8, 3))
    dist = np.sqrt(((x[:, None] - x[None]) ** 2).sum(-1))
    D = torch.tensor(dist, requires_grad=True)
    diagram_loss(D, from_pwdists=True).backward()
    g = D.grad.numpy()
    n = len(dist)
    eps = 1e-6
    # The matrix must stay symmetric: perturb (i, j) and (j, i) together, compare with their sum.
    for i in range(n):
        for j in range(i + 1, n):
            up, down = dist.copy(), dist.copy()
            up[i, j] = up[j, i] = dist[i, j] + eps
            down[i, j] = down[j, i] = dist[i, j] - eps
            numeric = (
                diagram_loss(torch.tensor(up), True).item()
                - diagram_loss(torch.tensor(down), True).item()
            ) / (2 * eps)
            assert g[i, j] + g[j, i] == pytest.approx(numeric, abs=1e-6, rel=1e-5), (i, j)
    assert np.isfinite(np.diag(g)).all()


@pytest.mark.parametrize("from_pwdists", [False, True])
def test_explicit_and_fast_gradients_are_identical(from_pwdists):
    x = np.random.default_rng(5).random((20, 3))
    data = np.sqrt(((x[:, None] - x[None]) ** 2).sum(-1)) if from_pwdists else x
    grads = []
    for dualize in (None, False):
        t = torch.tensor(data, requires_grad=True)
        diagram_loss(t, from_pwdists=from_pwdists, dualize=dualize).backward()
        grads.append(t.grad)
    torch.testing.assert_close(grads[0], grads[1], rtol=0, atol=1e-14)


def test_coincident_points_have_finite_gradients():
    x = torch.tensor(
        [[0.0, 0.0], [0.0, 0.0], [1.0, 0.0], [1.0, 0.0], [0.3, 0.9], [0.3, 0.9]], requires_grad=True
    )
    fil = diff.vr_filtration(x, max_dim=2)
    dgms = diff.persistence_diagram(fil, include_inf_points=True)
    (loss_of(dgms) + fil.values.sum()).backward()
    assert torch.isfinite(x.grad).all()
    assert torch.isfinite(fil.values).all()


def test_gradient_reaches_only_critical_edges():
    x = np.random.default_rng(11).random((12, 2))
    pts = torch.tensor(x, requires_grad=True)
    fil = diff.vr_filtration(pts, max_dim=2)
    dgms = diff.persistence_diagram(fil)
    dgms[1][:, 1].sum().backward()
    touched = set(dgms.critical_edges_in_dimension(1)[:, 2:].flatten().tolist())
    moved = set(np.flatnonzero(np.abs(pts.grad.numpy()).sum(1)).tolist())
    assert moved <= touched


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_dtype_is_kept(dtype):
    x = torch.rand(
        15, 2, dtype=dtype, generator=torch.Generator().manual_seed(0), requires_grad=True
    )
    fil = diff.vr_filtration(x, max_dim=2)
    dgms = diff.persistence_diagram(fil)
    assert all(d.dtype == dtype for d in dgms.values())
    assert fil.values.dtype == dtype
    loss_of({k: v.double() for k, v in dgms.items()}).backward()
    assert x.grad.dtype == dtype and torch.isfinite(x.grad).all()


def test_gradcheck_points():
    x = torch.tensor(np.random.default_rng(3).random((7, 2)), requires_grad=True)
    assert torch.autograd.gradcheck(lambda y: diagram_loss(y, max_dim=2), (x,), eps=1e-6, atol=1e-6)


# ---------------------------------------------------------------------------------------------
# Distance matrices symmetric only up to rounding: the torch.cdist seed snippet
# ---------------------------------------------------------------------------------------------


def cdist_cloud(n: int, seed: int) -> torch.Tensor:
    return torch.rand(n, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(seed))


def one_ulp_asymmetric(D: torch.Tensor) -> torch.Tensor:
    """D with every strictly-upper entry moved up by one ulp: symmetric only up to rounding,
    whatever torch.cdist happens to return on this machine."""
    upper = torch.ones_like(D, dtype=torch.bool).triu(1)
    return torch.where(upper, torch.nextafter(D, torch.full_like(D, float("inf"))), D)


def vr_diagrams(D: torch.Tensor, max_dim: int = 2) -> dict:
    fil = diff.vr_filtration(D, from_pwdists=True, max_dim=max_dim)
    dgms = diff.persistence_diagram(fil, include_inf_points=True)
    return {k: dgms[k].detach().numpy() for k in range(max_dim)}


@pytest.mark.parametrize("make", ["cdist", "cdist_plus_ulp"])
def test_cdist_seed_snippet_matches_ripser_gudhi_and_the_symmetrised_matrix(make):
    import gudhi
    import ripser

    from conftest import assert_dgm_equal, gudhi_to_dgms

    p = cdist_cloud(
        60, 0
    )  # 60 > 25 points: cdist takes its matmul path, rounding differs by triangle
    D = torch.cdist(p, p)
    if make == "cdist_plus_ulp":
        D = one_ulp_asymmetric(D)
        assert not torch.equal(D, D.T)
    ours = vr_diagrams(D)  # the seed snippet: must not raise
    sym = vr_diagrams((D + D.T) / 2)
    pts = p.numpy()
    theirs = ripser.ripser(pts, maxdim=1)["dgms"]
    stree = gudhi.RipsComplex(points=pts).create_simplex_tree(max_dimension=2)
    gd = gudhi_to_dgms(stree.persistence(homology_coeff_field=2, min_persistence=-1), 2)
    for k in range(2):
        assert_dgm_equal(ours[k], sym[k], atol=1e-12, msg=f"vs symmetrised dim {k}")
        # ripser computes in float32; cdist's diagonal is ~1e-8, not 0
        assert_dgm_equal(ours[k], theirs[k], atol=1e-6, rtol=1e-6, msg=f"vs ripser dim {k}")
        nonzero = ours[k][np.abs(ours[k][:, 1] - ours[k][:, 0]) > 1e-7]
        assert_dgm_equal(nonzero, gd[k], atol=1e-7, rtol=1e-9, msg=f"vs gudhi dim {k}")
    # the numpy entry points accept the same matrix
    import calydon

    for dualize in (True, False):
        dg = calydon.compute_diagrams_vr(D.numpy(), from_pwdists=True, max_dim=2, dualize=dualize)
        for k in range(2):
            assert_dgm_equal(
                dg[k], ours[k], atol=1e-12, msg=f"compute_diagrams_vr dualize={dualize} dim {k}"
            )
    assert len(calydon.vr_filtration(D.numpy(), from_pwdists=True, max_dim=2)) > 0


def test_cdist_gradient_matches_finite_differences():
    """Gradient on a rounding-asymmetric D: perturb the symmetric pair (D[i, j] and D[j, i]
    together) and compare with grad[i, j] + grad[j, i], whichever triangle is read."""
    p = cdist_cloud(30, 1)
    D0 = one_ulp_asymmetric(torch.cdist(p, p)).detach()
    D0.fill_diagonal_(0.0)  # the diagonal is not the subject here (cdist leaves ~1e-8 on it)
    D = D0.clone().requires_grad_(True)
    diagram_loss(D, from_pwdists=True, max_dim=2).backward()
    g = D.grad.numpy()
    assert np.isfinite(g).all()

    def f(M: torch.Tensor) -> float:
        return diagram_loss(M, from_pwdists=True, max_dim=2).item()

    n, eps = len(D0), 1e-7
    sym = g + g.T
    iu = np.triu_indices(n, 1)
    touched = [(i, j) for i, j in zip(*iu) if sym[i, j] != 0]
    assert touched, "the loss must depend on some entry"
    rng = np.random.default_rng(0)
    others = [(i, j) for i, j in zip(*iu) if sym[i, j] == 0]
    picks = touched[:40] + [
        others[k] for k in rng.choice(len(others), size=min(15, len(others)), replace=False)
    ]
    for i, j in picks:
        up, down = D0.clone(), D0.clone()
        up[i, j] += eps
        up[j, i] += eps
        down[i, j] -= eps
        down[j, i] -= eps
        numeric = (f(up) - f(down)) / (2 * eps)
        assert sym[i, j] == pytest.approx(numeric, abs=1e-5, rel=1e-5), (i, j)
    # the whole matrix at once: d/dt L((1 + t) D) at t = 0 equals <grad, D>
    numeric = (f(D0 * (1 + eps)) - f(D0 * (1 - eps))) / (2 * eps)
    assert float((g * D0.numpy()).sum()) == pytest.approx(numeric, abs=1e-5, rel=1e-5)


def test_cdist_gradient_reaches_the_points():
    """The seed snippet end to end: points -> cdist -> diagrams -> loss; central differences on
    the points (cdist recomputed each time)."""
    x = cdist_cloud(27, 2).numpy()

    def f(y: np.ndarray) -> float:
        t = torch.tensor(y)
        return diagram_loss(torch.cdist(t, t), from_pwdists=True, max_dim=2).item()

    pts = torch.tensor(x, requires_grad=True)
    diagram_loss(torch.cdist(pts, pts), from_pwdists=True, max_dim=2).backward()
    assert torch.isfinite(pts.grad).all()
    np.testing.assert_allclose(
        pts.grad.numpy(), central_differences(f, x, eps=1e-7), atol=1e-5, rtol=1e-5
    )


def test_really_asymmetric_matrix_still_raises():
    p = cdist_cloud(12, 3)
    D = torch.cdist(p, p)
    D[1, 2] = D[1, 2] * 1.1
    with pytest.raises(ValueError, match="symmetric") as info:
        diff.persistence_diagram(diff.vr_filtration(D, from_pwdists=True, max_dim=2))
    assert "data" in str(info.value)
