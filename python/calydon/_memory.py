"""Memory pre-flight, one policy for every builder: refuse a complex that cannot fit before the
C++ core allocates it.

The budget of one call is, in order of precedence:

1. the value set with ``calydon.set_memory_budget(n_bytes)`` (``None`` clears it);
2. the ``CALYDON_MEMORY_BUDGET`` environment variable, in bytes;
3. 3/4 of the memory this process can still obtain: the lowest of MemAvailable
   (``/proc/meminfo``), the room left under ``RLIMIT_AS`` (address-space limit minus the
   current virtual size) and the room left in the container's cgroup (v2 ``memory.max`` minus
   ``memory.current``; v1 ``memory.limit_in_bytes`` minus ``memory.usage_in_bytes``).

Builders call ``check_memory(api, what, estimate_bytes)``; a refusal is a ValueError that names
the public function the user called, what was estimated, the estimate and the budget.
"""

from __future__ import annotations

import math
import numbers
import os
import resource
import time
from pathlib import Path

from . import _core

FALLBACK_BYTES = 8 << 30
BUDGET_FRACTION = 0.75
"""Share of the obtainable memory one call may plan to use."""

_budget_override: int | None = None


def _meminfo_available() -> int | None:
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def _address_space_room() -> int | None:
    """RLIMIT_AS minus the current virtual size, or None without a limit."""
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY:
        return None
    used = 0
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmSize:"):
                    used = int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return max(0, soft - used)


def _read_int(path: Path) -> int | None:
    try:
        text = path.read_text().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None  # "max" (no limit) gives None


def _cgroup_dirs(version: int) -> list[Path]:
    """This process's own cgroup directory first (from /proc/self/cgroup), then the root."""
    root = Path("/sys/fs/cgroup") if version == 2 else Path("/sys/fs/cgroup/memory")
    dirs = []
    try:
        for line in Path("/proc/self/cgroup").read_text().splitlines():
            _, controllers, path = line.split(":", 2)
            if (version == 2 and controllers == "") or (
                version == 1 and "memory" in controllers.split(",")
            ):
                dirs.append(root / path.lstrip("/"))
    except (OSError, ValueError):
        pass
    return dirs + [root]


def _cgroup_room() -> int | None:
    """What the memory cgroup still allows (limit minus usage), or None without a limit."""
    for version, limit_name, usage_name in (
        (2, "memory.max", "memory.current"),
        (1, "memory.limit_in_bytes", "memory.usage_in_bytes"),
    ):
        for directory in _cgroup_dirs(version):
            limit = _read_int(directory / limit_name)
            # cgroup v1 reports "no limit" as a huge number rather than "max"
            if limit is not None and limit < (1 << 60):
                usage = _read_int(directory / usage_name) or 0
                return max(0, limit - usage)
    return None


def available_memory_bytes() -> int:
    """The memory this process can still obtain: the lowest of MemAvailable, the room under
    RLIMIT_AS and the room in its memory cgroup (8 GiB when none can be read)."""
    known = [v for v in (_meminfo_available(), _address_space_room(), _cgroup_room()) if v]
    return min(known) if known else FALLBACK_BYTES


def set_memory_budget(n_bytes: int | float | None) -> None:
    """Sets the memory budget of every later calydon call, in bytes; ``None`` goes back to the
    default (``$CALYDON_MEMORY_BUDGET``, else 3/4 of the obtainable memory).

    Builders estimate what a request needs before allocating it and raise ValueError when the
    estimate exceeds the budget. A larger budget than the machine has only moves the failure
    to the allocation itself (MemoryError, or the kernel's out-of-memory killer).

    Parameters
    ----------
    n_bytes : int, float or None
        The budget in bytes, positive and finite; None restores the default.

    Returns
    -------
    None

    Raises
    ------
    TypeError
        ``n_bytes`` is not a number or None.
    ValueError
        ``n_bytes`` is not a positive finite number.
    """
    global _budget_override
    api = "set_memory_budget"
    if n_bytes is None:
        _budget_override = None
        return
    if isinstance(n_bytes, bool) or not isinstance(n_bytes, numbers.Real):
        raise TypeError(
            f"{api}: n_bytes must be a number of bytes or None, got {type(n_bytes).__name__}"
        )
    value = float(n_bytes)
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{api}: n_bytes must be a positive finite number, got {n_bytes!r}")
    _budget_override = int(value)


def memory_budget_bytes() -> int:
    """Bytes one call may plan to use (see the module docstring for the order of precedence)."""
    global _last_reading
    if _budget_override is not None:
        return _budget_override
    env = os.environ.get("CALYDON_MEMORY_BUDGET")
    if env:
        return int(float(env))
    budget = int(BUDGET_FRACTION * available_memory_bytes())
    _last_reading = (time.monotonic(), budget)
    return budget


# (time.monotonic(), budget) of the last reading of /proc and the cgroup files.
_last_reading: tuple[float, int] = (-math.inf, 0)
# A request under this fraction of a reading younger than READING_TTL seconds passes without a
# new one: each reading opens about seven files (about 0.3 ms), which dominated batches of
# small images, and memory that was 8x the request a moment ago has not all gone since.
SMALL_FRACTION, READING_TTL = 1 / 8, 1.0


def _clearly_fits(estimate_bytes: float) -> bool:
    if _budget_override is not None or os.environ.get("CALYDON_MEMORY_BUDGET"):
        return False  # a set budget is read exactly every time (it is cheap)
    at, budget = _last_reading
    return estimate_bytes <= SMALL_FRACTION * budget and time.monotonic() - at < READING_TTL


def _gib(n_bytes: float) -> str:
    return f"{n_bytes / 2**30:.3g} GiB"


def check_memory(api: str, what: str, estimate_bytes: float, hint: str = "") -> None:
    """Raises ValueError when ``estimate_bytes`` exceeds the memory budget.

    ``api`` is the public function the user called, ``what`` names the request (e.g. "points of
    shape (1500000, 3)"), ``hint`` says how to make it smaller. The message gives both numbers.
    """
    if _clearly_fits(estimate_bytes):
        return
    budget = memory_budget_bytes()
    if estimate_bytes > budget:
        advice = f"; {hint}" if hint else ""
        raise ValueError(
            f"{api}: {what} needs an estimated {_gib(estimate_bytes)}, more than the memory "
            f"budget of {_gib(budget)}{advice} (or raise the budget with "
            "calydon.set_memory_budget(n_bytes) or CALYDON_MEMORY_BUDGET in bytes)"
        )


def require_fits(n_bytes: float, api: str, what: str, hint: str) -> None:
    """Older spelling of ``check_memory`` (used by the grid builders)."""
    check_memory(api, what, n_bytes, hint)


def release_cached_memory() -> int:
    """Returns to the system the large arrays that grid calls keep for the next call.

    Grid persistence (``compute_diagrams_ls``, ``compute_diagrams_cubical``, the grid builders
    of ``calydon.diff``) keeps freed arrays of up to 16 MiB, 48 MiB in all, so that a training
    loop calling again with the same shapes skips the page faults of fresh memory. They stay
    resident after the call; a process that is done with grids, or needs that memory for
    something else, hands them back with this call. Later calls work as before.

    Returns
    -------
    int
        The number of bytes returned (0 when none were kept; always 0 off Linux, where nothing
        is kept).
    """
    return int(_core.release_kept_mappings())
