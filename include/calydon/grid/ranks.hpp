// calydon/grid/ranks.hpp: the strict order of a grid's data entries.
//
// Every grid cell takes its value from one data entry, so the filtration order of the cells of
// one dimension is (rank of that entry, cell code), where the rank orders entries by value and
// breaks ties by flat index. An LSD radix sort on the order-preserving bit pattern of the values
// gives those ranks in linear time, stably (so ties keep their flat-index order).
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

#include "calydon/core/interrupt.hpp"
#include "calydon/core/types.hpp"

namespace calydon {

namespace detail {

/// Maps a double to an unsigned integer with the same order (-0.0 and 0.0 are equal values, so
/// they are mapped to one key; the data is finite).
inline std::uint64_t order_key(value_t x) {
    if (x == 0.0) x = 0.0;
    std::uint64_t u;
    std::memcpy(&u, &x, sizeof u);
    return (u & (std::uint64_t{1} << 63)) ? ~u : (u | (std::uint64_t{1} << 63));
}

}  // namespace detail

/// Flat indices of `data` in filtration order: ascending values (descending with `negate`),
/// ties by ascending index. A stable LSD radix sort, 16 bits a pass; passes whose digit is the
/// same for every entry are skipped.
inline std::vector<std::uint32_t> entries_in_order(std::span<const value_t> data, bool negate) {
    const std::size_t n = data.size();
    std::vector<std::uint64_t> key(n), key_tmp(n);
    std::vector<std::uint32_t> idx(n), idx_tmp(n);
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint64_t k = detail::order_key(data[i]);
        key[i] = negate ? ~k : k;
        idx[i] = static_cast<std::uint32_t>(i);
    }
    constexpr int bits = 16;
    constexpr std::size_t buckets = std::size_t{1} << bits;
    std::vector<std::size_t> count(buckets);
    for (int shift = 0; shift < 64; shift += bits) {
        check_interrupt();
        std::fill(count.begin(), count.end(), 0);
        for (std::size_t i = 0; i < n; ++i) ++count[(key[i] >> shift) & (buckets - 1)];
        if (n == 0 || count[(key[0] >> shift) & (buckets - 1)] == n) continue;
        std::size_t sum = 0;
        for (auto& c : count) {
            const std::size_t here = c;
            c = sum;
            sum += here;
        }
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t slot = count[(key[i] >> shift) & (buckets - 1)]++;
            key_tmp[slot] = key[i];
            idx_tmp[slot] = idx[i];
        }
        key.swap(key_tmp);
        idx.swap(idx_tmp);
    }
    return idx;
}

}  // namespace calydon
