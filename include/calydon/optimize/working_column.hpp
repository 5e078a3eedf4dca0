// calydon/optimize/working_column.hpp: the Z/2 column being reduced, cheap to add short columns to.
//
// Reducing a column adds the reduced columns of the owners of its pivots. A sorted list pays its
// whole length per addition; when a long column absorbs many short ones (a large component
// swallowing small ones, whose coboundaries are short), that copying dominates. So the column
// switches to a max-heap with Z/2 multiplicities (pairs of equal rows cancel when they reach
// the top) while the additions are short against it, and back to a sorted list, merged
// linearly, when an addition is about as long as the column.
#pragma once

#include <algorithm>
#include <functional>
#include <span>
#include <vector>

#include "calydon/matrix/sparse_columns.hpp"
#include "calydon/matrix/z2_heap.hpp"

namespace calydon {

class WorkingColumn {
public:
    /// Starts from `rows` (ascending, no repeats).
    void assign(std::span<const index_t> rows) {
        rows_.assign(rows.begin(), rows.end());
        heap_ = false;
    }

    /// The largest row with odd multiplicity, or -1 when the column is zero.
    index_t pivot() {
        if (!heap_) return rows_.empty() ? -1 : rows_.back();
        const index_t top = z2_pop(rows_, std::less<>{});
        if (top >= 0) z2_push(rows_, top, std::less<>{});  // a peek: it stays in the column
        return top;
    }

    /// column += other over Z/2 (other ascending, no repeats).
    void add(std::span<const index_t> other) {
        const bool short_addition = other.size() * kHeapRatio < rows_.size();
        if (short_addition) {
            if (!heap_) {  // an ascending list reversed is a valid max-heap
                std::reverse(rows_.begin(), rows_.end());
                heap_ = true;
            }
            for (index_t row : other) z2_push(rows_, row, std::less<>{});
            return;
        }
        to_sorted();
        add_column(rows_, other, scratch_);
    }

    /// The rows with odd multiplicity, ascending.
    std::span<const index_t> sorted() {
        to_sorted();
        return rows_;
    }

private:
    // A heap push costs about log2 of the column's length; below 1/16 of it, pushing wins.
    static constexpr std::size_t kHeapRatio = 16;

    void to_sorted() {
        if (!heap_) return;
        std::sort(rows_.begin(), rows_.end());
        std::size_t kept = 0;
        for (std::size_t i = 0; i < rows_.size();) {
            std::size_t k = i;
            while (k < rows_.size() && rows_[k] == rows_[i]) ++k;
            if ((k - i) % 2 == 1) rows_[kept++] = rows_[i];
            i = k;
        }
        rows_.resize(kept);
        heap_ = false;
    }

    std::vector<index_t> rows_;
    std::vector<index_t> scratch_;
    bool heap_ = false;
};

}  // namespace calydon
