"""Fuzz (issue 13): the Delaunay builders (alpha, weak alpha, Čech–Delaunay; numpy and torch) on
random 2-D and 3-D clouds with duplicates, collinear and cospherical lattice points, scales
1e-100 to 1e100, poisoned values and wrong shapes. Every outcome is gudhi's (alpha, Čech) or
scipy's (weak alpha) answer, or a ValueError / TypeError naming the argument.
``HYPOTHESIS_PROFILE=fuzz`` (``make fuzz``) runs 10,000 examples per test."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import calydon
import calydon.diff as diff
from conftest import result_or_named_error
from delaunay_oracles import gudhi_alpha_values, gudhi_cech_values, gudhi_diagrams
from distance_oracles import brute_bottleneck

if not getattr(calydon._core, "HAVE_CGAL", False):
    pytest.skip("calydon was built without CGAL", allow_module_level=True)

SCALES = [1e-100, 1e-8, 1.0, 1e8, 1e100, 1e101]


@st.composite
def point_clouds(draw):
    """(points, valid): (n, d) clouds, d in 1..4 (only 2 and 3 are valid), often on a small
    lattice (duplicates, collinear and cospherical points), sometimes poisoned."""
    n, d = draw(st.integers(0, 12)), draw(st.sampled_from([2, 2, 3, 3, 1, 4]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    pts = rng.random((n, d))
    if draw(st.booleans()):
        pts = np.round(pts * draw(st.integers(1, 3)))
    scale = draw(st.sampled_from(SCALES))
    pts = pts * scale
    poison = draw(st.sampled_from([None, None, None, np.nan, -np.inf]))
    if poison is not None and pts.size:
        pts.reshape(-1)[draw(st.integers(0, pts.size - 1))] = poison
    valid = pts.size > 0 and d in (2, 3) and bool(np.isfinite(pts).all())
    valid = valid and float(np.abs(pts).max()) <= 1e100
    return pts, valid


def _compare(dgms, points: np.ndarray, rule: str) -> None:
    values = gudhi_alpha_values(points) if rule == "alpha" else gudhi_cech_values(points)
    expected = gudhi_diagrams(values, points.shape[1])
    if len(np.unique(points, axis=0)) == 1:  # gudhi reports nothing for a one-vertex complex
        expected[0] = (np.empty((0, 2)), 1)
    scale = max(float(np.abs(points).max()) ** 2, np.finfo(float).tiny)
    for d, (finite, n_essential) in enumerate(expected):
        got = dgms[d] if d < len(dgms) else np.empty((0, 2))  # compute_diagrams: dims 0..max_dim
        got = np.asarray(got, dtype=np.float64).reshape(-1, 2)
        # Squared radii are rounded floats (gudhi's are exact, then rounded): equal values may
        # differ by a few ulps, which reorders ties and leaves zero-length pairs a few ulps
        # long. So the finite parts are compared by their exact bottleneck distance.
        assert int(np.sum(~np.isfinite(got[:, 1]))) == n_essential, f"dim {d} essential"
        got_finite = got[np.isfinite(got[:, 1])]
        assert brute_bottleneck(got_finite, finite) <= 1e-9 * scale, f"dim {d}"


@given(cloud=point_clouds(), dualize=st.booleans())
def test_fuzz_compute_diagrams_alpha(cloud, dualize):
    pts, valid = cloud
    dgms = result_or_named_error(
        lambda: calydon.compute_diagrams_alpha(pts, dualize=dualize),
        "compute_diagrams_alpha",
        ["points"],
        valid,
    )
    if dgms is not None:
        _compare(dgms, pts, "alpha")


@given(cloud=point_clouds(), rule=st.sampled_from(["alpha", "cech", "weak_alpha"]))
def test_fuzz_delaunay_filtrations(cloud, rule):
    pts, valid = cloud
    name = {"alpha": "alpha", "cech": "cech_delaunay", "weak_alpha": "weak_alpha"}[rule]
    build = getattr(calydon, f"{name}_filtration")
    fil = result_or_named_error(lambda: build(pts), f"{name}_filtration", ["points"], valid)
    if fil is None:
        return
    if rule == "weak_alpha":
        # Every value is a squared edge length of the cloud (0 for vertices).
        sq = ((pts[:, None, :] - pts[None, :, :]) ** 2).sum(-1)
        assert np.isin(fil.values(), np.append(sq.reshape(-1), 0.0)).all()
        return
    _compare(calydon.compute_diagrams(fil), pts, rule)


@given(cloud=point_clouds(), rule=st.sampled_from(["alpha", "cech"]))
def test_fuzz_diff_delaunay_matches_numpy(cloud, rule):
    pts, valid = cloud
    name = {"alpha": "alpha", "cech": "cech_delaunay"}[rule]
    tensor = torch.from_numpy(pts)
    fil = result_or_named_error(
        lambda: getattr(diff, f"{name}_filtration")(tensor),
        f"diff.{name}_filtration",
        ["points"],
        valid,
    )
    if fil is None:
        return
    dgms = diff.persistence_diagram(fil, include_inf_points=True)
    assert all(torch.isfinite(t[:, 0]).all() for t in dgms.values())
    _compare([dgms.get(d, torch.empty(0, 2)) for d in range(pts.shape[1])], pts, rule)


def test_alpha_of_a_rounded_lattice_is_scale_equivariant():
    """A nearly cospherical cloud (a lattice scaled by 0.1: rounded coordinates) has slivers
    whose float64 circumradius loses every digit; they are recomputed exactly (it once showed
    a spurious H2 point)."""
    lattice = np.array(
        [
            [3, 1, 2],
            [2, 2, 3],
            [3, 3, 0],
            [1, 1, 0],
            [0, 2, 3],
            [2, 1, 2],
            [1, 2, 1],
            [2, 3, 3],
            [3, 3, 2],
        ],
        dtype=np.float64,
    )
    _compare(calydon.compute_diagrams_alpha(lattice * 0.1), lattice * 0.1, "alpha")
    dgms = diff.persistence_diagram(
        diff.alpha_filtration(torch.tensor(lattice * 0.1)), include_inf_points=True
    )
    _compare([dgms[d].detach() for d in range(3)], lattice * 0.1, "alpha")


def test_alpha_of_a_flat_triangle_of_denormal_thickness():
    """Its exact circumradius is beyond the largest double: the float64 flat-cell value stands
    (found by the gradient fuzz: an infinite value broke the support table)."""
    pts = np.zeros((8, 3))
    pts[0] = [0.0, 1.0, 1.11253693e-308]
    pts[7] = [0.0, 2.0, 0.0]
    x = torch.tensor(pts, requires_grad=True)
    fil = diff.alpha_filtration(x)
    assert torch.isfinite(fil.values).all()
    dgms = diff.persistence_diagram(fil)
    sum(d.sum() for d in dgms.values()).backward()
    assert torch.isfinite(x.grad).all()
    assert np.isfinite(fil.under_fil.values()).all()
