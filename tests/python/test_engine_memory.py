"""The memory pre-flight of the general reduction (calydon/_reduction_memory.py): the estimate
against the resident-set growth measured in a fresh process (one and two threads, homology,
cohomology, a whole Decomposition), and refusals that name the call and n_threads when the
parallel reduction's tables are what no longer fits."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
import torch

import calydon
import calydon.diff as cdiff
from calydon import _memory
from calydon._reduction_memory import cells_per_dim, parallel_table_bytes, reduction_bytes
from generators import smooth_field

TESTS = Path(__file__).resolve().parent


@pytest.fixture(autouse=True)
def no_override():
    _memory.set_memory_budget(None)
    yield
    _memory.set_memory_budget(None)


MEASURE = textwrap.dedent("""
    import json, sys
    sys.path.insert(0, sys.argv[1])
    import numpy as np, calydon
    from generators import smooth_field
    side, call, n_threads = int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    fil = calydon.cube_filtration(smooth_field((side,) * 3, np.random.default_rng(1), 2.0),
                                  values_on="cells")
    run = {
        "homology": lambda: calydon.compute_diagrams(fil, n_threads=n_threads),
        "cohomology": lambda: calydon.compute_diagrams(fil, dualize=True, n_threads=n_threads),
        "decomposition": lambda: calydon.Decomposition(fil, n_threads=n_threads),
    }[call]
    run()  # the thread pool and the allocator's arenas exist before the measured call
    def status_kib(field):
        with open("/proc/self/status") as f:
            return next(int(line.split()[1]) for line in f if line.startswith(field + ":"))
    import ctypes
    ctypes.CDLL("libc.so.6").malloc_trim(0)  # freed heap pages would hide the next call's growth
    with open("/proc/self/clear_refs", "w") as f:  # forget the peak so far
        f.write("5")
    base = status_kib("VmRSS")
    run()
    counts = [int(fil.size_in_dimension(d)) for d in range(fil.max_dim + 1)]
    print(json.dumps([(status_kib("VmHWM") - base) * 1024, counts]))
""")


@pytest.mark.parametrize(
    "call, n_threads",
    [("homology", 1), ("homology", 2), ("cohomology", 2), ("decomposition", 2)],
)
def test_estimate_covers_the_measured_growth_without_overshooting_threefold(call, n_threads):
    # 40^3 cubical: 0.5M cells, blocks of 0.2M columns (threads are possible for every block).
    res = subprocess.run(
        [sys.executable, "-c", MEASURE, str(TESTS), "40", call, str(n_threads)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode == 0, res.stderr
    measured, counts = json.loads(res.stdout)
    estimate = reduction_bytes(
        counts, call == "cohomology", n_threads, all_columns=call == "decomposition"
    )
    print(f"\n{call} n_threads={n_threads}: estimate/measured = {estimate / measured:.2f}")
    assert measured <= estimate <= 3 * measured


def test_parallel_tables_count_only_with_threads_and_large_blocks():
    # Independent arithmetic: 80 bytes per column of the largest dimension, from 4096 columns.
    assert parallel_table_bytes([10, 50_000, 90_000, 20], 1) == 0
    assert parallel_table_bytes([10, 50_000, 90_000, 20], 2) == 80 * 90_000
    assert parallel_table_bytes([100, 4095, 3000], 8) == 0
    counts = [1000, 3000, 2000]
    assert reduction_bytes(counts, False, 2) - reduction_bytes(counts, False, 1) == 0
    big = [20_000, 60_000, 40_000]
    assert reduction_bytes(big, True, 4) - reduction_bytes(big, True, 1) == 80 * 60_000


def _cubical(side: int):
    return calydon.cube_filtration(
        smooth_field((side,) * 3, np.random.default_rng(3), 2.0), values_on="cells"
    )


def test_cells_per_dim_counts_the_cubical_complex():
    # A k^3 volume of top cells: (k+1)^3 vertices, 3 k (k+1)^2 edges, 3 k^2 (k+1) squares, k^3.
    k = 9
    assert cells_per_dim(_cubical(k)) == [
        (k + 1) ** 3,
        3 * k * (k + 1) ** 2,
        3 * k**2 * (k + 1),
        k**3,
    ]


CALLS = {
    "compute_diagrams": lambda fil, nt: calydon.compute_diagrams(fil, n_threads=nt),
    "Decomposition": lambda fil, nt: calydon.Decomposition(fil, n_threads=nt),
    "persistence_diagram": lambda fil, nt: cdiff.persistence_diagram(
        cdiff.DiffFiltration(fil, torch.tensor(fil.values())), n_threads=nt
    ),
}


@pytest.mark.parametrize("api", list(CALLS))
def test_a_budget_between_one_and_two_threads_refuses_only_the_threads(api):
    fil = _cubical(20)  # largest dimension 25,200 columns: over the 4096 a parallel block needs
    counts = cells_per_dim(fil)
    keep_all = api == "Decomposition"
    serial = reduction_bytes(counts, False, 1, all_columns=keep_all)
    extra = parallel_table_bytes(counts, 2)
    assert extra > 0
    _memory.set_memory_budget(serial + extra // 2)
    CALLS[api](fil, 1)
    with pytest.raises(ValueError, match=rf"{api}: .*n_threads=2.*pass n_threads=1"):
        CALLS[api](fil, 2)


def test_a_batch_counts_the_reductions_that_run_at_once():
    # Two items on two threads run side by side (one thread each): twice one serial reduction.
    fil = _cubical(12)
    serial = reduction_bytes(cells_per_dim(fil), False, 1)
    assert parallel_table_bytes(cells_per_dim(fil), 1) == 0
    _memory.set_memory_budget(serial * 3 // 2)
    calydon.compute_diagrams_batch([fil, fil], n_threads=1)
    with pytest.raises(ValueError, match=r"compute_diagrams_batch: 2 reductions .*n_threads=2"):
        calydon.compute_diagrams_batch([fil, fil], n_threads=2)


def _resident_bytes() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS line")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the arrays are kept on Linux")
def test_release_cached_memory_returns_the_kept_arrays_and_later_calls_agree():
    image = smooth_field((1024, 1024), np.random.default_rng(3), 2.0)
    before = calydon.compute_diagrams_cubical(image)
    calydon.release_cached_memory()  # whatever earlier tests left
    again = calydon.compute_diagrams_cubical(image)  # keeps this call's large arrays
    resident = _resident_bytes()
    released = calydon.release_cached_memory()
    # A 1024^2 image's value sort alone frees two 8 MiB key arrays.
    assert released >= 16 << 20
    assert resident - _resident_bytes() >= released // 2
    assert calydon.release_cached_memory() == 0
    after = calydon.compute_diagrams_cubical(image)
    for d in range(2):
        np.testing.assert_array_equal(again[d], before[d])
        np.testing.assert_array_equal(after[d], before[d])
