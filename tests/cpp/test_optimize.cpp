// The critical-set engine: canonical V whatever the reduction ran, U rows, the four moves.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <set>

#include "calydon/filtration/simplicial.hpp"
#include "calydon/grid/explicit.hpp"
#include "calydon/optimize/merge_forest.hpp"
#include "calydon/optimize/topology_optimizer.hpp"
#include "calydon/optimize/working_column.hpp"

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

namespace {

/// The pairing of f (zero persistence included) as owner_of_row on one side.
std::vector<index_t> owners_of_rows(const Filtration& f, bool dualize) {
    const index_t n = f.size();
    const IndexPairs pairs = compute_persistence_pairs(f, {.keep_zero_persistence = true});
    std::vector<index_t> owner(n, -1);
    for (const auto& per_dim : pairs.finite)
        for (auto [b, d] : per_dim) {
            if (dualize) owner[n - 1 - d] = n - 1 - b;
            else owner[b] = d;
        }
    return owner;
}

}  // namespace

TEST(Optimize, WorkingColumnAddsLikeASymmetricDifference) {
    // Additions of every length against the column, so that both the heap and the sorted
    // list (and the switches between them) are exercised; checked against std::set.
    std::mt19937 rng(3);
    for (int trial = 0; trial < 200; ++trial) {
        WorkingColumn col;
        std::set<index_t> expected;
        std::vector<index_t> start;
        for (index_t r = 0; r < 400; ++r)
            if (rng() % 3 == 0) start.push_back(r);
        col.assign(start);
        expected.insert(start.begin(), start.end());
        for (int k = 0; k < 30; ++k) {
            const std::size_t len = (rng() % 4 == 0) ? rng() % 300 : rng() % 6;
            std::set<index_t> other;
            while (other.size() < len) other.insert(static_cast<index_t>(rng() % 400));
            const std::vector<index_t> rows(other.begin(), other.end());
            col.add(rows);
            for (index_t r : rows)
                if (!expected.erase(r)) expected.insert(r);
            const index_t want = expected.empty() ? -1 : *expected.rbegin();
            ASSERT_EQ(col.pivot(), want) << "trial " << trial << " step " << k;
        }
        const auto got = col.sorted();
        EXPECT_TRUE(std::equal(got.begin(), got.end(), expected.begin(), expected.end()));
    }
}

TEST(Optimize, LazyColumnsEqualTheSerialReductionOnAnImage) {
    // A smooth 40 x 40 image: components and regions grow large, so long columns absorb many
    // short ones (the working column's heap mode) and V columns run to hundreds of cells.
    const index_t side = 40;
    std::vector<value_t> image(side * side);
    for (index_t y = 0; y < side; ++y)
        for (index_t x = 0; x < side; ++x)
            image[y * side + x] =
                std::sin(0.31 * x) * std::cos(0.23 * y) + 0.001 * ((x * 7 + y * 13) % 17);
    const std::vector<index_t> shape{side, side};
    for (bool dualize : {false, true}) {
        const Filtration f =
            cube_filtration(image, shape, false, 2, CubicalValues::vertices).filtration;
        PersistenceOptions plain{
            .dualize = dualize, .v_dims = PersistenceOptions::all_dims, .canonical_v = true};
        plain.clearing = false;
        const auto expected = columns(Decomposition(f, plain), true);
        const SparseColumns matrix = dualize ? anti_transpose(f.boundary()) : f.boundary();
        LazyColumns lazy(matrix, owners_of_rows(f, dualize));
        std::size_t longest = 0;
        for (index_t j = f.size() - 1; j >= 0; --j) {
            ASSERT_EQ(lazy.v_column(j), expected[j]) << "dualize " << dualize << " column " << j;
            longest = std::max(longest, expected[j].size());
        }
        EXPECT_GT(longest, 100u);
    }
}

TEST(Optimize, MergeForestsGiveTheSerialReductionsColumns) {
    // Vertices on the cohomology side and top cells of a pseudomanifold on the homology side:
    // their V columns are subtrees of the union-find forests, bit for bit the ELZ reduction's.
    const index_t side = 30;
    std::vector<value_t> image(side * side);
    for (index_t y = 0; y < side; ++y)
        for (index_t x = 0; x < side; ++x)
            image[y * side + x] = std::sin(0.37 * x) * std::cos(0.29 * y) + 0.01 * ((x * y) % 5);
    const std::vector<index_t> shape{side, side};
    for (bool negate : {false, true}) {
        const Filtration f = freudenthal_filtration(image, shape, negate, 2).filtration;
        const index_t n = f.size();
        auto everything = [](index_t) { return true; };
        for (bool dualize : {false, true}) {
            PersistenceOptions plain{
                .dualize = dualize, .v_dims = PersistenceOptions::all_dims, .canonical_v = true};
            plain.clearing = false;
            const auto expected = columns(Decomposition(f, plain), true);
            const auto forest = dualize ? vertex_merge_forest(f) : top_merge_forest(f);
            ASSERT_TRUE(forest.has_value());
            const dim_t d = dualize ? 0 : 2;
            std::size_t longest = 0;
            for (index_t cell = f.dim_first(d); cell < f.dim_end(d); ++cell) {
                std::vector<index_t> got = forest->collect(cell, everything, true);
                for (index_t& c : got) c = dualize ? n - 1 - c : c;
                std::sort(got.begin(), got.end());
                const index_t m = dualize ? n - 1 - cell : cell;
                ASSERT_EQ(got, expected[m]) << "dualize " << dualize << " cell " << cell;
                longest = std::max(longest, got.size());
            }
            EXPECT_GT(longest, 50u);
        }
    }
    // A book (three triangles on the edge 01) is no pseudomanifold: no top forest. A triangle
    // with its edges is one; a 1-cell with four vertices (a cell complex) has no vertex forest.
    auto complex = [](const std::vector<std::vector<index_t>>& faces) {
        CellList cells;
        for (const auto& f : faces) {
            cells.dims.push_back(f.empty() ? 0 : f.size() == 3 ? 2 : 1);
            cells.values.push_back(static_cast<value_t>(cells.values.size()));
            cells.boundary.push_column(f);
        }
        return Filtration(std::move(cells), false);
    };
    const std::vector<std::vector<index_t>> triangle{{}, {}, {}, {0, 1}, {0, 2}, {1, 2}, {3, 4, 5}};
    EXPECT_TRUE(top_merge_forest(complex(triangle)).has_value());
    auto book = triangle;
    for (index_t apex : {7, 10}) {
        book.push_back({});
        book.push_back({0, apex});
        book.push_back({1, apex});
    }
    book.push_back({3, 8, 9});
    book.push_back({3, 11, 12});
    EXPECT_FALSE(top_merge_forest(complex(book)).has_value());
    EXPECT_TRUE(vertex_merge_forest(complex(book)).has_value());
    EXPECT_FALSE(vertex_merge_forest(complex({{}, {}, {}, {}, {0, 1, 2, 3}})).has_value());
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
            const SparseColumns matrix = dualize ? anti_transpose(f.boundary()) : f.boundary();
            LazyColumns lazy(matrix, owners_of_rows(f, dualize));
            std::vector<index_t> order(n);
            for (index_t j = 0; j < n; ++j) order[j] = j;
            std::shuffle(order.begin(), order.end(), std::mt19937(seed));
            for (index_t j : order) {
                EXPECT_EQ(lazy.v_column(j), expected[j])
                    << "seed " << seed << " dualize " << dualize << " column " << j;
                // A walk stopped early gives the column's largest entries, in descending order.
                const std::size_t wanted = expected[j].size() / 2;
                std::vector<index_t> prefix;
                lazy.walk_v_descending(j, [&](index_t m) {
                    if (prefix.size() == wanted) return false;
                    prefix.push_back(m);
                    return true;
                });
                EXPECT_TRUE(std::equal(prefix.begin(), prefix.end(), expected[j].rbegin()))
                    << "seed " << seed << " dualize " << dualize << " column " << j;
                EXPECT_EQ(prefix.size(), wanted);
            }
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
