"""calydon.vis: matplotlib figures of diagrams, barcodes, matchings, diagram gradients and
critical sets (the ``vis`` extra: ``pip install 'calydon[vis]'``).

``import calydon`` never imports matplotlib; ``import calydon.vis`` does (pyplot only when a
function makes its own figure); without matplotlib it raises an ImportError that says how to
install it. Every function returns the Axes and never calls ``plt.show()``.
"""

from ._critical import plot_critical_set
from ._diagram import plot_barcode, plot_diagram
from ._gradient import plot_diagram_gradient
from ._matching import plot_matching

__all__ = [
    "plot_barcode",
    "plot_critical_set",
    "plot_diagram",
    "plot_diagram_gradient",
    "plot_matching",
]
