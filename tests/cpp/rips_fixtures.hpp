// Shared by the Rips C++ tests: random clouds and the diagrams of the explicit reduction.
#pragma once

#include <algorithm>
#include <cmath>
#include <random>
#include <utility>
#include <vector>

#include "calydon/persistence/pairs.hpp"
#include "calydon/rips/explicit_filtration.hpp"

namespace calydon::testing {

/// n points in [0, 1)^d; grid > 0 snaps coordinates to a lattice, which makes many lengths
/// equal (ties).
inline std::vector<value_t> random_points(index_t n, index_t d, unsigned seed, int grid = 0) {
    std::mt19937 gen(seed);
    std::uniform_real_distribution<value_t> uni(0.0, 1.0);
    std::vector<value_t> x(n * d);
    for (auto& c : x) c = grid ? std::floor(uni(gen) * grid) : uni(gen);
    return x;
}

using Multiset = std::vector<std::pair<value_t, value_t>>;

/// Finite and essential points of the explicit filtration, reduced by the general column
/// reduction without fast paths (the independent reference for the implicit cohomology).
inline std::vector<Multiset> explicit_diagrams(const SparseDistances& nbrs, dim_t max_dim) {
    RipsFiltration built = rips_filtration(nbrs, max_dim, 1 << 30);
    IndexPairs pairs =
        compute_persistence_pairs(built.filtration, {.dualize = false, .fast_paths = false});
    std::vector<Multiset> out(std::max<dim_t>(max_dim, 1));
    for (std::size_t k = 0; k < out.size() && k < pairs.finite.size(); ++k) {
        for (auto [b, d] : pairs.finite[k])
            out[k].push_back({built.filtration.value(b), built.filtration.value(d)});
        for (index_t b : pairs.essential[k])
            out[k].push_back({built.filtration.value(b), value_inf});
        std::sort(out[k].begin(), out[k].end());
    }
    return out;
}

}  // namespace calydon::testing
