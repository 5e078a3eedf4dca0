// The critical-set engine: canonical V whatever the reduction ran, U rows, the four moves.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "calydon/filtration/simplicial.hpp"
#include "calydon/optimize/topology_optimizer.hpp"

using namespace calydon;

namespace {

Filtration random_complex(int n, int top, unsigned seed, bool negate) {
    std::mt19937 rng(seed);
    std::vector<value_t> vertex(n);
    for (auto& x : vertex) x = static_cast<value_t>(rng() % 7);
    std::vector<std::vector<index_t>> simplices;
    std::vector<value_t> values;
    for (int mask = 1; mask < (1 << n); ++mask) {
        std::vector<index_t> s;
        value_t v = negate ? 1e9 : -1e9;
        for (int b = 0; b < n; ++b)
            if (mask & (1 << b)) {
                s.push_back(b);
                v = negate ? std::min(v, vertex[b]) : std::max(v, vertex[b]);
            }
        if (static_cast<int>(s.size()) > top + 1) continue;
        simplices.push_back(s);
        values.push_back(v);
    }
    return simplicial_filtration(simplices, values, negate);
}

std::vector<std::vector<index_t>> columns(const Decomposition& d, bool v) {
    std::vector<std::vector<index_t>> out;
    for (index_t j = 0; j < d.size(); ++j) {
        if (v) {
            out.push_back(d.reduction().v_column(j));
        } else {
            auto r = d.reduction().r_column(j);
            out.emplace_back(r.begin(), r.end());
        }
    }
    return out;
}

}  // namespace

TEST(Optimize, CanonicalVIsTheSameWithAndWithoutClearing) {
    for (unsigned seed = 0; seed < 8; ++seed)
        for (bool dualize : {false, true}) {
            Filtration f = random_complex(7, 3, seed, seed % 2 == 1);
            const PersistenceOptions all{
                .dualize = dualize, .v_dims = PersistenceOptions::all_dims, .canonical_v = true};
            PersistenceOptions plain = all;
            plain.clearing = false;
            Decomposition cleared(f, all), serial(f, plain);
            EXPECT_EQ(columns(cleared, true), columns(serial, true))
                << "seed " << seed << " dualize " << dualize;
            EXPECT_EQ(columns(cleared, false), columns(serial, false))
                << "seed " << seed << " dualize " << dualize;
        }
}

TEST(Optimize, LazyColumnsEqualTheSerialReductionWithoutClearing) {
    // Each column reduced alone, with owners from the pairing, in a scrambled order, must give
    // the V of the plain left-to-right reduction (the ELZ form) bit for bit.
    for (unsigned seed = 0; seed < 8; ++seed)
        for (bool dualize : {false, true}) {
            Filtration f = random_complex(7, 3, seed, seed % 2 == 1);
            PersistenceOptions plain{
                .dualize = dualize, .v_dims = PersistenceOptions::all_dims, .canonical_v = true};
            plain.clearing = false;
            Decomposition serial(f, plain);
            const auto expected = columns(serial, true);
            const index_t n = f.size();
            PersistenceOptions pairs_only{.keep_zero_persistence = true};
            const IndexPairs pairs = compute_persistence_pairs(f, pairs_only);
            std::vector<index_t> owner(n, -1);
            for (const auto& per_dim : pairs.finite)
                for (auto [b, d] : per_dim) {
                    if (dualize) owner[n - 1 - d] = n - 1 - b;
                    else owner[b] = d;
                }
            const SparseColumns matrix = dualize ? anti_transpose(f.boundary()) : f.boundary();
            LazyColumns lazy(matrix, owner);
            std::vector<index_t> order(n);
            for (index_t j = 0; j < n; ++j) order[j] = j;
            std::shuffle(order.begin(), order.end(), std::mt19937(seed));
            for (index_t j : order)
                EXPECT_EQ(std::vector<index_t>(lazy.v_column(j).begin(), lazy.v_column(j).end()),
                          expected[j])
                    << "seed " << seed << " dualize " << dualize << " column " << j;
        }
}

TEST(Optimize, URowsInvertV) {
    Filtration f = random_complex(7, 3, 5, false);
    Decomposition d(f, {.v_dims = PersistenceOptions::all_dims, .canonical_v = true});
    for (dim_t dim = 1; dim <= f.max_dim(); ++dim) {
        const index_t b = f.dim_first(dim), e = f.dim_end(dim);
        VRows rows(b, e, [&](index_t c) { return d.reduction().v_column(c); });
        for (index_t r = b; r < e; ++r) {
            auto u = u_row(rows, r, [](index_t) { return true; });
            // (u V)_c = sum over p in u of V[p, c] must be e_r.
            for (index_t c = b; c < e; ++c) {
                int s = 0;
                for (index_t p : u)
                    for (index_t x : d.reduction().v_column(c)) s ^= (x == p);
                EXPECT_EQ(s, c == r ? 1 : 0) << r << " " << c;
            }
        }
    }
}

TEST(Optimize, CriticalSetsContainTheCellAndRespectTheTarget) {
    for (bool negate : {false, true}) {
        Filtration f = random_complex(7, 3, 9, negate);
        TopologyOptimizer opt(f);
        const IndexPairs& pairs = opt.pairing();
        for (const auto& per_dim : pairs.finite)
            for (auto [b, d] : per_dim) {
                const value_t far_early = negate ? 1e6 : -1e6, far_late = -far_early;
                for (auto [cell, t] : {std::pair{d, far_early}, std::pair{d, far_late},
                                       std::pair{b, far_early}, std::pair{b, far_late}}) {
                    auto set = opt.critical_set_of(cell, t);
                    ASSERT_FALSE(set.empty());
                    EXPECT_EQ(set.front(), cell);
                    for (index_t c : set) EXPECT_EQ(f.dim(c), f.dim(cell));
                }
            }
    }
}

TEST(Optimize, ConflictStrategies) {
    CriticalSets sets;
    const std::vector<index_t> a{1, 2}, b{2, 3};
    sets.add(a, 5.0);
    sets.add(b, 1.0);
    const std::vector<value_t> current{0, 0, 2.5, 0};
    auto max = combine_critical_sets(sets, ConflictStrategy::max, current);
    EXPECT_EQ(max.cells, (std::vector<index_t>{1, 2, 3}));
    EXPECT_EQ(max.targets[1], 5.0);  // |5 - 2.5| = 2.5 > |1 - 2.5| = 1.5
    auto avg = combine_critical_sets(sets, ConflictStrategy::avg, current);
    EXPECT_EQ(avg.targets[1], 3.0);
    auto sum = combine_critical_sets(sets, ConflictStrategy::sum, current);
    EXPECT_EQ(sum.cells, (std::vector<index_t>{1, 2, 2, 3}));
    CellTargets pins{{3}, {1.0}};
    auto fca = combine_critical_sets(sets, ConflictStrategy::fix_crit_avg, current, &pins);
    EXPECT_EQ(fca.targets[1], 3.0);
    EXPECT_EQ(fca.targets[2], 1.0);
    EXPECT_THROW(combine_critical_sets(sets, ConflictStrategy::fix_crit_avg, current),
                 std::invalid_argument);
}
