"""The implicit grid passes give the same diagrams for any thread count.

With two threads the 2-D dual pass (values on vertices, 8 rows or more) is split in two halves by
rows beside H0, and a serial replay settles the merges near the split; in 3-D, H0 runs beside
the dual pass and the star sweep of H1 is split into ranges of the grid, one per thread at a
time; the ranks and star masks are filled in ranges too. Images run from thin ones (8 rows, 2
columns: the split's two-row band is most of the image) to tens of thousands of entries, where
the 3-D sweep is split (a range is at least a few slabs of the grid). Oracles: gudhi's
CubicalComplex, and the one-thread run for the Freudenthal complex (itself checked against gudhi
and the explicit engine in test_grid_implicit.py)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import calydon
from conftest import assert_dgms_equal, gudhi_cubical_dgms
from generators import smooth_field


@st.composite
def images(draw):
    """2-D or 3-D smooth fields or integer plateaus (ties), 16 to 20 000 entries."""
    if draw(st.booleans()):
        small = draw(st.booleans())
        shape = (
            draw(st.integers(8, 24) if small else st.integers(40, 140)),
            draw(st.integers(2, 24) if small else st.integers(40, 140)),
        )
    else:
        shape = tuple(draw(st.integers(12, 27)) for _ in range(3))
    seed = draw(st.integers(0, 2**16))
    if draw(st.booleans()):
        return np.random.default_rng(seed).integers(0, 5, size=shape).astype(np.float64)
    return smooth_field(shape, seed=seed, sigma=draw(st.sampled_from([1.0, 3.0])))


@settings(max_examples=12, deadline=None)
@given(data=images(), negate=st.booleans(), values_on=st.sampled_from(["vertices", "cells"]))
def test_cubical_two_threads_match_gudhi(data, negate, values_on):
    expected = gudhi_cubical_dgms(data, negate, values_on, n_dims=data.ndim)
    dims = range(data.ndim)
    for n_threads in (1, 2, 3):
        dgms = calydon.compute_diagrams_cubical(
            data, negate=negate, values_on=values_on, n_threads=n_threads
        )
        assert_dgms_equal(dgms, expected, dims, msg=f"n_threads={n_threads}")


@settings(max_examples=8, deadline=None)
@given(data=images(), negate=st.booleans())
def test_freudenthal_two_threads_match_one(data, negate):
    one = calydon.compute_diagrams_ls(data, negate=negate)
    for n_threads in (2, 2, 3):  # the meeting point of the passes varies from run to run
        two = calydon.compute_diagrams_ls(data, negate=negate, n_threads=n_threads)
        for d in range(data.ndim):
            np.testing.assert_array_equal(one[d], two[d])
