"""Shared helpers for the benchmark scripts: timing, optional peers, ratio tables."""

from __future__ import annotations

import importlib
import time
from typing import Callable


def best_time(fn: Callable[[], object], repeats: int) -> float:
    """Best wall time of `repeats` calls (one warm-up call first when repeats > 1)."""
    if repeats > 1:
        fn()
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def optional_import(name: str):
    """The module, or None when the peer is not installed (the table then shows '-')."""
    try:
        return importlib.import_module(name)
    except Exception:  # a broken peer install must not stop the benchmark
        return None


def print_table(title: str, rows: list[dict], baseline: str) -> None:
    """Prints times in seconds and, for every other column, the ratio peer / baseline
    (> 1 means calydon is faster)."""
    columns = [c for c in rows[0] if c != "case"]
    print(f"\n## {title}\n")
    header = ["case"] + [f"{c} [s]" for c in columns] + [f"{c} / {baseline}" for c in columns if c != baseline]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        base = row.get(baseline)
        cells = [row["case"]] + [fmt(row.get(c)) for c in columns]
        for c in columns:
            if c == baseline:
                continue
            v = row.get(c)
            cells.append("-" if v is None or base is None else f"{v / base:.2f}x")
        print("| " + " | ".join(cells) + " |")


def fmt(v) -> str:
    return "-" if v is None else f"{v:.3f}"
