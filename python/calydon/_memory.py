"""Memory pre-flight, one policy for every builder: refuse a complex that cannot fit before the
C++ core allocates it."""

from __future__ import annotations

import os

FALLBACK_BYTES = 8 << 30
BUDGET_FRACTION = 0.75
"""Share of the available memory (MemAvailable) one call may plan to use."""


def available_memory_bytes() -> int:
    """What the kernel reports as available (MemAvailable), or 8 GiB when it cannot be read."""
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return FALLBACK_BYTES


def memory_budget_bytes() -> int:
    """Bytes one call may plan to use: ``$CALYDON_MEMORY_BUDGET`` (bytes) when set, otherwise
    3/4 of the available memory."""
    env = os.environ.get("CALYDON_MEMORY_BUDGET")
    if env:
        return int(float(env))
    return int(BUDGET_FRACTION * available_memory_bytes())


def require_fits(n_bytes: float, api: str, what: str, hint: str) -> None:
    """Raises ValueError, naming ``api``, when ``n_bytes`` exceeds the memory budget."""
    budget = memory_budget_bytes()
    if n_bytes > budget:
        raise ValueError(
            f"{api}: {what} needs about {n_bytes / 2**30:.3g} GiB, more than the "
            f"memory budget of {budget / 2**30:.3g} GiB; {hint} "
            "(or set CALYDON_MEMORY_BUDGET in bytes)"
        )
