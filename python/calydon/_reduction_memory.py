"""Memory pre-flight of the general reduction (explicit filtrations: ``compute_diagrams``,
``Decomposition``, ``calydon.diff.persistence_diagram`` and their batches): the tables the
reduction allocates beside the filtration, and with ``n_threads >= 2`` the parallel reduction's.

The filtration itself exists already (its builder ran its own pre-flight); this counts what the
reduction adds. Fill-in (R and V columns that grow long) depends on the data, not its size, and
is not counted: the estimate is the floor a request cannot go under.
"""

from __future__ import annotations

from typing import Any, Sequence

from ._memory import check_memory

# Peak resident-set growth of the reduction, measured (VmHWM) on a 64^3 explicit cubical
# filtration (2,146,689 cells, 6.39M boundary entries) and rounded up: per cell 41 bytes for the
# pairs with the fast paths (pivots, lows, clearing marks, column slots, pair marks, the output;
# 45 at 40^3, where fixed costs weigh more);
# per boundary entry 10.4 more for cohomology (the anti-transposed matrix); per cell 14 more
# when every R column is kept (Decomposition), and the slots and marks of V when it is kept.
BYTES_PER_CELL = 56
BYTES_PER_DUAL_ENTRY = 12
BYTES_PER_CELL_ALL_COLUMNS = 16
BYTES_PER_CELL_V = 16
# The parallel reduction of one block (reduction/lockfree_block.hpp): an atomic owner per row
# and an atomic latest state per column (16 bytes), and a published snapshot (a 48-byte header
# in a deque and its column, about 64 bytes) per column that was added to. Counted for every
# column of the largest block: main's code before the work gate published every column and grew
# by 39-54 MiB at 64^3 with 2 threads (0.8M-column blocks, 51-68 bytes per column).
PARALLEL_BYTES_PER_BLOCK_COLUMN = 80
# Blocks with fewer columns never go to threads (ReductionOptions::min_parallel_columns).
MIN_PARALLEL_COLUMNS = 4096


def reduction_bytes(
    cells_per_dim: Sequence[int],
    dualize: bool,
    n_threads: int,
    all_columns: bool = False,
    with_v: bool = False,
) -> int:
    """Estimated peak bytes the reduction of a filtration adds (fill-in not counted).

    Parameters
    ----------
    cells_per_dim : sequence of int
        Number of cells of each dimension 0..max_dim.
    dualize : bool
        Cohomology (the anti-transposed matrix is built) instead of homology.
    n_threads : int
        Threads of the reduction; from 2, the parallel tables of the largest block count.
    all_columns, with_v : bool
        Every R column kept (a ``Decomposition``); V kept as well.

    Returns
    -------
    int
        Bytes.
    """
    n_cells = sum(cells_per_dim)
    # A k-cell has at most 2k faces (a cube; a simplex has k + 1 <= 2k for k >= 1).
    n_entries = sum(2 * k * count for k, count in enumerate(cells_per_dim))
    total = BYTES_PER_CELL * n_cells + (BYTES_PER_DUAL_ENTRY * n_entries if dualize else 0)
    total += BYTES_PER_CELL_ALL_COLUMNS * n_cells if all_columns else 0
    total += BYTES_PER_CELL_V * n_cells if with_v else 0
    return total + parallel_table_bytes(cells_per_dim, n_threads)


def parallel_table_bytes(cells_per_dim: Sequence[int], n_threads: int) -> int:
    """Bytes of the parallel reduction's tables: none on one thread or for small blocks."""
    largest_block = max(cells_per_dim, default=0)
    if n_threads < 2 or largest_block < MIN_PARALLEL_COLUMNS:
        return 0
    return PARALLEL_BYTES_PER_BLOCK_COLUMN * largest_block


def cells_per_dim(fil: Any) -> list[int]:
    return [int(fil.size_in_dimension(d)) for d in range(max(fil.max_dim, -1) + 1)]


def require_reduction_fits(
    fil: Any,
    dualize: bool,
    n_threads: int,
    api: str,
    all_columns: bool = False,
    with_v: bool = False,
    n_concurrent: int = 1,
    batch_threads: int = 1,
) -> None:
    """ValueError naming ``api`` (and ``n_threads`` when the parallel tables tip the balance)
    unless ``n_concurrent`` reductions of ``fil`` fit in the memory budget (a batch on
    ``batch_threads`` threads in all, ``n_threads`` each)."""
    counts = cells_per_dim(fil)
    need = n_concurrent * reduction_bytes(counts, dualize, n_threads, all_columns, with_v)
    extra = n_concurrent * parallel_table_bytes(counts, n_threads)
    hint = (
        f"pass n_threads=1: the parallel reduction's tables need {extra / 2**30:.3g} GiB of it"
        if extra
        else "reduce a smaller filtration"
    )
    what = f"the reduction of {fil.size():,} cells with n_threads={n_threads}"
    if n_concurrent > 1:
        what = (
            f"{n_concurrent} reductions side by side (n_threads={batch_threads}), "
            f"the largest of {fil.size():,} cells"
        )
        hint = "pass fewer n_threads or a smaller batch"
    check_memory(api, what, need, hint)


def require_requests_fit(requests: Sequence[tuple], n_threads: int, api: str) -> None:
    """The pre-flight of a batch of persistence requests: the general ones (explicit
    filtrations) are checked here, the others by their builders. Threads go to items first (as
    ``_core.run_requests`` shares them), so up to ``n_threads`` reductions run at once."""
    general = [r for r in requests if r and r[0] == "general"]
    if not general:
        return
    # Deferred Delaunay supports run beside their pairs on one thread, outside the split.
    n_main = sum(1 for r in requests if not (r and r[0] == "delaunay_supports"))
    per_item = max(1, n_threads // max(1, n_main))
    at_once = max(1, min(n_threads, len(general)))
    largest = max(general, key=lambda r: r[1].size())
    dualize = any(bool(r[2]) for r in general)
    require_reduction_fits(
        largest[1], dualize, per_item, api, n_concurrent=at_once, batch_threads=n_threads
    )
