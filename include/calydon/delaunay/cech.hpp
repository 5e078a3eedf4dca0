// calydon/delaunay/cech.hpp: Čech values on a Delaunay complex: the squared radius of
// the minimum enclosing ball (MEB) of each simplex's vertices, with its support set.
//
// Bottom-up rule: an edge's MEB is its diametral ball. For a higher simplex tau, if the MEB of
// some facet contains the opposite vertex (decided exactly by CGAL, boundary included), that ball
// encloses tau and is its MEB; it is then the largest facet MEB, whose value and support tau
// takes. Otherwise every vertex of tau lies on its MEB, which is the circumsphere of tau.
// Taking the max over all facets (not only the enclosing one) keeps faces <= cofaces exact
// under rounding.
#pragma once

#ifdef CALYDON_HAVE_CGAL

#include <cstdint>

#include "calydon/core/interrupt.hpp"
#include "calydon/delaunay/complex.hpp"
#include "calydon/delaunay/geometry.hpp"

namespace calydon {

template <int D>
CellValuesWithSupport cech_values(const SimplicialComplexByDim& cx,
                                  const DelaunayGeometry<D>& geo) {
    CellValuesWithSupport out = vertex_and_edge_values(
        cx, [&](const std::uint32_t* edge) { return geo.squared_radius(edge, 2); });
    std::uint64_t ticks = 0;
    std::uint32_t support_vertices[4];
    for (int k = 2; k <= cx.dim; ++k) {
        const index_t off = cx.offset(k), foff = cx.offset(k - 1);
        for (index_t s = 0; s < cx.size(k); ++s) {
            poll_interrupt(++ticks);
            const std::uint32_t* v = cx.simplex(k, s);
            const index_t* f = cx.facets_of(k, s);
            index_t arg = foff + f[0];
            bool enclosed = false;
            for (int j = 0; j <= k; ++j) {
                const index_t g = foff + f[j];
                if (out.values[g] > out.values[arg]) arg = g;
                if (!enclosed) {
                    int n_support = cx.vertices_at(out.support[g], support_vertices);
                    enclosed = geo.side_of_smallest_sphere(support_vertices, n_support, v[j]) !=
                               CGAL::ON_UNBOUNDED_SIDE;
                }
            }
            const value_t own = enclosed ? 0 : geo.squared_radius(v, k + 1);
            if (!enclosed && own >= out.values[arg]) out.set(off + s, own, off + s);
            else out.set(off + s, out.values[arg], out.support[arg]);
        }
    }
    return out;
}

}  // namespace calydon

#endif  // CALYDON_HAVE_CGAL
