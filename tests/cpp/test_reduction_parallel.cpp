// The parallel (lock-free) reduction: the same pairs as the serial reduction for every thread count,
// R = D V checked column by column, V bit-identical to the serial reduction without clearing once
// restored to the canonical form, and exceptions and cancellation from a worker reach the caller.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <stdexcept>

#include "calydon/filtration/simplicial.hpp"
#include "calydon/persistence/pairs.hpp"

using namespace calydon;

namespace {

/// The clique complex (up to dimension max_dim) of a random graph, with random values made
/// monotone (a simplex is never below its faces); ties are frequent on purpose.
Filtration random_clique_filtration(std::mt19937_64& rng, int n_vertices, double p, int max_dim,
                                    int value_levels) {
    std::bernoulli_distribution edge(p);
    std::uniform_int_distribution<int> level(0, value_levels);
    std::vector<std::vector<bool>> adj(n_vertices, std::vector<bool>(n_vertices, false));
    for (int a = 0; a < n_vertices; ++a)
        for (int b = a + 1; b < n_vertices; ++b) adj[a][b] = adj[b][a] = edge(rng);
    std::vector<std::vector<index_t>> simplices;
    std::map<std::vector<index_t>, value_t> value;
    std::vector<std::vector<index_t>> layer;
    for (int v = 0; v < n_vertices; ++v) layer.push_back({v});
    for (int d = 0; d <= max_dim && !layer.empty(); ++d) {
        std::vector<std::vector<index_t>> next;
        for (const auto& s : layer) {
            value_t val = level(rng);
            for (std::size_t drop = 0; s.size() > 1 && drop < s.size(); ++drop) {
                auto face = s;
                face.erase(face.begin() + static_cast<std::ptrdiff_t>(drop));
                val = std::max(val, value.at(face));
            }
            value[s] = val;
            simplices.push_back(s);
            for (int w = static_cast<int>(s.back()) + 1; w < n_vertices; ++w) {
                bool clique = true;
                for (index_t u : s) clique = clique && adj[u][w];
                if (clique) {
                    auto t = s;
                    t.push_back(w);
                    next.push_back(t);
                }
            }
        }
        layer = std::move(next);
    }
    std::vector<value_t> values;
    for (const auto& s : simplices) values.push_back(value.at(s));
    return simplicial_filtration(simplices, values, false);
}

struct Reduced {
    std::vector<index_t> lows;
    std::vector<std::vector<index_t>> v;
};

/// Reduces one side of `fil` with every V kept; canonical: restore the ELZ form afterwards.
Reduced reduce(const Filtration& fil, bool dualize, bool clearing, int n_threads, bool canonical) {
    const SparseColumns matrix = dualize ? anti_transpose(fil.boundary()) : fil.boundary();
    // Threads on every block, however light (min_parallel_work 0), one column at a time.
    ColumnReduction<> red(matrix, ReductionOptions{clearing, true, n_threads, 1, 1, 0});
    auto blocks = clearing_block_order(dimension_offsets(fil), dualize, 0, fil.max_dim());
    for (ColumnBlock& b : blocks) b.keep_v = true;
    red.reduce_blocks(blocks);
    if (canonical)
        for (const ColumnBlock& b : blocks) restore_canonical_v(red, b);
    Reduced out;
    std::vector<index_t> scratch;
    for (index_t j = 0; j < matrix.n_columns(); ++j) {
        out.lows.push_back(red.low(j));
        out.v.push_back(red.v_column(j));
        // R_j = D V_j, computed here from the matrix itself.
        std::vector<index_t> dv;
        for (index_t k : out.v.back()) add_column(dv, matrix.column(k), scratch);
        const auto r = red.r_column(j);
        EXPECT_EQ(dv, std::vector<index_t>(r.begin(), r.end())) << "column " << j;
    }
    return out;
}

std::set<std::array<index_t, 2>> pair_set(const IndexPairs& p) {
    std::set<std::array<index_t, 2>> s;
    for (const auto& dim : p.finite) s.insert(dim.begin(), dim.end());
    for (std::size_t d = 0; d < p.essential.size(); ++d)
        for (index_t e : p.essential[d]) s.insert({e, -1});
    return s;
}

}  // namespace

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
// of the serial reduction without clearing, with every R = D V (checked in reduce_gated).
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
                EXPECT_EQ(got.value_source, ref.value_source);
                EXPECT_EQ(got.support_simplices, ref.support_simplices);
                EXPECT_EQ(got.simplices, ref.simplices);
                PersistenceOptions opts;
                opts.n_threads = n_threads;
                EXPECT_EQ(pair_set(compute_persistence_pairs(got.filtration, opts)), ref_pairs);
            }
        }
}
#endif
