"""Vietoris-Rips lengths at extreme scales and in low-precision dtypes (issue 13).

Multiplying points by a power of two scales every length exactly, so the diagrams of 2^k X must
be 2^k times those of X bit for bit, for k far beyond the range where sum((x - y)^2) over- or
underflows; gudhi's Rips complex on X (float64) is the independent oracle. Half-precision inputs must give the float64
diagrams cast to their dtype, with gradients.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import calydon
import calydon.diff as cdiff
from conftest import assert_dgm_equal, gudhi_to_dgms

gudhi = pytest.importorskip("gudhi")

EXPONENTS = [-1000, -565, -530, 0, 530, 600, 1000]


def _points(seed: int, n: int = 30, d: int = 3) -> np.ndarray:
    return np.random.default_rng(seed).random((n, d))


def _gudhi_dgms(points: np.ndarray):
    tree = gudhi.RipsComplex(points=points).create_simplex_tree(max_dimension=2)
    return gudhi_to_dgms(tree.persistence(), 2)


@pytest.mark.parametrize("k", EXPONENTS)
def test_power_of_two_scaling_is_exact(k):
    x = _points(k % 7)
    base = calydon.compute_diagrams_vr(x, max_dim=2, max_diameter=math.inf)
    scaled = calydon.compute_diagrams_vr(np.ldexp(x, k), max_dim=2, max_diameter=math.inf)
    for dim in range(2):
        a, b = base.in_dimension(dim), scaled.in_dimension(dim)
        assert a.shape == b.shape
        assert_dgm_equal(np.ldexp(a, k), b, atol=0.0, rtol=0.0)


@settings(max_examples=15)
@given(exponent=st.floats(-170, 160), seed=st.integers(0, 1000), n=st.integers(3, 25))
def test_extreme_scales_match_gudhi(exponent, seed, n):
    s = 10.0**exponent
    x = _points(seed, n, 2)
    expected = _gudhi_dgms(x)
    got = calydon.compute_diagrams_vr(x * s, max_dim=2, max_diameter=math.inf)
    for dim in range(2):
        # finite H0 deaths exist (no spurious essential classes) and agree with ripser's
        assert_dgm_equal(got.in_dimension(dim) / s, expected[dim], rtol=1e-9, atol=0.0)


@pytest.mark.parametrize("scale", [1e160, 1e-170])
def test_h0_has_one_essential_class(scale):
    x = _points(1) * scale
    dgm = calydon.compute_diagrams_vr(x, max_dim=1, max_diameter=math.inf).in_dimension(0)
    assert np.isinf(dgm[:, 1]).sum() == 1
    assert (dgm[np.isfinite(dgm[:, 1]), 1] > 0).all()


def test_points_beyond_the_double_range_are_refused():
    x = np.array([[-1e308, 0.0], [1e308, 0.0], [0.0, 1.0]])
    with pytest.raises(ValueError, match="compute_diagrams_vr: data has a bounding box"):
        calydon.compute_diagrams_vr(x)


@pytest.mark.parametrize("k", [-560, 0, 540])
def test_diff_lengths_match_the_core_bit_for_bit(k):
    x = torch.tensor(np.ldexp(_points(3, 20), k), requires_grad=True)
    fil = cdiff.vr_filtration(x, max_dim=2, max_diameter=math.inf)
    dgm = cdiff.persistence_diagram(fil)[1]
    expected = calydon.compute_diagrams_vr(x.detach().numpy(), max_dim=2, max_diameter=math.inf)
    assert_dgm_equal(dgm.detach().numpy(), expected.in_dimension(1), atol=0.0, rtol=0.0)
    loss = dgm[:, 1].sum() - dgm[:, 0].sum()
    loss.backward()
    assert torch.isfinite(x.grad).all() and x.grad.abs().sum() > 0


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16, torch.float32])
def test_low_precision_dtypes_give_float64_diagrams_cast_back(dtype):
    x = torch.tensor(_points(4, 25, 2)).to(dtype).requires_grad_(True)
    dgms = cdiff.persistence_diagram(cdiff.vr_filtration(x, max_dim=2))
    reference = calydon.compute_diagrams_vr(
        x.detach().double().numpy(), max_dim=2, include_inf_points=False
    )
    for dim in range(2):
        assert dgms[dim].dtype == dtype
        ref = torch.tensor(reference.in_dimension(dim)).to(dtype).double().numpy()
        assert_dgm_equal(dgms[dim].detach().double().numpy(), ref, atol=0.0, rtol=0.0)
    (dgms[0][:, 1].sum() + dgms[1][:, 1].sum()).backward()
    assert x.grad.dtype == dtype and torch.isfinite(x.grad.double()).all()
