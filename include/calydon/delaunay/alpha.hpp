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
#include <limits>
#include <vector>

#include "calydon/core/interrupt.hpp"
#include "calydon/core/thread_pool.hpp"
#include "calydon/delaunay/complex.hpp"
#include "calydon/delaunay/geometry.hpp"

namespace calydon {

namespace detail {

/// What one range of (k + 1)-simplices says about the k-simplices it touches, ids [first,
/// first + size): whether a cofacet in the range attaches each, and the smallest cofacet value
/// there with its support (the first in cofacet order on ties). The complex numbers its
/// simplices in spatial order, so a range of cofacets touches about its share of the facets and
/// the scans of all ranges together take about one entry per facet.
struct CofacetScan {
    index_t first = 0;
    std::vector<char> attached;
    std::vector<value_t> best;
    std::vector<index_t> best_support;

    void cover(index_t lo, index_t hi) {  // the ids [lo, hi]
        first = lo;
        const std::size_t n = hi < lo ? 0 : static_cast<std::size_t>(hi - lo + 1);
        attached.assign(n, 0);
        best.assign(n, value_inf);
        best_support.assign(n, no_index);
    }
    bool covers(index_t s) const {
        return s >= first && s - first < static_cast<index_t>(attached.size());
    }
};

/// Scans the (k + 1)-simplices [t_begin, t_end), whose values are set, for their facets.
template <int D>
void scan_cofacets(const SimplicialComplexByDim& cx, const DelaunayGeometry<D>& geo, int k,
                   index_t t_begin, index_t t_end, const CellValuesWithSupport& out,
                   CofacetScan& scan) {
    const index_t coff = cx.offset(k + 1);
    index_t lo = std::numeric_limits<index_t>::max(), hi = -1;
    for (index_t t = t_begin; t < t_end; ++t)
        for (int j = 0; j <= k + 1; ++j) {
            lo = std::min(lo, cx.facets_of(k + 1, t)[j]);
            hi = std::max(hi, cx.facets_of(k + 1, t)[j]);
        }
    scan.cover(lo, hi);
    std::uint64_t ticks = 0;
    for (index_t t = t_begin; t < t_end; ++t) {
        poll_interrupt(++ticks);
        const index_t* tf = cx.facets_of(k + 1, t);
        const value_t val = out.values[coff + t];
        for (int j = 0; j <= k + 1; ++j) {
            const index_t s = tf[j] - scan.first;
            if (!scan.attached[s] &&
                geo.side_of_smallest_sphere(cx.simplex(k, tf[j]), k + 1, cx.simplex(k + 1, t)[j]) ==
                    CGAL::ON_BOUNDED_SIDE)
                scan.attached[s] = 1;
            if (val < scan.best[s]) {
                scan.best[s] = val;
                scan.best_support[s] = out.support[coff + t];
            }
        }
    }
}

/// Sets the values of the k-simplices [first, last) from the scans of consecutive cofacet
/// ranges: attached when any range attaches, the smallest value with an earlier range winning
/// ties, so the result is that of one scan in cofacet order.
template <int D>
void finish_facets(const SimplicialComplexByDim& cx, const DelaunayGeometry<D>& geo, int k,
                   index_t first, index_t last, const std::vector<CofacetScan>& scans,
                   CellValuesWithSupport& out) {
    const index_t off = cx.offset(k);
    for (index_t s = first; s < last; ++s) {
        poll_interrupt(static_cast<std::uint64_t>(s - first));
        bool attached = false;
        value_t best = value_inf;
        index_t support = no_index;
        for (const CofacetScan& scan : scans) {
            if (!scan.covers(s)) continue;
            const index_t i = s - scan.first;
            attached = attached || scan.attached[i];
            if (scan.best[i] < best) {
                best = scan.best[i];
                support = scan.best_support[i];
            }
        }
        const index_t g = off + s;
        if (attached) {
            out.set(g, best, support);
            continue;
        }
        const value_t own = geo.squared_radius(cx.simplex(k, s), k + 1);
        if (own <= best) out.set(g, own, g);
        else out.set(g, best, support);
    }
}

}  // namespace detail

/// Alpha values and supports of every simplex, top dimension first. Per dimension, ranges of the
/// cofacets are scanned on the shared pool (each range once), then ranges of the simplices
/// merge the scans and take their values; the values are the same for any count.
template <int D>
CellValuesWithSupport alpha_values(const SimplicialComplexByDim& cx, const DelaunayGeometry<D>& geo,
                                   int n_threads = 1) {
    CellValuesWithSupport out(cx.total_size());
    for (index_t v = 0; v < cx.n_points; ++v) out.set(v, 0, v);
    // Below a few thousand simplices a second thread costs more than it saves.
    constexpr index_t min_range = 4096;
    for (int k = cx.dim; k >= 1; --k) {
        const index_t m = cx.size(k);
        std::vector<detail::CofacetScan> scans;
        if (k < cx.dim) {
            const index_t n_cofacets = cx.size(k + 1);
            const index_t n_ranges =
                std::clamp<index_t>(n_cofacets / min_range, 1, std::max(n_threads, 1));
            scans.resize(n_ranges);
            parallel_for(n_ranges, n_threads, [&](index_t r) {
                detail::scan_cofacets(cx, geo, k, n_cofacets * r / n_ranges,
                                      n_cofacets * (r + 1) / n_ranges, out, scans[r]);
            });
        }
        parallel_ranges(
            m, n_threads,
            [&](index_t first, index_t last) {
                detail::finish_facets(cx, geo, k, first, last, scans, out);
            },
            min_range);
    }
    return out;
}

}  // namespace calydon

#endif  // CALYDON_HAVE_CGAL
