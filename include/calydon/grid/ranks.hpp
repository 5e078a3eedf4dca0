// calydon/grid/ranks.hpp: the strict order of a grid's data entries.
//
// Every grid cell takes its value from one data entry, so the filtration order of the cells of
// one dimension is (rank of that entry, cell code), where the rank orders entries by value and
// breaks ties by flat index. An LSD radix sort on the order-preserving bit pattern of the values
// gives those ranks in linear time, stably (so ties keep their flat-index order).
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <span>
#include <tuple>
#include <utility>
#include <vector>

#include "calydon/core/interrupt.hpp"
#include "calydon/core/thread_pool.hpp"
#include "calydon/core/types.hpp"
#include "calydon/grid/big_vector.hpp"

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

/// Writes the ids of the entries [first, last) of a row-major grid of shape `shape`: the flat
/// index itself when `strides` is empty, else sum(coordinate * stride). Divides once per range
/// and then walks the rows (the values on the top cells of a box are stored by anchor vertex,
/// whose grid has one more vertex per axis).
inline void fill_entry_ids(std::uint32_t* out, std::size_t first, std::size_t last,
                           std::span<const index_t> shape, std::span<const index_t> strides) {
    if (strides.empty()) {
        for (std::size_t i = first; i < last; ++i) out[i] = static_cast<std::uint32_t>(i);
        return;
    }
    const std::size_t d = shape.size();
    std::array<index_t, 4> coord{};
    for (std::size_t a = d, rest = first; a-- > 0;) {
        coord[a] = static_cast<index_t>(rest % static_cast<std::size_t>(shape[a]));
        rest /= static_cast<std::size_t>(shape[a]);
    }
    for (std::size_t i = first; i < last;) {
        index_t id = 0;
        for (std::size_t a = 0; a < d; ++a) id += coord[a] * strides[a];
        const std::size_t row_end =
            std::min(last, i + static_cast<std::size_t>(shape[d - 1] - coord[d - 1]));
        for (; i < row_end; ++i, ++id) out[i] = static_cast<std::uint32_t>(id);
        coord[d - 1] = 0;  // the next row: carry into the axes before the last
        for (std::size_t a = d - 1; a-- > 0 && ++coord[a] == shape[a];) coord[a] = 0;
    }
}

/// A stable LSD radix sort of n keys (and their ids) by their bits below `low_bit`, 16 a pass:
/// for a long run of keys equal above it (values in a very narrow range), so that the order
/// stays linear in time and a Ctrl-C is seen between passes.
inline void radix_sort_run(std::uint64_t* key, std::uint32_t* idx, std::size_t n, int low_bit) {
    constexpr int bits = 16;
    constexpr std::uint64_t mask = (std::uint64_t{1} << bits) - 1;
    std::vector<std::uint64_t> key_tmp(n);
    std::vector<std::uint32_t> idx_tmp(n);
    std::vector<std::size_t> slot(std::size_t{1} << bits);
    for (int shift = 0; shift < low_bit; shift += bits) {
        check_interrupt();
        std::fill(slot.begin(), slot.end(), 0);
        for (std::size_t i = 0; i < n; ++i) ++slot[(key[i] >> shift) & mask];
        std::size_t sum = 0;
        for (std::size_t& start : slot) sum += std::exchange(start, sum);
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t to = slot[(key[i] >> shift) & mask]++;
            key_tmp[to] = key[i];
            idx_tmp[to] = idx[i];
        }
        std::copy(key_tmp.begin(), key_tmp.end(), key);
        std::copy(idx_tmp.begin(), idx_tmp.end(), idx);
    }
}

/// Orders the entries [first, last), equal in their bits from `low_bit` up, by (key, id): by
/// insertion when the run is short, else (unless it is in order already, as ties of equal values
/// are) by a comparison sort, or by a radix sort when it is long.
inline void order_run(std::uint64_t* key, std::uint32_t* idx, std::size_t first, std::size_t last,
                      int low_bit) {
    if (last - first <= 64) {
        for (std::size_t i = first + 1; i < last; ++i) {
            const std::uint64_t k = key[i];
            const std::uint32_t id = idx[i];
            std::size_t j = i;
            for (; j > first && key[j - 1] > k; --j) {  // stable: ids ascend in the run
                key[j] = key[j - 1];
                idx[j] = idx[j - 1];
            }
            key[j] = k;
            idx[j] = id;
        }
        return;
    }
    if (std::is_sorted(key + first, key + last)) return;
    if (last - first > 4096) return radix_sort_run(key + first, idx + first, last - first, low_bit);
    std::vector<std::pair<std::uint64_t, std::uint32_t>> run;
    run.reserve(last - first);
    for (std::size_t i = first; i < last; ++i) run.push_back({key[i], idx[i]});
    std::sort(run.begin(), run.end());
    for (std::size_t i = first; i < last; ++i) std::tie(key[i], idx[i]) = run[i - first];
}

/// After a stable sort by the bits of `key` from `low_bit` up: orders each run of keys equal in
/// those bits by the full key (the run is in id order already, so ties keep it).
inline void order_runs_of_equal_high_bits(big_buffer<std::uint64_t>& key,
                                          big_buffer<std::uint32_t>& idx, int low_bit) {
    const std::size_t n = key.size();
    for (std::size_t first = 0; first < n;) {
        poll_interrupt(first);
        const std::uint64_t high = key[first] >> low_bit;
        std::size_t last = first + 1;
        while (last < n && (key[last] >> low_bit) == high) ++last;
        if (last - first > 1) order_run(key.data(), idx.data(), first, last, low_bit);
        first = last;
    }
}

}  // namespace detail

/// Flat indices of `data` in filtration order: ascending values (descending with `negate`),
/// ties by ascending index. A stable LSD radix sort, 16 bits a pass on the top 32 bits in which
/// the keys differ (11 bits a pass on the top 33 below 2^16 entries); passes whose digit is the
/// same for every entry are skipped. Keys equal in those bits (a handful, next to each other)
/// are then put in order by their full key. With n_threads >= 2 each thread counts and scatters
/// its own contiguous range, placed after the ranges before it in every bucket: the order is
/// the same.
/// With `id_shape` and `id_strides` (see fill_entry_ids) it returns entry ids instead of flat
/// indices; ids that ascend with the flat index keep the same order.
inline big_buffer<std::uint32_t> entries_in_order(std::span<const value_t> data, bool negate,
                                                  int n_threads = 1,
                                                  std::span<const index_t> id_shape = {},
                                                  std::span<const index_t> id_strides = {}) {
    const std::size_t n = data.size();
    // Two digits of 16 bits, or below 2^16 entries three of 11: the histograms of 16-bit digits
    // (512 KiB each, cleared and summed once a pass) were most of the sort of a small image,
    // and with fresh memory a page fault per 4 KiB on top (0.7 ms for 16 pixels).
    const int bits = n < (std::size_t{1} << 16) ? 11 : 16;
    const int n_passes = bits == 16 ? 2 : 3;  // over the 32 or 33 highest differing bits
    const std::size_t buckets = std::size_t{1} << bits;
    // A range smaller than a 16-bit histogram is not worth a thread.
    const std::size_t chunks =
        std::max<std::size_t>(1, std::min<std::size_t>(std::max(n_threads, 1), n >> 16));
    auto range = [&](std::size_t c) { return std::pair{n * c / chunks, n * (c + 1) / chunks}; };
    auto each_range = [&](auto&& f) {
        parallel_for(static_cast<index_t>(chunks), n_threads, [&](index_t c) {
            const auto [first, last] = range(static_cast<std::size_t>(c));
            f(static_cast<std::size_t>(c), first, last);
        });
    };
    auto digit = [&](std::uint64_t k, int shift) { return (k >> shift) & (buckets - 1); };
    big_buffer<std::uint64_t> key(n), key_tmp(n);
    big_buffer<std::uint32_t> idx(n), idx_tmp(n);
    // The keys, and the bits in which they differ at all (every key lies between the smallest
    // and the largest, so digits above their highest differing bit are the same for all).
    std::vector<std::uint64_t> lo(chunks, ~std::uint64_t{0}), hi(chunks, 0);
    each_range([&](std::size_t c, std::size_t first, std::size_t last) {
        // Local bounds: the shared slots sit on one cache line for every range.
        std::uint64_t low = ~std::uint64_t{0}, high = 0;
        for (std::size_t i = first; i < last; ++i) {
            const std::uint64_t k =
                negate ? ~detail::order_key(data[i]) : detail::order_key(data[i]);
            key[i] = k;
            low = std::min(low, k);
            high = std::max(high, k);
        }
        lo[c] = low;
        hi[c] = high;
        detail::fill_entry_ids(idx.data(), first, last, id_shape, id_strides);
    });
    const std::uint64_t smallest = *std::min_element(lo.begin(), lo.end());
    const std::uint64_t largest = *std::max_element(hi.begin(), hi.end());
    const std::uint64_t all_differ = n > 0 ? smallest ^ largest : 0;
    // Only the highest 32 or 33 bits that differ are sorted by passes: below them, values of a
    // field that agree in those bits are rare and lie in short runs, which one scan puts in
    // order (passes over the whole array saved). The last pass writes keys only for that scan.
    const int last_digit = all_differ == 0 ? -1 : (63 - std::countl_zero(all_differ)) / bits;
    const int first_digit = std::max(0, last_digit - (n_passes - 1));
    std::vector<std::vector<std::size_t>> count(chunks, std::vector<std::size_t>(buckets));
    for (int j = first_digit; j <= last_digit; ++j) {
        check_interrupt();
        const int shift = j * bits;
        each_range([&](std::size_t c, std::size_t first, std::size_t last) {
            std::fill(count[c].begin(), count[c].end(), 0);
            for (std::size_t i = first; i < last; ++i) ++count[c][digit(key[i], shift)];
        });
        std::size_t in_first = 0;
        for (std::size_t c = 0; c < chunks; ++c) in_first += count[c][digit(key[0], shift)];
        if (in_first == n) continue;
        std::size_t sum = 0;  // bucket by bucket, range by range: the start of each slot run
        for (std::size_t b = 0; b < buckets; ++b)
            for (std::size_t c = 0; c < chunks; ++c) {
                const std::size_t here = count[c][b];
                count[c][b] = sum;
                sum += here;
            }
        each_range([&](std::size_t c, std::size_t first, std::size_t last) {
            std::size_t* slots = count[c].data();
            if (j == last_digit && first_digit == 0)
                for (std::size_t i = first; i < last; ++i)
                    idx_tmp[slots[digit(key[i], shift)]++] = idx[i];
            else
                for (std::size_t i = first; i < last; ++i) {
                    const std::size_t slot = slots[digit(key[i], shift)]++;
                    key_tmp[slot] = key[i];
                    idx_tmp[slot] = idx[i];
                }
        });
        key.swap(key_tmp);
        idx.swap(idx_tmp);
    }
    if (first_digit > 0) detail::order_runs_of_equal_high_bits(key, idx, first_digit * bits);
    return idx;
}

}  // namespace calydon
