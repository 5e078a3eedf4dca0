"""Delaunay filtrations built on several threads (the 3-D triangulation as slabs merged through
their border, the faces, values and sort on the shared pool) are the very filtrations of one thread:
same cells in the same order, same values, boundaries, supports, diagrams and gradients, also for
degenerate clouds (cospherical lattices, duplicates, coplanar and collinear points). The clouds
have over 2000 distinct points, the size from which the triangulation uses threads; gudhi is the
independent oracle of the values and diagrams."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import calydon
import calydon.diff as diff
from calydon import _core
from delaunay_oracles import (
    finite_diagram_distance,
    gudhi_alpha_values,
    gudhi_diagrams,
    ours_by_simplex,
)
from generators import random_cloud

BUILDERS = {
    "alpha": (calydon.alpha_filtration, diff.alpha_filtration),
    "weak_alpha": (calydon.weak_alpha_filtration, diff.weak_alpha_filtration),
    "cech": (calydon.cech_delaunay_filtration, diff.cech_delaunay_filtration),
}
MORE_THREADS = (2, 3)


def _assert_same_filtration(a, b) -> None:
    (fil_a, simplices_a), (fil_b, simplices_b) = a, b
    assert fil_a.size() == fil_b.size()
    np.testing.assert_array_equal(fil_a.values(), fil_b.values())
    for block_a, block_b in zip(simplices_a, simplices_b, strict=True):
        np.testing.assert_array_equal(block_a, block_b)
    offsets_a, entries_a = fil_a.boundary_matrix()
    offsets_b, entries_b = fil_b.boundary_matrix()
    np.testing.assert_array_equal(offsets_a, offsets_b)
    np.testing.assert_array_equal(entries_a, entries_b)


def _diff_run(build, points: np.ndarray, n_threads: int):
    x = torch.tensor(points, requires_grad=True)
    fil = build(x, n_threads=n_threads)
    dgms = diff.persistence_diagram(fil, n_threads=n_threads)
    loss = sum(((d[:, 1] - d[:, 0]) ** 2).sum() for d in dgms.values())
    loss.backward()
    return fil.values.detach(), {k: v.detach() for k, v in dgms.items()}, x.grad


def _assert_threads_change_nothing(points: np.ndarray, rule: str) -> None:
    build, diff_build = BUILDERS[rule]
    base = build(points, with_simplices=True)
    base_values, base_dgms, base_grad = _diff_run(diff_build, points, 1)
    for nt in MORE_THREADS:
        _assert_same_filtration(build(points, with_simplices=True, n_threads=nt), base)
        values, dgms, grad = _diff_run(diff_build, points, nt)
        assert torch.equal(values, base_values)
        assert dgms.keys() == base_dgms.keys()
        for k in dgms:
            assert torch.equal(dgms[k], base_dgms[k])
        assert torch.equal(grad, base_grad)


def test_the_extension_says_the_triangulation_has_threads():
    assert _core.HAVE_PARALLEL_DELAUNAY is True  # the slab triangulation needs nothing but CGAL


@settings(max_examples=3, deadline=None)
@given(n=st.integers(2100, 4000), seed=st.integers(0, 2**16), rule=st.sampled_from(list(BUILDERS)))
def test_random_clouds_give_the_same_filtration_on_any_thread_count(n, seed, rule):
    _assert_threads_change_nothing(random_cloud(n, 3, seed), rule)


def test_the_alpha_values_on_two_threads_are_gudhis():
    points = random_cloud(2500, 3, seed=5)
    fil, simplices = calydon.alpha_filtration(points, with_simplices=True, n_threads=2)
    ours = ours_by_simplex(fil, simplices)
    expected = gudhi_alpha_values(points)
    assert ours.keys() == expected.keys()
    for simplex, value in expected.items():
        assert ours[simplex] == pytest.approx(value, rel=1e-12, abs=1e-300)


def _lattice(side: int) -> np.ndarray:
    axis = np.arange(side, dtype=float)
    return np.stack(np.meshgrid(axis, axis, axis, indexing="ij"), axis=-1).reshape(-1, 3)


def _with_duplicates(points: np.ndarray, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    extra = points[rng.integers(0, len(points), size=len(points) // 5)]
    return rng.permutation(np.concatenate([points, extra]))


DEGENERATE = {
    # 2197 points, every unit cube's 8 corners cospherical: the triangulation rests on CGAL's
    # symbolic perturbation, not on the insertion order.
    "cubic lattice": lambda: _lattice(13),
    "cubic lattice with duplicates": lambda: _with_duplicates(_lattice(13), 3),
    "random cloud with duplicates": lambda: _with_duplicates(random_cloud(2500, 3, 4), 4),
    "coplanar": lambda: np.column_stack([random_cloud(2500, 2, 6), np.zeros(2500)]),
    "collinear": lambda: np.outer(np.random.default_rng(7).random(2500), [1.0, 2.0, 3.0]),
}


@pytest.mark.parametrize("case", list(DEGENERATE))
@pytest.mark.parametrize("rule", ["alpha", "cech"])
def test_degenerate_clouds_give_the_same_filtration_on_any_thread_count(case, rule):
    _assert_threads_change_nothing(DEGENERATE[case](), rule)


def test_diagrams_with_duplicates_on_two_threads_are_gudhis():
    # Not the lattice: gudhi's exact alpha complex of it takes some 20 s. Degenerate grids are
    # checked against gudhi on one thread in test_delaunay_diagrams.py, and the lattice's
    # filtration on several threads equals its one-thread filtration above.
    points = DEGENERATE["random cloud with duplicates"]()
    dgms = calydon.compute_diagrams_alpha(points, n_threads=2)
    distinct = np.unique(points, axis=0)
    oracle = gudhi_diagrams(gudhi_alpha_values(distinct), 3)
    for k, (finite, n_essential) in enumerate(oracle):
        ours = dgms.in_dimension(k)
        ours = ours[ours[:, 0] != ours[:, 1]]
        assert finite_diagram_distance(ours[np.isfinite(ours[:, 1])], finite) < 1e-9
        assert int(np.sum(~np.isfinite(ours[:, 1]))) == n_essential
