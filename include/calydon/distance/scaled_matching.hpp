// calydon/distance/scaled_matching.hpp: the finite part of the Wasserstein problem, solved in
// units where every cost is representable.
//
// Costs d^q leave the double range quickly (100^100, 0.5^2000), which used to hang the auction
// and the Hungarian method on inf/NaN prices and to stop the auction short of its guarantee.
// So every cost is measured as (d / s)^q, with s a lower bound of the bottleneck distance B_p
// in the same L_p ground metric, within a factor 1 + w of it (w <= 1/q). Then
//   * the optimum is >= (B_p / s)^q >= 1: it never underflows, and relative errors are certified
//     against a known lower bound;
//   * the bottleneck matching M costs U <= N (1 + w)^q <= N e, an upper bound of the optimum;
//   * costs are capped just above U: a matching using a capped edge costs more than M, so the
//     capped problem has the same optimum, and M is taken whenever the solver's matching is not
//     cheaper than it;
//   * for large q (q log(1 + delta) >= log N, about), M itself is within 1 + delta of the
//     optimum in distance and is returned without running the auction.
// The distance is s * (cost)^(1/q); the caller scales it back.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "calydon/distance/auction.hpp"
#include "calydon/distance/bottleneck_search.hpp"
#include "calydon/distance/hungarian.hpp"

namespace calydon {

/// A matching of the finite parts with its cost sum (d / scale)^q.
struct ScaledMatching {
    FiniteMatching matching;
    value_t scale = 1.0;
    value_t scaled_cost = 0.0;
};

/// Relative width to which the bottleneck distance is bracketed: (1 + w)^q <= e keeps the
/// scaled costs small, and w <= log(1 + delta) / 4 lets the bottleneck matching certify large q.
inline value_t bracket_width(value_t q, value_t delta) {
    value_t w = std::min(1e-3, 1.0 / q);
    if (delta > 0) w = std::min(w, 0.25 * std::log1p(delta));
    return w;
}

/// The matching in scaled units, given a known one (`fallback`, cost `upper`): the optimum of
/// the costs capped just above `upper`, or (1 + delta)-optimal, or `fallback` when it is not
/// worse. `scale` must not exceed the bottleneck distance, so that the optimum is >= 1.
/// With `exact_if_uncertified` false, an auction that cannot certify its target returns false
/// instead of running the O(N^3) exact solver (the caller then tightens the scale first).
inline bool solve_capped(const std::vector<DiagramPoint>& a, const std::vector<DiagramPoint>& b,
                         const LpMetric& metric, value_t q, value_t delta,
                         const ScaledMatching& fallback, bool exact_if_uncertified,
                         ScaledMatching& result) {
    const value_t upper = fallback.scaled_cost;
    const AugmentedCosts costs(a, b, metric, PowerQ(q, fallback.scale, upper * (1.0 + 0x1p-40)));
    ScaledMatching solved{{}, fallback.scale, 0.0};
    bool found = false;
    if (delta > 0) {
        WassersteinAuction auction(costs, delta, 1.0);
        solved.matching = auction.run();
        found = auction.certified();
    }
    if (!found) {
        if (!exact_if_uncertified) return false;
        solved.matching = hungarian_matching(costs);
    }
    solved.scaled_cost = costs.cost_of(solved.matching);
    // A capped edge alone costs more than the fallback, which is then at least as good.
    result = solved.scaled_cost <= upper ? solved : fallback;
    return true;
}

/// A known matching and its cost in units of `scale`.
inline ScaledMatching scaled_known(const std::vector<DiagramPoint>& a,
                                   const std::vector<DiagramPoint>& b, const LpMetric& metric,
                                   value_t q, value_t scale,
                                   const std::vector<std::int32_t>* column_of_row) {
    const AugmentedCosts costs(a, b, metric, PowerQ(q, scale));
    ScaledMatching out{{}, scale, 0.0};
    out.matching = column_of_row ? costs.from_assignment(*column_of_row) : costs.all_to_diagonal();
    out.scaled_cost = costs.cost_of(out.matching);
    return out;
}

/// The longest edge from a point of either diagram to the diagonal.
inline value_t farthest_from_diagonal(const std::vector<DiagramPoint>& a,
                                      const std::vector<DiagramPoint>& b, const LpMetric& metric) {
    value_t longest = 0;
    for (const auto& p : a) longest = std::max(longest, metric.to_diagonal(p));
    for (const auto& p : b) longest = std::max(longest, metric.to_diagonal(p));
    return longest;
}

/// Optimal (delta = 0) or (1 + delta)-optimal matching of two non-empty, different finite parts.
inline ScaledMatching match_finite_scaled(const std::vector<DiagramPoint>& a,
                                          const std::vector<DiagramPoint>& b,
                                          const LpMetric& metric, value_t q, value_t delta,
                                          const char* api) {
    BottleneckSearch search(a, b, metric);
    // Cheap bounds first: lo0 <= B_p <= (longest edge to the diagonal). When they are close
    // enough for q (the longest diagonal cost within 2^20 of the optimum's lower bound 1, so that
    // the auction's prices still resolve the target), the bottleneck search is skipped: it costs
    // more than the auction itself. Should the auction still fail to certify, the search runs.
    const value_t lo0 = search.lower_bound();
    const value_t hi0 = farthest_from_diagonal(a, b, metric);
    if (std::isinf(lo0))
        throw_invalid(api, ": the distance cannot be represented: the matching needs an edge "
                           "longer than the largest double");
    ScaledMatching result;
    if (delta > 0 && lo0 > 0 && !std::isinf(hi0) && q * std::log(hi0 / lo0) <= 20 * std::log(2.0) &&
        solve_capped(a, b, metric, q, delta, scaled_known(a, b, metric, q, lo0, nullptr), false,
                     result))
        return result;

    const auto [lo, hi] = search.bracket(bracket_width(q, delta));
    if (std::isinf(hi))
        throw_invalid(api, ": the distance cannot be represented: the matching needs an edge "
                           "longer than the largest double");
    const value_t scale = lo > 0 ? lo : hi;
    const ScaledMatching bottleneck = scaled_known(a, b, metric, q, scale, &search.matching());
    // Large q: W_q(M) = s U^(1/q) is within 1 + delta of W_q(optimal) >= B_p >= lo.
    if (delta > 0 && scale * std::pow(bottleneck.scaled_cost, 1.0 / q) <= (1.0 + delta) * lo)
        return bottleneck;
    solve_capped(a, b, metric, q, delta, bottleneck, true, result);
    return result;
}

/// Everything to the diagonal (one side empty), in units of the longest such edge.
inline ScaledMatching all_to_diagonal_scaled(const std::vector<DiagramPoint>& a,
                                             const std::vector<DiagramPoint>& b,
                                             const LpMetric& metric, value_t q, const char* api) {
    const value_t longest = farthest_from_diagonal(a, b, metric);
    if (std::isinf(longest))
        throw_invalid(api, ": the distance cannot be represented: a point lies farther than the "
                           "largest double from the diagonal");
    ScaledMatching out;
    if (longest == 0) return out;
    out.scale = longest;
    const AugmentedCosts costs(a, b, metric, PowerQ(q, longest));
    out.matching = costs.all_to_diagonal();
    out.scaled_cost = costs.cost_of(out.matching);
    return out;
}

}  // namespace calydon
