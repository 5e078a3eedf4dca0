// calydon/distance/bottleneck_search.hpp: the search behind the bottleneck distance (L_inf
// ground metric), also used to scale the Wasserstein problem.
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
#include <limits>
#include <vector>

#include "calydon/distance/hopcroft_karp.hpp"

namespace calydon {

class BottleneckSearch {
public:
    struct Bracket {
        value_t lo, hi;
    };

    /// `metric` is L_inf for the bottleneck distance; the Wasserstein solver brackets the
    /// bottleneck in its own L_p ground metric (bracket() only; run() assumes L_inf).
    BottleneckSearch(const std::vector<DiagramPoint>& a, const std::vector<DiagramPoint>& b,
                     const LpMetric& metric = LpMetric(value_inf))
        : a_(a), b_(b), metric_(metric), matcher_(a, b, metric) {}

    /// Brackets the bottleneck distance B: lo <= B <= hi with hi <= lo (1 + width) (unless
    /// lo = 0 and B is below the smallest double's reach), hi the longest edge of matching().
    Bracket bracket(value_t width) {
        const auto n = static_cast<std::int32_t>(a_.size()),
                   m = static_cast<std::int32_t>(b_.size());
        matcher_.match_all_to_diagonal();
        best_ = matcher_.mate_left();
        hi_ = matcher_.longest_edge();
        lo_ = hi_;
        if (n == 0 || m == 0) return {lo_, hi_};
        // An edge to the diagonal longer than the largest double: the bisection needs a finite
        // feasible start, or B itself is not a double.
        if (std::isinf(hi_)) {
            if (!try_threshold(std::numeric_limits<value_t>::max())) return {lo_, hi_};
            hi_ = matcher_.longest_edge();
        }
        lo_ = nearest_partner_bound();
        if (lo_ >= hi_) {
            lo_ = hi_;
            return {lo_, hi_};
        }
        if (try_threshold(lo_)) {
            hi_ = lo_ = matcher_.longest_edge();
            return {lo_, hi_};
        }
        narrow(width);
        matcher_.set_matching(best_);
        hi_ = matcher_.longest_edge();
        return {lo_, hi_};
    }

    /// A lower bound of the bottleneck distance, in O(N log N): every point travels at least to
    /// its nearest partner or to the diagonal.
    value_t lower_bound() const { return nearest_partner_bound(); }

    /// Distance of the returned matching: exact for delta = 0, else within a factor 1 + delta.
    value_t run(value_t delta) {
        const auto n = static_cast<std::int32_t>(a_.size()),
                   m = static_cast<std::int32_t>(b_.size());
        const value_t window = delta > 0 ? delta : 1e-4;
        bracket(window);
        if (delta > 0 || lo_ >= hi_) return hi_;

        std::vector<value_t> candidates = candidates_in(lo_, hi_);
        for (value_t width = window;
             candidates.size() > 4 * static_cast<std::size_t>(n + m) + 64 && width > 1e-12;) {
            width *= 1e-3;
            narrow(width);
            matcher_.set_matching(best_);
            hi_ = matcher_.longest_edge();
            candidates = candidates_in(lo_, hi_);
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
    /// Geometric bisection of [lo_, hi_] on the decision problem down to relative width
    /// `width`. The midpoint is sqrt(lo) sqrt(hi): sqrt(lo hi) over- or underflows beyond
    /// 1e+-154, which used to stop the search at its upper bound.
    /// Invariant: thresholds < lo_ are infeasible (lo_ <= B), hi_ is feasible (best_ realises it).
    void narrow(value_t width) {
        while (hi_ > lo_ * (1.0 + width)) {
            const value_t mid = lo_ > 0 ? std::sqrt(lo_) * std::sqrt(hi_) : 0.5 * hi_;
            if (mid <= lo_ || mid >= hi_) break;  // adjacent doubles
            if (try_threshold(mid)) hi_ = mid;
            else lo_ = mid;
        }
    }

    bool try_threshold(value_t r) {
        if (matcher_.perfect_within(r)) {
            best_ = matcher_.mate_left();
            return true;
        }
        return false;
    }

    value_t nearest_partner_bound() const {
        value_t bound = 0;
        const PowerQ linear(1.0);
        auto side = [&](const std::vector<DiagramPoint>& from,
                        const std::vector<DiagramPoint>& to) {
            std::vector<value_t> xs, ys;
            for (const auto& p : to) {
                xs.push_back(p.birth);
                ys.push_back(p.death);
            }
            const WeightedKdTree tree(xs, ys, metric_, linear);
            for (const auto& p : from) {
                WeightedKdTree::BestTwo two;
                tree.best_two(p.birth, p.death, two);
                bound = std::max(bound, std::min(two.best, metric_.to_diagonal(p)));
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
    LpMetric metric_;
    GeometricHopcroftKarp matcher_;
    std::vector<std::int32_t> best_;
    value_t lo_ = 0, hi_ = 0;
};

}  // namespace calydon
