"""calydon.diff.smooth_gradient: forward identity, backward against an independent numpy
computation of the diffeomorphic (RBF interpolation) and Nadaraya-Watson extensions, the
interpolation property, zero/far/duplicated cases, dtypes, devices, scale, argument errors."""

from __future__ import annotations

import time

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import calydon.diff as diff
import calydon.diff.smoothing as smoothing
from conftest import seed_of

CUDA = pytest.mark.skipif(not torch.cuda.is_available(), reason="CUDA is not available")


# --- independent numpy oracle -------------------------------------------------------------------


def kernel(a: np.ndarray, b: np.ndarray, sigma: float) -> np.ndarray:
    sq = ((a[:, None, :] - b[None, :, :]) ** 2).sum(-1)
    return np.exp(-sq / (2 * sigma**2))


def oracle(
    x: np.ndarray, g: np.ndarray, sigma: float, method: str, ridge: float = 1e-8
) -> np.ndarray:
    support = np.flatnonzero(np.any(g != 0, axis=1))
    if len(support) == 0:
        return np.zeros_like(g)
    k = kernel(x, x[support], sigma)
    if method == "diffeo":
        alpha = np.linalg.solve(k[support] + ridge * np.eye(len(support)), g[support])
        return k @ alpha
    return (k @ g[support]) / k.sum(1, keepdims=True)


def sparse_gradient(n: int, d: int, support, rng) -> np.ndarray:
    g = np.zeros((n, d))
    g[list(support)] = rng.normal(size=(len(support), d))
    return g


def smoothed(
    x: np.ndarray, g: np.ndarray, sigma: float, method: str, dtype=torch.float64, device="cpu", **kw
) -> torch.Tensor:
    """The gradient of <smooth_gradient(x), g> with respect to x: the smoothed g."""
    xt = torch.tensor(x, dtype=dtype, device=device, requires_grad=True)
    y = diff.smooth_gradient(xt, sigma, method=method, **kw)
    (y * torch.tensor(g, dtype=dtype, device=device)).sum().backward()
    return xt.grad


def cloud(seed, n=40, d=3):
    rng = np.random.default_rng(seed_of("smooth", seed))
    return rng, rng.normal(size=(n, d))


# --- forward ------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16, torch.float32, torch.float64])
@pytest.mark.parametrize("method", smoothing.METHODS)
def test_forward_is_identity(dtype, method):
    x = torch.randn(17, 3).to(dtype).requires_grad_()
    y = diff.smooth_gradient(x, 0.5, method=method)
    assert y.dtype == x.dtype and y.device == x.device and y.shape == x.shape
    assert torch.equal(y, x)
    assert y.requires_grad and y.grad_fn is not None
    before = x.detach().clone()
    y.add_(1.0)  # the output is a copy, not a view: in-place edits leave x alone
    assert torch.equal(x.detach(), before)


def test_forward_without_grad_is_plain_copy():
    x = torch.randn(5, 2)
    y = diff.smooth_gradient(x, 1.0)
    assert torch.equal(x, y) and not y.requires_grad


# --- backward against numpy ---------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("method", smoothing.METHODS)
@pytest.mark.parametrize("sigma", [0.3, 1.0, 3.0])
def test_backward_matches_numpy(seed, method, sigma):
    rng, x = cloud(seed)
    g = sparse_gradient(len(x), x.shape[1], rng.choice(len(x), 6, replace=False), rng)
    got = smoothed(x, g, sigma, method).numpy()
    np.testing.assert_allclose(got, oracle(x, g, sigma, method), rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("ridge", [0.0, 1e-8, 1e-3, 0.5])
def test_ridge_enters_the_solve(ridge):
    rng, x = cloud(11, n=30, d=2)
    g = sparse_gradient(30, 2, [0, 3, 7, 8], rng)
    got = smoothed(x, g, 0.7, "diffeo", ridge=ridge).numpy()
    np.testing.assert_allclose(got, oracle(x, g, 0.7, "diffeo", ridge), rtol=1e-6, atol=1e-10)


@pytest.mark.parametrize("seed", range(3))
def test_diffeo_interpolates_the_sparse_gradient(seed):
    rng, x = cloud(seed, n=200, d=2)
    support = rng.choice(200, 12, replace=False)
    g = sparse_gradient(200, 2, support, rng)
    k_ii = kernel(x[support], x[support], 0.5)
    for ridge in (0.0, 1e-8, 1e-4):
        v = smoothed(x, g, 0.5, "diffeo", ridge=ridge).numpy()
        # v(x_i) = G_i - ridge alpha_i on the support: exact up to the ridge.
        alpha = np.linalg.solve(k_ii + ridge * np.eye(len(support)), g[support])
        np.testing.assert_array_less(np.abs(v[support] - g[support]), ridge * np.abs(alpha) + 1e-9)
        np.testing.assert_allclose(v[support], g[support] - ridge * alpha, atol=1e-9)
    # Off the support the field is dense: every point gets a gradient.
    assert np.all(np.abs(v).sum(1) > 0)


def test_nadaraya_watson_is_a_convex_combination():
    rng, x = cloud(3, n=100, d=2)
    support = [1, 5, 9]
    g = sparse_gradient(100, 2, support, rng)
    v = smoothed(x, g, 0.8, "nadaraya-watson").numpy()
    lo, hi = g[support].min(0), g[support].max(0)
    assert np.all(v >= lo - 1e-12) and np.all(v <= hi + 1e-12)


def test_gradient_decays_far_from_support_for_diffeo_and_stays_finite_for_nadaraya_watson():
    x = np.array([[0.0, 0.0], [0.1, 0.0], [50.0, 0.0], [-1e3, 1e3]])
    g = np.array([[1.0, 2.0], [-3.0, 0.5], [0.0, 0.0], [0.0, 0.0]])
    v = smoothed(x, g, 0.05, "diffeo").numpy()
    np.testing.assert_allclose(v[:2], g[:2], atol=1e-6)
    assert np.all(v[2:] == 0)
    w = smoothed(x, g, 0.05, "nadaraya-watson").numpy()
    assert np.isfinite(w).all()
    # Every kernel value underflows at x_2 = (50, 0): the max-shift gives the nearest support
    # point's gradient (x_1 = (0.1, 0)).
    np.testing.assert_allclose(w[2], g[1])


def test_duplicated_support_points_fall_back_to_least_norm_solution():
    x = np.array([[0.0, 0.0], [0.0, 0.0], [1.0, 0.0], [0.5, 0.5]])
    g = np.array([[1.0, 0.0], [3.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
    v = smoothed(x, g, 0.5, "diffeo", ridge=0.0).numpy()
    assert np.isfinite(v).all()
    # The duplicated pair gets the average of its two gradients, the third point its own.
    np.testing.assert_allclose(v[0], [2.0, 0.0], atol=1e-8)
    np.testing.assert_allclose(v[1], [2.0, 0.0], atol=1e-8)
    np.testing.assert_allclose(v[2], [0.0, 1.0], atol=1e-8)


# --- zero gradient, composition, double backward ------------------------------------------------


@pytest.mark.parametrize("method", smoothing.METHODS)
def test_zero_gradient_gives_zero(method):
    x = torch.randn(30, 2, dtype=torch.float64, requires_grad=True)
    (diff.smooth_gradient(x, 1.0, method=method) * 0.0).sum().backward()
    assert torch.equal(x.grad, torch.zeros_like(x))


def test_other_terms_of_the_loss_are_not_smoothed():
    rng, x = cloud(5, n=50, d=2)
    g = sparse_gradient(50, 2, [4, 20], rng)
    xt = torch.tensor(x, requires_grad=True)
    y = diff.smooth_gradient(xt, 0.4)
    ((y * torch.tensor(g)).sum() + 0.5 * xt.pow(2).sum()).backward()
    np.testing.assert_allclose(
        xt.grad.numpy(), oracle(x, g, 0.4, "diffeo") + x, rtol=1e-6, atol=1e-9
    )


def test_smooths_a_diagram_loss_gradient():
    rng = np.random.default_rng(seed_of("smooth-rips", 0))
    angle = rng.uniform(0, 2 * np.pi, 60)
    x = np.stack([np.cos(angle), np.sin(angle)], 1) + rng.normal(0, 0.1, (60, 2))

    def loss(points):
        h1 = diff.persistence_diagram(diff.vr_filtration(points, max_dim=2))[1]
        return -(h1[:, 1] - h1[:, 0]).max()

    plain = torch.tensor(x, requires_grad=True)
    loss(plain).backward()
    g = plain.grad.numpy()
    assert 0 < np.count_nonzero(np.any(g != 0, axis=1)) <= 4  # a dgm-loss gradient is sparse
    for method in smoothing.METHODS:
        xt = torch.tensor(x, requires_grad=True)
        loss(diff.smooth_gradient(xt, 0.3, method=method)).backward()
        np.testing.assert_allclose(xt.grad.numpy(), oracle(x, g, 0.3, method), rtol=1e-6, atol=1e-9)
        assert np.count_nonzero(np.any(xt.grad.numpy() != 0, axis=1)) > 10


def test_backward_is_once_differentiable():
    x = torch.randn(10, 2, dtype=torch.float64, requires_grad=True)
    y = diff.smooth_gradient(x, 1.0)
    (gx,) = torch.autograd.grad(y.pow(3).sum(), x, create_graph=True)
    with pytest.raises(RuntimeError):
        gx.sum().backward()


# --- dtypes, devices, scale ---------------------------------------------------------------------


@pytest.mark.parametrize("method", smoothing.METHODS)
def test_float32_input(method):
    rng, x = cloud(7, n=80, d=2)
    g = sparse_gradient(80, 2, [2, 30, 31, 60], rng)
    got = smoothed(x, g, 0.5, method, dtype=torch.float32)
    assert got.dtype == torch.float32
    x32 = x.astype(np.float32).astype(np.float64)  # the oracle on the same (rounded) points
    g32 = g.astype(np.float32).astype(np.float64)
    np.testing.assert_allclose(got.numpy(), oracle(x32, g32, 0.5, method), rtol=1e-5, atol=1e-6)


@CUDA
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("method", smoothing.METHODS)
def test_cuda(method, dtype):
    rng, x = cloud(8, n=300, d=3)
    g = sparse_gradient(300, 3, rng.choice(300, 9, replace=False), rng)
    got = smoothed(x, g, 0.6, method, dtype=dtype, device="cuda")
    assert got.device.type == "cuda" and got.dtype == dtype
    tol = dict(rtol=1e-5, atol=1e-6) if dtype == torch.float32 else dict(rtol=1e-6, atol=1e-9)
    xr = torch.tensor(x, dtype=dtype).double().numpy()
    gr = torch.tensor(g, dtype=dtype).double().numpy()
    np.testing.assert_allclose(got.cpu().numpy(), oracle(xr, gr, 0.6, method), **tol)


@pytest.mark.parametrize("method", smoothing.METHODS)
def test_thousands_of_points_are_fast(method):
    rng = np.random.default_rng(seed_of("smooth-big", 0))
    x = rng.uniform(-1, 1, (5000, 2))
    support = rng.choice(5000, 10, replace=False)
    g = sparse_gradient(5000, 2, support, rng)
    smoothed(x, g, 0.2, method)  # warm-up
    start = time.perf_counter()
    got = smoothed(x, g, 0.2, method).numpy()
    assert time.perf_counter() - start < 1.0
    idx = rng.choice(5000, 200, replace=False)  # oracle on a sample of rows
    k = kernel(x[idx], x[support], 0.2)
    if method == "diffeo":
        alpha = np.linalg.solve(kernel(x[support], x[support], 0.2) + 1e-8 * np.eye(10), g[support])
        want = k @ alpha
    else:
        want = (k @ g[support]) / k.sum(1, keepdims=True)
    np.testing.assert_allclose(got[idx], want, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("method", smoothing.METHODS)
def test_blocked_evaluation_matches(method, monkeypatch):
    rng, x = cloud(9, n=103, d=2)
    g = sparse_gradient(103, 2, rng.choice(103, 7, replace=False), rng)
    whole = smoothed(x, g, 0.5, method)
    monkeypatch.setattr(smoothing, "_BLOCK_ELEMENTS", 20)  # 2 rows per block, last one partial
    torch.testing.assert_close(smoothed(x, g, 0.5, method), whole, rtol=0, atol=1e-14)


@given(n=st.integers(0, 25), d=st.integers(1, 4), data=st.data())
def test_shapes(n, d, data):
    seed = data.draw(st.integers(0, 2**31 - 1))
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, d))
    support = data.draw(st.lists(st.integers(0, n - 1), unique=True, max_size=n)) if n else []
    g = sparse_gradient(n, d, support, rng)
    method = data.draw(st.sampled_from(smoothing.METHODS))
    sigma = data.draw(st.sampled_from([0.5, 1.0, 2.0]))
    got = smoothed(x, g, sigma, method, ridge=1e-6).numpy()
    assert got.shape == (n, d) and np.isfinite(got).all()
    np.testing.assert_allclose(got, oracle(x, g, sigma, method, ridge=1e-6), rtol=1e-5, atol=1e-7)


# --- argument errors ----------------------------------------------------------------------------

X = torch.zeros(4, 2)


@pytest.mark.parametrize(
    "args, kwargs, exc, fragment",
    [
        ((np.zeros((4, 2)), 1.0), {}, TypeError, "x must be a torch.Tensor, got ndarray"),
        (([[0.0, 0.0]], 1.0), {}, TypeError, "x must be a torch.Tensor, got list"),
        (
            (torch.zeros(4, 2, dtype=torch.int64), 1.0),
            {},
            TypeError,
            "x must have a floating dtype, got torch.int64",
        ),
        (
            (torch.zeros(4, 2, dtype=torch.bool), 1.0),
            {},
            TypeError,
            "x must have a floating dtype, got torch.bool",
        ),
        (
            (torch.zeros(4, 2, dtype=torch.complex64), 1.0),
            {},
            TypeError,
            "x must have a floating dtype",
        ),
        ((torch.zeros(4), 1.0), {}, ValueError, "x must have shape (n, d), got shape (4,)"),
        (
            (torch.zeros(2, 3, 4), 1.0),
            {},
            ValueError,
            "x must have shape (n, d), got shape (2, 3, 4)",
        ),
        (
            (torch.tensor([[0.0, float("nan")]]), 1.0),
            {},
            ValueError,
            "x must be finite, got nan at flat index 1",
        ),
        (
            (torch.tensor([[float("inf"), 0.0]]), 1.0),
            {},
            ValueError,
            "x must be finite, got inf at flat index 0",
        ),
        ((X, 0.0), {}, ValueError, "sigma must be a positive finite float, got 0.0"),
        ((X, -1), {}, ValueError, "sigma must be a positive finite float, got -1"),
        ((X, float("inf")), {}, ValueError, "sigma must be a positive finite float, got inf"),
        ((X, float("nan")), {}, ValueError, "sigma must be a positive finite float, got nan"),
        ((X, "1"), {}, TypeError, "sigma must be a positive finite float, got str '1'"),
        ((X, None), {}, TypeError, "sigma must be a positive finite float, got NoneType None"),
        ((X, True), {}, TypeError, "sigma must be a positive finite float, got bool True"),
        (
            (X, torch.tensor(1.0)),
            {},
            TypeError,
            "sigma must be a positive finite float, got Tensor",
        ),
        (
            (X, 1.0),
            {"method": "rbf"},
            ValueError,
            "method must be one of 'diffeo', 'nadaraya-watson', got 'rbf'",
        ),
        ((X, 1.0), {"method": "Diffeo"}, ValueError, "got 'Diffeo'"),
        (
            (X, 1.0),
            {"method": None},
            TypeError,
            "method must be one of 'diffeo', 'nadaraya-watson', got NoneType None",
        ),
        ((X, 1.0), {"ridge": -1e-8}, ValueError, "ridge must be a finite float >= 0, got -1e-08"),
        (
            (X, 1.0),
            {"ridge": float("inf")},
            ValueError,
            "ridge must be a finite float >= 0, got inf",
        ),
        (
            (X, 1.0),
            {"ridge": float("nan")},
            ValueError,
            "ridge must be a finite float >= 0, got nan",
        ),
        ((X, 1.0), {"ridge": "0"}, TypeError, "ridge must be a finite float >= 0, got str '0'"),
        (
            (X, 1.0),
            {"ridge": False},
            TypeError,
            "ridge must be a finite float >= 0, got bool False",
        ),
    ],
)
def test_bad_arguments(args, kwargs, exc, fragment):
    with pytest.raises(exc) as info:
        diff.smooth_gradient(*args, **kwargs)
    message = str(info.value)
    assert message.startswith("smooth_gradient: ")
    assert fragment in message


def test_numpy_scalars_are_accepted():
    x = torch.randn(6, 2, dtype=torch.float64, requires_grad=True)
    y = diff.smooth_gradient(x, np.float32(0.5), ridge=np.float64(1e-6))
    y.sum().backward()
    assert torch.isfinite(x.grad).all()


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16])
@pytest.mark.parametrize("method", smoothing.METHODS)
def test_half_precision_backward(dtype, method):
    rng, x = cloud(12, n=30, d=2)
    g = sparse_gradient(30, 2, [0, 10, 20], rng)
    got = smoothed(x, g, 0.8, method, dtype=dtype)
    assert got.dtype == dtype
    xr = torch.tensor(x, dtype=dtype).double().numpy()
    gr = torch.tensor(g, dtype=dtype).double().numpy()
    want = oracle(xr, gr, 0.8, method)
    np.testing.assert_allclose(
        got.double().numpy(), want, rtol=2e-2, atol=2e-2 * np.abs(want).max()
    )
