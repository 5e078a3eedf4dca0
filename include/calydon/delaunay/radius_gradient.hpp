// calydon/delaunay/radius_gradient.hpp: the squared circumradii of support simplices and their
// gradient with respect to the points, for the differentiable Delaunay filtrations.
//
// The circumcentre c of a simplex p_0..p_{k-1} (in its affine hull) is the point with
// |c - p_i|^2 = R^2 for every i. Differentiating these equations and summing them with the
// barycentric coordinates λ of c (Σ λ_i = 1, Σ λ_i (c - p_i) = 0) eliminates dc:
//     ∂R^2 / ∂p_i = 2 λ_i (p_i - c),
// for edges, triangles (in 2-D or 3-D) and tetrahedra alike. A flat simplex takes its longest
// squared edge / 4 (geometry.hpp), whose gradient goes to that edge, tied longest edges sharing
// it as the torch formula's maxima share it, so this gradient equals the torch formula's.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "calydon/core/errors.hpp"
#include "calydon/core/thread_pool.hpp"
#include "calydon/core/types.hpp"
#include "calydon/delaunay/geometry.hpp"

namespace calydon {

namespace detail {

/// Rows (or, for the gradient's sums, points) per range of the passes below: a row's radius or
/// gradient is a few hundred cycles, far more than the simple per-item work parallel_ranges'
/// default is sized for (with it, the 15,645 tetrahedra supports of a 10k-point alpha diagram
/// and the sums over its 10k points ran on one thread).
inline constexpr index_t min_support_rows_per_range = 1024;

/// The barycentric coordinates of the circumcentre of the (scaled) edges e from p_0, and its
/// offset o from p_0; false when the simplex is flat (the value's fallback branch).
template <int D>
bool circumcentre_barycentric(const value_t (*e)[D], int k, value_t* lambda, value_t* o) {
    auto dot = [](const value_t* x, const value_t* y) {
        value_t s = 0;
        for (int c = 0; c < D; ++c) s += x[c] * y[c];
        return s;
    };
    if (k == 3) {
        const value_t *a = e[0], *b = e[1];
        value_t cross_sq;  // |a x b|^2, computed as geometry.hpp does, so the branch agrees
        if constexpr (D == 2) {
            const value_t z = a[0] * b[1] - a[1] * b[0];
            cross_sq = z * z;
        } else {
            const value_t x = a[1] * b[2] - a[2] * b[1], y = a[2] * b[0] - a[0] * b[2],
                          z = a[0] * b[1] - a[1] * b[0];
            cross_sq = x * x + y * y + z * z;
        }
        if (!(4 * cross_sq > flat_simplex_threshold)) return false;
        const value_t aa = dot(a, a), bb = dot(b, b), ab = dot(a, b);
        lambda[1] = bb * (aa - ab) / (2 * cross_sq);
        lambda[2] = aa * (bb - ab) / (2 * cross_sq);
    } else if constexpr (D == 3) {
        const value_t *a = e[0], *b = e[1], *c = e[2];
        const value_t bc[3] = {b[1] * c[2] - b[2] * c[1], b[2] * c[0] - b[0] * c[2],
                               b[0] * c[1] - b[1] * c[0]};
        const value_t ca[3] = {c[1] * a[2] - c[2] * a[1], c[2] * a[0] - c[0] * a[2],
                               c[0] * a[1] - c[1] * a[0]};
        const value_t ab[3] = {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2],
                               a[0] * b[1] - a[1] * b[0]};
        const value_t det = dot(a, bc);
        if (!(4 * det * det > flat_simplex_threshold)) return false;
        const value_t aa = dot(a, a), bb = dot(b, b), cc = dot(c, c);
        value_t centre[3];
        for (int i = 0; i < 3; ++i) centre[i] = (aa * bc[i] + bb * ca[i] + cc * ab[i]) / (2 * det);
        lambda[1] = dot(bc, centre) / det;
        lambda[2] = dot(ca, centre) / det;
        lambda[3] = dot(ab, centre) / det;
    } else {
        return false;  // four points in the plane: the value is the longest edge's
    }
    lambda[0] = 1;
    for (int i = 1; i < k; ++i) lambda[0] -= lambda[i];
    for (int c = 0; c < D; ++c) {
        o[c] = 0;
        for (int i = 1; i < k; ++i) o[c] += lambda[i] * e[i - 1][c];
    }
    return true;
}

/// g * ∂(longest squared edge / 4)/∂p, into grad (k rows of D; k = 3 or 4). The edges are
/// compared as the torch formula compares them (squared lengths of the scaled edges `e`, in its
/// order), and ties share the gradient as its maxima do: torch.maximum(maximum(01, 02), 12)
/// halves at each tie for triangles, amax splits evenly for tetrahedra. So CPU, CUDA and
/// create_graph backwards agree on flat simplices too.
template <int D>
void add_longest_edge_gradient(const value_t* const* p, const value_t (*e)[D], int k, value_t g,
                               value_t (*grad)[D]) {
    const value_t zero[D] = {};
    auto edge = [&](int i) { return i ? e[i - 1] : zero; };  // vertex i relative to vertex 0
    auto len_sq = [&](int i, int j) {
        value_t s = 0;
        for (int c = 0; c < D; ++c) s += (edge(j)[c] - edge(i)[c]) * (edge(j)[c] - edge(i)[c]);
        return s;
    };
    constexpr int pairs[6][2] = {{0, 1}, {0, 2}, {0, 3}, {1, 2}, {1, 3}, {2, 3}};
    const int order3[3] = {0, 1, 3};  // torch's triangle order: 01, 02, 12
    const int n_edges = k == 3 ? 3 : 6;
    value_t len[6], weight[6] = {};
    for (int t = 0; t < n_edges; ++t) {
        const auto& ij = pairs[k == 3 ? order3[t] : t];
        len[t] = len_sq(ij[0], ij[1]);
    }
    if (k == 3) {
        const value_t first = std::max(len[0], len[1]);
        weight[0] = len[0] > len[1] ? 1 : len[0] == len[1] ? 0.5 : 0;
        weight[1] = 1 - weight[0];
        const value_t outer = first > len[2] ? 1 : first == len[2] ? 0.5 : 0;
        weight[0] *= outer;
        weight[1] *= outer;
        weight[2] = 1 - outer;
    } else {
        const value_t longest = *std::max_element(len, len + n_edges);
        const auto n_tied = std::count(len, len + n_edges, longest);
        for (int t = 0; t < n_edges; ++t) weight[t] = len[t] == longest ? 1.0 / n_tied : 0.0;
    }
    for (int t = 0; t < n_edges; ++t) {
        if (weight[t] == 0) continue;
        const auto& ij = pairs[k == 3 ? order3[t] : t];
        const int i = ij[0], j = ij[1];
        for (int c = 0; c < D; ++c) {
            const value_t step = g * weight[t] * (p[i][c] - p[j][c]) / 2;
            grad[i][c] += step;
            grad[j][c] -= step;
        }
    }
}

/// grad (k rows of D, zeroed) = g * ∂R^2/∂p_i for the simplex p[0..k) (k = 2, 3, 4).
template <int D>
void circumradius_sq_gradient(const value_t* const* p, int k, value_t g, value_t (*grad)[D]) {
    value_t e[3][D], scale = 0;
    for (int i = 1; i < k; ++i)
        for (int c = 0; c < D; ++c) {
            e[i - 1][c] = p[i][c] - p[0][c];
            scale = std::max(scale, std::abs(e[i - 1][c]));
        }
    if (scale == 0) return;
    for (int i = 0; i < k - 1; ++i)
        for (int c = 0; c < D; ++c) e[i][c] /= scale;
    value_t lambda[4] = {}, o[D] = {};
    if (k == 2) {
        lambda[0] = lambda[1] = 0.5;
        for (int c = 0; c < D; ++c) o[c] = e[0][c] / 2;
    } else if (!circumcentre_barycentric<D>(e, k, lambda, o)) {
        add_longest_edge_gradient<D>(p, e, k, g, grad);
        return;
    }
    // p_i - c = scale * (e_i - o), with e_0 = 0.
    for (int i = 0; i < k; ++i)
        for (int c = 0; c < D; ++c)
            grad[i][c] = 2 * g * lambda[i] * scale * ((i ? e[i - 1][c] : 0) - o[c]);
}

template <int D>
void check_support_rows(index_t n_points, std::span<const index_t> rows, int k) {
    if (k < 2 || k > D + 1)
        throw_invalid("support rows must have 2 to ", D + 1, " points, got ", k);
    for (index_t v : rows)
        if (v < 0 || v >= n_points)
            throw_invalid("support rows must index the ", n_points, " points, got ", v);
}

}  // namespace detail

/// Squared circumradius (geometry.hpp's formula) of each row of k point indices; `points` holds
/// n rows of D coordinates. Rows run in ranges on n_threads threads.
template <int D>
std::vector<value_t> support_radii_sq(std::span<const value_t> points,
                                      std::span<const index_t> rows, int k, int n_threads) {
    const index_t n = static_cast<index_t>(points.size()) / D;
    detail::check_support_rows<D>(n, rows, k);  // k >= 2 from here on
    const index_t m = static_cast<index_t>(rows.size()) / k;
    std::vector<value_t> out(m);
    parallel_ranges(
        m, n_threads,
        [&](index_t first, index_t last) {
            const value_t* p[4];
            for (index_t r = first; r < last; ++r) {
                for (int i = 0; i < k; ++i) p[i] = points.data() + rows[r * k + i] * D;
                out[r] = detail::circumradius_sq<D>(p, k);
            }
        },
        detail::min_support_rows_per_range);
    return out;
}

/// Σ_r g[r] ∂R^2(row r)/∂points, shape n x D. The rows' gradients are computed in ranges on
/// n_threads threads, then added in row order, so the sums do not depend on the thread count.
template <int D>
std::vector<value_t> support_radii_sq_gradient(std::span<const value_t> points,
                                               std::span<const index_t> rows, int k,
                                               std::span<const value_t> g, int n_threads) {
    const index_t n = static_cast<index_t>(points.size()) / D;
    detail::check_support_rows<D>(n, rows, k);  // k >= 2 from here on
    const index_t m = static_cast<index_t>(rows.size()) / k;
    if (static_cast<index_t>(g.size()) != m)
        throw_invalid("the gradient has ", g.size(), " entries for ", m, " support rows");
    // Every row's block is written by the pass below (zeros where g is 0), so the buffer is
    // left uninitialised: a serial zero fill of it cost as much as the parallel pass.
    const std::unique_ptr<value_t[]> per_row(new value_t[static_cast<std::size_t>(m) * k * D]);
    parallel_ranges(
        m, n_threads,
        [&](index_t first, index_t last) {
            const value_t* p[4];
            for (index_t r = first; r < last; ++r) {
                auto* grad = reinterpret_cast<value_t(*)[D]>(per_row.get() + r * k * D);
                std::fill_n(grad[0], k * D, 0.0);
                if (g[r] == 0) continue;
                for (int i = 0; i < k; ++i) p[i] = points.data() + rows[r * k + i] * D;
                detail::circumradius_sq_gradient<D>(p, k, g[r], grad);
            }
        },
        detail::min_support_rows_per_range);
    // Each range of points sums its own entries over all rows, in row order: the sums are
    // those of a single pass, for any thread count. Every range scans all the rows' indices
    // (sequential reads) and adds only the entries of its own points.
    std::vector<value_t> out(points.size(), 0.0);
    parallel_ranges(
        n, n_threads,
        [&](index_t lo, index_t hi) {
            for (index_t e = 0; e < m * k; ++e) {
                const index_t v = rows[e];
                if (v < lo || v >= hi) continue;
                for (int c = 0; c < D; ++c) out[v * D + c] += per_row[e * D + c];
            }
        },
        detail::min_support_rows_per_range);
    return out;
}

}  // namespace calydon
