"""Bad input to the grid entry points: exception type AND message (engine-level checks: test_engine_errors.py)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import calydon
import calydon.diff as diff

# (name used in messages, callable taking data and keyword arguments)
NUMPY_APIS = [
    ("freudenthal_filtration", lambda d, **kw: calydon.freudenthal_filtration(d, **kw)),
    ("cube_filtration", lambda d, **kw: calydon.cube_filtration(d, **kw)),
    ("cube_filtration", lambda d, **kw: calydon.cube_filtration(d, values_on="cells", **kw)),
    ("compute_diagrams_ls", lambda d, **kw: calydon.compute_diagrams_ls(d, **kw)),
]
TORCH_APIS = [
    ("diff.freudenthal_filtration", lambda d, **kw: diff.freudenthal_filtration(d, **kw)),
    ("diff.cube_filtration", lambda d, **kw: diff.cube_filtration(d, **kw)),
    ("diff.cube_filtration", lambda d, **kw: diff.cube_filtration(d, values_on="cells", **kw)),
]
api_ids = ["freudenthal", "cube_vertices", "cube_cells", "compute_diagrams_ls"]
torch_ids = ["diff_freudenthal", "diff_cube_vertices", "diff_cube_cells"]


def nonfinite(value, shape=(3, 4), at=(1, 2)):
    a = np.zeros(shape)
    a[at] = value
    return a


# ---------------------------------------------------------------------------------------------
# numpy (non-diff) entry points
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("api,fn", NUMPY_APIS, ids=api_ids)
@pytest.mark.parametrize("value,text", [(np.nan, "nan"), (np.inf, "inf"), (-np.inf, "-inf")])
def test_numpy_nonfinite(api, fn, value, text):
    with pytest.raises(
        ValueError, match=rf"{api}: data must be finite, got {text} at flat index 6"
    ):
        fn(nonfinite(value))
    # also in a 1-D and a 4-D input, and at the first / last position
    with pytest.raises(ValueError, match=rf"{api}: data must be finite.*flat index 0"):
        fn(nonfinite(value, shape=(5,), at=(0,)))
    with pytest.raises(ValueError, match=rf"{api}: data must be finite.*flat index 15"):
        fn(nonfinite(value, shape=(2, 2, 2, 2), at=(1, 1, 1, 1)))


@pytest.mark.parametrize("api,fn", NUMPY_APIS, ids=api_ids)
@pytest.mark.parametrize("shape", [(), (2, 2, 2, 2, 2), (1, 1, 1, 1, 1, 1)])
def test_numpy_wrong_ndim(api, fn, shape):
    with pytest.raises(
        ValueError,
        match=rf"{api}: data must have 1 or 2 or 3 or 4 dimensions, got shape "
        rf"{re_shape(shape)}",
    ):
        fn(np.zeros(shape))


def re_shape(shape):
    return str(tuple(shape)).replace("(", r"\(").replace(")", r"\)")


@pytest.mark.parametrize("api,fn", NUMPY_APIS, ids=api_ids)
@pytest.mark.parametrize("shape", [(0,), (3, 0), (0, 2, 2), (2, 2, 2, 0)])
def test_numpy_empty(api, fn, shape):
    with pytest.raises(
        ValueError, match=rf"{api}: data must not be empty, got shape {re_shape(shape)}"
    ):
        fn(np.zeros(shape))


@pytest.mark.parametrize("api,fn", NUMPY_APIS, ids=api_ids)
@pytest.mark.parametrize(
    "data",
    [
        np.array([[True, False], [False, True]]),
        np.array([1 + 2j, 3.0]),
        np.array([1.0, 2.0], dtype=object),
        np.array(["a", "b", "c"]),
        np.array([b"a", b"b"]),
        ["x", "y"],
    ],
    ids=["bool", "complex", "object", "str", "bytes", "list_of_str"],
)
def test_numpy_non_numeric_dtype(api, fn, data):
    with pytest.raises(TypeError, match=rf"{api}: data must have a real numeric dtype"):
        fn(data)


@pytest.mark.parametrize("api,fn", NUMPY_APIS, ids=api_ids)
@pytest.mark.parametrize("max_dim", [-1, -5])
def test_numpy_negative_max_dim(api, fn, max_dim):
    with pytest.raises(ValueError, match=rf"{api}: max_dim must be >= 0, got {max_dim}"):
        fn(np.zeros((3, 3)), max_dim=max_dim)


@pytest.mark.parametrize("api,fn", NUMPY_APIS, ids=api_ids)
@pytest.mark.parametrize("max_dim", [1.5, "2", True])
def test_numpy_non_int_max_dim(api, fn, max_dim):
    with pytest.raises(TypeError, match=rf"{api}: max_dim must be an int"):
        fn(np.zeros((3, 3)), max_dim=max_dim)


@pytest.mark.parametrize("values_on", ["vertex", "cubes", "", None, 1, "VERTICES"])
def test_numpy_unknown_values_on(values_on):
    with pytest.raises(
        ValueError, match=r"cube_filtration: values_on must be one of 'vertices', 'cells', got "
    ):
        calydon.cube_filtration(np.zeros((3, 3)), values_on=values_on)


def test_numpy_good_inputs_still_accepted():
    """Integer, float32 and nested-list inputs are real numeric and accepted."""
    for data in (
        np.arange(6).reshape(2, 3),
        np.arange(6, dtype=np.float32).reshape(2, 3),
        [[0, 1, 2], [3, 4, 5]],
        np.arange(6, dtype=np.uint8).reshape(2, 3),
    ):
        assert len(calydon.freudenthal_filtration(data)) == 6 + 9 + 4
        assert len(calydon.cube_filtration(data)) == 6 + 7 + 2


# ---------------------------------------------------------------------------------------------
# torch (diff) entry points
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("api,fn", TORCH_APIS, ids=torch_ids)
@pytest.mark.parametrize("value,text", [(np.nan, "nan"), (np.inf, "inf"), (-np.inf, "-inf")])
@pytest.mark.parametrize("dtype", [torch.float64, torch.float32])
def test_torch_nonfinite(api, fn, value, text, dtype):
    x = torch.tensor(nonfinite(value), dtype=dtype, requires_grad=True)
    with pytest.raises(
        ValueError, match=rf"{api}: data must be finite, got {text} at flat index 6"
    ):
        fn(x)


@pytest.mark.parametrize("api,fn", TORCH_APIS, ids=torch_ids)
@pytest.mark.parametrize("shape", [(), (2, 2, 2, 2, 2)])
def test_torch_wrong_ndim(api, fn, shape):
    with pytest.raises(
        ValueError,
        match=rf"{api}: data must have 1 or 2 or 3 or 4 dimensions, got shape "
        rf"{re_shape(shape)}",
    ):
        fn(torch.zeros(shape, dtype=torch.float64))


@pytest.mark.parametrize("api,fn", TORCH_APIS, ids=torch_ids)
@pytest.mark.parametrize("shape", [(0,), (3, 0)])
def test_torch_empty(api, fn, shape):
    with pytest.raises(
        ValueError, match=rf"{api}: data must not be empty, got shape {re_shape(shape)}"
    ):
        fn(torch.zeros(shape))


@pytest.mark.parametrize("api,fn", TORCH_APIS, ids=torch_ids)
@pytest.mark.parametrize("dtype", [torch.bool, torch.complex64, torch.complex128])
def test_torch_non_numeric_dtype(api, fn, dtype):
    with pytest.raises(
        TypeError, match=rf"{api}: data must have a real numeric dtype, got {dtype}"
    ):
        fn(torch.zeros((3, 3), dtype=dtype))


@pytest.mark.parametrize("api,fn", TORCH_APIS, ids=torch_ids)
@pytest.mark.parametrize(
    "data",
    [
        np.zeros((3, 3)),
        [[0.0, 1.0], [2.0, 3.0]],
        np.array(["a", "b"]),
        np.array([1.0], dtype=object),
        "abc",
    ],
    ids=["ndarray", "list", "str_array", "object_array", "str"],
)
def test_torch_entry_points_need_a_tensor(api, fn, data):
    with pytest.raises(TypeError, match=rf"{api}: data must be a torch.Tensor, got "):
        fn(data)


@pytest.mark.parametrize("api,fn", TORCH_APIS, ids=torch_ids)
def test_torch_negative_max_dim(api, fn):
    with pytest.raises(ValueError, match=rf"{api}: max_dim must be >= 0, got -1"):
        fn(torch.zeros((3, 3)), max_dim=-1)


@pytest.mark.parametrize("values_on", ["vertex", "", None])
def test_torch_unknown_values_on(values_on):
    with pytest.raises(
        ValueError, match=r"diff.cube_filtration: values_on must be one of 'vertices', 'cells'"
    ):
        diff.cube_filtration(torch.zeros((3, 3)), values_on=values_on)
