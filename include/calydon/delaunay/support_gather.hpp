// calydon/delaunay/support_gather.hpp: the supports a set of cells reads, so that the
// differentiable values of those cells alone are evaluated (a diagram's cells are about a third
// of a 3-D alpha complex).
//
// The builder numbers the supports [the vertex support 0] ++ the rows of each support size
// (edges, triangles, tetrahedra), and value_source gives each sorted cell its support. Python
// did this gather with half a dozen numpy passes over the supports; here it is two passes over
// the cells and two over the supports, all on the pool.
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <span>
#include <vector>

#include "calydon/core/errors.hpp"
#include "calydon/core/fill_later.hpp"
#include "calydon/core/interrupt.hpp"
#include "calydon/core/thread_pool.hpp"
#include "calydon/core/types.hpp"

namespace calydon {

struct SupportGather {
    /// Per cell asked: the position of its support among the wanted supports.
    FillLaterVector<index_t> position;
    /// Whether the wanted supports start with the vertex support (value 0).
    bool wants_vertex = false;
    /// Per support size (2, 3, 4 points): the wanted rows in support order, flattened.
    std::array<FillLaterVector<index_t>, 3> rows;
    /// Per wanted support: the filtration value of the cells that read it.
    FillLaterVector<value_t> value;
};

namespace detail {

/// Numbers the wanted supports of one block of slots (nonzero: wanted) in order, from
/// `first_number` + 1 on: ranges count theirs, then number from their prefix. Returns the count.
inline index_t number_wanted(std::span<index_t> slot, index_t first_number, int n_threads) {
    const index_t n = static_cast<index_t>(slot.size());
    std::vector<index_t> before(range_count(n, n_threads) + 1, 0);
    parallel_indexed_ranges(n, n_threads, [&](index_t r, index_t first, index_t last) {
        for (index_t i = first; i < last; ++i) before[r + 1] += slot[i] != 0;
    });
    for (std::size_t r = 1; r < before.size(); ++r) before[r] += before[r - 1];
    parallel_indexed_ranges(n, n_threads, [&](index_t r, index_t first, index_t last) {
        index_t number = first_number + before[r];
        for (index_t i = first; i < last; ++i)
            if (slot[i]) slot[i] = ++number;
    });
    return before.back();
}

/// The rows of the wanted supports of one size (`slot` and `rows` of that size, `first_number`
/// the slot number before its first wanted row), each written at its own place, on the pool.
inline FillLaterVector<index_t> wanted_rows(std::span<const index_t> slot,
                                            std::span<const index_t> rows, index_t width,
                                            index_t first_number, index_t n_wanted, int n_threads) {
    FillLaterVector<index_t> out(static_cast<std::size_t>(n_wanted * width));
    parallel_ranges(static_cast<index_t>(slot.size()), n_threads, [&](index_t first, index_t last) {
        for (index_t r = first; r < last; ++r)
            if (slot[r])
                std::copy_n(rows.data() + r * width, width,
                            out.data() + (slot[r] - 1 - first_number) * width);
    });
    return out;
}

/// Marks the supports the cells read (slot 1) and keeps each cell's support in `position`.
/// Every writer of a shared slot stores the same thing, through atomic_ref so the races are
/// defined.
inline void mark_read_supports(std::span<const index_t> value_source,
                               std::span<const index_t> cells, index_t n_supports,
                               std::span<index_t> slot, std::span<index_t> position,
                               int n_threads) {
    const index_t n_cells = static_cast<index_t>(value_source.size());
    parallel_ranges(
        static_cast<index_t>(cells.size()), n_threads, [&](index_t first, index_t last) {
            for (index_t i = first; i < last; ++i) {
                poll_interrupt(static_cast<std::uint64_t>(i - first));
                const index_t c = cells[i];
                if (c < 0 || c >= n_cells)
                    throw_invalid("cells must be sorted ids below ", n_cells, ", got ", c);
                const index_t s = value_source[c];
                if (s < 0 || s >= n_supports)
                    throw_invalid("value_source must index the ", n_supports, " supports, got ", s);
                std::atomic_ref<index_t>(slot[s]).store(1, std::memory_order_relaxed);
                position[i] = s;
            }
        });
}

}  // namespace detail

/// The distinct supports of `cells` (sorted ids, any order, repeats allowed), in support order:
/// wanted = [vertex support, if read] ++ the wanted rows of `support_rows[0]`, then [1], then [2]
/// (row widths 2, 3, 4). `values` are the filtration's, by sorted id. The result is the same
/// for any n_threads. Every pass runs on the pool, and the outputs are written first by those
/// passes (no serial zeroing: a fresh page costs a fault, which this virtual machine makes
/// expensive).
inline SupportGather gather_supports(std::span<const index_t> value_source,
                                     std::span<const value_t> values,
                                     std::span<const index_t> cells,
                                     const std::array<std::span<const index_t>, 3>& support_rows,
                                     int n_threads = 1) {
    const index_t n_cells = static_cast<index_t>(values.size());
    if (static_cast<index_t>(value_source.size()) != n_cells)
        throw_invalid("value_source has ", value_source.size(), " entries for ", n_cells, " cells");
    std::array<index_t, 3> first_support{}, n_rows{};  // per size (support 0 is the vertex)
    index_t n_supports = 1;
    for (int k = 0; k < 3; ++k) {
        first_support[k] = n_supports;
        n_rows[k] = static_cast<index_t>(support_rows[k].size()) / (k + 2);
        n_supports += n_rows[k];
    }
    // slot[s]: 0 while support s is not wanted, then 1 + its position.
    FillLaterVector<index_t> slot(n_supports);
    parallel_ranges(n_supports, n_threads, [&](index_t first, index_t last) {
        std::fill(slot.begin() + first, slot.begin() + last, 0);
    });
    SupportGather out;
    out.position.resize(cells.size());  // each cell's support first, its position below
    detail::mark_read_supports(value_source, cells, n_supports, slot, out.position, n_threads);
    out.wants_vertex = slot[0] != 0;  // then numbered 1 already
    // numbered[k]: the wanted supports before size k; numbered[3]: all of them.
    std::array<index_t, 4> numbered{out.wants_vertex ? 1 : 0};
    auto slots_of_size = [&](int k) {
        return std::span<index_t>(slot.data() + first_support[k],
                                  static_cast<std::size_t>(n_rows[k]));
    };
    for (int k = 0; k < 3; ++k)
        numbered[k + 1] =
            numbered[k] + detail::number_wanted(slots_of_size(k), numbered[k], n_threads);
    out.value.resize(numbered[3]);
    const index_t n_asked = static_cast<index_t>(cells.size());
    parallel_ranges(n_asked, n_threads, [&](index_t first, index_t last) {
        for (index_t i = first; i < last; ++i) {
            const index_t p = slot[out.position[i]] - 1;
            out.position[i] = p;
            std::atomic_ref<value_t>(out.value[p])
                .store(values[cells[i]], std::memory_order_relaxed);
        }
    });
    for (int k = 0; k < 3; ++k)
        out.rows[k] = detail::wanted_rows(slots_of_size(k), support_rows[k], k + 2, numbered[k],
                                          numbered[k + 1] - numbered[k], n_threads);
    return out;
}

}  // namespace calydon
