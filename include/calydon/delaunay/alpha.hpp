// calydon/delaunay/alpha.hpp: alpha values (squared radii) on a Delaunay complex.
//
// Top-down rule (Edelsbrunner; the one gudhi implements): a top simplex takes its squared
// circumradius. A lower simplex sigma is attached when the vertex opposite to it in some cofacet
// lies strictly inside sigma's smallest circumsphere (decided exactly by CGAL). An unattached
// (Gabriel) sigma takes its own smallest squared radius, an attached one the smallest value of
// its cofacets, and with it that cofacet's support. The min with the cofacets is also applied to
// Gabriel simplices, which only ever changes a value by rounding but keeps faces <= cofaces exact.
#pragma once

#ifdef CALYDON_HAVE_CGAL

#include <algorithm>
#include <cstdint>
#include <vector>

#include "calydon/core/interrupt.hpp"
#include "calydon/core/thread_pool.hpp"
#include "calydon/delaunay/complex.hpp"
#include "calydon/delaunay/geometry.hpp"

namespace calydon {

namespace detail {

/// The alpha values of the k-simplices s in [s_begin, s_end), given the values of dimension
/// k + 1. Every task scans all cofacets but evaluates only its own facets, in cofacet order, so
/// the attachment tests skipped and the ties broken are exactly those of a single pass.
template <int D>
void alpha_values_of_range(const SimplicialComplexByDim& cx, const DelaunayGeometry<D>& geo, int k,
                           index_t s_begin, index_t s_end, CellValuesWithSupport& out) {
    const index_t off = cx.offset(k), m = s_end - s_begin;
    std::vector<char> attached(m, 0);
    std::vector<value_t> best(m, value_inf);
    std::vector<index_t> best_support(m, no_index);
    std::uint64_t ticks = 0;
    if (k < cx.dim) {
        const index_t coff = cx.offset(k + 1);
        for (index_t t = 0; t < cx.size(k + 1); ++t) {
            poll_interrupt(++ticks);
            const index_t* tf = cx.facets_of(k + 1, t);
            for (int j = 0; j <= k + 1; ++j) {
                const index_t s = tf[j] - s_begin;
                if (s < 0 || s >= m) continue;
                const value_t val = out.values[coff + t];
                if (!attached[s] &&
                    geo.side_of_smallest_sphere(cx.simplex(k, tf[j]), k + 1,
                                                cx.simplex(k + 1, t)[j]) == CGAL::ON_BOUNDED_SIDE)
                    attached[s] = 1;
                if (val < best[s]) {
                    best[s] = val;
                    best_support[s] = out.support[coff + t];
                }
            }
        }
    }
    for (index_t s = 0; s < m; ++s) {
        poll_interrupt(++ticks);
        const index_t g = off + s_begin + s;
        if (attached[s]) {
            out.set(g, best[s], best_support[s]);
            continue;
        }
        const value_t own = geo.squared_radius(cx.simplex(k, s_begin + s), k + 1);
        if (own <= best[s]) out.set(g, own, g);
        else out.set(g, best[s], best_support[s]);
    }
}

}  // namespace detail

/// Alpha values and supports of every simplex, top dimension first; each dimension is split in
/// n_threads ranges of simplices evaluated on the shared pool (same values for any count).
template <int D>
CellValuesWithSupport alpha_values(const SimplicialComplexByDim& cx, const DelaunayGeometry<D>& geo,
                                   int n_threads = 1) {
    CellValuesWithSupport out(cx.total_size());
    for (index_t v = 0; v < cx.n_points; ++v) out.set(v, 0, v);
    for (int k = cx.dim; k >= 1; --k) {
        const index_t m = cx.size(k);
        // Below a few thousand simplices a second thread costs more than it saves.
        parallel_ranges(
            m, n_threads,
            [&](index_t first, index_t last) {
                detail::alpha_values_of_range(cx, geo, k, first, last, out);
            },
            4096);
    }
    return out;
}

}  // namespace calydon

#endif  // CALYDON_HAVE_CGAL
