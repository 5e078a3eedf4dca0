// calydon/core/radix_sort.hpp: a stable LSD radix sort and the order-preserving bits of a double.
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <vector>

#include "calydon/core/types.hpp"

namespace calydon {

/// Stable LSD radix sort of records by the low `key_bits` bits of key(record), 11 bits a pass;
/// a pass whose digit is the same for every record is skipped.
template <class Record, class KeyOf>
void radix_sort(std::vector<Record>& recs, int key_bits, KeyOf&& key) {
    constexpr int digit_bits = 11;
    constexpr std::uint64_t mask = (std::uint64_t{1} << digit_bits) - 1;
    std::vector<Record> tmp;
    std::vector<std::size_t> start(mask + 2);
    for (int shift = 0; shift < key_bits; shift += digit_bits) {
        std::fill(start.begin(), start.end(), 0);
        for (const Record& r : recs) ++start[((key(r) >> shift) & mask) + 1];
        if (std::any_of(start.begin(), start.end(),
                        [&](std::size_t c) { return c == recs.size(); }))
            continue;
        for (std::size_t d = 1; d < start.size(); ++d) start[d] += start[d - 1];
        tmp.resize(recs.size());
        for (const Record& r : recs) tmp[start[(key(r) >> shift) & mask]++] = r;
        recs.swap(tmp);
    }
}

/// Bits of a double whose unsigned order is the numeric order (-0.0 and +0.0 give the same
/// bits; NaN is not expected).
inline std::uint64_t ordered_bits(value_t v) {
    const std::uint64_t u = std::bit_cast<std::uint64_t>(v + 0.0);  // -0.0 + 0.0 is +0.0
    return (u >> 63) ? ~u : u | (std::uint64_t{1} << 63);
}

}  // namespace calydon
