"""The one place calydon.vis imports matplotlib, so a missing install gives one clear message."""

from __future__ import annotations

from typing import Any

try:
    import matplotlib
    from matplotlib import cm as mcm
    from matplotlib import collections as mcollections
    from matplotlib import colors as mcolors
    from matplotlib import ticker as mticker
except ImportError as error:  # the vis extra is optional; say how to get it
    raise ImportError(
        "calydon.vis needs matplotlib, which is not installed: pip install 'calydon[vis]'"
    ) from error

__all__ = ["dimension_color", "matplotlib", "mcm", "mcollections", "mcolors", "mticker", "new_axes"]


def new_axes(ax: Any) -> Any:
    """``ax`` itself, or the Axes of a new figure when ``ax`` is None (pyplot loads only then)."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    return plt.subplots()[1]


def dimension_color(dim: int, colors: Any) -> Any:
    """The colour of homology dimension ``dim``: ``colors[dim]`` (a mapping or a sequence indexed
    by dimension) when given, otherwise the dim-th colour of the tab10 palette."""
    if colors is not None:
        try:
            return colors[dim]
        except (KeyError, IndexError, TypeError):
            pass
    return matplotlib.colormaps["tab10"](dim % 10)
