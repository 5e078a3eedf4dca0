// calydon/distance/price_heap.hpp: prices of the diagonal objects of the auction. A diagonal
// bidder values every diagonal object at cost 0, so it only needs the two cheapest ones; prices
// only rise, so an indexed binary min-heap with sift-down suffices.
#pragma once

#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include "calydon/core/types.hpp"

namespace calydon {

class PriceHeap {
public:
    explicit PriceHeap(std::int32_t size)
        : price_(static_cast<std::size_t>(size), 0.0), heap_(static_cast<std::size_t>(size)),
          slot_(static_cast<std::size_t>(size)) {
        for (std::int32_t k = 0; k < size; ++k) heap_[k] = slot_[k] = k;
    }

    value_t price(std::int32_t item) const { return price_[item]; }
    std::int32_t size() const { return static_cast<std::int32_t>(heap_.size()); }

    /// Cheapest item (and its price); the second cheapest price is +inf with fewer than 2 items.
    std::int32_t cheapest() const { return heap_.empty() ? -1 : heap_[0]; }
    value_t second_cheapest_price() const {
        value_t best = std::numeric_limits<value_t>::infinity();
        if (heap_.size() > 1) best = price_[heap_[1]];
        if (heap_.size() > 2 && price_[heap_[2]] < best) best = price_[heap_[2]];
        return best;
    }

    void raise(std::int32_t item, value_t new_price) {
        price_[item] = new_price;
        auto k = static_cast<std::size_t>(slot_[item]);
        const std::size_t n = heap_.size();
        while (true) {
            std::size_t smallest = k;
            const std::size_t l = 2 * k + 1, r = 2 * k + 2;
            if (l < n && price_[heap_[l]] < price_[heap_[smallest]]) smallest = l;
            if (r < n && price_[heap_[r]] < price_[heap_[smallest]]) smallest = r;
            if (smallest == k) break;
            std::swap(heap_[k], heap_[smallest]);
            slot_[heap_[k]] = static_cast<std::int32_t>(k);
            slot_[heap_[smallest]] = static_cast<std::int32_t>(smallest);
            k = smallest;
        }
    }

private:
    std::vector<value_t> price_;
    std::vector<std::int32_t> heap_;  ///< items in heap order
    std::vector<std::int32_t> slot_;  ///< heap position of each item
};

}  // namespace calydon
