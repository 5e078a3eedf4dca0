// calydon/delaunay/supports.hpp: the supports of a Delaunay filtration's cells (the simplex
// whose squared radius is each cell's value), indexed for the differentiable values.
//
// The builder finds every cell's support; indexing them (the distinct supports as rows of point
// indices, each sorted cell pointing at its row) needs the filtration's sorted order. It runs at
// the end of the build, or, when the build keeps a SupportPlan, later: the differentiable
// builders on several threads defer it to the persistence call, which runs it on one thread
// beside the pairs (on a 10k-point alpha complex their middle reduction is serial, so that
// thread is otherwise idle; the pairs' own parallel loops take it back once the supports are
// done). Needs no CGAL.
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "calydon/core/errors.hpp"
#include "calydon/core/interrupt.hpp"
#include "calydon/core/thread_pool.hpp"
#include "calydon/core/types.hpp"
#include "calydon/delaunay/complex.hpp"
#include "calydon/filtration/filtration.hpp"

namespace calydon {

/// With r2 = [0] ++ r2(rows[1]) ++ r2(rows[2]) ++ r2(rows[3]), r2 of a row the squared radius of
/// its points' smallest circumsphere (weak alpha: the squared edge length), the cell with sorted
/// id i has value r2[value_source[i]]; vertices point to the leading 0.
struct DelaunaySupports {
    std::vector<index_t> value_source;
    /// [k]: (m_k, k + 1) point indices, k = 1..3, each row in the vertex order C++ evaluated
    /// the value in (so torch repeats the same arithmetic); int64, as numpy takes them over.
    std::array<std::vector<index_t>, 4> rows;
};

/// What indexing the supports needs once the filtration is built: the complex's vertex rows
/// (its facets are dropped), each cell's support by input position, and the points' input ids.
struct SupportPlan {
    SimplicialComplexByDim cx;
    std::vector<index_t> support_by_input;
    std::vector<std::uint32_t> original_of;
    std::string kind;  // the filtration's, checked when the plan is used
};

namespace detail {

/// Marks the supports some cell uses (1), in ranges of cells on the pool; every writer stores the
/// same byte, through atomic_ref so that the races are defined.
inline std::vector<std::uint8_t> used_supports(const std::vector<index_t>& support_by_input,
                                               int n_threads) {
    const index_t n = static_cast<index_t>(support_by_input.size());
    std::vector<std::uint8_t> used(n, 0);
    parallel_ranges(n, n_threads, [&](index_t first, index_t last) {
        for (index_t pos = first; pos < last; ++pos) {
            poll_interrupt(static_cast<std::uint64_t>(pos - first));
            std::atomic_ref<std::uint8_t>(used[support_by_input[pos]])
                .store(1, std::memory_order_relaxed);
        }
    });
    return used;
}

/// The rows of the used supports of dimension k, in input order, into `rows`; `slot` receives
/// each one's support number (from `next`). Counted by ranges, then written by the same ranges
/// at their prefix offsets, so the slots do not depend on the thread count. Returns the count.
inline index_t index_dimension(const SimplicialComplexByDim& cx, int k,
                               const std::vector<std::uint8_t>& used,
                               const std::vector<std::uint32_t>& original_of, index_t next,
                               std::vector<index_t>& slot, std::vector<index_t>& rows,
                               int n_threads) {
    const index_t off = cx.offset(k), m = cx.size(k);
    const index_t n_ranges = range_count(m, n_threads);
    std::vector<index_t> range_first(n_ranges + 1, 0);
    parallel_indexed_ranges(m, n_threads, [&](index_t r, index_t first, index_t last) {
        for (index_t s = first; s < last; ++s) range_first[r + 1] += used[off + s];
    });
    for (index_t r = 0; r < n_ranges; ++r) range_first[r + 1] += range_first[r];
    rows.resize(static_cast<std::size_t>(range_first[n_ranges]) * (k + 1));
    parallel_indexed_ranges(m, n_threads, [&](index_t r, index_t first, index_t last) {
        index_t at = range_first[r];
        for (index_t s = first; s < last; ++s) {
            poll_interrupt(static_cast<std::uint64_t>(s));
            if (!used[off + s]) continue;
            slot[off + s] = next + at;
            // Same vertex order as C++ used for the value, so torch evaluates the same formula.
            const std::uint32_t* v = cx.simplex(k, s);
            for (int j = 0; j <= k; ++j) rows[at * (k + 1) + j] = original_of[v[j]];
            ++at;
        }
    });
    return range_first[n_ranges];
}

}  // namespace detail

/// Groups the distinct supports by dimension (in input order within each) and points every
/// sorted cell at its support's row; `sorted_to_input` is the filtration's order.
inline DelaunaySupports index_supports(const SimplicialComplexByDim& cx,
                                       const std::vector<index_t>& support_by_input,
                                       const std::vector<std::uint32_t>& original_of,
                                       std::span<const index_t> sorted_to_input,
                                       int n_threads = 1) {
    const std::vector<std::uint8_t> used = detail::used_supports(support_by_input, n_threads);
    std::vector<index_t> slot(used.size(), 0);  // vertices: the leading 0
    DelaunaySupports out;
    index_t next = 1;
    for (int k = 1; k <= cx.dim; ++k)
        next +=
            detail::index_dimension(cx, k, used, original_of, next, slot, out.rows[k], n_threads);
    const index_t n = static_cast<index_t>(sorted_to_input.size());
    out.value_source.resize(n);
    parallel_ranges(n, n_threads, [&](index_t first, index_t last) {
        for (index_t s = first; s < last; ++s) {
            poll_interrupt(static_cast<std::uint64_t>(s - first));
            out.value_source[s] = slot[support_by_input[sorted_to_input[s]]];
        }
    });
    return out;
}

/// A deferred plan's supports, for the filtration it was built with (same kind, same size).
inline DelaunaySupports index_supports(const SupportPlan& plan, const Filtration& fil,
                                       int n_threads = 1) {
    if (fil.kind() != plan.kind || fil.size() != static_cast<index_t>(plan.support_by_input.size()))
        throw_invalid("the support plan is for a filtration of kind '", plan.kind, "' with ",
                      plan.support_by_input.size(), " cells, got kind '", fil.kind(), "' with ",
                      fil.size());
    return index_supports(plan.cx, plan.support_by_input, plan.original_of, fil.sorted_to_input(),
                          n_threads);
}

}  // namespace calydon
