"""Naive reference persistence, written from scratch for the test suite.

Nothing here imports calydon: it is an independent oracle. The complexes are enumerated by their
own definitions, sorted by (dim, value, own position) and reduced with the plain standard column
algorithm over Z/2 (columns are Python ints used as bitsets, so "adding" two columns is XOR).

Diagrams are returned as ``{dim: float64 array (n, 2)}`` with zero-length pairs dropped and
essential classes as (birth, +inf), or (birth, -inf) for a negated filtration.
"""

from __future__ import annotations

import itertools
import math
from typing import Sequence

import numpy as np

# --------------------------------------------------------------------------------------------
# Complexes
# --------------------------------------------------------------------------------------------


def _chains(ndim: int, k: int):
    """All strict chains S1 < S2 < ... < Sk of nonempty subsets of range(ndim), as bitmasks."""
    full = (1 << ndim) - 1

    def extend(chain):
        if len(chain) == k:
            yield tuple(chain)
            return
        last = chain[-1] if chain else 0
        for s in range(1, full + 1):
            if (s & last) == last and s != last:
                yield from extend(chain + [s])

    yield from extend([])


def freudenthal_simplices(
    shape: Sequence[int], max_dim: int | None = None
) -> list[tuple[int, ...]]:
    """Simplices of the Freudenthal (Kuhn) triangulation of the vertex grid ``shape``.

    A k-simplex anchored at grid point x is {x, x + S1, ..., x + Sk} for a strict chain of nonempty
    0/1 offset sets; it exists when x + Sk lies in the grid. Vertices are C-order flat indices.
    """
    shape = tuple(int(s) for s in shape)
    ndim = len(shape)
    top = ndim if max_dim is None else min(max_dim, ndim)
    out: list[tuple[int, ...]] = []
    points = list(itertools.product(*[range(s) for s in shape]))
    for k in range(top + 1):
        chains = list(_chains(ndim, k))
        for x in points:
            for chain in chains:
                verts = [x]
                ok = True
                for s in chain:
                    y = tuple(x[i] + ((s >> i) & 1) for i in range(ndim))
                    if any(y[i] >= shape[i] for i in range(ndim)):
                        ok = False
                        break
                    verts.append(y)
                if ok:
                    out.append(tuple(sorted(int(np.ravel_multi_index(v, shape)) for v in verts)))
    return out


def freudenthal_count(shape: Sequence[int], dim: int) -> int:
    """Closed-form number of dim-simplices of the Freudenthal triangulation of ``shape``.

    A k-simplex is an anchor x plus a strict chain of k nonempty sets ending at some T; it fits iff
    x_i <= N_i - 2 for i in T. Chains of length k ending at a fixed T of size t are surjections
    from T onto k ordered blocks: k! S(t, k).
    """
    ndim = len(shape)
    total = 0
    for t in range(dim, ndim + 1):
        surjections = sum((-1) ** j * math.comb(dim, j) * (dim - j) ** t for j in range(dim + 1))
        for T in itertools.combinations(range(ndim), t):
            n_anchor = 1
            for i in range(ndim):
                n_anchor *= (shape[i] - 1) if i in T else shape[i]
            total += surjections * n_anchor
    return total


def cube_count(shape: Sequence[int], dim: int) -> int:
    """Number of dim-cubes of the cubical complex on the vertex grid ``shape``."""
    total = 0
    for S in itertools.combinations(range(len(shape)), dim):
        p = 1
        for i in range(len(shape)):
            p *= (shape[i] - 1) if i in S else shape[i]
        total += p
    return total


def lower_star_values(
    simplices: Sequence[Sequence[int]], data: np.ndarray, negate: bool = False
) -> list[float]:
    flat = np.asarray(data, dtype=np.float64).reshape(-1)
    pick = min if negate else max
    return [float(pick(flat[v] for v in s)) for s in simplices]


def cubes(
    shape: Sequence[int], max_dim: int | None = None
) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Cubes of the vertex grid ``shape`` as (anchor, axes): the box anchor + {0,1}^axes."""
    shape = tuple(int(s) for s in shape)
    ndim = len(shape)
    top = ndim if max_dim is None else min(max_dim, ndim)
    out = []
    for k in range(top + 1):
        for axes in itertools.combinations(range(ndim), k):
            for x in itertools.product(*[range(s) for s in shape]):
                if all(x[i] + 1 < shape[i] for i in axes):
                    out.append((x, axes))
    return out


def cube_vertices(shape: Sequence[int], anchor, axes) -> list[int]:
    verts = []
    for bits in itertools.product((0, 1), repeat=len(axes)):
        y = list(anchor)
        for i, b in zip(axes, bits):
            y[i] += b
        verts.append(int(np.ravel_multi_index(tuple(y), tuple(shape))))
    return verts


def cube_values(
    data: np.ndarray, negate: bool = False, values_on: str = "vertices", max_dim: int | None = None
):
    """(cubes, values, candidates): per cube its value and the flat data indices it is taken over.

    vertices: max (negate: min) over the cube's vertices. cells: data sits on the top cubes of the
    vertex grid data.shape + 1 and a cube takes the min (negate: max) over the top cubes containing it.
    """
    data = np.asarray(data, dtype=np.float64)
    flat = data.reshape(-1)
    if values_on == "vertices":
        vshape = data.shape
        cs = cubes(vshape, max_dim)
        cands = [cube_vertices(vshape, x, axes) for x, axes in cs]
        pick = min if negate else max
    else:
        vshape = tuple(s + 1 for s in data.shape)
        cs = cubes(vshape, max_dim)
        cands = []
        for x, axes in cs:
            choices = [
                [x[i]] if i in axes else [c for c in (x[i] - 1, x[i]) if 0 <= c < data.shape[i]]
                for i in range(data.ndim)
            ]
            cands.append(
                [int(np.ravel_multi_index(y, data.shape)) for y in itertools.product(*choices)]
            )
        pick = max if negate else min
    values = [float(pick(flat[c] for c in cand)) for cand in cands]
    return cs, values, cands


# --------------------------------------------------------------------------------------------
# Standard reduction
# --------------------------------------------------------------------------------------------


def sorted_order(
    simplices: Sequence[Sequence[int]], values: Sequence[float], negate: bool = False
) -> list[int]:
    """Input positions in filtration order: by (dim, value, position); negate reverses values."""
    sign = -1.0 if negate else 1.0
    return sorted(range(len(simplices)), key=lambda i: (len(simplices[i]), sign * values[i], i))


def boundary_columns(simplices: Sequence[Sequence[int]], order: Sequence[int]) -> list[int]:
    """Boundary columns over sorted positions, as int bitsets."""
    pos = {tuple(sorted(simplices[i])): p for p, i in enumerate(order)}
    cols = []
    for i in order:
        s = tuple(sorted(simplices[i]))
        col = 0
        if len(s) > 1:
            for j in range(len(s)):
                col ^= 1 << pos[s[:j] + s[j + 1 :]]
        cols.append(col)
    return cols


def standard_reduction(cols: Sequence[int]) -> tuple[list[int], list[int]]:
    """Plain left-to-right column reduction over Z/2. Returns (R, V) as lists of int bitsets."""
    R = list(cols)
    V = [1 << j for j in range(len(cols))]
    pivot_of: dict[int, int] = {}
    for j in range(len(R)):
        while R[j]:
            low = R[j].bit_length() - 1
            k = pivot_of.get(low)
            if k is None:
                pivot_of[low] = j
                break
            R[j] ^= R[k]
            V[j] ^= V[k]
    return R, V


def simplicial_diagrams(
    simplices: Sequence[Sequence[int]],
    values: Sequence[float],
    negate: bool = False,
    n_dims: int | None = None,
    include_inf: bool = True,
) -> dict[int, np.ndarray]:
    """Reference diagrams of a simplicial filtration given as simplices (vertex lists) + values."""
    simplices = [tuple(s) for s in simplices]
    values = [float(v) for v in values]
    order = sorted_order(simplices, values, negate)
    vals = [values[i] for i in order]
    dims = [len(simplices[i]) - 1 for i in order]
    R, _ = standard_reduction(boundary_columns(simplices, order))
    if n_dims is None:
        n_dims = max(dims) + 1 if dims else 0
    out: dict[int, list] = {d: [] for d in range(n_dims)}
    paired = set()
    for j, col in enumerate(R):
        if col:
            i = col.bit_length() - 1
            paired.add(i)
            paired.add(j)
            if vals[i] != vals[j] and dims[i] in out:
                out[dims[i]].append((vals[i], vals[j]))
    if include_inf:
        inf = -math.inf if negate else math.inf
        for j, col in enumerate(R):
            if not col and j not in paired and dims[j] in out:
                out[dims[j]].append((vals[j], inf))
    return {d: np.array(p, dtype=np.float64).reshape(-1, 2) for d, p in out.items()}


def freudenthal_diagrams(
    data: np.ndarray, negate: bool = False, max_dim: int | None = None, include_inf: bool = True
) -> dict[int, np.ndarray]:
    """Reference diagrams of the lower-star (upper-star if negate) Freudenthal filtration.

    ``max_dim`` is the top simplex dimension (default data.ndim); dims 0..top are returned.
    """
    data = np.asarray(data, dtype=np.float64)
    top = data.ndim if max_dim is None else min(max_dim, data.ndim)
    simplices = freudenthal_simplices(data.shape, top)
    values = lower_star_values(simplices, data, negate)
    return simplicial_diagrams(simplices, values, negate, n_dims=top + 1, include_inf=include_inf)


# --------------------------------------------------------------------------------------------
# Over-Z/2 matrix helpers for checking R = D V
# --------------------------------------------------------------------------------------------


def columns_to_dense(columns: Sequence[Sequence[int]], n: int) -> np.ndarray:
    m = np.zeros((n, len(columns)), dtype=np.uint8)
    for j, col in enumerate(columns):
        for i in col:
            m[i, j] ^= 1
    return m


def matmul_z2(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a.astype(np.int64) @ b.astype(np.int64) % 2).astype(np.uint8)
