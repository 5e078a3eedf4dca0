// The dual pass of a 2-D box split in two halves by rows (split_dual_pass.hpp) against the whole
// pass: the same pairs in the same order, for every split row, either half first, on data with
// and without ties, smooth and rough, and through grid_persistence_pairs on 1 to 3 threads.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "calydon/grid/pairs.hpp"
#include "calydon/grid/split_dual_pass.hpp"

using namespace calydon;

namespace {

/// Noise, noise with ties (three values), or a smooth field (a few waves, few critical points
/// and long merges across the split).
std::vector<value_t> field(index_t rows, index_t cols, int kind, unsigned seed) {
    std::mt19937 gen(seed);
    std::uniform_real_distribution<value_t> uniform(-1.0, 1.0);
    const value_t fx = uniform(gen) * 0.9, fy = uniform(gen) * 0.7, phase = uniform(gen) * 3;
    std::vector<value_t> x(static_cast<std::size_t>(rows * cols));
    for (index_t i = 0; i < rows; ++i)
        for (index_t j = 0; j < cols; ++j) {
            value_t& v = x[static_cast<std::size_t>(i * cols + j)];
            if (kind == 0) v = uniform(gen);
            else if (kind == 1) v = static_cast<value_t>(gen() % 3);
            else v = std::sin(fx * i + phase) * std::cos(fy * j) + 0.05 * uniform(gen);
        }
    return x;
}

GridPairs whole_pass(const GridOrder& order, std::span<const value_t> x, bool keep_zero) {
    GridPairSink sink(order, x, 2, keep_zero);
    const CellFlags no_flags;
    grid_dual_pass(order, sink, no_flags);
    return sink.take();
}

GridPairs split_pass(const GridOrder& order, std::span<const value_t> x, bool keep_zero,
                     index_t split_row, bool lower_half_first) {
    GridPairSink sink(order, x, 2, keep_zero);
    detail::SplitDualPass pass(order, split_row);
    pass.run_half(lower_half_first ? 1 : 0, sink);
    pass.run_half(lower_half_first ? 0 : 1, sink);
    pass.finish(sink);
    return sink.take();
}

void expect_split_equals_whole(index_t rows, index_t cols, GridComplexKind kind, int data,
                               bool negate, unsigned seed) {
    const auto x = field(rows, cols, data, seed);
    const std::vector<index_t> shape{rows, cols};
    const GridLattice lat(shape, kind, false);
    const GridOrder order(lat, x, negate, false);
    ASSERT_TRUE(detail::SplitDualPass::applies(order));
    for (bool keep_zero : {false, true}) {
        const GridPairs want = whole_pass(order, x, keep_zero);
        for (index_t split_row : {index_t{0}, index_t{3}, rows / 4, rows / 2, rows - 3, rows}) {
            const GridPairs got = split_pass(order, x, keep_zero, split_row, split_row % 2 == 0);
            SCOPED_TRACE(testing::Message() << rows << "x" << cols << " data " << data << " negate "
                                            << negate << " keep_zero " << keep_zero << " split "
                                            << split_row << " seed " << seed);
            EXPECT_EQ(got.by_code.finite[1], want.by_code.finite[1]);
            EXPECT_EQ(got.by_data.finite[1], want.by_data.finite[1]);
            EXPECT_TRUE(got.by_code.finite[0].empty());
        }
    }
}

}  // namespace

TEST(SplitDualPass, SamePairsInTheSameOrderAsTheWholePass) {
    unsigned seed = 1;
    for (GridComplexKind kind : {GridComplexKind::freudenthal, GridComplexKind::cubical})
        for (int data : {0, 1, 2})
            for (bool negate : {false, true})
                for (auto [rows, cols] : {std::pair<index_t, index_t>{8, 2},
                                          {8, 9},
                                          {13, 7},
                                          {24, 31},
                                          {41, 17},
                                          {64, 64}})
                    expect_split_equals_whole(rows, cols, kind, data, negate, seed++);
}

TEST(SplitDualPass, AppliesOnlyToTallBoxesWithValuesOnVertices) {
    const std::vector<value_t> x(7 * 9, 0.0);
    const std::vector<index_t> short_box{7, 9}, tall{9, 7};
    const GridLattice low(short_box, GridComplexKind::freudenthal, false);
    EXPECT_FALSE(detail::SplitDualPass::applies(GridOrder(low, x, false, false)));
    const GridLattice high(tall, GridComplexKind::freudenthal, false);
    EXPECT_TRUE(detail::SplitDualPass::applies(GridOrder(high, x, false, false)));
    const GridLattice torus(tall, GridComplexKind::freudenthal, true);
    EXPECT_FALSE(detail::SplitDualPass::applies(GridOrder(torus, x, false, false)));
}

TEST(SplitDualPass, PersistencePairsDoNotDependOnTheThreadCount) {
    for (GridComplexKind kind : {GridComplexKind::freudenthal, GridComplexKind::cubical})
        for (int data : {0, 1, 2}) {
            const index_t rows = 57, cols = 38;
            const auto x = field(rows, cols, data, 7u + static_cast<unsigned>(data));
            const std::vector<index_t> shape{rows, cols};
            const GridSpec spec{kind, CubicalValues::vertices, false};
            const GridPairs one = grid_persistence_pairs(x, shape, spec, false, 2, 2, false, 1);
            for (int n_threads : {2, 3}) {
                const GridPairs many =
                    grid_persistence_pairs(x, shape, spec, false, 2, 2, false, n_threads);
                for (int k : {0, 1}) {
                    EXPECT_EQ(many.by_code.finite[k], one.by_code.finite[k]) << k;
                    EXPECT_EQ(many.by_data.finite[k], one.by_data.finite[k]) << k;
                    EXPECT_EQ(many.by_data.essential[k], one.by_data.essential[k]) << k;
                }
            }
        }
}
