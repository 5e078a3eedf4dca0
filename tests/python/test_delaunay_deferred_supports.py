"""Supports deferred by the differentiable Delaunay builders on several threads: indexed beside
the pairs of the persistence call (or on first need), they give the diagrams, values and
gradients of a one-thread build, which indexes them at once; pickles, copies and batches too."""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest
import torch

from calydon import diff
from generators import random_cloud

POINTS = random_cloud(2500, 3, seed=11)  # over 2000 points: the triangulation uses threads


def _run(fil, points: torch.Tensor, n_threads: int):
    dgms = diff.persistence_diagram(fil, n_threads=n_threads)
    loss = sum(((d[:, 1] - d[:, 0]) ** 2).sum() + d[:, 0].sum() for d in dgms.values())
    (grad,) = torch.autograd.grad(loss, points)
    return [d.detach() for d in dgms.values()], grad


def _build(n_threads: int, rule=diff.alpha_filtration):
    points = torch.tensor(POINTS, requires_grad=True)
    return rule(points, n_threads=n_threads), points


def _assert_same(a, b) -> None:
    (dgms_a, grad_a), (dgms_b, grad_b) = a, b
    assert len(dgms_a) == len(dgms_b)
    for x, y in zip(dgms_a, dgms_b):
        assert torch.equal(x, y)
    assert torch.equal(grad_a, grad_b)


@pytest.mark.parametrize("rule", [diff.alpha_filtration, diff.cech_delaunay_filtration])
def test_deferred_supports_give_the_one_thread_diagrams_and_gradient(rule):
    eager, p1 = _build(1, rule)
    deferred, p2 = _build(2, rule)
    assert eager._plan is None and deferred._plan is not None
    _assert_same(_run(deferred, p2, 2), _run(eager, p1, 1))
    assert deferred._plan is None  # the pairs call indexed them
    np.testing.assert_array_equal(deferred._value_source, eager._value_source)
    for a, b in zip(deferred._supports, eager._supports):
        np.testing.assert_array_equal(a, b)


def test_values_read_before_any_pairs_index_the_supports_at_once():
    eager, _ = _build(1)
    deferred, _ = _build(3)
    assert torch.equal(deferred.values.detach(), eager.values.detach())
    assert deferred._plan is None


@pytest.mark.parametrize("how", ["pickle", "deepcopy", "copy"])
def test_a_deferred_filtration_pickles_and_copies(how):
    deferred, _ = _build(2)
    clone = {
        "pickle": lambda f: pickle.loads(pickle.dumps(f)),
        "deepcopy": copy.deepcopy,
        "copy": copy.copy,
    }[how](deferred)
    eager, p1 = _build(1)
    points = clone._points
    _assert_same(_run(clone, points, 2), _run(eager, p1, 1))


def test_a_batch_of_deferred_filtrations_equals_the_single_calls():
    fils = [_build(2) for _ in range(3)]
    batch = diff.persistence_diagrams([f for f, _ in fils], n_threads=2)
    for (fil, _), dgms in zip(fils, batch):
        single, _ = _build(1)
        ref = diff.persistence_diagram(single)
        for k in ref.keys():
            assert torch.equal(dgms[k].detach(), ref[k].detach())


def test_a_pickle_from_before_the_deferral_still_loads():
    eager, _ = _build(1)
    state = eager.__getstate__()
    source, rows = state.pop("_source_and_rows")
    state.pop("_plan")
    state["_value_source"], state["_supports"] = source, rows  # the former layout
    old = type(eager).__new__(type(eager))
    old.__setstate__(state)
    np.testing.assert_array_equal(old._value_source, eager._value_source)
    assert torch.equal(old.values.detach(), eager.values.detach())


def test_a_plan_asked_for_another_filtration_raises():
    from calydon import _core

    deferred, _ = _build(2)
    same_cells, _ = _build(1, diff.weak_alpha_filtration)  # same complex, another rule
    smaller = diff.alpha_filtration(torch.tensor(random_cloud(50, 3, seed=1)))
    for other in (same_cells, smaller):
        with pytest.raises(
            ValueError, match="the support plan is for a filtration of kind 'alpha' with"
        ):
            _core.delaunay_supports(other.under_fil, deferred._plan)
    with pytest.raises(ValueError, match="needs a DelaunaySupportPlan, got None"):
        _core.run_requests([("delaunay_supports", deferred.under_fil, None)], 1)
