"""Dense gradients for any loss on point clouds: ``smooth_gradient``, an identity in the forward
whose backward replaces the incoming (sparse) gradient by a Gaussian-kernel extension of it.

Reference: M. Carrière, M. Theveneau, T. Lacombe, "Diffeomorphic interpolation for efficient
persistence-based topological optimization", NeurIPS 2024 (arXiv:2405.18820).

This module depends on torch only.
"""

from __future__ import annotations

import math
import numbers

import torch
from torch.autograd.function import once_differentiable

_API = "smooth_gradient"
METHODS = ("diffeo", "nadaraya-watson")

# Evaluation works on blocks of at most this many (point, support point) kernel entries
# (2**22 float64 entries = 32 MiB), so memory stays bounded for any n * |I|.
_BLOCK_ELEMENTS = 2**22


def _check_real(value, name: str, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{_API}: {name} must be a {what}, got {type(value).__name__} {value!r}")
    return float(value)


def _check_args(x, sigma, method, ridge) -> tuple[float, str, float]:
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"{_API}: x must be a torch.Tensor, got {type(x).__name__}")
    if not x.is_floating_point():
        raise TypeError(f"{_API}: x must have a floating dtype, got {x.dtype}")
    if x.dim() != 2:
        raise ValueError(f"{_API}: x must have shape (n, d), got shape {tuple(x.shape)}")
    sigma_f = _check_real(sigma, "sigma", "positive finite float")
    if not (math.isfinite(sigma_f) and sigma_f > 0):
        raise ValueError(f"{_API}: sigma must be a positive finite float, got {sigma!r}")
    if not isinstance(method, str):
        raise TypeError(
            f"{_API}: method must be one of {', '.join(map(repr, METHODS))}, got "
            f"{type(method).__name__} {method!r}"
        )
    if method not in METHODS:
        raise ValueError(
            f"{_API}: method must be one of {', '.join(map(repr, METHODS))}, got {method!r}"
        )
    ridge_f = _check_real(ridge, "ridge", "finite float >= 0")
    if not (math.isfinite(ridge_f) and ridge_f >= 0):
        raise ValueError(f"{_API}: ridge must be a finite float >= 0, got {ridge!r}")
    if x.numel() and not bool(torch.isfinite(x.detach()).all()):
        bad = int(torch.nonzero(~torch.isfinite(x.detach().reshape(-1)))[0])
        raise ValueError(
            f"{_API}: x must be finite, got {x.reshape(-1)[bad].item()} at flat index {bad}"
        )
    return sigma_f, method, ridge_f


def _work_dtype(x: torch.Tensor) -> torch.dtype:
    """float64 wherever the device has it (the solve needs it: K_II is ill-conditioned as soon as
    two support points are closer than sigma); MPS has no float64."""
    return torch.float32 if x.device.type == "mps" else torch.float64


def _sq_dists(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """(len(a), len(b)) squared Euclidean distances, exact 0 for identical points (no mm trick)."""
    return torch.cdist(a, b, compute_mode="donot_use_mm_for_euclid_dist").square()


def _solve(k_ii: torch.Tensor, g_i: torch.Tensor, ridge: float) -> torch.Tensor:
    """alpha = (K_II + ridge Id)^-1 G_I: Cholesky, and on failure (K_II numerically singular,
    e.g. duplicated support points with ridge=0) the Hermitian pseudo-inverse (least-norm
    solution)."""
    a = k_ii + ridge * torch.eye(len(k_ii), dtype=k_ii.dtype, device=k_ii.device)
    chol, info = torch.linalg.cholesky_ex(a)
    if int(info) == 0:
        alpha = torch.cholesky_solve(g_i, chol)
        if bool(torch.isfinite(alpha).all()):
            return alpha
    return torch.linalg.pinv(a, hermitian=True) @ g_i


def _extend(
    points: torch.Tensor, grad: torch.Tensor, sigma: float, method: str, ridge: float
) -> torch.Tensor:
    """The smoothed gradient v (same shape, dtype and device as grad) at every row of points."""
    out_dtype = grad.dtype
    support = torch.nonzero((grad != 0).any(dim=1)).reshape(-1)
    if len(support) == 0:
        return torch.zeros_like(grad)
    work = _work_dtype(points)
    pts = points.to(work)
    g_i = grad[support].to(work)
    x_i = pts[support]
    scale = -0.5 / (sigma * sigma)
    if method == "diffeo":
        weights = torch.exp(scale * _sq_dists(x_i, x_i))
        coeffs = _solve(weights, g_i, ridge)
    else:
        coeffs = g_i
    rows = max(1, _BLOCK_ELEMENTS // len(support))
    result = torch.empty(grad.shape, dtype=out_dtype, device=grad.device)
    for start in range(0, len(pts), rows):
        logits = scale * _sq_dists(pts[start : start + rows], x_i)
        if method == "diffeo":
            block = torch.exp(logits) @ coeffs
        else:  # softmax = normalised kernel weights with a max-shift, finite everywhere
            block = torch.softmax(logits, dim=1) @ coeffs
        result[start : start + rows] = block.to(out_dtype)
    return result


class _SmoothGradient(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, sigma, method, ridge):
        ctx.save_for_backward(x)
        ctx.options = (sigma, method, ridge)
        return x.clone()

    @staticmethod
    @once_differentiable
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        sigma, method, ridge = ctx.options
        return _extend(x, grad, sigma, method, ridge), None, None, None


def smooth_gradient(
    x: torch.Tensor, sigma: float, method: str = "diffeo", ridge: float = 1e-8
) -> torch.Tensor:
    """Identity on a point cloud whose backward spreads the gradient to every point.

    ``y = smooth_gradient(x, sigma)`` equals ``x`` (a copy: same values, shape, dtype, device).
    In the backward, the incoming gradient ``G = dL/dy`` (shape ``(n, d)``) is replaced by a
    smooth vector field ``v`` evaluated at every row of ``x``. Only the support
    ``I = {i : G_i != 0}`` (rows with a non-zero entry) is used; with
    ``k(a, b) = exp(-|a - b|^2 / (2 sigma^2))``:

    * ``method="diffeo"`` (Carrière, Theveneau, Lacombe, NeurIPS 2024):
      ``v(x) = sum_{i in I} k(x, x_i) alpha_i`` with ``alpha = (K_II + ridge Id)^-1 G_I``, the
      Gaussian-RBF interpolant of the sparse gradient: ``v(x_i) = G_i - ridge alpha_i`` on ``I``
      (exact interpolation up to the ridge), decaying to 0 farther than a few sigma from ``I``.
    * ``method="nadaraya-watson"``: ``v(x) = sum_{i in I} k(x, x_i) G_i / sum_{i in I} k(x, x_i)``,
      a normalised kernel average (no solve, no interpolation: ``v(x_i)`` mixes ``G_i`` with its
      neighbours' gradients). The weights are computed in log-space with a max-shift (a softmax
      of ``-|x - x_i|^2 / (2 sigma^2)`` over ``I``), so the result stays finite where every
      kernel value underflows: far from every ``x_i``, ``v(x)`` tends to the gradient of the
      nearest support point(s) (it does not decay to 0).

    Use it between the points and any loss: ``loss(smooth_gradient(x, s)) + reg(x)`` smooths the
    gradient of ``loss`` only; ``reg``'s gradient reaches ``x`` unchanged. Any upstream gradient
    method works: only ``G`` is seen. A zero ``G`` gives a zero gradient.

    Parameters
    ----------
    x : torch.Tensor, shape (n, d)
        Floating tensor (float16/bfloat16/float32/float64, any device), finite. ``n = 0`` is
        allowed.
    sigma : float
        Kernel bandwidth, a positive finite float, in the units of ``x``.
    method : {"diffeo", "nadaraya-watson"}, default "diffeo"
        The extension of the gradient.
    ridge : float, default 1e-8
        ``>= 0``, diffeo only. ``K_II`` has unit diagonal (``k(x, x) = 1``), so the ridge is
        relative to the diagonal: it is added as ``ridge * Id``. The default keeps the Cholesky
        solve stable for support points much closer than sigma and perturbs the interpolation by
        ``ridge * |alpha_i|``. If the Cholesky factorisation still fails (e.g. duplicated support
        points and ``ridge=0``), the pseudo-inverse gives the least-norm solution.

    Returns
    -------
    torch.Tensor
        A tensor equal to ``x``: shape ``(n, d)``, dtype and device of ``x``.

    Raises
    ------
    TypeError
        ``x`` not a floating torch.Tensor; ``sigma``/``ridge`` not real numbers; ``method`` not a
        str.
    ValueError
        ``x`` not 2-D or not finite, ``sigma <= 0`` or not finite, unknown ``method``,
        ``ridge < 0`` or not finite.

    Notes
    -----
    Cost: the backward solves a ``|I| x |I|`` system (``O(|I|^3)``, diffeo only) and evaluates an
    ``n x |I|`` kernel matrix in row blocks of at most 2**22 entries (``O(n |I| d)`` time,
    bounded memory). Computations run in float64 (float32 on MPS); ``v`` is cast to the
    gradient's dtype. If a loss gives every point a gradient, ``|I| = n``: keep such terms
    outside.

    The backward is not itself differentiable (``once_differentiable``): double backward through
    it (e.g. Hessian-vector products, gradient penalties) raises an error.
    """
    sigma_f, method, ridge_f = _check_args(x, sigma, method, ridge)
    return _SmoothGradient.apply(x, sigma_f, method, ridge_f)
