// calydon/rips/pivot_map.hpp: simplex index -> column, an open-addressing hash map.
//
// The implicit reduction looks up every pivot it meets; std::unordered_map's node allocations
// dominate that cost, so keys and values live in one flat array with linear probing.
//
// One thread may insert while others look up, as long as the map never grows meanwhile (it is
// sized for `expected` keys): a value is written before its key is published (release), so a
// reader that sees the key sees the value, and a reader that does not see it yet sees no entry.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include "calydon/core/types.hpp"

namespace calydon {

class PivotMap {
public:
    explicit PivotMap(std::size_t expected = 16) { rehash(capacity_for(expected)); }

    /// Column owning the pivot, or no_index.
    index_t find(index_t key) const {
        for (std::size_t slot = hash(key) & mask_;; slot = (slot + 1) & mask_) {
            const Slot& s = slots_[slot];
            const index_t k = s.key.load(std::memory_order_acquire);
            if (k == key) return s.value;
            if (k == empty_key) return no_index;
        }
    }
    bool contains(index_t key) const { return find(key) != no_index; }

    /// Keys are simplex indices (>= 0) and are inserted once. Beyond `expected` keys the map
    /// grows, which no concurrent find may overlap.
    void insert(index_t key, index_t value) {
        if (2 * (size_ + 1) > capacity_) rehash(capacity_ * 2);
        place(key, value);
        ++size_;
    }
    std::size_t size() const { return size_; }

private:
    static constexpr index_t empty_key = -1;
    struct Slot {
        std::atomic<index_t> key{empty_key};
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
        while (slots_[slot].key.load(std::memory_order_relaxed) != empty_key)
            slot = (slot + 1) & mask_;
        slots_[slot].value = value;
        slots_[slot].key.store(key, std::memory_order_release);
    }
    void rehash(std::size_t capacity) {
        std::unique_ptr<Slot[]> old = std::move(slots_);
        const std::size_t old_capacity = capacity_;
        slots_ = std::make_unique<Slot[]>(capacity);
        capacity_ = capacity;
        mask_ = capacity - 1;
        for (std::size_t i = 0; i < old_capacity; ++i) {
            const index_t key = old[i].key.load(std::memory_order_relaxed);
            if (key != empty_key) place(key, old[i].value);
        }
    }

    std::unique_ptr<Slot[]> slots_;
    std::size_t capacity_ = 0;
    std::size_t mask_ = 0;
    std::size_t size_ = 0;
};

}  // namespace calydon
