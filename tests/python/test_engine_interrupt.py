"""Ctrl-C interrupts long C++ work with KeyboardInterrupt.

Each check runs in a subprocess: it prepares the input, arms a timer thread that sends SIGINT to
its own process, starts a long calydon call and reports one marker line. A computation that ends
before the signal reports COMPLETED and the test retries with a bigger input. A last check runs
two overlapping calls from two threads and then expects Ctrl-C to reach Python again.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

SCRIPT = textwrap.dedent(r"""
    import os, signal, sys, threading, time
    import numpy as np
    import calydon

    workload, n, delay = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    rng = np.random.default_rng(0)
    data = rng.random((n * 16, n * 16) if workload == "image_threads" else (n, n, n))
    if workload == "ramp_image":  # one descent path through the whole image (H0's basins)
        data = -np.arange(float(n * 16) ** 2).reshape(n * 16, n * 16)
    elif workload == "ramp_volume":  # one ascent path through the whole volume (dual basins)
        data = np.arange(float(n) ** 3).reshape(n, n, n)
    if workload in ("reduce", "diagrams", "cohomology"):
        fil = calydon.freudenthal_filtration(data)

    def fire():
        os.kill(os.getpid(), signal.SIGINT)

    timer = threading.Timer(delay, fire)
    result = None
    try:
        timer.start()
        if workload == "reduce":
            # one-shot: constructing the decomposition reduces (homology, no clearing)
            dcmp = calydon.Decomposition(fil, False, clearing=False)
            result = dcmp
        elif workload == "diagrams":
            result = calydon.compute_diagrams(fil, dualize=False, fast_paths=False)
        elif workload == "cohomology":
            result = calydon.compute_diagrams(fil, dualize=True, fast_paths=False)
        elif workload == "cube_build":
            result = calydon.cube_filtration(data)
        elif workload == "freudenthal_build":
            result = calydon.freudenthal_filtration(data)
        elif workload == "volume_threads":  # H0 then reductions beside the sweep, dual pass
            result = calydon.compute_diagrams_cubical(data, n_threads=2)
        elif workload == "image_threads":  # H0 and two halves of the dual pass
            result = calydon.compute_diagrams_ls(data, n_threads=2)
        elif workload == "ramp_image":
            result = calydon.compute_diagrams_cubical(data)
        elif workload == "ramp_volume":
            result = calydon.compute_diagrams_cubical(data, values_on="cells")
        timer.cancel()
        time.sleep(2 * delay)  # a signal sent anyway lands here, before the report
    except KeyboardInterrupt:
        timer.join()
        if result is not None:  # the call had returned: the signal came too late
            print("COMPLETED", flush=True)
            sys.exit(0)
        state = ""
        if workload == "reduce":
            # nothing half-built: the interrupted constructor bound no object to the name
            state = " HALF_BUILT_BOUND" if "dcmp" in globals() else " UNBOUND"
        # the C++ handler is gone: Python's own handler is back in charge of SIGINT
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
        try:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(5)
            print("NO_PYTHON_INTERRUPT", flush=True)
            sys.exit(3)
        except KeyboardInterrupt:
            pass
        # the interrupt flag was cleared: calydon works again and is not spuriously interrupted
        small = calydon.compute_diagrams_ls(rng.random((6, 7, 5)))
        assert len(small) == 3
        if workload == "reduce":
            # a later call on the same (big) filtration works: it is not interrupted, and its
            # pairs agree with the fast paths (homology with clearing is quick even at 64^3)
            again = calydon.Decomposition(fil, False)
            mine = again.diagram(fil)
            fast = calydon.compute_diagrams(fil)
            for d in range(len(fast)):
                a, b = np.sort(mine[d], axis=0), np.sort(fast[d], axis=0)
                assert a.shape == b.shape and np.array_equal(a, b), d
            state += " REUSED"
        print("INTERRUPTED" + state, flush=True)
        sys.exit(0)
    print("COMPLETED", flush=True)
    sys.exit(0)
""")


def run(workload: str, n: int, delay: float, timeout: float = 60) -> str:
    try:
        res = subprocess.run(
            [sys.executable, "-c", SCRIPT, workload, str(n), str(delay)],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{workload} (n={n}): no KeyboardInterrupt within {timeout} s of SIGINT")
    assert res.returncode == 0, f"rc={res.returncode}\nstdout={res.stdout}\nstderr={res.stderr}"
    return res.stdout.strip().splitlines()[-1]


def interrupt_some_size(workload, sizes, delay, timeout=60) -> str:
    outcomes = []
    for n in sizes:
        marker = run(workload, n, delay, timeout)
        outcomes.append((n, marker))
        if marker.startswith("INTERRUPTED"):
            return marker
        assert marker == "COMPLETED", outcomes
    pytest.fail(f"{workload}: every size finished before the signal; make it bigger: {outcomes}")


@pytest.mark.parametrize(
    "workload,sizes,delay",
    [
        ("reduce", (40, 52, 64), 0.5),  # homology, no clearing: ~5 s at 40^3
        ("diagrams", (48, 64), 0.5),  # homology with clearing, no fast paths
        ("cube_build", (80, 100, 120), 0.3),
        ("freudenthal_build", (60, 80, 96), 0.3),
        ("volume_threads", (160, 200, 256), 0.3),
        ("image_threads", (160, 200, 256), 0.3),  # images of 2560^2 to 4096^2
        ("ramp_image", (160, 200, 256), 0.3),
        ("ramp_volume", (160, 200, 256), 0.3),
    ],
)
def test_ctrl_c_interrupts(workload, sizes, delay):
    interrupt_some_size(workload, sizes, delay)


def test_ctrl_c_interrupts_cohomology_reduction():
    """Cohomology without fast paths on 40^3 takes ~100 s, most of it in the last few thousand
    (very long) vertex-coboundary columns. A SIGINT sent 4 s in, inside that stretch, must still
    stop it well within the 30 s timeout."""
    interrupt_some_size("cohomology", (40, 64), 4.0, timeout=30)


def test_interrupted_decomposition_leaves_nothing_half_built():
    """Ctrl-C during the one-shot ``Decomposition(fil, False, clearing=False)`` raises
    KeyboardInterrupt, binds nothing (no half-reduced object to read r_data / diagram() from),
    and a later Decomposition of the same filtration works."""
    marker = interrupt_some_size("reduce", (40, 52, 64), 0.5)
    assert marker == "INTERRUPTED UNBOUND REUSED", marker


OVERLAP_SCRIPT = textwrap.dedent(r"""
    import os, signal, sys, threading, time
    import numpy as np
    import calydon

    rng = np.random.default_rng(1)
    clouds = [rng.random((1500, 2)), rng.random((2000, 2))]
    spans = [None, None]
    errors = []

    def work(k):
        try:
            t0 = time.monotonic()
            calydon.compute_diagrams_vr(clouds[k], max_dim=2)
            spans[k] = (t0, time.monotonic())
        except BaseException as e:  # report, do not hide
            errors.append(repr(e))

    first = threading.Thread(target=work, args=(0,))
    second = threading.Thread(target=work, args=(1,))
    first.start()
    time.sleep(0.15)
    second.start()
    first.join()
    second.join()
    if errors:
        print("ERRORS", errors, flush=True)
        sys.exit(2)
    (s0, e0), (s1, e1) = spans
    if not (s1 < e0 < e1):
        print(f"NO_OVERLAP first={s0:.2f}-{e0:.2f} second={s1:.2f}-{e1:.2f}", flush=True)
        sys.exit(0)
    # both calls are over: Ctrl-C must reach Python again
    try:
        os.kill(os.getpid(), signal.SIGINT)
        for _ in range(50):
            time.sleep(0.1)
        print("NO_PYTHON_INTERRUPT", flush=True)
        sys.exit(0)
    except KeyboardInterrupt:
        pass
    # and calydon still works, uninterrupted
    assert len(calydon.compute_diagrams_vr(clouds[0][:200], max_dim=2)) == 2
    print("INTERRUPTED", flush=True)
    sys.exit(0)
""")


def test_ctrl_c_after_overlapping_calls_from_two_threads():
    """Two compute_diagrams_vr calls overlap in time (the second starts while the first runs and
    ends after it). Each installs its SIGINT handler on entry and restores on exit; the handlers
    must nest so that afterwards SIGINT raises KeyboardInterrupt in the main thread again."""
    proc = subprocess.Popen(
        [sys.executable, "-c", OVERLAP_SCRIPT],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        out, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        pytest.fail(f"overlapping calls: no result within 60 s\nstdout={out}\nstderr={err}")
    assert proc.returncode == 0, f"rc={proc.returncode}\nstdout={out}\nstderr={err}"
    marker = out.strip().splitlines()[-1] if out.strip() else ""
    assert not marker.startswith("NO_OVERLAP"), (
        f"the two calls did not overlap; resize the clouds: {marker}"
    )
    assert marker == "INTERRUPTED", (
        f"SIGINT after the calls did not raise KeyboardInterrupt: {marker}\n{err}"
    )
