"""Bad input to the grid and filtration entry points: exception type AND message."""

from __future__ import annotations

import subprocess
import sys

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
    with pytest.raises(ValueError, match=rf"{api}: data must be finite, got {text} at flat index 6"):
        fn(nonfinite(value))
    # also in a 1-D and a 4-D input, and at the first / last position
    with pytest.raises(ValueError, match=rf"{api}: data must be finite.*flat index 0"):
        fn(nonfinite(value, shape=(5,), at=(0,)))
    with pytest.raises(ValueError, match=rf"{api}: data must be finite.*flat index 15"):
        fn(nonfinite(value, shape=(2, 2, 2, 2), at=(1, 1, 1, 1)))


@pytest.mark.parametrize("api,fn", NUMPY_APIS, ids=api_ids)
@pytest.mark.parametrize("shape", [(), (2, 2, 2, 2, 2), (1, 1, 1, 1, 1, 1)])
def test_numpy_wrong_ndim(api, fn, shape):
    with pytest.raises(ValueError, match=rf"{api}: data must have 1 or 2 or 3 or 4 dimensions, got shape "
                                         rf"{re_shape(shape)}"):
        fn(np.zeros(shape))


def re_shape(shape):
    return str(tuple(shape)).replace("(", r"\(").replace(")", r"\)")


@pytest.mark.parametrize("api,fn", NUMPY_APIS, ids=api_ids)
@pytest.mark.parametrize("shape", [(0,), (3, 0), (0, 2, 2), (2, 2, 2, 0)])
def test_numpy_empty(api, fn, shape):
    with pytest.raises(ValueError, match=rf"{api}: data must not be empty, got shape {re_shape(shape)}"):
        fn(np.zeros(shape))


@pytest.mark.parametrize("api,fn", NUMPY_APIS, ids=api_ids)
@pytest.mark.parametrize("data", [
    np.array([[True, False], [False, True]]),
    np.array([1 + 2j, 3.0]),
    np.array([1.0, 2.0], dtype=object),
    np.array(["a", "b", "c"]),
    np.array([b"a", b"b"]),
    ["x", "y"],
], ids=["bool", "complex", "object", "str", "bytes", "list_of_str"])
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
    with pytest.raises(ValueError, match=r"cube_filtration: values_on must be one of 'vertices', 'cells', got "):
        calydon.cube_filtration(np.zeros((3, 3)), values_on=values_on)


def test_numpy_good_inputs_still_accepted():
    """Integer, float32 and nested-list inputs are real numeric and accepted."""
    for data in (np.arange(6).reshape(2, 3), np.arange(6, dtype=np.float32).reshape(2, 3),
                 [[0, 1, 2], [3, 4, 5]], np.arange(6, dtype=np.uint8).reshape(2, 3)):
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
    with pytest.raises(ValueError, match=rf"{api}: data must be finite, got {text} at flat index 6"):
        fn(x)


@pytest.mark.parametrize("api,fn", TORCH_APIS, ids=torch_ids)
@pytest.mark.parametrize("shape", [(), (2, 2, 2, 2, 2)])
def test_torch_wrong_ndim(api, fn, shape):
    with pytest.raises(ValueError, match=rf"{api}: data must have 1 or 2 or 3 or 4 dimensions, got shape "
                                         rf"{re_shape(shape)}"):
        fn(torch.zeros(shape, dtype=torch.float64))


@pytest.mark.parametrize("api,fn", TORCH_APIS, ids=torch_ids)
@pytest.mark.parametrize("shape", [(0,), (3, 0)])
def test_torch_empty(api, fn, shape):
    with pytest.raises(ValueError, match=rf"{api}: data must not be empty, got shape {re_shape(shape)}"):
        fn(torch.zeros(shape))


@pytest.mark.parametrize("api,fn", TORCH_APIS, ids=torch_ids)
@pytest.mark.parametrize("dtype", [torch.bool, torch.complex64, torch.complex128])
def test_torch_non_numeric_dtype(api, fn, dtype):
    with pytest.raises(TypeError, match=rf"{api}: data must have a real numeric dtype, got {dtype}"):
        fn(torch.zeros((3, 3), dtype=dtype))


@pytest.mark.parametrize("api,fn", TORCH_APIS, ids=torch_ids)
@pytest.mark.parametrize("data", [np.zeros((3, 3)), [[0.0, 1.0], [2.0, 3.0]], np.array(["a", "b"]),
                                  np.array([1.0], dtype=object), "abc"],
                         ids=["ndarray", "list", "str_array", "object_array", "str"])
def test_torch_entry_points_need_a_tensor(api, fn, data):
    with pytest.raises(TypeError, match=rf"{api}: data must be a torch.Tensor, got "):
        fn(data)


@pytest.mark.parametrize("api,fn", TORCH_APIS, ids=torch_ids)
def test_torch_negative_max_dim(api, fn):
    with pytest.raises(ValueError, match=rf"{api}: max_dim must be >= 0, got -1"):
        fn(torch.zeros((3, 3)), max_dim=-1)


@pytest.mark.parametrize("values_on", ["vertex", "", None])
def test_torch_unknown_values_on(values_on):
    with pytest.raises(ValueError, match=r"diff.cube_filtration: values_on must be one of 'vertices', 'cells'"):
        diff.cube_filtration(torch.zeros((3, 3)), values_on=values_on)


# ---------------------------------------------------------------------------------------------
# calydon.Filtration from simplices
# ---------------------------------------------------------------------------------------------


def test_filtration_missing_face():
    with pytest.raises(ValueError, match=r"Filtration: a face of simplex 2 is missing"):
        calydon.Filtration([[0], [1], [0, 1, 2]], [0.0, 0.0, 1.0])
    with pytest.raises(ValueError, match=r"Filtration: a face of simplex 1 is missing"):
        calydon.Filtration([[0], [0, 1]], [0.0, 1.0])
    # a triangle whose edges are missing although its vertices are there
    with pytest.raises(ValueError, match=r"face of simplex 3 is missing"):
        calydon.Filtration([[0], [1], [2], [0, 1, 2]], [0.0, 0.0, 0.0, 1.0])


@pytest.mark.parametrize("negate", [False, True])
def test_filtration_face_after_coface(negate):
    # sublevel: the vertex value 5 is later than the edge's 1; superlevel: the vertex 0 is later than 1
    values = [0.0, 5.0, 1.0]
    with pytest.raises(ValueError, match=r"Filtration: face .* enters after its coface"):
        calydon.Filtration([[0], [1], [0, 1]], values, negate=negate)
    # the same complex with consistent values is accepted
    good = [0.0, 0.5, 1.0] if not negate else [2.0, 1.5, 1.0]
    assert len(calydon.Filtration([[0], [1], [0, 1]], good, negate=negate)) == 3


def test_filtration_face_after_coface_higher_dim():
    simplices = [[0], [1], [2], [0, 1], [0, 2], [1, 2], [0, 1, 2]]
    values = [0.0, 0.0, 0.0, 1.0, 1.0, 3.0, 2.0]  # edge (1, 2) enters after the triangle
    with pytest.raises(ValueError, match=r"enters after its coface"):
        calydon.Filtration(simplices, values)


def test_filtration_nan_value():
    with pytest.raises(ValueError, match=r"Filtration: values must not be NaN.*position 1"):
        calydon.Filtration([[0], [1], [0, 1]], [0.0, float("nan"), 1.0])


def test_filtration_duplicate_simplex():
    with pytest.raises(ValueError, match=r"Filtration: simplex 3 is listed twice"):
        calydon.Filtration([[0], [1], [0, 1], [1, 0]], [0.0, 0.0, 1.0, 1.0])
    with pytest.raises(ValueError, match=r"listed twice"):
        calydon.Filtration([[0], [0]], [0.0, 0.0])


def test_filtration_other_malformed_input():
    with pytest.raises(ValueError, match=r"Filtration: values must have one entry per simplex, got 1 for 2"):
        calydon.Filtration([[0], [1]], [0.0])
    with pytest.raises(ValueError, match=r"Filtration: simplex 1 repeats a vertex"):
        calydon.Filtration([[0], [0, 0]], [0.0, 1.0])
    with pytest.raises(ValueError, match=r"Filtration: simplex 0 has no vertices"):
        calydon.Filtration([[]], [0.0])


# ---------------------------------------------------------------------------------------------
# Diff-layer construction errors
# ---------------------------------------------------------------------------------------------


def test_persistence_diagram_bad_arguments():
    fil = diff.cube_filtration(torch.rand(3, 3, dtype=torch.float64))
    with pytest.raises(ValueError, match=r"persistence_diagram: gradient_method must be one of"):
        diff.persistence_diagram(fil, gradient_method="exact")
    with pytest.raises(NotImplementedError, match=r"crit-sets"):
        diff.persistence_diagram(fil, gradient_method="crit-sets")
    with pytest.raises(TypeError, match=r"persistence_diagram: fil must be a DiffFiltration"):
        diff.persistence_diagram(torch.rand(3, 3))


# ---------------------------------------------------------------------------------------------
# import calydon does not import torch
# ---------------------------------------------------------------------------------------------


def test_import_calydon_does_not_import_torch():
    code = ("import sys, numpy as np, calydon\n"
            "calydon.compute_diagrams_ls(np.arange(6.0).reshape(2, 3))\n"
            "calydon.compute_diagrams(calydon.cube_filtration(np.zeros((2, 2)), values_on='cells'))\n"
            "assert 'torch' not in sys.modules, 'torch was imported'\n"
            "import calydon.diff\n"
            "assert 'torch' in sys.modules\n"
            "print('CLEAN')\n")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "CLEAN"
