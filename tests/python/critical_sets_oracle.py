"""Independent oracle for the critical-set method (Nigmetov & Morozov, "Topological optimization
with big steps", arXiv:2203.16748), written from scratch for the test suite.

Nothing here runs calydon's reduction or optimizer. The input is a filtration given as its
boundary matrix over sorted ids (CSR by column), its values, the dimension of each cell and the
``negate`` flag; ``CritOracle.from_filtration`` reads those from a ``calydon.Filtration`` (or the
``under_fil`` of a ``calydon.diff.DiffFiltration``), which is the input, not the computation
under test.

* Homology: D reduced left to right over Z/2 WITHOUT clearing, a column only ever adding the
  earlier column that currently owns its low. This yields R = D V with V in ELZ form;
  U = V^{-1} row by row (forward substitution). Columns are Python ints used as bitsets.
* Cohomology: the anti-transpose D^perp (matrix index m = N - 1 - sorted id), same reduction, so
  R^perp, V^perp, U^perp.
* The four critical sets (all comparisons in filtration order; with ``negate`` "earlier" means a
  larger value). With prec(a, b) = a < b (a > b when negated):
    decrease death of tau to t:  {tau' in V_tau            : not prec(f(tau'), t)}
    increase death of tau to t:  {tau' : U[tau, tau'] = 1  : not prec(t, f(tau'))}
    increase birth of sigma to t: {cells of V^perp column of sigma : not prec(t, f(sigma'))}
    decrease birth of sigma to t: {cells of U^perp row of sigma    : not prec(f(sigma'), t)}
  Without a target (t = None) the whole column / row is returned.
* Conflict strategies: "max" (largest |t - f|, first in critical-set order on ties), "avg"
  (mean), "sum" (every (cell, target) pair), "fca" (pinned input cells keep their target, all
  others averaged).
* The crit-sets backward: targets b - s g_b, d - s g_d for the moving coordinates of every
  finite diagram point of every dimension, critical sets of all of them together, one global
  conflict resolution, gradient f_i - t_i (scatter-added for "sum").
"""

from __future__ import annotations

import math
from typing import Iterable, Sequence

import numpy as np

STRATEGIES = ("max", "avg", "sum", "fca")


def bits(x: int) -> list[int]:
    """Set bit positions of ``x``, ascending."""
    out = []
    while x:
        low = x & -x
        out.append(low.bit_length() - 1)
        x ^= low
    return out


def low_of(x: int) -> int:
    """Largest set bit (-1 for an empty column)."""
    return x.bit_length() - 1


def reduce_elz(columns: Sequence[int]) -> tuple[list[int], list[int], dict[int, int]]:
    """Serial left-to-right Z/2 reduction without clearing. Returns (R, V, pivot_of) where
    ``pivot_of[row] = column`` owning that low."""
    R = list(columns)
    V = [1 << j for j in range(len(columns))]
    pivot_of: dict[int, int] = {}
    for j in range(len(R)):
        while R[j]:
            low = low_of(R[j])
            k = pivot_of.get(low)
            if k is None:
                pivot_of[low] = j
                break
            R[j] ^= R[k]
            V[j] ^= V[k]
    return R, V, pivot_of


def transpose_bits(columns: Sequence[int], n_rows: int) -> list[int]:
    """Rows of the matrix whose columns are ``columns`` (bitsets), as bitsets of column indices."""
    rows = [0] * n_rows
    for j, col in enumerate(columns):
        for i in bits(col):
            rows[i] |= 1 << j
    return rows


def inverse_row(v_rows: Sequence[int], r: int) -> int:
    """Row ``r`` of U = V^{-1} for an upper unitriangular V given by its rows: u V = e_r by forward
    substitution (take the smallest residual index p, add row p of V)."""
    residual, u = 1 << r, 0
    while residual:
        p = (residual & -residual).bit_length() - 1
        u |= 1 << p
        residual ^= v_rows[p]
    return u


class CritOracle:
    """Reductions, pairs, critical sets and the crit-sets backward of one filtration."""

    def __init__(
        self,
        indptr: Sequence[int],
        indices: Sequence[int],
        values: Sequence[float],
        dims: Sequence[int],
        negate: bool = False,
    ):
        self.values = np.asarray(values, dtype=np.float64).copy()
        self.dims = np.asarray(dims, dtype=np.int64).copy()
        self.negate = bool(negate)
        self.n = n = len(self.values)
        indptr = np.asarray(indptr, dtype=np.int64)
        indices = np.asarray(indices, dtype=np.int64)
        assert len(indptr) == n + 1 and len(self.dims) == n
        cols = []
        for j in range(n):
            col = 0
            for i in indices[indptr[j] : indptr[j + 1]]:
                col ^= 1 << int(i)
            cols.append(col)
        self.D = cols
        # Homology, ELZ form.
        self.R, self.V, self._pivot = reduce_elz(cols)
        self._v_rows = None
        self._u_rows: dict[int, int] = {}
        # Cohomology: anti-transpose (matrix index m <-> sorted id n - 1 - m), computed lazily.
        self._coh = None
        self.death_of = {low_of(self.R[j]): j for j in range(n) if self.R[j]}  # birth -> death
        self.birth_of = {j: low_of(self.R[j]) for j in range(n) if self.R[j]}  # death -> birth

    @classmethod
    def from_filtration(cls, fil) -> "CritOracle":
        under = getattr(fil, "under_fil", fil)
        indptr, indices = under.boundary_matrix()
        return cls(indptr, indices, under.values(), under.dims(), bool(under.negate))

    # ---------------------------------------------------------------- order
    def prec(self, a: float, b: float) -> bool:
        """``a`` strictly earlier than ``b`` in filtration order."""
        return a > b if self.negate else a < b

    @property
    def infinity(self) -> float:
        """The filtration-latest value (+inf, or -inf when negated)."""
        return -math.inf if self.negate else math.inf

    # ---------------------------------------------------------------- matrices
    def is_negative(self, i: int) -> bool:
        return i in self.birth_of

    def u_row(self, r: int) -> int:
        if self._v_rows is None:
            self._v_rows = transpose_bits(self.V, self.n)
        if r not in self._u_rows:
            self._u_rows[r] = inverse_row(self._v_rows, r)
        return self._u_rows[r]

    def _cohomology(self):
        if self._coh is None:
            n = self.n
            perp = [0] * n
            for tau, col in enumerate(self.D):
                for sigma in bits(col):
                    perp[n - 1 - sigma] |= 1 << (n - 1 - tau)
            R, V, pivot = reduce_elz(perp)
            self._coh = {
                "D": perp,
                "R": R,
                "V": V,
                "pivot": pivot,
                "v_rows": transpose_bits(V, n),
                "u_rows": {},
            }
        return self._coh

    @property
    def D_perp(self) -> list[int]:
        return self._cohomology()["D"]

    @property
    def R_perp(self) -> list[int]:
        return self._cohomology()["R"]

    @property
    def V_perp(self) -> list[int]:
        return self._cohomology()["V"]

    def u_perp_row(self, m: int) -> int:
        coh = self._cohomology()
        if m not in coh["u_rows"]:
            coh["u_rows"][m] = inverse_row(coh["v_rows"], m)
        return coh["u_rows"][m]

    # ---------------------------------------------------------------- pairs and diagrams
    def pairs(self) -> np.ndarray:
        """All (birth, death) sorted-id pairs of homology, zero persistence included, sorted."""
        p = sorted((b, d) for d, b in self.birth_of.items())
        return np.array(p, dtype=np.int64).reshape(-1, 2)

    def cohomology_pairs(self) -> np.ndarray:
        """The same pairs read off the cohomology reduction (column m, low m' -> (n-1-m, n-1-m'))."""
        n = self.n
        p = sorted((n - 1 - m, n - 1 - low_of(col)) for m, col in enumerate(self.R_perp) if col)
        return np.array(p, dtype=np.int64).reshape(-1, 2)

    def essential(self) -> np.ndarray:
        return np.array(
            [i for i in range(self.n) if not self.R[i] and i not in self.death_of], dtype=np.int64
        )

    def index_diagram(self, dim: int) -> np.ndarray:
        """Finite points of homology dimension ``dim`` with nonzero persistence, as (birth, death)
        sorted ids, sorted by birth."""
        p = self.pairs()
        keep = [(b, d) for b, d in p if self.dims[b] == dim and self.values[b] != self.values[d]]
        return np.array(keep, dtype=np.int64).reshape(-1, 2)

    def diagram(self, dim: int) -> np.ndarray:
        return self.values[self.index_diagram(dim)].reshape(-1, 2)

    def n_diagram_dims(self) -> int:
        return max(int(self.dims.max()) if self.n else 0, 1)

    # ---------------------------------------------------------------- critical sets
    def decrease_death(self, tau: int, t: float | None = None) -> np.ndarray:
        f = self.values
        return np.array(
            [k for k in bits(self.V[tau]) if t is None or not self.prec(f[k], t)], dtype=np.int64
        )

    def increase_death(self, tau: int, t: float | None = None) -> np.ndarray:
        f = self.values
        return np.array(
            [k for k in bits(self.u_row(tau)) if t is None or not self.prec(t, f[k])],
            dtype=np.int64,
        )

    def increase_birth(self, sigma: int, t: float | None = None) -> np.ndarray:
        n, f = self.n, self.values
        cells = [n - 1 - m for m in bits(self.V_perp[n - 1 - sigma])]
        return np.array(
            sorted(c for c in cells if t is None or not self.prec(t, f[c])), dtype=np.int64
        )

    def decrease_birth(self, sigma: int, t: float | None = None) -> np.ndarray:
        n, f = self.n, self.values
        cells = [n - 1 - m for m in bits(self.u_perp_row(n - 1 - sigma))]
        return np.array(
            sorted(c for c in cells if t is None or not self.prec(f[c], t)), dtype=np.int64
        )

    def singleton(self, index: int, t: float) -> tuple[float, np.ndarray]:
        index, t = int(index), float(t)
        f = self.values[index]
        if t == f:
            return t, np.empty(0, dtype=np.int64)
        if self.is_negative(index):
            ids = (
                self.decrease_death(index, t) if self.prec(t, f) else self.increase_death(index, t)
            )
        else:
            ids = (
                self.increase_birth(index, t) if self.prec(f, t) else self.decrease_birth(index, t)
            )
        return t, ids

    def singletons(
        self, indices: Iterable[int], targets: Iterable[float]
    ) -> list[tuple[float, np.ndarray]]:
        return [self.singleton(i, t) for i, t in zip(indices, targets)]

    # ---------------------------------------------------------------- conflicts
    def combine(self, critical_sets, strategy: str, pinned: dict[int, float] | None = None):
        """Resolved (indices int64, targets float64), sorted by index (Sum: ties kept in
        critical-set order). ``pinned`` (FixCritAvg): input cell -> its own target."""
        strategy = strategy.lower()
        if strategy not in STRATEGIES:
            raise ValueError(f"unknown strategy {strategy!r}")
        if strategy == "fca" and pinned is None:
            raise ValueError("fca needs the pinned (index, target) inputs")
        flat = [(int(i), float(t)) for t, ids in critical_sets for i in ids]
        if strategy == "sum":
            flat.sort(key=lambda p: p[0])  # stable: critical-set order among equal indices
            return _arrays(flat)
        proposals: dict[int, list[float]] = {}
        for i, t in flat:
            proposals.setdefault(i, []).append(t)
        out = []
        for i in sorted(proposals):
            ts = proposals[i]
            if strategy == "max":
                f = self.values[i]
                best = ts[0]
                for t in ts[1:]:
                    if abs(t - f) > abs(best - f):
                        best = t
                out.append((i, best))
            elif strategy == "fca" and pinned is not None and i in pinned:
                out.append((i, pinned[i]))
            else:
                out.append((i, sum(ts) / len(ts)))
        if strategy == "fca":
            assert all(i in proposals for i in pinned), "a pinned cell is in its own critical set"
        return _arrays(out)

    def max_ties(self, critical_sets) -> dict[int, set[float]]:
        """Cells where Max is ambiguous: two different targets tie for the largest |t - f|.
        Maps each such cell to the set of tied targets."""
        proposals: dict[int, list[float]] = {}
        for t, ids in critical_sets:
            for i in ids:
                proposals.setdefault(int(i), []).append(float(t))
        out = {}
        for i, ts in proposals.items():
            f = self.values[i]
            m = max(abs(t - f) for t in ts)
            tied = {t for t in ts if abs(t - f) == m}
            if len(tied) > 1:
                out[i] = tied
        return out

    def crit_sets_apply(self, indices, targets, strategy: str):
        """Critical sets of the inputs whose target differs from the current value, resolved."""
        moving = [
            (int(i), float(t)) for i, t in zip(indices, targets) if float(t) != self.values[int(i)]
        ]
        sets = [self.singleton(i, t) for i, t in moving]
        pinned = {i: t for i, t in moving} if strategy.lower() == "fca" else None
        return self.combine(sets, strategy, pinned)

    # ---------------------------------------------------------------- backward
    def moving_targets(
        self, upstream: dict[int, np.ndarray], step_size: float
    ) -> list[tuple[int, float]]:
        """(cell, target) for every moving coordinate; ``upstream[dim]`` is the (n, 2) upstream
        gradient aligned with ``index_diagram(dim)``. Births before deaths within a dimension."""
        out = []
        for dim in sorted(upstream):
            idx = self.index_diagram(dim)
            g = np.asarray(upstream[dim], dtype=np.float64).reshape(-1, 2)
            assert g.shape == idx.shape, (dim, g.shape, idx.shape)
            for col in (0, 1):
                for cell, gi in zip(idx[:, col], g[:, col]):
                    cur = self.values[cell]
                    t = cur - step_size * gi
                    if t != cur:
                        out.append((int(cell), float(t)))
        return out

    def backward(self, upstream: dict[int, np.ndarray], step_size: float, strategy: str):
        """Gradient w.r.t. the values (length n) of the crit-sets backward, and for "max" the cells
        whose resolution is ambiguous: {cell: set of acceptable gradient values}."""
        moving = self.moving_targets(upstream, step_size)
        sets = [self.singleton(i, t) for i, t in moving]
        pinned = dict(moving) if strategy.lower() == "fca" else None
        idx, tgt = self.combine(sets, strategy, pinned)
        grad = np.zeros(self.n)
        np.add.at(grad, idx, self.values[idx] - tgt)
        ambiguous = {}
        if strategy.lower() == "max":
            ambiguous = {
                i: {self.values[i] - t for t in ts} for i, ts in self.max_ties(sets).items()
            }
        return grad, ambiguous

    # ---------------------------------------------------------------- dense views (self-tests)
    def dense(self, which: str) -> np.ndarray:
        """Dense uint8 matrix: "D", "R", "V", "U", "D_perp", "R_perp", "V_perp", "U_perp"."""
        n = self.n
        if which == "U":
            rows = [self.u_row(r) for r in range(n)]
            return _dense_rows(rows, n)
        if which == "U_perp":
            rows = [self.u_perp_row(r) for r in range(n)]
            return _dense_rows(rows, n)
        cols = {"D": self.D, "R": self.R, "V": self.V}.get(which)
        if cols is None:
            cols = {"D_perp": self.D_perp, "R_perp": self.R_perp, "V_perp": self.V_perp}[which]
        return _dense_rows(cols, n).T.copy()


def _dense_rows(rows: Sequence[int], n: int) -> np.ndarray:
    out = np.zeros((len(rows), n), dtype=np.uint8)
    for r, x in enumerate(rows):
        out[r, bits(x)] = 1
    return out


def _arrays(pairs: list[tuple[int, float]]) -> tuple[np.ndarray, np.ndarray]:
    return (
        np.array([p[0] for p in pairs], dtype=np.int64),
        np.array([p[1] for p in pairs], dtype=np.float64),
    )


def sorted_pairs(indices, values) -> np.ndarray:
    """(k, 2) float64 array of (index, value) rows lexsorted by index then value, for comparing
    IndicesValues independently of their order."""
    idx = np.asarray(indices, dtype=np.float64).reshape(-1)
    val = np.asarray(values, dtype=np.float64).reshape(-1)
    order = np.lexsort((val, idx))
    return np.stack([idx[order], val[order]], axis=1).reshape(-1, 2)


def matmul_z2(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a.astype(np.int64) @ b.astype(np.int64) % 2).astype(np.uint8)
