"""Fuzz (issue 13): every argument of every public function, one at a time, replaced by a hostile
value (None, strings, bools, huge and negative ints, NaN and infinite floats, numpy scalars,
ragged lists, objects, tensors). Each call either succeeds, when the value is a valid one for
that argument, or raises a ValueError / TypeError that names the function and the argument.
``HYPOTHESIS_PROFILE=fuzz`` (``make fuzz``) runs 10,000 examples per case."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import calydon
import calydon.diff as diff
from conftest import result_or_named_error

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

RNG = np.random.default_rng(51)
IMG, PTS, PTS3 = RNG.random((4, 4)), RNG.random((8, 2)), RNG.random((8, 3))
FIL = calydon.freudenthal_filtration(IMG)
DIFF_FIL = diff.freudenthal_filtration(torch.tensor(IMG))
OPT = calydon.TopologyOptimizer(FIL)
DGM = np.array([[0.0, 1.0], [0.5, 2.0]])

HOSTILE = st.one_of(
    st.none(),
    st.booleans(),
    st.text(max_size=3),
    st.integers(-(2**70), 2**70),
    st.integers(-3, 70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([np.bool_(True), np.int64(2), np.int8(-1), np.uint64(2**63), np.float32(0.5)]),
    st.sampled_from([[1, 2], [[1.0, 2.0], [3.0]], [[1, "a"]], (), {"a": 1}, 1j, object()]),
    st.sampled_from([np.array(["a", "b"]), np.ones((2, 2), complex), np.ones((3, 2), bool)]),
    st.sampled_from([torch.tensor(1), torch.ones(3, 2), np.full((3, 2), np.nan)]),
)


def is_int(v) -> bool:
    return isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_))


def is_real(v) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(
        v, (bool, np.bool_)
    )


def array_ok(v, ndims, cols=None) -> bool:
    if isinstance(v, torch.Tensor):  # the numpy builders read tensors too
        v = v.detach().double().numpy() if v.is_floating_point() else v.numpy()
    if isinstance(v, (str, bytes, dict)) or v is None:
        return False
    try:
        a = np.asarray(v)
    except (ValueError, TypeError):
        return False
    if a.dtype.kind not in "iuf" or a.ndim not in ndims or a.size == 0:
        return False
    return bool(np.isfinite(a.astype(float)).all()) and (cols is None or a.shape[1] in cols)


KINDS = {
    "bool": lambda v: isinstance(v, (bool, np.bool_)),
    "opt_bool": lambda v: v is None or isinstance(v, (bool, np.bool_)),
    "max_dim": lambda v: is_int(v) and 0 <= v <= 64,
    "opt_max_dim": lambda v: v is None or (is_int(v) and 0 <= v <= 64),
    "n_threads": lambda v: v is None or (is_int(v) and 1 <= v <= 4096),
    "batch_dims": lambda v: is_int(v) and v in (0, 1),
    "max_diameter": lambda v: v is None or (is_real(v) and not math.isnan(v) and v >= 0),
    "grid": lambda v: array_ok(v, (1, 2, 3, 4)),
    "cloud": lambda v: array_ok(v, (2,)) and len(np.asarray(v)) > 0,
    "delaunay": lambda v: array_ok(v, (2,), cols=(2, 3)) and np.abs(np.asarray(v)).max() <= 1e100,
    "tensor_grid": lambda v: isinstance(v, torch.Tensor) and KINDS["grid"](v),
    "tensor_cloud": lambda v: isinstance(v, torch.Tensor) and KINDS["cloud"](v),
    "tensor_delaunay": lambda v: isinstance(v, torch.Tensor) and KINDS["delaunay"](v),
    # True needs a square distance matrix, which the baseline points are not.
    "pwdists": lambda v: isinstance(v, (bool, np.bool_)) and not v,
    "values_on": lambda v: isinstance(v, str) and v in ("vertices", "cells"),
    "never": lambda v: False,
    "dim": lambda v: is_int(v) and v in (0, 1, 2),
    "positive": lambda v: is_int(v) and v >= 1,
    "finite": lambda v: is_real(v) and math.isfinite(v),
    "step": lambda v: is_real(v) and math.isfinite(v) and v > 0,
    "gradient_method": lambda v: isinstance(v, str) and v in ("dgm-loss", "crit-sets"),
    "strategy": lambda v: isinstance(v, str) and v.lower() in ("max", "avg", "sum", "fca"),
}

# api -> (call, {argument: kind}); each call gets its valid baseline plus one hostile argument.
CASES = {
    "compute_diagrams_ls": (
        lambda **kw: calydon.compute_diagrams_ls(**{"data": IMG, **kw}),
        {
            "data": "grid",
            "negate": "bool",
            "max_dim": "opt_max_dim",
            "include_inf_points": "bool",
            "dualize": "bool",
            "batch_dims": "batch_dims",
        },
    ),
    "compute_diagrams_cubical": (
        lambda **kw: calydon.compute_diagrams_cubical(**{"data": IMG, **kw}),
        {
            "data": "grid",
            "negate": "bool",
            "values_on": "values_on",
            "max_dim": "opt_max_dim",
            "include_inf_points": "bool",
        },
    ),
    "freudenthal_filtration": (
        lambda **kw: calydon.freudenthal_filtration(**{"data": IMG, **kw}),
        {
            "data": "grid",
            "negate": "bool",
            "max_dim": "opt_max_dim",
            "with_critical_vertices": "bool",
            "batch_dims": "batch_dims",
        },
    ),
    "cube_filtration": (
        lambda **kw: calydon.cube_filtration(**{"data": IMG, **kw}),
        {
            "data": "grid",
            "negate": "bool",
            "values_on": "values_on",
            "max_dim": "opt_max_dim",
            "with_critical_indices": "bool",
        },
    ),
    "vr_filtration": (
        lambda **kw: calydon.vr_filtration(**{"data": PTS, **kw}),
        {
            "data": "cloud",
            "from_pwdists": "pwdists",
            "max_dim": "max_dim",
            "max_diameter": "max_diameter",
            "with_critical_edges": "bool",
        },
    ),
    "compute_diagrams_vr": (
        lambda **kw: calydon.compute_diagrams_vr(**{"data": PTS, **kw}),
        {
            "data": "cloud",
            "max_dim": "max_dim",
            "max_diameter": "max_diameter",
            "include_inf_points": "bool",
            "dualize": "bool",
        },
    ),
    "alpha_filtration": (
        lambda **kw: calydon.alpha_filtration(**{"points": PTS3, **kw}),
        {"points": "delaunay", "with_simplices": "bool"},
    ),
    "compute_diagrams_alpha": (
        lambda **kw: calydon.compute_diagrams_alpha(**{"points": PTS, **kw}),
        {"points": "delaunay", "include_inf_points": "bool", "dualize": "bool"},
    ),
    "compute_diagrams": (
        lambda **kw: calydon.compute_diagrams(**{"fil": FIL, **kw}),
        {
            "fil": "never",
            "include_inf_points": "bool",
            "dualize": "bool",
            "fast_paths": "bool",
            "n_threads": "n_threads",
        },
    ),
    "compute_diagrams_batch": (
        lambda **kw: calydon.compute_diagrams_batch(**{"fils": [FIL], **kw}),
        {
            "fils": "never",
            "include_inf_points": "bool",
            "dualize": "bool",
            "n_threads": "n_threads",
        },
    ),
    "Decomposition": (
        lambda **kw: calydon.Decomposition(**{"fil": FIL, **kw}),
        {
            "fil": "never",
            "dualize": "bool",
            "clearing": "bool",
            "compute_v": "bool",
            "n_threads": "n_threads",
        },
    ),
    "Decomposition.diagram": (
        lambda **kw: calydon.Decomposition(FIL).diagram(**{"fil": FIL, **kw}),
        {"fil": "never", "include_inf_points": "bool"},
    ),
    "TopologyOptimizer": (
        lambda **kw: calydon.TopologyOptimizer(**{"fil": FIL, **kw}),
        {"fil": "never", "n_threads": "n_threads"},
    ),
    "get_nth_persistence": (
        lambda **kw: OPT.get_nth_persistence(**{"dim": 0, "n": 1, **kw}),
        {"dim": "dim", "n": "positive"},
    ),
    "simplify": (
        lambda **kw: OPT.simplify(**{"epsilon": 0.1, "strategy": "midway", "dim": 0, **kw}),
        {"epsilon": "finite", "dim": "dim"},
    ),
    "diff.freudenthal_filtration": (
        lambda **kw: diff.freudenthal_filtration(**{"data": torch.tensor(IMG), **kw}),
        {
            "data": "tensor_grid",
            "negate": "bool",
            "max_dim": "opt_max_dim",
            "n_threads": "n_threads",
            "batch_dims": "batch_dims",
        },
    ),
    "diff.cube_filtration": (
        lambda **kw: diff.cube_filtration(**{"data": torch.tensor(IMG), **kw}),
        {"negate": "bool", "values_on": "values_on", "max_dim": "opt_max_dim"},
    ),
    "diff.vr_filtration": (
        lambda **kw: diff.vr_filtration(**{"data": torch.tensor(PTS), **kw}),
        {
            "data": "tensor_cloud",
            "from_pwdists": "pwdists",
            "max_dim": "max_dim",
            "max_diameter": "max_diameter",
            "n_threads": "n_threads",
        },
    ),
    "diff.alpha_filtration": (
        lambda **kw: diff.alpha_filtration(**{"points": torch.tensor(PTS), **kw}),
        {"points": "tensor_delaunay"},
    ),
    "persistence_diagram": (
        lambda **kw: diff.persistence_diagram(**{"fil": DIFF_FIL, **kw}),
        {
            "fil": "never",
            "include_inf_points": "bool",
            "gradient_method": "gradient_method",
            "dualize": "opt_bool",
            "n_threads": "n_threads",
        },
    ),
    "persistence_diagrams": (
        lambda **kw: diff.persistence_diagrams(**{"fils": [DIFF_FIL], **kw}),
        {
            "fils": "never",
            "include_inf_points": "bool",
            "gradient_method": "gradient_method",
            "dualize": "opt_bool",
            "n_threads": "n_threads",
        },
    ),
    "bottleneck_distance": (
        lambda **kw: calydon.bottleneck_distance(**{"a": DGM, "b": DGM * 2, **kw}),
        {"delta": "finite_nonneg"},
    ),
    "Filtration": (
        lambda **kw: calydon.Filtration(
            **{"simplices": [[0], [1], [0, 1]], "values": [0.0, 0.0, 0.0], **kw}
        ),
        {"simplices": "never", "values": "never", "negate": "bool"},
    ),
    "DiffFiltration": (
        lambda **kw: diff.DiffFiltration(
            **{"under_fil": FIL, "values": torch.zeros(len(FIL)), **kw}
        ),
        {"under_fil": "never", "values": "never"},
    ),
    "singleton": (
        lambda **kw: OPT.singleton(**{"index": 3, "value": 0.5, **kw}),
        {"index": "cell", "value": "finite"},
    ),
    "pad_diagrams": (lambda **kw: diff.pad_diagrams(**kw), {"diagrams": "never"}),
}
KINDS["cell"] = lambda v: is_int(v) and 0 <= v < len(FIL)
KINDS["finite_nonneg"] = lambda v: is_real(v) and math.isfinite(v) and v >= 0

ARGUMENTS = [(api, arg) for api, (_, args) in sorted(CASES.items()) for arg in sorted(args)]


@pytest.mark.parametrize("api,arg", ARGUMENTS)
@given(value=HOSTILE)
def test_fuzz_one_hostile_argument(api, arg, value):
    call, kinds = CASES[api]
    valid = KINDS[kinds[arg]](value)
    # A length mismatch between simplices and values may name either.
    names = [arg] + (["simplices", "simplex", "values"] if api == "Filtration" else [])
    result_or_named_error(lambda: call(**{arg: value}), api, names, valid)
