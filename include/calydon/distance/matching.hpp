// calydon/distance/matching.hpp: the result of matching the finite parts of two diagrams, and
// the cost model of the diagonal-augmented assignment problem every matcher solves.
//
// Augmented problem (n points in A, m in B): bidders/rows are the A points plus one diagonal
// copy per B point, objects/columns are the B points plus one diagonal copy per A point.
//   A_i - B_j        : d(a_i, b_j)^q
//   A_i - diagonal   : d(a_i, diagonal)^q
//   diagonal - B_j   : d(b_j, diagonal)^q
//   diagonal - diag. : 0
#pragma once

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "calydon/distance/diagram_points.hpp"

namespace calydon {

/// Indices are positions in the `finite` vectors of the split diagrams (not caller rows).
struct FiniteMatching {
    std::vector<std::pair<std::int32_t, std::int32_t>> pairs;
    std::vector<std::int32_t> a_to_diagonal;
    std::vector<std::int32_t> b_to_diagonal;
};

class AugmentedCosts {
public:
    AugmentedCosts(const std::vector<DiagramPoint>& a, const std::vector<DiagramPoint>& b,
                   const LpMetric& metric, const PowerQ& power)
        : a_(a), b_(b), metric_(metric), power_(power) {
        a_diagonal_.reserve(a.size());
        b_diagonal_.reserve(b.size());
        for (const auto& p : a) a_diagonal_.push_back(power(metric.to_diagonal(p)));
        for (const auto& p : b) b_diagonal_.push_back(power(metric.to_diagonal(p)));
    }

    std::int32_t n_a() const { return static_cast<std::int32_t>(a_.size()); }
    std::int32_t n_b() const { return static_cast<std::int32_t>(b_.size()); }
    const std::vector<DiagramPoint>& a() const { return a_; }
    const std::vector<DiagramPoint>& b() const { return b_; }
    const LpMetric& metric() const { return metric_; }
    const PowerQ& power() const { return power_; }

    value_t pair_cost(std::int32_t i, std::int32_t j) const {
        return power_(metric_(a_[i], b_[j]));
    }
    value_t a_diagonal_cost(std::int32_t i) const { return a_diagonal_[i]; }
    value_t b_diagonal_cost(std::int32_t j) const { return b_diagonal_[j]; }

    /// Row r < n_a is A_r, otherwise the diagonal copy of B_{r - n_a}; column c < n_b is B_c,
    /// otherwise the diagonal copy of A_{c - n_b}.
    value_t augmented(std::int32_t row, std::int32_t col) const {
        const bool real_row = row < n_a(), real_col = col < n_b();
        if (real_row && real_col) return pair_cost(row, col);
        if (real_row) return a_diagonal_[row];
        if (real_col) return b_diagonal_[col];
        return 0.0;
    }

    value_t max_diagonal_cost() const {
        value_t m = 0;
        for (auto c : a_diagonal_) m = std::max(m, c);
        for (auto c : b_diagonal_) m = std::max(m, c);
        return m;
    }

    /// Everything to the diagonal: the answer when one side is empty.
    FiniteMatching all_to_diagonal() const {
        FiniteMatching out;
        for (std::int32_t i = 0; i < n_a(); ++i) out.a_to_diagonal.push_back(i);
        for (std::int32_t j = 0; j < n_b(); ++j) out.b_to_diagonal.push_back(j);
        return out;
    }

    /// Reads a matching off an assignment row -> column of the augmented problem.
    FiniteMatching from_assignment(const std::vector<std::int32_t>& column_of_row) const {
        FiniteMatching out;
        std::vector<char> b_used(b_.size(), 0);
        for (std::int32_t i = 0; i < n_a(); ++i) {
            const auto c = column_of_row[i];
            if (c < n_b()) {
                out.pairs.emplace_back(i, c);
                b_used[c] = 1;
            } else {
                out.a_to_diagonal.push_back(i);
            }
        }
        for (std::int32_t j = 0; j < n_b(); ++j)
            if (!b_used[j]) out.b_to_diagonal.push_back(j);
        return out;
    }

    value_t cost_of(const FiniteMatching& m) const {
        value_t total = 0;
        for (auto [i, j] : m.pairs) total += pair_cost(i, j);
        for (auto i : m.a_to_diagonal) total += a_diagonal_[i];
        for (auto j : m.b_to_diagonal) total += b_diagonal_[j];
        return total;
    }

private:
    const std::vector<DiagramPoint>& a_;
    const std::vector<DiagramPoint>& b_;
    LpMetric metric_;
    PowerQ power_;
    std::vector<value_t> a_diagonal_, b_diagonal_;
};

/// When the two finite parts are equal as multisets the optimal matching pairs equal points.
/// Pairing by sorted order (not by row, whose order is arbitrary) gives cost exactly 0.
inline bool match_if_identical(const std::vector<DiagramPoint>& a,
                               const std::vector<DiagramPoint>& b, FiniteMatching& out) {
    if (a.size() != b.size()) return false;
    auto sorted_positions = [](const std::vector<DiagramPoint>& pts) {
        std::vector<std::int32_t> order(pts.size());
        for (std::size_t k = 0; k < pts.size(); ++k) order[k] = static_cast<std::int32_t>(k);
        std::sort(order.begin(), order.end(), [&](std::int32_t x, std::int32_t y) {
            return pts[x].birth < pts[y].birth ||
                   (pts[x].birth == pts[y].birth && pts[x].death < pts[y].death);
        });
        return order;
    };
    const auto oa = sorted_positions(a), ob = sorted_positions(b);
    for (std::size_t k = 0; k < oa.size(); ++k)
        if (a[oa[k]].birth != b[ob[k]].birth || a[oa[k]].death != b[ob[k]].death) return false;
    out = FiniteMatching{};
    for (std::size_t k = 0; k < oa.size(); ++k) out.pairs.emplace_back(oa[k], ob[k]);
    return true;
}

}  // namespace calydon
