// calydon/delaunay/geometry.hpp: squared circumradii of 2-4 points and exact
// in-sphere predicates, the two geometric primitives of the Delaunay filtrations.
//
// The squared radius here is the formula that `calydon.diff` evaluates in torch (same scaling,
// same degenerate fallback), so the float64 values C++ sorts by are the values torch computes.
// Decisions (is a point inside a simplex's smallest sphere?) use CGAL's exact predicates.
#pragma once

#ifdef CALYDON_HAVE_CGAL

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

#include <CGAL/Exact_predicates_exact_constructions_kernel.h>
#include <CGAL/Exact_predicates_inexact_constructions_kernel.h>

#include "calydon/core/types.hpp"

namespace calydon {

/// Below this (scale-free) squared-area / squared-volume measure a triangle or tetrahedron is
/// treated as flat: its squared circumradius falls back to the longest squared edge / 4, so that
/// no value (and no torch gradient) is infinite or NaN. Mirrored in calydon/diff/delaunay.py.
inline constexpr value_t flat_simplex_threshold = 1e-40;
/// Below this squared sine of the simplex's spread (its squared volume over the product of its
/// squared edge lengths from one vertex) the float64 circumradius is not to be trusted: nearly
/// cospherical, nearly flat cells (slivers, rounded lattices) lose every digit to cancellation.
inline constexpr value_t ill_conditioned_sin_sq = 1e-8;

namespace detail {

/// Squared circumradius of the simplex with vertices p[0..k) in R^D (k = 2, 3 or 4), computed on
/// coordinates scaled by their largest absolute difference so that nothing overflows.
template <int D>
value_t circumradius_sq(const value_t* const* p, int k, bool* ill_conditioned = nullptr) {
    value_t e[3][D];  // edge vectors from p[0]
    value_t scale = 0;
    for (int i = 1; i < k; ++i)
        for (int c = 0; c < D; ++c) {
            e[i - 1][c] = p[i][c] - p[0][c];
            scale = std::max(scale, std::abs(e[i - 1][c]));
        }
    if (scale == 0) return 0;
    for (int i = 0; i < k - 1; ++i)
        for (int c = 0; c < D; ++c) e[i][c] /= scale;
    auto dot = [](const value_t* x, const value_t* y) {
        value_t s = 0;
        for (int c = 0; c < D; ++c) s += x[c] * y[c];
        return s;
    };
    auto dist_sq = [](const value_t* x, const value_t* y) {
        value_t s = 0;
        for (int c = 0; c < D; ++c) s += (x[c] - y[c]) * (x[c] - y[c]);
        return s;
    };
    const value_t zero[D] = {};
    if (k == 2) return scale * scale * dot(e[0], e[0]) / 4;
    // Longest squared edge of the simplex (the flat fallback's diameter).
    value_t longest = 0;
    for (int i = 0; i < k; ++i)
        for (int j = i + 1; j < k; ++j)
            longest = std::max(longest, dist_sq(i ? e[i - 1] : zero, e[j - 1]));
    value_t r_sq;
    if (k == 3) {
        const value_t* a = e[0];
        const value_t* b = e[1];
        value_t cross_sq;
        if constexpr (D == 2) {
            value_t z = a[0] * b[1] - a[1] * b[0];
            cross_sq = z * z;
        } else {
            value_t x = a[1] * b[2] - a[2] * b[1], y = a[2] * b[0] - a[0] * b[2],
                    z = a[0] * b[1] - a[1] * b[0];
            cross_sq = x * x + y * y + z * z;
        }
        value_t den = 4 * cross_sq;
        if (ill_conditioned)
            *ill_conditioned = cross_sq < ill_conditioned_sin_sq * dot(a, a) * dot(b, b);
        r_sq = den > flat_simplex_threshold ? dot(a, a) * dot(b, b) * dist_sq(a, b) / den
                                            : longest / 4;
    } else {
        static_assert(D >= 2);
        if constexpr (D == 3) {
            const value_t *a = e[0], *b = e[1], *c = e[2];
            auto cross = [](const value_t* x, const value_t* y, value_t* out) {
                out[0] = x[1] * y[2] - x[2] * y[1];
                out[1] = x[2] * y[0] - x[0] * y[2];
                out[2] = x[0] * y[1] - x[1] * y[0];
            };
            value_t bc[3], ca[3], ab[3];
            cross(b, c, bc);
            cross(c, a, ca);
            cross(a, b, ab);
            value_t det = dot(a, bc);
            value_t aa = dot(a, a), bb = dot(b, b), cc = dot(c, c);
            value_t num[3];
            for (int i = 0; i < 3; ++i) num[i] = aa * bc[i] + bb * ca[i] + cc * ab[i];
            value_t den = 4 * det * det;
            if (ill_conditioned)
                *ill_conditioned = det * det < ill_conditioned_sin_sq * aa * bb * cc;
            r_sq = den > flat_simplex_threshold ? dot(num, num) / den : longest / 4;
        } else {
            r_sq = longest / 4;  // four points in the plane never form a Delaunay cell
        }
    }
    return scale * scale * r_sq;
}

}  // namespace detail

/// Point coordinates with the primitives the value rules need; D is the ambient dimension.
template <int D>
class DelaunayGeometry {
public:
    using Kernel = CGAL::Exact_predicates_inexact_constructions_kernel;
    using Point = std::conditional_t<D == 2, Kernel::Point_2, Kernel::Point_3>;

    explicit DelaunayGeometry(std::span<const value_t> coords) : coords_(coords) {
        const std::size_t n = coords.size() / D;
        points_.reserve(n);
        for (std::size_t i = 0; i < n; ++i) {
            if constexpr (D == 2) points_.emplace_back(coords[2 * i], coords[2 * i + 1]);
            else points_.emplace_back(coords[3 * i], coords[3 * i + 1], coords[3 * i + 2]);
        }
    }

    /// |p - q|^2 for the vertices a, b.
    value_t squared_length(std::uint32_t a, std::uint32_t b) const {
        value_t s = 0;
        for (int c = 0; c < D; ++c) {
            value_t d = coords_[b * D + c] - coords_[a * D + c];
            s += d * d;
        }
        return s;
    }

    /// Squared radius of the smallest sphere through the vertices v[0..k), 1 <= k <= 4.
    value_t squared_radius(const std::uint32_t* v, int k) const {
        if (k == 1) return 0;
        const value_t* p[4];
        for (int i = 0; i < k; ++i) p[i] = coords_.data() + static_cast<std::size_t>(v[i]) * D;
        bool ill_conditioned = false;
        const value_t r_sq = detail::circumradius_sq<D>(p, k, &ill_conditioned);
        if (!ill_conditioned) return r_sq;
        // Beyond the largest double (a flat cell of denormal thickness) the float64 value and
        // its flat-cell fallback stand.
        const value_t exact = exact_squared_radius(v, k);
        return std::isfinite(exact) ? exact : r_sq;
    }

    /// Exact side of vertex t with respect to the smallest sphere through v[0..k), 2 <= k <= D + 1
    /// (the points v must be affinely independent, as the simplices of a triangulation are).
    /// A float64 evaluation with a generous error bound decides the clear cases; CGAL's exact
    /// predicate decides the rest (cospherical points, grids).
    CGAL::Bounded_side side_of_smallest_sphere(const std::uint32_t* v, int k,
                                               std::uint32_t t) const {
        value_t margin = 0;
        const value_t d = k <= 3 ? power_in_smallest_sphere(v, k, t, margin) : 0;
        if (margin > 0 && d < -margin) return CGAL::ON_BOUNDED_SIDE;
        if (margin > 0 && d > margin) return CGAL::ON_UNBOUNDED_SIDE;
        return exact_side(v, k, t);
    }

private:
    const value_t* at(std::uint32_t i) const {
        return coords_.data() + static_cast<std::size_t>(i) * D;
    }

    /// |t - c|^2 - r^2 for the smallest sphere (c, r) through v[0..k), k = 2 or 3, in float64;
    /// `margin` receives a bound on its rounding error, or 0 when the float value is not to be
    /// trusted (nearly collinear triangles).
    value_t power_in_smallest_sphere(const std::uint32_t* v, int k, std::uint32_t t,
                                     value_t& margin) const {
        const value_t* p = at(v[0]);
        const value_t* x = at(t);
        value_t a[D], w[D];
        for (int c = 0; c < D; ++c) {
            a[c] = at(v[1])[c] - p[c];
            w[c] = x[c] - p[c];
        }
        if (k == 2) {
            // Inside the diametral ball iff (p - x).(q - x) < 0.
            value_t dot = 0, norms = 0;
            for (int c = 0; c < D; ++c) {
                dot += w[c] * (w[c] - a[c]);
                norms += w[c] * w[c] + (w[c] - a[c]) * (w[c] - a[c]);
            }
            margin = 1e-12 * norms;
            return dot;
        }
        value_t b[D], center[D];
        for (int c = 0; c < D; ++c) b[c] = at(v[2])[c] - p[c];
        value_t aa = 0, bb = 0;
        for (int c = 0; c < D; ++c) {
            aa += a[c] * a[c];
            bb += b[c] * b[c];
        }
        value_t cross_sq;
        if constexpr (D == 2) {
            value_t z = a[0] * b[1] - a[1] * b[0];
            cross_sq = z * z;
            center[0] = (b[1] * aa - a[1] * bb) / (2 * z);
            center[1] = (a[0] * bb - b[0] * aa) / (2 * z);
        } else {
            value_t n[3] = {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2],
                            a[0] * b[1] - a[1] * b[0]};
            cross_sq = n[0] * n[0] + n[1] * n[1] + n[2] * n[2];
            // center = (|a|^2 (b x n) + |b|^2 (n x a)) / (2 |n|^2)
            value_t bn[3] = {b[1] * n[2] - b[2] * n[1], b[2] * n[0] - b[0] * n[2],
                             b[0] * n[1] - b[1] * n[0]};
            value_t na[3] = {n[1] * a[2] - n[2] * a[1], n[2] * a[0] - n[0] * a[2],
                             n[0] * a[1] - n[1] * a[0]};
            for (int c = 0; c < 3; ++c) center[c] = (aa * bn[c] + bb * na[c]) / (2 * cross_sq);
        }
        if (!(cross_sq > 1e-6 * aa * bb)) {
            margin = 0;
            return 0;
        }
        value_t r_sq = 0, dist_sq = 0;
        for (int c = 0; c < D; ++c) {
            r_sq += center[c] * center[c];
            dist_sq += (w[c] - center[c]) * (w[c] - center[c]);
        }
        margin = 1e-9 * (r_sq + dist_sq);
        return dist_sq - r_sq;
    }

    /// The squared radius of the smallest sphere through v[0..k), 3 <= k <= D + 1, with exact
    /// constructions, rounded once to float64 (GUDHI's "safe" values do the same).
    value_t exact_squared_radius(const std::uint32_t* v, int k) const {
        using Exact = CGAL::Exact_predicates_exact_constructions_kernel;
        using XPoint = std::conditional_t<D == 2, Exact::Point_2, Exact::Point_3>;
        XPoint x[4];
        for (int i = 0; i < k; ++i) {
            const value_t* c = at(v[i]);
            if constexpr (D == 2) x[i] = XPoint(c[0], c[1]);
            else x[i] = XPoint(c[0], c[1], c[2]);
        }
        if constexpr (D == 2) return CGAL::to_double(CGAL::squared_radius(x[0], x[1], x[2]));
        else if (k == 3) return CGAL::to_double(CGAL::squared_radius(x[0], x[1], x[2]));
        else return CGAL::to_double(CGAL::squared_radius(x[0], x[1], x[2], x[3]));
    }

    CGAL::Bounded_side exact_side(const std::uint32_t* v, int k, std::uint32_t t) const {
        const Point& x = points_[t];
        if constexpr (D == 2) {
            if (k == 2) return CGAL::side_of_bounded_circle(points_[v[0]], points_[v[1]], x);
            return CGAL::side_of_bounded_circle(points_[v[0]], points_[v[1]], points_[v[2]], x);
        } else {
            if (k == 2) return CGAL::side_of_bounded_sphere(points_[v[0]], points_[v[1]], x);
            if (k == 3)
                return CGAL::side_of_bounded_sphere(points_[v[0]], points_[v[1]], points_[v[2]], x);
            return CGAL::side_of_bounded_sphere(points_[v[0]], points_[v[1]], points_[v[2]],
                                                points_[v[3]], x);
        }
    }

    std::span<const value_t> coords_;
    std::vector<Point> points_;
};

}  // namespace calydon

#endif  // CALYDON_HAVE_CGAL
