// tests/cpp/test_distance.cpp: Wasserstein and bottleneck matchings against brute force.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <stdexcept>
#include <vector>

#include "calydon/distance/bottleneck.hpp"
#include "calydon/distance/wasserstein.hpp"

constexpr double inf = std::numeric_limits<double>::infinity();

using namespace calydon;

namespace {

std::vector<double> random_diagram(std::mt19937& rng, int n, double grid = 0.0) {
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::vector<double> rows;
    for (int k = 0; k < n; ++k) {
        double b = u(rng), d = b + u(rng);
        if (grid > 0) {
            b = std::round(b / grid) * grid;
            d = b + grid * (1 + std::round(u(rng) * 3));
        }
        rows.push_back(b);
        rows.push_back(d);
    }
    return rows;
}

/// Diagonal-augmented assignment by enumerating permutations (tiny sizes only).
double brute_wasserstein_cost(const std::vector<double>& a, const std::vector<double>& b, double q,
                              double p) {
    const int n = static_cast<int>(a.size() / 2), m = static_cast<int>(b.size() / 2), size = n + m;
    auto lp = [&](double dx, double dy) {
        return std::isinf(p) ? std::max(dx, dy)
                             : std::pow(std::pow(dx, p) + std::pow(dy, p), 1.0 / p);
    };
    auto cost = [&](int r, int c) -> double {
        if (r < n && c < m)
            return std::pow(
                lp(std::fabs(a[2 * r] - b[2 * c]), std::fabs(a[2 * r + 1] - b[2 * c + 1])), q);
        if (r < n) {
            const double h = std::fabs(a[2 * r + 1] - a[2 * r]) / 2;
            return std::pow(lp(h, h), q);
        }
        if (c < m) {
            const double h = std::fabs(b[2 * c + 1] - b[2 * c]) / 2;
            return std::pow(lp(h, h), q);
        }
        return 0.0;
    };
    std::vector<int> perm(static_cast<std::size_t>(size));
    std::iota(perm.begin(), perm.end(), 0);
    double best = inf;
    do {
        double total = 0;
        for (int r = 0; r < size; ++r) total += cost(r, perm[r]);
        best = std::min(best, total);
    } while (std::next_permutation(perm.begin(), perm.end()));
    return best;
}

/// Smallest max edge over all perfect matchings of the augmented graph, by enumeration.
double brute_bottleneck(const std::vector<double>& a, const std::vector<double>& b) {
    const int n = static_cast<int>(a.size() / 2), m = static_cast<int>(b.size() / 2), size = n + m;
    auto edge = [&](int r, int c) -> double {
        if (r < n && c < m)
            return std::max(std::fabs(a[2 * r] - b[2 * c]), std::fabs(a[2 * r + 1] - b[2 * c + 1]));
        if (r < n) return std::fabs(a[2 * r + 1] - a[2 * r]) / 2;
        if (c < m) return std::fabs(b[2 * c + 1] - b[2 * c]) / 2;
        return 0.0;
    };
    std::vector<int> perm(static_cast<std::size_t>(size));
    std::iota(perm.begin(), perm.end(), 0);
    double best = inf;
    do {
        double longest = 0;
        for (int r = 0; r < size; ++r) longest = std::max(longest, edge(r, perm[r]));
        best = std::min(best, longest);
    } while (std::next_permutation(perm.begin(), perm.end()));
    return best;
}

double exact_cost(const std::vector<double>& a, const std::vector<double>& b, double q, double p) {
    return wasserstein_matching(a, b, {q, 0.0, p}, false, false, "test").cost;
}

}  // namespace

TEST(Distance, HungarianMatchesPermutationBruteForce) {
    std::mt19937 rng(1);
    for (int trial = 0; trial < 30; ++trial) {
        const auto a = random_diagram(rng, 1 + trial % 4), b = random_diagram(rng, trial % 5);
        for (double q : {1.0, 2.0, 2.5})
            for (double p : {1.0, 2.0, inf})
                EXPECT_NEAR(exact_cost(a, b, q, p), brute_wasserstein_cost(a, b, q, p), 1e-10)
                    << trial;
    }
}

TEST(Distance, AuctionWithinRelativeError) {
    std::mt19937 rng(2);
    for (int trial = 0; trial < 8; ++trial) {
        const auto a = random_diagram(rng, 40 + 10 * trial),
                   b = random_diagram(rng, 30 + 7 * trial);
        for (double q : {1.0, 2.0})
            for (double p : {1.0, inf})
                for (double delta : {0.01, 0.2}) {
                    const double exact = std::pow(exact_cost(a, b, q, p), 1.0 / q);
                    const double approx = wasserstein_distance(a, b, {q, delta, p});
                    EXPECT_GE(approx, exact * (1 - 1e-12));
                    EXPECT_LE(approx, exact * (1 + delta) + 1e-12);
                }
    }
}

TEST(Distance, DuplicatePointsTerminate) {
    std::vector<double> a, b;
    for (int k = 0; k < 300; ++k) {
        a.insert(a.end(), {0.0, 1.0});
        b.insert(b.end(), {0.0, 1.1});
    }
    b.insert(b.end(), {0.5, 0.7});
    const double w = wasserstein_distance(a, b, {1.0, 0.01, inf});
    EXPECT_NEAR(w, 300 * 0.1 + 0.1, 0.01 * (300 * 0.1 + 0.1));
    const double bn = bottleneck_distance(a, b, 0.0);
    EXPECT_EQ(bn, 1.1 - 1.0);  // the edge (0, 1) - (0, 1.1), in the same arithmetic
}

TEST(Distance, GridDiagramsWithTiesMatchBruteForce) {
    std::mt19937 rng(3);
    for (int trial = 0; trial < 40; ++trial) {
        const auto a = random_diagram(rng, 1 + trial % 4, 0.25),
                   b = random_diagram(rng, 1 + trial % 3, 0.25);
        EXPECT_DOUBLE_EQ(bottleneck_distance(a, b, 0.0), brute_bottleneck(a, b)) << trial;
        EXPECT_LE(bottleneck_distance(a, b, 0.1), brute_bottleneck(a, b) * 1.1 + 1e-15);
        EXPECT_NEAR(exact_cost(a, b, 1.0, inf), brute_wasserstein_cost(a, b, 1.0, inf), 1e-12);
    }
}

TEST(Distance, BottleneckMatchesBruteForce) {
    std::mt19937 rng(4);
    for (int trial = 0; trial < 40; ++trial) {
        const auto a = random_diagram(rng, trial % 5), b = random_diagram(rng, 1 + trial % 4);
        const double exact = brute_bottleneck(a, b);
        EXPECT_DOUBLE_EQ(bottleneck_distance(a, b, 0.0), exact) << trial;
        const double approx = bottleneck_distance(a, b, 0.05);
        EXPECT_GE(approx, exact);
        EXPECT_LE(approx, exact * 1.05 + 1e-15);
    }
}

TEST(Distance, EssentialFamiliesAndMismatch) {
    const std::vector<double> a = {0.0, inf, 1.0, inf, 0.0, 1.0};
    const std::vector<double> b = {0.5, inf, 3.0, inf};
    // Rank matching 0 <-> 0.5, 1 <-> 3; the finite point (0, 1) goes to the diagonal (0.5).
    EXPECT_DOUBLE_EQ(wasserstein_distance(a, b, {1.0, 0.01, inf}), 0.5 + 2.0 + 0.5);
    EXPECT_DOUBLE_EQ(bottleneck_distance(a, b, 0.0), 2.0);
    const std::vector<double> c = {0.5, -inf};
    EXPECT_TRUE(std::isinf(wasserstein_distance(a, c, {1.0, 0.01, inf})));
    EXPECT_THROW(wasserstein_matching(a, c, {1.0, 0.01, inf}, false, true, "t"),
                 std::invalid_argument);
    EXPECT_DOUBLE_EQ(wasserstein_matching(a, c, {1.0, 0.01, inf}, true, true, "t").cost, 0.5);
}

TEST(Distance, IdenticalMultisetsInAnotherOrderCostZero) {
    std::mt19937 rng(5);
    auto a = random_diagram(rng, 50);
    std::vector<double> b;
    for (int k = 49; k >= 0; --k) b.insert(b.end(), {a[2 * k], a[2 * k + 1]});
    const auto m = wasserstein_matching(a, b, {2.0, 0.01, 2.0}, true, true, "t");
    EXPECT_EQ(m.cost, 0.0);
    for (auto [i, j] : m.finite_pairs) EXPECT_EQ(i, 49 - j);
}

TEST(Distance, BadArgumentsThrow) {
    const std::vector<double> a = {0.0, 1.0}, nan_row = {0.0, NAN};
    EXPECT_THROW(wasserstein_distance(a, a, {0.5, 0.01, inf}), std::invalid_argument);
    EXPECT_THROW(wasserstein_distance(a, a, {1.0, -0.1, inf}), std::invalid_argument);
    EXPECT_THROW(wasserstein_distance(a, a, {1.0, 0.01, 0.5}), std::invalid_argument);
    EXPECT_THROW(wasserstein_distance(a, nan_row, {1.0, 0.01, inf}), std::invalid_argument);
    EXPECT_THROW(bottleneck_distance(a, a, -1.0), std::invalid_argument);
}

namespace {

std::vector<double> scaled(std::vector<double> rows, double s) {
    for (double& x : rows) x *= s;
    return rows;
}

}  // namespace

// Costs d^q beyond the double range used to hang both solvers (inf and NaN prices) or to return
// 0; in scaled units they terminate, and powers of two scale the answer exactly.
TEST(DistanceReliability, HugeCostsTerminateWithinTheGuarantee) {
    std::mt19937 rng(21);
    for (auto [q, s] : {std::pair{100.0, 1e4}, std::pair{2.0, 1e160}, std::pair{400.0, 1.0},
                        std::pair{1e6, 1.0}, std::pair{2.0, 1e-170}}) {
        const auto a = scaled(random_diagram(rng, 5), s), b = scaled(random_diagram(rng, 4), s);
        const double exact = wasserstein_distance(a, b, {q, 0.0, inf});
        const double approx = wasserstein_distance(a, b, {q, 0.01, inf});
        ASSERT_TRUE(std::isfinite(exact) && exact > 0) << q << " " << s;
        EXPECT_LE(exact, approx * (1 + 1e-12)) << q << " " << s;
        EXPECT_LE(approx, exact * 1.01 * (1 + 1e-12)) << q << " " << s;
        // Brute force over permutations in units of s: (d/s)^q stays representable for q <= 400.
        if (q <= 400) {
            const double unit = brute_wasserstein_cost(scaled(a, 1 / s), scaled(b, 1 / s), q, inf);
            EXPECT_NEAR(exact / s, std::pow(unit, 1 / q), 1e-9 * exact / s) << q << " " << s;
        }
    }
}

TEST(DistanceReliability, PowersOfTwoScaleTheDistanceExactly) {
    std::mt19937 rng(8);
    const auto a = random_diagram(rng, 30), b = random_diagram(rng, 26);
    for (double q : {1.0, 2.0, 100.0, 1e6})
        for (int k : {-600, -200, 300, 600}) {
            const double s = std::ldexp(1.0, k);
            const double base = wasserstein_distance(a, b, {q, 0.0, 2.0});
            EXPECT_NEAR(wasserstein_distance(scaled(a, s), scaled(b, s), {q, 0.0, 2.0}) / s, base,
                        1e-12 * base)
                << q << " " << k;
        }
}

TEST(DistanceReliability, BottleneckBisectionBeyondTheSquareRootRange) {
    std::mt19937 rng(4);
    const auto a = random_diagram(rng, 6), b = random_diagram(rng, 5);
    const double exact = brute_bottleneck(a, b);
    for (double s : {1e-300, 1e-200, 1e200, 1e300}) {
        const double got = bottleneck_distance(scaled(a, s), scaled(b, s), 0.01);
        EXPECT_GE(got, exact * s * (1 - 1e-12)) << s;
        EXPECT_LE(got, exact * s * 1.01 * (1 + 1e-12)) << s;
    }
}

TEST(DistanceReliability, UnrepresentableDistanceThrows) {
    const std::vector<double> a{-1.5e308, 1.5e308}, empty;
    EXPECT_THROW(wasserstein_distance(a, empty, {1.0, 0.01, 1.0}), std::invalid_argument);
}
