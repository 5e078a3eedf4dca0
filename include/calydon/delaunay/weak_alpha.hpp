// calydon/delaunay/weak_alpha.hpp: weak alpha values on a Delaunay complex.
//
// An edge takes its squared length |p - q|^2 (not divided by 4: the convention of the reference
// implementation); a triangle or tetrahedron takes the value of its longest edge, which is its
// support. Vertices take 0.
#pragma once

#include <cstdint>

#include "calydon/core/interrupt.hpp"
#include "calydon/delaunay/complex.hpp"

namespace calydon {

/// `squared_length(a, b)` gives |p_a - p_b|^2.
template <class SquaredLength>
CellValuesWithSupport weak_alpha_values(const SimplicialComplexByDim& cx,
                                        SquaredLength&& squared_length) {
    CellValuesWithSupport out = vertex_and_edge_values(
        cx, [&](const std::uint32_t* edge) { return squared_length(edge[0], edge[1]); });
    std::uint64_t ticks = 0;
    // Each facet already carries the longest edge below it, so a max over facets suffices.
    for (int k = 2; k <= cx.dim; ++k) {
        const index_t off = cx.offset(k), foff = cx.offset(k - 1);
        for (index_t s = 0; s < cx.size(k); ++s) {
            poll_interrupt(++ticks);
            const index_t* f = cx.facets_of(k, s);
            index_t arg = foff + f[0];
            for (int j = 1; j <= k; ++j)
                if (out.values[foff + f[j]] > out.values[arg]) arg = foff + f[j];
            out.set(off + s, out.values[arg], out.support[arg]);
        }
    }
    return out;
}

}  // namespace calydon
