// The work gate of the parallel reduction: a block is reduced serially a probe at a time and
// goes to threads once its columns add enough entries; the lows are those of a naive reduction
// written here, and a switch inside a block keeps the canonical V of the serial reduction.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <vector>

#include "reduction_fixtures.hpp"

using namespace calydon;
using namespace reduction_fixtures;

namespace {

/// n_columns random columns of `height` entries each over n_rows rows: their lows collide all
/// the time, so reducing them adds long columns (the heavy case, where threads pay).
SparseColumns random_dense_columns(std::mt19937_64& rng, index_t n_columns, index_t n_rows,
                                   index_t height) {
    SparseColumns m;
    std::uniform_int_distribution<index_t> row(0, n_rows - 1);
    for (index_t j = 0; j < n_columns; ++j) {
        std::set<index_t> entries;
        while (static_cast<index_t>(entries.size()) < height) entries.insert(row(rng));
        const std::vector<index_t> col(entries.begin(), entries.end());
        m.push_column(col);
    }
    return m;
}

/// The lows of the serial left-to-right reduction without clearing, written here from the
/// definition (the oracle): each column absorbs the earlier column owning its low.
std::vector<index_t> naive_lows(const SparseColumns& m) {
    std::vector<std::vector<index_t>> r;
    std::map<index_t, index_t> owner;
    std::vector<index_t> lows;
    for (index_t j = 0; j < m.n_columns(); ++j) {
        auto c = m.column(j);
        std::set<index_t> col(c.begin(), c.end());
        while (!col.empty() && owner.count(*col.rbegin())) {
            for (index_t e : r[owner[*col.rbegin()]])
                if (!col.erase(e)) col.insert(e);
        }
        r.emplace_back(col.begin(), col.end());
        lows.push_back(col.empty() ? no_index : *col.rbegin());
        if (!col.empty()) owner[*col.rbegin()] = j;
    }
    return lows;
}

std::vector<index_t> lows_of(const ColumnReduction<>& red) {
    std::vector<index_t> lows;
    for (index_t j = 0; j < red.n_columns(); ++j) lows.push_back(red.low(j));
    return lows;
}

}  // namespace

// The block is reduced serially a probe at a time until its columns add enough entries, then on
// threads: heavy columns (long colliding columns) switch, columns that own their low at once
// (a diagonal: every pair apparent) never do; the lows are the naive reduction's either way.
TEST(ParallelReduction, WorkGateSendsHeavyBlocksToThreadsAndLightOnesNot) {
    std::mt19937_64 rng(5);
    const SparseColumns heavy = random_dense_columns(rng, 1200, 300, 16);
    const SparseColumns light = [] {
        SparseColumns m;
        for (index_t j = 0; j < 1200; ++j) {
            const index_t diagonal[1] = {j};
            m.push_column(diagonal);
        }
        return m;
    }();
    for (int n_threads : {1, 2, 3}) {
        for (const SparseColumns* m : {&heavy, &light}) {
            ReductionOptions opts{.clearing = false, .n_threads = n_threads};
            opts.min_parallel_columns = 256;
            opts.parallel_probe = 128;
            ColumnReduction<> red(*m, opts);
            const ColumnBlock block{0, m->n_columns()};
            red.reduce_blocks(std::span<const ColumnBlock>(&block, 1));
            EXPECT_EQ(lows_of(red), naive_lows(*m)) << n_threads;
            EXPECT_EQ(red.reduced_in_parallel(), n_threads > 1 && m == &heavy) << n_threads;
            // R = D V is not kept here, but R_j is: its low is the pivot, and an untouched
            // column reads back as its matrix column.
            for (index_t j = 0; j < m->n_columns(); ++j) {
                const auto r = red.r_column(j);
                EXPECT_EQ(r.empty() ? no_index : r.back(), red.low(j)) << j;
            }
        }
    }
}

// A block switched to threads in its middle keeps the pairs and, once restored, the canonical V
// of the serial reduction without clearing, with every R = D V (checked column by column).
TEST(ParallelReduction, SwitchInsideABlockKeepsPairsAndCanonicalV) {
    std::mt19937_64 rng(17);
    for (int trial = 0; trial < 4; ++trial) {
        Filtration fil = random_clique_filtration(rng, 40 + 8 * trial, 0.5, 3, 30);
        for (bool dualize : {false, true}) {
            const Reduced reference = reduce(fil, dualize, false, 1, false);
            const SparseColumns matrix = dualize ? anti_transpose(fil.boundary()) : fil.boundary();
            for (int n_threads : {2, 3}) {
                ReductionOptions opts{.keep_all_columns = true, .n_threads = n_threads};
                opts.min_parallel_columns = 1;
                opts.parallel_batch = 1;
                opts.min_parallel_work = 2;
                opts.parallel_probe = 16;
                ColumnReduction<> red(matrix, opts);
                auto blocks = clearing_block_order(dimension_offsets(fil), dualize, 0, 3);
                for (ColumnBlock& b : blocks) b.keep_v = true;
                red.reduce_blocks(blocks);
                EXPECT_TRUE(red.reduced_in_parallel()) << trial;
                for (const ColumnBlock& b : blocks) restore_canonical_v(red, b);
                std::vector<std::vector<index_t>> v;
                std::vector<index_t> scratch;
                for (index_t j = 0; j < matrix.n_columns(); ++j) {
                    v.push_back(red.v_column(j));
                    std::vector<index_t> dv;
                    for (index_t k : v.back()) add_column(dv, matrix.column(k), scratch);
                    const auto r = red.r_column(j);
                    EXPECT_EQ(dv, std::vector<index_t>(r.begin(), r.end())) << j;
                }
                EXPECT_EQ(lows_of(red), reference.lows) << trial << " " << dualize;
                EXPECT_EQ(v, reference.v) << trial << " " << dualize;
            }
        }
    }
}
