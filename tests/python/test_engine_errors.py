"""Engine-level errors: malformed ``calydon.Filtration`` input, diff-layer arguments, import
hygiene, and error attribution (every message starts with the name of the function the user
called, never with an internal helper's name)."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest
import torch

import calydon
import calydon.diff as diff
import reference
from conftest import assert_dgms_equal

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
    with pytest.raises(
        ValueError, match=r"Filtration: values must have one entry per simplex, got 1 for 2"
    ):
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
    with pytest.raises(ValueError, match=r"persistence_diagram: conflict_strategy must be"):
        diff.persistence_diagram(fil, gradient_method="crit-sets", conflict_strategy="median")
    with pytest.raises(
        ValueError, match=r"persistence_diagram: step_size must be a positive finite"
    ):
        diff.persistence_diagram(fil, gradient_method="crit-sets", step_size=0.0)
    with pytest.raises(TypeError, match=r"persistence_diagram: fil must be a DiffFiltration"):
        diff.persistence_diagram(torch.rand(3, 3))


# ---------------------------------------------------------------------------------------------
# import calydon does not import torch
# ---------------------------------------------------------------------------------------------


def test_import_calydon_does_not_import_torch():
    code = (
        "import sys, numpy as np, calydon\n"
        "calydon.compute_diagrams_ls(np.arange(6.0).reshape(2, 3))\n"
        "calydon.compute_diagrams(calydon.cube_filtration(np.zeros((2, 2)), values_on='cells'))\n"
        "assert 'torch' not in sys.modules, 'torch was imported'\n"
        "import calydon.diff\n"
        "assert 'torch' in sys.modules\n"
        "print('CLEAN')\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "CLEAN"


# ---------------------------------------------------------------------------------------------
# Error attribution: the message names the function that was called
# ---------------------------------------------------------------------------------------------

PTS = np.random.default_rng(4).random((7, 2))
DIST = np.sqrt(((PTS[:, None] - PTS[None]) ** 2).sum(-1))


def with_value(a: np.ndarray, index, value) -> np.ndarray:
    a = a.copy()
    a[index] = value
    return a


def diff_vr(data, **kw):
    """Builds the diff filtration and its diagrams (so that a lazy check cannot escape)."""
    fil = diff.vr_filtration(torch.as_tensor(data), **kw)
    return diff.persistence_diagram(fil)


VR_APIS = [
    ("vr_filtration", lambda d, **kw: calydon.vr_filtration(d, **kw)),
    ("compute_diagrams_vr", lambda d, **kw: calydon.compute_diagrams_vr(d, **kw)),
    ("compute_diagrams_vr", lambda d, **kw: calydon.compute_diagrams_vr(d, dualize=False, **kw)),
    ("diff.vr_filtration", diff_vr),
]
VR_IDS = [
    "vr_filtration",
    "compute_diagrams_vr",
    "compute_diagrams_vr_explicit",
    "diff.vr_filtration",
]

BAD_MATRICES = [
    (with_value(DIST, (1, 2), DIST[1, 2] * 1.1), "symmetric"),  # one entry off by 10%
    (with_value(DIST, (5, 0), DIST[5, 0] * 0.9), "symmetric"),  # in the other triangle
    (DIST[:, :5], "square"),
    (with_value(with_value(DIST, (1, 3), -0.5), (3, 1), -0.5), ">= 0"),
    (with_value(DIST, (2, 2), 0.3), "diagonal"),
]


@pytest.mark.parametrize("api,call", VR_APIS, ids=VR_IDS)
@pytest.mark.parametrize(
    "matrix,words", BAD_MATRICES, ids=["asym_upper", "asym_lower", "square", "negative", "diagonal"]
)
def test_vr_matrix_errors_name_the_called_function(api, call, matrix, words):
    with pytest.raises(ValueError, match=words) as info:
        call(matrix, from_pwdists=True)
    msg = str(info.value)
    assert msg.startswith(f"{api}:"), f"message should start with {api!r}: {msg!r}"
    if words == "symmetric":
        assert "data" in msg, f"message should name the argument 'data': {msg!r}"


@pytest.mark.parametrize("api,call", VR_APIS, ids=VR_IDS)
def test_vr_argument_errors_name_the_called_function(api, call):
    for kwargs, error in [
        ({"max_dim": -1}, ValueError),
        ({"max_diameter": -1.0}, ValueError),
        ({"max_dim": 1.5}, TypeError),
    ]:
        with pytest.raises(error) as info:
            call(PTS, **kwargs)
        assert str(info.value).startswith(f"{api}:"), (kwargs, str(info.value))
    with pytest.raises(ValueError) as info:
        call(with_value(PTS, (3, 1), np.nan))
    assert str(info.value).startswith(f"{api}:") and "data" in str(info.value)


def _grid(shape):
    return np.random.default_rng(1).random(shape)


def _diff_grid(builder):
    def call(data, **kw):
        fil = builder(torch.as_tensor(data), **kw)
        return diff.persistence_diagram(fil)

    return call


GRID_APIS = [
    ("compute_diagrams_ls", calydon.compute_diagrams_ls),
    ("compute_diagrams_cubical", calydon.compute_diagrams_cubical),
    ("freudenthal_filtration", calydon.freudenthal_filtration),
    ("cube_filtration", calydon.cube_filtration),
    ("diff.freudenthal_filtration", _diff_grid(diff.freudenthal_filtration)),
    ("diff.cube_filtration", _diff_grid(diff.cube_filtration)),
]
GRID_IDS = [name for name, _ in GRID_APIS]


@pytest.mark.parametrize("shape", [(400,), (60, 70), (12, 10, 9)], ids=["1d", "2d", "3d"])
@pytest.mark.parametrize("api,call", GRID_APIS, ids=GRID_IDS)
def test_grid_memory_refusal_names_the_called_function(api, call, shape, monkeypatch):
    """With a budget of 1000 bytes every grid builder refuses, and says who refused.

    1-D and 2-D ``compute_diagrams_*`` take the union-find-only path; its refusal used to be
    reported as coming from the internal ``grid_pairs``.
    """
    monkeypatch.setenv("CALYDON_MEMORY_BUDGET", "1000")
    with pytest.raises(ValueError) as info:
        call(_grid(shape))
    msg = str(info.value)
    assert msg.startswith(f"{api}:"), f"message should start with {api!r}: {msg!r}"
    assert "grid_pairs" not in msg


def test_memory_refusal_compute_diagrams_ls_subprocess():
    """The budget is read from the environment of a fresh process too (nothing cached at import)."""
    code = (
        "import numpy as np, calydon\n"
        "try:\n"
        "    calydon.compute_diagrams_ls(np.random.default_rng(0).random((300, 300)))\n"
        "except ValueError as e:\n"
        "    print('REFUSED', str(e))\n"
        "else:\n"
        "    print('ACCEPTED')\n"
    )
    env = dict(os.environ, CALYDON_MEMORY_BUDGET="1000")
    res = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env
    )
    assert res.returncode == 0, res.stderr
    out = res.stdout.strip()
    assert out.startswith("REFUSED compute_diagrams_ls:"), out


@pytest.mark.parametrize(
    "api,call",
    [
        ("vr_filtration", lambda: calydon.vr_filtration(PTS, max_dim=3)),
        ("compute_diagrams_vr", lambda: calydon.compute_diagrams_vr(PTS, max_dim=3)),
        ("diff.vr_filtration", lambda: diff_vr(PTS, max_dim=3)),
    ],
    ids=["vr_filtration", "compute_diagrams_vr", "diff.vr_filtration"],
)
def test_vr_memory_refusal_names_the_called_function(api, call, monkeypatch):
    monkeypatch.setenv("CALYDON_MEMORY_BUDGET", "1000")
    with pytest.raises(ValueError) as info:
        call()
    assert str(info.value).startswith(f"{api}:"), str(info.value)


def test_a_generous_budget_changes_nothing(monkeypatch):
    monkeypatch.setenv("CALYDON_MEMORY_BUDGET", str(1 << 30))
    data = np.random.default_rng(6).integers(0, 4, size=(5, 6)).astype(np.float64)
    expected = reference.freudenthal_diagrams(data)
    assert_dgms_equal(calydon.compute_diagrams_ls(data), expected, range(2))
    assert_dgms_equal(
        calydon.compute_diagrams(calydon.freudenthal_filtration(data)), expected, range(3)
    )
    assert len(calydon.compute_diagrams_vr(PTS)) == 2
