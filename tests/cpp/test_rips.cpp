// tests/cpp/test_rips.cpp: the combinatorial number system, the explicit Rips filtration and the
// implicit cohomology, checked against each other and against a general column reduction.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <stdexcept>

#include "calydon/persistence/pairs.hpp"
#include "calydon/rips/cohomology.hpp"
#include "calydon/rips/explicit_filtration.hpp"
#include "calydon/rips/size_estimate.hpp"
#include "rips_fixtures.hpp"

using namespace calydon;
using calydon::testing::explicit_diagrams;
using calydon::testing::Multiset;
using calydon::testing::random_points;

namespace {

template <class Distances>
std::vector<Multiset> implicit_diagrams(const Distances& dist, dim_t max_dim, value_t threshold) {
    RipsCohomology<Distances> reducer(dist, max_dim, threshold);
    auto pairs = reducer.compute();
    std::vector<Multiset> out(pairs.size());
    for (std::size_t k = 0; k < pairs.size(); ++k) {
        for (const RipsPair& p : pairs[k])
            out[k].push_back(
                {p.birth.diameter, p.death.index == no_index ? value_inf : p.death.diameter});
        std::sort(out[k].begin(), out[k].end());
    }
    return out;
}

}  // namespace

TEST(RipsBinomial, IndexRoundTrip) {
    BinomialTable binom(12, 4);
    std::vector<index_t> vertices;
    for (dim_t dim = 0; dim <= 3; ++dim)
        for (index_t index = 0; index < binom(12, dim + 1); ++index) {
            simplex_vertices(index, dim, binom, vertices);
            EXPECT_TRUE(std::is_sorted(vertices.rbegin(), vertices.rend()));
            EXPECT_EQ(std::adjacent_find(vertices.begin(), vertices.end()), vertices.end());
            EXPECT_EQ(simplex_index(vertices, binom), index);
        }
}

// The second-lowest vertex is decoded from a square root: check it on both sides of every
// boundary C(v, 2) a large vertex count reaches, inside triangles too.
TEST(RipsBinomial, LargeIndicesDecodeOnEverySquareBoundary) {
    const index_t n = 300'000;
    BinomialTable binom(n, 3);
    std::vector<index_t> vertices;
    for (index_t v = 1; v < n; v += (v < 1000 ? 1 : 997)) {
        for (index_t u : {index_t{0}, v - 1}) {
            simplex_vertices(binom(v, 2) + u, 1, binom, vertices);
            EXPECT_EQ(vertices, (std::vector<index_t>{v, u})) << "edge " << v << " " << u;
            const index_t w = n - 1 - (v % 7);
            if (w <= v) continue;
            simplex_vertices(binom(w, 3) + binom(v, 2) + u, 2, binom, vertices);
            EXPECT_EQ(vertices, (std::vector<index_t>{w, v, u})) << "triangle " << w << " " << v;
        }
    }
}

TEST(RipsBinomial, OverflowIsReported) {
    EXPECT_THROW(BinomialTable(100'000, 5), std::overflow_error);
    EXPECT_NO_THROW(BinomialTable(3'000, 3));
}

TEST(RipsCofacets, DenseAndSparseEnumerateTheSameCofacets) {
    const index_t n = 9;
    auto x = random_points(n, 2, 3);
    PointCloud pts{x.data(), n, 2};
    DenseDistances dense(pts);
    const value_t threshold = 0.7;
    SparseDistances sparse(n, threshold, [&](index_t u, index_t v) { return pts.distance(u, v); });
    BinomialTable binom(n, 4);
    Cofacets<DenseDistances> a(dense, binom, threshold);
    Cofacets<SparseDistances> b(sparse, binom, threshold);
    std::vector<index_t> vertices;
    for (index_t index = 0; index < binom(n, 2); ++index) {
        simplex_vertices(index, 1, binom, vertices);
        const value_t diam = dense(vertices[0], vertices[1]);
        if (diam > threshold) continue;
        std::vector<std::pair<value_t, index_t>> from_dense, from_sparse;
        DiamIndex c;
        a.set_simplex({diam, index}, 1);
        while (a.next(c)) from_dense.push_back({c.diameter, c.index});
        b.set_simplex({diam, index}, 1);
        while (b.next(c)) from_sparse.push_back({c.diameter, c.index});
        EXPECT_EQ(from_dense, from_sparse);
        EXPECT_TRUE(std::is_sorted(from_dense.rbegin(), from_dense.rend(),
                                   [](auto& p, auto& q) { return p.second < q.second; }));
        for (auto [d, cof] : from_dense) {
            simplex_vertices(cof, 2, binom, vertices);
            EXPECT_EQ(diameter_of(vertices, dense), d);
        }
    }
}

TEST(RipsFiltration, CellsFacesAndCriticalEdges) {
    const index_t n = 8;
    auto x = random_points(n, 3, 5);
    PointCloud pts{x.data(), n, 3};
    SparseDistances nbrs(n, value_inf, [&](index_t u, index_t v) { return pts.distance(u, v); });
    RipsFiltration built = rips_filtration(nbrs, 3, 1 << 20);
    const Filtration& fil = built.filtration;
    EXPECT_EQ(fil.kind(), "vr");
    EXPECT_TRUE(fil.prefers_cohomology());
    EXPECT_EQ(fil.size_in_dim(0), 8);
    EXPECT_EQ(fil.size_in_dim(1), 28);
    EXPECT_EQ(fil.size_in_dim(2), 56);
    EXPECT_EQ(fil.size_in_dim(3), 70);
    for (index_t i = 0; i < fil.size(); ++i) {
        const index_t u = built.critical_edges[2 * i], v = built.critical_edges[2 * i + 1];
        EXPECT_EQ(u == v ? 0.0 : pts.distance(u, v), fil.value(i));
    }
    EXPECT_THROW(rips_filtration(nbrs, 3, 100), std::length_error);
}

TEST(RipsCohomology, MatchesExplicitReductionOnRandomClouds) {
    for (unsigned seed = 0; seed < 12; ++seed) {
        const index_t n = 14 + seed % 5;
        const int grid = seed % 3 == 0 ? 3 : 0;  // every third cloud is full of ties
        auto x = random_points(n, 3, seed, grid);
        PointCloud pts{x.data(), n, 3};
        DenseDistances dense(pts);
        const value_t radius =
            enclosing_radius(n, [&](index_t u, index_t v) { return dense(u, v); });
        for (value_t threshold : {radius, 0.6 * radius, value_inf}) {
            SparseDistances sparse(n, threshold, [&](index_t u, index_t v) { return dense(u, v); });
            for (dim_t max_dim : {1, 2, 3, 4}) {
                auto expected = explicit_diagrams(sparse, max_dim);
                EXPECT_EQ(implicit_diagrams(dense, max_dim, threshold), expected)
                    << "seed " << seed << " dim " << max_dim;
                EXPECT_EQ(implicit_diagrams(sparse, max_dim, threshold), expected)
                    << "seed " << seed << " dim " << max_dim;
            }
        }
    }
}

TEST(RipsSizeEstimate, EdgesExactWhenEverySampleIsUsed) {
    const index_t n = 30;
    auto x = random_points(n, 2, 11);
    PointCloud pts{x.data(), n, 2};
    auto len = [&](index_t u, index_t v) { return pts.distance(u, v); };
    SparseDistances nbrs(n, 0.4, len);
    auto est = estimate_rips_size(n, 2, 0.4, n, len);
    EXPECT_DOUBLE_EQ(est.simplices[1], static_cast<double>(nbrs.n_edges()));
    RipsFiltration built = rips_filtration(nbrs, 2, 1 << 20);
    EXPECT_GE(est.simplices[2], static_cast<double>(built.filtration.size_in_dim(2)));
}

// Lengths whose squares over- or underflow are computed on differences scaled by a power of two:
// scaling the points by 2^k scales every length by exactly 2^k.
TEST(RipsReliability, LengthsScaleExactlyFarOutsideTheSquareRange) {
    const auto pts = random_points(12, 3, 5);
    const PointCloud base{pts.data(), 12, 3};
    for (int k : {-1060, -600, -540, 540, 600, 1000}) {
        std::vector<value_t> moved(pts);
        for (value_t& x : moved) x = std::ldexp(x, k);
        const PointCloud cloud{moved.data(), 12, 3};
        for (index_t u = 0; u < 12; ++u)
            for (index_t v = 0; v < u; ++v) {
                const value_t expected = std::ldexp(base.distance(u, v), k);
                if (expected < 0x1p-1000) continue;  // subnormal inputs lost bits already
                EXPECT_EQ(cloud.distance(u, v), expected) << k << " " << u << " " << v;
            }
    }
}

TEST(RipsReliability, WorkPollerChecksTheTokenByWorkDone) {
    CancellationToken token;
    TokenScope scope(&token);
    WorkPoller poller(1000);
    poller.add(999);  // below the quantum: no check, even once cancelled
    token.cancel();
    poller.add(0);
    EXPECT_THROW(poller.add(1), interrupted);
}

TEST(RipsReliability, CancelledCohomologyThrows) {
    const auto pts = random_points(300, 3, 9);
    const DenseDistances dist(PointCloud{pts.data(), 300, 3});
    CancellationToken token;
    token.cancel();
    TokenScope scope(&token);
    RipsCohomology<DenseDistances> reducer(dist, 2, value_inf);
    EXPECT_THROW(reducer.compute(), interrupted);
}
