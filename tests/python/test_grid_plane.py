"""Images and signals (1-D and 2-D grids), whose H0 and top-dimension passes read per-mask star
lists: diagrams against gudhi, and critical indices and sorted ids against calydon's explicit
filtration reduced by the general engine (a different code path), on larger grids than the
all-dimension tests, with plateaus, axes of length 1, negation, both value placements and tori.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import calydon
import calydon.diff as diff
from conftest import assert_dgms_equal, gudhi_cubical_dgms

# Shapes with a leading axis of length 1 are single grids here, not batches.
pytestmark = pytest.mark.filterwarnings("ignore:.*is read as one.*grid:UserWarning")


@st.composite
def images(draw, min_len=1, max_len=24):
    ndim = draw(st.integers(1, 2))
    shape = tuple(draw(st.integers(min_len, max_len)) for _ in range(ndim))
    if draw(st.booleans()):
        elements = st.integers(-2, 2).map(float)  # plateaus and ties
    else:
        elements = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False, width=64)
    return draw(hnp.arrays(np.float64, shape, elements=elements))


@settings(max_examples=80, deadline=None)
@given(
    data=images(),
    negate=st.booleans(),
    values_on=st.sampled_from(["vertices", "cells"]),
    wrap=st.booleans(),
)
def test_image_diagrams_equal_gudhi(data, negate, values_on, wrap):
    if wrap and min(data.shape) < 2:
        return
    dgms = calydon.compute_diagrams_cubical(
        data, negate=negate, values_on=values_on, max_dim=data.ndim, wrap=wrap
    )
    expected = gudhi_cubical_dgms(data, negate, values_on, wrap)
    got = [dgms[d] if d < len(dgms) else np.empty((0, 2)) for d in range(data.ndim + 1)]
    assert_dgms_equal(got, expected, range(data.ndim + 1))


def lazy_filtration(data, kind, negate, wrap):
    t = torch.tensor(data)
    if kind == "freudenthal":
        return diff.freudenthal_filtration(t, negate=negate, wrap=wrap)
    return diff.cube_filtration(t, negate=negate, values_on=kind, wrap=wrap)


def index_rows(dgm, d):
    return sorted(map(tuple, dgm.index_diagram_in_dimension(d).tolist()))


@settings(max_examples=60, deadline=None)
@given(
    data=images(max_len=16),
    kind=st.sampled_from(["freudenthal", "vertices", "cells"]),
    negate=st.booleans(),
    wrap=st.booleans(),
)
def test_image_pairs_equal_the_explicit_engine(data, kind, negate, wrap):
    """Sorted ids (from the implicit path's cell codes) and critical values per dimension."""
    if wrap and min(data.shape) < (3 if kind == "freudenthal" else 2):
        return
    lazy = lazy_filtration(data, kind, negate, wrap)
    implicit = diff.persistence_diagram(lazy, include_inf_points=True)
    explicit = diff.persistence_diagram(
        diff.DiffFiltration(lazy.under_fil, lazy.values), include_inf_points=True
    )
    for d in range(lazy.max_dim):
        assert index_rows(implicit, d) == index_rows(explicit, d), d
        np.testing.assert_array_equal(
            np.sort(implicit[d].detach().numpy(), axis=0),
            np.sort(explicit[d].detach().numpy(), axis=0),
        )


@settings(max_examples=30, deadline=None)
@given(
    data=images(min_len=2, max_len=40),
    kind=st.sampled_from(["freudenthal", "vertices", "cells"]),
    negate=st.booleans(),
)
def test_dual_pass_beside_h0_gives_the_same_pairs(data, kind, negate):
    """Two threads run the 2-D dual pass beside H0 (it skips the edges H0 has passed)."""
    lazy = lazy_filtration(data, kind, negate, False)
    one = diff.persistence_diagram(lazy, include_inf_points=True, n_threads=1)
    two = diff.persistence_diagram(lazy, include_inf_points=True, n_threads=2)
    for d in range(lazy.max_dim):
        assert index_rows(one, d) == index_rows(two, d), d


def test_smooth_image_critical_indices_point_at_the_diagram_values():
    """A 96 x 80 smooth field (prefetching and long streams), both value placements."""
    rng = np.random.default_rng(5)
    x = np.cumsum(np.cumsum(rng.standard_normal((96, 80)), axis=0), axis=1)
    for values_on in ("vertices", "cells"):
        dgms = calydon.compute_diagrams_cubical(x, values_on=values_on)
        expected = gudhi_cubical_dgms(x, False, values_on)
        assert_dgms_equal(dgms, expected, range(2))
        for d in range(2):
            idx = dgms.index_diagram_in_dimension(d)
            finite = idx[:, 1] >= 0
            np.testing.assert_array_equal(x.reshape(-1)[idx[:, 0]], dgms[d][:, 0])
            np.testing.assert_array_equal(x.reshape(-1)[idx[finite, 1]], dgms[d][finite, 1])
