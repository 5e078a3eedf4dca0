"""Memory pre-flight: refuse a complex that cannot fit before the C++ core allocates it."""

from __future__ import annotations

import os

FALLBACK_BYTES = 8 << 30


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


def require_fits(n_bytes: float, api: str, what: str, hint: str, fraction: float = 0.8) -> None:
    """Raises ValueError when `n_bytes` exceeds `fraction` of the available memory."""
    budget = fraction * available_memory_bytes()
    if n_bytes > budget:
        raise ValueError(f"{api}: {what} needs about {n_bytes / 2**30:.1f} GiB, more than the "
                         f"{budget / 2**30:.1f} GiB that can be used here; {hint}")
