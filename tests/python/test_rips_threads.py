"""Vietoris-Rips on several threads: the implicit cohomology gives the same diagrams (the same
arrays, row for row), the same gradients, ripser's diagrams, and still answers Ctrl-C."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import calydon
import calydon.diff as diff
from conftest import assert_dgm_equal, seed_of
from generators import random_cloud

THREADS = (1, 2, 4)


def enclosing_radius(x: np.ndarray) -> float:
    return float(np.sqrt(((x[:, None] - x[None]) ** 2).sum(-1)).max(1).min())


@st.composite
def clouds(draw):
    """20-120 points in R^2..R^4; half of them on a coarse lattice (equal lengths, ties)."""
    n = draw(st.integers(20, 120))
    d = draw(st.integers(2, 4))
    lattice = draw(st.sampled_from([0, 3]))
    x = random_cloud(n, d, seed_of("rips-threads", n, d, draw(st.integers(0, 99))), lattice)
    return x


@given(clouds(), st.integers(1, 3), st.sampled_from([None, 0.5]))
def test_diagrams_identical_for_any_thread_count_and_equal_to_ripser(x, max_dim, fraction):
    ripser = pytest.importorskip("ripser")
    threshold = None if fraction is None else fraction * enclosing_radius(x)
    runs = [
        calydon.compute_diagrams_vr(x, max_dim=max_dim, max_diameter=threshold, n_threads=nt)
        for nt in THREADS
    ]
    for other, nt in zip(runs[1:], THREADS[1:]):
        for k in range(max_dim):
            # The very same rows in the same order, not merely the same multiset.
            np.testing.assert_array_equal(other[k], runs[0][k], err_msg=f"n_threads={nt} H{k}")
    theirs = ripser.ripser(
        x, maxdim=max_dim - 1, thresh=enclosing_radius(x) if threshold is None else threshold
    )["dgms"]
    for k in range(max_dim):
        # ripser computes in float32.
        assert_dgm_equal(runs[0][k], theirs[k], atol=1e-6, rtol=1e-6, msg=f"ripser H{k}")


def total_persistence_grad(x: np.ndarray, max_dim: int, n_threads: int, dualize=None):
    pts = torch.tensor(x, requires_grad=True)
    fil = diff.vr_filtration(pts, max_dim=max_dim)
    dgms = diff.persistence_diagram(fil, n_threads=n_threads, dualize=dualize)
    loss = torch.zeros((), dtype=torch.float64)
    for k, dgm in dgms.items():
        finite = dgm[torch.isfinite(dgm[:, 1])]
        loss = loss + (k + 1.0) * ((finite[:, 1] - finite[:, 0]) ** 2).sum() + 0.3 * finite.sum()
    loss.backward()
    return dgms, pts.grad


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("max_dim", [2, 3])
def test_gradients_identical_for_any_thread_count(seed, max_dim):
    x = random_cloud(70, 3, seed_of("rips-threads-grad", seed))
    dgms, grad = total_persistence_grad(x, max_dim, 1)
    for nt in THREADS[1:]:
        other, other_grad = total_persistence_grad(x, max_dim, nt)
        for k in dgms:
            assert torch.equal(other[k], dgms[k]), (nt, k)
        assert torch.equal(other_grad, grad), nt
    # Independent check: the explicit filtration's homology (general position: same gradient).
    _, explicit_grad = total_persistence_grad(x, max_dim, 1, dualize=False)
    np.testing.assert_allclose(grad.numpy(), explicit_grad.numpy(), atol=1e-10)


def test_batch_of_rips_filtrations_equals_single_calls():
    xs = [random_cloud(60, 3, seed_of("rips-threads-batch", i)) for i in range(3)]
    single = [
        diff.persistence_diagram(diff.vr_filtration(torch.tensor(x), max_dim=3), n_threads=1)
        for x in xs
    ]
    for nt in (2, 5):  # 5: one thread per item and what is left over inside the items
        batch = diff.persistence_diagrams(
            [diff.vr_filtration(torch.tensor(x), max_dim=3) for x in xs], n_threads=nt
        )
        for one, many in zip(single, batch):
            for k in one:
                assert torch.equal(one[k], many[k])


@pytest.mark.parametrize(
    "bad,error", [(0, ValueError), (-1, ValueError), (1.5, TypeError), (True, TypeError)]
)
def test_bad_n_threads_is_refused_naming_the_call(bad, error):
    with pytest.raises(error, match="compute_diagrams_vr: n_threads"):
        calydon.compute_diagrams_vr(random_cloud(10, 2, 0), n_threads=bad)


INTERRUPT = textwrap.dedent(r"""
    import os, signal, sys, threading, time
    import numpy as np
    import calydon

    n, delay = int(sys.argv[1]), float(sys.argv[2])
    data = np.random.default_rng(0).random((n, 3))
    sent = []

    def fire():
        sent.append(time.perf_counter())
        os.kill(os.getpid(), signal.SIGINT)

    threading.Timer(delay, fire).start()
    try:
        calydon.compute_diagrams_vr(data, max_dim=3, max_diameter=0.5, n_threads=3)
        time.sleep(2 * delay)
        print("COMPLETED", flush=True)
    except KeyboardInterrupt:
        print(f"INTERRUPTED {1000 * (time.perf_counter() - sent[0]):.1f}", flush=True)
        # the pool's workers stopped too: a new call runs and is not interrupted
        again = calydon.compute_diagrams_vr(data[:50], max_dim=2, n_threads=3)
        print("AGAIN", len(again[0]), flush=True)
""")


def test_ctrl_c_stops_a_threaded_call_and_the_next_call_works():
    for delay in (1.0, 0.5, 0.2):
        try:
            res = subprocess.run(
                [sys.executable, "-c", INTERRUPT, "1200", str(delay)],
                capture_output=True,
                text=True,
                timeout=120,
            )
        except subprocess.TimeoutExpired:
            pytest.fail("no KeyboardInterrupt within 120 s of SIGINT")
        assert res.returncode == 0, res.stderr
        lines = res.stdout.split("\n")
        if lines[0] == "COMPLETED":
            continue
        assert lines[0].startswith("INTERRUPTED"), res.stdout
        assert float(lines[0].split()[1]) < 2000  # generous: the machine may be loaded
        assert lines[1] == "AGAIN 50", res.stdout
        return
    pytest.skip("every run finished before the signal on this machine")


def test_threads_beyond_the_work_give_the_serial_diagrams():
    x = random_cloud(12, 2, 3)
    serial = calydon.compute_diagrams_vr(x, max_dim=3)
    wide = calydon.compute_diagrams_vr(x, max_dim=3, n_threads=64)
    for k in range(3):
        np.testing.assert_array_equal(wide[k], serial[k])
