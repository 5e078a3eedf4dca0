// The 3-D triangulation on several threads (slabs merged through their border) against CGAL's
// serial insertion, cell for cell: uniform, clustered and elongated clouds, lattices full of
// cospherical points and duplicates, points on a sphere (almost all border), flat clouds.
#include <gtest/gtest.h>

#ifdef CALYDON_HAVE_CGAL

#include <cmath>
#include <random>
#include <vector>

#include "calydon/delaunay/triangulation.hpp"

using namespace calydon;

namespace {

using Cloud = std::vector<value_t>;

Cloud uniform_cube(int n, unsigned seed, double stretch_z = 1.0) {
    std::mt19937 gen(seed);
    std::uniform_real_distribution<value_t> u(0.0, 1.0);
    Cloud p;
    for (int i = 0; i < n; ++i) {
        p.push_back(u(gen));
        p.push_back(u(gen));
        p.push_back(stretch_z * u(gen));
    }
    return p;
}

Cloud lattice(int side, int n_duplicates) {
    Cloud p;
    for (int x = 0; x < side; ++x)
        for (int y = 0; y < side; ++y)
            for (int z = 0; z < side; ++z) p.insert(p.end(), {value_t(x), value_t(y), value_t(z)});
    for (int i = 0; i < n_duplicates; ++i)
        p.insert(p.end(), p.begin() + 3 * i * 7, p.begin() + 3 * i * 7 + 3);
    return p;
}

Cloud sphere(int n, unsigned seed) {
    std::mt19937 gen(seed);
    std::normal_distribution<value_t> g;
    Cloud p;
    for (int i = 0; i < n; ++i) {
        value_t v[3] = {g(gen), g(gen), g(gen)};
        const value_t r = std::sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        for (value_t c : v) p.push_back(c / r);
    }
    return p;
}

Cloud two_clusters(int n, unsigned seed) {
    Cloud p = uniform_cube(n, seed);
    for (std::size_t i = 0; i < p.size(); i += 6) p[i] += 50.0;  // every other point far away
    return p;
}

Cloud plane(int n, unsigned seed) {
    Cloud p = uniform_cube(n, seed);
    for (std::size_t i = 0; i < p.size(); i += 3) p[i + 2] = 0.5 * p[i] - 0.25 * p[i + 1];
    return p;
}

void expect_same_as_serial(const Cloud& cloud, int n_threads) {
    const DelaunayTopCells serial = delaunay_top_cells(cloud, 3, 1);
    const DelaunayTopCells split = delaunay_top_cells(cloud, 3, n_threads);
    ASSERT_EQ(split.dim, serial.dim);
    ASSERT_EQ(split.n_top(), serial.n_top());
    EXPECT_TRUE(split.top == serial.top) << "the cells differ with " << n_threads << " threads";
    EXPECT_EQ(split.original_of, serial.original_of);
    EXPECT_EQ(split.representative, serial.representative);
}

/// The merge straight from split_delaunay_rows, with the first slab's early insertion of likely
/// border vertices at its two extremes (none, every candidate) and timing-dependent in between.
void expect_every_early_insertion_matches(const Cloud& cloud, int n_threads) {
    const DelaunayTopCells serial = delaunay_top_cells(cloud, 3, 1);
    DelaunayTopCells numbered;
    auto entries = detail::distinct_points_in_spatial_order(cloud, numbered, 1);
    detail::number_locally(entries, numbered);
    using detail::EarlyInsertion;
    for (EarlyInsertion early :
         {EarlyInsertion::none, EarlyInsertion::while_classifying, EarlyInsertion::all}) {
        const auto rows =
            detail::split_delaunay_rows(entries, numbered.n_points(), n_threads, early);
        ASSERT_TRUE(rows.has_value());
        EXPECT_TRUE(*rows == serial.top)
            << "early insertion " << static_cast<int>(early) << ", " << n_threads << " threads";
    }
}

}  // namespace

TEST(SplitTriangulation, AnyEarlyInsertionOfTheBorderGivesTheSameCells) {
    expect_every_early_insertion_matches(uniform_cube(5000, 11), 2);
    expect_every_early_insertion_matches(uniform_cube(6000, 12), 4);
    expect_every_early_insertion_matches(lattice(14, 0), 2);
    expect_every_early_insertion_matches(sphere(3000, 13), 3);
}

TEST(SplitTriangulation, UniformCloudsMatchTheSerialTriangulation) {
    for (int n_threads : {2, 3, 4}) expect_same_as_serial(uniform_cube(6000, 1), n_threads);
    expect_same_as_serial(uniform_cube(2500, 2), 2);
}

TEST(SplitTriangulation, LatticesWithCosphericalPointsAndDuplicates) {
    // Every unit cube of a lattice has 8 cospherical corners: CGAL's symbolic perturbation picks
    // the cells, and the slabs' perturbation must agree with the whole's.
    expect_same_as_serial(lattice(14, 0), 2);
    expect_same_as_serial(lattice(15, 40), 3);
}

TEST(SplitTriangulation, ElongatedAndClusteredClouds) {
    expect_same_as_serial(uniform_cube(5000, 3, 20.0), 2);  // cut across z, the widest axis
    expect_same_as_serial(two_clusters(5000, 4), 2);
    expect_same_as_serial(two_clusters(5000, 5), 4);
}

TEST(SplitTriangulation, PointsOnASphereAreAllBorderAndStillMatch) {
    expect_same_as_serial(sphere(3000, 6), 2);
}

TEST(SplitTriangulation, TinyHugeAndFarAwayCoordinates) {
    // The safety test scales each cell's edges, so no power of them under- or overflows; far from
    // the origin the centres lose digits, which the margin must cover. Beyond 1e154 the squared
    // gap to another slab overflowed and cleared every ball (cells went missing at 1e160).
    for (double factor : {1e-300, 1e-80, 1e80, 1e160, 1e200}) {
        Cloud cloud = uniform_cube(3000, 8);
        for (value_t& x : cloud) x *= factor;
        expect_same_as_serial(cloud, 2);
    }
    Cloud far = uniform_cube(3000, 9);
    for (value_t& x : far) x = 1e7 + x * 1e-3;
    expect_same_as_serial(far, 2);
}

TEST(SplitTriangulation, FlatCloudsFallBackToTheSerialTriangulation) {
    expect_same_as_serial(plane(3000, 7), 2);
}

#endif  // CALYDON_HAVE_CGAL
