// calydon/grid/pairs.hpp: persistence of 1-D and 2-D grid complexes by union-find alone.
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

#include "calydon/core/thread_pool.hpp"
#include "calydon/grid/order.hpp"
#include "calydon/persistence/index_pairs.hpp"
#include "calydon/reduction/union_find.hpp"

namespace calydon {

/// The pairs twice, in the one pair layout: by sorted id (identical to the explicit path) and by
/// critical flat data index (for gathering values from the data).
struct GridPairs {
    IndexPairs by_id;
    IndexPairs by_data;
};

inline dim_t grid_cells_top(const GridCells& g) {
    return g.cells.size() ? g.cells.dims.back() : -1;
}

/// Cells up to dimension 1, or up to 2 when they triangulate a ball (a full 2-D grid).
inline bool grid_pairs_applicable(const GridCells& g) {
    const dim_t top = grid_cells_top(g);
    return top <= 1 || (top == 2 && g.top_is_ball);
}

namespace detail {

/// What the two union-find passes of a grid share: cells in input order, the sort, the output.
struct GridPairsState {
    const CellList& cells;
    index_t n;
    std::vector<index_t> first;      // first input position of each dimension (same blocks sorted)
    std::vector<index_t> sorted_id;  // input position -> sorted id
    std::vector<index_t> crit_sorted;  // sorted id -> critical data index
    std::vector<char> paired;          // by sorted id
    std::span<const value_t> data;
    bool keep_zero;
    GridPairs out;

    void add(dim_t dim, index_t birth_s, index_t death_s) {
        paired[birth_s] = paired[death_s] = 1;  // H0 and H1 mark disjoint cells: no race
        const index_t bc = crit_sorted[birth_s], dc = crit_sorted[death_s];
        if (!keep_zero && data[bc] == data[dc]) return;
        out.by_id.finite[dim].push_back({birth_s, death_s});
        out.by_data.finite[dim].push_back({bc, dc});
    }
};

/// H0: union-find over the edges in sorted order; rows are vertex sorted ids.
inline void grid_h0(GridPairsState& st) {
    const index_t e0 = st.first[1], n1 = st.first[2] - st.first[1];
    std::vector<std::array<index_t, 2>> ends(n1);  // by edge sorted id - e0
    for (index_t e = e0; e < e0 + n1; ++e) {
        const auto col = st.cells.boundary.column(e);
        ends[st.sorted_id[e] - e0] = {st.sorted_id[col[0]], st.sorted_id[col[1]]};
    }
    union_find_reduce(
        0, st.first[1], e0, e0 + n1,
        [&](index_t e, index_t* rows) {
            rows[0] = ends[e - e0][0];
            rows[1] = ends[e - e0][1];
            return 2;
        },
        [&](index_t vertex, index_t edge) { st.add(0, vertex, edge); });
}

/// H1 by the dual graph, as cohomology: column j is edge e0 + n1 - 1 - j and a top cell's row is
/// its reversed rank; the outside is the virtual elder row.
inline void grid_dual_h1(GridPairsState& st) {
    const index_t n = st.n, e0 = st.first[1], n1 = st.first[2] - st.first[1], t0 = st.first[2],
                  n2 = n - t0;
    std::vector<std::array<index_t, 2>> cofaces(n1, {no_index, no_index});  // by edge sorted id
    for (index_t t = t0; t < n; ++t) {
        const index_t row = n - 1 - st.sorted_id[t];
        for (index_t e : st.cells.boundary.column(t)) {
            auto& slot = cofaces[st.sorted_id[e] - e0];
            slot[slot[0] == no_index ? 0 : 1] = row;
        }
    }
    union_find_reduce(
        0, n2, 0, n1,
        [&](index_t j, index_t* rows) {
            const auto& slot = cofaces[n1 - 1 - j];
            rows[0] = slot[0];
            rows[1] = slot[1];
            return slot[1] == no_index ? 1 : 2;
        },
        [&](index_t row, index_t j) { st.add(1, e0 + n1 - 1 - j, n - 1 - row); });
}

}  // namespace detail

/// Pairs of a 1-D or 2-D grid complex. With n_threads >= 2 the H0 and H1 union-finds run side by
/// side; they touch disjoint cells, and the result does not depend on the thread count.
inline GridPairs grid_persistence_pairs(const GridCells& g, std::span<const value_t> data,
                                        bool negate, bool keep_zero_persistence = false,
                                        int n_threads = 1) {
    if (!grid_pairs_applicable(g))
        throw std::logic_error(
            "internal error: grid_persistence_pairs needs cells of dimension <= 2; please report");
    const CellList& cells = g.cells;
    const dim_t top = grid_cells_top(g);
    const index_t n = cells.size();
    const std::vector<index_t> order =
        grid_sorted_order(cells, g.critical, data, negate, n_threads);
    detail::GridPairsState st{cells,
                              n,
                              std::vector<index_t>(top + 2, n),
                              std::vector<index_t>(n),
                              std::vector<index_t>(n),
                              std::vector<char>(n, 0),
                              data,
                              keep_zero_persistence,
                              {}};
    for (index_t i = n - 1; i >= 0; --i)
        st.first[cells.dims[i]] = i;  // same blocks in sorted order
    for (IndexPairs* p : {&st.out.by_id, &st.out.by_data}) {
        p->finite.resize(std::max<dim_t>(top, 0) + 1);
        p->essential.resize(std::max<dim_t>(top, 0) + 1);
    }
    // Filled by scattering, so every later pass reads cells in input order (grid neighbours are
    // memory neighbours) or in sorted order, sequentially.
    for (index_t s = 0; s < n; ++s) st.sorted_id[order[s]] = s;
    for (index_t pos = 0; pos < n; ++pos) st.crit_sorted[st.sorted_id[pos]] = g.critical[pos];
    const int passes = top >= 2 ? 2 : (top >= 1 ? 1 : 0);
    parallel_for(passes, n_threads,
                 [&](index_t pass) { pass == 0 ? detail::grid_h0(st) : detail::grid_dual_h1(st); });
    for (dim_t d = 0; d <= top; ++d)
        for (index_t s = st.first[d]; s < st.first[d + 1]; ++s)
            if (!st.paired[s]) {
                st.out.by_id.essential[d].push_back(s);
                st.out.by_data.essential[d].push_back(st.crit_sorted[s]);
            }
    return std::move(st.out);
}

}  // namespace calydon
