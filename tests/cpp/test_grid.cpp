// Grid builders: every fast path gives the pairs of the plain reduction, on random data with ties.
#include <gtest/gtest.h>

#include <random>
#include <set>

#include "calydon/grid/cubical.hpp"
#include "calydon/grid/freudenthal.hpp"
#include "calydon/grid/pairs.hpp"
#include "calydon/persistence/pairs.hpp"

using namespace calydon;

namespace {

using PairSet = std::set<std::array<index_t, 2>>;

PairSet all_pairs(const IndexPairs& p) {
    PairSet s;
    for (const auto& dim : p.finite) s.insert(dim.begin(), dim.end());
    for (const auto& dim : p.essential)
        for (index_t e : dim) s.insert({e, -1});
    return s;
}

PairSet reference_pairs(const Filtration& f, bool dualize) {
    Decomposition d(f, {.dualize = dualize, .clearing = false});
    return all_pairs(pairs_from_decomposition(f, d));
}

std::vector<value_t> random_grid_values(std::size_t n, unsigned seed, bool ties) {
    std::mt19937 gen(seed);
    std::uniform_real_distribution<value_t> uniform(0.0, 1.0);
    std::vector<value_t> x(n);
    for (auto& v : x) v = ties ? static_cast<value_t>(gen() % 4) : uniform(gen);
    return x;
}

struct Case {
    std::vector<index_t> shape;
    bool negate, ties;
};

std::vector<Case> cases() {
    std::vector<Case> out;
    for (auto shape :
         std::vector<std::vector<index_t>>{{9}, {5, 6}, {1, 7}, {4, 3, 5}, {3, 3, 2, 3}})
        for (bool negate : {false, true})
            for (bool ties : {false, true}) out.push_back({shape, negate, ties});
    return out;
}

std::size_t volume(const std::vector<index_t>& shape) {
    std::size_t n = 1;
    for (index_t s : shape) n *= static_cast<std::size_t>(s);
    return n;
}

}  // namespace

TEST(GridPersistence, FastPathsEqualThePlainReduction) {
    unsigned seed = 0;
    for (const Case& c : cases()) {
        auto x = random_grid_values(volume(c.shape), ++seed, c.ties);
        const int top = static_cast<int>(c.shape.size());
        std::vector<FiltrationWithCritical> built;
        built.push_back(freudenthal_filtration(x, c.shape, c.negate, top));
        built.push_back(cube_filtration(x, c.shape, c.negate, top, CubicalValues::vertices));
        built.push_back(cube_filtration(x, c.shape, c.negate, top, CubicalValues::cells));
        for (const auto& b : built) {
            const PairSet expected = reference_pairs(b.filtration, false);
            EXPECT_EQ(reference_pairs(b.filtration, true), expected);
            for (bool dualize : {false, true})
                EXPECT_EQ(all_pairs(compute_persistence_pairs(b.filtration, {.dualize = dualize})),
                          expected);
        }
    }
}

TEST(GridPersistence, UnionFindOnlyPathMatchesTheFiltration) {
    unsigned seed = 100;
    for (const Case& c : cases()) {
        if (c.shape.size() > 2) continue;
        auto x = random_grid_values(volume(c.shape), ++seed, c.ties);
        const int top = static_cast<int>(c.shape.size());
        for (int variant = 0; variant < 3; ++variant) {
            auto where = variant == 2 ? CubicalValues::cells : CubicalValues::vertices;
            GridCells cells = variant == 0 ? freudenthal_cells(x, c.shape, c.negate, top)
                                           : cube_cells(x, c.shape, c.negate, top, where);
            FiltrationWithCritical explicit_fil =
                variant == 0 ? freudenthal_filtration(x, c.shape, c.negate, top)
                             : cube_filtration(x, c.shape, c.negate, top, where);
            GridPairs lean = grid_persistence_pairs(cells, x, c.negate);
            PairSet got;
            ASSERT_EQ(lean.by_id.finite.size(), lean.by_data.finite.size());
            for (std::size_t d = 0; d < lean.by_id.finite.size(); ++d) {
                ASSERT_EQ(lean.by_id.finite[d].size(), lean.by_data.finite[d].size());
                for (std::size_t i = 0; i < lean.by_id.finite[d].size(); ++i) {
                    const auto ids = lean.by_id.finite[d][i], data_idx = lean.by_data.finite[d][i];
                    got.insert(ids);
                    EXPECT_EQ(explicit_fil.critical[ids[0]], data_idx[0]);
                    EXPECT_EQ(explicit_fil.critical[ids[1]], data_idx[1]);
                }
                ASSERT_EQ(lean.by_id.essential[d].size(), lean.by_data.essential[d].size());
                for (std::size_t i = 0; i < lean.by_id.essential[d].size(); ++i) {
                    got.insert({lean.by_id.essential[d][i], -1});
                    EXPECT_EQ(explicit_fil.critical[lean.by_id.essential[d][i]],
                              lean.by_data.essential[d][i]);
                }
            }
            EXPECT_EQ(got, all_pairs(compute_persistence_pairs(explicit_fil.filtration,
                                                               {.dualize = false})));
        }
    }
}

TEST(GridPersistence, CriticalIndexGivesEveryValue) {
    auto x = random_grid_values(4 * 5 * 3, 7, false);
    std::vector<index_t> shape{4, 5, 3};
    for (int variant = 0; variant < 3; ++variant) {
        auto b = variant == 0 ? freudenthal_filtration(x, shape, false, 3)
                              : cube_filtration(x, shape, true, 3,
                                                variant == 1 ? CubicalValues::vertices
                                                             : CubicalValues::cells);
        ASSERT_EQ(b.critical.size(), static_cast<std::size_t>(b.filtration.size()));
        for (index_t i = 0; i < b.filtration.size(); ++i)
            EXPECT_EQ(b.filtration.value(i), x[b.critical[i]]);
    }
}

TEST(GridPersistence, BadInputThrowsInvalidArgument) {
    std::vector<value_t> x{0.0, std::nan(""), 1.0};
    std::vector<index_t> shape{3};
    EXPECT_THROW(freudenthal_filtration(x, shape, false, 1), std::invalid_argument);
    std::vector<index_t> five_axes{1, 1, 1, 1, 3};
    std::vector<value_t> y{0.0, 1.0, 2.0};
    EXPECT_THROW(cube_filtration(y, five_axes, false, 1, CubicalValues::vertices),
                 std::invalid_argument);
    EXPECT_THROW(cube_filtration(y, shape, false, -1, CubicalValues::vertices),
                 std::invalid_argument);
}
