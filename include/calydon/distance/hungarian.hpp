// calydon/distance/hungarian.hpp: exact Wasserstein matching by the Hungarian method in its
// shortest-augmenting-path form (Jonker-Volgenant style dual updates), O(N^3) with N = n + m.
//
// Meant for small diagrams and as an exact mode (delta = 0). Costs are evaluated on the fly
// from the points, so memory stays O(N) instead of a dense N x N matrix.
#pragma once

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <vector>

#include "calydon/core/interrupt.hpp"
#include "calydon/distance/matching.hpp"

namespace calydon {

inline FiniteMatching hungarian_matching(const AugmentedCosts& costs) {
    if (costs.n_a() == 0 || costs.n_b() == 0) return costs.all_to_diagonal();
    const std::int32_t size = costs.n_a() + costs.n_b();
    constexpr value_t inf = std::numeric_limits<value_t>::infinity();
    // Columns are 1-based; column 0 is a virtual column that holds the row being inserted.
    std::vector<value_t> row_potential(static_cast<std::size_t>(size) + 1, 0.0);
    std::vector<value_t> col_potential(static_cast<std::size_t>(size) + 1, 0.0);
    std::vector<std::int32_t> row_of_col(static_cast<std::size_t>(size) + 1,
                                         0);  // 1-based rows, 0 = free
    std::vector<std::int32_t> previous_col(static_cast<std::size_t>(size) + 1, 0);
    std::vector<value_t> slack(static_cast<std::size_t>(size) + 1);
    std::vector<char> in_tree(static_cast<std::size_t>(size) + 1);
    std::uint64_t ticks = 0;

    for (std::int32_t row = 1; row <= size; ++row) {
        row_of_col[0] = row;
        std::int32_t col = 0;
        std::fill(slack.begin(), slack.end(), inf);
        std::fill(in_tree.begin(), in_tree.end(), 0);
        // Dijkstra on reduced costs from the new row until a free column is reached.
        do {
            poll_interrupt(++ticks);
            in_tree[col] = 1;
            const std::int32_t current_row = row_of_col[col];
            value_t step = inf;
            std::int32_t next_col = 0;
            for (std::int32_t c = 1; c <= size; ++c) {
                if (in_tree[c]) continue;
                const value_t reduced = costs.augmented(current_row - 1, c - 1) -
                                        row_potential[current_row] - col_potential[c];
                if (reduced < slack[c]) {
                    slack[c] = reduced;
                    previous_col[c] = col;
                }
                if (slack[c] < step) {
                    step = slack[c];
                    next_col = c;
                }
            }
            for (std::int32_t c = 0; c <= size; ++c) {
                if (in_tree[c]) {
                    row_potential[row_of_col[c]] += step;
                    col_potential[c] -= step;
                } else {
                    slack[c] -= step;
                }
            }
            // Finite costs always leave a column to reach; guard the loop against anything else.
            if (next_col == 0) throw std::logic_error("hungarian_matching: no finite column left");
            col = next_col;
        } while (row_of_col[col] != 0);
        // Flip the alternating path back to the virtual column.
        while (col != 0) {
            const std::int32_t prev = previous_col[col];
            row_of_col[col] = row_of_col[prev];
            col = prev;
        }
    }
    std::vector<std::int32_t> column_of_row(static_cast<std::size_t>(size), 0);
    for (std::int32_t c = 1; c <= size; ++c) column_of_row[row_of_col[c] - 1] = c - 1;
    return costs.from_assignment(column_of_row);
}

}  // namespace calydon
