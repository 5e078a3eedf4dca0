// Reduction on hand-made complexes: pairs known by hand, homology == cohomology, clearing on == off.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "calydon/filtration/simplicial.hpp"
#include "calydon/persistence/pairs.hpp"

using namespace calydon;

namespace {

std::set<std::array<index_t, 2>> finite_set(const IndexPairs& p) {
    std::set<std::array<index_t, 2>> s;
    for (const auto& dim : p.finite) s.insert(dim.begin(), dim.end());
    return s;
}

IndexPairs reduce_with(const Filtration& f, bool dualize, bool clearing) {
    Decomposition d(
        f, {.dualize = dualize, .clearing = clearing, .v_dims = PersistenceOptions::all_dims});
    return pairs_from_decomposition(f, d, true);
}

// A filled triangle: vertices 0,1,2 at 0,1,2; edges at 3,4,5; the triangle at 6.
Filtration triangle() {
    return simplicial_filtration({{0}, {1}, {2}, {0, 1}, {1, 2}, {0, 2}, {0, 1, 2}},
                                 {0, 1, 2, 3, 4, 5, 6}, false);
}

}  // namespace

TEST(Reduction, TrianglePairsByHand) {
    Filtration f = triangle();
    IndexPairs p = reduce_with(f, false, true);
    // Sorted ids equal input positions here. H0: (1,3), (2,4); H1: (5,6); essential vertex 0.
    std::set<std::array<index_t, 2>> expected{{1, 3}, {2, 4}, {5, 6}};
    EXPECT_EQ(finite_set(p), expected);
    ASSERT_EQ(p.essential[0].size(), 1u);
    EXPECT_EQ(p.essential[0][0], 0);
    EXPECT_TRUE(p.essential[1].empty());
}

TEST(Reduction, CircleHasEssentialLoop) {
    // A hollow square 0-1-2-3: one essential H0 class and one essential H1 class.
    Filtration f = simplicial_filtration({{0}, {1}, {2}, {3}, {0, 1}, {1, 2}, {2, 3}, {0, 3}},
                                         {0, 0, 0, 0, 1, 2, 3, 4}, false);
    for (bool dualize : {false, true}) {
        IndexPairs p = reduce_with(f, dualize, true);
        EXPECT_EQ(p.essential[0].size(), 1u);
        EXPECT_EQ(p.essential[1].size(), 1u);
        EXPECT_EQ(p.finite[0].size(), 3u);
    }
}

TEST(Reduction, TorusGridBettiNumbers) {
    // The 3x3 triangulated torus: Betti numbers (1, 2, 1) as essential classes.
    const int n = 3;
    auto v = [&](int i, int j) { return static_cast<index_t>(((i + n) % n) * n + (j + n) % n); };
    std::vector<std::vector<index_t>> simplices;
    std::set<std::vector<index_t>> seen;
    auto add = [&](std::vector<index_t> s) {
        std::sort(s.begin(), s.end());
        if (seen.insert(s).second) simplices.push_back(s);
    };
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) add({v(i, j)});
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) {
            add({v(i, j), v(i + 1, j)});
            add({v(i, j), v(i, j + 1)});
            add({v(i, j), v(i + 1, j + 1)});
        }
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) {
            add({v(i, j), v(i + 1, j), v(i + 1, j + 1)});
            add({v(i, j), v(i, j + 1), v(i + 1, j + 1)});
        }
    std::vector<value_t> values;
    for (const auto& s : simplices) values.push_back(static_cast<value_t>(s.size()));
    Filtration f = simplicial_filtration(simplices, values, false);
    for (bool dualize : {false, true})
        for (bool clearing : {false, true}) {
            IndexPairs p = reduce_with(f, dualize, clearing);
            EXPECT_EQ(p.essential[0].size(), 1u);
            EXPECT_EQ(p.essential[1].size(), 2u);
            EXPECT_EQ(p.essential[2].size(), 1u);
        }
}

TEST(Reduction, HomologyEqualsCohomologyAndClearingIsInvisible) {
    // Random lower-star values on a filled tetrahedron's full face lattice.
    std::vector<std::vector<index_t>> simplices;
    for (int mask = 1; mask < 16; ++mask) {
        std::vector<index_t> s;
        for (int b = 0; b < 4; ++b)
            if (mask & (1 << b)) s.push_back(b);
        simplices.push_back(s);
    }
    const value_t vertex_value[4] = {0.3, 0.1, 0.7, 0.5};
    std::vector<value_t> values;
    for (const auto& s : simplices) {
        value_t m = 0;
        for (index_t x : s) m = std::max(m, vertex_value[x]);
        values.push_back(m + 0.01 * static_cast<value_t>(s.size()));
    }
    Filtration f = simplicial_filtration(simplices, values, false);
    auto reference = finite_set(reduce_with(f, false, false));
    EXPECT_EQ(finite_set(reduce_with(f, false, true)), reference);
    EXPECT_EQ(finite_set(reduce_with(f, true, false)), reference);
    EXPECT_EQ(finite_set(reduce_with(f, true, true)), reference);
    EXPECT_EQ(finite_set(compute_persistence_pairs(
                  f, {.dualize = false, .fast_paths = true, .keep_zero_persistence = true})),
              reference);
    EXPECT_EQ(finite_set(compute_persistence_pairs(
                  f, {.dualize = true, .fast_paths = true, .keep_zero_persistence = true})),
              reference);
}

TEST(Reduction, DualUnionFindDeclinesDanglingFaces) {
    // A filled triangle plus a dangling edge to vertex 3, wrongly flagged as a ball: the edge
    // {2, 3} has no triangle, so the dual union-find must decline and the matrix path answer.
    Filtration f =
        simplicial_filtration({{0}, {1}, {2}, {3}, {0, 1}, {1, 2}, {0, 2}, {2, 3}, {0, 1, 2}},
                              {0, 1, 2, 3, 4, 5, 6, 7, 8}, false);
    f.set_top_is_ball(true);
    auto reference = finite_set(reduce_with(f, false, false));
    EXPECT_EQ(finite_set(compute_persistence_pairs(
                  f, {.dualize = false, .fast_paths = true, .keep_zero_persistence = true})),
              reference);
    EXPECT_EQ(finite_set(compute_persistence_pairs(
                  f, {.dualize = true, .fast_paths = true, .keep_zero_persistence = true})),
              reference);
}
