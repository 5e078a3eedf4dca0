"""calydon.diff vectorisations against gudhi.representations (numpy) on the same diagrams and
parameters: the same pixel centres, Gaussian scaling, sampling grids (given or computed, with or
without endpoints), the sqrt(2) of landscapes and silhouettes, the Betti and entropy bins."""

import gudhi.representations as gr
import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import calydon.diff as diff
from generators import random_diagram


def _diagram(n: int, seed: int) -> np.ndarray:
    return random_diagram(n, seed=seed, scale=2.0, min_persistence=1e-3) - 0.5


def _close(actual: torch.Tensor, expected, atol: float = 1e-12) -> None:
    np.testing.assert_allclose(
        actual.detach().numpy().ravel(), np.ravel(expected), rtol=1e-10, atol=atol
    )


@given(
    n=st.integers(1, 40),
    seed=st.integers(0, 10**6),
    nx=st.integers(1, 12),
    ny=st.integers(1, 12),
    bandwidth=st.floats(0.05, 2.0),
    given_range=st.booleans(),
)
def test_persistence_image_matches_gudhi(n, seed, nx, ny, bandwidth, given_range):
    dgm = _diagram(n, seed)
    im_range = [-0.7, 1.8, 0.0, 2.3] if given_range else [np.nan] * 4
    expected = gr.PersistenceImage(bandwidth=bandwidth, resolution=[nx, ny], im_range=im_range)(dgm)
    actual = diff.persistence_image(
        torch.tensor(dgm), bandwidth=bandwidth, resolution=(nx, ny), im_range=im_range
    )
    assert actual.shape == (ny, nx)
    _close(actual, expected)


def test_persistence_image_weight_sees_birth_persistence():
    dgm = _diagram(25, 3)
    expected = gr.PersistenceImage(
        bandwidth=0.3, weight=lambda bp: bp[1] ** 2 + bp[0], resolution=[9, 6]
    )(dgm)
    actual = diff.persistence_image(
        torch.tensor(dgm),
        bandwidth=0.3,
        weight=lambda bp: bp[..., 1] ** 2 + bp[..., 0],
        resolution=(9, 6),
    )
    _close(actual, expected)


@given(
    n=st.integers(1, 40),
    seed=st.integers(0, 10**6),
    k=st.integers(1, 50),
    resolution=st.integers(1, 60),
    given_range=st.booleans(),
    keep_endpoints=st.booleans(),
)
def test_landscape_matches_gudhi(n, seed, k, resolution, given_range, keep_endpoints):
    dgm = _diagram(n, seed)
    sample_range = [-0.3, 2.1] if given_range else [np.nan, np.nan]
    expected = gr.Landscape(
        num_landscapes=k,
        resolution=resolution,
        sample_range=sample_range,
        keep_endpoints=keep_endpoints,
    )(dgm)
    actual = diff.persistence_landscape(
        torch.tensor(dgm),
        num_landscapes=k,
        resolution=resolution,
        sample_range=sample_range,
        keep_endpoints=keep_endpoints,
    )
    assert actual.shape == (k, resolution)
    _close(actual, expected)


@given(
    n=st.integers(1, 40),
    seed=st.integers(0, 10**6),
    resolution=st.integers(2, 60),
    given_range=st.booleans(),
    keep_endpoints=st.booleans(),
)
def test_betti_curve_matches_gudhi(n, seed, resolution, given_range, keep_endpoints):
    dgm = _diagram(n, seed)
    sample_range = [-0.3, 2.1] if given_range else [np.nan, np.nan]
    expected = gr.BettiCurve(
        resolution=resolution, sample_range=sample_range, keep_endpoints=keep_endpoints
    )(dgm)
    actual = diff.betti_curve(
        torch.tensor(dgm),
        resolution=resolution,
        sample_range=sample_range,
        keep_endpoints=keep_endpoints,
    )
    assert actual.dtype == torch.float64 and not actual.requires_grad
    _close(actual, expected)


@given(n=st.integers(1, 30), seed=st.integers(0, 10**6), temperature=st.floats(1e-3, 1.0))
def test_smoothed_betti_curve_is_the_sigmoid_sum(n, seed, temperature):
    dgm = _diagram(n, seed)
    grid = np.linspace(-0.5, 2.0, 33)
    logistic = lambda z: 0.5 * (1.0 + np.tanh(z / 2.0))  # noqa: E731, an independent sigmoid
    expected = (
        logistic((grid[None] - dgm[:, :1]) / temperature)
        - logistic((grid[None] - dgm[:, 1:]) / temperature)
    ).sum(0)
    actual = diff.betti_curve(
        torch.tensor(dgm), resolution=33, sample_range=(-0.5, 2.0), temperature=temperature
    )
    _close(actual, expected, atol=1e-10)


def test_smoothed_betti_curve_tends_to_the_counts():
    dgm = _diagram(30, 11)
    exact = diff.betti_curve(torch.tensor(dgm), resolution=40, sample_range=(-0.5, 2.0))
    smooth = diff.betti_curve(
        torch.tensor(dgm), resolution=40, sample_range=(-0.5, 2.0), temperature=1e-7
    )
    grid = np.linspace(-0.5, 2.0, 40)
    gap = np.abs(grid[:, None] - dgm.ravel()[None]).min(1)
    far = gap > 1e-5  # samples not within a few temperatures of a birth or death
    np.testing.assert_allclose(smooth.numpy()[far], exact.numpy()[far], atol=1e-6)


@given(
    n=st.integers(1, 40),
    seed=st.integers(0, 10**6),
    resolution=st.integers(1, 60),
    given_range=st.booleans(),
    power=st.sampled_from([0, 1, 2]),
)
def test_silhouette_matches_gudhi(n, seed, resolution, given_range, power):
    dgm = _diagram(n, seed)
    sample_range = [-0.3, 2.1] if given_range else [np.nan, np.nan]
    expected = gr.Silhouette(
        weight=lambda bd: (bd[1] - bd[0]) ** power, resolution=resolution, sample_range=sample_range
    )(dgm)
    actual = diff.silhouette(
        torch.tensor(dgm),
        weight=lambda bd: (bd[..., 1] - bd[..., 0]) ** power,
        resolution=resolution,
        sample_range=sample_range,
    )
    _close(actual, expected)


@given(n=st.integers(1, 40), seed=st.integers(0, 10**6))
def test_scalar_entropy_matches_gudhi(n, seed):
    dgm = _diagram(n, seed)
    expected = gr.Entropy(mode="scalar")(dgm)
    actual = diff.persistent_entropy(torch.tensor(dgm))
    assert actual.shape == ()
    _close(actual, expected)


@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")  # gudhi 0/0
@given(
    n=st.integers(1, 40),
    seed=st.integers(0, 10**6),
    resolution=st.integers(2, 60),
    normalized=st.booleans(),
)
def test_vector_entropy_matches_gudhi_on_a_given_range(n, seed, resolution, normalized):
    dgm = _diagram(n, seed)
    expected = gr.Entropy(
        mode="vector", normalized=normalized, resolution=resolution, sample_range=[-0.3, 2.1]
    )(dgm)
    actual = diff.persistent_entropy(
        torch.tensor(dgm),
        mode="vector",
        normalized=normalized,
        resolution=resolution,
        sample_range=(-0.3, 2.1),
    )
    if np.isnan(expected).any():  # gudhi's 0 / 0 when nothing is alive at any sample
        assert torch.all(actual == 0)
    else:
        _close(actual, expected)


def test_vector_entropy_on_a_computed_range_is_sampled_at_the_grid():
    """gudhi's computed-range entropy bins start at min birth, one spacing left of its grid;
    ours sample the grid itself, which the explicit-range call reproduces."""
    dgm = _diagram(20, 5)
    lo, hi, resolution = dgm[:, 0].min(), dgm[:, 1].max(), 30
    step = (hi - lo) / (resolution + 1)
    shifted = gr.Entropy(mode="vector", resolution=resolution)(dgm)
    same_bins = diff.persistent_entropy(
        torch.tensor(dgm),
        mode="vector",
        resolution=resolution,
        sample_range=(lo, lo + (resolution - 1) * step),
    )
    _close(same_bins, shifted, atol=1e-10)
    ours = diff.persistent_entropy(torch.tensor(dgm), mode="vector", resolution=resolution)
    explicit = diff.persistent_entropy(
        torch.tensor(dgm),
        mode="vector",
        resolution=resolution + 2,
        sample_range=(lo, hi),
        keep_endpoints=True,
    )
    # normalised over different sample sets: compare shapes up to the norm
    inner = explicit[1:-1]
    _close(ours, inner / inner.abs().sum())


@pytest.mark.parametrize(
    "call",
    [
        lambda d: diff.persistence_image(d, resolution=(4, 3)),
        lambda d: diff.persistence_landscape(d, resolution=7),
        lambda d: diff.betti_curve(d, resolution=7),
        lambda d: diff.silhouette(d, resolution=7),
        lambda d: diff.persistent_entropy(d),
        lambda d: diff.persistent_entropy(d, mode="vector", resolution=7),
    ],
)
def test_empty_diagram_gives_zeros(call):
    out = call(torch.empty((0, 2), dtype=torch.float64))
    assert torch.all(out == 0)


def test_betti_and_entropy_ties_on_the_grid_match_gudhi():
    """Births and deaths exactly on samples: a birth at x counts, a death at x does not."""
    rng = np.random.default_rng(8)
    births = rng.integers(0, 8, 30).astype(float)
    dgm = np.stack([births, births + rng.integers(1, 4, 30)], 1)
    grid = dict(resolution=13, sample_range=[0.0, 12.0])
    _close(diff.betti_curve(torch.tensor(dgm), **grid), gr.BettiCurve(**grid)(dgm))
    vector = gr.Entropy(mode="vector", normalized=False, **grid)(dgm)
    ours = diff.persistent_entropy(torch.tensor(dgm), mode="vector", normalized=False, **grid)
    _close(ours, vector)
