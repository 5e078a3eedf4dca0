"""Vietoris-Rips diagrams: implicit cohomology and explicit filtration against a naive reference
(clique enumeration + plain reduction written here), gudhi and ripser, and against each other."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import calydon
import calydon.diff as diff
from calydon import _core
from conftest import assert_dgm_equal, drop_zero_length, finite_rows, gudhi_to_dgms, seed_of
from generators import random_cloud as cloud
from reference import simplicial_diagrams


def distance_matrix(x: np.ndarray) -> np.ndarray:
    """Euclidean lengths summed coordinate by coordinate (the order calydon documents)."""
    diff_ = x[:, None, :] - x[None, :, :]
    sq = np.zeros(diff_.shape[:2])
    for k in range(x.shape[1]):
        sq = sq + diff_[:, :, k] * diff_[:, :, k]
    return np.sqrt(sq)


def naive_rips_diagrams(dist: np.ndarray, max_dim: int, threshold: float) -> dict[int, np.ndarray]:
    """Every clique up to max_dim with diameter <= threshold, reduced by the reference algorithm."""
    n = len(dist)
    simplices, values = [], []
    for k in range(max_dim + 1):
        for s in itertools.combinations(range(n), k + 1):
            diam = max((dist[a, b] for a, b in itertools.combinations(s, 2)), default=0.0)
            if diam <= threshold:
                simplices.append(s)
                values.append(diam)
    return simplicial_diagrams(simplices, values, n_dims=max(max_dim, 1), include_inf=True)


def enclosing_radius(dist: np.ndarray) -> float:
    return float(dist.max(axis=1).min())


CASES = [
    (n, d, max_dim, lattice)
    for n, d, max_dim, lattice in [
        (12, 2, 2, 0),
        (11, 3, 3, 0),
        (10, 2, 3, 3),
        (13, 3, 2, 4),
        (9, 4, 4, 0),
        (12, 1, 2, 5),
    ]
]


@pytest.mark.parametrize("n,d,max_dim,lattice", CASES)
@pytest.mark.parametrize("threshold_kind", ["enclosing", "small", "inf"])
@pytest.mark.parametrize("from_pwdists", [False, True])
def test_against_naive_reference(n, d, max_dim, lattice, threshold_kind, from_pwdists):
    x = cloud(n, d, seed_of(n, d, max_dim, lattice), lattice)
    dist = distance_matrix(x)
    radius = enclosing_radius(dist)
    max_diameter = {"enclosing": None, "small": 0.6 * radius, "inf": math.inf}[threshold_kind]
    threshold = radius if max_diameter is None else max_diameter
    expected = naive_rips_diagrams(dist, max_dim, threshold)
    data = dist if from_pwdists else x
    for dualize in (True, False):
        dgms = calydon.compute_diagrams_vr(
            data,
            from_pwdists=from_pwdists,
            max_dim=max_dim,
            max_diameter=max_diameter,
            dualize=dualize,
        )
        assert len(dgms) == max(max_dim, 1)
        for k in range(len(dgms)):
            assert_dgm_equal(dgms[k], expected[k], msg=f"dualize={dualize}")
    fil = diff.vr_filtration(
        torch.tensor(data), from_pwdists=from_pwdists, max_dim=max_dim, max_diameter=max_diameter
    )
    tensors = diff.persistence_diagram(fil, include_inf_points=True)
    for k in range(max(max_dim, 1)):
        assert_dgm_equal(tensors[k], expected[k], msg="diff fast path")


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("with_threshold", [False, True])
@pytest.mark.parametrize("from_pwdists", [False, True])
def test_against_gudhi(seed, with_threshold, from_pwdists):
    gudhi = pytest.importorskip("gudhi")
    x = cloud(25, 3, seed_of("gudhi", seed))
    dist = distance_matrix(x)
    threshold = 0.7 * enclosing_radius(dist) if with_threshold else enclosing_radius(dist)
    source = {"distance_matrix": dist} if from_pwdists else {"points": x}
    st_ = gudhi.RipsComplex(**source, max_edge_length=threshold).create_simplex_tree(
        max_dimension=3
    )
    expected = gudhi_to_dgms(st_.persistence(), 3)
    dgms = calydon.compute_diagrams_vr(
        dist if from_pwdists else x,
        from_pwdists=from_pwdists,
        max_dim=3,
        max_diameter=threshold if with_threshold else None,
    )
    for k in range(3):
        assert_dgm_equal(drop_zero_length(dgms[k]), expected[k], atol=1e-12, msg=f"gudhi dim {k}")


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("with_threshold", [False, True])
@pytest.mark.parametrize("from_pwdists", [False, True])
def test_against_ripser(seed, with_threshold, from_pwdists):
    ripser = pytest.importorskip("ripser")
    x = cloud(40, 2, seed_of("ripser", seed))
    dist = distance_matrix(x)
    threshold = 0.5 * enclosing_radius(dist) if with_threshold else math.inf
    ours = calydon.compute_diagrams_vr(
        dist if from_pwdists else x,
        from_pwdists=from_pwdists,
        max_dim=3,
        max_diameter=threshold if with_threshold else None,
    )
    theirs = ripser.ripser(
        dist if from_pwdists else x, maxdim=2, thresh=threshold, distance_matrix=from_pwdists
    )["dgms"]
    for k in range(3):
        # ripser computes in float32.
        assert_dgm_equal(ours[k], theirs[k], atol=1e-6, rtol=1e-6, msg=f"ripser dim {k}")


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("lattice", [0, 3])
def test_explicit_and_fast_path_agree(seed, lattice):
    x = torch.tensor(cloud(30, 3, seed_of("paths", seed, lattice), lattice))
    fil = diff.vr_filtration(x, max_dim=3)
    fast = diff.persistence_diagram(fil, include_inf_points=True)
    assert fil._explicit is None, "the fast path must not build the explicit filtration"
    homology = diff.persistence_diagram(fil, include_inf_points=True, dualize=False)
    general = diff.persistence_diagram(
        diff.DiffFiltration(fil.under_fil, fil.values), include_inf_points=True, dualize=True
    )
    for k in range(3):
        assert torch.equal(
            torch.sort(fast[k].flatten()).values, torch.sort(homology[k].flatten()).values
        )
        assert torch.equal(
            torch.sort(fast[k].flatten()).values, torch.sort(general[k].flatten()).values
        )
        # Each reported critical edge has exactly the value of its simplex in the explicit filtration.
        idx = fast.index_diagram_in_dimension(k)
        finite = idx[:, 1] >= 0
        assert torch.equal(fil.values[idx[:, 0]], fast[k][:, 0])
        assert torch.equal(fil.values[idx[finite, 1]], fast[k][finite, 1])
        assert (fil.under_fil.dims()[idx[:, 0].numpy()] == k).all()
        assert (fil.under_fil.dims()[idx[finite, 1].numpy()] == k + 1).all()


@pytest.mark.parametrize("from_pwdists", [False, True])
def test_dense_and_sparse_storage_agree_and_edges_have_the_diameter(from_pwdists):
    x = cloud(35, 2, 7)
    dist = distance_matrix(x)
    data = dist if from_pwdists else x
    for threshold in (0.3, 0.5 * enclosing_radius(dist)):
        dense = _core.rips_persistence_pairs(data, from_pwdists, 3, threshold, False)
        sparse = _core.rips_persistence_pairs(data, from_pwdists, 3, threshold, True)
        edges, diameters, (finite, essential), (finite_s, essential_s) = dense
        s_edges, s_diameters, (s_finite, s_essential), (s_finite_s, s_essential_s) = sparse
        assert np.array_equal(edges, s_edges) and np.array_equal(diameters, s_diameters)
        for ours, theirs in (
            (finite, s_finite),
            (essential, s_essential),
            (finite_s, s_finite_s),
            (essential_s, s_essential_s),
        ):
            assert len(ours) == len(theirs) == 3  # homology dimensions 0..max_dim-1
            assert all(np.array_equal(a, b) for a, b in zip(ours, theirs))
        # Every table row is a critical edge whose length is the row's diameter, and every pair
        # dies after (or when) it is born.
        assert np.array_equal(dist[edges[:, 0], edges[:, 1]], diameters)
        for pairs in finite:
            assert (diameters[pairs[:, 0]] <= diameters[pairs[:, 1]]).all()


def test_filtration_values_and_critical_edges():
    x = cloud(9, 2, 3)
    dist = distance_matrix(x)
    fil, edges = calydon.vr_filtration(
        x, max_dim=3, max_diameter=math.inf, with_critical_edges=True
    )
    assert fil.kind == "vr"
    assert [fil.size_in_dimension(k) for k in range(4)] == [math.comb(9, k + 1) for k in range(4)]
    assert np.array_equal(fil.values(), dist[edges[:, 0], edges[:, 1]])
    assert (edges[:, 0] <= edges[:, 1]).all()
    dfil = diff.vr_filtration(torch.tensor(x), max_dim=3, max_diameter=math.inf)
    assert torch.equal(dfil.values, torch.from_numpy(fil.values()))  # bit for bit
    assert np.array_equal(dfil.critical_edges.numpy(), edges)
    assert len(dfil) == len(fil) and dfil.max_dim == 3 and dfil.kind == "vr"
    assert dfil.size() == len(fil)  # delegated to the explicit filtration


@pytest.mark.parametrize(
    "points",
    [
        np.zeros((1, 2)),
        np.array([[0.0, 0.0], [1.0, 0.0]]),
        np.zeros((6, 3)),
        np.array([[0.0, 0.0], [0.0, 0.0], [1.0, 0.0], [1.0, 0.0], [0.0, 1.0]]),
    ],
)
@pytest.mark.parametrize("max_dim", [0, 1, 2, 3])
def test_degenerate_clouds(points, max_dim):
    dist = distance_matrix(points)
    expected = naive_rips_diagrams(dist, max_dim, enclosing_radius(dist))
    dgms = calydon.compute_diagrams_vr(points, max_dim=max_dim)
    fil = diff.vr_filtration(torch.tensor(points, requires_grad=True), max_dim=max_dim)
    tensors = diff.persistence_diagram(fil, include_inf_points=True)
    for k in range(max(max_dim, 1)):
        assert_dgm_equal(dgms[k], expected[k])
        assert_dgm_equal(tensors[k], expected[k])
    assert len(fil.values) == len(fil.under_fil)


@st.composite
def small_clouds(draw):
    n = draw(st.integers(1, 8))
    d = draw(st.integers(1, 3))
    coords = draw(
        st.lists(st.integers(0, 3), min_size=n * d, max_size=n * d)
    )  # lattice: ties, duplicates
    return np.array(coords, dtype=np.float64).reshape(n, d) / 2


@given(small_clouds(), st.integers(1, 3), st.sampled_from([None, 0.8, math.inf]), st.booleans())
def test_hypothesis_small_clouds(x, max_dim, max_diameter, from_pwdists):
    dist = distance_matrix(x)
    threshold = enclosing_radius(dist) if max_diameter is None else max_diameter
    expected = naive_rips_diagrams(dist, max_dim, threshold)
    data = dist if from_pwdists else x
    fil = diff.vr_filtration(
        torch.tensor(data), from_pwdists=from_pwdists, max_dim=max_dim, max_diameter=max_diameter
    )
    fast = diff.persistence_diagram(fil, include_inf_points=True)
    for k in range(max(max_dim, 1)):
        assert_dgm_equal(fast[k], expected[k])
        assert_dgm_equal(finite_rows(fast[k]), finite_rows(expected[k]))
    explicit = calydon.compute_diagrams_vr(
        data, from_pwdists=from_pwdists, max_dim=max_dim, max_diameter=max_diameter, dualize=False
    )
    for k in range(max(max_dim, 1)):
        assert_dgm_equal(explicit[k], expected[k])
