// calydon/distance/diagram_points.hpp: a persistence diagram split for matching: finite
// off-diagonal points, the four essential families, and the ground metric (L_p, p in [1, inf]).
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <span>
#include <vector>

#include "calydon/core/errors.hpp"
#include "calydon/core/types.hpp"

namespace calydon {

struct DiagramPoint {
    value_t birth;
    value_t death;
    index_t row;  ///< row of the point in the caller's (n, 2) array
};

/// Essential families; each point has exactly one infinite coordinate, and only its finite
/// coordinate takes part in the matching.
enum class EssentialFamily : int {
    inf_death = 0,
    neg_inf_death = 1,
    inf_birth = 2,
    neg_inf_birth = 3
};
inline constexpr int n_essential_families = 4;

inline const char* essential_family_name(int family) {
    static constexpr std::array<const char*, n_essential_families> names{
        "(finite, +inf)", "(finite, -inf)", "(+inf, finite)", "(-inf, finite)"};
    return names[static_cast<std::size_t>(family)];
}

struct EssentialPoint {
    value_t coordinate;  ///< the finite coordinate
    index_t row;
};

struct SplitDiagram {
    std::vector<DiagramPoint> finite;
    std::array<std::vector<EssentialPoint>, n_essential_families> essential;
};

/// Splits row-major (n, 2) data. Points with birth == death (including (+inf, +inf)) lie on the
/// diagonal and are dropped, since matching them to the diagonal costs nothing. NaN, and points
/// with opposite infinite coordinates (which no family can match), are rejected.
inline SplitDiagram split_diagram(std::span<const value_t> rows_birth_death, const char* api,
                                  const char* name) {
    if (rows_birth_death.size() % 2 != 0)
        throw_invalid(api, ": ", name, " must have shape (n, 2), got ", rows_birth_death.size(),
                      " values");
    SplitDiagram out;
    const std::size_t n = rows_birth_death.size() / 2;
    out.finite.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        const value_t b = rows_birth_death[2 * i], d = rows_birth_death[2 * i + 1];
        const auto row = static_cast<index_t>(i);
        if (std::isnan(b) || std::isnan(d))
            throw_invalid(api, ": ", name, " must not contain NaN, got (", b, ", ", d, ") in row ",
                          row);
        if (b == d) continue;
        const bool inf_b = std::isinf(b), inf_d = std::isinf(d);
        if (inf_b && inf_d)
            throw_invalid(
                api, ": ", name,
                " must not contain points with two infinite coordinates of opposite sign, got (", b,
                ", ", d, ") in row ", row);
        if (!inf_b && !inf_d) {
            out.finite.push_back({b, d, row});
        } else if (inf_d) {
            out.essential[d > 0 ? 0 : 1].push_back({b, row});
        } else {
            out.essential[b > 0 ? 2 : 3].push_back({d, row});
        }
    }
    return out;
}

/// |d - b| / 2 without overflow: the difference of two finite doubles may exceed the largest
/// double while its half does not.
inline value_t half_gap(value_t b, value_t d) {
    const value_t gap = std::fabs(d - b);
    return std::isinf(gap) ? std::fabs(0.5 * d - 0.5 * b) : 0.5 * gap;
}

/// Squares between these bounds keep full precision, so sqrt(dx^2 + dy^2) is safe there.
inline constexpr value_t safe_square_min = 0x1p-968;
inline constexpr value_t safe_square_max = 0x1p+1000;

/// The ground metric between two diagram points; p = +inf selects L_inf.
class LpMetric {
public:
    explicit LpMetric(value_t p) : p_(p) {
        if (!(p >= 1.0)) throw_invalid("internal_p must be >= 1 (or inf), got ", p);
        // The nearest diagonal point to (b, d) is ((b+d)/2, (b+d)/2) for every p >= 1, at
        // distance |d - b| / 2 * 2^(1/p).
        diagonal_factor_ = std::isinf(p) ? 0.5 : 0.5 * std::pow(2.0, 1.0 / p);
    }
    value_t p() const { return p_; }

    value_t operator()(value_t b1, value_t d1, value_t b2, value_t d2) const {
        return norm(std::fabs(b1 - b2), std::fabs(d1 - d2));
    }
    value_t operator()(const DiagramPoint& x, const DiagramPoint& y) const {
        return (*this)(x.birth, x.death, y.birth, y.death);
    }
    /// Norm of a non-negative coordinate-difference vector (also used for box lower bounds).
    /// The direct formulas are used while their squares and powers stay in range; otherwise the
    /// larger coordinate is factored out (as hypot does), so lengths near 1e+-154 and beyond are
    /// exact to rounding instead of inf or 0.
    value_t norm(value_t dx, value_t dy) const {
        if (std::isinf(p_)) return dx > dy ? dx : dy;
        if (p_ == 1.0) return dx + dy;
        if (p_ == 2.0) {
            const value_t sum = dx * dx + dy * dy;
            if (sum > safe_square_min && sum < safe_square_max) return std::sqrt(sum);
            return std::hypot(dx, dy);
        }
        const value_t big = dx > dy ? dx : dy, small = dx > dy ? dy : dx;
        if (big == 0 || std::isinf(big)) return big;
        return big * std::pow(1.0 + std::pow(small / big, p_), 1.0 / p_);
    }
    value_t to_diagonal(const DiagramPoint& x) const {
        return 2.0 * diagonal_factor_ * half_gap(x.birth, x.death);
    }

private:
    value_t p_;
    value_t diagonal_factor_;
};

/// (x / scale)^q, capped at `cap`: the cost of an edge of length x in the units the matchers
/// work in. Scaling by a length close to the answer keeps d^q representable for large q (100^100
/// overflows, 0.5^2000 underflows); the cap keeps edges no optimal matching uses finite. The
/// common exponents are spelled out, because the auction evaluates this in its inner loop.
class PowerQ {
public:
    explicit PowerQ(value_t q, value_t scale = 1.0, value_t cap = value_inf)
        : q_(q), scale_(scale), inverse_(1.0 / scale), cap_(cap) {
        if (!(q >= 1.0) || std::isinf(q)) throw_invalid("q must be finite and >= 1, got ", q);
        if (!(scale > 0.0) || std::isinf(scale))
            throw_invalid("scale must be finite and > 0, got ", scale);
        // A multiplication is much cheaper than a division in the auction's inner loop; the
        // inverse of a subnormal scale overflows, and then the division is kept.
        divide_ = std::isinf(inverse_);
    }
    value_t q() const { return q_; }
    value_t scale() const { return scale_; }
    value_t cap() const { return cap_; }
    value_t operator()(value_t x) const {
        x = divide_ ? x / scale_ : x * inverse_;
        value_t y;
        if (q_ == 1.0) y = x;
        else if (q_ == 2.0) y = x * x;
        else y = std::pow(x, q_);
        return y < cap_ ? y : cap_;
    }

private:
    value_t q_, scale_, inverse_, cap_;
    bool divide_ = false;
};

}  // namespace calydon
