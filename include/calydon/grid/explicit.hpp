// calydon/grid/explicit.hpp: the explicit filtration of a grid complex, built from the implicit
// one. Cells are emitted in (dimension, rank of the critical entry, code) order, the order the
// implicit passes stream, so the two paths give identical pairs and critical indices. Only the
// lazy differentiable path, the general engine (R, V, critical sets) and users who ask for the
// filtration pay for this.
#pragma once

#include <algorithm>
#include <span>
#include <stdexcept>
#include <vector>

#include "calydon/core/thread_pool.hpp"
#include "calydon/filtration/filtration.hpp"
#include "calydon/grid/cell_order.hpp"
#include "calydon/grid/forest.hpp"
#include "calydon/grid/input.hpp"

namespace calydon {

/// A grid builder's result: the filtration plus, for every cell in sorted order, the flat index
/// of the grid entry (pixel or top cell) that gives the cell its value.
struct FiltrationWithCritical {
    Filtration filtration;
    std::vector<index_t> critical;
};

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

/// Where each dimension's cells go: a block of sorted ids and, a k-cell having a fixed number
/// of facets, a block of boundary entries.
struct GridBlocks {
    std::vector<std::size_t> first, entry_first;  // per dimension, and one past the top
    std::vector<int> n_facets;
};

inline GridBlocks grid_blocks(const GridLattice& lat, int top) {
    GridBlocks b;
    b.first.assign(static_cast<std::size_t>(top) + 2, 0);
    b.entry_first = b.first;
    b.n_facets.assign(static_cast<std::size_t>(top) + 1, 0);
    for (int k = 0; k <= top; ++k) {
        std::size_t n = 0;
        for (index_t v = 0; v < lat.n_vertices(); ++v) {
            poll_interrupt(static_cast<std::uint64_t>(v));
            for (int p = 0; p < lat.n_patterns(k); ++p) {
                if (!lat.has_cell(v, k, p)) continue;
                if (n++ == 0 && k > 0)
                    lat.for_each_facet(lat.code(v, k, p), k, [&](index_t) { ++b.n_facets[k]; });
            }
        }
        b.first[k + 1] = b.first[k] + n;
        b.entry_first[k + 1] = b.entry_first[k] + n * static_cast<std::size_t>(b.n_facets[k]);
    }
    return b;
}

/// Starts the reads of the entry the stream reaches soon: its star mask, its value and the
/// code -> id tables of the rows its cells and their facets reach. Inlined by force: as a
/// function of its own GCC finds it free of side effects and drops every call.
[[gnu::always_inline]] inline void
prefetch_around(const GridOrder& order, std::span<const value_t> data, const GridRows& rows,
                index_t e, const std::vector<std::vector<std::uint32_t>>& ids) {
    const GridLattice& lat = order.lattice();
    order.prefetch(e);
    __builtin_prefetch(&data[static_cast<std::size_t>(order.data_index(e))]);
    const index_t n_vertices = lat.n_vertices();
    for (std::size_t k = 0; k < ids.size(); ++k) {
        // A row's cells sit at the vertex and the one before it along the row.
        const index_t np = lat.n_patterns(static_cast<int>(k));
        auto fetch_row = [&](index_t v) {
            if (v < 1 || v >= n_vertices) return;
            __builtin_prefetch(&ids[k][static_cast<std::size_t>((v - 1) * np)]);
            __builtin_prefetch(&ids[k][static_cast<std::size_t>(v * np + np - 1)]);
        };
        fetch_row(e);
        for (int j = 0; j < rows.size; ++j) fetch_row(e + rows.offset[j]);
    }
}

/// Streams the cells in filtration order within each dimension, (rank of the critical entry,
/// code): the stars of the entries in rank order, each ascending by code. One pass serves every
/// dimension (an entry's neighbourhood is read once), each writing its own block, so a cell's
/// sorted id is its place in its dimension's stream, and its boundary is written in sorted ids
/// directly (the facets came with this entry or an earlier one). Nothing is permuted afterwards.
inline SortedGridCells emit_sorted_grid_cells(const GridOrder& order, std::span<const value_t> data,
                                              int top) {
    const GridLattice& lat = order.lattice();
    const GridBlocks blocks = grid_blocks(lat, top);
    const std::size_t n = blocks.first.back();
    // 32-bit code -> sorted id tables halve what the stream misses in (a complex of 2^32 cells
    // is far past any memory budget).
    if (n >= (std::size_t{1} << 32)) throw std::length_error("the complex has over 2^32 cells");
    SortedGridCells out;
    CellList& cells = out.cells;
    cells.dims.resize(n);
    cells.values.resize(n);
    cells.boundary.offsets.resize(n + 1);
    cells.boundary.entries.resize(blocks.entry_first.back());
    out.critical.resize(n);
    out.codes.resize(n);
    std::vector<std::vector<std::uint32_t>> ids(static_cast<std::size_t>(top) + 1);
    for (int k = 0; k <= top; ++k) {
        ids[k].resize(static_cast<std::size_t>(lat.n_codes(k)));
        for (std::size_t s = blocks.first[k]; s < blocks.first[k + 1]; ++s) {
            cells.dims[s] = static_cast<dim_t>(k);
            cells.boundary.offsets[s] = static_cast<index_t>(
                blocks.entry_first[k] + (s - blocks.first[k]) * blocks.n_facets[k]);
        }
    }
    cells.boundary.offsets[n] = static_cast<index_t>(blocks.entry_first.back());
    std::vector<std::size_t> next(blocks.first.begin(), blocks.first.end() - 1);
    std::vector<index_t> star;
    // The rows of the grid the cells of a star and their facets reach (below the entry, or
    // around it with values on cubes): the tables are read in rank order, all over the grid.
    const GridRows rows = grid_rows(lat, order.values_on_cells(), true, false);
    const std::size_t n_entries = order.n_entries();
    for (std::size_t r = 0; r < n_entries; ++r) {
        poll_interrupt(r);
        if (r + prefetch_distance < n_entries)
            prefetch_around(order, data, rows, order.entry_at_rank(r + prefetch_distance), ids);
        const index_t e = order.entry_at_rank(r);
        const index_t crit = order.data_index(e);
        const value_t value = data[crit];
        for (int k = 0; k <= top; ++k) {
            star.clear();
            order.star(e, k, star);
            for (const index_t code : star) {
                const std::size_t s = next[k]++;
                if (s >= blocks.first[k + 1])  // the stars and the count disagree: never write past
                    throw std::logic_error("internal error: a grid star outside its count");
                ids[k][code] = static_cast<std::uint32_t>(s);
                cells.values[s] = value;
                out.critical[s] = crit;
                out.codes[s] = code;
                if (k == 0) continue;
                index_t* face = cells.boundary.entries.data() + cells.boundary.offsets[s];
                int nf = 0;
                lat.for_each_facet(code, k, [&](index_t f) { face[nf++] = ids[k - 1][f]; });
                std::sort(face, face + nf);
            }
        }
    }
    for (int k = 0; k <= top; ++k)
        if (next[k] != blocks.first[k + 1])
            throw std::logic_error("internal error: grid stars missed counted cells");
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
