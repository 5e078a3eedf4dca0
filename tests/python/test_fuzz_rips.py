"""Fuzz (issue 13): the Vietoris-Rips builders on random clouds and distance matrices (sizes
0-10, 1-3 coordinates, ties and duplicates, scales 1e-150 to 1e150, poisoned values, every
max_dim, threshold and flag). Every outcome is gudhi's answer or a ValueError / TypeError naming
the argument. ``HYPOTHESIS_PROFILE=fuzz`` (``make fuzz``) runs 10,000 examples per test."""

from __future__ import annotations

import gudhi
import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from scipy.spatial.distance import cdist

import calydon
import calydon.diff as diff
from conftest import assert_dgm_equal, gudhi_to_dgms, result_or_named_error

# The square, symmetric, zero-diagonal input warning is exercised elsewhere.
pytestmark = pytest.mark.filterwarnings("ignore:.*square, symmetric matrix:UserWarning")

SCALES = [1e-150, 1e-8, 1.0, 1e8, 1e150]
EMPTY = np.empty((0, 2))


@st.composite
def clouds(draw, dtypes=(np.float64, np.float32, np.int64, complex)):
    """(points, valid): an (n, d) cloud, sometimes snapped to a lattice (ties, duplicates),
    sometimes poisoned with NaN / infinity, sometimes of the wrong rank."""
    n, d = draw(st.integers(0, 10)), draw(st.integers(1, 3))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    pts = rng.random((n, d))
    if draw(st.booleans()):
        pts = np.round(pts * 3)
    dtype = draw(st.sampled_from(dtypes))
    scale = 1.0 if dtype is np.float32 else draw(st.sampled_from(SCALES))
    pts = (pts * scale).astype(dtype) if dtype is not np.int64 else pts.astype(dtype)
    poison = draw(st.sampled_from([None, None, None, np.nan, np.inf]))
    if poison is not None and pts.size and dtype is not np.int64:
        pts.reshape(-1)[draw(st.integers(0, pts.size - 1))] = poison
    if draw(st.integers(0, 9)) == 0:
        pts = pts.reshape(-1)  # wrong rank
    valid = pts.ndim == 2 and pts.size > 0 and dtype is not complex
    valid = valid and bool(np.isfinite(pts.astype(np.float64)).all())
    return pts, valid


def gudhi_rips(max_dim: int, threshold: float, points=None, matrix=None) -> dict:
    n = len(points if matrix is None else matrix)
    kwargs = {"points": points} if matrix is None else {"distance_matrix": matrix}
    rips = gudhi.RipsComplex(max_edge_length=threshold, **kwargs)
    st_ = rips.create_simplex_tree(max_dimension=max_dim)
    if max_dim == 0 or st_.dimension() == 0:
        # gudhi keeps the edges even with max_dimension=0 and reports nothing at all for a
        # complex without edges; both answers are n essential classes born at 0.
        return {0: np.tile([0.0, np.inf], (n, 1))}
    st_.compute_persistence(homology_coeff_field=2, persistence_dim_max=True)
    return gudhi_to_dgms(st_.persistence(), max(max_dim, 1))


def _threshold(max_diameter, scale_of: np.ndarray) -> float:
    return np.inf if max_diameter is None else max_diameter * float(np.abs(scale_of).max() or 1)


@given(
    cloud=clouds(),
    max_dim=st.integers(0, 4),
    max_diameter=st.sampled_from([None, np.inf, 0.0, 0.3, 1.0]),
    dualize=st.booleans(),
)
def test_fuzz_compute_diagrams_vr(cloud, max_dim, max_diameter, dualize):
    pts, valid = cloud
    thr = None
    if max_diameter is not None and valid:
        thr = _threshold(max_diameter, pts.astype(np.float64))
    dgms = result_or_named_error(
        lambda: calydon.compute_diagrams_vr(
            pts, max_dim=max_dim, max_diameter=thr, dualize=dualize
        ),
        "compute_diagrams_vr",
        ["data"],
        valid,
    )
    if dgms is None:
        return
    a = pts.astype(np.float64)
    expected = gudhi_rips(max_dim, np.inf if thr is None else thr, points=a)
    assert len(dgms) == max(max_dim, 1)
    for d in range(len(dgms)):
        assert_dgm_equal(dgms[d], expected.get(d, EMPTY), atol=0, rtol=1e-12, msg=f"dim {d}")


@given(cloud=clouds(dtypes=(np.float64,)), max_dim=st.integers(0, 3), tamper=st.integers(0, 5))
def test_fuzz_vr_from_distance_matrix(cloud, max_dim, tamper):
    pts, valid = cloud
    if not valid:
        return
    matrix = cdist(pts, pts)
    if tamper == 1 and len(matrix) > 1:
        matrix[0, 1] = -1.0  # negative distance
    elif tamper == 2 and len(matrix) > 1:
        # Not symmetric, even up to the rounding tolerance (1e-5 of the largest entry).
        matrix[1, 0] = 2 * matrix[0, 1] + matrix.max() + 1.0
    elif tamper == 3:
        matrix = matrix[:, :-1]  # not square
    good = tamper in (0, 4, 5) or (tamper in (1, 2) and len(matrix) <= 1)
    good = good and matrix.size > 0 and matrix.shape[0] == matrix.shape[1]
    dgms = result_or_named_error(
        lambda: calydon.compute_diagrams_vr(matrix, from_pwdists=True, max_dim=max_dim),
        "compute_diagrams_vr",
        ["data"],
        good,
    )
    if dgms is None:
        return
    expected = gudhi_rips(max_dim, np.inf, matrix=matrix)
    for d in range(len(dgms)):
        assert_dgm_equal(dgms[d], expected.get(d, EMPTY), atol=0, rtol=1e-12, msg=f"dim {d}")


@given(cloud=clouds(dtypes=(np.float64, np.float32)), max_dim=st.integers(1, 3))
def test_fuzz_diff_vr_filtration(cloud, max_dim):
    pts, valid = cloud
    tensor = torch.from_numpy(np.ascontiguousarray(pts)) if pts.dtype != complex else pts
    fil = result_or_named_error(
        lambda: diff.vr_filtration(tensor, max_dim=max_dim), "diff.vr_filtration", ["data"], valid
    )
    if fil is None:
        return
    dgms = diff.persistence_diagram(fil, include_inf_points=True)
    expected = gudhi_rips(max_dim, np.inf, points=tensor.double().numpy())
    rtol = 1e-12 if tensor.dtype == torch.float64 else 1e-6
    for d, t in dgms.items():
        assert t.dtype == tensor.dtype
        assert_dgm_equal(t.double(), expected.get(d, EMPTY), atol=0, rtol=rtol, msg=f"dim {d}")


def test_rips_of_coordinates_near_1e160_scales_exactly():
    # Squared lengths of such coordinates would overflow float64; the lengths are computed with
    # a scaled norm. Checked against the same cloud at scale 1.
    pts = np.random.default_rng(41).random((8, 2))
    small = calydon.compute_diagrams_vr(pts, max_diameter=np.inf)
    huge = calydon.compute_diagrams_vr(pts * 1e160, max_diameter=np.inf)
    for d in range(len(small)):
        assert_dgm_equal(huge[d], small[d] * 1e160, atol=0, rtol=1e-12, msg=f"dim {d}")


def test_diff_rips_of_bfloat16_points_matches_the_float64_copy():
    pts = torch.tensor(np.random.default_rng(42).random((12, 2))).to(torch.bfloat16)
    dgms = diff.persistence_diagram(diff.vr_filtration(pts), include_inf_points=True)
    expected = gudhi_rips(2, np.inf, points=pts.double().numpy())
    for d, t in dgms.items():
        assert t.dtype == torch.bfloat16
        assert_dgm_equal(t.double(), expected.get(d, EMPTY), atol=0, rtol=1e-2, msg=f"dim {d}")
