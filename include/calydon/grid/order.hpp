// calydon/grid/order.hpp: the (dim, value, position) order of a grid filtration by
// counting sort. Every cell's value is one data entry (its critical vertex or top cell), so
// sorting the data once and bucketing cells by the dense rank of their critical entry replaces
// an O(n log n) comparison sort of all cells.
#pragma once

#include <algorithm>
#include <numeric>
#include <span>
#include <vector>

#include "calydon/core/thread_pool.hpp"
#include "calydon/filtration/filtration.hpp"

namespace calydon {

/// Dense rank of each data entry in filtration order: equal values share a rank. With
/// n_threads >= 2 the halves are sorted side by side and merged (the same ranks).
inline std::vector<index_t> dense_value_ranks(std::span<const value_t> data, bool negate,
                                              int n_threads = 1) {
    // (key, index) pairs sort faster than indices with an indirect comparator (no cache misses).
    std::vector<std::pair<value_t, index_t>> keyed(data.size());
    const value_t sign = negate ? -1.0 : 1.0;
    for (std::size_t i = 0; i < data.size(); ++i)
        keyed[i] = {sign * data[i], static_cast<index_t>(i)};
    const auto middle = keyed.begin() + static_cast<std::ptrdiff_t>(keyed.size() / 2);
    parallel_for(2, n_threads, [&](index_t half) {
        if (half == 0) std::sort(keyed.begin(), middle);
        else std::sort(middle, keyed.end());
    });
    std::inplace_merge(keyed.begin(), middle, keyed.end());
    std::vector<index_t> rank(data.size());
    index_t r = -1;
    for (std::size_t i = 0; i < keyed.size(); ++i) {
        if (i == 0 || keyed[i].first != keyed[i - 1].first) ++r;
        rank[keyed[i].second] = r;
    }
    return rank;
}

/// Sorted order of cells emitted dimension by dimension, whose values are data[critical[pos]]:
/// a counting sort per dimension block; blocks are independent, so they run side by side.
inline std::vector<index_t> grid_sorted_order(const CellList& cells,
                                              const std::vector<index_t>& critical,
                                              std::span<const value_t> data, bool negate,
                                              int n_threads = 1) {
    const std::vector<index_t> rank = dense_value_ranks(data, negate, n_threads);
    const index_t n_ranks = rank.empty() ? 0 : *std::max_element(rank.begin(), rank.end()) + 1;
    const index_t n = cells.size();
    std::vector<index_t> order(n), block_begin;
    for (index_t pos = 0; pos < n; ++pos)
        if (pos == 0 || cells.dims[pos] != cells.dims[pos - 1]) block_begin.push_back(pos);
    block_begin.push_back(n);
    parallel_for(static_cast<index_t>(block_begin.size()) - 1, n_threads, [&](index_t b) {
        const index_t begin = block_begin[b], end = block_begin[b + 1];
        std::vector<index_t> count(n_ranks + 1, 0);
        for (index_t pos = begin; pos < end; ++pos) ++count[rank[critical[pos]] + 1];
        for (index_t r = 0; r < n_ranks; ++r) count[r + 1] += count[r];
        for (index_t pos = begin; pos < end; ++pos)
            order[begin + count[rank[critical[pos]]]++] = pos;
    });
    return order;
}

/// Cells of a grid complex in emission order (dimension, anchor vertex, pattern), before sorting.
struct GridCells {
    CellList cells;
    std::vector<index_t> critical;  // flat data index giving each input cell its value
    bool top_is_ball = false;
};

inline FiltrationWithCritical filtration_from_grid_cells(GridCells&& grid,
                                                         std::span<const value_t> data, bool negate,
                                                         const char* kind) {
    auto order = grid_sorted_order(grid.cells, grid.critical, data, negate);
    FiltrationWithCritical out{
        Filtration::from_sorted_order(std::move(grid.cells), negate, std::move(order)), {}};
    out.critical = to_sorted_order(out.filtration, grid.critical);
    out.filtration.set_top_is_ball(grid.top_is_ball);
    out.filtration.set_kind(kind);
    return out;
}

}  // namespace calydon
