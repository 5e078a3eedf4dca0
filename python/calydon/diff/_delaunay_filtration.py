"""DiffDelaunayFiltration: a Delaunay filtration whose differentiable values torch evaluates only
where they are read.

C++ gives every sorted cell its *support* (the simplex whose smallest circumsphere, enclosing ball
or longest edge gives the value). ``values`` takes every support, once, when it is first read.
``persistence_diagram`` reads only the cells of the diagrams: it gathers their supports alone, so
the forward and the backward of a 10k-point 3-D alpha complex touch about a third of the support
rows. On CPU the forward evaluates nothing: a cell's value is its support's squared radius, which
the filtration already holds exactly, and the C++ formula only gives the backward its gradient
(other devices and autograd modes evaluate the torch formula). On several threads the builders
defer indexing the supports to the persistence call, where it runs beside the pairs.
"""

from __future__ import annotations

import numpy as np
import torch

from .._pairs import IndexPairs, PairsRequest
from ..persistence import general_request
from ._circumradius import dot_rows
from ._support_radii import support_radii_sq_of_rows, uses_cpp_formula
from ._tensor import differentiable_source, index_tensor
from .filtration import DiffFiltration


class DiffDelaunayFiltration(DiffFiltration):
    """A differentiable alpha, weak alpha or Čech–Delaunay filtration (see ``alpha_filtration``).

    ``values`` is evaluated on first access; ``persistence_diagram`` evaluates only the values of
    the diagrams' cells (same values and gradients). Created by the builders, not by hand. A
    pickle or deep copy holds the points (as a leaf tensor) and the supports, not the values.

    Attributes
    ----------
    under_fil : Filtration
        The explicit ``calydon.Filtration`` (sorted cells, exact float64 values).
    values : torch.Tensor, shape (n_cells,)
        The differentiable value of each sorted cell, dtype and device of the points (evaluated
        on first access).
    """

    _transient_state = ("_values",)

    def __init__(
        self, under_fil, points: torch.Tensor, value_source, supports, rule: str, n_threads: int = 1
    ):
        """``value_source`` None: ``supports`` is the build's ``_core.DelaunaySupportPlan``, and
        the supports are indexed when first needed, beside the pairs of a persistence call."""
        # DiffFiltration.__init__ is not called: values is a lazy property here.
        self.under_fil = under_fil
        self._points = points
        self._plan = None
        self._source_and_rows = None
        if value_source is None:
            self._plan = supports
        else:
            self._keep_supports((value_source, supports))
        self._rule = rule
        self._n_threads = n_threads  # for the supports' radii and their gradient
        self._values = None

    def _keep_supports(self, source_and_rows) -> None:
        value_source, supports = source_and_rows
        self._source_and_rows = (
            np.asarray(value_source, dtype=np.int64),
            [np.asarray(rows, dtype=np.int64) for rows in supports],
        )
        self._plan = None

    def _indexed_supports(self) -> tuple[np.ndarray, list[np.ndarray]]:
        if self._source_and_rows is None:
            from .._core import delaunay_supports

            self._keep_supports(delaunay_supports(self.under_fil, self._plan, self._n_threads))
        return self._source_and_rows

    @property
    def _value_source(self) -> np.ndarray:
        """int64 (n_cells,): each sorted cell's support (0: a vertex, value 0)."""
        return self._indexed_supports()[0]

    @property
    def _supports(self) -> list[np.ndarray]:
        """int64 (m_k, k + 1) point indices of the supports of each dimension k = 1..3."""
        return self._indexed_supports()[1]

    def __getstate__(self) -> dict:
        self._indexed_supports()  # a plan does not pickle; its supports do
        return super().__getstate__()

    def __setstate__(self, state: dict) -> None:
        if "_value_source" in state:  # pickled before the supports could be deferred
            state = dict(state, _plan=None)
            state["_source_and_rows"] = (state.pop("_value_source"), state.pop("_supports"))
        super().__setstate__(state)

    @property
    def values(self) -> torch.Tensor:
        """Differentiable values of the sorted cells, shape (n_cells,) (evaluated once)."""
        if self._values is None:
            self._values = self._values_at(np.arange(len(self.under_fil), dtype=np.int64))
        return self._values

    def _values_at(self, ids: np.ndarray) -> torch.Tensor:
        """The differentiable values of the cells with these sorted ids (any order, repeats
        allowed), as ``values[ids]``."""
        from .._core import gather_supports

        ids = np.ascontiguousarray(ids, dtype=np.int64)
        position, wants_vertex, picked, exact = gather_supports(
            self.under_fil, self._value_source, ids, self._supports, getattr(self, "_n_threads", 1)
        )
        r_sq, is_exact = self._support_values(wants_vertex, picked, exact)
        values = r_sq.index_select(0, index_tensor(position, r_sq.device))
        return self._finish(values, None if is_exact else exact[position], is_exact)

    def _support_values(
        self, wants_vertex: bool, rows_by_size: list[np.ndarray], exact: np.ndarray
    ) -> tuple[torch.Tensor, bool]:
        """The formula on [the vertex support, when wanted] ++ these support rows (a vertex's
        value is 0). ``exact`` holds the filtration's value of each of them: the C++ path
        returns those with the formula's gradient (the flag is then True), the torch formula
        evaluates its own."""
        src = differentiable_source(self._points)
        pts = src if src.dtype == torch.float64 else src.to(torch.float64)
        n_vertex = int(wants_vertex)
        parts = [pts.new_zeros(n_vertex)]
        picked_by_size = [rows for rows in rows_by_size if len(rows)]
        if self._rule == "weak_alpha":
            for picked in picked_by_size:
                d = pts.index_select(0, index_tensor(picked[:, 1], pts.device)) - pts.index_select(
                    0, index_tensor(picked[:, 0], pts.device)
                )
                parts.append(dot_rows(d, d))
            return torch.cat(parts), False
        is_exact = uses_cpp_formula(pts)
        if picked_by_size:
            n_threads = getattr(self, "_n_threads", 1)
            known = exact[n_vertex:] if is_exact else None
            parts.append(support_radii_sq_of_rows(pts, picked_by_size, n_threads, known))
        return torch.cat(parts), is_exact

    def _finish(
        self, values: torch.Tensor, exact: np.ndarray | None, is_exact: bool
    ) -> torch.Tensor:
        """The points' dtype; unless the values are C++'s exact ones already, keeps C++'s exact
        value where the float64 formula lost its digits (nearly flat, nearly cospherical
        cells), with the formula's gradient (a straight-through estimate), so diagrams never
        disagree with the filtration."""
        if not is_exact:
            exact_t = torch.as_tensor(exact, dtype=values.dtype, device=values.device)
            off = (values.detach() - exact_t).abs() > 1e-9 * exact_t.abs().clamp_min(1e-300)
            if bool(off.any()):
                values = torch.where(off, exact_t + (values - values.detach()), values)
        return values.to(differentiable_source(self._points).dtype)

    def _pairs_request(self, dualize: bool | None, gradient_method: str) -> PairsRequest:
        """The general reduction of ``under_fil``; the values of the diagrams' cells only (all
        of ``values`` once it has been read)."""
        if self._values is not None:
            return super()._pairs_request(dualize, gradient_method)
        under = self.under_fil
        n_dims = max(under.max_dim, 1)
        dualize = under.prefers_cohomology if dualize is None else dualize
        # Any source but None: the sorted ids are remapped below (fil.values() would be a copy
        # for nothing).
        by_id = general_request(under, dualize, n_dims, source=np.empty(0))
        extra = () if self._plan is None else (("delaunay_supports", under, self._plan),)

        def finish(raw, supports=None) -> IndexPairs:
            if supports is not None and self._source_and_rows is None:
                self._keep_supports(supports)
            pairs = by_id.finish(raw)  # indices are sorted ids
            finite, essential = pairs.finite, pairs.essential
            # A pairing lists each cell at most once, so row i of the source is cell ids[i].
            ids = np.concatenate([*(f.reshape(-1) for f in finite), *essential])
            ends = np.cumsum([f.size for f in finite] + [len(e) for e in essential])
            parts = np.split(np.arange(len(ids), dtype=np.int64), ends[:-1])
            return IndexPairs(
                self._values_at(ids),
                [part.reshape(-1, 2) for part in parts[: len(finite)]],
                parts[len(finite) :],
                pairs.infinity,
                n_dims,
                sorted_ids=lambda dim: (finite[dim], essential[dim]),
            )

        return PairsRequest(by_id.request, finish, extra)

    def __repr__(self) -> str:
        state = "evaluated" if self._values is not None else "not evaluated"
        return (
            f"DiffDelaunayFiltration(kind={self.under_fil.kind!r}, n_cells={len(self)}, "
            f"dtype={differentiable_source(self._points).dtype}, values {state})"
        )
