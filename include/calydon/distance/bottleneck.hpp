// calydon/distance/bottleneck.hpp: the bottleneck distance (L_inf ground metric).
//
// The answer lies between a lower bound (every point must travel at least to its nearest
// partner or to the diagonal) and an upper bound (everything to the diagonal). A geometric
// bisection on the decision problem narrows it to relative width delta; for delta = 0 the
// candidate edge lengths inside the final window are enumerated and searched exactly, since the
// distance is always the length of some edge.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

#include "calydon/distance/essential.hpp"
#include "calydon/distance/hopcroft_karp.hpp"
#include "calydon/distance/wasserstein.hpp"

namespace calydon {

class BottleneckSearch {
public:
    BottleneckSearch(const std::vector<DiagramPoint>& a, const std::vector<DiagramPoint>& b)
        : a_(a), b_(b), matcher_(a, b) {}

    /// Distance of the returned matching: exact for delta = 0, else within a factor 1 + delta.
    value_t run(value_t delta) {
        const auto n = static_cast<std::int32_t>(a_.size()),
                   m = static_cast<std::int32_t>(b_.size());
        matcher_.match_all_to_diagonal();
        best_ = matcher_.mate_left();
        value_t hi = matcher_.longest_edge();
        if (n == 0 || m == 0) return hi;
        value_t lo = nearest_partner_bound();
        if (lo >= hi) return hi;
        if (try_threshold(lo)) return matcher_.longest_edge();
        // Invariant: thresholds <= lo are infeasible, hi is feasible (best_ realises it).
        const value_t window = delta > 0 ? delta : 1e-4;
        auto narrow = [&](value_t relative_width) {
            while (hi > lo * (1.0 + relative_width)) {
                const value_t mid = lo > 0 ? std::sqrt(lo * hi) : 0.5 * hi;
                if (mid <= lo || mid >= hi) break;  // adjacent doubles
                if (try_threshold(mid)) hi = mid;
                else lo = mid;
            }
        };
        narrow(window);
        matcher_.set_matching(best_);
        hi = matcher_.longest_edge();
        if (delta > 0) return hi;

        std::vector<value_t> candidates = candidates_in(lo, hi);
        for (value_t width = window;
             candidates.size() > 4 * static_cast<std::size_t>(n + m) + 64 && width > 1e-12;) {
            width *= 1e-3;
            narrow(width);
            matcher_.set_matching(best_);
            hi = matcher_.longest_edge();
            candidates = candidates_in(lo, hi);
        }
        // Smallest feasible candidate; hi (a candidate, realised by best_) is feasible.
        std::size_t first = 0, last = candidates.size();  // answer index in [first, last)
        while (last - first > 1) {
            const std::size_t mid = first + (last - first - 1) / 2;
            if (try_threshold(candidates[mid])) last = mid + 1;
            else first = mid + 1;
        }
        matcher_.set_matching(best_);
        return matcher_.longest_edge();
    }

    /// The matching found by the last run, as (left vertex -> right vertex) of the augmented graph.
    const std::vector<std::int32_t>& matching() const { return best_; }

private:
    bool try_threshold(value_t r) {
        if (matcher_.perfect_within(r)) {
            best_ = matcher_.mate_left();
            return true;
        }
        return false;
    }

    value_t nearest_partner_bound() const {
        value_t bound = 0;
        const LpMetric linf(value_inf);
        const PowerQ linear(1.0);
        auto side = [&](const std::vector<DiagramPoint>& from,
                        const std::vector<DiagramPoint>& to) {
            std::vector<value_t> xs, ys;
            for (const auto& p : to) {
                xs.push_back(p.birth);
                ys.push_back(p.death);
            }
            const WeightedKdTree tree(xs, ys, linf, linear);
            for (const auto& p : from) {
                WeightedKdTree::BestTwo two;
                tree.best_two(p.birth, p.death, two);
                bound = std::max(bound, std::min(two.best, 0.5 * std::fabs(p.death - p.birth)));
            }
        };
        side(a_, b_);
        side(b_, a_);
        return bound;
    }

    /// Sorted distinct edge lengths in (lo, hi]; they use the same arithmetic as the matcher.
    std::vector<value_t> candidates_in(value_t lo, value_t hi) const {
        std::vector<value_t> out;
        std::vector<value_t> xs, ys;
        for (const auto& p : b_) {
            xs.push_back(p.birth);
            ys.push_back(p.death);
        }
        const DeletableKdTree tree(xs, ys);
        std::uint64_t ticks = 0;
        for (const auto& p : a_) {
            poll_interrupt(++ticks);
            tree.for_each_in_shell(p.birth, p.death, lo, hi,
                                   [&](std::int32_t, value_t d) { out.push_back(d); });
        }
        for (std::size_t i = 0; i < a_.size(); ++i) {
            const value_t d = matcher_.a_diagonal(static_cast<std::int32_t>(i));
            if (d > lo && d <= hi) out.push_back(d);
        }
        for (std::size_t j = 0; j < b_.size(); ++j) {
            const value_t d = matcher_.b_diagonal(static_cast<std::int32_t>(j));
            if (d > lo && d <= hi) out.push_back(d);
        }
        std::sort(out.begin(), out.end());
        out.erase(std::unique(out.begin(), out.end()), out.end());
        return out;
    }

    const std::vector<DiagramPoint>& a_;
    const std::vector<DiagramPoint>& b_;
    GeometricHopcroftKarp matcher_;
    std::vector<std::int32_t> best_;
};

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
