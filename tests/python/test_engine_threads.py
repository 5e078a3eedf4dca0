"""n_threads: validated everywhere it is accepted, and never a different answer."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import calydon
import calydon.diff as diff
from generators import smooth_field

IMAGE = torch.tensor(np.random.default_rng(5).random((24, 24)))
VOLUME = torch.tensor(np.random.default_rng(6).random((7, 7, 7)))
POINTS = torch.tensor(np.random.default_rng(7).random((30, 2)))

ENTRY_POINTS = {
    "diff.freudenthal_filtration": lambda nt: diff.freudenthal_filtration(IMAGE, n_threads=nt),
    "diff.cube_filtration": lambda nt: diff.cube_filtration(IMAGE, n_threads=nt),
    "diff.vr_filtration": lambda nt: diff.vr_filtration(POINTS, n_threads=nt),
    "persistence_diagram": lambda nt: diff.persistence_diagram(
        diff.freudenthal_filtration(IMAGE), n_threads=nt
    ),
    "persistence_diagrams": lambda nt: diff.persistence_diagrams(
        [diff.freudenthal_filtration(IMAGE)], n_threads=nt
    ),
    "compute_diagrams": lambda nt: calydon.compute_diagrams(
        calydon.freudenthal_filtration(VOLUME.numpy()), n_threads=nt
    ),
    "Decomposition": lambda nt: calydon.Decomposition(
        calydon.freudenthal_filtration(VOLUME.numpy()), n_threads=nt
    ),
    "TopologyOptimizer": lambda nt: calydon.TopologyOptimizer(
        calydon.freudenthal_filtration(IMAGE.numpy()), n_threads=nt
    ),
}


@pytest.mark.parametrize("api", sorted(ENTRY_POINTS))
@pytest.mark.parametrize(
    "bad,error",
    [(0, ValueError), (-3, ValueError), ("four", TypeError), (2.5, TypeError), (True, TypeError)],
)
def test_bad_n_threads_is_refused_naming_it(api, bad, error):
    with pytest.raises(error, match="n_threads"):
        ENTRY_POINTS[api](bad)


@pytest.mark.parametrize("api", sorted(ENTRY_POINTS))
def test_none_and_more_threads_than_cores_are_accepted(api):
    ENTRY_POINTS[api](None)
    ENTRY_POINTS[api](64)


def _rows(dgm: torch.Tensor) -> torch.Tensor:
    return dgm[torch.argsort(dgm[:, 0] * 1e6 + dgm[:, 1])]


@pytest.mark.parametrize("shape", [(64, 64), (9, 9, 9)])
@pytest.mark.parametrize("dualize", [False, True])
def test_thread_count_changes_neither_diagrams_nor_gradients(shape, dualize):
    data = smooth_field(shape, np.random.default_rng(len(shape)), 2.0)
    results = []
    for nt in (1, 2, 3):
        x = torch.tensor(data, requires_grad=True)
        dgms = diff.persistence_diagram(
            diff.freudenthal_filtration(x), dualize=dualize, n_threads=nt
        )
        sum(((d[:, 1] - d[:, 0]) ** 2).sum() for d in dgms.values()).backward()
        results.append(({k: _rows(v.detach()) for k, v in dgms.items()}, x.grad.clone()))
    for dgms, grad in results[1:]:
        assert dgms.keys() == results[0][0].keys()
        for k in dgms:
            assert torch.equal(dgms[k], results[0][0][k])
        assert torch.equal(grad, results[0][1])


def test_batch_equals_single_calls_for_any_thread_count():
    images = [smooth_field((20, 20), np.random.default_rng(s), 1.5) for s in range(6)]
    singles = [calydon.compute_diagrams(calydon.freudenthal_filtration(a)) for a in images]
    for nt in (1, 2, 5):
        batch = calydon.compute_diagrams_batch(
            [calydon.freudenthal_filtration(a) for a in images], n_threads=nt
        )
        for one, many in zip(singles, batch):
            for d in range(len(one)):
                assert np.array_equal(one[d], many[d])
