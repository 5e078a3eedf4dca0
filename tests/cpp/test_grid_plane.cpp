// The per-mask star lists of 1-D and 2-D boxes (plane_stars.hpp) against the generic lattice
// walk, and the sort's entry ids against division, on random data with ties.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>
#include <vector>

#include "calydon/grid/cell_order.hpp"
#include "calydon/grid/plane_stars.hpp"
#include "calydon/grid/ranks.hpp"

using namespace calydon;

namespace {

std::vector<value_t> random_values(std::size_t n, unsigned seed, bool ties) {
    std::mt19937 gen(seed);
    std::uniform_real_distribution<value_t> uniform(-1.0, 1.0);
    std::vector<value_t> x(n);
    for (auto& v : x) v = ties ? static_cast<value_t>(gen() % 3) : uniform(gen);
    return x;
}

std::vector<index_t> sorted_vertices(const GridLattice& lat, index_t code, int k) {
    std::vector<index_t> out;
    lat.for_each_vertex(code, k, [&](index_t v) { out.push_back(v); });
    std::sort(out.begin(), out.end());
    return out;
}

/// Every entry's listed star (vertices, edges, their ends, the square across) equals the one the
/// lattice gives cell by cell.
void expect_lists_match(const std::vector<index_t>& data_shape, GridComplexKind kind, bool on_cells,
                        bool negate, bool ties, unsigned seed) {
    std::vector<index_t> vshape = data_shape;
    if (on_cells)
        for (auto& n : vshape) ++n;
    std::size_t n_data = 1;
    for (index_t n : data_shape) n_data *= static_cast<std::size_t>(n);
    const auto x = random_values(n_data, seed, ties);
    const GridLattice lat(vshape, kind, false);
    const GridOrder order(lat, x, negate, on_cells);
    ASSERT_TRUE(PlaneStars::applies(lat, order.lower_stars()));
    const PlaneStars plane(lat, *order.lower_stars(), on_cells);
    const std::uint8_t* masks = order.lower_stars()->masks8();
    for (std::size_t r = 0; r < order.n_entries(); ++r) {
        const index_t e = order.entry_at_rank(r);
        const PlaneStars::Star& s = plane.star(masks[e]);
        std::vector<index_t> want, got;
        if (on_cells) {
            order.star(e, 0, want);
            for (int j = 0; j < s.n_vertices; ++j) got.push_back(e + s.vertex[j]);
            EXPECT_EQ(got, want) << "vertices of entry " << e;
        } else {
            EXPECT_EQ(s.n_vertices, 0);
        }
        if (!on_cells && lat.ndim() == 2) {
            want.clear();
            order.star(e, 2, want);
            got.clear();
            for (int j = 0; j < s.n_tops; ++j) got.push_back(e * lat.n_patterns(2) + s.top[j]);
            EXPECT_EQ(got, want) << "squares of entry " << e;
        } else {
            EXPECT_EQ(s.n_tops, 0);
        }
        want.clear();
        order.star(e, 1, want);
        ASSERT_EQ(static_cast<std::size_t>(s.n_edges), want.size()) << "entry " << e;
        for (int j = 0; j < s.n_edges; ++j) {
            const PlaneStars::Edge& edge = s.edge[j];
            const index_t code = e * lat.n_patterns(1) + edge.code_delta;
            EXPECT_EQ(code, want[static_cast<std::size_t>(j)]);
            std::vector<index_t> ends{e + edge.end[0], e + edge.end[1]};
            std::sort(ends.begin(), ends.end());
            EXPECT_EQ(ends, sorted_vertices(lat, code, 1));
            if (lat.ndim() != 2) continue;
            std::vector<index_t> tops, listed;
            lat.for_each_cofacet(code, 1, [&](index_t t) { tops.push_back(t); });
            for (int c = 0; c < edge.n_cofacets; ++c) {
                const PlaneStars::Cofacet& top = edge.cofacet[c];
                if ((top.need_up & ~lat.room_up(e)) != 0 ||
                    (top.need_down & ~lat.room_down(e)) != 0)
                    continue;
                const index_t t = e * lat.n_patterns(2) + top.code_delta;
                if (!on_cells || order.rank_of_entry(t) != GridOrder::none) listed.push_back(t);
            }
            std::sort(tops.begin(), tops.end());
            std::sort(listed.begin(), listed.end());
            EXPECT_EQ(listed, tops) << "cofacets of edge " << code;
        }
    }
}

}  // namespace

TEST(PlaneStars, ListsEqualTheLatticeWalk) {
    unsigned seed = 1;
    for (auto shape : std::vector<std::vector<index_t>>{{7}, {1}, {6, 5}, {1, 6}, {5, 1}, {2, 2}})
        for (bool negate : {false, true})
            for (bool ties : {false, true}) {
                expect_lists_match(shape, GridComplexKind::cubical, true, negate, ties, ++seed);
                expect_lists_match(shape, GridComplexKind::cubical, false, negate, ties, ++seed);
                expect_lists_match(shape, GridComplexKind::freudenthal, false, negate, ties,
                                   ++seed);
            }
}

TEST(PlaneStars, SortYieldsAnchorIdsForAnyThreadCount) {
    // Anchors of the top cells of a box (one more vertex per axis), against division.
    for (auto shape : std::vector<std::vector<index_t>>{{300, 700}, {70000}, {40, 50, 60}}) {
        std::size_t n = 1;
        std::vector<index_t> strides(shape.size(), 1);
        for (std::size_t i = shape.size(); i-- > 0;) {
            n *= static_cast<std::size_t>(shape[i]);
            if (i + 1 < shape.size()) strides[i] = strides[i + 1] * (shape[i + 1] + 1);
        }
        const auto x = random_values(n, 5, true);
        const auto flat = entries_in_order(x, false, 1);
        for (int n_threads : {1, 2, 3}) {
            const auto ids = entries_in_order(x, false, n_threads, shape, strides);
            ASSERT_EQ(ids.size(), flat.size());
            for (std::size_t r = 0; r < n; ++r) {
                index_t rest = flat[r], want = 0;
                for (std::size_t i = shape.size(); i-- > 0;) {
                    want += rest % shape[i] * strides[i];
                    rest /= shape[i];
                }
                ASSERT_EQ(static_cast<index_t>(ids[r]), want) << "rank " << r;
            }
        }
    }
}
