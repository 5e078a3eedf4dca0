// calydon/grid/explicit.hpp: the explicit filtration of a grid complex, built from the implicit
// one. Cells are emitted in (dimension, rank of the critical entry, code) order, the order the
// implicit passes stream, so the two paths give identical pairs and critical indices. Only the
// lazy differentiable path, the general engine (R, V, critical sets) and users who ask for the
// filtration pay for this.
#pragma once

#include <algorithm>
#include <span>
#include <vector>

#include "calydon/core/thread_pool.hpp"
#include "calydon/filtration/filtration.hpp"
#include "calydon/grid/cell_order.hpp"
#include "calydon/grid/forest.hpp"
#include "calydon/grid/input.hpp"

namespace calydon {

/// The explicit filtration, its critical flat data indices, and (when asked) the code of each
/// sorted cell.
struct GridFiltration {
    FiltrationWithCritical built;
    std::vector<index_t> codes;
};

namespace detail {

/// The cells in sorted order, with their critical flat data indices and codes.
struct SortedGridCells {
    CellList cells;  // boundary rows are sorted ids already
    std::vector<index_t> critical, codes;
};

/// Starts the reads of the entry the stream reaches soon: its star mask and the code -> id
/// tables around it.
inline void prefetch_around(const GridOrder& order, std::span<const value_t> data,
                            const GridRows& rows, index_t e, int k,
                            const std::vector<std::uint32_t>& ids,
                            const std::vector<std::uint32_t>& prev_ids) {
    const GridLattice& lat = order.lattice();
    order.prefetch(e);
    __builtin_prefetch(&data[static_cast<std::size_t>(order.data_index(e))]);
    const index_t np = lat.n_patterns(k), n_vertices = lat.n_vertices();
    __builtin_prefetch(&ids[static_cast<std::size_t>(e * np)], 1);
    if (k == 0) return;
    // The facets of a row's cells sit at the vertex and the one before it along the row.
    const index_t nq = lat.n_patterns(k - 1);
    auto fetch_row = [&](index_t v) {
        if (v < 1 || v >= n_vertices) return;
        __builtin_prefetch(&prev_ids[static_cast<std::size_t>((v - 1) * nq)]);
        __builtin_prefetch(&prev_ids[static_cast<std::size_t>(v * nq + nq - 1)]);
    };
    fetch_row(e);
    for (int j = 0; j < rows.size; ++j) fetch_row(e + rows.offset[j]);
}

/// Streams the cells of each dimension in filtration order, (rank of the critical entry, code):
/// the stars of the entries in rank order, each ascending by code. A cell's sorted id is then
/// its place in the stream, so its boundary is written in sorted ids directly (through the
/// previous dimension's code -> id table) and nothing is permuted afterwards.
inline SortedGridCells emit_sorted_grid_cells(const GridOrder& order, std::span<const value_t> data,
                                              int top) {
    const GridLattice& lat = order.lattice();
    SortedGridCells out;
    // Codes bound the cells (a box has fewer), and a k-cell has at most 2k facets.
    std::size_t max_cells = 0, max_entries = 0;
    for (int k = 0; k <= top; ++k) {
        max_cells += static_cast<std::size_t>(lat.n_codes(k));
        max_entries += static_cast<std::size_t>(lat.n_codes(k)) * 2 * k;
    }
    out.cells.reserve(max_cells, max_entries);
    out.critical.reserve(max_cells);
    out.codes.reserve(max_cells);
    // code -> sorted id, one dimension back / now: 32 bits halve the tables the stream misses in
    // (a complex of 2^32 cells is far past any memory budget).
    if (max_cells >= (std::size_t{1} << 32))
        throw std::length_error("the complex has over 2^32 cells");
    std::vector<std::uint32_t> prev_ids, ids;
    std::vector<index_t> star;
    const std::size_t n_entries = order.n_entries();
    // The rows of the grid the cells of a star and their facets reach (below the entry, or around
    // it with values on cubes): the tables are read in rank order, all over the grid.
    const GridRows rows = grid_rows(lat, order.values_on_cells(), true, false);
    for (int k = 0; k <= top; ++k) {
        ids.assign(static_cast<std::size_t>(lat.n_codes(k)), 0);
        for (std::size_t r = 0; r < n_entries; ++r) {
            poll_interrupt(r);
            if (r + prefetch_distance < n_entries)
                prefetch_around(order, data, rows, order.entry_at_rank(r + prefetch_distance), k,
                                ids, prev_ids);
            const index_t e = order.entry_at_rank(r);
            const index_t crit = order.data_index(e);
            star.clear();
            order.star(e, k, star);
            for (const index_t code : star) {
                ids[code] = static_cast<std::uint32_t>(out.cells.size());
                index_t face[16];
                int nf = 0;
                if (k > 0)
                    lat.for_each_facet(code, k, [&](index_t f) { face[nf++] = prev_ids[f]; });
                std::sort(face, face + nf);
                out.cells.dims.push_back(k);
                out.cells.values.push_back(data[crit]);
                out.cells.boundary.push_column(std::span<const index_t>(face, nf));
                out.critical.push_back(crit);
                out.codes.push_back(code);
            }
        }
        prev_ids.swap(ids);
    }
    return out;
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
    detail::SortedGridCells e = detail::emit_sorted_grid_cells(order, data, top);
    GridFiltration out;
    out.built.filtration = Filtration::from_presorted(std::move(e.cells), negate);
    out.built.critical = std::move(e.critical);
    if (with_codes) out.codes = std::move(e.codes);
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
