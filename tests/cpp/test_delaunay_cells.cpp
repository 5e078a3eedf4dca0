// The Delaunay builder writes its cells straight into sorted order: every column must list
// exactly the facets of its simplex (checked through vertex sets, not through the builder's own
// numbering), the two permutations must be inverse, and the result must not depend on the
// thread count; duplicates and 2-D clouds included.
#include <gtest/gtest.h>

#ifdef CALYDON_HAVE_CGAL

#include <algorithm>
#include <random>
#include <set>
#include <stdexcept>
#include <vector>

#include "calydon/delaunay/filtration.hpp"

using namespace calydon;

namespace {

using VertexSet = std::vector<std::uint32_t>;

std::vector<value_t> random_cloud(int n, int dim, unsigned seed, int n_duplicates = 0) {
    std::mt19937 gen(seed);
    std::uniform_real_distribution<value_t> u(0.0, 1.0);
    std::vector<value_t> p(static_cast<std::size_t>(n) * dim);
    for (auto& x : p) x = u(gen);
    for (int i = 0; i < n_duplicates; ++i)  // copies of every fifth point, appended
        p.insert(p.end(), p.begin() + 5 * i * dim, p.begin() + (5 * i + 1) * dim);
    return p;
}

VertexSet vertex_set(const DelaunayFiltration& d, index_t s) {
    const Filtration& f = d.filtration;
    const int k = f.dim(s);
    const index_t i = s - f.dim_first(k);
    const auto& rows = d.simplices[k];
    VertexSet v(rows.begin() + i * (k + 1), rows.begin() + (i + 1) * (k + 1));
    EXPECT_TRUE(std::is_sorted(v.begin(), v.end()));
    return v;
}

/// Each column against the facets of its simplex, by vertex sets; rows ascending; the sorted
/// order and the permutations as the Filtration promises them.
void expect_columns_are_facets(const DelaunayFiltration& d) {
    const Filtration& f = d.filtration;
    const index_t n = f.size();
    for (index_t s = 0; s < n; ++s) {
        ASSERT_EQ(f.input_to_sorted()[f.sorted_to_input()[s]], s);
        if (s > 0) {
            ASSERT_LE(f.dim(s - 1), f.dim(s));
            if (f.dim(s - 1) == f.dim(s)) {
                ASSERT_LE(f.value(s - 1), f.value(s));
            }
        }
        const VertexSet v = vertex_set(d, s);
        const auto col = f.boundary().column(s);
        std::set<VertexSet> expected;
        if (v.size() > 1)
            for (std::size_t j = 0; j < v.size(); ++j) {
                VertexSet facet = v;
                facet.erase(facet.begin() + j);
                expected.insert(facet);
            }
        std::set<VertexSet> got;
        for (index_t r : col) {
            ASSERT_EQ(f.dim(r), f.dim(s) - 1);
            ASSERT_LE(f.value(r), f.value(s));
            got.insert(vertex_set(d, r));
        }
        ASSERT_TRUE(std::is_sorted(col.begin(), col.end()));
        ASSERT_EQ(got, expected) << "cell " << s << " of dimension " << f.dim(s);
    }
}

void expect_same_filtration(const DelaunayFiltration& a, const DelaunayFiltration& b) {
    EXPECT_EQ(a.filtration.values(), b.filtration.values());
    EXPECT_EQ(a.filtration.dims(), b.filtration.dims());
    EXPECT_EQ(a.filtration.sorted_to_input(), b.filtration.sorted_to_input());
    EXPECT_EQ(a.filtration.boundary().offsets, b.filtration.boundary().offsets);
    EXPECT_EQ(a.filtration.boundary().entries, b.filtration.boundary().entries);
    EXPECT_EQ(a.supports.value_source, b.supports.value_source);
    EXPECT_EQ(a.supports.rows, b.supports.rows);
    EXPECT_EQ(a.simplices, b.simplices);
}

}  // namespace

TEST(DelaunayCells, ColumnsListTheFacetsOfTheirSimplicesIn3D) {
    // 3000 points: enough for the slab triangulation on two and three threads.
    const auto pts = random_cloud(3000, 3, 11, 40);
    for (auto rule : {DelaunayValueRule::alpha, DelaunayValueRule::weak_alpha}) {
        const auto one = delaunay_filtration(pts, 3, rule, true, 1);
        expect_columns_are_facets(one);
        // 0 and below mean one thread, as everywhere on the pool.
        for (int threads : {0, 2, 3})
            expect_same_filtration(one, delaunay_filtration(pts, 3, rule, true, threads));
    }
}

TEST(DelaunayCells, ManyDuplicatesNumberThePointsTheSameOnAnyThreadCount) {
    // 500 copies on 3000 points: over a sixteenth, so only the distinct points are spatially
    // sorted (with 40 copies, above, every point is); both choices depend on the points only.
    const auto pts = random_cloud(3000, 3, 12, 500);
    const auto one = delaunay_filtration(pts, 3, DelaunayValueRule::alpha, true, 1);
    expect_columns_are_facets(one);
    for (int threads : {2, 3})
        expect_same_filtration(
            one, delaunay_filtration(pts, 3, DelaunayValueRule::alpha, true, threads));
}

TEST(DelaunayCells, ColumnsListTheFacetsOfTheirSimplicesIn2D) {
    const auto pts = random_cloud(2000, 2, 5, 25);
    for (auto rule : {DelaunayValueRule::alpha, DelaunayValueRule::cech}) {
        const auto one = delaunay_filtration(pts, 2, rule, true, 1);
        expect_columns_are_facets(one);
        expect_same_filtration(one, delaunay_filtration(pts, 2, rule, true, 2));
    }
}

TEST(DelaunayCells, DisagreeingPermutationsAreAnInternalError) {
    CellList cells;
    cells.dims = {0, 0};
    cells.values = {0, 0};
    cells.boundary.offsets = {0, 0, 0};
    EXPECT_THROW(Filtration::from_sorted_cells(cells, false, {0, 1}, {1, 0}), std::logic_error);
    EXPECT_THROW(Filtration::from_sorted_cells(cells, false, {0, 1}, {0}), std::logic_error);
    const Filtration ok = Filtration::from_sorted_cells(cells, false, {1, 0}, {1, 0});
    EXPECT_EQ(ok.sorted_to_input(), (std::vector<index_t>{1, 0}));
}

#else
TEST(DelaunayCells, SkippedWithoutCgal) { GTEST_SKIP() << "CGAL not found at configure time"; }
#endif
