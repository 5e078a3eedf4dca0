"""The implicit grid complex: diagrams without a filtration object, periodic boundaries, and the
agreement of its critical indices and gradients with the explicit filtration.

Oracles: gudhi's CubicalComplex and PeriodicCubicalComplex, a gudhi SimplexTree of a torus
Freudenthal triangulation enumerated here, and calydon's explicit filtration reduced by the
general engine (a different code path)."""

from __future__ import annotations

import itertools

import gudhi
import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import calydon
import calydon.diff as diff
import reference
from conftest import assert_dgms_equal, gudhi_cubical_dgms, gudhi_to_dgms

# Shapes with a leading axis of length 1 are single grids here, not batches.
pytestmark = pytest.mark.filterwarnings("ignore:.*is read as one.*grid:UserWarning")


@st.composite
def grids(draw, max_axes=4, max_cells=80, min_len=1, max_len=7):
    ndim = draw(st.integers(1, max_axes))
    shape, total = [], 1
    for _ in range(ndim):
        n = draw(st.integers(min_len, max(min_len, min(max_len, max_cells // total))))
        shape.append(n)
        total *= n
    if draw(st.booleans()):
        elements = st.integers(-3, 3).map(float)  # plateaus and ties
    else:
        elements = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False, width=64)
    return draw(hnp.arrays(np.float64, tuple(shape), elements=elements))


def padded(dgms, n):
    return [dgms[d] if d < len(dgms) else np.empty((0, 2)) for d in range(n)]


def torus_freudenthal(data, negate):
    """gudhi diagrams of the lower-star Freudenthal triangulation of the torus, enumerated here:
    {x, x + S1, ..., x + Sk} (mod shape) for every grid point x and strict chain S1 < ... < Sk."""
    shape, ndim = data.shape, data.ndim
    arr = (-data if negate else data).reshape(-1)
    tree = gudhi.SimplexTree()
    for k in range(ndim + 1):
        for x in itertools.product(*[range(s) for s in shape]):
            for chain in reference._chains(ndim, k):
                verts = [x] + [
                    tuple((x[i] + ((s >> i) & 1)) % shape[i] for i in range(ndim)) for s in chain
                ]
                flat = [int(np.ravel_multi_index(v, shape)) for v in verts]
                tree.insert(flat, filtration=max(arr[f] for f in flat))
    pers = tree.persistence(homology_coeff_field=2, min_persistence=-1, persistence_dim_max=True)
    return gudhi_to_dgms(pers, ndim + 1, negate=negate)


@settings(max_examples=60, deadline=None)
@given(data=grids(), negate=st.booleans(), values_on=st.sampled_from(["vertices", "cells"]))
def test_implicit_cubical_vs_gudhi(data, negate, values_on):
    dgms = calydon.compute_diagrams_cubical(
        data, negate=negate, values_on=values_on, max_dim=data.ndim
    )
    expected = gudhi_cubical_dgms(data, negate, values_on)
    assert_dgms_equal(padded(dgms, data.ndim + 1), expected, range(data.ndim + 1))


@settings(max_examples=60, deadline=None)
@given(
    data=grids(max_axes=3, max_cells=120, min_len=2, max_len=6),
    negate=st.booleans(),
    values_on=st.sampled_from(["vertices", "cells"]),
)
def test_periodic_cubical_vs_gudhi(data, negate, values_on):
    dgms = calydon.compute_diagrams_cubical(
        data, negate=negate, values_on=values_on, max_dim=data.ndim, wrap=True
    )
    expected = gudhi_cubical_dgms(data, negate, values_on, wrap=True)
    assert_dgms_equal(padded(dgms, data.ndim + 1), expected, range(data.ndim + 1))


@settings(max_examples=30, deadline=None)
@given(data=grids(max_axes=3, max_cells=80, min_len=3, max_len=5), negate=st.booleans())
def test_periodic_freudenthal_vs_simplex_tree(data, negate):
    dgms = calydon.compute_diagrams_ls(data, negate=negate, max_dim=data.ndim, wrap=True)
    expected = torus_freudenthal(data, negate)
    assert_dgms_equal(padded(dgms, data.ndim + 1), expected, range(data.ndim + 1))


def test_torus_has_the_betti_numbers_of_a_torus():
    """A constant-free field on a 3-torus: the essential classes are 1, 3, 3, 1."""
    data = np.random.default_rng(3).standard_normal((5, 6, 7))
    for dgms in (
        calydon.compute_diagrams_cubical(data, max_dim=3, wrap=True),
        calydon.compute_diagrams_ls(data, max_dim=3, wrap=True),
    ):
        assert [int(np.isinf(dgms[d][:, 1]).sum()) for d in range(4)] == [1, 3, 3, 1]


@settings(max_examples=40, deadline=None)
@given(
    data=grids(max_axes=4, max_cells=60),
    kind=st.sampled_from(["freudenthal", "vertices", "cells"]),
    negate=st.booleans(),
    wrap=st.booleans(),
)
def test_implicit_equals_explicit_index_pairs(data, kind, negate, wrap):
    """Critical data indices and sorted ids of the implicit path equal the general engine's on
    the explicit filtration, ties included."""
    if wrap and min(data.shape) < (3 if kind == "freudenthal" else 2):
        return
    t = torch.tensor(data)
    if kind == "freudenthal":
        lazy = diff.freudenthal_filtration(t, negate=negate, wrap=wrap)
    else:
        lazy = diff.cube_filtration(t, negate=negate, values_on=kind, wrap=wrap)
    implicit = diff.persistence_diagram(lazy, include_inf_points=True)
    explicit_fil = diff.DiffFiltration(lazy.under_fil, lazy.values)
    explicit = diff.persistence_diagram(explicit_fil, include_inf_points=True)
    for d in range(lazy.max_dim):
        got = sorted(map(tuple, implicit.index_diagram_in_dimension(d).tolist()))
        want = sorted(map(tuple, explicit.index_diagram_in_dimension(d).tolist()))
        assert got == want, d
        np.testing.assert_array_equal(
            np.sort(implicit[d].detach().numpy(), axis=0),
            np.sort(explicit[d].detach().numpy(), axis=0),
        )


@pytest.mark.parametrize("kind", ["freudenthal", "vertices", "cells"])
@pytest.mark.parametrize("wrap", [False, True])
def test_volume_gradients_pass_finite_differences(kind, wrap):
    """Distinct values: the diagram is piecewise linear in the data, gradcheck applies."""
    rng = np.random.default_rng(11)
    data = torch.tensor(rng.permutation(4 * 5 * 4).reshape(4, 5, 4) * 0.1, requires_grad=True)

    def loss(x):
        fil = (
            diff.freudenthal_filtration(x, wrap=wrap)
            if kind == "freudenthal"
            else diff.cube_filtration(x, values_on=kind, wrap=wrap)
        )
        dgms = diff.persistence_diagram(fil)
        return sum((dgms[d][:, 1] - dgms[d][:, 0]).pow(2).sum() for d in range(3))

    assert torch.autograd.gradcheck(loss, (data,), eps=1e-6, atol=1e-6)


def test_wrap_errors_name_the_function_and_argument():
    with pytest.raises(TypeError, match=r"compute_diagrams_cubical: wrap must be a bool"):
        calydon.compute_diagrams_cubical(np.zeros((4, 4)), wrap="True")
    with pytest.raises(ValueError, match=r"compute_diagrams_ls.*wrap=True needs every axis"):
        calydon.compute_diagrams_ls(np.zeros((4, 2)), wrap=True)
    with pytest.raises(ValueError, match=r"cube_filtration.*wrap=True needs every axis"):
        calydon.cube_filtration(np.zeros((4, 1)), wrap=True)


def test_memory_preflight_refuses_before_copying(monkeypatch):
    """The refusal names the public function and comes before the float64 copy of the input
    (np.zeros pages are untouched, so a copy would be the first large allocation)."""
    import resource

    monkeypatch.setenv("CALYDON_MEMORY_BUDGET", str(10**8))
    data = np.zeros((300, 300, 300), np.float32)
    tensor = torch.zeros((300, 300, 300))  # written by torch: resident before the baseline
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(
        ValueError, match=r"compute_diagrams_cubical: .* grid of shape \(300, 300, 300\)"
    ):
        calydon.compute_diagrams_cubical(data)
    with pytest.raises(
        ValueError, match=r"diff\.freudenthal_filtration: .*shape \(300, 300, 300\)"
    ):
        diff.freudenthal_filtration(tensor)
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kib < 50_000  # a float64 copy would be 211 MB


@pytest.mark.parametrize("shape", [(40, 50), (12, 10, 11), (5, 4, 6, 5)])
def test_threads_give_the_same_diagrams(shape):
    data = np.random.default_rng(5).integers(0, 6, size=shape).astype(float)
    for fn in (calydon.compute_diagrams_ls, calydon.compute_diagrams_cubical):
        one, two = fn(data), fn(data, n_threads=2)
        for d in range(len(shape)):
            np.testing.assert_array_equal(one[d], two[d])
