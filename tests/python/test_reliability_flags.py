"""Issue 13: no silent acceptance. Bool flags must be bools (``negate="False"`` used to compute
the superlevel filtration), numpy integers work wherever an int does, ragged lists and
unconvertible arguments are errors naming the argument."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import calydon
import calydon.diff as diff

IMAGE = np.random.default_rng(11).random((5, 5))
VOLUME = np.random.default_rng(12).random((3, 3, 3))
POINTS = np.random.default_rng(13).random((12, 2))
T_IMAGE = torch.tensor(IMAGE)
T_POINTS = torch.tensor(POINTS)
FIL = calydon.freudenthal_filtration(VOLUME)

# (api, flag) -> call with the flag set to the given value.
FLAG_CALLS = {
    ("freudenthal_filtration", "negate"): lambda v: calydon.freudenthal_filtration(IMAGE, negate=v),
    ("freudenthal_filtration", "with_critical_vertices"): lambda v: calydon.freudenthal_filtration(
        IMAGE, with_critical_vertices=v
    ),
    ("cube_filtration", "negate"): lambda v: calydon.cube_filtration(IMAGE, negate=v),
    ("cube_filtration", "with_critical_indices"): lambda v: calydon.cube_filtration(
        IMAGE, with_critical_indices=v
    ),
    ("compute_diagrams_ls", "negate"): lambda v: calydon.compute_diagrams_ls(IMAGE, negate=v),
    ("compute_diagrams_ls", "include_inf_points"): lambda v: calydon.compute_diagrams_ls(
        IMAGE, include_inf_points=v
    ),
    ("compute_diagrams_ls", "dualize"): lambda v: calydon.compute_diagrams_ls(IMAGE, dualize=v),
    ("compute_diagrams_cubical", "negate"): lambda v: calydon.compute_diagrams_cubical(
        IMAGE, negate=v
    ),
    ("compute_diagrams_cubical", "include_inf_points"): lambda v: calydon.compute_diagrams_cubical(
        IMAGE, include_inf_points=v
    ),
    ("vr_filtration", "from_pwdists"): lambda v: calydon.vr_filtration(POINTS, from_pwdists=v),
    ("vr_filtration", "with_critical_edges"): lambda v: calydon.vr_filtration(
        POINTS, with_critical_edges=v
    ),
    ("compute_diagrams_vr", "include_inf_points"): lambda v: calydon.compute_diagrams_vr(
        POINTS, include_inf_points=v
    ),
    ("compute_diagrams_vr", "dualize"): lambda v: calydon.compute_diagrams_vr(POINTS, dualize=v),
    ("alpha_filtration", "with_simplices"): lambda v: calydon.alpha_filtration(
        POINTS, with_simplices=v
    ),
    ("compute_diagrams_alpha", "include_inf_points"): lambda v: calydon.compute_diagrams_alpha(
        POINTS, include_inf_points=v
    ),
    ("compute_diagrams_alpha", "dualize"): lambda v: calydon.compute_diagrams_alpha(
        POINTS, dualize=v
    ),
    ("compute_diagrams", "include_inf_points"): lambda v: calydon.compute_diagrams(
        FIL, include_inf_points=v
    ),
    ("compute_diagrams", "dualize"): lambda v: calydon.compute_diagrams(FIL, dualize=v),
    ("compute_diagrams", "fast_paths"): lambda v: calydon.compute_diagrams(FIL, fast_paths=v),
    ("compute_diagrams_batch", "include_inf_points"): lambda v: calydon.compute_diagrams_batch(
        [FIL], include_inf_points=v
    ),
    ("compute_diagrams_batch", "dualize"): lambda v: calydon.compute_diagrams_batch(
        [FIL], dualize=v
    ),
    ("Decomposition", "dualize"): lambda v: calydon.Decomposition(FIL, v),
    ("Decomposition", "clearing"): lambda v: calydon.Decomposition(FIL, clearing=v),
    ("Decomposition", "compute_v"): lambda v: calydon.Decomposition(FIL, compute_v=v),
    ("reduce", "compute_v"): lambda v: calydon.reduce(FIL, compute_v=v),
    ("Decomposition.diagram", "include_inf_points"): lambda v: calydon.Decomposition(FIL).diagram(
        FIL, include_inf_points=v
    ),
    ("Filtration", "negate"): lambda v: calydon.Filtration([[0], [1], [0, 1]], [0.0, 0.0, 0.0], v),
    ("compute_diagram", "include_inf_points"): lambda v: calydon.TopologyOptimizer(
        FIL
    ).compute_diagram(v),
    ("diff.freudenthal_filtration", "negate"): lambda v: diff.freudenthal_filtration(
        T_IMAGE, negate=v
    ),
    ("diff.cube_filtration", "negate"): lambda v: diff.cube_filtration(T_IMAGE, negate=v),
    ("diff.vr_filtration", "from_pwdists"): lambda v: diff.vr_filtration(T_POINTS, from_pwdists=v),
    ("persistence_diagram", "include_inf_points"): lambda v: diff.persistence_diagram(
        diff.freudenthal_filtration(T_IMAGE), include_inf_points=v
    ),
    ("persistence_diagram", "dualize"): lambda v: diff.persistence_diagram(
        diff.freudenthal_filtration(T_IMAGE), dualize=v
    ),
    ("persistence_diagrams", "include_inf_points"): lambda v: diff.persistence_diagrams(
        [diff.freudenthal_filtration(T_IMAGE)], include_inf_points=v
    ),
    ("persistence_diagrams", "dualize"): lambda v: diff.persistence_diagrams(
        [diff.freudenthal_filtration(T_IMAGE)], dualize=v
    ),
}


@pytest.mark.parametrize("api,flag", sorted(FLAG_CALLS))
@pytest.mark.parametrize("bad", ["False", "True", 0, 1, 1.0, [], np.int64(0)])
def test_non_bool_flag_is_a_type_error_naming_it(api, flag, bad):
    with pytest.raises(TypeError, match=rf"{api}: {flag} must be a bool, got"):
        FLAG_CALLS[(api, flag)](bad)


@pytest.mark.parametrize("api,flag", sorted(FLAG_CALLS))
def test_numpy_bool_flag_is_accepted(api, flag):
    if flag == "from_pwdists":  # True needs a distance matrix; False is what is checked here
        FLAG_CALLS[(api, flag)](np.bool_(False))
        return
    for value in (np.bool_(True), np.bool_(False)):
        FLAG_CALLS[(api, flag)](value)


def test_negate_string_no_longer_computes_the_superlevel_filtration():
    # The defect: bool("False") is True. The sublevel H0 of an image has its essential point
    # born at the global minimum, which gives the oracle.
    dgms = calydon.compute_diagrams_ls(IMAGE, negate=False)
    assert dgms[0][np.isinf(dgms[0][:, 1]), 0].tolist() == [IMAGE.min()]
    with pytest.raises(TypeError, match="negate"):
        calydon.compute_diagrams_ls(IMAGE, negate="False")


@pytest.mark.parametrize(
    "call",
    [
        lambda n: calydon.compute_diagrams(FIL, n_threads=n),
        lambda n: calydon.compute_diagrams_batch([FIL], n_threads=n),
        lambda n: calydon.Decomposition(FIL, n_threads=n),
        lambda n: diff.persistence_diagram(diff.freudenthal_filtration(T_IMAGE), n_threads=n),
    ],
)
def test_n_threads_numpy_ints_work_and_huge_counts_are_value_errors(call):
    call(np.int32(2))
    call(np.uint8(1))
    for huge in (10**12, 2**63, 10**30):
        with pytest.raises(ValueError, match="n_threads"):
            call(huge)
    with pytest.raises(TypeError, match="n_threads"):
        call(np.bool_(True))


def test_batch_dims_numpy_int_and_bool():
    stacked = np.stack([IMAGE, IMAGE])
    out = calydon.compute_diagrams_ls(stacked, batch_dims=np.int64(1))
    assert len(out) == 2
    with pytest.raises(TypeError, match="batch_dims"):
        calydon.compute_diagrams_ls(stacked, batch_dims=np.bool_(True))
    with pytest.raises(ValueError, match="batch_dims"):
        calydon.compute_diagrams_ls(stacked, batch_dims=10**12)


RAGGED = [[0.0, 1.0], [2.0]]


@pytest.mark.parametrize(
    "api,call",
    [
        ("compute_diagrams_ls", lambda x: calydon.compute_diagrams_ls(x)),
        ("cube_filtration", lambda x: calydon.cube_filtration(x)),
        ("vr_filtration", lambda x: calydon.vr_filtration(x)),
        ("compute_diagrams_vr", lambda x: calydon.compute_diagrams_vr(x)),
        ("alpha_filtration", lambda x: calydon.alpha_filtration(x)),
        ("compute_diagrams_alpha", lambda x: calydon.compute_diagrams_alpha(x)),
    ],
)
def test_ragged_list_is_a_value_error_naming_the_argument(api, call):
    with pytest.raises(ValueError, match=rf"{api}: (data|points) must be a rectangular array"):
        call(RAGGED)


@pytest.mark.parametrize(
    "simplices,values,negate,error,match",
    [
        ([[0], [1, "a"]], [0.0, 1.0], False, TypeError, r"simplices\[1\] must hold int"),
        ([[0], 1], [0.0, 1.0], False, TypeError, r"simplices\[1\] must be a list"),
        ([[0], [1.5]], [0.0, 1.0], False, TypeError, r"simplices\[1\] must hold int"),
        ([[0], [True]], [0.0, 1.0], False, TypeError, r"simplices\[1\] must hold int"),
        ("ab", [0.0, 1.0], False, TypeError, r"simplices must be a list"),
        ([[0], [1]], [0.0, "x"], False, TypeError, r"values must be a 1-D sequence"),
        ([[0], [1]], [[0.0], [1.0]], False, TypeError, r"values must be a 1-D sequence"),
        ([[0], [1]], None, False, TypeError, r"values must be a 1-D sequence"),
        ([[0], [1]], [0.0, 1.0], "no", TypeError, r"negate must be a bool"),
        ([[0], [2**70]], [0.0, 1.0], False, ValueError, r"simplices\[1\] holds a vertex id"),
    ],
)
def test_filtration_constructor_names_the_bad_argument(simplices, values, negate, error, match):
    with pytest.raises(error, match=rf"Filtration: {match}"):
        calydon.Filtration(simplices, values, negate)


def test_filtration_constructor_accepts_numpy_inputs():
    fil = calydon.Filtration(np.array([[0], [1]]), np.array([0.5, 0.25]), np.bool_(True))
    assert fil.negate and sorted(fil.values().tolist()) == [0.25, 0.5]


def test_diff_filtration_refuses_nan_values():
    fil = calydon.Filtration([[0], [1], [0, 1]], [0.0, 0.0, 1.0])
    values = torch.tensor([0.0, float("nan"), 1.0])
    with pytest.raises(ValueError, match="DiffFiltration: values must not be NaN"):
        diff.DiffFiltration(fil, values)
    with pytest.raises(TypeError, match="DiffFiltration: under_fil must be a calydon.Filtration"):
        diff.DiffFiltration("fil", torch.zeros(3))
    with pytest.raises(TypeError, match="DiffFiltration: values must have a real"):
        diff.DiffFiltration(fil, torch.zeros(3, dtype=torch.bool))


def test_decomposition_refuses_another_filtration_of_the_same_size():
    a = calydon.freudenthal_filtration(IMAGE)
    b = calydon.freudenthal_filtration(IMAGE[::-1].copy())  # same size, other values
    assert len(a) == len(b)
    dec = calydon.Decomposition(a)
    for call in (dec.diagram, dec.index_pairs):
        with pytest.raises(ValueError, match="must be the filtration that was decomposed"):
            call(b)
    # A different complex with the same values and size: negated order.
    with pytest.raises(ValueError, match="must be the filtration that was decomposed"):
        dec.diagram(calydon.freudenthal_filtration(IMAGE, negate=True))
    with pytest.raises(TypeError, match="fil must be a calydon.Filtration"):
        dec.diagram("a")
    # The filtration itself and an equal rebuild are accepted, with the right diagram.
    expected = calydon.compute_diagrams(a)
    for same in (a, calydon.freudenthal_filtration(IMAGE)):
        got = dec.diagram(same)
        for d in range(len(expected)):
            np.testing.assert_array_equal(np.sort(got[d], 0), np.sort(expected[d], 0))


@pytest.mark.parametrize(
    "call,name",
    [
        (lambda: calydon.compute_diagrams([1, 2]), "fil"),
        (lambda: calydon.Decomposition(np.zeros(3)), "fil"),
        (lambda: calydon.reduce(None), "fil"),
    ],
)
def test_wrong_filtration_type_is_a_type_error(call, name):
    with pytest.raises(TypeError, match=rf"{name} must be a calydon.Filtration"):
        call()


def test_simplify_epsilon_must_be_a_real_number():
    opt = calydon.TopologyOptimizer(FIL)
    for bad in ("0.5", None, True):
        with pytest.raises(TypeError, match="simplify: epsilon must be a real number"):
            opt.simplify(bad, "birth-birth", 0)
    with pytest.raises(ValueError, match="epsilon must be finite"):
        opt.simplify(float("nan"), "birth-birth", 0)
    assert len(opt.simplify(np.float32(0.5), "birth-birth", 0)) >= 0
