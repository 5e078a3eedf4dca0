"""Fuzz (issue 13): user filtrations (``calydon.Filtration``) through ``compute_diagrams``,
``Decomposition``, ``compute_diagrams_batch``, ``TopologyOptimizer`` and
``diff.persistence_diagram``, on random simplicial complexes with ties, extreme values, both
orders, and broken inputs (a missing face, a coface entering first, NaN, bad types). Every
outcome is the naive reduction's answer (``reference.simplicial_diagrams``) or a ValueError /
TypeError naming the argument. ``HYPOTHESIS_PROFILE=fuzz`` (``make fuzz``) runs 10,000
examples per test."""

from __future__ import annotations

import itertools

import numpy as np
import torch
from hypothesis import given
from hypothesis import strategies as st

import calydon
import calydon.diff as diff
import reference
from conftest import assert_dgm_equal, result_or_named_error

EMPTY = np.empty((0, 2))
SCALES = [1e-300, 1.0, 1e300, np.finfo(np.float64).max / 8]


@st.composite
def user_filtrations(draw):
    """(simplices, values, negate, valid): the closure of random simplices on at most 6
    vertices with monotone values (ties frequent), sometimes broken."""
    n_vertices = draw(st.integers(1, 6))
    tops = draw(
        st.lists(
            st.lists(st.integers(0, n_vertices - 1), min_size=1, max_size=4, unique=True),
            min_size=1,
            max_size=6,
        )
    )
    closure = sorted(
        {
            tuple(sorted(face))
            for s in tops
            for k in range(1, len(s) + 1)
            for face in itertools.combinations(s, k)
        },
        key=lambda s: (len(s), s),
    )
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    scale = draw(st.sampled_from(SCALES))
    own = rng.integers(0, 4, len(closure)) * scale
    negate = draw(st.booleans())
    values = {}
    for s, v in zip(closure, own):  # faces come first: make the filtration monotone
        faces = [values[f] for f in itertools.combinations(s, len(s) - 1) if f]
        values[s] = (min if negate else max)([v] + faces) if faces else v
    simplices = [list(s) for s in closure]
    vals = [float(values[s]) for s in closure]
    order = rng.permutation(len(simplices))  # any input order
    simplices, vals = [simplices[i] for i in order], [vals[i] for i in order]
    defect = draw(st.sampled_from([None, None, None, "missing face", "early coface", "nan"]))
    if defect == "missing face" and any(len(s) > 1 for s in simplices):
        i = next(
            i
            for i, s in enumerate(simplices)
            if len(s) == 1 and any(len(t) > 1 and s[0] in t for t in simplices)
        )
        del simplices[i], vals[i]
    elif defect == "early coface" and any(len(s) > 1 for s in simplices):
        i = next(i for i, s in enumerate(simplices) if len(s) > 1)
        big = 2 * max(abs(v) for v in vals) + 1  # values are >= 0: this one precedes its faces
        vals[i] = big if negate else -big
    elif defect == "nan":
        vals[draw(st.integers(0, len(vals) - 1))] = np.nan
    else:
        defect = None
    return simplices, vals, negate, defect is None


def _expected(simplices, values, negate):
    return reference.simplicial_diagrams(simplices, values, negate, include_inf=True)


@given(fil_input=user_filtrations(), dualize=st.booleans())
def test_fuzz_user_filtration_diagrams(fil_input, dualize):
    simplices, values, negate, valid = fil_input
    fil = result_or_named_error(
        lambda: calydon.Filtration(simplices, values, negate),
        "Filtration",
        ["values", "face", "simplices", "boundary"],
        valid,
    )
    if fil is None:
        return
    expected = _expected(simplices, values, negate)
    results = [
        calydon.compute_diagrams(fil, dualize=dualize),
        calydon.Decomposition(fil, dualize, compute_v=True).diagram(fil),
        calydon.compute_diagrams_batch([fil, fil], dualize=dualize)[1],
        calydon.TopologyOptimizer(fil).compute_diagram(include_inf_points=True),
    ]
    for dgms in results:
        for d in range(len(dgms)):
            assert_dgm_equal(dgms[d], expected.get(d, EMPTY), atol=0, rtol=0, msg=f"dim {d}")
    tensor = torch.tensor(fil.values(), requires_grad=True)
    pd = diff.persistence_diagram(diff.DiffFiltration(fil, tensor), include_inf_points=True)
    for d, t in pd.items():
        assert_dgm_equal(t.detach(), expected.get(d, EMPTY), atol=0, rtol=0, msg=f"diff dim {d}")


@given(
    fil_input=user_filtrations(),
    swap=st.sampled_from(["values", "negate", "order"]),
)
def test_fuzz_decomposition_refuses_other_filtrations(fil_input, swap):
    simplices, values, negate, valid = fil_input
    if not valid:
        return
    fil = calydon.Filtration(simplices, values, negate)
    dec = calydon.Decomposition(fil)
    if swap == "values":  # every value shifted: same complex, other filtration
        other = calydon.Filtration(simplices, [v / 2 + 1 for v in values], negate)
    elif swap == "negate":
        other = calydon.Filtration(simplices, [-v for v in values], not negate)
    else:  # the same cells in another input order: observably different sorted ids
        other = calydon.Filtration(simplices[::-1], values[::-1], negate)
    same = np.array_equal(other.values(), fil.values()) and (
        np.array_equal(other.inv_sorting_permutation(), fil.inv_sorting_permutation())
        and other.negate == fil.negate
    )
    same = same and all(
        np.array_equal(a, b) for a, b in zip(other.boundary_matrix(), fil.boundary_matrix())
    )
    out = result_or_named_error(lambda: dec.diagram(other), "Decomposition.diagram", ["fil"], same)
    if out is not None:
        expected = _expected(simplices, values, negate)
        for d in range(len(out)):
            assert_dgm_equal(out[d], expected.get(d, EMPTY), atol=0, rtol=0)
