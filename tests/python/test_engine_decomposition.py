"""The one-shot ``calydon.Decomposition``: constructing it reduces; R = D V over Z/2.

``Decomposition(fil, dualize=False, *, clearing=True, compute_v=False, n_threads=None)`` and
``calydon.reduce(...)`` (the same thing as a function). Checked with dense Z/2 matrices built from
``d_data`` / ``r_data`` / ``v_data``, against the boundary matrix of the filtration and the naive
reduction of ``reference.py``; expected diagrams come from the reference, never from calydon.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import calydon
import reference
from conftest import assert_dgms_equal
from test_engine_diagrams import complexes, make_filtration, reference_pairs, top_dim

TRIANGLE = ([[0], [1], [2], [0, 1], [1, 2], [0, 2], [0, 1, 2]], [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0])


def triangle():
    return calydon.Filtration(*TRIANGLE)


def expected_matrix(fil, dualize: bool) -> list[list[int]]:
    """Columns of D from fil.boundary_matrix(); dualized: the anti-transpose D'[i, j] = D[N-1-j, N-1-i]."""
    n = len(fil)
    offsets, rows = fil.boundary_matrix()
    bd = [sorted(int(i) for i in rows[offsets[j] : offsets[j + 1]]) for j in range(n)]
    if not dualize:
        return bd
    co = [[] for _ in range(n)]
    for j, col in enumerate(bd):
        for i in col:
            co[n - 1 - i].append(n - 1 - j)
    return [sorted(c) for c in co]


def check_decomposition(fil, dcmp, dualize: bool, with_v: bool) -> None:
    n = len(fil)
    assert dcmp.dualize is dualize
    d_cols = [list(c) for c in dcmp.d_data]
    r_cols = [list(c) for c in dcmp.r_data]
    assert len(d_cols) == len(r_cols) == n
    for col in d_cols + r_cols:
        assert col == sorted(set(col)), "columns are sorted lists of distinct row indices"
    assert d_cols == expected_matrix(fil, dualize)
    D = reference.columns_to_dense(d_cols, n)
    R = reference.columns_to_dense(r_cols, n)
    lows = [c[-1] for c in r_cols if c]
    assert len(lows) == len(set(lows)), "R is not reduced: two columns share a low"
    ref_R, _ = reference.standard_reduction([sum(1 << i for i in c) for c in d_cols])
    assert {j: c[-1] for j, c in enumerate(r_cols) if c} == {
        j: c.bit_length() - 1 for j, c in enumerate(ref_R) if c
    }
    if with_v:
        v_cols = [list(c) for c in dcmp.v_data]
        assert len(v_cols) == n
        V = reference.columns_to_dense(v_cols, n)
        assert np.array_equal(reference.matmul_z2(D, V), R), "R != D V over Z/2"
        assert np.array_equal(np.diag(V), np.ones(n, np.uint8)), "V must have a unit diagonal"
        assert not np.tril(V, -1).any(), "V must be upper triangular"


def pair_sets(fil, dcmp):
    finite, essential = dcmp.index_pairs(fil)
    return (
        {tuple(int(x) for x in p) for arr in finite for p in np.asarray(arr).reshape(-1, 2)},
        {int(i) for arr in essential for i in np.asarray(arr).ravel()},
    )


# ---------------------------------------------------------------------------------------------
# R = D V on random complexes
# ---------------------------------------------------------------------------------------------


@settings(max_examples=30)
@given(cx=complexes(), dualize=st.booleans(), clearing=st.booleans())
def test_r_equals_d_v(cx, dualize, clearing):
    simplices, values, negate = cx
    fil = make_filtration(simplices, values, negate)
    dcmp = calydon.Decomposition(fil, dualize, clearing=clearing, compute_v=True)
    check_decomposition(fil, dcmp, dualize, with_v=True)
    # without V: the same R
    plain = calydon.Decomposition(fil, dualize, clearing=clearing)
    check_decomposition(fil, plain, dualize, with_v=False)
    assert [list(c) for c in plain.r_data] == [list(c) for c in dcmp.r_data]


@settings(max_examples=30)
@given(cx=complexes())
def test_dualize_is_the_anti_transpose(cx):
    simplices, values, negate = cx
    fil = make_filtration(simplices, values, negate)
    n = len(fil)
    hom = calydon.Decomposition(fil)
    coh = calydon.Decomposition(fil, True)
    assert hom.dualize is False and coh.dualize is True
    D = reference.columns_to_dense(hom.d_data, n)
    Dt = reference.columns_to_dense(coh.d_data, n)
    assert np.array_equal(Dt, D[::-1, ::-1].T), "dualized D must be the anti-transpose"
    # matrix index m is sorted id N-1-m: the pairs translate back to the homology pairs
    assert pair_sets(fil, hom) == pair_sets(fil, coh)


@settings(max_examples=30)
@given(cx=complexes())
def test_clearing_does_not_change_the_pairs(cx):
    simplices, values, negate = cx
    fil = make_filtration(simplices, values, negate)
    ref_finite, ref_essential = reference_pairs(simplices, values, negate)
    vals = fil.values()
    ref_nonzero = {p for p in ref_finite if vals[p[0]] != vals[p[1]]}
    results = []
    for dualize in (False, True):
        for clearing in (False, True):
            finite, essential = pair_sets(
                fil, calydon.Decomposition(fil, dualize, clearing=clearing)
            )
            assert ref_nonzero <= finite <= ref_finite
            assert essential == ref_essential
            results.append((finite, essential))
    assert all(r == results[0] for r in results)


@settings(max_examples=20)
@given(cx=complexes())
def test_diagram_matches_reference(cx):
    simplices, values, negate = cx
    fil = make_filtration(simplices, values, negate)
    n_dims = top_dim(simplices) + 1
    expected = reference.simplicial_diagrams(simplices, values, negate, n_dims=n_dims)
    for dualize in (False, True):
        for clearing in (False, True):
            dgms = calydon.Decomposition(fil, dualize, clearing=clearing, compute_v=True).diagram(
                fil
            )
            assert len(dgms) == n_dims
            assert_dgms_equal(dgms, expected, range(n_dims))


def test_pivots_in_matrix_order_read_as_sorted_ids():
    """Triangle 0,1,2 / edges 01,12,02 / face 012: hand-checked R and pairs in both orders."""
    fil = triangle()
    hom = calydon.Decomposition(fil, compute_v=True)
    assert [list(c) for c in hom.d_data] == [[], [], [], [0, 1], [1, 2], [0, 2], [3, 4, 5]]
    lows = {j: max(c) for j, c in enumerate(hom.r_data) if len(c)}
    assert lows == {3: 1, 4: 2, 6: 5}
    expected = ({(1, 3), (2, 4), (5, 6)}, {0})
    assert pair_sets(fil, hom) == expected
    coh = calydon.Decomposition(fil, True, compute_v=True)
    # the vertex 0 (matrix index 6) has coboundary {01, 02} = sorted ids {3, 5} = matrix {3, 1}
    assert sorted(coh.d_data[6]) == [1, 3]
    assert pair_sets(fil, coh) == expected
    check_decomposition(fil, coh, True, with_v=True)


# ---------------------------------------------------------------------------------------------
# The one-shot API surface
# ---------------------------------------------------------------------------------------------


def test_construction_reduces_immediately():
    fil = triangle()
    dcmp = calydon.Decomposition(fil)
    assert not hasattr(dcmp, "reduce"), "the one-shot Decomposition has no reduce() method"
    assert not hasattr(dcmp, "is_reduced")
    assert not hasattr(calydon.Decomposition, "reduce")
    # the reduced R is there without any further call
    assert {j: max(c) for j, c in enumerate(dcmp.r_data) if len(c)} == {3: 1, 4: 2, 6: 5}


def test_v_data_needs_compute_v():
    fil = triangle()
    for dualize in (False, True):
        for clearing in (False, True):
            dcmp = calydon.Decomposition(fil, dualize, clearing=clearing)
            with pytest.raises(ValueError, match="compute_v"):
                dcmp.v_data
            # R and D are still there
            assert len(dcmp.r_data) == len(dcmp.d_data) == len(fil)
            assert len(
                calydon.Decomposition(fil, dualize, clearing=clearing, compute_v=True).v_data
            ) == len(fil)


@pytest.mark.parametrize(
    "name,value", [("dualize", True), ("r_data", []), ("v_data", []), ("d_data", [])]
)
def test_attributes_are_read_only(name, value):
    fil = triangle()
    dcmp = calydon.Decomposition(fil, compute_v=True)
    before = (
        [list(c) for c in dcmp.r_data],
        [list(c) for c in dcmp.v_data],
        [list(c) for c in dcmp.d_data],
    )
    with pytest.raises(AttributeError):
        setattr(dcmp, name, value)
    assert dcmp.dualize is False
    assert (
        [list(c) for c in dcmp.r_data],
        [list(c) for c in dcmp.v_data],
        [list(c) for c in dcmp.d_data],
    ) == before


def test_options_are_keyword_only():
    fil = triangle()
    with pytest.raises(TypeError):
        calydon.Decomposition(fil, False, False)  # clearing must be passed by keyword
    with pytest.raises(TypeError):
        calydon.Decomposition(fil, False, clearing=True, reduce=True)
    assert (
        calydon.Decomposition(
            fil, dualize=True, clearing=False, compute_v=True, n_threads=None
        ).dualize
        is True
    )


@pytest.mark.parametrize("dualize", [False, True])
@pytest.mark.parametrize("clearing", [False, True])
@pytest.mark.parametrize("compute_v", [False, True])
def test_reduce_function_equals_the_constructor(dualize, clearing, compute_v):
    rng = np.random.default_rng(3)
    data = rng.integers(0, 4, size=(3, 4, 3)).astype(np.float64)
    fil = calydon.freudenthal_filtration(data)
    a = calydon.reduce(fil, dualize=dualize, clearing=clearing, compute_v=compute_v)
    b = calydon.Decomposition(fil, dualize, clearing=clearing, compute_v=compute_v)
    assert isinstance(a, calydon.Decomposition)
    assert a.dualize is b.dualize is dualize
    for attr in ("r_data", "d_data") + (("v_data",) if compute_v else ()):
        assert [list(c) for c in getattr(a, attr)] == [list(c) for c in getattr(b, attr)], attr
    assert pair_sets(fil, a) == pair_sets(fil, b)
    check_decomposition(fil, a, dualize, compute_v)
    expected = reference.freudenthal_diagrams(data)
    assert_dgms_equal(a.diagram(fil), expected, range(4))
    # positional arguments of the function, in the documented order
    c = calydon.reduce(fil, dualize, clearing, compute_v)
    assert [list(x) for x in c.r_data] == [list(x) for x in b.r_data]


@pytest.mark.parametrize("n_threads", [None, 1, 2])
def test_n_threads_gives_the_same_decomposition(n_threads):
    rng = np.random.default_rng(8)
    data = rng.random((3, 3, 3))
    fil = calydon.freudenthal_filtration(data)
    for dualize in (False, True):
        dcmp = calydon.Decomposition(fil, dualize, compute_v=True, n_threads=n_threads)
        check_decomposition(fil, dcmp, dualize, with_v=True)
        assert_dgms_equal(dcmp.diagram(fil), reference.freudenthal_diagrams(data), range(4))


def test_one_filtration_many_decompositions():
    """Decompositions do not share state: each reads the filtration it was built from."""
    fil_a = triangle()
    fil_b = calydon.Filtration([[0], [1], [0, 1]], [0.0, 0.0, 1.0])
    a = calydon.Decomposition(fil_a, compute_v=True)
    b = calydon.Decomposition(fil_b, compute_v=True)
    a2 = calydon.Decomposition(fil_a, compute_v=True)
    assert len(a.r_data) == 7 and len(b.r_data) == 3
    assert [list(c) for c in a.r_data] == [list(c) for c in a2.r_data]
    assert pair_sets(fil_b, b) == ({(1, 2)}, {0})
