// The closed-form gradient of squared circumradii (2 λ_i (p_i - c)) against central finite
// differences of the value itself, for edges, triangles in 2-D and 3-D, tetrahedra, and flat
// simplices that take their longest edge.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>
#include <vector>

#include "calydon/delaunay/radius_gradient.hpp"

using namespace calydon;

namespace {

/// Finite differences of Σ_r g[r] r²(row r) with respect to every coordinate.
template <int D>
std::vector<value_t> numeric_gradient(std::vector<value_t> points, const std::vector<index_t>& rows,
                                      int k, const std::vector<value_t>& g) {
    auto total = [&](const std::vector<value_t>& p) {
        const auto r_sq = support_radii_sq<D>(p, rows, k, 1);
        value_t s = 0;
        for (std::size_t r = 0; r < r_sq.size(); ++r) s += g[r] * r_sq[r];
        return s;
    };
    std::vector<value_t> out(points.size());
    const value_t h = 1e-6;
    for (std::size_t i = 0; i < points.size(); ++i) {
        const value_t x = points[i];
        points[i] = x + h;
        const value_t up = total(points);
        points[i] = x - h;
        const value_t down = total(points);
        points[i] = x;
        out[i] = (up - down) / (2 * h);
    }
    return out;
}

template <int D>
void expect_gradient_matches(int k, unsigned seed, int n_threads) {
    std::mt19937 gen(seed);
    std::uniform_real_distribution<value_t> u(-1.0, 1.0);
    const int n = 12, m = 30;
    std::vector<value_t> points(n * D);
    for (auto& x : points) x = u(gen);
    std::vector<index_t> rows;
    std::vector<value_t> g;
    for (int r = 0; r < m; ++r) {
        std::vector<index_t> row;
        while (static_cast<int>(row.size()) < k) {
            const index_t v = static_cast<index_t>(gen() % n);
            if (std::find(row.begin(), row.end(), v) == row.end()) row.push_back(v);
        }
        rows.insert(rows.end(), row.begin(), row.end());
        g.push_back(u(gen));
    }
    const auto exact = support_radii_sq_gradient<D>(points, rows, k, g, n_threads);
    const auto numeric = numeric_gradient<D>(points, rows, k, g);
    for (std::size_t i = 0; i < exact.size(); ++i)
        EXPECT_NEAR(exact[i], numeric[i], 1e-5 * (1 + std::abs(numeric[i])))
            << "D=" << D << " k=" << k << " coordinate " << i;
}

}  // namespace

TEST(RadiusGradient, MatchesFiniteDifferences) {
    for (unsigned seed = 0; seed < 3; ++seed) {
        expect_gradient_matches<2>(2, seed, 1);
        expect_gradient_matches<2>(3, seed, 2);
        expect_gradient_matches<3>(2, seed, 1);
        expect_gradient_matches<3>(3, seed, 2);
        expect_gradient_matches<3>(4, seed, 3);
    }
}

TEST(RadiusGradient, FlatSimplicesTakeTheLongestEdge) {
    // Collinear triangle: r² = |p0 - p2|² / 4 = 1, gradient ±(p0 - p2) / 2 on the far pair.
    const std::vector<value_t> line = {0, 0, 0, 1, 0, 0, 2, 0, 0};
    const std::vector<index_t> tri = {0, 1, 2};
    EXPECT_DOUBLE_EQ(support_radii_sq<3>(line, tri, 3, 1)[0], 1.0);
    const auto grad = support_radii_sq_gradient<3>(line, tri, 3, std::vector<value_t>{1.0}, 1);
    const std::vector<value_t> expected = {-1, 0, 0, 0, 0, 0, 1, 0, 0};
    for (std::size_t i = 0; i < grad.size(); ++i) EXPECT_DOUBLE_EQ(grad[i], expected[i]) << i;
    // A flat square (tetrahedron of volume 0): its two diagonals tie and share the gradient.
    const std::vector<value_t> square = {0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0};
    const std::vector<index_t> tet = {0, 1, 2, 3};
    EXPECT_DOUBLE_EQ(support_radii_sq<3>(square, tet, 4, 1)[0], 0.5);
    const auto split = support_radii_sq_gradient<3>(square, tet, 4, std::vector<value_t>{1.0}, 1);
    EXPECT_DOUBLE_EQ(split[0], -0.25);  // vertex 0 on diagonal (0, 2): (0 - 1) / 2, halved
    EXPECT_DOUBLE_EQ(split[1], -0.25);
}

TEST(RadiusGradient, TheSumDoesNotDependOnTheThreadCount) {
    std::mt19937 gen(9);
    std::uniform_real_distribution<value_t> u(0.0, 1.0);
    // Enough points and rows that both passes split into ranges at 2 and 3 threads.
    const int n = 5000, m = 40000;
    std::vector<value_t> points(n * 3);
    for (auto& x : points) x = u(gen);
    std::vector<index_t> rows;
    std::vector<value_t> g(m);
    for (int r = 0; r < m; ++r) {
        for (int j = 0; j < 4; ++j) rows.push_back(static_cast<index_t>((r * 7 + j * 131) % n));
        g[r] = u(gen) - 0.5;
    }
    const auto one = support_radii_sq_gradient<3>(points, rows, 4, g, 1);
    for (int n_threads : {2, 3})
        EXPECT_EQ(one, support_radii_sq_gradient<3>(points, rows, 4, g, n_threads));
}

TEST(RadiusGradient, RowsOutsideThePointsAreRefused) {
    const std::vector<value_t> points = {0, 0, 1, 0};
    EXPECT_THROW(support_radii_sq<2>(points, std::vector<index_t>{0, 2}, 2, 1),
                 std::invalid_argument);
    EXPECT_THROW(support_radii_sq<2>(points, std::vector<index_t>{0, 1, 0, 1}, 4, 1),
                 std::invalid_argument);
}
