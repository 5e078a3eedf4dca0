"""The parallel reduction of explicit complexes: diagrams, gradients and V do not depend on
n_threads, and the diagrams are gudhi's (alpha, 3-D cubical, user simplicial filtrations).

The complexes are large enough (several thousand cells per dimension, over the 4096 columns a
block needs for threads) that the clique complexes' blocks, whose columns add many entries, go to
the threads for real (alpha and cubical blocks are mostly apparent pairs and stay serial by the
work gate; tests/cpp/test_reduction_parallel.cpp forces threads on every block); 7 threads on a
small machine also checks oversubscription.
"""

from __future__ import annotations

import gudhi
import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import calydon
import calydon.diff as diff
from delaunay_oracles import finite_diagram_distance, gudhi_alpha_values, gudhi_diagrams
from generators import random_cloud, smooth_field

THREADS = (1, 2, 3, 7)


def _sorted_rows(dgm) -> np.ndarray:
    a = np.asarray(dgm, dtype=float).reshape(-1, 2)
    return a[np.lexsort((a[:, 1], a[:, 0]))]


def _finite(dgm) -> np.ndarray:
    a = _sorted_rows(dgm)
    return a[np.isfinite(a[:, 1])]


def _alpha_run(points: np.ndarray, n_threads: int, dualize: bool):
    x = torch.tensor(points, requires_grad=True)
    dgms = diff.persistence_diagram(diff.alpha_filtration(x), dualize=dualize, n_threads=n_threads)
    loss = sum(((d[:, 1] - d[:, 0]) ** 2).sum() for d in dgms.values())
    loss.backward()
    return {k: _sorted_rows(v.detach().numpy()) for k, v in dgms.items()}, x.grad.clone()


@settings(max_examples=4, deadline=None)
@given(n=st.integers(800, 1200), seed=st.integers(0, 2**16), dualize=st.booleans())
def test_alpha_diagrams_and_gradients_do_not_depend_on_threads(n, seed, dualize):
    points = random_cloud(n, 3, seed)
    runs = [_alpha_run(points, nt, dualize) for nt in THREADS]
    dgms0, grad0 = runs[0]
    for dgms, grad in runs[1:]:
        assert dgms.keys() == dgms0.keys()
        for k in dgms:
            np.testing.assert_array_equal(dgms[k], dgms0[k])
        assert torch.equal(grad, grad0)
    oracle = gudhi_diagrams(gudhi_alpha_values(points), 3)
    for k, (finite, _) in enumerate(oracle):
        assert finite_diagram_distance(_finite(dgms0.get(k, np.zeros((0, 2)))), finite) < 1e-9


def _gudhi_cubical(volume: np.ndarray, dim: int) -> np.ndarray:
    cc = gudhi.CubicalComplex(top_dimensional_cells=volume)
    cc.compute_persistence(min_persistence=0.0)
    return _sorted_rows(cc.persistence_intervals_in_dimension(dim))


@pytest.mark.parametrize("shape", [(16, 16, 16), (13, 15, 14)])
@pytest.mark.parametrize("dualize", [False, True])
@pytest.mark.parametrize("fast_paths", [False, True])
def test_cubical_3d_explicit_diagrams_do_not_depend_on_threads(shape, dualize, fast_paths):
    volume = smooth_field(shape, np.random.default_rng(sum(shape)), 1.5)
    fil = calydon.cube_filtration(volume, values_on="cells")
    runs = [
        calydon.compute_diagrams(fil, dualize=dualize, fast_paths=fast_paths, n_threads=nt)
        for nt in THREADS
    ]
    for dim in range(3):
        first = _sorted_rows(runs[0].in_dimension(dim))
        for other in runs[1:]:
            np.testing.assert_array_equal(_sorted_rows(other.in_dimension(dim)), first)
        expected = _gudhi_cubical(volume, dim)
        ours = first.copy()
        ours[~np.isfinite(ours[:, 1]), 1] = np.inf
        np.testing.assert_allclose(ours, expected)


def _random_clique_complex(rng: np.random.Generator, n: int, p: float):
    """The clique complex (to dimension 3) of a random graph, values max over faces of uniforms."""
    adj = np.triu(rng.random((n, n)) < p, 1)
    adj = adj | adj.T
    simplices, values, value_of = [], [], {}
    layer = [(v,) for v in range(n)]
    for _ in range(4):
        nxt = []
        for s in layer:
            faces = [s[:i] + s[i + 1 :] for i in range(len(s))] if len(s) > 1 else []
            value = max([float(rng.integers(0, 40))] + [value_of[f] for f in faces])
            value_of[s] = value
            simplices.append(list(s))
            values.append(value)
            nxt += [s + (w,) for w in range(s[-1] + 1, n) if all(adj[u, w] for u in s)]
        layer = nxt
    return simplices, values


def _gudhi_simplicial(simplices, values, dim: int) -> np.ndarray:
    stree = gudhi.SimplexTree()
    for s, v in zip(simplices, values):
        stree.insert(s, filtration=v)
    stree.persistence(min_persistence=0.0, persistence_dim_max=True)
    return _sorted_rows(stree.persistence_intervals_in_dimension(dim))


@settings(max_examples=4, deadline=None)
@given(n=st.integers(100, 120), seed=st.integers(0, 2**16), dualize=st.booleans())
def test_user_filtration_diagrams_and_v_do_not_depend_on_threads(n, seed, dualize):
    simplices, values = _random_clique_complex(np.random.default_rng(seed), n, 0.3)
    fil = calydon.Filtration(simplices, values)
    decs = [calydon.Decomposition(fil, dualize, compute_v=True, n_threads=nt) for nt in THREADS]
    for dec in decs[1:]:
        assert dec.v_data == decs[0].v_data
    serial_no_clearing = calydon.Decomposition(fil, dualize, clearing=False, compute_v=True)
    assert decs[0].v_data == serial_no_clearing.v_data
    # Without clearing, the threads alone leave a non-canonical V: it is restored all the same.
    threaded_no_clearing = calydon.Decomposition(
        fil, dualize, clearing=False, compute_v=True, n_threads=3
    )
    assert threaded_no_clearing.v_data == serial_no_clearing.v_data
    for dim in range(fil.max_dim + 1):
        expected = _gudhi_simplicial(simplices, values, dim)
        for nt, dec in zip(THREADS, decs):
            from_dec = _sorted_rows(dec.diagram(fil).in_dimension(dim))
            from_compute = calydon.compute_diagrams(fil, dualize=dualize, n_threads=nt)
            np.testing.assert_array_equal(_sorted_rows(from_compute.in_dimension(dim)), from_dec)
            from_dec[~np.isfinite(from_dec[:, 1]), 1] = np.inf
            np.testing.assert_allclose(from_dec[from_dec[:, 0] != from_dec[:, 1]], expected)


@pytest.mark.parametrize(
    "build",
    [calydon.alpha_filtration, calydon.weak_alpha_filtration, calydon.cech_delaunay_filtration],
)
def test_delaunay_builders_take_n_threads_and_do_not_depend_on_it(build):
    points = random_cloud(3000, 3, seed=11)
    base = build(points)
    for nt in THREADS[1:]:
        fil = build(points, n_threads=nt)
        np.testing.assert_array_equal(fil.values(), base.values())
        for col, base_col in zip(fil.boundary_matrix(), base.boundary_matrix()):
            assert list(col) == list(base_col)
    tensor = torch.tensor(points)
    values = diff.alpha_filtration(tensor).values
    for nt in THREADS[1:]:
        assert torch.equal(diff.alpha_filtration(tensor, n_threads=nt).values, values)


@pytest.mark.parametrize("bad, error", [(0, ValueError), (-2, ValueError), (2.5, TypeError)])
def test_delaunay_builders_refuse_a_bad_n_threads(bad, error):
    points = random_cloud(50, 2, seed=1)
    with pytest.raises(error, match="n_threads"):
        calydon.alpha_filtration(points, n_threads=bad)
    with pytest.raises(error, match="compute_diagrams_alpha.*n_threads"):
        calydon.compute_diagrams_alpha(points, n_threads=bad)
    with pytest.raises(error, match="n_threads"):
        diff.cech_delaunay_filtration(torch.tensor(points), n_threads=bad)
