"""The lazy values of the differentiable Delaunay filtrations: persistence_diagram evaluates only
the diagrams' values, and its diagrams, index diagrams and gradients equal, bit for bit, those of
the general path over every cell's value (a DiffFiltration built from ``values`` by hand)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from calydon import diff

BUILDERS = {
    "alpha": diff.alpha_filtration,
    "weak_alpha": diff.weak_alpha_filtration,
    "cech": diff.cech_delaunay_filtration,
}


def _diagrams_and_gradient(fil, points: torch.Tensor, include_inf_points: bool):
    dgms = diff.persistence_diagram(fil, include_inf_points=include_inf_points)
    finite = [d[torch.isfinite(d[:, 1])] for d in dgms.values()]
    loss = sum(((d[:, 1] - d[:, 0]) ** 2).sum() + d[:, 0].sum() for d in finite)
    (grad,) = torch.autograd.grad(loss, points)
    indices = [dgms.index_diagram_in_dimension(k) for k in dgms.keys()]
    return [d.detach() for d in dgms.values()], indices, grad


@settings(max_examples=25, deadline=None)
@given(
    rule=st.sampled_from(sorted(BUILDERS)),
    dim=st.sampled_from([2, 3]),
    n=st.integers(4, 300),
    seed=st.integers(0, 2**31 - 1),
    include_inf_points=st.booleans(),
)
def test_lazy_diagrams_equal_the_general_path(rule, dim, n, seed, include_inf_points):
    points = torch.tensor(np.random.default_rng(seed).random((n, dim)), requires_grad=True)
    lazy = BUILDERS[rule](points)
    got = _diagrams_and_gradient(lazy, points, include_inf_points)
    assert lazy._values is None  # the diagram evaluated only its own cells
    general = diff.DiffFiltration(lazy.under_fil, lazy.values)
    want = _diagrams_and_gradient(general, points, include_inf_points)
    for g, w in zip(got[0], want[0]):
        assert torch.equal(g, w)
    for g, w in zip(got[1], want[1]):
        assert torch.equal(g, w)
    assert torch.equal(got[2], want[2])


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_lazy_values_keep_the_points_dtype_and_gradient(dtype):
    points = torch.tensor(np.random.default_rng(3).random((60, 3)), dtype=dtype, requires_grad=True)
    fil = diff.alpha_filtration(points)
    assert "not evaluated" in repr(fil)
    dgm = diff.persistence_diagram(fil)[1]
    assert dgm.dtype == dtype
    values = fil.values
    assert values.dtype == dtype and values.shape == (len(fil.under_fil),)
    np.testing.assert_allclose(
        values.detach().double().numpy(),
        fil.under_fil.values(),
        rtol=1e-6 if dtype == torch.float32 else 1e-12,
        atol=1e-12,
    )
    assert "evaluated" in repr(fil) and "not evaluated" not in repr(fil)


def _naive_gather(value_source, cells, supports, values):
    """The gather with numpy and Python sets, as the contract states it."""
    wanted = sorted(set(value_source[cells].tolist()))
    where = {s: p for p, s in enumerate(wanted)}
    firsts = np.cumsum([1] + [len(rows) for rows in supports])
    rows = [
        np.array([supports[k][s - firsts[k]] for s in wanted if firsts[k] <= s < firsts[k + 1]])
        .reshape(-1, k + 2)
        .astype(np.int64)
        for k in range(3)
    ]
    value = np.array([values[cells[value_source[cells] == s][0]] for s in wanted])
    return np.array([where[s] for s in value_source[cells]]), 0 in where, rows, value


def _assert_same_gather(got, ref):
    """(position, wants_vertex, rows, value) equal, entry for entry."""
    np.testing.assert_array_equal(got[0], ref[0])
    assert got[1] == ref[1]
    for a, b in zip(got[2], ref[2], strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(got[3], ref[3])


@pytest.mark.parametrize("n_threads", [1, 2, 3])
@pytest.mark.parametrize("dim", [2, 3])
def test_the_support_gather_matches_a_naive_one(n_threads, dim):
    from calydon import _core

    rng = np.random.default_rng(dim)
    fil = diff.alpha_filtration(torch.tensor(rng.random((3000, dim))), n_threads=n_threads)
    values = np.asarray(fil.under_fil.values())
    cells = rng.integers(0, len(values), size=5000)  # unsorted, with repeats
    got = _core.gather_supports(fil.under_fil, fil._value_source, cells, fil._supports, n_threads)
    ref = _naive_gather(fil._value_source, cells, fil._supports, values)
    _assert_same_gather(got, ref)


def _numpy_gather(value_source, cells, supports, values):
    """The gather by np.unique, for sizes the set-based one is too slow for."""
    read = value_source[cells]
    wanted, first_reader, position = np.unique(read, return_index=True, return_inverse=True)
    firsts = np.cumsum([1] + [len(rows) for rows in supports])
    rows = [
        supports[k][wanted[(wanted >= firsts[k]) & (wanted < firsts[k + 1])] - firsts[k]]
        for k in range(3)
    ]
    return position, bool(wanted[0] == 0), rows, values[cells[first_reader]]


@pytest.mark.parametrize("n_threads", [1, 2, 3])
def test_a_large_support_gather_matches_numpy(n_threads):
    """Above 32,768 cells and supports per size, every pass splits into ranges."""
    from calydon import _core

    rng = np.random.default_rng(11)
    fil = diff.alpha_filtration(torch.tensor(rng.random((12000, 3))), n_threads=n_threads)
    values = np.asarray(fil.under_fil.values())
    assert min(len(rows) for rows in fil._supports) > 32768
    cells = rng.integers(0, len(values), size=60000)
    got = _core.gather_supports(fil.under_fil, fil._value_source, cells, fil._supports, n_threads)
    ref = _numpy_gather(fil._value_source, cells, fil._supports, values)
    _assert_same_gather(got, ref)


def test_the_support_gather_rejects_bad_indices():
    from calydon import _core

    fil = diff.alpha_filtration(torch.tensor(np.random.default_rng(0).random((50, 3))))
    n = len(fil.under_fil.values())
    with pytest.raises(ValueError, match=f"cells must be sorted ids below {n}, got {n}"):
        _core.gather_supports(fil.under_fil, fil._value_source, np.array([0, n]), fil._supports)
    with pytest.raises(ValueError, match="value_source has 3 entries"):
        _core.gather_supports(fil.under_fil, np.zeros(3, np.int64), np.array([0]), fil._supports)
    # Supports of another dtype or order are converted, and the copies outlive the gather.
    cells = np.arange(0, n, 7)
    ref = _core.gather_supports(fil.under_fil, fil._value_source, cells, fil._supports)
    for supports in (
        [rows.astype(np.int32) for rows in fil._supports],
        [np.asfortranarray(rows) for rows in fil._supports],
    ):
        got = _core.gather_supports(fil.under_fil, fil._value_source, cells, supports)
        for a, b in zip(got[2], ref[2]):
            np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="supports must list 3 row arrays"):
        _core.gather_supports(fil.under_fil, fil._value_source, np.array([0]), fil._supports[:2])
