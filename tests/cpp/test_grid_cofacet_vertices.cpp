// The vertices a cofacet adds to a cell (GridLattice::for_each_cofacet_with_new_vertices, read by
// the grid cohomology reduction) against the vertex lists of the two cells, and the cofacets it
// visits against for_each_cofacet: every cell of 1-D to 4-D boxes, cubical and Freudenthal, with
// size-1 and size-2 axes.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "calydon/grid/lattice.hpp"

using namespace calydon;

namespace {

std::vector<index_t> sorted_vertices(const GridLattice& lat, index_t code, int k) {
    std::vector<index_t> out;
    lat.for_each_vertex(code, k, [&](index_t v) { out.push_back(v); });
    std::sort(out.begin(), out.end());
    return out;
}

void expect_new_vertices_match(const std::vector<index_t>& shape, GridComplexKind kind) {
    const GridLattice lat(shape, kind, false);
    const int d = lat.ndim();
    for (int k = 0; k < d; ++k)
        for (index_t a = 0; a < lat.n_vertices(); ++a)
            for (int p = 0; p < lat.n_patterns(k); ++p) {
                if (!lat.has_cell(a, k, p)) continue;
                const index_t cell = lat.code(a, k, p);
                const std::vector<index_t> own = sorted_vertices(lat, cell, k);
                std::vector<index_t> want, got;
                lat.for_each_cofacet(cell, k, [&](index_t c) { want.push_back(c); });
                lat.for_each_cofacet_with_new_vertices(
                    cell, k, [&](index_t c, const index_t* added, int n_added) {
                        got.push_back(c);
                        std::vector<index_t> all = own;
                        for (int j = 0; j < n_added; ++j) all.push_back(a + added[j]);
                        std::sort(all.begin(), all.end());
                        EXPECT_EQ(all, sorted_vertices(lat, c, k + 1))
                            << "dim " << k << " cell " << cell << " cofacet " << c;
                    });
                EXPECT_EQ(got, want) << "dim " << k << " cell " << cell;
            }
}

}  // namespace

TEST(GridCofacetVertices, AddedVerticesCompleteEachCofacet) {
    for (GridComplexKind kind : {GridComplexKind::cubical, GridComplexKind::freudenthal}) {
        expect_new_vertices_match({5}, kind);
        expect_new_vertices_match({4, 3}, kind);
        expect_new_vertices_match({1, 4}, kind);
        expect_new_vertices_match({3, 2, 4}, kind);
        expect_new_vertices_match({2, 1, 3}, kind);
        expect_new_vertices_match({2, 3, 2, 2}, kind);
    }
}
