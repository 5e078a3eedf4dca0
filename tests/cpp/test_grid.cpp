// Grid builders: every fast path gives the pairs of the plain reduction, on random data with ties.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>
#include <set>

#include <map>

#include "calydon/grid/explicit.hpp"
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

namespace {

/// The implicit pairs, mapped to sorted ids through the explicit filtration's codes, and checked
/// against its critical indices on the way.
PairSet implicit_pairs_as_ids(const GridPairs& lean, const GridFiltration& g) {
    const Filtration& fil = g.built.filtration;
    std::vector<std::map<index_t, index_t>> id_of_code(fil.max_dim() + 1);
    for (index_t s = 0; s < fil.size(); ++s) id_of_code[fil.dim(s)][g.codes[s]] = s;
    PairSet got;
    for (std::size_t d = 0; d < lean.by_code.finite.size(); ++d) {
        EXPECT_EQ(lean.by_code.finite[d].size(), lean.by_data.finite[d].size());
        for (std::size_t i = 0; i < lean.by_code.finite[d].size(); ++i) {
            const auto codes = lean.by_code.finite[d][i];
            const std::array<index_t, 2> ids{id_of_code.at(d).at(codes[0]),
                                             id_of_code.at(d + 1).at(codes[1])};
            got.insert(ids);
            EXPECT_EQ(g.built.critical[ids[0]], lean.by_data.finite[d][i][0]);
            EXPECT_EQ(g.built.critical[ids[1]], lean.by_data.finite[d][i][1]);
        }
        for (std::size_t i = 0; i < lean.by_code.essential[d].size(); ++i) {
            const index_t id = id_of_code.at(d).at(lean.by_code.essential[d][i]);
            got.insert({id, -1});
            EXPECT_EQ(g.built.critical[id], lean.by_data.essential[d][i]);
        }
    }
    return got;
}

}  // namespace

TEST(GridPersistence, ImplicitPathMatchesTheFiltration) {
    unsigned seed = 100;
    for (bool wrap : {false, true})
        for (const Case& c : cases()) {
            auto x = random_grid_values(volume(c.shape), ++seed, c.ties);
            const int d = static_cast<int>(c.shape.size());
            for (int variant = 0; variant < 3; ++variant)
                for (int top = 0; top <= d; ++top) {
                    GridSpec spec{
                        variant == 0 ? GridComplexKind::freudenthal : GridComplexKind::cubical,
                        variant == 2 ? CubicalValues::cells : CubicalValues::vertices, wrap};
                    bool small = false;
                    for (index_t s : c.shape) small |= s < 3;
                    if (wrap && small) continue;
                    SCOPED_TRACE(::testing::Message() << "case " << seed << " variant " << variant
                                                      << " top " << top << " wrap " << wrap);
                    GridFiltration g = grid_filtration(x, c.shape, spec, c.negate, top, true);
                    Decomposition dec(g.built.filtration, {.dualize = false, .clearing = false});
                    const PairSet expected =
                        all_pairs(pairs_from_decomposition(g.built.filtration, dec, true));
                    // One thread runs the dual pass after the others (skipping their deaths),
                    // two run it beside them: both give the reduction's pairs.
                    for (int n_threads : {1, 2}) {
                        GridPairs lean = grid_persistence_pairs(x, c.shape, spec, c.negate, top,
                                                                top + 1, true, n_threads);
                        EXPECT_EQ(implicit_pairs_as_ids(lean, g), expected)
                            << "n_threads " << n_threads;
                    }
                }
        }
}

TEST(GridPersistence, SplitStarSweepsGiveThePairsOfOneThread) {
    // Grids large enough for the star sweep of a middle dimension to be split into ranges (a
    // range spans at least four times one cell's reach, a slab of the grid), with 1-4 threads.
    unsigned seed = 300;
    for (auto shape : std::vector<std::vector<index_t>>{{16, 15, 14}, {7, 6, 8, 9}})
        for (bool ties : {false, true}) {
            auto x = random_grid_values(volume(shape), ++seed, ties);
            const int d = static_cast<int>(shape.size());
            for (int variant = 0; variant < 3; ++variant) {
                GridSpec spec{variant == 0 ? GridComplexKind::freudenthal
                                           : GridComplexKind::cubical,
                              variant == 2 ? CubicalValues::cells : CubicalValues::vertices, false};
                SCOPED_TRACE(::testing::Message()
                             << "dims " << d << " variant " << variant << " ties " << ties);
                GridFiltration g = grid_filtration(x, shape, spec, false, d, true);
                Decomposition dec(g.built.filtration, {.dualize = false, .clearing = false});
                const PairSet expected =
                    all_pairs(pairs_from_decomposition(g.built.filtration, dec, true));
                const GridPairs one = grid_persistence_pairs(x, shape, spec, false, d, d + 1);
                for (int n_threads = 1; n_threads <= 4; ++n_threads) {
                    GridPairs lean =
                        grid_persistence_pairs(x, shape, spec, false, d, d + 1, true, n_threads);
                    EXPECT_EQ(implicit_pairs_as_ids(lean, g), expected) << n_threads;
                    // Without zero persistence: the same pairs in the same order.
                    GridPairs kept =
                        grid_persistence_pairs(x, shape, spec, false, d, d + 1, false, n_threads);
                    EXPECT_EQ(kept.by_code.finite, one.by_code.finite) << n_threads;
                    EXPECT_EQ(kept.by_data.finite, one.by_data.finite) << n_threads;
                }
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

TEST(GridPersistence, ValueOrderSortsValuesThatAgreeInTheirHigh32Bits) {
    // The radix passes sort the highest 32 differing bits (two 16-bit digits; below 2^16
    // entries, 33 bits in three 11-bit digits); keys equal there are put in order afterwards,
    // by insertion in short runs and by a comparison sort in long ones.
    std::mt19937 gen(5);
    std::uniform_real_distribution<value_t> unit(0.0, 1.0);
    // Near 1000 the low 32 bits of a key span about 5e-4: runs of one or two, about 50 (by
    // insertion), about 200 (comparison sort), and the whole array.
    for (const std::size_t n : {200000, 40000, 1000})
        for (const value_t width : {50.0, 2.0, 0.5, 1e-7}) {
            std::vector<value_t> x(n);
            for (auto& v : x) v = 1000.0 + width * unit(gen);
            for (std::size_t i = 0; i < x.size(); i += 97) x[i] = x[i / 2];  // ties inside runs
            x[3] = -5.0;  // a far value: the highest differing bit is the sign
            std::vector<std::uint32_t> expected(x.size());
            std::iota(expected.begin(), expected.end(), 0u);
            std::stable_sort(expected.begin(), expected.end(),
                             [&](std::uint32_t a, std::uint32_t b) { return x[a] < x[b]; });
            for (int n_threads : {1, 2}) {
                const auto order = entries_in_order(x, false, n_threads);
                EXPECT_EQ(std::vector<std::uint32_t>(order.begin(), order.end()), expected)
                    << "n " << n << " width " << width << " n_threads " << n_threads;
            }
        }
}

TEST(GridPersistence, ValueOrderIsAStableSortForAnyThreadCount) {
    // 300000: large enough for every thread to get its own range (ranges are at least 2^16
    // entries); 5000: the 11-bit digits of small inputs.
    for (const index_t n : {300000, 5000})
        for (bool ties : {false, true})
            for (bool negate : {false, true}) {
                auto x = random_grid_values(n, ties ? 11 : 12, ties);
                x[5] = -0.0;  // -0.0 and 0.0 are one value: ties by index
                x[6] = 0.0;
                std::vector<std::uint32_t> expected(x.size());
                std::iota(expected.begin(), expected.end(), 0u);
                std::stable_sort(expected.begin(), expected.end(),
                                 [&](std::uint32_t a, std::uint32_t b) {
                                     return negate ? x[a] > x[b] : x[a] < x[b];
                                 });
                for (int n_threads : {1, 2, 3}) {
                    const auto order = entries_in_order(x, negate, n_threads);
                    EXPECT_EQ(std::vector<std::uint32_t>(order.begin(), order.end()), expected)
                        << "n " << n << " ties " << ties << " negate " << negate << " n_threads "
                        << n_threads;
                }
            }
}
