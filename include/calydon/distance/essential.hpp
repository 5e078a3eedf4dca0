// calydon/distance/essential.hpp: matching essential points. Within one family only the finite
// coordinate varies, and on a line the sorted (rank) matching is optimal for every cost |x-y|^q
// with q >= 1 and also for the bottleneck cost.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>
#include <vector>

#include "calydon/distance/diagram_points.hpp"

namespace calydon {

struct EssentialMatching {
    /// pairs[f] holds (row in a, row in b) for family f.
    std::array<std::vector<std::pair<index_t, index_t>>, n_essential_families> pairs;
    /// Family whose counts differ between the diagrams, or -1 when all counts agree.
    int mismatched_family = -1;

    bool counts_match() const { return mismatched_family < 0; }
};

inline EssentialMatching match_essential(SplitDiagram& a, SplitDiagram& b) {
    EssentialMatching out;
    auto by_coordinate = [](const EssentialPoint& x, const EssentialPoint& y) {
        return x.coordinate < y.coordinate || (x.coordinate == y.coordinate && x.row < y.row);
    };
    for (int f = 0; f < n_essential_families; ++f) {
        auto& ea = a.essential[f];
        auto& eb = b.essential[f];
        if (ea.size() != eb.size()) {
            if (out.mismatched_family < 0) out.mismatched_family = f;
            continue;
        }
        std::sort(ea.begin(), ea.end(), by_coordinate);
        std::sort(eb.begin(), eb.end(), by_coordinate);
        out.pairs[f].reserve(ea.size());
        for (std::size_t k = 0; k < ea.size(); ++k) out.pairs[f].emplace_back(ea[k].row, eb[k].row);
    }
    return out;
}

/// Sum of |x - y|^q over the rank matching of every family (the families must match).
inline value_t essential_cost(const SplitDiagram& a, const SplitDiagram& b, const PowerQ& power) {
    value_t total = 0;
    for (int f = 0; f < n_essential_families; ++f)
        for (std::size_t k = 0; k < a.essential[f].size(); ++k)
            total += power(std::fabs(a.essential[f][k].coordinate - b.essential[f][k].coordinate));
    return total;
}

/// Longest edge of the rank matchings (the families must match).
inline value_t essential_bottleneck(const SplitDiagram& a, const SplitDiagram& b) {
    value_t longest = 0;
    for (int f = 0; f < n_essential_families; ++f)
        for (std::size_t k = 0; k < a.essential[f].size(); ++k)
            longest = std::max(
                longest, std::fabs(a.essential[f][k].coordinate - b.essential[f][k].coordinate));
    return longest;
}

}  // namespace calydon
