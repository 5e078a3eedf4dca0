// calydon/reduction/u_rows.hpp: rows of U = V^{-1} on demand, truncated at a bound.
//
// Row r of U solves u V = e_r over Z/2. V is upper unitriangular, so forward substitution
// against the rows of V (V^T's columns) gives u's entries in increasing order: keep a residual,
// initially e_r; its smallest entry p is the next entry of u, and row p of V is added to the
// residual (removing p, adding only larger indices). A caller that reads the row only up to some
// index stops there, so a truncated row costs what is read, never a full inverse.
#pragma once

#include <functional>
#include <span>
#include <vector>

#include "calydon/core/interrupt.hpp"
#include "calydon/core/types.hpp"
#include "calydon/matrix/z2_heap.hpp"

namespace calydon {

/// The rows of V restricted to one block of columns [begin, end): row p lists the columns c with
/// V[p, c] = 1, ascending.
class VRows {
public:
    template <class VColumn>
    VRows(index_t begin, index_t end, VColumn&& v_column) : begin_(begin), rows_(end - begin) {
        for (index_t c = begin; c < end; ++c)
            for (index_t p : v_column(c)) rows_[p - begin].push_back(c);
    }
    std::span<const index_t> row(index_t p) const { return rows_[p - begin_]; }
    bool contains(index_t p) const {
        return p >= begin_ && p < begin_ + static_cast<index_t>(rows_.size());
    }

private:
    index_t begin_;
    std::vector<std::vector<index_t>> rows_;
};

/// Entries of row r of U = V^{-1} in increasing order, while keep(p) holds (the first p with
/// keep(p) false ends the walk, unread).
template <class Keep>
std::vector<index_t> u_row(const VRows& v_rows, index_t r, Keep&& keep) {
    std::vector<index_t> out;
    // The residual as a min-heap with Z/2 cancellation: equal indices pop together.
    std::vector<index_t> residual{r};
    std::uint64_t ticks = 0;
    for (index_t p = z2_pop(residual, std::greater<>{}); p >= 0;
         p = z2_pop(residual, std::greater<>{})) {
        poll_interrupt(++ticks);
        if (!keep(p)) break;
        out.push_back(p);
        for (index_t c : v_rows.row(p))
            if (c != p) z2_push(residual, c, std::greater<>{});
    }
    return out;
}

}  // namespace calydon
