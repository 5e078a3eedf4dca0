"""Where a diagram's points go on the Axes: the finite range, the lines that stand for +-infinity,
and the diagonal, ticks and limits drawn around them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

import numpy as np

from ._mpl import mticker

INF_LINE_STYLE = {"color": "0.35", "linestyle": "--", "linewidth": 1.0, "zorder": 1}


@dataclass(frozen=True)
class Frame:
    """A finite range [lo, hi] with +inf drawn at ``pos_inf`` and -inf at ``neg_inf``."""

    lo: float
    hi: float
    pad: float
    has_pos_inf: bool
    has_neg_inf: bool

    @property
    def pos_inf(self) -> float:
        return self.hi + self.pad

    @property
    def neg_inf(self) -> float:
        return self.lo - self.pad

    @property
    def limits(self) -> tuple[float, float]:
        low = self.neg_inf - self.pad / 2 if self.has_neg_inf else self.lo - self.pad / 2
        high = self.pos_inf + self.pad / 2 if self.has_pos_inf else self.hi + self.pad / 2
        return low, high

    def place(self, values: np.ndarray) -> np.ndarray:
        """A copy of ``values`` with +inf moved to ``pos_inf`` and -inf to ``neg_inf``."""
        out = np.array(values, dtype=np.float64)
        out[out == np.inf] = self.pos_inf
        out[out == -np.inf] = self.neg_inf
        return out


def frame_of(arrays: Iterable[np.ndarray]) -> Frame:
    """The frame holding every coordinate of ``arrays`` (any shapes), infinities included."""
    flat = [np.asarray(a, dtype=np.float64).reshape(-1) for a in arrays]
    values = np.concatenate(flat) if flat else np.empty(0)
    finite = values[np.isfinite(values)]
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    span = hi - lo
    pad = 0.1 * span if span > 0 else max(0.1 * abs(hi), 0.5)
    return Frame(lo, hi, pad, bool((values == np.inf).any()), bool((values == -np.inf).any()))


def set_ticks(frame: Frame, axis: Any, with_inf: bool = True) -> None:
    """Ordinary ticks over the finite range, plus '∞' / '−∞' at the lines standing for them
    (when ``with_inf``)."""
    low, high = frame.limits
    # no finite tick crowds the '∞' tick: keep them within a quarter pad of the finite range
    cut_high = frame.hi + frame.pad / 4 if frame.has_pos_inf and with_inf else high
    cut_low = frame.lo - frame.pad / 4 if frame.has_neg_inf and with_inf else low
    ticks = mticker.MaxNLocator(nbins=6).tick_values(frame.lo, frame.hi)
    ticks = [float(t) for t in ticks if cut_low <= t <= cut_high]
    names = {}
    if frame.has_pos_inf and with_inf:
        ticks.append(frame.pos_inf)
        names[frame.pos_inf] = "∞"
    if frame.has_neg_inf and with_inf:
        ticks.insert(0, frame.neg_inf)
        names[frame.neg_inf] = "−∞"
    axis.set_major_locator(mticker.FixedLocator(ticks))
    axis.set_major_formatter(mticker.FuncFormatter(lambda v, _: names.get(v, f"{v:.3g}")))


def decorate_diagram(ax: Any, frame: Frame, inf_births: bool, inf_deaths: bool) -> None:
    """The diagonal, a dashed line labelled '∞' (or '−∞') for the essential points of each axis
    that has them, square limits holding every placed point, and the axis labels."""
    low, high = frame.limits
    ax.plot([low, high], [low, high], color="0.5", linewidth=1.0, zorder=0, gid="diagonal")
    for position, present in (
        (frame.pos_inf, frame.has_pos_inf),
        (frame.neg_inf, frame.has_neg_inf),
    ):
        label = "∞" if position == frame.pos_inf else "−∞"
        if present and inf_deaths:
            ax.axhline(position, label=label, gid="inf", **INF_LINE_STYLE)
        if present and inf_births:
            ax.axvline(position, label=f"{label} (birth)", gid="inf_birth", **INF_LINE_STYLE)
    ax.set_xlim(low, high)
    ax.set_ylim(low, high)
    ax.set_aspect("equal", adjustable="box")
    set_ticks(frame, ax.xaxis, inf_births)
    set_ticks(frame, ax.yaxis, inf_deaths)
    ax.set_xlabel("birth")
    ax.set_ylabel("death")


def has_infinite(dgms: Iterable[np.ndarray], column: int) -> bool:
    """Whether any diagram has an infinite coordinate in ``column`` (0 birth, 1 death)."""
    return any(bool(np.isinf(d[:, column]).any()) for d in dgms)
