// The parallel (lock-free) reduction: the same pairs as the serial reduction for every thread count,
// R = D V checked column by column, V bit-identical to the serial reduction without clearing once
// restored to the canonical form, and exceptions and cancellation from a worker reach the caller.
#include <gtest/gtest.h>

#include <stdexcept>

#include "reduction_fixtures.hpp"

using namespace calydon;
using namespace reduction_fixtures;

TEST(ParallelReduction, PairsAndCanonicalVMatchSerialForAnyThreadCount) {
    std::mt19937_64 rng(7);
    for (int trial = 0; trial < 12; ++trial) {
        const int n = 12 + trial * 3;
        Filtration fil = random_clique_filtration(rng, n, 0.45, 3, trial % 2 ? 4 : 1000);
        for (bool dualize : {false, true}) {
            const Reduced reference = reduce(fil, dualize, false, 1, false);
            for (bool clearing : {false, true})
                for (int n_threads : {1, 2, 3, 7}) {
                    SCOPED_TRACE(testing::Message()
                                 << "trial " << trial << " dualize " << dualize << " clearing "
                                 << clearing << " threads " << n_threads);
                    const Reduced got = reduce(fil, dualize, clearing, n_threads, true);
                    EXPECT_EQ(got.lows, reference.lows);
                    EXPECT_EQ(got.v, reference.v);
                }
        }
    }
}

TEST(ParallelReduction, PersistencePairsMatchSerialOnLargerComplexes) {
    std::mt19937_64 rng(11);
    for (int trial = 0; trial < 3; ++trial) {
        // Blocks of several thousand columns: over the default size for threads.
        Filtration fil = random_clique_filtration(rng, 110 + 10 * trial, 0.3, 3, 50);
        for (bool dualize : {false, true})
            for (bool fast : {false, true}) {
                PersistenceOptions opts{.dualize = dualize, .fast_paths = fast};
                const auto reference = pair_set(compute_persistence_pairs(fil, opts));
                for (int n_threads : {2, 3, 7}) {
                    opts.n_threads = n_threads;
                    EXPECT_EQ(pair_set(compute_persistence_pairs(fil, opts)), reference)
                        << "trial " << trial << " dualize " << dualize << " threads " << n_threads;
                }
            }
    }
}

namespace {

/// A column store that misbehaves when one armed column is read: it throws, or it cancels the
/// call's token. Only a worker of phase 1 reads that column (a pivot known before the block).
struct ArmedStore : VectorColumnStore {
    ArmedStore() = default;
    explicit ArmedStore(index_t n) : VectorColumnStore(n) {}
    std::span<const index_t> column(index_t j) const {
        if (j == armed) {
            if (cancel) cancel->cancel();
            else throw std::domain_error("store failure at the armed column");
        }
        return VectorColumnStore::column(j);
    }
    static inline index_t armed = no_index;
    static inline CancellationToken* cancel = nullptr;
};

/// Column 0 is empty, columns 1..n are all {0}: each reduces to zero by adding the column that
/// owns row 0, so every thread reads that column from the store.
SparseColumns all_on_row_zero(index_t n) {
    SparseColumns m;
    m.push_column({});
    const index_t row0[1] = {0};
    for (index_t j = 0; j < n; ++j) m.push_column(row0);
    return m;
}

void run_armed(int n_threads) {
    const index_t n = 20000;
    const SparseColumns m = all_on_row_zero(n);
    ColumnReduction<ArmedStore> red(m, ReductionOptions{true, false, n_threads, 1, 64, 0});
    // Row 0 is owned before the block by column 0; reading its R triggers the store.
    red.set_known_pivot(0, 0);
    red.set_r_column(0, {0});
    ArmedStore::armed = 0;
    const ColumnBlock block{1, n + 1};
    red.reduce_blocks(std::span<const ColumnBlock>(&block, 1));
}

}  // namespace

TEST(ParallelReduction, WorkerExceptionReachesTheCallerAsInASerialRun) {
    for (int n_threads : {1, 2, 3, 7}) {
        ArmedStore::cancel = nullptr;
        EXPECT_THROW(run_armed(n_threads), std::domain_error) << n_threads;
    }
    ArmedStore::armed = no_index;
}

TEST(ParallelReduction, CancellationReachesEveryWorker) {
    for (int n_threads : {1, 2, 3, 7}) {
        CancellationToken token;
        TokenScope scope(&token);
        ArmedStore::cancel = &token;
        EXPECT_THROW(run_armed(n_threads), interrupted) << n_threads;
        EXPECT_TRUE(token.cancelled());
    }
    ArmedStore::cancel = nullptr;
    ArmedStore::armed = no_index;
}
#ifdef CALYDON_HAVE_CGAL
#include "calydon/delaunay/filtration.hpp"

// The Delaunay builder's parallel parts (faces, alpha values, the sort) give the same filtration
// and supports for every thread count, and its pairs are those of the serial reduction.
TEST(ParallelBuilders, DelaunayFiltrationDoesNotDependOnThreads) {
    std::mt19937_64 rng(3);
    std::uniform_real_distribution<double> unit(0, 1);
    for (int d : {2, 3})
        for (auto rule : {DelaunayValueRule::alpha, DelaunayValueRule::cech}) {
            std::vector<double> coords(static_cast<std::size_t>(d) * 6000);
            for (double& x : coords) x = unit(rng);
            const auto ref = delaunay_filtration(coords, d, rule, true, 1);
            const auto ref_pairs = pair_set(compute_persistence_pairs(ref.filtration, {}));
            for (int n_threads : {2, 3, 7}) {
                const auto got = delaunay_filtration(coords, d, rule, true, n_threads);
                EXPECT_EQ(got.filtration.values(), ref.filtration.values());
                EXPECT_EQ(got.filtration.sorted_to_input(), ref.filtration.sorted_to_input());
                EXPECT_EQ(got.supports.value_source, ref.supports.value_source);
                EXPECT_EQ(got.supports.rows, ref.supports.rows);
                EXPECT_EQ(got.simplices, ref.simplices);
                // Supports deferred by the build and indexed later are the same.
                const auto deferred = delaunay_filtration(coords, d, rule, false, n_threads, true);
                ASSERT_TRUE(deferred.support_plan);
                EXPECT_TRUE(deferred.supports.value_source.empty());
                const DelaunaySupports late =
                    index_supports(*deferred.support_plan, deferred.filtration, n_threads);
                EXPECT_EQ(late.value_source, ref.supports.value_source);
                EXPECT_EQ(late.rows, ref.supports.rows);
                // A plan asked for another filtration (another rule, same cells) refuses.
                const auto other = delaunay_filtration(coords, d, DelaunayValueRule::weak_alpha);
                EXPECT_THROW(index_supports(*deferred.support_plan, other.filtration, 1),
                             std::invalid_argument);
                PersistenceOptions opts;
                opts.n_threads = n_threads;
                EXPECT_EQ(pair_set(compute_persistence_pairs(got.filtration, opts)), ref_pairs);
            }
        }
}
#endif
