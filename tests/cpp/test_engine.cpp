// The engine's seams: R = D V with V kept per dimension, the clearing order from dimension
// offsets, the column store concept, and per-call cancellation.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <random>
#include <set>
#include <string>
#include <thread>

#include "calydon/core/thread_pool.hpp"
#include "calydon/filtration/simplicial.hpp"
#include "calydon/persistence/pairs.hpp"

using namespace calydon;

namespace {

/// The full simplex on n vertices up to dimension top, with random lower-star values (ties).
Filtration random_clique_complex(int n, int top, unsigned seed) {
    std::mt19937 rng(seed);
    std::vector<value_t> vertex(n);
    for (auto& x : vertex) x = static_cast<value_t>(rng() % 5);
    std::vector<std::vector<index_t>> simplices;
    std::vector<value_t> values;
    for (int mask = 1; mask < (1 << n); ++mask) {
        std::vector<index_t> s;
        value_t v = 0;
        for (int b = 0; b < n; ++b)
            if (mask & (1 << b)) {
                s.push_back(b);
                v = std::max(v, vertex[b]);
            }
        if (static_cast<int>(s.size()) > top + 1) continue;
        simplices.push_back(s);
        values.push_back(v);
    }
    return simplicial_filtration(simplices, values, false);
}

/// (D V)_j over Z/2 as a sorted row list.
std::vector<index_t> d_times_v(const SparseColumns& d, const std::vector<index_t>& v) {
    std::vector<index_t> out, scratch;
    for (index_t c : v) add_column(out, d.column(c), scratch);
    return out;
}

}  // namespace

TEST(Engine, ReducedMatrixEqualsBoundaryTimesV) {
    for (unsigned seed = 0; seed < 5; ++seed) {
        Filtration f = random_clique_complex(6, 3, seed);
        for (bool dualize : {false, true})
            for (bool clearing : {false, true}) {
                Decomposition d(f, {.dualize = dualize,
                                    .clearing = clearing,
                                    .v_dims = PersistenceOptions::all_dims});
                std::set<index_t> lows;
                for (index_t j = 0; j < d.size(); ++j) {
                    auto r = d.reduction().r_column(j);
                    EXPECT_EQ(std::vector<index_t>(r.begin(), r.end()),
                              d_times_v(d.d_matrix(), d.reduction().v_column(j)));
                    if (!r.empty()) {
                        EXPECT_TRUE(lows.insert(r.back()).second) << "two columns share a low";
                    }
                }
            }
    }
}

TEST(Engine, VIsKeptOnlyForTheRequestedDimensions) {
    Filtration f = random_clique_complex(6, 3, 11);
    Decomposition d(f, {.v_dims = std::uint64_t{1} << 2});
    for (index_t j = 0; j < d.size(); ++j) EXPECT_EQ(d.reduction().has_v(j), f.dim(j) == 2) << j;
    // The pairs do not depend on which V is kept.
    Decomposition all(f, {.v_dims = PersistenceOptions::all_dims});
    for (index_t j = 0; j < d.size(); ++j) EXPECT_EQ(d.reduction().low(j), all.reduction().low(j));
}

TEST(Engine, ClearingOrderFromDimensionOffsets) {
    const std::vector<index_t> offsets{0, 4, 10, 14,
                                       15};  // 4 vertices, 6 edges, 4 triangles, 1 tet
    auto homology = clearing_block_order(offsets, false, 0, 3);
    ASSERT_EQ(homology.size(), 3u);
    EXPECT_EQ(homology[0].begin, 14);  // top dimension first
    EXPECT_EQ(homology[2].end, 10);
    auto cohomology = clearing_block_order(offsets, true, 0, 3);
    ASSERT_EQ(cohomology.size(), 3u);
    EXPECT_EQ(cohomology[0].begin, 15 - 4);  // vertices first, anti-transposed
    EXPECT_EQ(cohomology[0].end, 15);
    EXPECT_TRUE(clearing_block_order(std::vector<index_t>{0, 0}, false, 0, -1).empty());
}

TEST(Engine, VectorColumnStoreHoldsReplacedColumns) {
    VectorColumnStore store(4);
    EXPECT_FALSE(store.contains(2));
    EXPECT_TRUE(store.column(2).empty());
    store.assign(2, {1, 3});
    store.assign(2, {0});
    ASSERT_TRUE(store.contains(2));
    EXPECT_EQ(std::vector<index_t>(store.column(2).begin(), store.column(2).end()),
              std::vector<index_t>{0});
}

TEST(Engine, CancelledTokenStopsAReduction) {
    Filtration f = random_clique_complex(12, 4, 3);
    CancellationToken token;
    token.cancel();
    EXPECT_THROW(Decomposition(f, {.cancel = &token}), interrupted);
    EXPECT_THROW(compute_persistence_pairs(f, {.fast_paths = false, .cancel = &token}),
                 interrupted);
    CancellationToken fresh;  // another call's token is not affected
    EXPECT_NO_THROW(compute_persistence_pairs(f, {.cancel = &fresh}));
}

TEST(Engine, ProcessWideInterruptReachesEveryRunningToken) {
    CancellationToken a, b;
    request_interrupt_all();
    EXPECT_TRUE(a.cancelled());
    EXPECT_TRUE(b.cancelled());
    CancellationToken later;  // created after the request: unaffected
    EXPECT_FALSE(later.cancelled());
    std::thread worker([&] {
        TokenScope scope(&a);
        EXPECT_THROW(check_interrupt(), interrupted);
    });
    worker.join();
    EXPECT_NO_THROW(check_interrupt());  // this thread has no current token
}

TEST(Engine, ThreadPoolRunsEveryItemAndRaisesTheFirstError) {
    std::vector<int> hits(1000, 0);
    parallel_for(1000, 4, [&](index_t i) { hits[i] += 1; });
    EXPECT_EQ(std::count(hits.begin(), hits.end(), 1), 1000);
    // Several items fail: the caller sees the failure of the smallest index, as a serial run would.
    try {
        parallel_for(200, 3, [&](index_t i) {
            if (i % 50 == 7) throw std::invalid_argument("item " + std::to_string(i));
        });
        FAIL() << "no exception";
    } catch (const std::invalid_argument& e) {
        EXPECT_STREQ(e.what(), "item 7");
    }
    // Nested loops do not deadlock, even with more helpers wanted than workers free.
    std::atomic<int> total{0};
    parallel_for(8, 4, [&](index_t) { parallel_for(8, 4, [&](index_t) { total.fetch_add(1); }); });
    EXPECT_EQ(total.load(), 64);
}

TEST(Engine, ThreadPoolHandsOffWhetherItsWorkersSpinOrSleep) {
    // Back to back, the workers are still spinning when the next loop comes; after a pause
    // longer than their spin, they sleep and must be woken. Neither path may lose a loop.
    std::atomic<long> total{0};
    for (int round = 0; round < 3; ++round) {
        for (int loop = 0; loop < 2000; ++loop)
            parallel_for(4, 3, [&](index_t i) { total.fetch_add(i + 1); });
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    EXPECT_EQ(total.load(), 3L * 2000 * (1 + 2 + 3 + 4));
}

TEST(Engine, WorkersRunWithTheCallersToken) {
    CancellationToken token;
    token.cancel();
    TokenScope scope(&token);
    EXPECT_THROW(parallel_for(64, 4, [&](index_t) { check_interrupt(); }), interrupted);
}
