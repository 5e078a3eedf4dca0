// calydon/matrix/sparse_columns.hpp: compressed sparse columns over Z/2 and the anti-transpose.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "calydon/core/fill_later.hpp"
#include "calydon/core/types.hpp"

namespace calydon {

/// A Z/2 matrix stored column by column (CSR over columns): column j holds the row indices
/// entries[offsets[j] .. offsets[j+1]), sorted ascending.
struct SparseColumns {
    FillLaterVector<index_t> offsets{0};
    FillLaterVector<index_t> entries;

    index_t n_columns() const { return static_cast<index_t>(offsets.size()) - 1; }
    std::span<const index_t> column(index_t j) const {
        return {entries.data() + offsets[j], static_cast<std::size_t>(offsets[j + 1] - offsets[j])};
    }
    void push_column(std::span<const index_t> rows) {
        entries.insert(entries.end(), rows.begin(), rows.end());
        offsets.push_back(static_cast<index_t>(entries.size()));
    }
};

/// The anti-transpose A' of an n x n matrix A: A'[n-1-j, n-1-i] = A[i, j]. Applied to a
/// boundary matrix in filtration order it gives the coboundary matrix in reversed order, the
/// matrix whose reduction computes persistent cohomology.
inline SparseColumns anti_transpose(const SparseColumns& a) {
    const index_t n = a.n_columns();
    SparseColumns t;
    t.offsets.assign(n + 1, 0);
    for (index_t e : a.entries) ++t.offsets[n - e];
    for (index_t j = 0; j < n; ++j) t.offsets[j + 1] += t.offsets[j];
    t.entries.resize(a.entries.size());
    std::vector<index_t> fill(t.offsets.begin(), t.offsets.end() - 1);
    // Visiting source columns from the last one makes every target column come out sorted.
    // The fill cursors and their slots are scattered: prefetch both a few columns ahead.
    constexpr index_t ahead = 8;
    for (index_t j = n - 1; j >= 0; --j) {
        if (j >= 2 * ahead)
            for (index_t i : a.column(j - 2 * ahead)) __builtin_prefetch(&fill[n - 1 - i]);
        if (j >= ahead)
            for (index_t i : a.column(j - ahead))
                __builtin_prefetch(t.entries.data() + fill[n - 1 - i], 1);
        for (index_t i : a.column(j)) t.entries[fill[n - 1 - i]++] = n - 1 - j;
    }
    return t;
}

/// target := target + source over Z/2 (symmetric difference of sorted index lists).
inline void add_column(std::vector<index_t>& target, std::span<const index_t> source,
                       std::vector<index_t>& scratch) {
    scratch.clear();
    auto a = target.begin();
    auto b = source.begin();
    while (a != target.end() && b != source.end()) {
        if (*a < *b) scratch.push_back(*a++);
        else if (*b < *a) scratch.push_back(*b++);
        else {
            ++a;
            ++b;
        }
    }
    scratch.insert(scratch.end(), a, target.end());
    scratch.insert(scratch.end(), b, source.end());
    target.swap(scratch);
}

}  // namespace calydon
