"""The one harness behind every benchmark script: timing, optional peers, data files, isolated
workers with peak memory, and ratio tables.

* Timing: ``best_time`` (best wall time of N calls, one warm-up call first when N > 1) and
  ``cpu_time`` (CPU seconds of one call, robust to other load on a shared machine).
* Peers: ``optional_import`` (the module or None) and ``missing`` (why a peer cannot run, or None).
* Data: ``add_data_argument`` / ``data_dir`` / ``data_file``. The folder comes from ``--data DIR``
  or the ``CALYDON_BENCH_DATA`` environment variable, never from a default outside the repository;
  a case whose file is missing is skipped with a printed note.
* Isolation: ``run_isolated`` starts ``script --worker LIB CASE ...`` in a fresh interpreter and
  reads back the JSON line that the worker prints with ``reply``; inside the worker, ``measure``
  resets the resident-set high-water mark (VmHWM, through /proc/self/clear_refs) after imports and
  input generation, so only the growth caused by the measured calls counts.
* Ratios: always peer / calydon, so above 1 means calydon is faster (``RATIO_NOTE``, ``ratio``,
  ``fmt_ratio``, ``print_table``).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Sequence

# Input generators live in tests/python/generators.py so that tests and benchmarks draw the very
# same inputs; put that folder on sys.path so the scripts can `import generators`.
TESTS_PYTHON = Path(__file__).resolve().parents[1] / "tests" / "python"
if str(TESTS_PYTHON) not in sys.path:
    sys.path.insert(0, str(TESTS_PYTHON))

DATA_ENV = "CALYDON_BENCH_DATA"
RATIO_NOTE = "ratio = peer time / calydon time: above 1 means calydon is faster"


def _which_calydon() -> str:
    """Where calydon's compiled extension was imported from: an install in the environment is
    refreshed only by `make` or `scripts/dev-install.sh`, so after a rebuild in build/ a run
    without PYTHONPATH=python measures the old extension."""
    try:
        from calydon import _core
    except ImportError as err:
        return f"calydon not importable ({err})"
    return f"calydon extension: {_core.__file__}"


if "--worker" not in sys.argv:  # once per benchmark run, not in each isolated worker
    print(_which_calydon(), flush=True)


# ---------------------------------------------------------------------------------------- timing


def best_time(fn: Callable[[], object], repeats: int, warmup: bool | None = None) -> float:
    """Best wall time (seconds) of ``repeats`` calls; one untimed warm-up call first when
    ``warmup`` is true (default: when repeats > 1)."""
    if warmup if warmup is not None else repeats > 1:
        fn()
    best = float("inf")
    for _ in range(max(1, repeats)):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def times_interleaved(fns: dict[str, Callable[[], object]], repeats: int) -> dict[str, list[float]]:
    """Wall times (seconds) of each candidate in each of ``repeats`` rounds, each round calling
    every candidate once in turn (after one untimed warm-up round): on a shared machine whose
    speed drifts, every candidate then sees the same conditions, which back-to-back blocks of
    calls do not give."""
    for fn in fns.values():
        fn()
    times: dict[str, list[float]] = {label: [] for label in fns}
    for _ in range(max(1, repeats)):
        for label, fn in fns.items():
            start = time.perf_counter()
            fn()
            times[label].append(time.perf_counter() - start)
    return times


def best_of(times: dict[str, list[float]]) -> dict[str, float]:
    """The best round of each candidate in a ``times_interleaved`` result."""
    return {label: min(ts) for label, ts in times.items()}


def best_times_interleaved(fns: dict[str, Callable[[], object]], repeats: int) -> dict[str, float]:
    """Best wall time (seconds) of each candidate over the rounds of ``times_interleaved``."""
    return best_of(times_interleaved(fns, repeats))


def cpu_time(fn: Callable[[], object]) -> tuple[float, object]:
    """(CPU seconds of this process during one call, the call's value)."""
    start = time.process_time()
    value = fn()
    return time.process_time() - start, value


# ----------------------------------------------------------------------------------------- peers


def optional_import(name: str):
    """The module, or None when the peer is not installed (its columns then show '-')."""
    try:
        return importlib.import_module(name)
    except Exception:  # a broken peer install must not stop the benchmark
        return None


def missing(*modules: str) -> str | None:
    """None when every module imports, else 'module: ExceptionType: message' for the first that fails."""
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception as exc:  # report, do not fail
            return f"{name}: {type(exc).__name__}: {exc}"
    return None


# ------------------------------------------------------------------------------------------ data


def add_data_argument(parser: argparse.ArgumentParser, what: str = "data files") -> None:
    parser.add_argument(
        "--data",
        type=Path,
        default=None,
        metavar="DIR",
        help=f"folder holding the {what} (default: ${DATA_ENV}; cases needing a "
        "file that is not there are skipped)",
    )


def data_dir(arg: Path | str | None = None) -> Path | None:
    """The data folder: the --data argument, else $CALYDON_BENCH_DATA, else None."""
    value = arg if arg else os.environ.get(DATA_ENV)
    return Path(value).expanduser().resolve() if value else None


def data_file(
    directory: Path | None, name: str, case: str = "", quiet: bool = False
) -> Path | None:
    """``directory / name`` when that file exists; otherwise None, after printing a skip note."""
    path = directory / name if directory else None
    if path is not None and path.is_file():
        return path
    if not quiet:
        why = (
            f"{name} not found in {directory}"
            if directory
            else f"needs {name} and no data folder is set (pass --data DIR or set {DATA_ENV})"
        )
        print(f"skipped {case or name}: {why}", flush=True)
    return None


# ------------------------------------------------------------------------ isolated worker process


def _status_kb(field: str) -> int:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _release_freed_memory() -> None:
    """Returns the heap's freed pages to the system (glibc), so that memory freed while the
    inputs were built does not hide the next call's peak: a call that reuses it would show no
    growth at all."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def peak_reset() -> int:
    """Resets the resident-set high-water mark (Linux); returns the current resident set in bytes."""
    _release_freed_memory()
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:  # not Linux, or not allowed: the peak then includes the baseline
        return 0
    return _status_kb("VmRSS") * 1024


def peak_bytes() -> int:
    return _status_kb("VmHWM") * 1024


def measure(fn: Callable[[], object], repeat: int = 1) -> dict:
    """Runs ``fn`` ``repeat`` times in this process: {"status": "ok", "time": best wall seconds,
    "peak_mb": VmHWM growth in MiB, "value": the last call's value}."""
    base = peak_reset()
    times, value = [], None
    for _ in range(max(1, repeat)):
        start = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - start)
    return {
        "status": "ok",
        "time": min(times),
        "peak_mb": (peak_bytes() - base) / 2**20,
        "value": value,
    }


def reply(result: dict) -> None:
    """Worker side: prints the result as the JSON line that ``run_isolated`` reads."""
    print(json.dumps(result, default=str), flush=True)


def run_isolated(
    script: str | Path, lib: str, case: str, extra: Sequence[str] = (), timeout: float = 600.0
) -> dict:
    """Runs ``python script --worker LIB CASE *extra`` in its own process; returns its JSON reply,
    or {"status": "failed: ..."} / {"status": "timeout after ..."}."""
    cmd = [sys.executable, str(script), "--worker", lib, case, *extra]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"status": f"timeout after {timeout:.0f} s"}
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    if lines:
        return json.loads(lines[-1])
    return {"status": f"failed (exit {out.returncode}): {out.stderr.strip()[-200:]}"}


# ---------------------------------------------------------------------------------------- tables


def ratio(peer: float | None, ours: float | None) -> float | None:
    """peer / calydon, or None when either time is missing."""
    return None if peer is None or not ours else peer / ours


def fmt_ratio(peer: float | None, ours: float | None, width: int = 0) -> str:
    r = ratio(peer, ours)
    return f"{'-' if r is None else f'{r:.2f}x':>{width}}"


def fmt(v: float | None, width: int = 0, digits: int = 3) -> str:
    return f"{'-' if v is None else f'{v:.{digits}f}':>{width}}"


def print_table(title: str, rows: list[dict], baseline: str = "calydon", unit: str = "s") -> None:
    """Markdown table: times in seconds per column, then column / reference for every other column
    (above 1: calydon is faster). Columns are the union of the rows' keys, in first-seen order.
    The reference is ``baseline``, except that a peer's "... fwd+bwd" column is compared with
    "<baseline> fwd+bwd" when the table has one (like with like)."""
    columns: list[str] = []
    for row in rows:
        columns += [c for c in row if c != "case" and c not in columns]
    paired = f"{baseline} fwd+bwd"
    ref = {
        c: paired if c.endswith("fwd+bwd") and c != paired and paired in columns else baseline
        for c in columns
        if c != baseline
    }
    what = f"times in seconds; {RATIO_NOTE}"
    if unit != "s":
        what = f"values in {unit}; ratio = peer / calydon: above 1 means calydon uses less"
    print(f"\n## {title}\n\n{what}\n")
    header = ["case"] + [f"{c} [{unit}]" for c in columns] + [f"{c} / {r}" for c, r in ref.items()]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        cells = [row["case"]] + [fmt(row.get(c)) for c in columns]
        cells += [fmt_ratio(row.get(c), row.get(r)) for c, r in ref.items()]
        print("| " + " | ".join(cells) + " |")
