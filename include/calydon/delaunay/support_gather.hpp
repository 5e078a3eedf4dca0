// calydon/delaunay/support_gather.hpp: the supports a set of cells reads, so that the
// differentiable values of those cells alone are evaluated (a diagram's cells are about a third
// of a 3-D alpha complex).
//
// The builder numbers the supports [the vertex support 0] ++ the rows of each support size
// (edges, triangles, tetrahedra), and value_source gives each sorted cell its support. Python
// did this gather with half a dozen numpy passes over the supports; here it is one pass over
// the cells and one over the supports.
#pragma once

#include <array>
#include <atomic>
#include <span>
#include <vector>

#include "calydon/core/errors.hpp"
#include "calydon/core/interrupt.hpp"
#include "calydon/core/thread_pool.hpp"
#include "calydon/core/types.hpp"

namespace calydon {

struct SupportGather {
    /// Per cell asked: the position of its support among the wanted supports.
    std::vector<index_t> position;
    /// Whether the wanted supports start with the vertex support (value 0).
    bool wants_vertex = false;
    /// Per support size (2, 3, 4 points): the wanted rows in support order, flattened.
    std::array<std::vector<index_t>, 3> rows;
    /// Per wanted support: the filtration value of the cells that read it.
    std::vector<value_t> value;
};

namespace detail {

/// The rows of the supports with a nonzero slot, per size, in support order (slot 0 is the
/// vertex support; the rows of each size follow).
inline std::array<std::vector<index_t>, 3>
wanted_rows(const std::vector<index_t>& slot,
            const std::array<std::span<const index_t>, 3>& support_rows) {
    std::array<std::vector<index_t>, 3> out;
    index_t first = 1;  // support number of the size's first row
    for (int k = 0; k < 3; ++k) {
        const index_t width = k + 2, count = static_cast<index_t>(support_rows[k].size()) / width;
        const index_t* slot_k = slot.data() + first;
        index_t n_rows = 0;
        for (index_t r = 0; r < count; ++r) n_rows += slot_k[r] != 0;
        out[k].resize(static_cast<std::size_t>(n_rows * width));
        index_t* to = out[k].data();
        for (index_t r = 0; r < count; ++r)
            if (slot_k[r])
                for (index_t j = 0; j < width; ++j) *to++ = support_rows[k][r * width + j];
        first += count;
    }
    return out;
}

}  // namespace detail

/// The distinct supports of `cells` (sorted ids, any order, repeats allowed), in support order:
/// wanted = [vertex support, if read] ++ the wanted rows of `support_rows[0]`, then [1], then [2]
/// (row widths 2, 3, 4). `values` are the filtration's, by sorted id. The result is the same
/// for any n_threads.
inline SupportGather gather_supports(std::span<const index_t> value_source,
                                     std::span<const value_t> values,
                                     std::span<const index_t> cells,
                                     const std::array<std::span<const index_t>, 3>& support_rows,
                                     int n_threads = 1) {
    const index_t n_cells = static_cast<index_t>(values.size());
    if (static_cast<index_t>(value_source.size()) != n_cells)
        throw_invalid("value_source has ", value_source.size(), " entries for ", n_cells, " cells");
    index_t n_supports = 1;
    for (int k = 0; k < 3; ++k)
        n_supports += static_cast<index_t>(support_rows[k].size()) / (k + 2);
    // slot[s]: 0 while support s is not wanted, then 1 + its position. The passes over the cells
    // are random reads (most of the time): ranges of cells run on the pool; every writer of a
    // shared slot or value stores the same thing, through atomic_ref so the races are defined.
    std::vector<index_t> slot(n_supports, 0);
    SupportGather out;
    out.position.resize(cells.size());  // each cell's support first, its position below
    const index_t n_asked = static_cast<index_t>(cells.size());
    parallel_ranges(n_asked, n_threads, [&](index_t first, index_t last) {
        for (index_t i = first; i < last; ++i) {
            poll_interrupt(static_cast<std::uint64_t>(i - first));
            const index_t c = cells[i];
            if (c < 0 || c >= n_cells)
                throw_invalid("cells must be sorted ids below ", n_cells, ", got ", c);
            const index_t s = value_source[c];
            if (s < 0 || s >= n_supports)
                throw_invalid("value_source must index the ", n_supports, " supports, got ", s);
            std::atomic_ref<index_t>(slot[s]).store(1, std::memory_order_relaxed);
            out.position[i] = s;
        }
    });
    index_t n_wanted = 0;
    for (index_t& s : slot)
        if (s) s = ++n_wanted;
    out.wants_vertex = slot[0] != 0;
    out.value.resize(n_wanted);
    parallel_ranges(n_asked, n_threads, [&](index_t first, index_t last) {
        for (index_t i = first; i < last; ++i) {
            const index_t p = slot[out.position[i]] - 1;
            out.position[i] = p;
            std::atomic_ref<value_t>(out.value[p])
                .store(values[cells[i]], std::memory_order_relaxed);
        }
    });
    out.rows = detail::wanted_rows(slot, support_rows);
    return out;
}

}  // namespace calydon
