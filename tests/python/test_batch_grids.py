"""Batched grid input: ``batch_dims=k`` (leading axes index items) and lists of arrays, for the four
grid builders and the two one-call helpers; results equal per-item calls, gradients included."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

import calydon
import calydon.diff as diff

RNG = np.random.default_rng(11)

NUMPY_BUILDERS = {
    "freudenthal_filtration": lambda data, **kw: calydon.freudenthal_filtration(data, **kw),
    "cube_filtration": lambda data, **kw: calydon.cube_filtration(data, values_on="cells", **kw),
}
NUMPY_HELPERS = {
    "compute_diagrams_ls": lambda data, **kw: calydon.compute_diagrams_ls(data, **kw),
    "compute_diagrams_cubical": lambda data, **kw: calydon.compute_diagrams_cubical(data, **kw),
}
DIFF_BUILDERS = {
    "diff.freudenthal_filtration": lambda data, **kw: diff.freudenthal_filtration(data, **kw),
    "diff.cube_filtration": lambda data, **kw: diff.cube_filtration(data, values_on="cells", **kw),
}


def as_dgms(result):
    """numpy diagrams of a Filtration or a Diagrams, for comparisons."""
    if isinstance(result, calydon.Diagrams):
        return [np.asarray(d) for d in result]
    return [np.asarray(d) for d in calydon.compute_diagrams(result)]


def assert_same_numpy(got, want):
    a, b = as_dgms(got), as_dgms(want)
    assert len(a) == len(b)
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)
    if isinstance(want, calydon.Filtration):
        np.testing.assert_array_equal(got.values(), want.values())


def torch_loss(fil) -> torch.Tensor:
    dgms = diff.persistence_diagram(fil, include_inf_points=True)
    return sum(
        (d[:, 0] * 1.5).sum() + (d[torch.isfinite(d[:, 1]), 1]).pow(2).sum() for d in dgms.values()
    )


@pytest.mark.parametrize("name", sorted(NUMPY_BUILDERS) + sorted(NUMPY_HELPERS))
@pytest.mark.parametrize(
    "shape, batch_dims", [((3, 7), 1), ((2, 3, 6, 5), 2), ((2, 4, 3, 5), 1), ((1, 5, 6), 1)]
)
def test_numpy_batch_dims_equal_per_item_calls(name, shape, batch_dims):
    call = {**NUMPY_BUILDERS, **NUMPY_HELPERS}[name]
    data = RNG.random(shape)
    out = call(data, batch_dims=batch_dims)
    batch_shape = shape[:batch_dims]
    assert isinstance(out, list) and len(out) == int(np.prod(batch_shape))
    for flat, index in enumerate(np.ndindex(*batch_shape)):  # row-major
        assert_same_numpy(out[flat], call(data[index]))


def test_numpy_critical_indices_per_item():
    data = RNG.random((2, 5, 4))
    for call, flag in (
        (calydon.freudenthal_filtration, "with_critical_vertices"),
        (calydon.cube_filtration, "with_critical_indices"),
    ):
        out = call(data, batch_dims=1, **{flag: True})
        for i, (fil, crit) in enumerate(out):
            np.testing.assert_array_equal(fil.values(), data[i].reshape(-1)[crit])
            np.testing.assert_array_equal(crit, call(data[i], **{flag: True})[1])


def test_numpy_batch_dims_accepts_tensors_and_nested_lists():
    data = RNG.random((3, 4, 5))
    want = calydon.compute_diagrams_ls(data, batch_dims=1)
    for given in (torch.tensor(data), data.tolist()):
        got = calydon.compute_diagrams_ls(given, batch_dims=1)
        for g, w in zip(got, want):
            assert_same_numpy(g, w)


@pytest.mark.parametrize("name", sorted(DIFF_BUILDERS))
@pytest.mark.parametrize("shape, batch_dims", [((4, 9), 1), ((2, 3, 5, 6), 2), ((2, 3, 4, 5), 1)])
def test_diff_batch_dims_equal_per_item_calls_with_gradients(name, shape, batch_dims):
    call = DIFF_BUILDERS[name]
    x = torch.tensor(RNG.random(shape), requires_grad=True)
    fils = call(x, batch_dims=batch_dims)
    batch_shape = shape[:batch_dims]
    assert isinstance(fils, list) and len(fils) == int(np.prod(batch_shape))
    sum(torch_loss(f) for f in fils).backward()
    for flat, index in enumerate(np.ndindex(*batch_shape)):
        item = x.detach()[index].clone().requires_grad_(True)
        want = diff.persistence_diagram(call(item), include_inf_points=True)
        got = diff.persistence_diagram(fils[flat], include_inf_points=True)
        assert all(torch.equal(got[d], want[d]) for d in want)
        torch_loss(call(item)).backward()
        assert torch.equal(x.grad[index], item.grad)
    assert x.grad.abs().sum() > 0


def _graph_nodes(roots) -> list:
    """Every autograd node reachable from these grad_fns, each once."""
    seen, stack = {}, [r for r in roots if r is not None]
    while stack:
        node = stack.pop()
        if id(node) not in seen:
            seen[id(node)] = node
            stack += [nxt for nxt, _ in node.next_functions if nxt is not None]
    return list(seen.values())


def test_diff_batch_dims_split_is_one_autograd_node():
    # The items come from one node whose backward writes the batch's gradient once; one
    # indexing node per item would each write a zero tensor of the whole batch.
    x = torch.rand(2, 4, 5, 5, dtype=torch.float64, requires_grad=True)
    fils = diff.cube_filtration(x, batch_dims=2)
    nodes = _graph_nodes([f.values.grad_fn for f in fils])
    leaf_readers = [
        n
        for n in nodes
        if any(
            nxt is not None and type(nxt).__name__ == "AccumulateGrad"
            for nxt, _ in n.next_functions
        )
    ]
    assert len(leaf_readers) == 1  # the reshape of the batch axes into one
    batch_readers = [n for n in nodes if any(nxt is leaf_readers[0] for nxt, _ in n.next_functions)]
    assert len(batch_readers) == 1, [type(n).__name__ for n in batch_readers]


def test_diff_batch_keeps_dtype_and_device_of_each_item():
    x = torch.rand(3, 6, 6, dtype=torch.float32)
    for fil in diff.freudenthal_filtration(x, batch_dims=1):
        assert fil.values.dtype == torch.float32 and fil.values.device == x.device
        assert diff.persistence_diagram(fil)[0].dtype == torch.float32


def test_numpy_list_input_is_a_batch():
    items = [RNG.random((5, 6)), RNG.random(7), RNG.random((3, 4, 3))]
    for name, call in {**NUMPY_BUILDERS, **NUMPY_HELPERS}.items():
        for given in (items, tuple(items)):
            out = call(given)
            assert isinstance(out, list) and len(out) == 3, name
            for got, item in zip(out, items):
                assert_same_numpy(got, call(item))


def test_numpy_list_input_with_batch_dims_flattens_in_order():
    items = [RNG.random((2, 5, 5)), RNG.random((3, 4))]
    out = calydon.compute_diagrams_ls(items, batch_dims=1)
    expected = [items[0][0], items[0][1], items[1][0], items[1][1], items[1][2]]
    assert len(out) == 5
    for got, item in zip(out, expected):
        assert_same_numpy(got, calydon.compute_diagrams_ls(item))


def test_nested_list_of_numbers_stays_one_item():
    img = RNG.random((4, 5))
    assert_same_numpy(
        calydon.freudenthal_filtration(img.tolist()), calydon.freudenthal_filtration(img)
    )
    assert_same_numpy(calydon.compute_diagrams_ls(img.tolist()), calydon.compute_diagrams_ls(img))


@pytest.mark.parametrize("name", sorted(DIFF_BUILDERS))
def test_diff_list_input_is_a_batch_with_gradients(name):
    call = DIFF_BUILDERS[name]
    xs = [torch.tensor(RNG.random(s), requires_grad=True) for s in ((6, 5), (8,), (3, 4, 4))]
    fils = call(tuple(xs))
    assert isinstance(fils, list) and len(fils) == 3
    sum(torch_loss(f) for f in fils).backward()
    for x in xs:
        item = x.detach().clone().requires_grad_(True)
        torch_loss(call(item)).backward()
        assert torch.equal(x.grad, item.grad)


ALL = {**NUMPY_BUILDERS, **NUMPY_HELPERS, **DIFF_BUILDERS}


def wrap(name, data):
    return torch.tensor(data) if name.startswith("diff.") else data


@pytest.mark.parametrize("name", sorted(ALL))
@pytest.mark.parametrize("shape", [(1, 5, 6), (1, 3, 4, 4)])
def test_leading_axis_of_size_one_warns_naming_batch_dims(name, shape):
    data = wrap(name, RNG.random(shape))
    with pytest.warns(UserWarning, match="batch_dims") as record:
        single = ALL[name](data)
    assert record[0].filename == __file__  # points at the caller
    assert not isinstance(single, list)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(ALL[name](data, batch_dims=1)) == 1


@pytest.mark.parametrize("name", sorted(ALL))
@pytest.mark.parametrize("shape", [(1, 5), (2, 5, 6), (5, 1, 4), (3, 1, 4, 4)])
def test_no_warning_otherwise(name, shape):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ALL[name](wrap(name, RNG.random(shape)))
