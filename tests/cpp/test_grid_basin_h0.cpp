// H0 of a vertex-valued box through descent basins (basin_h0.hpp) against the union-find over
// vertices that streams the stars in rank order: the same pairs in the same order, the same
// essential class and the same negative edges, in 2-D to 4-D, cubical and Freudenthal, with
// size-1 axes, ties, plateaus and smooth fields, and negated.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "basin_checks.hpp"
#include "calydon/grid/basin_h0.hpp"
#include "calydon/grid/union_find_passes.hpp"
#include "grid_fields.hpp"

using namespace calydon;
using calydon::test::grid_field;
using namespace calydon::test;

namespace {

struct H0Result {
    GridPairs pairs;
    CellFlags negative;
    bool by_basins = true;  // false: the basins gave up (a rough field) and the stream ran
};

template <class Pass>
H0Result run_h0(const GridOrder& order, std::span<const value_t> x, Pass&& pass) {
    H0Result out;
    GridPairSink sink(order, x, 1, false);
    out.negative.resize(order.lattice().n_codes(1));
    pass(sink, out.negative);
    out.pairs = sink.take();
    return out;
}

H0Result expect_basins_match_stream(const std::vector<index_t>& shape, GridComplexKind kind,
                                    int data, bool negate, unsigned seed) {
    const auto x = grid_field(shape, data, seed);
    const GridLattice lat(shape, kind, false);
    const GridOrder order(lat, x, negate, false);
    GridPairSink probe(order, x, 1, false);
    EXPECT_TRUE(detail::BasinH0::applies(order, probe, false));
    const H0Result want = run_h0(order, x, [&](GridPairSink& sink, CellFlags& flags) {
        detail::grid_h0_stream(order, sink, flags, false);
    });
    bool by_basins = true;
    H0Result got = run_h0(order, x, [&](GridPairSink& sink, CellFlags& flags) {
        // As grid_h0_pass: the stream after the basins gave up, on the flags they left.
        by_basins = detail::BasinH0(order).run(sink, flags);
        if (!by_basins) detail::grid_h0_stream(order, sink, flags, false);
    });
    got.by_basins = by_basins;
    SCOPED_TRACE(testing::Message() << "ndim " << shape.size() << " first axis " << shape[0]
                                    << " kind " << static_cast<int>(kind) << " data " << data
                                    << " negate " << negate << " seed " << seed);
    expect_same_pairs(got.pairs, want.pairs, 0);
    expect_same_flags(got.negative, want.negative);
    return got;
}

}  // namespace

TEST(BasinH0, SamePairsFlagsAndOrderAsTheVertexStream) {
    unsigned seed = 1;
    for (const auto& shape : basin_test_shapes())
        for (GridComplexKind kind : {GridComplexKind::cubical, GridComplexKind::freudenthal})
            for (int data : {0, 1, 2, 3, 5, 6})
                for (bool negate : {false, true})
                    expect_basins_match_stream(shape, kind, data, negate, seed++);
}

TEST(BasinH0, ManyBasinsAndASaddleTableThatGrows) {
    // Waves of period about 8: over a thousand basins, and more pairs of adjacent basins than
    // the table's first 4096 slots hold at half load, yet smooth enough for the basins.
    unsigned seed = 100;
    for (GridComplexKind kind : {GridComplexKind::cubical, GridComplexKind::freudenthal})
        for (bool negate : {false, true}) {
            const H0Result r = expect_basins_match_stream({440, 420}, kind, 4, negate, seed++);
            EXPECT_TRUE(r.by_basins);
            EXPECT_GT(r.pairs.by_code.finite[0].size(), 2048u);
        }
}

TEST(BasinH0, GivesUpOnWhiteNoiseAndTheStreamFinishes) {
    // Nearly every vertex of white noise starts a pair of basins: past 1/64 of the grid (at
    // least 8192 vertices) the basins give up, report nothing, and the stream takes over.
    unsigned seed = 200;
    for (GridComplexKind kind : {GridComplexKind::cubical, GridComplexKind::freudenthal}) {
        EXPECT_FALSE(expect_basins_match_stream({128, 128}, kind, 0, false, seed++).by_basins);
        EXPECT_FALSE(expect_basins_match_stream({24, 24, 24}, kind, 0, true, seed++).by_basins);
        // Smooth fields of the same sizes stay with the basins.
        EXPECT_TRUE(expect_basins_match_stream({128, 128}, kind, 2, false, seed++).by_basins);
        EXPECT_TRUE(expect_basins_match_stream({24, 24, 24}, kind, 2, true, seed++).by_basins);
    }
    const std::vector<index_t> shape{128, 128};
    const auto x = grid_field(shape, 0, 7);
    const GridLattice lat(shape, GridComplexKind::cubical, false);
    const GridOrder order(lat, x, false, false);
    GridPairSink sink(order, x, 1, false);
    CellFlags flags;
    flags.resize(lat.n_codes(1));
    ASSERT_FALSE(detail::BasinH0(order).run(sink, flags));
    const GridPairs nothing = sink.take();
    EXPECT_TRUE(nothing.by_code.finite[0].empty());
    EXPECT_TRUE(nothing.by_code.essential[0].empty());
}

TEST(BasinH0, LeavesTheCasesItCannotServeToTheStream) {
    const std::vector<index_t> shape{6, 5};
    const auto x = grid_field(shape, 0, 7);
    const GridLattice box(shape, GridComplexKind::cubical, false);
    const GridLattice torus(shape, GridComplexKind::cubical, true);
    const GridOrder on_vertices(box, x, false, false), on_torus(torus, x, false, false);
    const std::vector<index_t> line_shape{30};
    const auto line = grid_field(line_shape, 0, 8);
    const GridLattice line_lattice(line_shape, GridComplexKind::cubical, false);
    const GridOrder signal(line_lattice, line, false, false);
    GridPairSink sink(on_vertices, x, 1, false), keep_zero(on_vertices, x, 1, true);
    EXPECT_TRUE(detail::BasinH0::applies(on_vertices, sink, false));
    EXPECT_FALSE(detail::BasinH0::applies(on_vertices, sink, true));  // edges closing cycles
    EXPECT_FALSE(detail::BasinH0::applies(on_vertices, keep_zero, false));
    GridPairSink torus_sink(on_torus, x, 1, false), signal_sink(signal, line, 1, false);
    EXPECT_FALSE(detail::BasinH0::applies(on_torus, torus_sink, false));
    EXPECT_FALSE(detail::BasinH0::applies(signal, signal_sink, false));
    const std::vector<index_t> cells_vertex_shape{7, 6};
    const GridLattice cells_box(cells_vertex_shape, GridComplexKind::cubical, false);
    const GridOrder on_cells(cells_box, x, false, true);
    GridPairSink cells_sink(on_cells, x, 1, false);
    EXPECT_FALSE(detail::BasinH0::applies(on_cells, cells_sink, false));
}
