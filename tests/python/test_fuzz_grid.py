"""Fuzz (issue 13): the grid builders on random shapes, dtypes, extreme scales, ties, poisoned
values and flags. Every outcome is the oracle's answer (gudhi's cubical complex, the naive
Freudenthal reduction of ``reference``, or the float64 copy for tensors of low precision) or a
ValueError / TypeError naming the argument. ``HYPOTHESIS_PROFILE=fuzz`` (``make fuzz``) runs
10,000 examples per test."""

from __future__ import annotations

import gudhi
import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import calydon
import calydon.diff as diff
import reference
from conftest import assert_dgm_equal, gudhi_to_dgms, result_or_named_error

# A 3-D/4-D array whose leading axis has length 1 warns about batch_dims; here it is meant.
pytestmark = pytest.mark.filterwarnings("ignore:.*is read as one:UserWarning")

MAX_SIDE = {0: 1, 1: 8, 2: 5, 3: 3, 4: 2, 5: 2}
NUMPY_DTYPES = [np.float64, np.float32, np.float16, np.int8, np.int64, np.uint8, bool, complex]
SCALES = [1e-300, 1e-150, 1e-5, 1.0, 1e5, 1e150, 1e300]
POISON = [None, None, None, None, np.nan, np.inf, -np.inf]
EMPTY = np.empty((0, 2))


@st.composite
def grid_arrays(draw, dtypes=NUMPY_DTYPES):
    """(array, valid): a 0-5 axis array of a random dtype, scale and tie pattern, sometimes
    poisoned with NaN or infinity; ``valid`` says whether a builder must accept it."""
    ndim = draw(st.integers(0, 5))
    side = st.one_of(st.integers(1, MAX_SIDE[ndim]), st.integers(0, MAX_SIDE[ndim]))
    shape = tuple(draw(st.lists(side, min_size=ndim, max_size=ndim)))
    dtype = draw(st.sampled_from(dtypes))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    raw = rng.integers(-3, 4, shape) if draw(st.booleans()) else rng.standard_normal(shape)
    scale = draw(st.sampled_from(SCALES))
    with np.errstate(all="ignore"):
        arr = np.asarray(raw if np.dtype(dtype).kind in "iub" else raw * scale).astype(dtype)
    poison = draw(st.sampled_from(POISON))
    if poison is not None and arr.size and np.dtype(dtype).kind in "fc":
        arr.reshape(-1)[draw(st.integers(0, arr.size - 1))] = poison
    with np.errstate(all="ignore"):
        finite = np.dtype(dtype).kind not in "bc" and np.isfinite(arr.astype(np.float64)).all()
    valid = 1 <= ndim <= 4 and arr.size > 0 and bool(finite)
    return arr, valid


def _cubical_oracle(arr: np.ndarray, negate: bool, values_on: str) -> dict:
    data = -arr if negate else arr
    key = "vertices" if values_on == "vertices" else "top_dimensional_cells"
    cc = gudhi.CubicalComplex(**{key: data})
    cc.compute_persistence(homology_coeff_field=2, min_persistence=0)
    return gudhi_to_dgms(cc.persistence(), arr.ndim + 1, negate=negate)


def _check(dgms, expected: dict, n_keys: int, rtol: float = 0.0) -> None:
    assert len(dgms) == n_keys
    for d in range(n_keys):
        assert_dgm_equal(dgms[d], expected.get(d, EMPTY), atol=0, rtol=rtol, msg=f"dim {d}")


@given(grid=grid_arrays(), negate=st.booleans(), max_dim=st.one_of(st.none(), st.integers(0, 6)))
def test_fuzz_compute_diagrams_ls(grid, negate, max_dim):
    arr, valid = grid
    api = "compute_diagrams_ls"
    dgms = result_or_named_error(
        lambda: calydon.compute_diagrams_ls(arr, negate=negate, max_dim=max_dim),
        api,
        ["data"],
        valid,
    )
    if dgms is None:
        return
    a = arr.astype(np.float64)
    n_keys = a.ndim if max_dim is None else max_dim + 1
    top = min(n_keys, a.ndim)  # simplices up to one above the last reported dimension
    expected = reference.freudenthal_diagrams(a, negate=negate, max_dim=top)
    _check(dgms, expected, n_keys)


@given(
    grid=grid_arrays(),
    negate=st.booleans(),
    values_on=st.sampled_from(["vertices", "cells"]),
    max_dim=st.one_of(st.none(), st.integers(0, 6)),
)
def test_fuzz_compute_diagrams_cubical(grid, negate, values_on, max_dim):
    arr, valid = grid
    dgms = result_or_named_error(
        lambda: calydon.compute_diagrams_cubical(
            arr, negate=negate, values_on=values_on, max_dim=max_dim
        ),
        "compute_diagrams_cubical",
        ["data"],
        valid,
    )
    if dgms is None:
        return
    a = arr.astype(np.float64)
    n_keys = a.ndim if max_dim is None else max_dim + 1
    _check(dgms, _cubical_oracle(a, negate, values_on), n_keys)


@given(grid=grid_arrays(), negate=st.booleans(), max_dim=st.one_of(st.none(), st.integers(0, 6)))
def test_fuzz_filtration_builders(grid, negate, max_dim):
    arr, valid = grid
    for api, build in (
        ("freudenthal_filtration", calydon.freudenthal_filtration),
        ("cube_filtration", calydon.cube_filtration),
    ):
        fil = result_or_named_error(
            lambda: build(arr, negate=negate, max_dim=max_dim), api, ["data"], valid
        )
        if fil is None:
            continue
        a = arr.astype(np.float64)
        assert fil.max_dim == min(a.ndim if max_dim is None else max_dim, a.ndim) or (
            min(a.shape) == 1  # axes of length 1 span no cells
        )
        assert fil.negate == negate and len(fil) == len(fil.values())
        # Every cell's value is one of the data's values.
        assert np.isin(fil.values(), a).all()


TORCH_DTYPES = [torch.float64, torch.float32, torch.float16, torch.bfloat16, torch.int32]


@given(
    grid=grid_arrays(dtypes=[np.float64]),
    dtype=st.sampled_from(TORCH_DTYPES),
    negate=st.booleans(),
    builder=st.sampled_from(["freudenthal", "cubical"]),
)
def test_fuzz_diff_grid_equals_its_float64_copy(grid, dtype, negate, builder):
    arr, _ = grid
    with np.errstate(all="ignore"):
        tensor = torch.from_numpy(arr).to(dtype)
    copy64 = tensor.double().numpy()
    valid = 1 <= arr.ndim <= 4 and arr.size > 0 and bool(np.isfinite(copy64).all())
    api = f"diff.{'freudenthal' if builder == 'freudenthal' else 'cube'}_filtration"
    build = diff.freudenthal_filtration if builder == "freudenthal" else diff.cube_filtration
    fil = result_or_named_error(lambda: build(tensor, negate=negate), api, ["data"], valid)
    if fil is None:
        return
    dgms = diff.persistence_diagram(fil, include_inf_points=True)
    if builder == "freudenthal":
        expected = reference.freudenthal_diagrams(copy64, negate=negate)
    else:
        expected = _cubical_oracle(copy64, negate, "vertices")
    for d, t in dgms.items():
        assert t.dtype == (tensor.dtype if tensor.is_floating_point() else torch.float64)
        assert_dgm_equal(t.double(), expected.get(d, EMPTY), atol=0, rtol=0, msg=f"dim {d}")
