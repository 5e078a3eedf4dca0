"""calydon.nn: bad constructor arguments and bad inputs raise TypeError / ValueError naming the
layer or loss, the argument and the value; the DiagramBatch accessors refuse bad keys."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from calydon import diff
from calydon import nn as cnn


@pytest.mark.parametrize(
    "factory,exc,pattern",
    [
        (
            lambda: cnn.CubicalPersistence("faces"),
            ValueError,
            r"^CubicalPersistence: values_on must be one of 'vertices', 'cells', got 'faces'",
        ),
        (
            lambda: cnn.CubicalPersistence(negate=1),
            TypeError,
            r"^CubicalPersistence: negate must be a bool, got int",
        ),
        (
            lambda: cnn.CubicalPersistence(grid_dims=5),
            ValueError,
            r"^CubicalPersistence: grid_dims must be in \[1, 4\], got 5",
        ),
        (
            lambda: cnn.CubicalPersistence(batch_dims=-1),
            ValueError,
            r"^CubicalPersistence: batch_dims must be >= 0, got -1",
        ),
        (
            lambda: cnn.CubicalPersistence(batch_dims=True),
            TypeError,
            r"^CubicalPersistence: batch_dims must be an int, got bool",
        ),
        (
            lambda: cnn.FreudenthalPersistence(max_dim=-1),
            ValueError,
            r"^FreudenthalPersistence: max_dim must be >= 0, got -1",
        ),
        (
            lambda: cnn.FreudenthalPersistence(gradient_method="exact"),
            ValueError,
            r"^FreudenthalPersistence: gradient_method must be one of",
        ),
        (
            lambda: cnn.FreudenthalPersistence(n_threads=0),
            ValueError,
            r"^FreudenthalPersistence: n_threads must be a positive int .*or None, got 0",
        ),
        (
            lambda: cnn.VietorisRipsPersistence(max_dim=1.5),
            TypeError,
            r"^VietorisRipsPersistence: max_dim must be an int, got float",
        ),
        (
            lambda: cnn.VietorisRipsPersistence(max_diameter=-1.0),
            ValueError,
            r"^VietorisRipsPersistence: max_diameter must be >= 0 or None, got -1.0",
        ),
        (
            lambda: cnn.VietorisRipsPersistence(max_diameter="2"),
            TypeError,
            r"^VietorisRipsPersistence: max_diameter must be a real number or None, got str",
        ),
        (
            lambda: cnn.VietorisRipsPersistence(include_inf_points=None),
            TypeError,
            r"^VietorisRipsPersistence: include_inf_points must be a bool, got NoneType",
        ),
        (
            lambda: cnn.AlphaPersistence("rips"),
            ValueError,
            r"^AlphaPersistence: rule must be one of 'alpha', 'weak_alpha', 'cech_delaunay', got 'rips'",
        ),
        (
            lambda: cnn.SlicedWassersteinLoss(0),
            ValueError,
            r"^SlicedWassersteinLoss: n_directions must be a positive int, got 0",
        ),
        (
            lambda: cnn.SlicedWassersteinLoss(True),
            TypeError,
            r"^SlicedWassersteinLoss: n_directions must be an int, got bool",
        ),
        (
            lambda: cnn.SlicedWassersteinLoss(generator=3),
            TypeError,
            r"^SlicedWassersteinLoss: generator must be a torch.Generator or None, got int",
        ),
        (
            lambda: cnn.SlicedWassersteinLoss(reduction="avg"),
            ValueError,
            r"^SlicedWassersteinLoss: reduction must be one of 'mean', 'sum', 'none', got 'avg'",
        ),
        (
            lambda: cnn.WassersteinLoss(q=0.5),
            ValueError,
            r"^WassersteinLoss: q must be a finite number >= 1, got 0.5",
        ),
        (
            lambda: cnn.WassersteinLoss(reduction=None),
            ValueError,
            r"^WassersteinLoss: reduction must be one of .*got None",
        ),
        (
            lambda: cnn.TotalPersistenceLoss(p=0),
            ValueError,
            r"^TotalPersistenceLoss: p must be a positive finite number, got 0",
        ),
        (
            lambda: cnn.TotalPersistenceLoss(p="1"),
            TypeError,
            r"^TotalPersistenceLoss: p must be a positive real number, got str",
        ),
        (
            lambda: cnn.TotalPersistenceLoss(reduction="batchmean"),
            ValueError,
            r"^TotalPersistenceLoss: reduction must be one of",
        ),
    ],
)
def test_bad_constructor_arguments(factory, exc, pattern):
    with pytest.raises(exc, match=pattern):
        factory()


def test_numpy_integers_are_ints():
    assert cnn.SlicedWassersteinLoss(np.int64(10)).n_directions == 10
    assert cnn.CubicalPersistence(batch_dims=np.int32(2), grid_dims=np.int64(3)).grid_dims == 3


@pytest.mark.parametrize(
    "layer,x,exc,pattern",
    [
        (
            cnn.CubicalPersistence(),
            torch.rand(4, 4),
            ValueError,
            r"^CubicalPersistence: input must have batch_dims \+ grid_dims = 1 \+ 2 = 3 axes \(B, H, W\), got shape \(4, 4\)",
        ),
        (
            cnn.CubicalPersistence(batch_dims=2),
            torch.rand(2, 4, 4),
            ValueError,
            r"= 4 axes \(B, C, H, W\), got shape \(2, 4, 4\)",
        ),
        (
            cnn.FreudenthalPersistence(grid_dims=3),
            torch.rand(2, 4, 4),
            ValueError,
            r"^FreudenthalPersistence: .* = 4 axes \(B, D, H, W\)",
        ),
        (
            cnn.CubicalPersistence(),
            np.zeros((2, 3, 3)),
            TypeError,
            r"^CubicalPersistence: input must be a torch.Tensor, got ndarray",
        ),
        (
            cnn.CubicalPersistence(),
            torch.zeros(2, 3, 3, dtype=torch.bool),
            TypeError,
            r"^CubicalPersistence: input must have a real dtype, got torch.bool",
        ),
        (
            cnn.CubicalPersistence(),
            torch.tensor([[[0.0, float("nan")]]]),
            ValueError,
            r"^CubicalPersistence: input must be finite",
        ),
        (
            cnn.CubicalPersistence(),
            torch.zeros(0, 3, 3),
            ValueError,
            r"^CubicalPersistence: input must not be empty, got shape \(0, 3, 3\)",
        ),
        (
            cnn.VietorisRipsPersistence(),
            torch.rand(5, 2),
            ValueError,
            r"^VietorisRipsPersistence: input must have batch_dims \+ 2 = 3 axes \(B, \(N, D\) point cloud\)",
        ),
        (
            cnn.VietorisRipsPersistence(),
            [],
            ValueError,
            r"^VietorisRipsPersistence: input must not be an empty list",
        ),
        (
            cnn.VietorisRipsPersistence(),
            [torch.rand(5, 2), torch.rand(5)],
            ValueError,
            r"^VietorisRipsPersistence: input\[1\] must be one \(N, D\) point cloud, got shape \(5,\)",
        ),
        (
            cnn.VietorisRipsPersistence(),
            [torch.rand(5, 2), [[0.0, 1.0]]],
            TypeError,
            r"^VietorisRipsPersistence: input\[1\] must be a torch.Tensor, got list",
        ),
        (
            cnn.VietorisRipsPersistence(from_pwdists=True),
            torch.rand(3, 4),
            ValueError,
            r"\(N, N\) distance matrix",
        ),
        (
            cnn.VietorisRipsPersistence(),
            torch.rand(0, 5, 2),
            ValueError,
            r"^VietorisRipsPersistence: input has an empty batch, shape \(0, 5, 2\)",
        ),
        (
            cnn.AlphaPersistence(),
            torch.rand(2, 6, 4),
            ValueError,
            r"^AlphaPersistence: every point cloud must have 2 or 3 coordinates, got item 0 of shape \(6, 4\)",
        ),
    ],
)
def test_bad_layer_inputs(layer, x, exc, pattern):
    with pytest.raises(exc, match=pattern):
        layer(x)


def test_bad_loss_inputs():
    dgm = torch.tensor([[0.0, 1.0], [0.5, 2.0]], dtype=torch.float64)
    padded, mask = diff.pad_diagrams([dgm, dgm[:1]])
    sw = cnn.SlicedWassersteinLoss(4)
    total = cnn.TotalPersistenceLoss()
    batch = cnn.CubicalPersistence()(torch.rand(2, 4, 4))
    pick = r"got DiagramBatch .*pick a dimension, e\.g\. dgms\[1\]"
    with pytest.raises(
        TypeError, match=rf"^SlicedWassersteinLoss: input must be one diagram.*{pick}"
    ):
        sw(batch, dgm)
    with pytest.raises(
        TypeError, match=rf"^TotalPersistenceLoss: input must be one diagram.*{pick}"
    ):
        total(batch)
    with pytest.raises(
        TypeError, match=r"^WassersteinLoss: target must be one diagram.*got PersistenceDiagrams"
    ):
        cnn.WassersteinLoss()(dgm, batch.item(0))
    with pytest.raises(
        ValueError, match=r"^SlicedWassersteinLoss: mask must have shape \(2, 2\).*got \(2, 3\)"
    ):
        sw(padded, dgm, mask=torch.ones(2, 3, dtype=torch.bool))
    with pytest.raises(
        TypeError, match=r"^TotalPersistenceLoss: mask must be a bool tensor, got torch.int64"
    ):
        total(padded, mask=mask.long())
    with pytest.raises(
        ValueError, match=r"^TotalPersistenceLoss: mask must be None when input is a PaddedDiagrams"
    ):
        total(cnn.PaddedDiagrams(padded, mask), mask=mask)
    with pytest.raises(
        ValueError, match=r"^TotalPersistenceLoss: mask must be None when input is a list"
    ):
        total([dgm], mask=mask)
    with pytest.raises(
        ValueError,
        match=r"^SlicedWassersteinLoss: input must have shape \(n, 2\) or \(\*batch, N, 2\), got \(2, 3\)",
    ):
        sw(torch.zeros(2, 3), dgm)
    with pytest.raises(
        TypeError, match=r"^SlicedWassersteinLoss: input must be a tensor .*got ndarray"
    ):
        sw(dgm.numpy(), dgm)
    with pytest.raises(
        ValueError,
        match=r"^SlicedWassersteinLoss: target must be one diagram or a batch of the input's batch shape \(2,\), got batch shape \(3,\)",
    ):
        sw(padded, [dgm, dgm, dgm], mask=mask)
    with pytest.raises(
        ValueError,
        match=r"^WassersteinLoss: target must be one diagram or a batch .*\(\), got batch shape \(2,\)",
    ):
        cnn.WassersteinLoss()(dgm, padded)
    with pytest.raises(
        ValueError, match=r"^WassersteinLoss: target must be a rectangular array-like"
    ):
        cnn.WassersteinLoss()(dgm, [[0.0, 1.0], [1.0]])
    with pytest.raises(
        TypeError, match=r"^WassersteinLoss: target must be a diagram of real numbers"
    ):
        cnn.WassersteinLoss()(dgm, [["a", "b"]])


def test_empty_loss_batch():
    with pytest.raises(
        ValueError, match=r"^SlicedWassersteinLoss: input has an empty batch, shape \(0, 3, 2\)"
    ):
        cnn.SlicedWassersteinLoss(4)(torch.zeros(0, 3, 2), torch.zeros(1, 2))


def test_diagram_batch_accessors():
    x = torch.rand(2, 3, 5, 5, dtype=torch.float64)
    out = cnn.CubicalPersistence(batch_dims=2)(x)
    assert len(out) == 2 and list(out) == [0, 1] and out.max_dim == 1
    assert out.item(1, 2) is out.item(5) is out.item(-1) is out.item(-1, -1)
    assert out.in_dimension(1) is out[1]
    assert [len(t) for t in out[1].unpad()] == [len(t) for t in out.diagrams(1)]
    assert out[1].batch_shape == (2, 3)
    with pytest.raises(KeyError, match=r"DiagramBatch: no dimension 2; available: \[0, 1\]"):
        out[2]
    with pytest.raises(IndexError, match=r"DiagramBatch.item: index \(2, 0\) out of range"):
        out.item(2, 0)
    with pytest.raises(IndexError, match=r"DiagramBatch.item: got 3 indices for batch shape"):
        out.item(0, 0, 0)
    with pytest.raises(IndexError, match=r"out of range"):
        out.item(6)
    single = cnn.CubicalPersistence(batch_dims=0)(x[0, 0])
    assert single.batch_shape == () and single[0].values.ndim == 2
    assert single.item() is single.item(0)
    assert "CubicalPersistence(values_on='vertices'" in repr(cnn.CubicalPersistence())
    assert "DiagramBatch(batch_shape=(2, 3)" in repr(out)
