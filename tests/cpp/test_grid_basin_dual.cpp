// The top dimension of a cubical box through ascent basins, with values on its top cells
// (basin_dual.hpp) or on its vertices (basin_dual_vertices.hpp), against the dual union-find
// streamed backwards over every top cell: the same pairs in the same order, in 2-D to 4-D
// (vertices: 2-D and 3-D), with size-1 axes, ties, plateaus, ramps and smooth fields, negated;
// and the stream on white noise, where the basins give up.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "basin_checks.hpp"
#include "calydon/grid/basin_dual.hpp"
#include "calydon/grid/basin_dual_vertices.hpp"
#include "calydon/grid/union_find_passes.hpp"
#include "grid_fields.hpp"

using namespace calydon;
using calydon::test::grid_field;
using namespace calydon::test;

namespace {

/// Runs the basins (and the stream after them when they give up) and the stream alone on the
/// data (on the top cubes, or on the vertices); returns whether the basins served.
bool expect_basins_match_stream(const std::vector<index_t>& data_shape, int data, bool negate,
                                unsigned seed, bool on_cells = true) {
    const auto x = grid_field(data_shape, data, seed);
    std::vector<index_t> vertex_shape = data_shape;
    if (on_cells)
        for (auto& s : vertex_shape) ++s;
    const GridLattice lat(vertex_shape, GridComplexKind::cubical, false);
    const GridOrder order(lat, x, negate, on_cells);
    const int d = lat.ndim();
    const CellFlags no_deaths;
    GridPairSink want_sink(order, x, d, false), got_sink(order, x, d, false);
    if (on_cells)
        EXPECT_EQ(detail::BasinDual::applies(order, got_sink), d >= 3);  // 2-D: run directly
    else EXPECT_EQ(detail::BasinDualVertices::applies(order, got_sink), d <= 3);
    detail::grid_dual_stream(order, want_sink, no_deaths);
    const bool by_basins = on_cells ? detail::BasinDual(order).run(got_sink)
                                    : detail::BasinDualVertices(order).run(got_sink);
    if (!by_basins) detail::grid_dual_stream(order, got_sink, no_deaths);
    const GridPairs want = want_sink.take(), got = got_sink.take();
    SCOPED_TRACE(testing::Message()
                 << "ndim " << d << " first axis " << data_shape[0] << " data " << data
                 << " negate " << negate << " seed " << seed << " on cells " << on_cells);
    expect_same_pairs(got, want, d - 1);
    return by_basins;
}

}  // namespace

TEST(BasinDual, SamePairsInTheSameOrderAsTheDualStream) {
    unsigned seed = 1;
    for (const auto& shape : basin_test_shapes())
        for (int data : {0, 1, 2, 3, 5, 6})
            for (bool negate : {false, true}) {
                expect_basins_match_stream(shape, data, negate, seed++);
                if (shape.size() <= 3)
                    expect_basins_match_stream(shape, data, negate, seed++, false);
            }
}

TEST(BasinDual, ManyBasinsAndTheStreamOnWhiteNoise) {
    unsigned seed = 100;
    for (bool negate : {false, true}) {
        EXPECT_TRUE(expect_basins_match_stream({440, 420}, 4, negate, seed++));
        EXPECT_TRUE(expect_basins_match_stream({40, 36, 30}, 2, negate, seed++));
        EXPECT_FALSE(expect_basins_match_stream({128, 128}, 0, negate, seed++));
        EXPECT_FALSE(expect_basins_match_stream({24, 24, 24}, 0, negate, seed++));
        // Values on vertices.
        EXPECT_TRUE(expect_basins_match_stream({440, 420}, 2, negate, seed++, false));
        EXPECT_TRUE(expect_basins_match_stream({40, 36, 30}, 2, negate, seed++, false));
        EXPECT_FALSE(expect_basins_match_stream({128, 128}, 0, negate, seed++, false));
        EXPECT_FALSE(expect_basins_match_stream({24, 24, 24}, 0, negate, seed++, false));
    }
}

TEST(BasinDual, LeavesTheCasesItCannotServeToTheStream) {
    const std::vector<index_t> shape{6, 5, 4}, vertex_shape{7, 6, 5};
    const auto x = grid_field(shape, 0, 7);
    const GridLattice box(vertex_shape, GridComplexKind::cubical, false);
    const GridLattice torus(shape, GridComplexKind::cubical, true);
    const GridLattice vertices(shape, GridComplexKind::cubical, false);
    const GridLattice freudenthal(shape, GridComplexKind::freudenthal, false);
    const GridOrder on_cells(box, x, false, true), on_torus(torus, x, false, true),
        on_vertices(vertices, x, false, false), kuhn(freudenthal, x, false, false);
    GridPairSink sink(on_cells, x, 2, false), keep_zero(on_cells, x, 2, true);
    GridPairSink torus_sink(on_torus, x, 2, false), vertex_sink(on_vertices, x, 2, false);
    EXPECT_TRUE(detail::BasinDual::applies(on_cells, sink));
    EXPECT_FALSE(detail::BasinDual::applies(on_cells, keep_zero));
    EXPECT_FALSE(detail::BasinDual::applies(on_torus, torus_sink));
    EXPECT_FALSE(detail::BasinDual::applies(on_vertices, vertex_sink));
    GridPairSink kuhn_sink(kuhn, x, 2, false);
    EXPECT_FALSE(detail::BasinDual::applies(kuhn, kuhn_sink));
    const std::vector<index_t> image{8, 7}, image_vertices{9, 8};
    const auto y = grid_field(image, 2, 9);
    const GridLattice image_box(image_vertices, GridComplexKind::cubical, false);
    const GridOrder image_cells(image_box, y, false, true);
    GridPairSink image_sink(image_cells, y, 2, false);
    EXPECT_FALSE(detail::BasinDual::applies(image_cells, image_sink));  // the stream is faster
    // Values on vertices: cubical boxes of 2 and 3 dimensions only.
    EXPECT_TRUE(detail::BasinDualVertices::applies(on_vertices, vertex_sink));
    EXPECT_FALSE(detail::BasinDualVertices::applies(on_cells, sink));
    EXPECT_FALSE(detail::BasinDualVertices::applies(kuhn, kuhn_sink));
    GridPairSink vertex_keep_zero(on_vertices, x, 2, true);
    EXPECT_FALSE(detail::BasinDualVertices::applies(on_vertices, vertex_keep_zero));
    const GridLattice vertex_torus(shape, GridComplexKind::cubical, true);
    const GridOrder on_vertex_torus(vertex_torus, x, false, false);
    GridPairSink vertex_torus_sink(on_vertex_torus, x, 2, false);
    EXPECT_FALSE(detail::BasinDualVertices::applies(on_vertex_torus, vertex_torus_sink));
}
