"""Bad input to the Vietoris-Rips API: every case raises ValueError / TypeError / OverflowError
naming the argument, and the memory pre-flight refuses complexes that cannot fit."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

import calydon
import calydon.diff as diff
from calydon import _core

PTS = np.random.default_rng(0).random((6, 2))
DIST = np.sqrt(((PTS[:, None] - PTS[None]) ** 2).sum(-1))


def entry_points():
    """(name, call(data, **kw)) for the three public builders."""
    return [
        ("vr_filtration", lambda data, **kw: calydon.vr_filtration(data, **kw)),
        ("compute_diagrams_vr", lambda data, **kw: calydon.compute_diagrams_vr(data, **kw)),
        ("diff.vr_filtration", lambda data, **kw: diff.vr_filtration(torch.as_tensor(data), **kw)),
    ]


def with_value(a: np.ndarray, index, value) -> np.ndarray:
    a = a.copy()
    a[index] = value
    return a


BAD_POINTS = [
    (with_value(PTS, (2, 1), np.nan), ValueError, "finite"),
    (with_value(PTS, (0, 0), np.inf), ValueError, "finite"),
    (PTS[:, 0], ValueError, "dimensions"),
    (PTS[None], ValueError, "dimensions"),
    (np.empty((0, 2)), ValueError, "empty"),
]

BAD_MATRICES = [
    (DIST[:, :4], ValueError, "square"),
    (with_value(DIST, (1, 2), DIST[1, 2] + 0.1), ValueError, "symmetric"),
    (with_value(with_value(DIST, (1, 2), -0.5), (2, 1), -0.5), ValueError, ">= 0"),
    (with_value(DIST, (3, 3), 0.2), ValueError, "diagonal"),
    (with_value(with_value(DIST, (0, 4), np.nan), (4, 0), np.nan), ValueError, "finite"),
    (with_value(with_value(DIST, (0, 4), np.inf), (4, 0), np.inf), ValueError, "finite"),
]


@pytest.mark.parametrize("name,call", entry_points())
@pytest.mark.parametrize("data,error,words", BAD_POINTS)
def test_bad_points(name, call, data, error, words):
    with pytest.raises(error, match=words) as info:
        call(data)
    assert "data" in str(info.value)


@pytest.mark.parametrize("name,call", entry_points())
@pytest.mark.parametrize("data,error,words", BAD_MATRICES)
def test_bad_distance_matrices(name, call, data, error, words):
    with pytest.raises(error, match=words):
        call(data, from_pwdists=True)


@pytest.mark.parametrize("name,call", entry_points())
@pytest.mark.parametrize(
    "kwargs,error,words",
    [
        ({"max_dim": -1}, ValueError, "max_dim must be >= 0, got -1"),
        ({"max_dim": 1.5}, TypeError, "max_dim"),
        ({"max_dim": True}, TypeError, "max_dim"),
        ({"max_diameter": -0.1}, ValueError, "max_diameter must be >= 0.*-0.1"),
        ({"max_diameter": math.nan}, ValueError, "max_diameter"),
        ({"max_diameter": "big"}, TypeError, "max_diameter"),
    ],
)
def test_bad_arguments(name, call, kwargs, error, words):
    with pytest.raises(error, match=words):
        call(PTS, **kwargs)


def test_non_tensor_and_non_real_input_to_diff():
    with pytest.raises(TypeError, match="data"):
        diff.vr_filtration(PTS)
    with pytest.raises(TypeError, match="data"):
        diff.vr_filtration(torch.zeros((3, 2), dtype=torch.bool))
    with pytest.raises(TypeError, match="data"):
        calydon.vr_filtration(np.array([["a", "b"]]))


def test_memory_preflight_refuses_huge_complex_quickly():
    # 200,000 points in R^3 with max_dim=3: refused from the size estimate, before any O(n^2) work.
    pts = np.random.default_rng(1).random((200_000, 3))
    for call in (
        lambda: diff.vr_filtration(torch.from_numpy(pts), max_dim=3),
        lambda: calydon.compute_diagrams_vr(pts, max_dim=3),
    ):
        with pytest.raises(ValueError, match="max_dim=3") as info:
            call()
        assert "max_diameter" in str(info.value) and "GiB" in str(info.value)


def test_memory_budget_applies_to_the_explicit_filtration(monkeypatch):
    x = torch.tensor(np.random.default_rng(2).random((60, 2)))
    fil = diff.vr_filtration(x, max_dim=3)
    dgms = diff.persistence_diagram(fil)  # the implicit path needs little memory
    assert len(dgms) == 3
    monkeypatch.setenv("CALYDON_MEMORY_BUDGET", str(200_000))
    with pytest.raises(ValueError, match="max_dim=3.*explicit filtration"):
        fil.values
    with pytest.raises(ValueError, match="max_dim=3"):
        calydon.vr_filtration(x.numpy(), max_dim=3)


def test_index_overflow_is_reported():
    pts = np.random.default_rng(3).random((300, 2))
    with pytest.raises(OverflowError, match="max_dim"):
        _core.rips_persistence_pairs(pts, False, 40, 0.0, True)
    with pytest.raises((OverflowError, ValueError), match="max_dim"):
        calydon.compute_diagrams_vr(pts, max_dim=40, max_diameter=0.0)


def test_persistence_diagram_rejects_unknown_gradient_method():
    fil = diff.vr_filtration(torch.tensor(PTS))
    with pytest.raises(ValueError, match="gradient_method"):
        diff.persistence_diagram(fil, gradient_method="nope")


def test_square_symmetric_zero_diagonal_matrix_warns_without_from_pwdists():
    import warnings

    for name, call in entry_points():
        with pytest.warns(
            UserWarning, match=f"{name}: data is a square, symmetric.*from_pwdists=True"
        ):
            call(DIST)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            call(DIST, from_pwdists=True)
            call(PTS)  # not square
            call(PTS[:2])  # square, not a distance matrix
            call(with_value(DIST, (0, 1), DIST[0, 1] + 1e-9))  # not exactly symmetric
            call(DIST + np.eye(len(DIST)))  # nonzero diagonal
