"""calydon.vis.plot_diagram_gradient, checked on its arrows: one per point, along -grad, scaled
by the step, with tips inside the limits; the gradient comes from autograd on losses whose
gradient is known in closed form."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from calydon import vis  # noqa: E402
from conftest import seed_of  # noqa: E402
from generators import noisy_circle, random_diagram  # noqa: E402

torch = pytest.importorskip("torch")
diff = pytest.importorskip("calydon.diff")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def by_gid(ax, gid):
    found = [a for a in ax.collections if a.get_gid() == gid]
    assert len(found) == 1, f"expected one artist with gid {gid!r}, got {len(found)}"
    return found[0]


def arrows(ax, dim):
    """(tails (n, 2), vectors (n, 2)) of the quiver of dimension ``dim``."""
    quiver = by_gid(ax, f"grad H{dim}")
    return np.asarray(quiver.get_offsets()), np.c_[quiver.U, quiver.V]


def assert_inside(ax, xy):
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    assert np.all((x0 < xy[:, 0]) & (xy[:, 0] < x1) & (y0 < xy[:, 1]) & (xy[:, 1] < y1))


@given(n=st.integers(0, 15), step=st.sampled_from([0.01, 0.1, 1.0]), seed=st.integers(0, 2**16))
def test_total_persistence_moves_every_point_to_the_diagonal(n, step, seed):
    """loss = sum(death - birth): d loss / d (birth, death) = (-1, +1), so each arrow is
    step * (+1, -1), towards the diagonal."""
    dgm = torch.tensor(random_diagram(n, seed), requires_grad=True)
    (grad,) = torch.autograd.grad((dgm[:, 1] - dgm[:, 0]).sum(), dgm)
    ax = vis.plot_diagram_gradient(dgm, grad, step=step)
    tails, vectors = arrows(ax, 0)
    assert len(tails) == n
    np.testing.assert_allclose(np.sort(tails, axis=0), np.sort(dgm.detach().numpy(), axis=0))
    np.testing.assert_allclose(vectors, np.tile([step, -step], (n, 1)))
    assert_inside(ax, tails)
    assert_inside(ax, tails + vectors)
    plt.close(ax.figure)


def test_per_dimension_gradients_of_a_vietoris_rips_loss():
    """loss = sum of squared H1 deaths: the H1 arrows are (0, -2 step death), H0 arrows zero."""
    x = torch.tensor(noisy_circle(25, seed=seed_of("vis", "grad")), requires_grad=True)
    dgms = diff.persistence_diagram(diff.vr_filtration(x), include_inf_points=True)
    loss = (dgms[1][:, 1] ** 2).sum() + 0 * dgms[0][:, 0].sum()
    grads = torch.autograd.grad(loss, [dgms[0], dgms[1]])
    ax = vis.plot_diagram_gradient(dgms, grads, step=0.1)
    tails, vectors = arrows(ax, 1)
    expected = -0.1 * np.c_[np.zeros(len(dgms[1])), 2 * dgms[1][:, 1].detach().numpy()]
    order = np.lexsort(tails.T[::-1])
    ref_order = np.lexsort(dgms[1].detach().numpy().T[::-1])
    np.testing.assert_allclose(vectors[order], expected[ref_order])
    h0_tails, h0_vectors = arrows(ax, 0)
    assert len(h0_tails) == len(dgms[0])
    np.testing.assert_array_equal(h0_vectors, 0.0)
    inf_y = next(line for line in ax.lines if line.get_gid() == "inf").get_ydata()[0]
    assert np.sum(h0_tails[:, 1] == inf_y) == 1  # the essential H0 point sits on the ∞ line
    assert_inside(ax, np.concatenate([tails, tails + vectors, h0_tails]))


def test_essential_points_move_along_the_line_only():
    dgm = np.array([[0.2, 1.0], [0.1, np.inf]])
    grad = np.array([[1.0, -1.0], [-2.0, 0.0]])
    ax = vis.plot_diagram_gradient(dgm, grad, step=0.05)
    tails, vectors = arrows(ax, 0)
    np.testing.assert_allclose(vectors, [[-0.05, 0.05], [0.1, 0.0]])
    assert tails[1, 1] > 1.0
    assert_inside(ax, tails + vectors)


def test_default_step_makes_the_longest_arrow_a_fraction_of_the_range():
    dgm = np.array([[0.0, 1.0], [0.5, 2.0], [1.0, 3.0]])
    grad = np.array([[3.0, 4.0], [1.0, 0.0], [0.0, 0.0]])
    ax = vis.plot_diagram_gradient(dgm, grad)
    _, vectors = arrows(ax, 0)
    step = 0.15 * 3.0 / 5.0  # the finite range is 3, the longest gradient has norm 5
    np.testing.assert_allclose(vectors, -step * grad)
    assert np.linalg.norm(vectors, axis=1).max() == pytest.approx(0.15 * 3.0)
    assert ax.get_title() == f"-grad, step {step:.3g}"


def test_bad_gradients_are_refused():
    dgm = random_diagram(3, 0)
    with pytest.raises(ValueError, match="plot_diagram_gradient: grad must match dgm's shape"):
        vis.plot_diagram_gradient(dgm, np.zeros((2, 2)))
    with pytest.raises(ValueError, match="plot_diagram_gradient: grad must be finite"):
        vis.plot_diagram_gradient(dgm, np.full((3, 2), np.inf))
    with pytest.raises(ValueError, match="plot_diagram_gradient: step"):
        vis.plot_diagram_gradient(dgm, np.zeros((3, 2)), step=-1.0)
    with pytest.raises(ValueError, match="plot_diagram_gradient: grad must hold one gradient"):
        vis.plot_diagram_gradient([dgm, dgm], np.zeros((3, 2)))
