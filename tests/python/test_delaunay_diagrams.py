"""Delaunay persistence diagrams against gudhi (alpha, Delaunay–Čech) and a scipy-Delaunay weak
alpha complex, on random and hypothesis-generated clouds, degenerate ones included (grids with
many cospherical points, collinear and coplanar points, duplicates, fewer than d + 1 points)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import calydon
from calydon import diff
from delaunay_oracles import (
    finite_diagram_distance,
    gudhi_alpha_values,
    gudhi_cech_values,
    gudhi_diagrams,
    scipy_weak_alpha_values,
)

TOL = 1e-9


def ours_dgms(fil, n_dims: int):
    """(finite, n_essential) per dimension from compute_diagrams."""
    dgms = calydon.compute_diagrams(fil, include_inf_points=True)
    out = []
    for d in range(n_dims):
        a = dgms[d] if d < len(dgms) else np.empty((0, 2))
        out.append((a[np.isfinite(a[:, 1])], int(np.sum(~np.isfinite(a[:, 1])))))
    return out


def assert_diagrams_match(ours, ref, msg=""):
    for d, ((fo, eo), (fr, er)) in enumerate(zip(ours, ref)):
        assert eo == er, f"{msg} dim {d}: {eo} essential points vs {er}"
        dist = finite_diagram_distance(fo, fr)
        assert dist <= TOL * (1 + np.abs(fr).max(initial=0)), f"{msg} dim {d}: bottleneck {dist}"


@pytest.mark.parametrize("d,n", [(2, 150), (3, 80)])
def test_alpha_diagrams_match_gudhi(d, n):
    pts = np.random.default_rng(d).random((n, d))
    dgms = calydon.compute_diagrams_alpha(pts)
    assert len(dgms) == d
    ours = [(a[np.isfinite(a[:, 1])], int(np.sum(~np.isfinite(a[:, 1])))) for a in dgms]
    assert_diagrams_match(ours, gudhi_diagrams(gudhi_alpha_values(pts), d))
    assert len(ours[1][0]) > 0  # the test is not vacuous


@pytest.mark.parametrize("d,n", [(2, 150), (3, 80)])
def test_cech_diagrams_match_gudhi_and_equal_alpha(d, n):
    pts = np.random.default_rng(10 + d).random((n, d))
    cech = ours_dgms(calydon.cech_delaunay_filtration(pts), d)
    assert_diagrams_match(cech, gudhi_diagrams(gudhi_cech_values(pts), d))
    # Bauer & Edelsbrunner: the Čech–Delaunay and alpha filtrations have the same diagrams.
    assert_diagrams_match(cech, ours_dgms(calydon.alpha_filtration(pts), d), "cech vs alpha")


@pytest.mark.parametrize("d,n", [(2, 150), (3, 80)])
def test_weak_alpha_diagrams_match_scipy_delaunay(d, n):
    pts = np.random.default_rng(20 + d).random((n, d))
    ours = ours_dgms(calydon.weak_alpha_filtration(pts), d)
    assert_diagrams_match(ours, gudhi_diagrams(scipy_weak_alpha_values(pts), d))


@pytest.mark.parametrize("rule", ["alpha", "weak_alpha", "cech"])
@pytest.mark.parametrize("d", [2, 3])
def test_diff_diagrams_equal_plain_ones_and_homology_equals_cohomology(rule, d):
    pts = np.random.default_rng(30 + d).random((60, d))
    build = {
        "alpha": diff.alpha_filtration,
        "weak_alpha": diff.weak_alpha_filtration,
        "cech": diff.cech_delaunay_filtration,
    }[rule]
    fil = build(torch.tensor(pts))
    hom = diff.persistence_diagram(fil, include_inf_points=True, dualize=False)
    cohom = diff.persistence_diagram(fil, include_inf_points=True, dualize=True)
    plain = calydon.compute_diagrams(fil.under_fil, include_inf_points=True, fast_paths=False)
    for k in range(d):
        a = np.sort(hom[k].detach().numpy(), axis=0)
        np.testing.assert_allclose(a, np.sort(cohom[k].detach().numpy(), axis=0), rtol=1e-12)
        np.testing.assert_allclose(a, np.sort(plain[k], axis=0), rtol=1e-12)


# Degenerate and hypothesis-generated clouds. Small integer grids give many cospherical,
# collinear and coplanar points and duplicates; alpha diagrams do not depend on how a degenerate
# Delaunay triangulation is chosen, so gudhi remains an exact oracle.


def grid_cloud(d: int):
    return arrays(
        np.float64, st.tuples(st.integers(1, 18), st.just(d)), elements=st.integers(0, 3).map(float)
    )


def general_cloud(d: int):
    # Dyadic coordinates (k / 16): exactly representable, so a degenerate triple is exactly
    # degenerate (CGAL and gudhi see it) and any other triangle is far from flat, where the
    # float64 circumradius formula is accurate.
    return arrays(
        np.float64,
        st.tuples(st.integers(d + 2, 25), st.just(d)),
        elements=st.integers(-200, 200).map(lambda k: k / 16),
        unique=True,
    )


def check_alpha_and_cech_against_gudhi(pts: np.ndarray):
    d = pts.shape[1]
    dgms = calydon.compute_diagrams_alpha(pts)
    alpha = [(a[np.isfinite(a[:, 1])], int(np.sum(~np.isfinite(a[:, 1])))) for a in dgms]
    if len(np.unique(pts, axis=0)) == 1:  # gudhi builds an empty complex for a single point
        assert [len(f) for f, _ in alpha] == [0] * d and [e for _, e in alpha] == [1] + [0] * (
            d - 1
        )
        return
    assert_diagrams_match(alpha, gudhi_diagrams(gudhi_alpha_values(pts), d), "alpha")
    cech = ours_dgms(calydon.cech_delaunay_filtration(pts), d)
    assert_diagrams_match(cech, gudhi_diagrams(gudhi_cech_values(pts), d), "cech")
    # H0 dies along a Euclidean minimum spanning tree, whose edges are Gabriel: alpha gives them
    # |pq|^2 / 4 and weak alpha |pq|^2, whatever the triangulation chosen for degenerate clouds.
    weak = ours_dgms(calydon.weak_alpha_filtration(pts), d)
    assert weak[0][1] == 1
    np.testing.assert_allclose(
        np.sort(weak[0][0][:, 1]), 4 * np.sort(alpha[0][0][:, 1]), rtol=1e-12
    )


@given(grid_cloud(2))
def test_degenerate_2d_grid_clouds(pts):
    check_alpha_and_cech_against_gudhi(pts)


@given(grid_cloud(3))
def test_degenerate_3d_grid_clouds(pts):
    check_alpha_and_cech_against_gudhi(pts)


@given(general_cloud(2))
def test_general_2d_clouds(pts):
    check_alpha_and_cech_against_gudhi(pts)


@given(general_cloud(3))
def test_general_3d_clouds(pts):
    check_alpha_and_cech_against_gudhi(pts)


@given(st.integers(0, 2**32 - 1), st.integers(5, 40), st.sampled_from([2, 3]))
def test_weak_alpha_on_random_clouds_matches_scipy_delaunay(seed, n, d):
    # Continuous random clouds are in general position, where the Delaunay triangulation (and
    # so the weak alpha complex) is unique and scipy's Qhull finds the same one.
    pts = np.random.default_rng(seed).random((n, d))
    weak = ours_dgms(calydon.weak_alpha_filtration(pts), d)
    assert_diagrams_match(weak, gudhi_diagrams(scipy_weak_alpha_values(pts), d), "weak alpha")


def test_collinear_coplanar_and_tiny_clouds():
    line2 = np.array([[0.0, 0.0], [1.0, 1.0], [3.0, 3.0], [2.5, 2.5]])
    plane3 = np.array([[0.0, 0, 0], [1, 0, 0], [0, 1, 0], [1, 1, 0], [0.4, 0.3, 0]])
    line3 = np.array([[0.0, 0, 0], [1, 2, 3], [2, 4, 6]])
    for pts in (line2, plane3, line3, np.array([[1.0, 2.0]]), np.array([[1.0, 2, 3], [2, 2, 2]])):
        check_alpha_and_cech_against_gudhi(pts)
    dgms = calydon.compute_diagrams_alpha(line2)
    np.testing.assert_allclose(np.sort(dgms[0][:-1, 1]), [0.125, 0.5, 1.125])  # (gap / 2)^2
    assert len(dgms[1]) == 0


def test_duplicates_leave_the_diagrams_of_the_deduplicated_cloud():
    rng = np.random.default_rng(3)
    base = rng.random((30, 2))
    with_dups = np.concatenate([base, base[[0, 5, 5, 17]]])
    for build in (
        calydon.alpha_filtration,
        calydon.weak_alpha_filtration,
        calydon.cech_delaunay_filtration,
    ):
        a, b = ours_dgms(build(base), 2), ours_dgms(build(with_dups), 2)
        assert_diagrams_match(b, a, build.__name__)
    fil, simplices = calydon.alpha_filtration(with_dups, with_simplices=True)
    dup_edges = [
        tuple(e) for e in simplices[1] if tuple(e) in {(0, 30), (5, 31), (5, 32), (17, 33)}
    ]
    assert len(dup_edges) == 4
