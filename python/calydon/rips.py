"""Vietoris-Rips filtrations of point clouds and distance matrices, and their diagrams.

Two backends give the same diagrams:

* the explicit filtration (``vr_filtration``): every simplex up to ``max_dim`` with diameter
  ``<= max_diameter``, sorted like any calydon filtration, each with its critical edge;
* implicit cohomology (``compute_diagrams_vr`` with ``dualize=True``, the default): the
  algorithm of Ripser (Bauer 2021) with clearing, apparent and emergent pairs, which never
  materialises the complex.

Before anything is built, the size of the complex is estimated and a complex that would not fit
in memory is refused with a ValueError (see ``calydon._memory``; ``CALYDON_MEMORY_BUDGET`` in bytes overrides the budget).
"""

from __future__ import annotations

from typing import Any

from ._rips import DEFAULT_MAX_DIM, build_explicit, diagram_dims, implicit_pairs, plan_rips
from ._validate import check_bool, check_n_threads
from .diagrams import Diagrams
from .persistence import persistence_index_pairs


def vr_filtration(
    data: Any,
    from_pwdists: bool = False,
    max_dim: int = DEFAULT_MAX_DIM,
    max_diameter: float | None = None,
    with_critical_edges: bool = False,
):
    """Vietoris-Rips filtration of a point cloud or a distance matrix.

    Vertices have value 0; an edge has its length; a higher simplex has its diameter, the
    length of its longest edge (its critical edge). Lengths are Euclidean (coordinates summed in
    order, then the square root), or the matrix entries bit for bit with ``from_pwdists``.

    Parameters
    ----------
    data : array_like, shape (n, d) or (n, n)
        Points (real dtype, converted to float64), or with ``from_pwdists=True`` a distance
        matrix: finite, non-negative, symmetric with a zero diagonal up to 1e-5 of its largest
        entry (as ``torch.cdist`` gives); such a matrix is read from its lower triangle.
    from_pwdists : bool, default False
        ``data`` is a distance matrix.
    max_dim : int, default 2
        Top simplex dimension (2: diagrams in dimensions 0 and 1).
    max_diameter : float, optional
        Keep simplices of diameter ``<= max_diameter``. ``None`` (default): the enclosing radius
        ``min_i max_j d(i, j)``, above which the complex is a cone and has no more homology below
        ``max_dim``; ``math.inf`` keeps every simplex.
    with_critical_edges : bool, default False
        Also return the critical edge of every cell.

    Returns
    -------
    Filtration or tuple of (Filtration, ndarray)
        The ``calydon.Filtration`` (kind ``"vr"``), or ``(fil, edges)`` with ``edges`` an int64
        array of shape (n_cells, 2): the vertices (u <= v) of each sorted cell's critical edge,
        ``(v, v)`` for a vertex v.

    Raises
    ------
    ValueError
        Bad data or arguments, or a complex estimated not to fit in memory.
    OverflowError
        Simplex indices would overflow int64 (absurd ``max_dim`` for ``n``).
    """
    api = "vr_filtration"
    with_critical_edges = check_bool(with_critical_edges, "with_critical_edges", api)
    plan = plan_rips(data, from_pwdists, max_dim, max_diameter, api)
    fil, edges, _ = build_explicit(plan, api, max_diameter)
    return (fil, edges) if with_critical_edges else fil


def compute_diagrams_vr(
    data: Any,
    from_pwdists: bool = False,
    max_dim: int = DEFAULT_MAX_DIM,
    max_diameter: float | None = None,
    include_inf_points: bool = True,
    dualize: bool = True,
    n_threads: int | None = None,
) -> Diagrams:
    """Persistence diagrams of a Vietoris-Rips filtration, dimensions 0..max_dim-1.

    ``dualize=True`` (default) runs the implicit cohomology and never builds the complex;
    ``dualize=False`` builds the explicit filtration and reduces homology. The diagrams are equal
    as multisets. With the implicit path, ``index_diagram_in_dimension`` holds rows of the
    critical-edge table rather than sorted cell ids (there is no sorted filtration); use
    ``dualize=False`` for cell ids.

    Parameters
    ----------
    data : array_like, shape (n, d) or (n, n)
        Points, or a distance matrix with ``from_pwdists=True`` (as in ``vr_filtration``).
    from_pwdists : bool, default False
        ``data`` is a distance matrix.
    max_dim : int, default 2
        Top simplex dimension; diagrams in dimensions 0..max_dim-1.
    max_diameter : float, optional
        Diameter threshold (default: the enclosing radius; see ``vr_filtration``).
    include_inf_points : bool, default True
        Add essential points ``(birth, inf)``.
    dualize : bool, default True
        Implicit cohomology (True) or the explicit filtration's homology (False).
    n_threads : int, optional
        None (one thread) or a positive int: threads for the implicit cohomology (apparent
        pairs, column assembly and reduction in dimensions >= 1). The diagrams are identical for
        any value.

    Returns
    -------
    Diagrams
        Dimensions 0..max_dim-1, each a float64 array of shape (n_d, 2) of (birth, death).

    Raises
    ------
    ValueError
        Bad data or arguments (``n_threads < 1``), or a complex estimated not to fit in memory.
    TypeError
        ``n_threads`` is not an int or None.
    """
    api = "compute_diagrams_vr"
    include_inf_points = check_bool(include_inf_points, "include_inf_points", api)
    dualize = check_bool(dualize, "dualize", api)
    n_threads = check_n_threads(n_threads, api)
    plan = plan_rips(data, from_pwdists, max_dim, max_diameter, api)
    if dualize:
        pairs = implicit_pairs(plan, api, n_threads)
    else:
        fil, _, _ = build_explicit(plan, api, max_diameter)
        pairs = persistence_index_pairs(fil, False, diagram_dims(plan.max_dim), n_threads=n_threads)
    return Diagrams.from_index_pairs(pairs, include_inf_points)
