// calydon/distance/wasserstein.hpp: the Wasserstein distance W_q between two persistence
// diagrams with ground metric L_p: finite parts by the auction (delta > 0) or the Hungarian
// method (delta = 0), essential parts by rank within their family.
#pragma once

#include <array>
#include <cmath>
#include <span>
#include <utility>
#include <vector>

#include "calydon/distance/auction.hpp"
#include "calydon/distance/essential.hpp"
#include "calydon/distance/hungarian.hpp"

namespace calydon {

struct WassersteinParams {
    value_t q = 1.0;
    value_t delta = 0.01;  ///< relative error of the distance; 0 selects the exact solver
    value_t internal_p = value_inf;
};

/// A matching in terms of the caller's rows.
struct DiagramMatching {
    std::vector<std::pair<index_t, index_t>> finite_pairs;
    std::vector<index_t> a_to_diagonal, b_to_diagonal;
    std::array<std::vector<std::pair<index_t, index_t>>, n_essential_families> essential_pairs;
    value_t cost = 0;      ///< sum of edge lengths to the power q (+inf on a family-count mismatch)
    value_t distance = 0;  ///< cost^(1/q)
};

inline void check_wasserstein_params(const WassersteinParams& params, const char* api) {
    if (!(params.q >= 1.0) || std::isinf(params.q))
        throw_invalid(api, ": q must be finite and >= 1, got ", params.q);
    if (!(params.delta >= 0.0) || std::isinf(params.delta))
        throw_invalid(api, ": delta must be finite and >= 0, got ", params.delta);
    if (!(params.internal_p >= 1.0))
        throw_invalid(api, ": internal_p must be >= 1 (or inf), got ", params.internal_p);
}

/// Optimal (delta = 0) or (1 + delta)-optimal matching of the finite parts, as positions.
inline FiniteMatching match_finite(const std::vector<DiagramPoint>& a,
                                   const std::vector<DiagramPoint>& b, const AugmentedCosts& costs,
                                   value_t delta) {
    FiniteMatching matching;
    if (match_if_identical(a, b, matching)) return matching;
    if (delta == 0.0) return hungarian_matching(costs);
    return WassersteinAuction(costs, delta).run();
}

/// Matches the essential families into `out`. On a count mismatch it throws (mismatch_throws) or
/// sets an infinite cost and distance and returns false; the caller then returns `out` as is.
inline bool match_essential_families(SplitDiagram& a, SplitDiagram& b, bool mismatch_throws,
                                     const char* api, DiagramMatching& out) {
    const EssentialMatching essential = match_essential(a, b);
    if (!essential.counts_match()) {
        const int f = essential.mismatched_family;
        if (mismatch_throws)
            throw_invalid(api, ": essential point counts must match in every family, got ",
                          a.essential[f].size(), " vs ", b.essential[f].size(),
                          " points in family ", essential_family_name(f));
        out.cost = out.distance = value_inf;
        return false;
    }
    out.essential_pairs = essential.pairs;
    return true;
}

/// ignore_inf_points drops essential points; otherwise a family-count mismatch gives cost +inf
/// (or std::invalid_argument when mismatch_throws).
inline DiagramMatching wasserstein_matching(std::span<const value_t> a_rows,
                                            std::span<const value_t> b_rows,
                                            const WassersteinParams& params, bool ignore_inf_points,
                                            bool mismatch_throws, const char* api) {
    check_wasserstein_params(params, api);
    SplitDiagram a = split_diagram(a_rows, api, "a");
    SplitDiagram b = split_diagram(b_rows, api, "b");
    const LpMetric metric(params.internal_p);
    const PowerQ power(params.q);
    DiagramMatching out;

    value_t essential_part = 0;
    if (!ignore_inf_points) {
        if (!match_essential_families(a, b, mismatch_throws, api, out)) return out;
        essential_part = essential_cost(a, b, power);
    }

    const AugmentedCosts costs(a.finite, b.finite, metric, power);
    const FiniteMatching finite = match_finite(a.finite, b.finite, costs, params.delta);
    for (auto [i, j] : finite.pairs)
        out.finite_pairs.emplace_back(a.finite[i].row, b.finite[j].row);
    for (auto i : finite.a_to_diagonal) out.a_to_diagonal.push_back(a.finite[i].row);
    for (auto j : finite.b_to_diagonal) out.b_to_diagonal.push_back(b.finite[j].row);
    out.cost = costs.cost_of(finite) + essential_part;
    out.distance = params.q == 1.0 ? out.cost : std::pow(out.cost, 1.0 / params.q);
    return out;
}

inline value_t wasserstein_distance(std::span<const value_t> a_rows,
                                    std::span<const value_t> b_rows,
                                    const WassersteinParams& params,
                                    const char* api = "wasserstein_distance") {
    return wasserstein_matching(a_rows, b_rows, params, false, false, api).distance;
}

}  // namespace calydon
