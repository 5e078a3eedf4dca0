// calydon/reduction/union_find.hpp: graph-shaped matrix blocks reduced by union-find.
//
// When every column of a block has at most two entries (edges against vertices; or, by duality,
// codimension-one cells against the top cells of a triangulated ball), the column reduction is
// Kruskal's algorithm: a column that joins two components is a pivot, and its pivot row is the
// elder vertex (smallest row) of the younger component (elder rule). Nothing is stored per column.
#pragma once

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <vector>

#include "calydon/core/interrupt.hpp"
#include "calydon/core/types.hpp"

namespace calydon {

class ElderUnionFind {
public:
    /// Nodes 0..n-1 with given rows (birth ranks); smaller row = elder.
    explicit ElderUnionFind(std::vector<index_t> node_rows)
        : parent_(node_rows.size()), rank_(node_rows.size(), 0), eldest_row_(std::move(node_rows)) {
        std::iota(parent_.begin(), parent_.end(), index_t{0});
    }

    index_t find(index_t x) {
        while (parent_[x] != x) {
            parent_[x] = parent_[parent_[x]];  // path halving
            x = parent_[x];
        }
        return x;
    }

    /// Joins the components of a and b. Returns the row of the dying (younger) component's
    /// eldest node, or no_index when a and b were already connected. Linking is by rank (the
    /// elder rule only decides which row dies, not the tree shape), so finds stay shallow.
    index_t merge(index_t a, index_t b) {
        a = find(a);
        b = find(b);
        if (a == b) return no_index;
        const index_t elder = std::min(eldest_row_[a], eldest_row_[b]);
        const index_t dying = std::max(eldest_row_[a], eldest_row_[b]);
        if (rank_[a] < rank_[b]) std::swap(a, b);
        parent_[b] = a;
        if (rank_[a] == rank_[b]) ++rank_[a];
        eldest_row_[a] = elder;
        return dying;
    }

    /// The row of the eldest node of x's component.
    index_t eldest(index_t x) { return eldest_row_[find(x)]; }

private:
    std::vector<index_t> parent_;
    std::vector<std::uint8_t> rank_;
    std::vector<index_t> eldest_row_;
};

/// Reduces columns [col_begin, col_end) of a matrix whose columns each list one or two rows in
/// [row_begin, row_end); a column with one row is joined to a virtual row that is older than all
/// (the outside of a ball). `rows_of(j, out)` fills the rows of column j. `emit(row, col)` is called
/// for every pivot, in column order.
template <class RowsOf, class Emit>
void union_find_reduce(index_t row_begin, index_t row_end, index_t col_begin, index_t col_end,
                       RowsOf&& rows_of, Emit&& emit) {
    const index_t n_rows = row_end - row_begin;
    std::vector<index_t> node_rows(n_rows + 1);
    std::iota(node_rows.begin(), node_rows.end() - 1, row_begin);
    node_rows[n_rows] = row_begin - 1;  // the virtual eldest node
    ElderUnionFind uf(std::move(node_rows));
    index_t rows[2];
    std::uint64_t ticks = 0;
    check_interrupt();
    for (index_t j = col_begin; j < col_end; ++j) {
        poll_interrupt(++ticks);
        int k = rows_of(j, rows);
        index_t a = rows[0] - row_begin;
        index_t b = k == 2 ? rows[1] - row_begin : n_rows;
        index_t pivot = uf.merge(a, b);
        if (pivot != no_index) emit(pivot, j);
    }
}

}  // namespace calydon
