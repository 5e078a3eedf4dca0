"""Issue 13: lazy filtrations build their complex only when a documented attribute asks for it.
``hasattr``, ``copy.copy``, ``copy.deepcopy`` and ``pickle`` used to reach ``under_fil`` through
``__getattr__`` (a memory error on a big Rips filtration, endless recursion on a copy)."""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest
import torch

import calydon
import calydon.diff as diff
from calydon import _grid, _rips


@pytest.fixture
def no_build(monkeypatch):
    """Makes building an explicit complex fail loudly, so a test can check nothing builds it."""

    def refuse(*args, **kwargs):
        raise AssertionError("the explicit complex was built")

    monkeypatch.setattr(_rips, "build_explicit", refuse)
    monkeypatch.setattr(_grid, "build", refuse)


def _lazy_filtrations():
    rng = np.random.default_rng(21)
    image = torch.tensor(rng.random((6, 7)), requires_grad=True)
    points = torch.tensor(rng.random((3000, 2)), requires_grad=True)
    return {
        "freudenthal": diff.freudenthal_filtration(image),
        "cubical": diff.cube_filtration(image * 2, values_on="cells"),
        "rips": diff.vr_filtration(points),
        "signal": diff.freudenthal_filtration(torch.tensor(rng.random(9))),
        "small rips": diff.vr_filtration(points[:60] * 3),
    }


@pytest.mark.parametrize("name", ["freudenthal", "cubical", "rips", "signal"])
def test_probing_unknown_names_builds_nothing(no_build, name):
    fil = _lazy_filtrations()[name]
    assert not hasattr(fil, "x")
    assert not hasattr(fil, "__setstate__extra")
    assert getattr(fil, "_private_thing", None) is None
    with pytest.raises(AttributeError, match="no attribute 'x'"):
        fil.x
    # Known without the complex:
    assert fil.max_dim >= 1 and fil.kind in ("freudenthal", "cubical", "vr")
    assert fil.infinity() == np.inf


@pytest.mark.parametrize("name", ["freudenthal", "cubical", "rips", "signal"])
def test_copy_deepcopy_and_pickle_of_a_lazy_filtration_build_nothing(no_build, name):
    fil = _lazy_filtrations()[name]
    shallow = copy.copy(fil)
    deep = copy.deepcopy(fil)
    loaded = pickle.loads(pickle.dumps(fil))
    for other in (shallow, deep, loaded):
        assert type(other) is type(fil)
        assert other.max_dim == fil.max_dim and other.kind == fil.kind
    assert shallow._data is fil._data  # a shallow copy shares the input and its graph


@pytest.mark.parametrize("name", ["freudenthal", "cubical", "small rips", "signal"])
def test_copies_of_a_lazy_filtration_give_the_same_diagrams_and_gradients(name):
    fil = _lazy_filtrations()[name]
    original = diff.persistence_diagram(fil)
    for other in (copy.copy(fil), copy.deepcopy(fil), pickle.loads(pickle.dumps(fil))):
        dgms = diff.persistence_diagram(other)
        assert sorted(dgms) == sorted(original)
        for d in original:
            np.testing.assert_array_equal(
                np.sort(dgms[d].detach().numpy(), 0), np.sort(original[d].detach().numpy(), 0)
            )
    deep = copy.deepcopy(fil)
    if deep._data.requires_grad:
        assert deep._data.is_leaf  # a new leaf: gradients reach the copy's own input
        loss = sum(d.sum() for d in diff.persistence_diagram(deep).values() if len(d))
        loss.backward()
        assert deep._data.grad is not None


def test_documented_attributes_still_build_the_complex():
    image = torch.tensor(np.random.default_rng(22).random((4, 4)))
    fil = diff.freudenthal_filtration(image)
    expected = calydon.freudenthal_filtration(image.numpy())
    assert fil.size() == len(expected)  # forwarded from under_fil
    np.testing.assert_array_equal(fil.dims(), expected.dims())
    np.testing.assert_array_equal(fil.values.numpy(), expected.values())
