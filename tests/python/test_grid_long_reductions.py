"""Grids whose middle dimensions need long reductions: white noise and coarse integer plateaus.

On smooth fields almost every column of the implicit cohomology pass pairs inside its star; on
white noise tens of thousands of columns need a reduction, many of them adding stored reduced
columns of dozens of entries (the merge path of the working column). Oracles: gudhi's
CubicalComplex and PeriodicCubicalComplex, and calydon's explicit filtration reduced by the
general engine (a different code path)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import calydon
import calydon.diff as diff
from conftest import assert_dgms_equal, gudhi_cubical_dgms


def noise(shape, seed, plateaus=False):
    rng = np.random.default_rng(seed)
    if plateaus:
        return rng.integers(0, 5, size=shape).astype(float)
    return rng.standard_normal(shape)


@pytest.mark.parametrize("values_on", ["vertices", "cells"])
@pytest.mark.parametrize(
    ("shape", "wrap", "plateaus"),
    [
        ((24, 24, 24), False, False),
        ((9, 8, 7, 6), False, False),
        ((14, 13, 12), True, False),
        ((20, 20, 20), False, True),
    ],
)
def test_white_noise_volumes_match_gudhi(shape, wrap, plateaus, values_on):
    data = noise(shape, seed=sum(shape), plateaus=plateaus)
    got = calydon.compute_diagrams_cubical(data, values_on=values_on, max_dim=data.ndim, wrap=wrap)
    expected = gudhi_cubical_dgms(data, values_on=values_on, wrap=wrap)
    padded = [got[d] if d < len(got) else np.empty((0, 2)) for d in range(data.ndim + 1)]
    assert_dgms_equal(padded, expected, range(data.ndim + 1))
    # The test is only worth its time if H1 has many pairs of positive persistence.
    assert len(expected[1]) > 200


@pytest.mark.parametrize("shape", [(16, 15, 14), (7, 6, 6, 5)])
def test_white_noise_freudenthal_matches_the_explicit_engine(shape):
    data = noise(shape, seed=7)
    lazy = diff.freudenthal_filtration(torch.tensor(data))
    implicit = diff.persistence_diagram(lazy, include_inf_points=True)
    explicit = diff.persistence_diagram(
        diff.DiffFiltration(lazy.under_fil, lazy.values), include_inf_points=True
    )
    for d in range(lazy.max_dim):
        got = sorted(map(tuple, implicit.index_diagram_in_dimension(d).tolist()))
        want = sorted(map(tuple, explicit.index_diagram_in_dimension(d).tolist()))
        assert got == want, d
