// calydon/distance/wasserstein.hpp: the Wasserstein distance W_q between two persistence
// diagrams with ground metric L_p: finite parts by the auction (delta > 0) or the Hungarian
// method (delta = 0), essential parts by rank within their family.
#pragma once

#include <array>
#include <cmath>
#include <span>
#include <utility>
#include <vector>

#include "calydon/distance/essential.hpp"
#include "calydon/distance/scaled_matching.hpp"

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
    /// Sum of edge lengths to the power q (+inf on a family-count mismatch); for large q it may
    /// over- or underflow where the distance does not.
    value_t cost = 0;
    value_t distance = 0;  ///< cost^(1/q), computed in scaled units
};

inline void check_wasserstein_params(const WassersteinParams& params, const char* api) {
    if (!(params.q >= 1.0) || std::isinf(params.q))
        throw_invalid(api, ": q must be finite and >= 1, got ", params.q);
    if (!(params.delta >= 0.0) || std::isinf(params.delta))
        throw_invalid(api, ": delta must be finite and >= 0, got ", params.delta);
    if (!(params.internal_p >= 1.0))
        throw_invalid(api, ": internal_p must be >= 1 (or inf), got ", params.internal_p);
}

/// Optimal (delta = 0) or (1 + delta)-optimal matching of the finite parts, in scaled units.
inline ScaledMatching match_finite(const std::vector<DiagramPoint>& a,
                                   const std::vector<DiagramPoint>& b, const LpMetric& metric,
                                   value_t q, value_t delta, const char* api) {
    ScaledMatching out;
    if (match_if_identical(a, b, out.matching)) return out;
    if (a.empty() || b.empty()) return all_to_diagonal_scaled(a, b, metric, q, api);
    return match_finite_scaled(a, b, metric, q, delta, api);
}

/// The total cost sum d^q of the finite part (given as sum (d / s)^q) and of the essential
/// edges, as distance (cost^(1/q)) and cost. Everything is summed in units of the larger of s and
/// the longest essential edge, so the distance is exact to rounding whenever it is a double; the
/// cost alone may over- or underflow (to inf or 0) for large q.
inline void set_total(const ScaledMatching& finite, const SplitDiagram& a, const SplitDiagram& b,
                      bool with_essential, value_t q, const char* api, DiagramMatching& out) {
    value_t longest_essential = 0;
    if (with_essential) longest_essential = essential_bottleneck(a, b);
    const bool has_finite = finite.scaled_cost > 0;
    const value_t unit = std::max(has_finite ? finite.scale : 0.0, longest_essential);
    if (unit == 0) {
        out.cost = out.distance = 0;
        return;
    }
    if (std::isinf(unit))
        throw_invalid(api, ": the distance cannot be represented: it exceeds the largest double");
    value_t total = has_finite ? finite.scaled_cost * PowerQ(q, unit)(finite.scale) : 0.0;
    if (with_essential) total += essential_cost(a, b, PowerQ(q, unit));
    out.distance = unit * (q == 1.0 ? total : std::pow(total, 1.0 / q));
    const value_t unit_power = std::pow(unit, q);
    out.cost = unit_power > 0 && unit_power < value_inf
                   ? unit_power * total
                   : std::exp(q * std::log(unit) + std::log(total));
    if (std::isinf(out.distance))
        throw_invalid(api, ": the distance cannot be represented: it exceeds the largest double");
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
    DiagramMatching out;
    if (!ignore_inf_points && !match_essential_families(a, b, mismatch_throws, api, out))
        return out;

    const ScaledMatching finite =
        match_finite(a.finite, b.finite, metric, params.q, params.delta, api);
    for (auto [i, j] : finite.matching.pairs)
        out.finite_pairs.emplace_back(a.finite[i].row, b.finite[j].row);
    for (auto i : finite.matching.a_to_diagonal) out.a_to_diagonal.push_back(a.finite[i].row);
    for (auto j : finite.matching.b_to_diagonal) out.b_to_diagonal.push_back(b.finite[j].row);
    set_total(finite, a, b, !ignore_inf_points, params.q, api, out);
    return out;
}

inline value_t wasserstein_distance(std::span<const value_t> a_rows,
                                    std::span<const value_t> b_rows,
                                    const WassersteinParams& params,
                                    const char* api = "wasserstein_distance") {
    return wasserstein_matching(a_rows, b_rows, params, false, false, api).distance;
}

}  // namespace calydon
