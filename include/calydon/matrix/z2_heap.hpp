// calydon/matrix/z2_heap.hpp: a binary heap of indices with Z/2 multiplicity.
//
// A sum of columns over Z/2 can be kept unmerged: push every index of every added column, and
// let equal indices cancel in pairs when they reach the top. Since a heap hands out equal
// entries one after the other, popping the next index of odd multiplicity needs no other
// bookkeeping. Used by the working column of a reduction, the walk along a V column and the
// forward substitution of a U row.
#pragma once

#include <algorithm>
#include <vector>

#include "calydon/core/types.hpp"

namespace calydon {

/// Pushes i onto `heap` ordered by `before` (std::less: a max-heap).
template <class Before>
void z2_push(std::vector<index_t>& heap, index_t i, Before before) {
    heap.push_back(i);
    std::push_heap(heap.begin(), heap.end(), before);
}

/// Removes and returns the top index of odd multiplicity, or -1 when every index cancels.
template <class Before>
index_t z2_pop(std::vector<index_t>& heap, Before before) {
    while (!heap.empty()) {
        const index_t top = heap.front();
        std::pop_heap(heap.begin(), heap.end(), before);
        heap.pop_back();
        if (heap.empty() || heap.front() != top) return top;
        std::pop_heap(heap.begin(), heap.end(), before);  // top + top = 0
        heap.pop_back();
    }
    return -1;
}

}  // namespace calydon
