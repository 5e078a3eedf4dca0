// calydon/distance/bottleneck.hpp: the bottleneck distance (L_inf ground metric) between two
// diagrams, essential families included; the search itself is in bottleneck_search.hpp.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

#include "calydon/distance/bottleneck_search.hpp"
#include "calydon/distance/essential.hpp"
#include "calydon/distance/wasserstein.hpp"

namespace calydon {

/// Bottleneck matching in caller rows; `cost` and `distance` both hold the longest edge.
inline DiagramMatching bottleneck_matching(std::span<const value_t> a_rows,
                                           std::span<const value_t> b_rows, value_t delta,
                                           bool ignore_inf_points, bool mismatch_throws,
                                           const char* api) {
    if (!(delta >= 0.0) || std::isinf(delta))
        throw_invalid(api, ": delta must be finite and >= 0, got ", delta);
    SplitDiagram a = split_diagram(a_rows, api, "a");
    SplitDiagram b = split_diagram(b_rows, api, "b");
    DiagramMatching out;
    value_t essential_part = 0;
    if (!ignore_inf_points) {
        if (!match_essential_families(a, b, mismatch_throws, api, out)) return out;
        essential_part = essential_bottleneck(a, b);
    }
    FiniteMatching identical;
    value_t finite_part = 0;
    if (match_if_identical(a.finite, b.finite, identical)) {
        for (auto [i, j] : identical.pairs)
            out.finite_pairs.emplace_back(a.finite[i].row, b.finite[j].row);
    } else {
        BottleneckSearch search(a.finite, b.finite);
        finite_part = search.run(delta);
        const auto n = static_cast<std::int32_t>(a.finite.size()),
                   m = static_cast<std::int32_t>(b.finite.size());
        const auto& mate = search.matching();
        for (std::int32_t i = 0; i < n; ++i) {
            if (mate[i] < m) out.finite_pairs.emplace_back(a.finite[i].row, b.finite[mate[i]].row);
            else out.a_to_diagonal.push_back(a.finite[i].row);
        }
        for (std::int32_t j = 0; j < m; ++j)
            if (mate[n + j] == j) out.b_to_diagonal.push_back(b.finite[j].row);
    }
    out.cost = out.distance = std::max(finite_part, essential_part);
    return out;
}

inline value_t bottleneck_distance(std::span<const value_t> a_rows, std::span<const value_t> b_rows,
                                   value_t delta, const char* api = "bottleneck_distance") {
    return bottleneck_matching(a_rows, b_rows, delta, false, false, api).distance;
}

}  // namespace calydon
