// calydon/grid/flat_map.hpp: a map from cell codes to cell codes in one flat table.
//
// The cohomology pass looks up the owner of a pivot once per step of a reduction; a node-based
// std::unordered_map costs two dependent cache misses a lookup (bucket, then node) and an
// allocation an insertion. Open addressing with linear probing finds most keys in the first
// slot it reads, and a slot is 16 bytes against the 40 or so of a node and its bucket.
#pragma once

#include <bit>
#include <cstdint>
#include <vector>

#include "calydon/core/types.hpp"

namespace calydon::detail {

/// Non-negative keys to values; at most half the slots are used.
class FlatCodeMap {
public:
    static constexpr index_t absent = -1;

    /// The value of `key`, or `absent`.
    index_t find(index_t key) const {
        if (slots_.empty()) return absent;
        for (std::size_t i = home(key);; i = (i + 1) & mask_) {
            if (slots_[i].key == key) return slots_[i].value;
            if (slots_[i].key == absent) return absent;
        }
    }
    /// Sets the value of a key that is not in the map yet.
    void insert(index_t key, index_t value) {
        if (2 * (size_ + 1) > slots_.size()) grow();
        place(key, value);
        ++size_;
    }
    std::size_t size() const { return size_; }

private:
    struct Slot {
        index_t key = absent, value = absent;
    };

    std::size_t home(index_t key) const {
        // Fibonacci hashing: codes of neighbouring cells spread over the table.
        return static_cast<std::size_t>((static_cast<std::uint64_t>(key) * 0x9E3779B97F4A7C15ull) >>
                                        shift_);
    }
    void place(index_t key, index_t value) {
        std::size_t i = home(key);
        while (slots_[i].key != absent) i = (i + 1) & mask_;
        slots_[i] = {key, value};
    }
    void grow() {
        std::vector<Slot> old;
        old.swap(slots_);
        const std::size_t capacity = old.empty() ? 1024 : 2 * old.size();
        slots_.assign(capacity, Slot{});
        mask_ = capacity - 1;
        shift_ = 64 - std::countr_zero(capacity);
        for (const Slot& s : old)
            if (s.key != absent) place(s.key, s.value);
    }

    std::vector<Slot> slots_;
    std::size_t size_ = 0, mask_ = 0;
    int shift_ = 64;
};

}  // namespace calydon::detail
