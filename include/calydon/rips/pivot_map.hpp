// calydon/rips/pivot_map.hpp: simplex index -> column, an open-addressing hash map.
//
// The implicit reduction looks up every pivot it meets; std::unordered_map's node allocations
// dominate that cost, so keys and values live in one flat array with linear probing.
#pragma once

#include <cstdint>
#include <vector>

#include "calydon/core/types.hpp"

namespace calydon {

class PivotMap {
public:
    explicit PivotMap(std::size_t expected = 16) { rehash(capacity_for(expected)); }

    /// Column owning the pivot, or no_index.
    index_t find(index_t key) const {
        for (std::size_t slot = hash(key) & mask_;; slot = (slot + 1) & mask_) {
            const Slot& s = slots_[slot];
            if (s.key == key) return s.value;
            if (s.key == empty_key) return no_index;
        }
    }
    bool contains(index_t key) const { return find(key) != no_index; }

    /// Keys are simplex indices (>= 0) and are inserted once.
    void insert(index_t key, index_t value) {
        if (2 * (size_ + 1) > slots_.size()) rehash(slots_.size() * 2);
        place(key, value);
        ++size_;
    }
    std::size_t size() const { return size_; }

private:
    static constexpr index_t empty_key = -1;
    struct Slot {
        index_t key = empty_key;
        index_t value = no_index;
    };

    static std::size_t capacity_for(std::size_t n) {
        std::size_t c = 16;
        while (c < 2 * n) c *= 2;
        return c;
    }
    static std::size_t hash(index_t key) {
        std::uint64_t x = static_cast<std::uint64_t>(key) * 0x9e3779b97f4a7c15ull;
        return static_cast<std::size_t>(x ^ (x >> 32));
    }
    void place(index_t key, index_t value) {
        std::size_t slot = hash(key) & mask_;
        while (slots_[slot].key != empty_key) slot = (slot + 1) & mask_;
        slots_[slot] = {key, value};
    }
    void rehash(std::size_t capacity) {
        std::vector<Slot> old;
        old.swap(slots_);
        slots_.assign(capacity, Slot{});
        mask_ = capacity - 1;
        for (const Slot& s : old)
            if (s.key != empty_key) place(s.key, s.value);
    }

    std::vector<Slot> slots_;
    std::size_t mask_ = 0;
    std::size_t size_ = 0;
};

}  // namespace calydon
