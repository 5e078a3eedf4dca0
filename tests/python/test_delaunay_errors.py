"""Bad input to the Delaunay builders: a clear ValueError / TypeError naming the problem, or an
ImportError with the install hint when calydon was built without CGAL; never a crash."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import calydon
from calydon import _core, diff

PLAIN = [
    calydon.alpha_filtration,
    calydon.weak_alpha_filtration,
    calydon.cech_delaunay_filtration,
    calydon.compute_diagrams_alpha,
]
DIFF = [diff.alpha_filtration, diff.weak_alpha_filtration, diff.cech_delaunay_filtration]


@pytest.mark.parametrize("build", PLAIN + DIFF)
@pytest.mark.parametrize(
    "bad,match",
    [
        (np.array([[0.0, 0.0], [np.nan, 1.0], [1.0, 0.0]]), "finite"),
        (np.array([[0.0, 0.0], [np.inf, 1.0], [1.0, 0.0]]), "finite"),
        (np.zeros((5, 4)), "2 or 3 coordinates"),
        (np.zeros((5, 1)), "2 or 3 coordinates"),
        (np.zeros(6), "dimensions"),
        (np.zeros((2, 3, 2)), "dimensions"),
        (np.zeros((0, 2)), "empty"),
        (np.array([[0.0, 0.0], [1e200, 1.0]]), "rescale"),
    ],
)
def test_bad_points_raise_value_error(build, bad, match):
    arg = torch.from_numpy(bad) if build in DIFF else bad
    with pytest.raises(ValueError, match=match):
        build(arg)


@pytest.mark.parametrize("build", PLAIN)
def test_non_numeric_points_raise_type_error(build):
    with pytest.raises(TypeError, match="dtype"):
        build(np.array([[1 + 1j, 0], [0, 1]]))


@pytest.mark.parametrize("build", DIFF)
def test_diff_builders_need_a_tensor(build):
    with pytest.raises(TypeError, match="torch.Tensor"):
        build(np.random.default_rng(0).random((5, 2)))
    with pytest.raises(TypeError, match="dtype"):
        build(torch.zeros((5, 2), dtype=torch.bool))


@pytest.mark.parametrize("build", PLAIN + DIFF)
def test_missing_cgal_raises_import_error_with_hint(build, monkeypatch):
    monkeypatch.setattr(_core, "HAVE_CGAL", False)
    pts = np.random.default_rng(0).random((5, 2))
    with pytest.raises(ImportError, match="apt-get install libcgal-dev"):
        build(torch.from_numpy(pts) if build in DIFF else pts)


def test_fewer_points_than_dimension_plus_one_work():
    dgms = calydon.compute_diagrams_alpha(np.array([[0.0, 0, 0], [2, 0, 0], [0, 2, 0]]))
    assert len(dgms) == 3
    np.testing.assert_allclose(np.sort(dgms[0][:, 1]), [1.0, 1.0, np.inf])
    assert len(dgms[1]) == 0 and len(dgms[2]) == 0
    single = calydon.compute_diagrams_alpha(np.array([[1.0, 2.0]]))
    assert single[0].tolist() == [[0.0, np.inf]]


def test_the_core_rejects_unknown_rules():
    with pytest.raises(ValueError, match="rule"):
        _core.delaunay_filtration(np.zeros((3, 2)), "beta")
