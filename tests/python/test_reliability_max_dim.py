"""Issue 13: an absurd max_dim is refused, naming it, before anything is allocated; a max_dim
beyond what the input can have keeps today's result keys (the extra dimensions are empty)."""

from __future__ import annotations

import gudhi
import numpy as np
import pytest
import torch

import calydon
import calydon.diff as diff
from calydon._validate import MAX_DIM_LIMIT
from conftest import assert_dgm_equal, gudhi_to_dgms

IMAGE = np.random.default_rng(1).random((5, 6))
POINTS = np.random.default_rng(2).random((20, 2))

# Every public function that takes max_dim, called on a small valid input.
MAX_DIM_APIS = {
    "freudenthal_filtration": lambda m: calydon.freudenthal_filtration(IMAGE, max_dim=m),
    "cube_filtration": lambda m: calydon.cube_filtration(IMAGE, max_dim=m),
    "compute_diagrams_ls": lambda m: calydon.compute_diagrams_ls(IMAGE, max_dim=m),
    "compute_diagrams_cubical": lambda m: calydon.compute_diagrams_cubical(IMAGE, max_dim=m),
    "compute_diagrams_ls batch": lambda m: calydon.compute_diagrams_ls(
        np.stack([IMAGE, IMAGE]), max_dim=m, batch_dims=1
    ),
    "vr_filtration": lambda m: calydon.vr_filtration(POINTS, max_dim=m),
    "compute_diagrams_vr": lambda m: calydon.compute_diagrams_vr(POINTS, max_dim=m),
    "diff.freudenthal_filtration": lambda m: diff.freudenthal_filtration(
        torch.tensor(IMAGE), max_dim=m
    ),
    "diff.cube_filtration": lambda m: diff.cube_filtration(torch.tensor(IMAGE), max_dim=m),
    "diff.cube_filtration batch": lambda m: diff.cube_filtration([torch.tensor(IMAGE)], max_dim=m),
    "diff.vr_filtration": lambda m: diff.vr_filtration(torch.tensor(POINTS), max_dim=m),
}


@pytest.mark.parametrize("api", sorted(MAX_DIM_APIS))
@pytest.mark.parametrize("huge", [MAX_DIM_LIMIT + 1, 10**9, 2**31, 2**63, 10**30])
def test_absurd_max_dim_is_a_value_error_naming_it(api, huge):
    # Before the fix: 10**9 grew until the OOM killer, 2**31 gave nanobind's TypeError.
    with pytest.raises(ValueError, match=r"max_dim must be at most 64, got "):
        MAX_DIM_APIS[api](huge)


@pytest.mark.parametrize("api", sorted(MAX_DIM_APIS))
@pytest.mark.parametrize("bad", [True, np.bool_(False), 2.0, "2", np.float64(1.0)])
def test_non_int_max_dim_is_a_type_error_naming_it(api, bad):
    with pytest.raises(TypeError, match="max_dim must be an int"):
        MAX_DIM_APIS[api](bad)


@pytest.mark.parametrize("api", sorted(MAX_DIM_APIS))
def test_negative_max_dim_is_a_value_error(api):
    with pytest.raises(ValueError, match="max_dim"):
        MAX_DIM_APIS[api](np.int64(-1))


@pytest.mark.parametrize("api", sorted(MAX_DIM_APIS))
@pytest.mark.parametrize("kind", [np.int8, np.int32, np.uint16, np.int64])
def test_numpy_integer_max_dim_equals_the_python_int(api, kind):
    def summary(result):
        items = result if isinstance(result, list) else [result]
        return [repr(x) if not isinstance(x, calydon.Diagrams) else len(x) for x in items]

    assert summary(MAX_DIM_APIS[api](kind(1))) == summary(MAX_DIM_APIS[api](1))


def _gudhi_rips(points: np.ndarray, max_dim: int) -> dict:
    st = gudhi.RipsComplex(points=points).create_simplex_tree(max_dimension=max_dim)
    st.compute_persistence(persistence_dim_max=True)
    return gudhi_to_dgms(st.persistence(), max_dim)


@pytest.mark.parametrize("max_dim", [4, 9, MAX_DIM_LIMIT])
def test_rips_max_dim_beyond_the_cloud_keeps_requested_keys(max_dim):
    # 5 points have no simplex above dimension 4: dimensions past it are present and empty.
    pts = np.random.default_rng(3).random((5, 3))
    dgms = calydon.compute_diagrams_vr(pts, max_dim=max_dim, max_diameter=np.inf)
    assert len(dgms) == max_dim
    expected = _gudhi_rips(pts, min(max_dim, 4))
    for d in range(max_dim):
        assert_dgm_equal(dgms[d], expected.get(d, np.empty((0, 2))), msg=f"dim {d}")
    assert calydon.vr_filtration(pts, max_dim=max_dim, max_diameter=np.inf).max_dim == 4


@pytest.mark.parametrize("max_dim", [2, 3, MAX_DIM_LIMIT])
def test_grid_max_dim_beyond_the_grid_keeps_requested_keys(max_dim):
    # A 2-D grid has no cell above dimension 2: ls keeps keys 0..max_dim (empty above 1),
    # the filtration builders clamp to the grid's dimension.
    st = gudhi.CubicalComplex(vertices=IMAGE)
    st.compute_persistence(homology_coeff_field=2)
    expected = gudhi_to_dgms(st.persistence(), 2)
    dgms = calydon.compute_diagrams_cubical(IMAGE, max_dim=max_dim)
    assert len(dgms) == max_dim + 1
    for d in range(max_dim + 1):
        assert_dgm_equal(dgms[d], expected.get(d, np.empty((0, 2))), msg=f"dim {d}")
    assert len(calydon.compute_diagrams_ls(IMAGE, max_dim=max_dim)) == max_dim + 1
    assert calydon.freudenthal_filtration(IMAGE, max_dim=max_dim).max_dim == 2
    assert calydon.cube_filtration(IMAGE, max_dim=max_dim).max_dim == 2
