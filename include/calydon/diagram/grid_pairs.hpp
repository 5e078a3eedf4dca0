// calydon/diagram/grid_pairs.hpp: persistence of 1-D and 2-D grid complexes by union-find alone.
//
// An image's complex has cells of dimension <= 2: H0 is a union-find over the edges and H1, the
// top dimension of a triangulated square, a union-find over the dual graph. Neither needs the
// sorted filtration object (its permutations, values and sorted boundary matrix), so this path
// works on the builder's cells in emission order plus the sort order, and reports each pair both
// as sorted ids (identical to the explicit path) and as critical data indices (for gathering).
#pragma once

#include <array>
#include <span>
#include <vector>

#include "calydon/filtration/grid_order.hpp"
#include "calydon/reduction/union_find.hpp"

namespace calydon {

struct GridPairs {
    /// finite[d]: rows (birth sorted id, death sorted id, birth data index, death data index).
    std::vector<std::vector<std::array<index_t, 4>>> finite;
    /// essential[d]: rows (birth sorted id, birth data index).
    std::vector<std::vector<std::array<index_t, 2>>> essential;
};

inline dim_t grid_cells_top(const GridCells& g) { return g.cells.size() ? g.cells.dims.back() : -1; }

/// Cells up to dimension 1, or up to 2 when they triangulate a ball (a full 2-D grid).
inline bool grid_pairs_applicable(const GridCells& g) {
    const dim_t top = grid_cells_top(g);
    return top <= 1 || (top == 2 && g.top_is_ball);
}

inline GridPairs grid_persistence_pairs(const GridCells& g, std::span<const value_t> data, bool negate,
                                        bool keep_zero_persistence = false) {
    if (!grid_pairs_applicable(g))
        throw std::logic_error("internal error: grid_persistence_pairs needs cells of dimension <= 2; please report");
    const CellList& cells = g.cells;
    const dim_t top = grid_cells_top(g);
    const index_t n = cells.size();
    const std::vector<index_t> order = grid_sorted_order(cells, g.critical, data, negate);
    std::vector<index_t> first(top + 2, n);  // blocks are the same in input and sorted order
    for (index_t i = n - 1; i >= 0; --i) first[cells.dims[i]] = i;

    GridPairs out;
    out.finite.resize(std::max<dim_t>(top, 0) + 1);
    out.essential.resize(std::max<dim_t>(top, 0) + 1);
    std::vector<char> paired(n, 0);
    auto add = [&](index_t birth_s, index_t death_s) {
        const index_t bp = order[birth_s], dp = order[death_s];
        paired[bp] = paired[dp] = 1;
        const index_t bc = g.critical[bp], dc = g.critical[dp];
        if (!keep_zero_persistence && data[bc] == data[dc]) return;
        out.finite[cells.dims[bp]].push_back({birth_s, death_s, bc, dc});
    };

    if (top >= 1) {  // H0: vertices are input positions [0, n0); rows are their sorted ids
        const index_t n0 = first[1];
        std::vector<index_t> vertex_row(n0 + 1);
        for (index_t s = 0; s < n0; ++s) vertex_row[order[s]] = s;
        vertex_row[n0] = -1;  // unused virtual node: every edge has two endpoints
        ElderUnionFind uf(std::move(vertex_row));
        std::uint64_t ticks = 0;
        for (index_t s = first[1]; s < first[2]; ++s) {
            poll_interrupt(++ticks);
            const auto ends = cells.boundary.column(order[s]);
            const index_t pivot = uf.merge(ends[0], ends[1]);
            if (pivot != no_index) add(pivot, s);
        }
    }
    if (top == 2) {  // H1 by the dual graph; top cell t has row (its reversed rank), outside = -1
        const index_t e0 = first[1], n1 = first[2] - first[1], t0 = first[2], n2 = n - first[2];
        std::vector<index_t> cofaces(2 * n1, no_index);
        for (index_t t = t0; t < n; ++t)
            for (index_t e : cells.boundary.column(t)) {
                index_t* slot = &cofaces[2 * (e - e0)];
                slot[slot[0] == no_index ? 0 : 1] = t - t0;
            }
        std::vector<index_t> top_row(n2 + 1);
        for (index_t r = 0; r < n2; ++r) top_row[order[t0 + r] - t0] = n2 - 1 - r;
        top_row[n2] = -1;
        ElderUnionFind uf(std::move(top_row));
        std::uint64_t ticks = 0;
        for (index_t s = first[2] - 1; s >= first[1]; --s) {
            poll_interrupt(++ticks);
            const index_t* slot = &cofaces[2 * (order[s] - e0)];
            const index_t other = slot[1] == no_index ? n2 : slot[1];
            const index_t pivot = uf.merge(slot[0], other);
            if (pivot != no_index) add(s, t0 + (n2 - 1 - pivot));
        }
    }
    for (index_t s = 0; s < n; ++s) {
        const index_t pos = order[s];
        if (!paired[pos]) out.essential[cells.dims[pos]].push_back({s, g.critical[pos]});
    }
    return out;
}

}  // namespace calydon
