"""Bad batched grid input: every case raises TypeError / ValueError naming ``batch_dims`` or the
offending item (``data[i]``, ``data[i, j]``)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import calydon
import calydon.diff as diff

RNG = np.random.default_rng(3)

ALL = {
    "freudenthal_filtration": lambda data, **kw: calydon.freudenthal_filtration(data, **kw),
    "cube_filtration": lambda data, **kw: calydon.cube_filtration(data, **kw),
    "compute_diagrams_ls": lambda data, **kw: calydon.compute_diagrams_ls(data, **kw),
    "compute_diagrams_cubical": lambda data, **kw: calydon.compute_diagrams_cubical(data, **kw),
    "diff.freudenthal_filtration": lambda data, **kw: diff.freudenthal_filtration(data, **kw),
    "diff.cube_filtration": lambda data, **kw: diff.cube_filtration(data, **kw),
}
NAMES = sorted(ALL)


def wrap(name, data):
    return torch.tensor(data) if name.startswith("diff.") else data


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(
    "batch_dims, error",
    [(-1, ValueError), (1.0, TypeError), (True, TypeError), ("1", TypeError), (None, TypeError)],
)
def test_bad_batch_dims_type_or_value(name, batch_dims, error):
    with pytest.raises(error, match=f"{name}: batch_dims must be a non-negative int"):
        ALL[name](wrap(name, RNG.random((2, 4, 4))), batch_dims=batch_dims)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("shape, batch_dims", [((4, 4), 2), ((3, 4), 3), ((2, 2, 2, 2, 2, 2), 1)])
def test_grid_axes_must_be_one_to_four(name, shape, batch_dims):
    with pytest.raises(ValueError, match=f"{name}: with batch_dims={batch_dims}, data must have"):
        ALL[name](wrap(name, RNG.random(shape)), batch_dims=batch_dims)


@pytest.mark.parametrize("name", NAMES)
def test_numpy_integer_batch_dims_is_accepted(name):
    assert len(ALL[name](wrap(name, RNG.random((2, 5))), batch_dims=np.int64(1))) == 2


@pytest.mark.parametrize("name", NAMES)
def test_empty_batches_are_refused(name):
    with pytest.raises(ValueError, match="empty batch"):
        ALL[name](wrap(name, np.zeros((0, 4, 4))), batch_dims=1)


@pytest.mark.parametrize("name", NAMES)
def test_empty_list(name):
    # Not a batch (a batch needs at least one array): numpy builders read [] as an array-like
    # with no entries, torch builders refuse it as not a tensor, both as before.
    if name.startswith("diff."):
        with pytest.raises(TypeError, match=f"{name}: data must be a torch.Tensor, got list"):
            ALL[name]([])
    else:
        with pytest.raises(ValueError, match=f"{name}: data must not be empty"):
            ALL[name]([])


@pytest.mark.parametrize("name", NAMES)
def test_bad_item_is_named_by_its_batch_index(name):
    data = RNG.random((2, 3, 4, 4))
    data[1, 2, 0, 0] = np.nan
    with pytest.raises(ValueError, match=r"data\[1, 2\] must be finite"):
        ALL[name](wrap(name, data), batch_dims=2)
    items = [RNG.random((4, 4)), RNG.random((2, 2, 2, 2, 2))]
    with pytest.raises(ValueError, match=r"data\[1\] must have 1 or 2 or 3 or 4 dimensions"):
        ALL[name]([wrap(name, a) for a in items])


@pytest.mark.parametrize("name", [n for n in NAMES if n.startswith("diff.")])
def test_diff_builders_take_tensors_only(name):
    with pytest.raises(TypeError, match=r"data\[1\] must be a torch.Tensor, got ndarray"):
        ALL[name]([torch.rand(3, 3), RNG.random((3, 3))])
    with pytest.raises(TypeError, match="data must be a torch.Tensor, got list"):
        ALL[name]([[0.0, 1.0], [2.0, 3.0]])  # a nested list of numbers is not a batch
    with pytest.raises(TypeError, match="data must be a torch.Tensor"):
        ALL[name](RNG.random((2, 3, 3)), batch_dims=1)
    with pytest.raises(TypeError, match=r"data\[0\] must have a real numeric dtype"):
        ALL[name]([torch.zeros(3, 3, dtype=torch.bool)])


def test_values_on_is_checked_before_the_batch():
    with pytest.raises(ValueError, match="values_on"):
        calydon.cube_filtration(RNG.random((2, 3, 3)), values_on="faces", batch_dims=1)
    with pytest.raises(ValueError, match="values_on"):
        diff.cube_filtration(torch.rand(2, 3, 3), values_on="faces", batch_dims=1)


def test_batch_dims_is_keyword_only():
    with pytest.raises(TypeError):
        calydon.compute_diagrams_ls(RNG.random((2, 3, 3)), False, None, True, False, 1)
    with pytest.raises(TypeError):
        diff.freudenthal_filtration(torch.rand(2, 3, 3), False, None, None, 1)
