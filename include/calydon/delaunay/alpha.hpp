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

#include <cstdint>
#include <vector>

#include "calydon/core/interrupt.hpp"
#include "calydon/delaunay/complex.hpp"
#include "calydon/delaunay/geometry.hpp"

namespace calydon {

template <int D>
CellValuesWithSupport alpha_values(const SimplicialComplexByDim& cx,
                                   const DelaunayGeometry<D>& geo) {
    CellValuesWithSupport out(cx.total_size());
    for (index_t v = 0; v < cx.n_points; ++v) out.set(v, 0, v);
    std::uint64_t ticks = 0;
    const int top = cx.dim;
    for (int k = top; k >= 1; --k) {
        const index_t off = cx.offset(k), m = cx.size(k);
        std::vector<char> attached(m, 0);
        std::vector<value_t> best(m, value_inf);
        std::vector<index_t> best_support(m, no_index);
        if (k < top) {
            const index_t coff = cx.offset(k + 1);
            for (index_t t = 0; t < cx.size(k + 1); ++t) {
                poll_interrupt(++ticks);
                const value_t val = out.values[coff + t];
                const index_t sup = out.support[coff + t];
                const std::uint32_t* tv = cx.simplex(k + 1, t);
                const index_t* tf = cx.facets_of(k + 1, t);
                for (int j = 0; j <= k + 1; ++j) {
                    const index_t s = tf[j];
                    if (!attached[s] && geo.side_of_smallest_sphere(cx.simplex(k, s), k + 1,
                                                                    tv[j]) == CGAL::ON_BOUNDED_SIDE)
                        attached[s] = 1;
                    if (val < best[s]) {
                        best[s] = val;
                        best_support[s] = sup;
                    }
                }
            }
        }
        for (index_t s = 0; s < m; ++s) {
            poll_interrupt(++ticks);
            if (attached[s]) {
                out.set(off + s, best[s], best_support[s]);
                continue;
            }
            const value_t own = geo.squared_radius(cx.simplex(k, s), k + 1);
            if (own <= best[s]) out.set(off + s, own, off + s);
            else out.set(off + s, best[s], best_support[s]);
        }
    }
    return out;
}

}  // namespace calydon

#endif  // CALYDON_HAVE_CGAL
