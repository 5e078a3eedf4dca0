// tests/cpp/test_rips_threads.cpp: the implicit Rips cohomology on several threads gives the
// serial pairs, pair for pair and in the same order, and the explicit reduction's diagrams;
// cancellation and exceptions reach the caller from the workers.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <initializer_list>
#include <numbers>
#include <random>
#include <stdexcept>
#include <thread>

#include "calydon/persistence/pairs.hpp"
#include "calydon/rips/cohomology.hpp"
#include "calydon/rips/explicit_filtration.hpp"
#include "rips_fixtures.hpp"

using namespace calydon;
using calydon::testing::explicit_diagrams;
using calydon::testing::Multiset;
using calydon::testing::random_points;

namespace {

using Flat = std::vector<std::tuple<value_t, index_t, value_t, index_t>>;

template <class Distances>
std::vector<Flat> implicit_pairs(const Distances& dist, dim_t max_dim, value_t threshold,
                                 int n_threads, std::size_t* recomputed = nullptr,
                                 std::size_t* redone = nullptr) {
    RipsCohomology<Distances> reducer(dist, max_dim, threshold, false, n_threads);
    if (recomputed) reducer.set_kept_coboundary_limit(0);
    if (redone) reducer.set_redo_every_chained_column(true);
    std::vector<Flat> out;
    for (const auto& dim_pairs : reducer.compute()) {
        out.emplace_back();
        for (const RipsPair& p : dim_pairs)
            out.back().emplace_back(p.birth.diameter, p.birth.index, p.death.diameter,
                                    p.death.index);
    }
    if (recomputed) *recomputed += reducer.recomputed_columns();
    if (redone) *redone += reducer.redone_columns();
    return out;
}

/// n random points in R^4 (integer ones when grid > 0) at their enclosing radius, H0-H2: the
/// pairs at each thread count equal the serial ones. The knobs are those of implicit_pairs.
void expect_serial_pairs_in_4d(index_t n, unsigned seed, int grid,
                               std::initializer_list<int> thread_counts, std::size_t* recomputed,
                               std::size_t* redone) {
    auto x = random_points(n, 4, seed, grid);
    PointCloud pts{x.data(), n, 4};
    DenseDistances dense(pts);
    const value_t radius = enclosing_radius(n, [&](index_t u, index_t v) { return dense(u, v); });
    const auto serial = implicit_pairs(dense, 3, radius, 1);
    for (int threads : thread_counts)
        EXPECT_EQ(implicit_pairs(dense, 3, radius, threads, recomputed, redone), serial)
            << "seed " << seed << " threads " << threads;
}

std::vector<Multiset> as_diagrams(const std::vector<Flat>& pairs) {
    std::vector<Multiset> out;
    for (const Flat& dim_pairs : pairs) {
        out.emplace_back();
        for (auto [b, bi, d, di] : dim_pairs)
            out.back().push_back({b, di == no_index ? value_inf : d});
        std::sort(out.back().begin(), out.back().end());
    }
    return out;
}

}  // namespace

// Clouds large enough for many assembly chunks (64 faces) and reduction blocks (64 columns).
TEST(RipsThreads, PairsEqualSerialForAnyThreadCount) {
    for (unsigned seed = 0; seed < 6; ++seed) {
        const index_t n = 60 + 15 * seed;
        const int grid = seed % 2 ? 4 : 0;  // odd seeds: integer points, many equal lengths
        auto x = random_points(n, 3, 100 + seed, grid);
        PointCloud pts{x.data(), n, 3};
        DenseDistances dense(pts);
        const value_t radius =
            enclosing_radius(n, [&](index_t u, index_t v) { return dense(u, v); });
        for (value_t threshold : {radius, 0.5 * radius}) {
            SparseDistances sparse(n, threshold, [&](index_t u, index_t v) { return dense(u, v); });
            for (dim_t max_dim : {1, 2, 3}) {
                const auto serial = implicit_pairs(dense, max_dim, threshold, 1);
                for (int threads : {2, 3, 7}) {
                    EXPECT_EQ(implicit_pairs(dense, max_dim, threshold, threads), serial)
                        << "seed " << seed << " max_dim " << max_dim << " threads " << threads;
                    EXPECT_EQ(implicit_pairs(sparse, max_dim, threshold, threads), serial)
                        << "sparse, seed " << seed << " max_dim " << max_dim;
                }
            }
        }
    }
}

// A column reduced ahead whose pivot an earlier column takes meanwhile resumes. With no
// coboundary kept, every such column is rebuilt from its V column instead: the pairs stay serial.
TEST(RipsThreads, ColumnsResumedFromTheirVColumnGiveTheSerialPairs) {
    std::size_t recomputed = 0;
    for (unsigned seed = 0; seed < 6; ++seed)
        expect_serial_pairs_in_4d(80 + 20 * seed, 300 + seed, seed % 2 ? 4 : 0, {2, 3, 7},
                                  &recomputed, nullptr);
    EXPECT_GT(recomputed, 0u);  // the path under test did run
}

// A thread's later columns add its earlier ones before those are final. When one of those is
// resumed at its finishing step (an earlier column on another thread took its pivot), the later
// columns that added it are reduced again from the start. That is rare, so the test redoes every
// column that added one: the pairs stay serial.
TEST(RipsThreads, ColumnsThatAddedAChangedColumnOfTheirThreadGiveTheSerialPairs) {
    std::size_t redone = 0;
    for (unsigned seed = 0; seed < 8; ++seed)
        expect_serial_pairs_in_4d(90 + 10 * seed, 500 + seed, seed % 2 ? 3 : 0, {2, 3, 5, 8},
                                  nullptr, &redone);
    EXPECT_GT(redone, 0u);  // the path under test did run
}

// Noisy circles below the threshold that would fill them: each circle's H1 column reduces to
// zero (an essential class) after many additions, the long columns that threads reduce side by
// side while the columns between them are not final yet.
TEST(RipsThreads, PairsEqualSerialWithLongColumnsThatReduceToZero) {
    std::mt19937 gen(77);
    std::normal_distribution<value_t> noise(0.0, 0.04);
    const index_t per_circle = 90;
    std::vector<value_t> x;
    for (int circle = 0; circle < 3; ++circle)
        for (index_t i = 0; i < per_circle; ++i) {
            const value_t angle = 2 * std::numbers::pi * static_cast<value_t>(i) / per_circle;
            x.insert(x.end(), {std::cos(angle) + noise(gen) + 4.0 * circle,
                               std::sin(angle) + noise(gen), noise(gen)});
        }
    const index_t n = 3 * per_circle;
    PointCloud pts{x.data(), n, 3};
    DenseDistances dense(pts);
    SparseDistances sparse(n, 1.2, [&](index_t u, index_t v) { return dense(u, v); });
    const auto serial = implicit_pairs(sparse, 3, 1.2, 1);
    std::size_t essential_h1 = 0;
    for (auto [b, bi, d, di] : serial[1]) essential_h1 += di == no_index ? 1 : 0;
    EXPECT_EQ(essential_h1, 3u);  // one class per circle: the inputs are what the test needs
    for (int threads : {2, 3, 8})
        for (int round = 0; round < 3; ++round)
            EXPECT_EQ(implicit_pairs(sparse, 3, 1.2, threads), serial) << threads;
}

TEST(RipsThreads, DiagramsEqualTheExplicitReduction) {
    for (unsigned seed = 0; seed < 4; ++seed) {
        const index_t n = 24 + 4 * seed;
        auto x = random_points(n, 3, 200 + seed, seed % 2 ? 3 : 0);
        PointCloud pts{x.data(), n, 3};
        DenseDistances dense(pts);
        for (value_t threshold : {0.4, 0.8, value_inf}) {
            if (seed % 2) threshold *= 3;  // integer points: lengths up to about 3.5
            SparseDistances sparse(n, threshold, [&](index_t u, index_t v) { return dense(u, v); });
            for (dim_t max_dim : {2, 3, 4}) {
                const auto expected = explicit_diagrams(sparse, max_dim);
                EXPECT_EQ(as_diagrams(implicit_pairs(dense, max_dim, threshold, 3)), expected)
                    << "seed " << seed << " threshold " << threshold << " max_dim " << max_dim;
            }
        }
    }
}

TEST(RipsThreads, PreCancelledTokenStopsEveryThreadCount) {
    const auto pts = random_points(200, 3, 9);
    const DenseDistances dist(PointCloud{pts.data(), 200, 3});
    CancellationToken token;
    token.cancel();
    TokenScope scope(&token);
    for (int threads : {1, 2, 4}) {
        RipsCohomology<DenseDistances> reducer(dist, 3, value_inf, false, threads);
        EXPECT_THROW(reducer.compute(), interrupted) << threads;
    }
}

// Cancelled while the workers run: the pool installs the caller's token on them, so the call
// ends with `interrupted` long before the seconds the whole computation would take.
TEST(RipsThreads, CancellationDuringTheComputationReachesTheWorkers) {
    const auto pts = random_points(700, 3, 4);
    const DenseDistances dist(PointCloud{pts.data(), 700, 3});
    CancellationToken token;
    TokenScope scope(&token);
    std::thread canceller([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        token.cancel();
    });
    RipsCohomology<DenseDistances> reducer(dist, 4, value_inf, false, 3);
    EXPECT_THROW(reducer.compute(), interrupted);
    canceller.join();
}

TEST(RipsThreads, AnItemExceptionReachesTheCaller) {
    struct Counter {
        int items = 0;
    };
    std::vector<Counter> workers(3);
    try {
        for_each_item(200, workers, [](Counter& c, index_t i) {
            ++c.items;
            if (i == 37) throw std::range_error("item 37");
        });
        FAIL() << "no exception";
    } catch (const std::range_error& e) {
        EXPECT_STREQ(e.what(), "item 37");
    }
    std::vector<Counter> one(1);
    for_each_item(50, one, [](Counter& c, index_t) { ++c.items; });
    EXPECT_EQ(one[0].items, 50);
}

// The neighbour lists built on threads (rows split by their work, pairs laid out by vertex)
// equal the brute-force lists, sorted by vertex, lengths included: below and above the
// 2^16-length floor a range needs, with ties at the threshold.
TEST(RipsThreads, SparseNeighbourListsEqualBruteForceForAnyThreadCount) {
    for (index_t n : {1, 2, 40, 500, 1500}) {
        const auto coords = random_points(n, 3, static_cast<unsigned>(n));
        const PointCloud pts{coords.data(), n, 3};
        auto len = [&](index_t u, index_t v) {
            return std::round(pts.distance(u, v) * 8) / 8;  // ties, some exactly at 0.5
        };
        for (int n_threads : {1, 2, 3}) {
            const SparseDistances sparse(n, 0.5, len, n_threads);
            index_t edges = 0;
            for (index_t u = 0; u < n; ++u) {
                std::vector<std::pair<index_t, value_t>> want, got;
                for (index_t v = 0; v < n; ++v)
                    if (v != u && len(u, v) <= 0.5) want.emplace_back(v, len(u, v));
                for (const auto& nb : sparse.neighbors(u)) got.emplace_back(nb.vertex, nb.length);
                ASSERT_EQ(got, want) << "n " << n << " threads " << n_threads << " vertex " << u;
                edges += static_cast<index_t>(want.size());
            }
            EXPECT_EQ(sparse.n_edges(), edges / 2);
        }
    }
}
