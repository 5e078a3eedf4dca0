// calydon/grid/explicit.hpp: the explicit filtration of a grid complex, built from the implicit
// one. Cells are emitted dimension by dimension in code order and sorted by (dimension, rank of
// the critical entry, code), the same order the implicit passes stream, so the two paths give
// identical pairs and critical indices. Only the lazy differentiable path, the general engine
// (R, V, critical sets) and users who ask for the filtration pay for this.
#pragma once

#include <algorithm>
#include <span>
#include <vector>

#include "calydon/core/thread_pool.hpp"
#include "calydon/filtration/filtration.hpp"
#include "calydon/grid/cell_order.hpp"
#include "calydon/grid/input.hpp"

namespace calydon {

/// The explicit filtration, its critical flat data indices, and (when asked) the code of each
/// sorted cell.
struct GridFiltration {
    FiltrationWithCritical built;
    std::vector<index_t> codes;
};

namespace detail {

struct EmittedCells {
    CellList cells;
    std::vector<index_t> critical;         // flat data index, by input position
    std::vector<std::uint32_t> crit_rank;  // rank of the critical entry, by input position
    std::vector<index_t> codes;            // by input position
};

inline EmittedCells emit_grid_cells(const GridOrder& order, int top) {
    const GridLattice& lat = order.lattice();
    EmittedCells out;
    // Codes bound the cells (a box has fewer), and a k-cell has at most 2k facets: reserving
    // spares the copies of growing arrays of millions of entries.
    std::size_t max_cells = 0, max_entries = 0;
    for (int k = 0; k <= top; ++k) {
        max_cells += static_cast<std::size_t>(lat.n_codes(k));
        max_entries += static_cast<std::size_t>(lat.n_codes(k)) * 2 * k;
    }
    out.cells.reserve(max_cells, max_entries);
    out.critical.reserve(max_cells);
    out.crit_rank.reserve(max_cells);
    out.codes.reserve(max_cells);
    std::vector<index_t> prev_ids, ids;  // code -> input position, one dimension back / now
    for (int k = 0; k <= top; ++k) {
        ids.assign(static_cast<std::size_t>(lat.n_codes(k)), no_index);
        for (index_t v = 0; v < lat.n_vertices(); ++v) {
            poll_interrupt(static_cast<std::uint64_t>(v));
            for (int p = 0; p < lat.n_patterns(k); ++p) {
                if (!lat.has_cell(v, k, p)) continue;
                const index_t code = lat.code(v, k, p);
                ids[code] = out.cells.size();
                index_t face[16];
                int nf = 0;
                if (k > 0)
                    lat.for_each_facet(code, k, [&](index_t f) { face[nf++] = prev_ids[f]; });
                std::sort(face, face + nf);
                out.cells.dims.push_back(k);
                out.cells.boundary.push_column(std::span<const index_t>(face, nf));
                const index_t crit = order.critical(code, k);
                out.critical.push_back(order.data_index(crit));
                out.crit_rank.push_back(order.rank_of_entry(crit));
                out.codes.push_back(code);
            }
        }
        prev_ids.swap(ids);
    }
    return out;
}

/// Input positions in (dimension, critical rank, code) order: a counting sort per dimension.
inline std::vector<index_t> grid_sorted_order(const EmittedCells& e, std::size_t n_ranks) {
    const index_t n = e.cells.size();
    std::vector<index_t> order(n);
    std::vector<index_t> count(n_ranks + 1);
    for (index_t begin = 0; begin < n;) {
        index_t end = begin;
        while (end < n && e.cells.dims[end] == e.cells.dims[begin]) ++end;
        std::fill(count.begin(), count.end(), 0);
        for (index_t pos = begin; pos < end; ++pos) ++count[e.crit_rank[pos] + 1];
        for (std::size_t r = 0; r < n_ranks; ++r) count[r + 1] += count[r];
        for (index_t pos = begin; pos < end; ++pos) order[begin + count[e.crit_rank[pos]]++] = pos;
        begin = end;
    }
    return order;
}

}  // namespace detail

/// The explicit filtration of a grid complex with cells up to dimension max_dim.
inline GridFiltration grid_filtration(std::span<const value_t> data, std::span<const index_t> shape,
                                      const GridSpec& spec, bool negate, int max_dim,
                                      bool with_codes = false) {
    require_grid_input(data, shape, spec, max_dim);
    const std::vector<index_t> vshape = grid_vertex_shape(shape, spec);
    const GridLattice lat(vshape, spec.kind, spec.wrap);
    const GridOrder order(lat, data, negate, spec.values_on_cells());
    const int top = std::min(max_dim, lat.ndim());
    detail::EmittedCells e = detail::emit_grid_cells(order, top);
    for (index_t pos = 0; pos < e.cells.size(); ++pos)
        e.cells.values.push_back(data[e.critical[pos]]);
    std::vector<index_t> sorted = detail::grid_sorted_order(e, order.n_entries());
    GridFiltration out;
    out.built.filtration = Filtration::from_sorted_order(
        std::move(e.cells), negate, std::move(sorted), Filtration::Faces::by_construction);
    out.built.critical = to_sorted_order(out.built.filtration, e.critical);
    if (with_codes) out.codes = to_sorted_order(out.built.filtration, e.codes);
    out.built.filtration.set_top_is_ball(top == lat.ndim() && top >= 1 && !spec.wrap);
    out.built.filtration.set_kind(spec.kind == GridComplexKind::freudenthal ? "freudenthal"
                                                                            : "cubical");
    return out;
}

/// Freudenthal (lower-star, upper-star with `negate`) filtration of a grid.
inline FiltrationWithCritical freudenthal_filtration(std::span<const value_t> data,
                                                     std::span<const index_t> shape, bool negate,
                                                     int max_dim, bool wrap = false) {
    GridSpec spec{GridComplexKind::freudenthal, CubicalValues::vertices, wrap};
    return std::move(grid_filtration(data, shape, spec, negate, max_dim).built);
}

/// Cubical filtration of a grid, values on vertices or on top cells.
inline FiltrationWithCritical cube_filtration(std::span<const value_t> data,
                                              std::span<const index_t> shape, bool negate,
                                              int max_dim, CubicalValues where, bool wrap = false) {
    GridSpec spec{GridComplexKind::cubical, where, wrap};
    return std::move(grid_filtration(data, shape, spec, negate, max_dim).built);
}

}  // namespace calydon
