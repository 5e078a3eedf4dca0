// calydon/grid/cochain_column.hpp: the coboundary column a grid cohomology reduction works on,
// over Z/2 (optimize/working_column.hpp is the homology-side one of the critical-set method).
//
// The column is kept sorted and free of duplicates, latest key first, so its pivot (the earliest
// key) is at the back. A reduction adds two kinds of columns to it: the coboundary of a cell
// (three or four keys, toggled in one at a time) and a stored reduced column (sorted, often
// dozens of keys, merged in one linear pass). A binary heap with lazy cancellation, the usual
// alternative, pushes every key of a stored column one at a time and must be drained, entry by
// entry, when the column is stored; on long columns (white noise) that heap work was half of a
// whole call.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

namespace calydon::detail {

template <class Key>
class CochainColumn {
public:
    void clear() { keys_.clear(); }
    bool empty() const { return keys_.empty(); }

    /// Adds one key (Z/2: a key already there cancels).
    void toggle(Key key) {
        const auto at = keys_.begin() + static_cast<std::ptrdiff_t>(first_not_later(key));
        if (at != keys_.end() && *at == key) keys_.erase(at);
        else keys_.insert(at, key);
    }
    /// Adds the keys [first, last), ascending and free of duplicates.
    void add_ascending(const Key* first, const Key* last) {
        merged_.clear();
        merged_.reserve(keys_.size() + static_cast<std::size_t>(last - first));
        auto mine = keys_.begin();
        for (const Key* theirs = last; theirs != first;) {  // theirs, latest first
            const Key key = *(theirs - 1);
            while (mine != keys_.end() && key < *mine) merged_.push_back(*mine++);
            if (mine != keys_.end() && *mine == key) ++mine;  // cancels
            else merged_.push_back(key);
            --theirs;
        }
        merged_.insert(merged_.end(), mine, keys_.end());
        keys_.swap(merged_);
    }
    /// Removes and returns the earliest key; the column must not be empty.
    Key pop_pivot() {
        const Key pivot = keys_.back();
        keys_.pop_back();
        return pivot;
    }
    /// Appends the keys to `out`, ascending, and empties the column.
    void move_ascending_to(std::vector<Key>& out) {
        out.insert(out.end(), keys_.rbegin(), keys_.rend());
        keys_.clear();
    }

private:
    /// The position of the first key not later than `key` (keys_ descends). A binary search
    /// whose steps select rather than branch: the branches of std::lower_bound mispredict half
    /// the time on these keys, and that was most of the cost of a toggle.
    std::size_t first_not_later(Key key) const {
        const Key* base = keys_.data();
        std::size_t n = keys_.size();
        if (n == 0) return 0;
        while (n > 1) {
            const std::size_t half = n / 2;
            base = key < base[half - 1] ? base + half : base;
            n -= half;
        }
        return static_cast<std::size_t>(base - keys_.data()) + (key < *base ? 1 : 0);
    }

    std::vector<Key> keys_;    // descending: the pivot last
    std::vector<Key> merged_;  // scratch space of add_ascending
};

}  // namespace calydon::detail
