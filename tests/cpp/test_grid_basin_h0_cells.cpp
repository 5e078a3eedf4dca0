// H0 of a cubical box with values on its top cells through descent basins
// (basin_h0_cells.hpp) against the union-find over vertices streamed in rank order: the same
// pairs in the same order, the same essential class and the same negative edges, in 2-D to
// 4-D (it serves 2-D and 3-D), with size-1 axes, ties, plateaus, ramps and smooth fields,
// negated; and the stream on white noise, where the basins give up.
#include <gtest/gtest.h>

#include <vector>

#include "basin_checks.hpp"
#include "calydon/grid/basin_h0_cells.hpp"
#include "calydon/grid/union_find_passes.hpp"
#include "grid_fields.hpp"

using namespace calydon;
using calydon::test::grid_field;
using namespace calydon::test;

namespace {

/// Runs the basins (and the stream after them when they give up) and the stream alone on the
/// data (values on the top cubes); returns whether the basins served.
bool expect_basins_match_stream(const std::vector<index_t>& data_shape, int data, bool negate,
                                unsigned seed) {
    const auto x = grid_field(data_shape, data, seed);
    std::vector<index_t> vertex_shape = data_shape;
    for (auto& s : vertex_shape) ++s;
    const GridLattice lat(vertex_shape, GridComplexKind::cubical, false);
    const GridOrder order(lat, x, negate, true);
    GridPairSink want_sink(order, x, 1, false), got_sink(order, x, 1, false);
    CellFlags want_flags, got_flags;
    want_flags.resize(lat.n_codes(1));
    got_flags.resize(lat.n_codes(1));
    EXPECT_EQ(detail::BasinH0Cells::applies(order, got_sink, false), lat.ndim() <= 3);
    detail::grid_h0_stream(order, want_sink, want_flags, false);
    const bool by_basins = detail::BasinH0Cells(order).run(got_sink, got_flags);
    if (!by_basins) detail::grid_h0_stream(order, got_sink, got_flags, false);
    const GridPairs want = want_sink.take(), got = got_sink.take();
    SCOPED_TRACE(testing::Message()
                 << "ndim " << lat.ndim() << " first axis " << data_shape[0] << " data " << data
                 << " negate " << negate << " seed " << seed);
    expect_same_pairs(got, want, 0);
    expect_same_flags(got_flags, want_flags);
    return by_basins;
}

}  // namespace

TEST(BasinH0Cells, SamePairsFlagsAndOrderAsTheVertexStream) {
    // 4-D: one shape (its settlement table takes 65 ms).
    auto shapes = basin_test_shapes(false);
    shapes.push_back({3, 1, 4, 5});
    unsigned seed = 1;
    for (const auto& shape : shapes)
        for (int data : {0, 1, 2, 3, 5, 6})
            for (bool negate : {false, true})
                expect_basins_match_stream(shape, data, negate, seed++);
}

TEST(BasinH0Cells, ManyBasinsAndTheStreamOnWhiteNoise) {
    unsigned seed = 100;
    for (bool negate : {false, true}) {
        EXPECT_TRUE(expect_basins_match_stream({40, 36, 30}, 2, negate, seed++));
        EXPECT_TRUE(expect_basins_match_stream({30, 28, 26}, 4, negate, seed++));
        EXPECT_FALSE(expect_basins_match_stream({24, 24, 24}, 0, negate, seed++));
        EXPECT_TRUE(expect_basins_match_stream({300, 280}, 4, negate, seed++));
        EXPECT_FALSE(expect_basins_match_stream({128, 128}, 0, negate, seed++));
    }
}

TEST(BasinH0Cells, LeavesTheCasesItCannotServeToTheStream) {
    const std::vector<index_t> shape{6, 5, 4}, vertex_shape{7, 6, 5};
    const auto x = grid_field(shape, 0, 7);
    const GridLattice box(vertex_shape, GridComplexKind::cubical, false);
    const GridLattice torus(shape, GridComplexKind::cubical, true);
    const GridLattice vertices(shape, GridComplexKind::cubical, false);
    const GridOrder on_cells(box, x, false, true), on_torus(torus, x, false, true),
        on_vertices(vertices, x, false, false);
    GridPairSink sink(on_cells, x, 1, false), keep_zero(on_cells, x, 1, true);
    GridPairSink torus_sink(on_torus, x, 1, false), vertex_sink(on_vertices, x, 1, false);
    EXPECT_TRUE(detail::BasinH0Cells::applies(on_cells, sink, false));
    EXPECT_FALSE(detail::BasinH0Cells::applies(on_cells, sink, true));
    EXPECT_FALSE(detail::BasinH0Cells::applies(on_cells, keep_zero, false));
    EXPECT_FALSE(detail::BasinH0Cells::applies(on_torus, torus_sink, false));
    EXPECT_FALSE(detail::BasinH0Cells::applies(on_vertices, vertex_sink, false));
}
