"""Values, critical indices, cell counts and sorting order of the grid filtrations.

Oracles: the test suite's own enumeration of the Freudenthal and cubical complexes
(``reference.py``), closed-form cell counts, and the definition of the filtration order.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import calydon
import calydon.diff as diff
import reference
from conftest import seed_of

SHAPES = [(7,), (1,), (4, 5), (1, 3), (3, 4, 2), (2, 1, 3), (2, 3, 2, 2), (1, 2, 1, 2)]
ids = lambda s: "x".join(map(str, s))  # noqa: E731


def distinct_data(shape, seed):
    """Values all distinct (a shuffled arange, scaled), so a vertex or top cell is known by its value."""
    rng = np.random.default_rng(seed)
    n = int(np.prod(shape))
    return (rng.permutation(n).astype(np.float64) * 0.37 - 3.0).reshape(shape)


def build(kind, data, negate, max_dim=None):
    if kind == "freudenthal":
        return calydon.freudenthal_filtration(
            data, negate=negate, max_dim=max_dim, with_critical_vertices=True
        )
    return calydon.cube_filtration(
        data, negate=negate, max_dim=max_dim, values_on=kind, with_critical_indices=True
    )


def faces_of(fil):
    offsets, rows = fil.boundary_matrix()
    return [rows[offsets[j] : offsets[j + 1]].tolist() for j in range(len(fil))]


def vertex_sets(fil):
    """Per sorted cell, the sorted ids of its vertices (closure of the boundary down to dim 0)."""
    faces = faces_of(fil)
    dims = fil.dims()
    out = [None] * len(fil)
    for j in range(len(fil)):  # faces come first in the (dim, value, position) order
        out[j] = frozenset([j]) if dims[j] == 0 else frozenset().union(*(out[f] for f in faces[j]))
    return out


# ---------------------------------------------------------------------------------------------
# Critical indices
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["freudenthal", "vertices", "cells"])
@pytest.mark.parametrize("shape", SHAPES, ids=ids)
@pytest.mark.parametrize("negate", [False, True])
@pytest.mark.parametrize("ties", [False, True])
def test_critical_indices_give_values(kind, shape, negate, ties):
    rng = np.random.default_rng(seed_of(kind, shape, negate, ties))
    data = rng.integers(0, 3, size=shape).astype(np.float64) if ties else rng.standard_normal(shape)
    fil, crit = build(kind, data, negate)
    assert crit.dtype == np.int64
    assert crit.shape == (len(fil),)
    assert ((crit >= 0) & (crit < data.size)).all()
    np.testing.assert_array_equal(fil.values(), data.reshape(-1)[crit])


@pytest.mark.parametrize("shape", SHAPES, ids=ids)
@pytest.mark.parametrize("negate", [False, True])
def test_freudenthal_complex_and_values_match_reference(shape, negate):
    """Vertex sets of all simplices == our enumeration; value = max (min) of vertices; crit attains it."""
    data = distinct_data(shape, seed_of(shape, negate))
    flat = data.reshape(-1)
    fil, crit = build("freudenthal", data, negate)
    flat_of_value = {v: i for i, v in enumerate(flat)}
    values = fil.values()
    dims = fil.dims()
    vsets = vertex_sets(fil)
    vertex_flat = {j: flat_of_value[values[j]] for j in range(len(fil)) if dims[j] == 0}
    cells = [tuple(sorted(vertex_flat[v] for v in vs)) for vs in vsets]
    assert sorted(cells) == sorted(reference.freudenthal_simplices(shape))
    for j, c in enumerate(cells):
        assert len(c) == dims[j] + 1
        best = (min if negate else max)(flat[list(c)])
        assert values[j] == best
        assert crit[j] in c and flat[crit[j]] == best


@pytest.mark.parametrize("shape", SHAPES, ids=ids)
@pytest.mark.parametrize("negate", [False, True])
def test_cubical_vertices_complex_and_values_match_reference(shape, negate):
    data = distinct_data(shape, seed_of(shape, negate, "cv"))
    flat = data.reshape(-1)
    fil, crit = build("vertices", data, negate)
    flat_of_value = {v: i for i, v in enumerate(flat)}
    values, dims = fil.values(), fil.dims()
    vertex_flat = {j: flat_of_value[values[j]] for j in range(len(fil)) if dims[j] == 0}
    cells = [tuple(sorted(vertex_flat[v] for v in vs)) for vs in vertex_sets(fil)]
    expected = [
        tuple(sorted(reference.cube_vertices(shape, x, axes))) for x, axes in reference.cubes(shape)
    ]
    assert sorted(cells) == sorted(expected)
    for j, c in enumerate(cells):
        assert len(c) == 2 ** dims[j]
        best = (min if negate else max)(flat[list(c)])
        assert values[j] == best
        assert crit[j] in c


@pytest.mark.parametrize("shape", SHAPES, ids=ids)
@pytest.mark.parametrize("negate", [False, True])
def test_cubical_cells_values_match_reference(shape, negate):
    """values_on='cells': a cube takes the min (max) over the top cubes containing it."""
    data = distinct_data(shape, seed_of(shape, negate, "cc"))
    flat = data.reshape(-1)
    fil, crit = build("cells", data, negate)
    ndim = len(shape)
    values, dims = fil.values(), fil.dims()
    assert fil.max_dim == ndim
    assert fil.size_in_dimension(ndim) == data.size
    # top cubes are known by their (distinct) value; walk cofaces down to every cell
    flat_of_value = {v: i for i, v in enumerate(flat)}
    containing = [set() for _ in range(len(fil))]
    for j in range(len(fil)):
        if dims[j] == ndim:
            containing[j].add(flat_of_value[values[j]])
    faces = faces_of(fil)
    for j in reversed(range(len(fil))):
        for f in faces[j]:
            containing[f] |= containing[j]
    got = sorted((int(dims[j]), tuple(sorted(containing[j]))) for j in range(len(fil)))
    cs, ref_values, cands = reference.cube_values(data, negate, "cells")
    expected = sorted((len(axes), tuple(sorted(c))) for (_, axes), c in zip(cs, cands))
    assert got == expected
    for j in range(len(fil)):
        best = (max if negate else min)(flat[list(containing[j])])
        assert values[j] == best
        assert crit[j] in containing[j]
    # value multisets per dim agree with the reference as well
    for d in range(ndim + 1):
        ref_d = sorted(v for (_, axes), v in zip(cs, ref_values) if len(axes) == d)
        assert sorted(values[dims == d].tolist()) == ref_d


# ---------------------------------------------------------------------------------------------
# Cell counts
# ---------------------------------------------------------------------------------------------

COUNT_SHAPES = [
    (1,),
    (2,),
    (9,),
    (1, 1),
    (3, 1),
    (4, 6),
    (2, 2, 2),
    (3, 4, 5),
    (1, 4, 2),
    (2, 3, 2, 4),
    (3, 3, 3, 3),
    (1, 1, 1, 1),
]


def cube_count_formula(shape, d):
    total = 0
    from itertools import combinations

    for S in combinations(range(len(shape)), d):
        total += math.prod((shape[i] - 1) if i in S else shape[i] for i in range(len(shape)))
    return total


@pytest.mark.parametrize("shape", COUNT_SHAPES, ids=ids)
def test_cell_counts(shape):
    data = np.zeros(shape)
    ndim = len(shape)
    fr = calydon.freudenthal_filtration(data)
    cv = calydon.cube_filtration(data, values_on="vertices")
    cc = calydon.cube_filtration(data, values_on="cells")
    vshape = tuple(s + 1 for s in shape)
    for d in range(ndim + 2):
        nf = reference.freudenthal_count(shape, d) if d <= ndim else 0
        ncv = cube_count_formula(shape, d) if d <= ndim else 0
        ncc = cube_count_formula(vshape, d) if d <= ndim else 0
        assert fr.size_in_dimension(d) == nf, ("freudenthal", d)
        assert int((fr.dims() == d).sum()) == nf
        assert cv.size_in_dimension(d) == ncv, ("cube vertices", d)
        assert int((cv.dims() == d).sum()) == ncv
        assert cc.size_in_dimension(d) == ncc, ("cube cells", d)
        assert int((cc.dims() == d).sum()) == ncc
    # top-dimensional closed forms
    assert fr.size_in_dimension(ndim) == math.factorial(ndim) * math.prod(s - 1 for s in shape)
    assert cv.size_in_dimension(ndim) == math.prod(s - 1 for s in shape)
    assert cc.size_in_dimension(ndim) == math.prod(shape)
    for fil, counts in (
        (fr, lambda d: reference.freudenthal_count(shape, d)),
        (cv, lambda d: cube_count_formula(shape, d)),
        (cc, lambda d: cube_count_formula(vshape, d)),
    ):
        assert len(fil) == sum(counts(d) for d in range(ndim + 1))
        # Euler characteristic of a contractible complex
        assert sum((-1) ** d * counts(d) for d in range(ndim + 1)) == 1
        top = max(d for d in range(ndim + 1) if counts(d) > 0)
        assert fil.max_dim == top
        for d in range(top + 1):
            assert fil.dim_first(d) == sum(counts(e) for e in range(d))


@pytest.mark.parametrize("shape", [(5,), (4, 3), (3, 2, 3), (2, 2, 3, 2)], ids=ids)
@pytest.mark.parametrize("max_dim", [0, 1, 2, 3, 7])
def test_max_dim_truncates(shape, max_dim):
    data = np.arange(np.prod(shape), dtype=float).reshape(shape)
    ndim = len(shape)
    top = min(max_dim, ndim)
    fr = calydon.freudenthal_filtration(data, max_dim=max_dim)
    cv = calydon.cube_filtration(data, max_dim=max_dim)
    cc = calydon.cube_filtration(data, max_dim=max_dim, values_on="cells")
    assert fr.max_dim == cv.max_dim == cc.max_dim == top
    assert len(fr) == sum(reference.freudenthal_count(shape, d) for d in range(top + 1))
    assert len(cv) == sum(cube_count_formula(shape, d) for d in range(top + 1))
    assert len(cc) == sum(
        cube_count_formula(tuple(s + 1 for s in shape), d) for d in range(top + 1)
    )
    dfr = diff.freudenthal_filtration(torch.tensor(data), max_dim=max_dim)
    assert dfr.max_dim == top and len(dfr.values) == len(fr)


# ---------------------------------------------------------------------------------------------
# Sorting order
# ---------------------------------------------------------------------------------------------


def check_sorted(fil, negate, critical=None):
    """(dim, value, input position) order; grids break ties of equal values by the critical
    entry's flat index first (``critical``), then by input position."""
    values, dims = fil.values(), fil.dims()
    inv = fil.inv_sorting_permutation()  # sorted id -> input position
    perm = fil.sorting_permutation()  # input position -> sorted id
    n = len(fil)
    assert sorted(inv.tolist()) == list(range(n))
    np.testing.assert_array_equal(perm[inv], np.arange(n))
    key_val = -values if negate else values
    crit = np.zeros(n, np.int64) if critical is None else critical
    for j in range(n - 1):
        a = (dims[j], key_val[j], crit[j], inv[j])
        b = (dims[j + 1], key_val[j + 1], crit[j + 1], inv[j + 1])
        assert a < b, f"sorted ids {j}, {j + 1}: {a} !< {b}"
    for d in range(fil.max_dim + 1):
        assert (dims[fil.dim_first(d) : fil.dim_first(d) + fil.size_in_dimension(d)] == d).all()


@pytest.mark.parametrize("kind", ["freudenthal", "vertices", "cells"])
@pytest.mark.parametrize("shape", [(9,), (4, 5), (3, 3, 2), (2, 2, 3, 2)], ids=ids)
@pytest.mark.parametrize("negate", [False, True])
def test_sorting_order(kind, shape, negate):
    rng = np.random.default_rng(seed_of(kind, shape, negate))
    data = rng.integers(0, 4, size=shape).astype(np.float64)  # many ties
    fil, crit = build(kind, data, negate)
    assert fil.negate == negate
    assert fil.infinity() == (-np.inf if negate else np.inf)
    assert fil.kind == ("freudenthal" if kind == "freudenthal" else "cubical")
    check_sorted(fil, negate, crit)
    # stored values are never negated
    assert set(np.unique(fil.values())) <= set(np.unique(data))


@given(n=st.integers(1, 6), negate=st.booleans(), seed=st.integers(0, 2**31 - 1))
def test_user_filtration_sort_order(n, negate, seed):
    """A user filtration on a random full simplex's faces, shuffled, with tied values."""
    from itertools import combinations

    rng = np.random.default_rng(seed)
    vals = rng.integers(0, 3, size=n).astype(float)
    simplices = [c for k in range(1, min(n, 3) + 1) for c in combinations(range(n), k)]
    values = reference.lower_star_values(simplices, vals, negate)
    perm = rng.permutation(len(simplices))
    simplices = [simplices[i] for i in perm]
    values = [values[i] for i in perm]
    fil = calydon.Filtration([list(s) for s in simplices], values, negate=negate)
    check_sorted(fil, negate)
    assert fil.inv_sorting_permutation().tolist() == reference.sorted_order(
        simplices, values, negate
    )


# ---------------------------------------------------------------------------------------------
# Diff layer: gradient of the sum of values counts cells
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["freudenthal", "vertices", "cells"])
@pytest.mark.parametrize("shape", [(6,), (3, 4), (2, 3, 2), (2, 2, 2, 2)], ids=ids)
@pytest.mark.parametrize("negate", [False, True])
def test_sum_of_values_gradient_counts_cells(kind, shape, negate):
    data = distinct_data(shape, seed_of(kind, shape, negate, "g"))
    x = torch.tensor(data, requires_grad=True)
    if kind == "freudenthal":
        fil = diff.freudenthal_filtration(x, negate=negate)
    else:
        fil = diff.cube_filtration(x, negate=negate, values_on=kind)
    fil.values.sum().backward()
    grad = x.grad.numpy()
    assert grad.sum() == len(fil)
    # and per pixel: the number of cells whose extreme vertex (top cell) it is, by our enumeration
    flat = data.reshape(-1)
    if kind == "freudenthal":
        simplices = reference.freudenthal_simplices(shape)
        pick = np.argmin if negate else np.argmax
        winners = [s[pick(flat[list(s)])] for s in simplices]
    else:
        _, _, cands = reference.cube_values(data, negate, kind)
        pick = (
            (np.argmin if negate else np.argmax)
            if kind == "vertices"
            else (np.argmax if negate else np.argmin)
        )
        winners = [c[pick(flat[c])] for c in cands]
    np.testing.assert_array_equal(grad.reshape(-1), np.bincount(winners, minlength=data.size))
