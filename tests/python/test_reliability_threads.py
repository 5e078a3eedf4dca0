"""Issue 13: shared objects and concurrent builders. Reads of one shared Decomposition or
Filtration from 8 threads, and 8 threads running mixed builders for 3 rounds, all give exactly
the serial answers."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import torch

import calydon
import calydon.diff as diff
from generators import noisy_circle, smooth_field

N_THREADS = 8


def run_in_threads(tasks: list, n_threads: int = N_THREADS) -> list:
    """Runs the callables on n_threads threads that all start together; results in task order."""
    barrier = threading.Barrier(n_threads)

    def start(task):
        barrier.wait()
        return task()

    with ThreadPoolExecutor(n_threads) as pool:
        futures = [pool.submit(start, t) for t in tasks[:n_threads]]
        futures += [pool.submit(t) for t in tasks[n_threads:]]
        return [f.result() for f in futures]


def _rows(d) -> bytes:
    a = np.asarray(d.detach().numpy() if hasattr(d, "detach") else d, dtype=np.float64)
    a = a.reshape(-1, 2)
    return a[np.lexsort((a[:, 1], a[:, 0]))].tobytes()


def canonical(result):
    """A comparable, exact (bit for bit) form of a result: diagrams as lexsorted float64 rows."""
    if isinstance(result, calydon.Diagrams):
        return [_rows(d) for d in result]
    if hasattr(result, "items"):  # PersistenceDiagrams
        return [(k, _rows(v)) for k, v in sorted(result.items())]
    if isinstance(result, (list, tuple)):
        return [canonical(r) for r in result]
    if isinstance(result, np.ndarray):
        return result.tobytes()
    return repr(result)


def test_shared_decomposition_and_filtration_reads_from_8_threads():
    fil = calydon.freudenthal_filtration(smooth_field((9, 9, 9), seed=3))
    dec = calydon.Decomposition(fil, compute_v=True)
    reads = {
        "r_data": lambda: dec.r_data,
        "v_data": lambda: dec.v_data,
        "d_data": lambda: dec.d_data,
        "index_pairs": lambda: dec.index_pairs(fil),
        "diagram": lambda: canonical(dec.diagram(fil)),
        "values": lambda: fil.values().tobytes(),
        "boundary": lambda: [a.tobytes() for a in fil.boundary_matrix()],
        "permutation": lambda: fil.sorting_permutation().tobytes(),
        "compute_diagrams": lambda: canonical(calydon.compute_diagrams(fil)),
    }
    serial = {name: read() for name, read in reads.items()}
    names = sorted(reads) * 4
    results = run_in_threads([reads[n] for n in names])
    for name, got in zip(names, results):
        if name == "index_pairs":
            for a, b in zip(got, serial[name]):
                assert all(np.array_equal(x, y) for x, y in zip(a, b)), name
        else:
            assert got == serial[name], name


def _builders() -> dict:
    image = smooth_field((24, 24), seed=4)
    volume = smooth_field((7, 7, 7), seed=5)
    cloud = noisy_circle(40, seed=6)
    cloud3 = np.random.default_rng(7).random((30, 3))
    user = calydon.Filtration([[0], [1], [2], [0, 1], [1, 2], [0, 2]], [0, 0, 0, 1, 2, 3])
    return {
        "ls": lambda: calydon.compute_diagrams_ls(image),
        "cubical 3-D": lambda: calydon.compute_diagrams_cubical(volume),
        "vr implicit": lambda: calydon.compute_diagrams_vr(cloud),
        "vr explicit": lambda: calydon.compute_diagrams_vr(cloud, dualize=False),
        "alpha": lambda: calydon.compute_diagrams_alpha(cloud3),
        "general": lambda: calydon.compute_diagrams(user),
        "diff grid": lambda: diff.persistence_diagram(
            diff.freudenthal_filtration(torch.tensor(image))
        ),
        "diff rips": lambda: diff.persistence_diagram(diff.vr_filtration(torch.tensor(cloud))),
        "diff delaunay": lambda: diff.persistence_diagram(
            diff.cech_delaunay_filtration(torch.tensor(cloud3))
        ),
        "batch": lambda: calydon.compute_diagrams_batch([user, user], n_threads=2),
        "bottleneck": lambda: calydon.bottleneck_distance(
            calydon.compute_diagrams_ls(image)[0], calydon.compute_diagrams_ls(image.T)[0]
        ),
        "wasserstein": lambda: calydon.wasserstein_distance(
            calydon.compute_diagrams_vr(cloud)[1], calydon.compute_diagrams_vr(cloud[:30])[1]
        ),
    }


def test_mixed_builders_from_8_threads_for_3_rounds_equal_serial():
    builders = _builders()
    serial = {name: canonical(build()) for name, build in builders.items()}
    names = sorted(builders)
    for round_ in range(3):
        order = names[round_:] + names[:round_]  # a different mix on every thread each round
        tasks = [builders[n] for n in order * 2]
        for name, got in zip(order * 2, run_in_threads(tasks)):
            assert canonical(got) == serial[name], f"round {round_}: {name}"
