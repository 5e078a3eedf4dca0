"""The memory pre-flight of issue 13: where the budget comes from (set_memory_budget, the
environment, MemAvailable, RLIMIT_AS, the cgroup), the Delaunay estimate against the measured
peak RSS of real runs, and refusals that name the public function, the estimate and the budget."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import torch

import calydon
import calydon.diff as cdiff
from calydon import _memory
from calydon._delaunay import delaunay_memory_estimate

pytestmark = pytest.mark.skipif(not calydon._core.HAVE_CGAL, reason="needs CGAL")


@pytest.fixture(autouse=True)
def no_override():
    _memory.set_memory_budget(None)
    yield
    _memory.set_memory_budget(None)


def test_override_beats_the_environment_and_none_restores_it(monkeypatch):
    monkeypatch.setenv("CALYDON_MEMORY_BUDGET", "12345")
    assert _memory.memory_budget_bytes() == 12345
    _memory.set_memory_budget(2.5e9)
    assert _memory.memory_budget_bytes() == 2_500_000_000
    _memory.set_memory_budget(None)
    assert _memory.memory_budget_bytes() == 12345


@pytest.mark.parametrize(
    "bad,error",
    [
        (0, ValueError),
        (-5, ValueError),
        (float("inf"), ValueError),
        ("1e9", TypeError),
        (True, TypeError),
    ],
)
def test_set_memory_budget_rejects_bad_values(bad, error):
    with pytest.raises(error, match="set_memory_budget: n_bytes"):
        _memory.set_memory_budget(bad)


def test_cgroup_v2_room_is_limit_minus_usage(tmp_path, monkeypatch):
    (tmp_path / "memory.max").write_text("1073741824\n")
    (tmp_path / "memory.current").write_text("73741824\n")
    monkeypatch.setattr(_memory, "_cgroup_dirs", lambda v: [tmp_path] if v == 2 else [])
    assert _memory._cgroup_room() == 1_000_000_000
    assert _memory.available_memory_bytes() <= 1_000_000_000


def test_cgroup_without_limit_is_ignored(tmp_path, monkeypatch):
    (tmp_path / "memory.max").write_text("max\n")
    v1 = tmp_path / "v1"
    v1.mkdir()
    (v1 / "memory.limit_in_bytes").write_text(str(1 << 62))
    monkeypatch.setattr(_memory, "_cgroup_dirs", lambda v: [tmp_path] if v == 2 else [v1])
    assert _memory._cgroup_room() is None


def test_cgroup_v1_room(tmp_path, monkeypatch):
    (tmp_path / "memory.limit_in_bytes").write_text("3000000000")
    (tmp_path / "memory.usage_in_bytes").write_text("1000000000")
    monkeypatch.setattr(_memory, "_cgroup_dirs", lambda v: [tmp_path] if v == 1 else [])
    assert _memory._cgroup_room() == 2_000_000_000


def test_rlimit_as_caps_the_budget():
    code = textwrap.dedent("""
        import resource
        from calydon import _memory
        with open("/proc/self/status") as f:
            size = next(int(l.split()[1]) * 1024 for l in f if l.startswith("VmSize:"))
        resource.setrlimit(resource.RLIMIT_AS, (size + (256 << 20), resource.RLIM_INFINITY))
        print(_memory.available_memory_bytes())
    """)
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    assert int(res.stdout) <= 256 << 20


REFUSING = [
    ("alpha_filtration", lambda x: calydon.alpha_filtration(x)),
    ("weak_alpha_filtration", lambda x: calydon.weak_alpha_filtration(x)),
    ("cech_delaunay_filtration", lambda x: calydon.cech_delaunay_filtration(x)),
    ("compute_diagrams_alpha", lambda x: calydon.compute_diagrams_alpha(x)),
    ("diff.alpha_filtration", lambda x: cdiff.alpha_filtration(torch.from_numpy(x))),
]


@pytest.mark.parametrize("api,call", REFUSING, ids=[a for a, _ in REFUSING])
def test_delaunay_refusal_names_the_call_estimate_and_budget(api, call):
    _memory.set_memory_budget(1 << 20)
    x = np.random.default_rng(0).random((5000, 3))
    with pytest.raises(ValueError) as info:
        call(x)
    msg = str(info.value)
    assert msg.startswith(f"{api}: the Delaunay filtration of points of shape (5000, 3)"), msg
    assert "GiB" in msg and "memory budget of 0.000977 GiB" in msg and "set_memory_budget" in msg


def test_rips_refusal_mentions_the_override():
    _memory.set_memory_budget(1000)
    with pytest.raises(ValueError, match="compute_diagrams_vr: .*set_memory_budget"):
        calydon.compute_diagrams_vr(np.random.default_rng(0).random((50, 2)), max_dim=3)


MEASURE = textwrap.dedent("""
    import json, resource, sys
    import numpy as np, torch
    import calydon, calydon.diff as cdiff
    d, n, diff = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "1"
    x = np.random.default_rng(0).random((n, d))
    t = torch.tensor(x, requires_grad=True)
    def status_kib(field):
        with open("/proc/self/status") as f:
            return next(int(line.split()[1]) for line in f if line.startswith(field + ":"))
    with open("/proc/self/clear_refs", "w") as f:  # the peak so far (imports) is forgotten
        f.write("5")
    base = status_kib("VmRSS")
    if diff:  # the worst case: the diagram, and every cell's value read too
        fil = cdiff.alpha_filtration(t)
        dgm = cdiff.persistence_diagram(fil)
        loss = sum(dgm[k][:, 1].clamp(max=1.0).sum() for k in range(d))
        (loss + 0.0 * fil.values.sum()).backward()
    else:
        calydon.compute_diagrams_alpha(x)
    print(json.dumps((status_kib("VmHWM") - base) * 1024))
""")


@pytest.mark.parametrize("dim", [2, 3])
@pytest.mark.parametrize("differentiable", [False, True])
def test_delaunay_estimate_within_one_and_a_half_of_the_measured_peak(dim, differentiable):
    # Large enough that the run dwarfs library pages faulted back in on a loaded machine.
    n = 200_000 if dim == 2 else 60_000
    res = subprocess.run(
        [sys.executable, "-c", MEASURE, str(dim), str(n), "1" if differentiable else "0"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode == 0, res.stderr
    measured = json.loads(res.stdout)
    estimate = delaunay_memory_estimate(n, dim, differentiable)
    print(
        f"\nDelaunay {dim}-D diff={differentiable}: estimate/measured = {estimate / measured:.2f}"
    )
    assert measured / 1.5 <= estimate <= 1.5 * measured


def test_a_small_request_reuses_a_recent_reading_and_a_large_one_reads_again(monkeypatch):
    monkeypatch.delenv("CALYDON_MEMORY_BUDGET", raising=False)
    readings = []

    def available(gib):
        def read():
            readings.append(gib)
            return gib * 2**30

        return read

    monkeypatch.setattr(_memory, "available_memory_bytes", available(8))
    _memory.check_memory("api", "warm-up", 1)  # a fresh reading: budget 6 GiB
    assert readings == [8]
    # The machine loses memory; a request well under 1/8 of the last reading passes unread...
    monkeypatch.setattr(_memory, "available_memory_bytes", available(1))
    _memory.check_memory("api", "small", 0.5 * 2**30)
    assert readings == [8]
    # ...but a larger one reads again and is refused against the new budget (0.75 GiB).
    with pytest.raises(ValueError, match="api: big needs an estimated 2 GiB"):
        _memory.check_memory("api", "big", 2 * 2**30)
    assert readings == [8, 1]
    # A stale reading is not reused, however small the request.
    monkeypatch.setattr(_memory, "_last_reading", (-1e9, 6 * 2**30))
    _memory.check_memory("api", "small", 1)
    assert readings == [8, 1, 1]
