// Delaunay filtrations: values by hand on small configurations, Čech against a brute-force
// minimum enclosing ball, supports, duplicates, degenerate clouds and the fast paths.
#include <gtest/gtest.h>

#ifdef CALYDON_HAVE_CGAL

#include <algorithm>
#include <array>
#include <cmath>
#include <random>
#include <set>
#include <stdexcept>
#include <vector>

#include "calydon/delaunay/filtration.hpp"
#include "calydon/persistence/pairs.hpp"

using namespace calydon;

namespace {

std::vector<value_t> sorted_values(const DelaunayFiltration& f) {
    const auto& v = f.filtration.values();
    return {v.begin(), v.end()};
}

std::vector<value_t> unit_tetrahedron() { return {0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1}; }

std::vector<value_t> random_points(int n, int d, unsigned seed) {
    std::mt19937 gen(seed);
    std::uniform_real_distribution<value_t> u(0.0, 1.0);
    std::vector<value_t> p(n * d);
    for (auto& x : p) x = u(gen);
    return p;
}

/// Vertex ids of the cell with sorted id s.
std::vector<std::uint32_t> cell_vertices(const DelaunayFiltration& f, index_t s) {
    dim_t k = f.filtration.dim(s);
    index_t local = s - f.filtration.dim_first(k);
    const auto& block = f.simplices[k];
    return {block.begin() + local * (k + 1), block.begin() + (local + 1) * (k + 1)};
}

/// Support vertices of the cell with sorted id s, ascending (one vertex for vertices).
std::vector<std::uint32_t> support_vertices(const DelaunayFiltration& f, index_t s) {
    index_t slot = f.supports.value_source[s];
    if (slot == 0) return cell_vertices(f, s);
    --slot;
    for (int k = 1; k <= 3; ++k) {
        index_t m = static_cast<index_t>(f.supports.rows[k].size()) / (k + 1);
        if (slot < m) {
            // Rows keep the vertex order C++ evaluated the value in; compare them as sets.
            std::vector<std::uint32_t> row(f.supports.rows[k].begin() + slot * (k + 1),
                                           f.supports.rows[k].begin() + (slot + 1) * (k + 1));
            std::sort(row.begin(), row.end());
            return row;
        }
        slot -= m;
    }
    ADD_FAILURE() << "value_source out of range";
    return {};
}

/// Minimum enclosing ball radius^2 by enumerating every subset's circumball (3-D points).
value_t brute_force_meb_sq(const std::vector<value_t>& pts, const std::vector<std::uint32_t>& v) {
    const int n = static_cast<int>(v.size());
    value_t best = value_inf;
    for (int mask = 1; mask < (1 << n); ++mask) {
        std::vector<const value_t*> sub;
        for (int i = 0; i < n; ++i)
            if (mask & (1 << i)) sub.push_back(&pts[3 * v[i]]);
        value_t r_sq = sub.size() == 1
                           ? 0
                           : detail::circumradius_sq<3>(sub.data(), static_cast<int>(sub.size()));
        bool encloses = true;
        // Center of the smallest sphere through the subset: p0 + sum lam_i (p_i - p0), from the
        // Gram system G lam = diag(G) / 2.
        std::array<value_t, 3> c{};
        const value_t* p0 = sub[0];
        const int m = static_cast<int>(sub.size()) - 1;
        if (m >= 1) {
            value_t g[3][3], rhs[3], lam[3] = {0, 0, 0};
            for (int i = 0; i < m; ++i) {
                for (int j = 0; j < m; ++j) {
                    g[i][j] = 0;
                    for (int t = 0; t < 3; ++t)
                        g[i][j] += (sub[i + 1][t] - p0[t]) * (sub[j + 1][t] - p0[t]);
                }
                rhs[i] = g[i][i] / 2;
            }
            // Gaussian elimination on the m x m system.
            for (int i = 0; i < m; ++i)
                for (int r = i + 1; r < m; ++r) {
                    value_t factor = g[r][i] / g[i][i];
                    for (int t = i; t < m; ++t) g[r][t] -= factor * g[i][t];
                    rhs[r] -= factor * rhs[i];
                }
            for (int i = m - 1; i >= 0; --i) {
                value_t s = rhs[i];
                for (int t = i + 1; t < m; ++t) s -= g[i][t] * lam[t];
                lam[i] = s / g[i][i];
            }
            for (int t = 0; t < 3; ++t) {
                c[t] = p0[t];
                for (int i = 0; i < m; ++i) c[t] += lam[i] * (sub[i + 1][t] - p0[t]);
            }
        } else {
            c = {p0[0], p0[1], p0[2]};
        }
        for (std::uint32_t w : v) {
            value_t d = 0;
            for (int t = 0; t < 3; ++t) d += (pts[3 * w + t] - c[t]) * (pts[3 * w + t] - c[t]);
            if (d > r_sq * (1 + 1e-9) + 1e-15) encloses = false;
        }
        if (encloses) best = std::min(best, r_sq);
    }
    return best;
}

std::set<std::array<index_t, 2>> all_pairs(const IndexPairs& p) {
    std::set<std::array<index_t, 2>> s;
    for (const auto& dim : p.finite) s.insert(dim.begin(), dim.end());
    return s;
}

}  // namespace

TEST(Delaunay, UnitTetrahedronAlphaValues) {
    auto pts = unit_tetrahedron();
    auto f = delaunay_filtration(pts, 3, DelaunayValueRule::alpha);
    std::vector<value_t> expected{0,   0,   0,   0,   0.25, 0.25, 0.25, 0.5,
                                  0.5, 0.5, 0.5, 0.5, 0.5,  0.75, 0.75};
    auto got = sorted_values(f);
    ASSERT_EQ(got.size(), expected.size());
    for (std::size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], expected[i], 1e-14) << i;
    EXPECT_TRUE(f.filtration.top_is_ball());
    EXPECT_EQ(f.filtration.kind(), "alpha");
}

TEST(Delaunay, UnitTetrahedronCechAndWeakAlpha) {
    auto pts = unit_tetrahedron();
    auto cech = sorted_values(delaunay_filtration(pts, 3, DelaunayValueRule::cech));
    std::vector<value_t> cech_expected{0,   0,   0,   0,   0.25, 0.25,    0.25,   0.5,
                                       0.5, 0.5, 0.5, 0.5, 0.5,  2.0 / 3, 2.0 / 3};
    ASSERT_EQ(cech.size(), cech_expected.size());
    for (std::size_t i = 0; i < cech.size(); ++i)
        EXPECT_NEAR(cech[i], cech_expected[i], 1e-14) << i;
    auto weak = sorted_values(delaunay_filtration(pts, 3, DelaunayValueRule::weak_alpha));
    std::vector<value_t> weak_expected{0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2};
    ASSERT_EQ(weak.size(), weak_expected.size());
    for (std::size_t i = 0; i < weak.size(); ++i) EXPECT_DOUBLE_EQ(weak[i], weak_expected[i]) << i;
}

TEST(Delaunay, ObtuseTriangleAlphaIsAttachedToNothingButCechUsesTheLongEdge) {
    // Obtuse at (1, 0.1): the long edge is not Gabriel, so its alpha value is the triangle's.
    std::vector<value_t> pts{0, 0, 2, 0, 1, 0.1};
    auto alpha = delaunay_filtration(pts, 2, DelaunayValueRule::alpha, true);
    auto cech = delaunay_filtration(pts, 2, DelaunayValueRule::cech, true);
    const index_t tri = alpha.filtration.size() - 1;
    const value_t circum =
        (1.0 + 0.01) * (1.0 + 0.01) * 4 / (4 * 0.2 * 0.2);  // |a|^2|b|^2|c|^2/(4 cross^2)
    EXPECT_NEAR(alpha.filtration.value(tri), circum, 1e-9);
    EXPECT_NEAR(alpha.filtration.value(tri - 1), circum, 1e-9);  // the attached long edge
    EXPECT_NEAR(cech.filtration.value(tri), 1.0, 1e-12);         // diametral ball of the long edge
    EXPECT_EQ(support_vertices(cech, tri), (std::vector<std::uint32_t>{0, 1}));
    EXPECT_EQ(support_vertices(alpha, tri - 1), (std::vector<std::uint32_t>{0, 1, 2}));
}

TEST(Delaunay, CechMatchesBruteForceMinimumEnclosingBall) {
    auto pts = random_points(60, 3, 7);
    auto f = delaunay_filtration(pts, 3, DelaunayValueRule::cech, true);
    for (index_t s = 0; s < f.filtration.size(); ++s) {
        auto v = cell_vertices(f, s);
        EXPECT_NEAR(f.filtration.value(s), brute_force_meb_sq(pts, v),
                    1e-10 * (1 + f.filtration.value(s)))
            << s;
        auto sup = support_vertices(f, s);
        EXPECT_TRUE(std::includes(v.begin(), v.end(), sup.begin(), sup.end())) << s;
    }
}

TEST(Delaunay, SupportsAreFacesOrCofacesAsTheRuleSays) {
    auto pts = random_points(200, 2, 11);
    auto weak = delaunay_filtration(pts, 2, DelaunayValueRule::weak_alpha, true);
    auto alpha = delaunay_filtration(pts, 2, DelaunayValueRule::alpha, true);
    for (index_t s = weak.filtration.dim_first(1); s < weak.filtration.size(); ++s) {
        auto v = cell_vertices(weak, s);
        auto sup = support_vertices(weak, s);
        ASSERT_EQ(sup.size(), 2u);
        EXPECT_TRUE(std::includes(v.begin(), v.end(), sup.begin(), sup.end()));
        const value_t* p = &pts[2 * sup[0]];
        const value_t* q = &pts[2 * sup[1]];
        EXPECT_DOUBLE_EQ(weak.filtration.value(s),
                         (p[0] - q[0]) * (p[0] - q[0]) + (p[1] - q[1]) * (p[1] - q[1]));
    }
    for (index_t s = alpha.filtration.dim_first(1); s < alpha.filtration.size(); ++s) {
        auto v = cell_vertices(alpha, s);
        auto sup = support_vertices(alpha, s);
        EXPECT_TRUE(std::includes(sup.begin(), sup.end(), v.begin(), v.end())) << s;
    }
}

TEST(Delaunay, FastPathsGiveTheSamePairsAsTheFullReduction) {
    for (int d : {2, 3})
        for (auto rule :
             {DelaunayValueRule::alpha, DelaunayValueRule::weak_alpha, DelaunayValueRule::cech}) {
            auto pts = random_points(150, d, 3 + d);
            auto f = delaunay_filtration(pts, d, rule);
            ASSERT_TRUE(f.filtration.top_is_ball());
            auto fast = compute_persistence_pairs(
                f.filtration,
                {.dualize = false, .fast_paths = true, .keep_zero_persistence = true});
            auto full = compute_persistence_pairs(
                f.filtration,
                {.dualize = false, .fast_paths = false, .keep_zero_persistence = true});
            auto cohom = compute_persistence_pairs(
                f.filtration, {.dualize = true, .fast_paths = true, .keep_zero_persistence = true});
            EXPECT_EQ(all_pairs(fast), all_pairs(full));
            EXPECT_EQ(all_pairs(cohom), all_pairs(full));
        }
}

TEST(Delaunay, DuplicatesBecomeZeroEdgesAndLeaveTheDiagramAlone) {
    std::vector<value_t> square{0, 0, 1, 0, 1, 1, 0, 1};
    std::vector<value_t> with_dup = square;
    with_dup.insert(with_dup.end(), {1, 1, 0, 0});  // copies of points 2 and 0
    auto a = delaunay_filtration(square, 2, DelaunayValueRule::alpha);
    auto b = delaunay_filtration(with_dup, 2, DelaunayValueRule::alpha, true);
    EXPECT_TRUE(b.has_duplicates);
    EXPECT_EQ(b.filtration.size(), a.filtration.size() + 4);  // two vertices, two zero edges
    EXPECT_EQ(b.filtration.value(b.filtration.dim_first(1)), 0.0);
    auto pa = compute_persistence_pairs(a.filtration, {.dualize = false});
    auto pb = compute_persistence_pairs(b.filtration, {.dualize = false});
    ASSERT_EQ(pa.finite.size(), pb.finite.size());
    for (std::size_t d = 0; d < pa.finite.size(); ++d) {
        std::multiset<std::pair<value_t, value_t>> va, vb;
        for (auto [x, y] : pa.finite[d]) va.insert({a.filtration.value(x), a.filtration.value(y)});
        for (auto [x, y] : pb.finite[d]) vb.insert({b.filtration.value(x), b.filtration.value(y)});
        EXPECT_EQ(va, vb) << d;
        EXPECT_EQ(pa.essential[d].size(), pb.essential[d].size()) << d;
    }
}

TEST(Delaunay, DegenerateCloudsGiveLowerDimensionalComplexes) {
    std::vector<value_t> collinear{0, 0, 3, 3, 1, 1, 2, 2};  // 2-D, on a line
    auto line = delaunay_filtration(collinear, 2, DelaunayValueRule::alpha);
    EXPECT_EQ(line.triangulation_dim, 1);
    EXPECT_EQ(line.filtration.max_dim(), 1);
    EXPECT_EQ(line.filtration.size_in_dim(1), 3);
    for (index_t s = 4; s < 7; ++s) EXPECT_NEAR(line.filtration.value(s), 0.5, 1e-14);

    std::vector<value_t> coplanar{0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1, 0, 0.5, 0.3, 0};  // 3-D, z = 0
    auto plane = delaunay_filtration(coplanar, 3, DelaunayValueRule::cech);
    EXPECT_EQ(plane.triangulation_dim, 2);
    EXPECT_TRUE(plane.filtration.top_is_ball());

    std::vector<value_t> one{1, 2, 3};
    auto single = delaunay_filtration(one, 3, DelaunayValueRule::weak_alpha);
    EXPECT_EQ(single.filtration.size(), 1);

    std::vector<value_t> all_same{1, 2, 1, 2, 1, 2};
    auto same = delaunay_filtration(all_same, 2, DelaunayValueRule::alpha);
    EXPECT_EQ(same.filtration.size(), 5);  // 3 vertices, 2 zero edges
}

TEST(Delaunay, RegularGridsWithManyCosphericalPoints) {
    std::vector<value_t> grid;
    for (int x = 0; x < 4; ++x)
        for (int y = 0; y < 4; ++y)
            for (int z = 0; z < 4; ++z)
                grid.insert(grid.end(), {value_t(x), value_t(y), value_t(z)});
    for (auto rule :
         {DelaunayValueRule::alpha, DelaunayValueRule::weak_alpha, DelaunayValueRule::cech}) {
        auto f = delaunay_filtration(grid, 3, rule);
        auto fast = compute_persistence_pairs(
            f.filtration, {.dualize = false, .fast_paths = true, .keep_zero_persistence = true});
        auto full = compute_persistence_pairs(
            f.filtration, {.dualize = false, .fast_paths = false, .keep_zero_persistence = true});
        EXPECT_EQ(all_pairs(fast), all_pairs(full));
        // A filled cube: one essential H0 class and nothing else.
        auto p = compute_persistence_pairs(f.filtration, {.dualize = false});
        EXPECT_EQ(p.essential[0].size(), 1u);
        for (std::size_t d = 1; d < p.essential.size(); ++d) EXPECT_TRUE(p.essential[d].empty());
    }
}

TEST(Delaunay, FlatTrianglesFallBackToTheLongestEdge) {
    value_t p0[2] = {0, 0}, p1[2] = {1, 0}, p2[2] = {0.5, 1e-25};
    const value_t* p[3] = {p0, p1, p2};
    value_t r = detail::circumradius_sq<2>(p, 3);
    EXPECT_TRUE(std::isfinite(r));
    EXPECT_DOUBLE_EQ(r, 0.25);
}

TEST(Delaunay, BadInputIsRejected) {
    std::vector<value_t> pts{0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0};
    EXPECT_THROW(delaunay_filtration(pts, 4, DelaunayValueRule::alpha), std::invalid_argument);
    std::vector<value_t> nan_pts{0, 0, NAN, 1, 1, 1};
    EXPECT_THROW(delaunay_filtration(nan_pts, 2, DelaunayValueRule::alpha), std::invalid_argument);
    std::vector<value_t> ragged{0, 0, 1};
    EXPECT_THROW(delaunay_filtration(ragged, 2, DelaunayValueRule::alpha), std::invalid_argument);
    std::vector<value_t> empty;
    EXPECT_THROW(delaunay_filtration(empty, 2, DelaunayValueRule::alpha), std::invalid_argument);
}

// The triangulation is inserted point by point (interruptibly) exactly as CGAL's range
// constructor would: on grids full of cospherical points, where the result depends on the order,
// the cells equal those of the range constructor run here on the same spatially sorted entries.
TEST(DelaunayReliability, InterruptibleInsertionEqualsTheRangeConstructor) {
    using Vb = CGAL::Triangulation_vertex_base_with_info_3<std::uint32_t, DelaunayKernel>;
    using Tds = CGAL::Triangulation_data_structure_3<
        Vb, CGAL::Delaunay_triangulation_cell_base_3<DelaunayKernel>, CGAL::Sequential_tag>;
    using Dt = CGAL::Delaunay_triangulation_3<DelaunayKernel, Tds>;
    using Entry = std::pair<DelaunayKernel::Point_3, std::uint32_t>;
    std::vector<value_t> grid;
    for (int x = 0; x < 5; ++x)
        for (int y = 0; y < 5; ++y)
            for (int z = 0; z < 4; ++z)
                grid.insert(grid.end(), {value_t(x), value_t(y), value_t(z)});
    const DelaunayTopCells mine = delaunay_top_cells(grid, 3);
    std::set<std::array<std::uint32_t, 4>> got;
    for (index_t c = 0; c < mine.n_top(); ++c) {
        std::array<std::uint32_t, 4> cell;
        for (int j = 0; j < 4; ++j) cell[j] = mine.original_of[mine.top[4 * c + j]];
        std::sort(cell.begin(), cell.end());
        got.insert(cell);
    }
    std::vector<Entry> entries;
    for (std::uint32_t i = 0; i < grid.size() / 3; ++i)
        entries.emplace_back(DelaunayKernel::Point_3(grid[3 * i], grid[3 * i + 1], grid[3 * i + 2]),
                             i);
    CGAL::spatial_sort(
        entries.begin(), entries.end(),
        CGAL::Spatial_sort_traits_adapter_3<DelaunayKernel,
                                            CGAL::First_of_pair_property_map<Entry>>());
    const Dt reference(entries.begin(), entries.end());
    std::set<std::array<std::uint32_t, 4>> expected;
    for (auto c : reference.finite_cell_handles()) {
        std::array<std::uint32_t, 4> cell;
        for (int j = 0; j < 4; ++j) cell[j] = c->vertex(j)->info();
        std::sort(cell.begin(), cell.end());
        expected.insert(cell);
    }
    EXPECT_EQ(got, expected);
}

TEST(DelaunayReliability, CancelledTriangulationThrows) {
    const auto pts = random_points(20000, 3, 3);
    CancellationToken token;
    token.cancel();
    TokenScope scope(&token);
    EXPECT_THROW(delaunay_top_cells(pts, 3), interrupted);
}

#else

TEST(Delaunay, SkippedWithoutCgal) { GTEST_SKIP() << "CGAL not found at configure time"; }

#endif
