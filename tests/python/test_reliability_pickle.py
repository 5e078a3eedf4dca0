"""Issue 13: Filtration, Decomposition, every DiffFiltration and both TopologyOptimizers pickle
and deep-copy, and the copy is observably equal (values, order, boundary, diagrams, R and V)."""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest
import torch

import calydon
import calydon.diff as diff
from conftest import sort_dgm

RNG = np.random.default_rng(31)
IMAGE = RNG.random((5, 6))
VOLUME = RNG.random((3, 4, 3))
POINTS2 = RNG.random((14, 2))
POINTS3 = RNG.random((12, 3))

FILTRATIONS = {
    "freudenthal": lambda: calydon.freudenthal_filtration(IMAGE),
    "freudenthal negated 3-D": lambda: calydon.freudenthal_filtration(VOLUME, negate=True),
    "cubical cells": lambda: calydon.cube_filtration(IMAGE, values_on="cells"),
    "vr": lambda: calydon.vr_filtration(POINTS2, max_dim=3),
    "alpha 3-D": lambda: calydon.alpha_filtration(POINTS3),
    "weak alpha": lambda: calydon.weak_alpha_filtration(POINTS2),
    "cech": lambda: calydon.cech_delaunay_filtration(POINTS2),
    "user": lambda: calydon.Filtration([[0], [1], [2], [0, 1], [1, 2], [0, 2]], [0, 1, 2, 3, 4, 5]),
    "empty": lambda: calydon.Filtration([], []),
}


def round_trips(obj):
    """A pickled and reloaded copy (every protocol) and a deep copy."""
    copies = [pickle.loads(pickle.dumps(obj, protocol=p)) for p in (2, pickle.HIGHEST_PROTOCOL)]
    return copies + [copy.deepcopy(obj)]


def assert_same_filtration(a, b):
    assert type(a) is type(b)
    assert (a.kind, a.negate, a.max_dim, len(a), a.prefers_cohomology, a.infinity()) == (
        b.kind,
        b.negate,
        b.max_dim,
        len(b),
        b.prefers_cohomology,
        b.infinity(),
    )
    for method in ("values", "dims", "sorting_permutation", "inv_sorting_permutation"):
        np.testing.assert_array_equal(getattr(a, method)(), getattr(b, method)(), err_msg=method)
    for x, y in zip(a.boundary_matrix(), b.boundary_matrix()):
        np.testing.assert_array_equal(x, y)


def assert_same_diagrams(a, b):
    assert len(a) == len(b)
    for d in range(len(a)):
        np.testing.assert_array_equal(sort_dgm(a[d]), sort_dgm(b[d]), err_msg=f"dim {d}")


@pytest.mark.parametrize("name", sorted(FILTRATIONS))
def test_filtration_round_trip(name):
    fil = FILTRATIONS[name]()
    for other in round_trips(fil):
        assert_same_filtration(other, fil)
        assert_same_diagrams(calydon.compute_diagrams(other), calydon.compute_diagrams(fil))
    assert_same_filtration(copy.copy(fil), fil)


def test_corrupt_filtration_state_is_a_value_error():
    fil = FILTRATIONS["user"]()
    state = list(fil.__getstate__())
    state[9] = state[9][::-1].copy()  # not the sorted order of these cells
    other = calydon.Filtration.__new__(calydon.Filtration)
    with pytest.raises((ValueError, RuntimeError)):
        other.__setstate__(tuple(state))
    with pytest.raises(ValueError, match="unknown pickle state"):
        other.__setstate__((99,))


@pytest.mark.parametrize("name", ["freudenthal", "vr", "cech", "user"])
@pytest.mark.parametrize("dualize", [False, True])
def test_decomposition_round_trip(name, dualize):
    fil = FILTRATIONS[name]()
    dec = calydon.Decomposition(fil, dualize, compute_v=True, clearing=False)
    for other in round_trips(dec):
        assert type(other) is calydon.Decomposition
        assert (other.dualize, other.compute_v) == (True if dualize else False, True)
        assert other.r_data == dec.r_data and other.v_data == dec.v_data
        assert other.d_data == dec.d_data
        assert_same_filtration(other.filtration, fil)
        # The copy accepts the original filtration and its own copy of it.
        assert_same_diagrams(other.diagram(fil), dec.diagram(fil))
        assert_same_diagrams(other.diagram(other.filtration), dec.diagram(fil))


def _diff_filtrations():
    image = torch.tensor(IMAGE, requires_grad=True)
    volume = torch.tensor(VOLUME, requires_grad=True)
    points = torch.tensor(POINTS2, requires_grad=True)
    user = calydon.Filtration([[0], [1], [0, 1]], [0.0, 0.5, 2.0])
    return {
        "grid lazy": diff.freudenthal_filtration(image),
        "grid lazy built": _built(diff.cube_filtration(image * 1.5)),
        "grid 3-D": diff.freudenthal_filtration(volume, negate=True),
        "rips": diff.vr_filtration(points),
        "rips built": _built(diff.vr_filtration(points, max_dim=3)),
        "rips pwdists": diff.vr_filtration(torch.cdist(points, points), from_pwdists=True),
        "alpha": diff.alpha_filtration(points),
        "cech": diff.cech_delaunay_filtration(points),
        "general": diff.DiffFiltration(user, torch.tensor([0.0, 0.5, 2.0], requires_grad=True)),
    }


def _built(fil):
    fil.values  # builds the explicit complex
    return fil


def _sorted_dgms(fil) -> dict:
    out = diff.persistence_diagram(fil, include_inf_points=True)
    return {d: sort_dgm(t) for d, t in out.items()}


@pytest.mark.parametrize("name", sorted(_diff_filtrations()))
def test_diff_filtration_round_trip(name):
    fil = _diff_filtrations()[name]
    expected = _sorted_dgms(fil)
    for other in round_trips(fil):
        assert type(other) is type(fil)
        assert (other.max_dim, other.kind, other.negate) == (fil.max_dim, fil.kind, fil.negate)
        got = _sorted_dgms(other)
        assert sorted(got) == sorted(expected)
        for d in expected:
            np.testing.assert_array_equal(got[d], expected[d], err_msg=f"dim {d}")
        assert_same_filtration(other.under_fil, fil.under_fil)
        np.testing.assert_array_equal(other.values.detach().numpy(), fil.values.detach().numpy())
        assert other.values.dtype == fil.values.dtype
        assert other.values.requires_grad == fil.values.requires_grad


@pytest.mark.parametrize("name", ["freudenthal", "vr", "user"])
def test_topology_optimizer_round_trip(name):
    fil = FILTRATIONS[name]()
    opt = calydon.TopologyOptimizer(fil, n_threads=2)
    dgm = opt.compute_diagram(include_inf_points=True)
    deaths = dgm.index_diagram_in_dimension(0)[:, 1]
    death = int(deaths[deaths >= 0][0]) if (deaths >= 0).any() else None
    for other in round_trips(opt):
        assert type(other) is calydon.TopologyOptimizer
        assert_same_filtration(other.under_fil, fil)
        assert_same_diagrams(other.compute_diagram(include_inf_points=True), dgm)
        if death is not None:
            np.testing.assert_array_equal(other.increase_death(death), opt.increase_death(death))


def test_diff_topology_optimizer_round_trip():
    fil = diff.freudenthal_filtration(torch.tensor(IMAGE, requires_grad=True))
    opt = diff.TopologyOptimizer(fil)
    eps = opt.get_nth_persistence(0, 2)
    indices, values = opt.simplify(eps, calydon.DenoiseStrategy.BirthBirth, 0)
    expected = opt.combine_loss(opt.singletons(indices, values), calydon.ConflictStrategy.Max)
    for other in round_trips(opt):
        assert type(other) is diff.TopologyOptimizer
        np.testing.assert_array_equal(other.values.detach().numpy(), fil.values.detach().numpy())
        got = other.combine_loss(other.singletons(indices, values), calydon.ConflictStrategy.Max)
        assert got == expected
