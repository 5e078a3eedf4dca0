"""Bad arguments to the topology optimizer and to the crit-sets gradient method.

Every error is a ValueError (IndexError is also accepted for an index out of range) whose message
names the offending argument or strategy; nothing is computed before the check.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
import torch

import calydon
import calydon.diff as diff
from generators import random_cloud

SQUARE = (
    [[0], [1], [2], [3], [0, 1], [1, 2], [2, 3], [0, 3], [0, 2], [0, 1, 2], [0, 2, 3]],
    [0.0, 1.0, 2.0, 3.0, 1.0, 2.0, 3.0, 3.5, 4.0, 5.0, 6.0],
)
N = len(SQUARE[0])
INDEX = re.compile(r"indices|index", re.IGNORECASE)


@pytest.fixture
def opt():
    return calydon.TopologyOptimizer(calydon.Filtration(*SQUARE))


def _sets(opt):
    return opt.singletons([10, 9], [4.0, 7.0])


# ------------------------------------------------------------------------------ strategies
def test_unknown_conflict_strategy(opt):
    for bad in ("bogus", "maximum"):
        with pytest.raises(ValueError, match=bad):
            opt.combine_loss(_sets(opt), bad)
        with pytest.raises(ValueError, match=bad):
            opt.crit_sets_apply([10], [4.0], bad)


def test_unknown_conflict_strategy_in_persistence_diagram():
    x = torch.tensor(np.random.default_rng(0).random((4, 4)), requires_grad=True)
    with pytest.raises(ValueError, match="bogus"):
        diff.persistence_diagram(
            diff.freudenthal_filtration(x), gradient_method="crit-sets", conflict_strategy="bogus"
        )


def test_unknown_denoise_strategy(opt):
    with pytest.raises((ValueError, TypeError)):
        opt.simplify(1.0, "bogus", 1)


@pytest.mark.parametrize("strategy", ["enum", "fca", "FCA"])
def test_combine_loss_refuses_fix_crit_avg(opt, strategy):
    if strategy == "enum":
        strategy = calydon.ConflictStrategy.FixCritAvg
    with pytest.raises(ValueError, match=re.compile("strategy", re.IGNORECASE)):
        opt.combine_loss(_sets(opt), strategy)


# ------------------------------------------------------------------------------ lengths, indices, values
def test_mismatched_lengths(opt):
    with pytest.raises(ValueError):
        opt.singletons([10, 9], [4.0])
    with pytest.raises(ValueError):
        opt.singletons(np.array([10]), np.array([4.0, 5.0]))
    with pytest.raises(ValueError):
        opt.crit_sets_apply([10, 9, 8], [4.0, 5.0], "avg")


@pytest.mark.parametrize("bad", [N, N + 5, -1])
def test_index_out_of_range(opt, bad):
    with pytest.raises((ValueError, IndexError), match=INDEX):
        opt.singleton(bad, 1.0)
    with pytest.raises((ValueError, IndexError), match=INDEX):
        opt.singletons([10, bad], [4.0, 1.0])
    with pytest.raises((ValueError, IndexError), match=INDEX):
        opt.crit_sets_apply([bad], [1.0], "avg")
    for move in ("increase_death", "decrease_death", "increase_birth", "decrease_birth"):
        with pytest.raises((ValueError, IndexError), match=INDEX):
            getattr(opt, move)(bad)


def test_combine_loss_index_out_of_range(opt):
    with pytest.raises((ValueError, IndexError), match=INDEX):
        opt.combine_loss([(1.0, np.array([3, N], dtype=np.int64))], "avg")


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_targets(opt, bad):
    with pytest.raises(ValueError):
        opt.singleton(10, bad)
    with pytest.raises(ValueError):
        opt.singletons([10, 9], [4.0, bad])
    with pytest.raises(ValueError):
        opt.crit_sets_apply([10, 9], [bad, 4.5], "max")


@pytest.mark.parametrize("bad", [math.nan, math.inf])
def test_combine_loss_non_finite_targets(opt, bad):
    with pytest.raises(ValueError):
        opt.combine_loss([(bad, np.array([3], dtype=np.int64))], "avg")


def test_get_nth_persistence_needs_positive_n(opt):
    for bad in (0, -1):
        with pytest.raises(ValueError):
            opt.get_nth_persistence(1, bad)
    assert opt.get_nth_persistence(1, 1) == 2.5  # the valid call still works


# ------------------------------------------------------------------------------ step_size
@pytest.mark.parametrize("bad", [0.0, -1.0, math.nan, math.inf, -math.inf])
def test_bad_step_size(bad):
    x = torch.tensor(np.random.default_rng(1).random((4, 4)), requires_grad=True)
    with pytest.raises(ValueError, match="step_size"):
        diff.persistence_diagram(
            diff.freudenthal_filtration(x), gradient_method="crit-sets", step_size=bad
        )


def test_good_step_size_is_accepted():
    x = torch.tensor(np.random.default_rng(1).random((4, 4)), requires_grad=True)
    dgms = diff.persistence_diagram(
        diff.freudenthal_filtration(x),
        gradient_method="crit-sets",
        step_size=1e-3,
        conflict_strategy=calydon.ConflictStrategy.Sum,
    )
    assert set(dgms) == {0, 1}


# ------------------------------------------------------------------------------ memory budget
def test_crit_sets_on_vr_refuses_a_complex_over_the_memory_budget(monkeypatch):
    pts = torch.tensor(random_cloud(20, 2, 0), requires_grad=True)
    fil = diff.vr_filtration(pts, max_dim=2)  # planned under the real budget, nothing built
    monkeypatch.setenv("CALYDON_MEMORY_BUDGET", "1000")
    with pytest.raises(ValueError, match="persistence_diagram"):
        diff.persistence_diagram(fil, gradient_method="crit-sets")
    monkeypatch.delenv("CALYDON_MEMORY_BUDGET")
    dgms = diff.persistence_diagram(fil, gradient_method="crit-sets")  # fine under the real budget
    assert set(dgms) == {0, 1}


def test_optimizer_on_lazy_vr_refuses_a_complex_over_the_memory_budget(monkeypatch):
    pts = torch.tensor(random_cloud(20, 2, 0), requires_grad=True)
    fil = diff.vr_filtration(pts, max_dim=2)
    monkeypatch.setenv("CALYDON_MEMORY_BUDGET", "1000")
    with pytest.raises(ValueError, match="TopologyOptimizer"):
        diff.TopologyOptimizer(fil).compute_diagram()
