// calydon/rips/provisional_chain.hpp: what one thread of the pipelined reduction remembers of
// the columns it reduced ahead, so that its next columns can add them before they are final.
//
// A column reduced against the final columns alone stops at the first pivot they do not own, and
// when an earlier column that was still running takes that pivot, the finishing thread resumes
// it alone. On o3_1024 that serialised H1: its two columns that reduce to zero (22 ms each) ran
// one after the other. A thread's chain holds the pivots and V columns of its own columns not yet
// final, as it computed them; its later columns add those too, which is how the serial reduction
// would reduce them if the columns other threads hold owned no pivot on the way. Whatever such a
// column saw was either final or recorded in its `used` list, so the finishing step can tell
// when it needs redoing (pipelined_reduction.hpp).
#pragma once

#include <atomic>
#include <deque>
#include <span>
#include <unordered_map>
#include <vector>

#include "calydon/rips/column_worker.hpp"

namespace calydon {

/// One thread's columns reduced ahead and not yet known to be final: pivot -> column, column ->
/// V. Only its thread touches it.
class ProvisionalChain {
public:
    /// Remembers column i's result (V without the diagonal) and forgets the columns final
    /// by now (`finished`: every column below it is final). A column without a pivot owns
    /// nothing, so no later column adds it and its V (often the longest) is not copied.
    void add(index_t i, bool has_pivot, DiamIndex pivot, std::span<const DiamIndex> v,
             index_t finished) {
        while (!order_.empty() && order_.front().column < finished) {
            const Entry& old = order_.front();
            if (const auto it = owners_.find(old.pivot);
                it != owners_.end() && it->second == old.column)
                owners_.erase(it);
            v_.erase(old.column);
            order_.pop_front();
        }
        if (!has_pivot) return;
        order_.push_back({i, pivot.index});
        // A pivot already here belongs to a column final since with another pivot.
        owners_[pivot.index] = i;
        v_[i].assign(v.begin(), v.end());
    }
    /// The chain's column owning `pivot`, or no_index.
    index_t owner(index_t pivot) const {
        const auto it = owners_.find(pivot);
        return it == owners_.end() ? no_index : it->second;
    }
    /// Column i's V as the chain computed it, or null when i is not in the chain.
    const std::vector<DiamIndex>* v_column(index_t i) const {
        const auto it = v_.find(i);
        return it == v_.end() ? nullptr : &it->second;
    }

private:
    struct Entry {
        index_t column, pivot;
    };
    std::deque<Entry> order_;
    std::unordered_map<index_t, index_t> owners_;
    std::unordered_map<index_t, std::vector<DiamIndex>> v_;
};

/// What a thread reduces a column ahead against: the final columns, then its chain. Every chain
/// column whose pivot or V it reads goes into `used`. A chain column may become final while it is
/// read; then the final state is read, and should it differ, `used` says so.
class ChainView {
public:
    ChainView(const ReducedColumns& final_columns, const std::atomic<index_t>& finished,
              const ProvisionalChain& chain, std::vector<index_t>& used)
        : final_(final_columns), finished_(finished), chain_(chain), used_(used) {}

    index_t owner(index_t pivot) const {
        if (const index_t final_owner = final_.owner(pivot); final_owner != no_index)
            return final_owner;
        const index_t chained = chain_.owner(pivot);
        if (chained == no_index) return no_index;
        // Final since the lookup above: its final pivot is in the map if it is this one.
        if (chained < finished_.load(std::memory_order_acquire)) return final_.owner(pivot);
        used_.push_back(chained);
        return chained;
    }
    DiamIndex column(index_t i) const { return final_.column(i); }
    /// A final column's V is published before its pivot, so the map's owners can read it.
    std::span<const DiamIndex> v_column(index_t i) const {
        if (i >= finished_.load(std::memory_order_acquire))
            if (const std::vector<DiamIndex>* v = chain_.v_column(i)) {
                used_.push_back(i);
                return *v;
            }
        return final_.v_column(i);
    }

private:
    const ReducedColumns& final_;
    const std::atomic<index_t>& finished_;
    const ProvisionalChain& chain_;
    std::vector<index_t>& used_;
};

}  // namespace calydon
