"""Bad input to the vectorisations: TypeError or ValueError naming the function, the argument and
the value, raised before any work."""

import numpy as np
import pytest
import torch

import calydon.diff as diff

DGM = torch.tensor([[0.0, 1.0], [0.5, 2.0]], dtype=torch.float64)
FUNCTIONS = {
    "persistence_image": diff.persistence_image,
    "persistence_landscape": diff.persistence_landscape,
    "betti_curve": diff.betti_curve,
    "silhouette": diff.silhouette,
    "persistent_entropy": diff.persistent_entropy,
}
ALL = sorted(FUNCTIONS)
DGM3 = torch.tensor([[0.0, 1.0], [0.5, 2.0], [0.2, 0.3]], dtype=torch.float64)


def _raises(exc, api, *fragments):
    pattern = "^" + api + ": " + ".*".join(map(str, fragments))
    return pytest.raises(exc, match=pattern)


@pytest.mark.parametrize("api", ALL)
@pytest.mark.parametrize(
    "diagrams, exc, fragments",
    [
        (np.zeros((3, 2)), TypeError, ["diagrams", "ndarray"]),
        ([[0.0, 1.0]], TypeError, ["diagrams", "list"]),
        (torch.zeros((3, 2), dtype=torch.bool), TypeError, ["diagrams", "torch.bool"]),
        (torch.zeros((3, 3)), ValueError, ["diagrams", r"\(3, 3\)"]),
        (torch.zeros(4), ValueError, ["diagrams", r"\(4,\)"]),
        (torch.zeros((1, 2, 3, 2)), ValueError, ["diagrams", r"\(1, 2, 3, 2\)"]),
        (torch.tensor([[0.0, 1.0], [float("nan"), 1.0]]), ValueError, ["diagrams", "NaN", "row 1"]),
        (
            torch.tensor([[0.0, float("inf")]]),
            ValueError,
            ["diagrams", "essential", "inf", "row 0", "drop_essential"],
        ),
    ],
)
def test_bad_diagrams(api, diagrams, exc, fragments):
    with _raises(exc, api, *fragments):
        FUNCTIONS[api](diagrams)


@pytest.mark.parametrize("api", ALL)
@pytest.mark.parametrize(
    "mask, exc, fragments",
    [
        ([True, True], TypeError, ["mask", "list"]),
        (torch.ones(2), TypeError, ["mask", "torch.float32"]),
        (torch.ones(3, dtype=torch.bool), ValueError, ["mask", r"\(2,\)", r"\(3,\)"]),
    ],
)
def test_bad_mask(api, mask, exc, fragments):
    with _raises(exc, api, *fragments):
        FUNCTIONS[api](DGM, mask)


@pytest.mark.parametrize("api", ALL)
def test_bad_common_flags(api):
    with _raises(TypeError, api, "drop_essential", "int"):
        FUNCTIONS[api](DGM, drop_essential=1)
    if api != "persistence_image":
        with _raises(ValueError, api, "resolution", "positive", "0"):
            FUNCTIONS[api](DGM, resolution=0)
        with _raises(TypeError, api, "resolution", "float"):
            FUNCTIONS[api](DGM, resolution=10.0)


@pytest.mark.parametrize("api", [a for a in ALL if a != "persistence_image"])
@pytest.mark.parametrize(
    "sample_range, exc, fragments",
    [
        ((0.0,), ValueError, ["sample_range", "2 numbers"]),
        ("ab", ValueError, ["sample_range", "'ab'"]),
        ((0.0, "1"), TypeError, ["sample_range", "str"]),
        ((0.0, float("inf")), ValueError, ["sample_range", "finite"]),
        ((2.0, 1.0), ValueError, ["sample_range", "min <= max", r"\(2.0, 1.0\)"]),
    ],
)
def test_bad_sample_range(api, sample_range, exc, fragments):
    kwargs = {"mode": "vector"} if api == "persistent_entropy" else {}
    with _raises(exc, api, *fragments):
        FUNCTIONS[api](DGM, sample_range=sample_range, **kwargs)


@pytest.mark.parametrize("api", ALL)
def test_batch_needs_the_whole_range(api):
    padded, mask = diff.pad_diagrams([DGM, DGM[:1]])
    name = "im_range" if api == "persistence_image" else "sample_range"
    value = [0.0, 1.0, None, 2.0] if api == "persistence_image" else (None, 2.0)
    kwargs = {"mode": "vector"} if api == "persistent_entropy" else {}
    with _raises(ValueError, api, name, "batch", r"\(2, 2, 2\)", "None"):
        FUNCTIONS[api](padded, mask, **{name: value}, **kwargs)


def test_bad_image_parameters():
    api = "persistence_image"
    with _raises(ValueError, api, "bandwidth", "positive", "0.0"):
        diff.persistence_image(DGM, bandwidth=0.0)
    with _raises(TypeError, api, "bandwidth", "str"):
        diff.persistence_image(DGM, bandwidth="1")
    with _raises(ValueError, api, "resolution", "pair", r"\(1, 2, 3\)"):
        diff.persistence_image(DGM, resolution=(1, 2, 3))
    with _raises(ValueError, api, "resolution", "positive", "-1"):
        diff.persistence_image(DGM, resolution=(4, -1))
    with _raises(ValueError, api, "im_range", "4 numbers"):
        diff.persistence_image(DGM, im_range=[0, 1])
    with _raises(TypeError, api, "weight", "callable", "float"):
        diff.persistence_image(DGM, weight=2.0)
    with _raises(ValueError, api, "weight", "one weight per row", r"\(2,\)", r"\(3, 2\)"):
        diff.persistence_image(DGM3, weight=lambda bp: bp[1])  # gudhi style: one point at a time


def test_bad_other_parameters():
    with _raises(ValueError, "persistence_landscape", "num_landscapes", "positive", "0"):
        diff.persistence_landscape(DGM, num_landscapes=0)
    with _raises(ValueError, "betti_curve", "temperature", "positive", "-0.1"):
        diff.betti_curve(DGM, temperature=-0.1)
    with _raises(TypeError, "betti_curve", "temperature", "str"):
        diff.betti_curve(DGM, temperature="0.1")
    with _raises(ValueError, "persistent_entropy", "mode", "'histogram'"):
        diff.persistent_entropy(DGM, mode="histogram")
    with _raises(TypeError, "persistent_entropy", "normalized", "int"):
        diff.persistent_entropy(DGM, normalized=1)
    with _raises(TypeError, "silhouette", "weight", "callable", "str"):
        diff.silhouette(DGM, weight="persistence")
    with _raises(TypeError, "persistence_landscape", "keep_endpoints", "NoneType"):
        diff.persistence_landscape(DGM, keep_endpoints=None)


def test_mask_on_another_device():
    if not torch.cuda.is_available():
        pytest.skip("needs CUDA")
    with _raises(ValueError, "silhouette", "mask", "device"):
        diff.silhouette(DGM, torch.ones(2, dtype=torch.bool, device="cuda"))


def test_numpy_scalars_and_arrays_are_accepted_as_parameters():
    image = diff.persistence_image(
        DGM, bandwidth=np.float32(0.5), resolution=np.int64(4), im_range=np.array([0, 1, 0, 2.0])
    )
    expected = diff.persistence_image(DGM, bandwidth=0.5, resolution=(4, 4), im_range=[0, 1, 0, 2])
    torch.testing.assert_close(image, expected)
    curve = diff.silhouette(DGM, resolution=np.int32(5), sample_range=(np.float32(0), 2))
    torch.testing.assert_close(curve, diff.silhouette(DGM, resolution=5, sample_range=(0, 2)))
