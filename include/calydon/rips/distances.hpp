// calydon/rips/distances.hpp: dense and sparse distance matrices for Vietoris-Rips complexes.
//
// Euclidean lengths are computed as sqrt(sum_k (x_u[k] - x_v[k])^2), summing coordinates in
// order. Where that sum leaves the safe range (it overflows beyond about 1e154, or loses
// precision to underflow below about 1e-146), the differences are first multiplied by 2^-e, e
// the binary exponent of the largest one, and the root by 2^e: powers of two scale exactly, so
// lengths of any size are correct to rounding instead of inf or 0. The torch side of
// calydon.diff evaluates the same expressions in the same order, so a length recomputed there
// equals the length used here bit for bit.
#pragma once

#include <algorithm>
#include <cmath>
#include <span>
#include <vector>

#include "calydon/core/errors.hpp"
#include "calydon/core/interrupt.hpp"
#include "calydon/core/thread_pool.hpp"
#include "calydon/core/types.hpp"

namespace calydon {

/// Squared lengths in [2^-968, 2^1000] are summed without overflow and keep every term that
/// matters (terms below 2^-1022 are 2^-54 of the sum at most).
inline constexpr value_t rips_safe_square_min = 0x1p-968;
inline constexpr value_t rips_safe_square_max = 0x1p+1000;

/// 2^e with e the binary exponent of x (x in [2^(e-1), 2^e)), kept within [2^-1022, 2^1023] so
/// that it and its inverse are normal doubles.
inline value_t rips_length_unit(value_t x) {
    int e = 0;
    std::frexp(x, &e);
    return std::ldexp(1.0, std::clamp(e, -1022, 1023));
}

/// n points in R^d, row-major; not owned.
struct PointCloud {
    const value_t* coords;
    index_t n;
    index_t d;

    value_t distance(index_t u, index_t v) const {
        const value_t* a = coords + u * d;
        const value_t* b = coords + v * d;
        value_t sum = 0;
        for (index_t k = 0; k < d; ++k) {
            const value_t diff = a[k] - b[k];
            sum += diff * diff;
        }
        if (sum >= rips_safe_square_min && sum <= rips_safe_square_max) return std::sqrt(sum);
        return scaled_distance(a, b);
    }

private:
    value_t scaled_distance(const value_t* a, const value_t* b) const {
        value_t largest = 0;
        for (index_t k = 0; k < d; ++k) largest = std::max(largest, std::fabs(a[k] - b[k]));
        if (largest == 0 || std::isinf(largest)) return largest;
        const value_t unit = rips_length_unit(largest);
        value_t sum = 0;
        for (index_t k = 0; k < d; ++k) {
            const value_t diff = (a[k] - b[k]) / unit;
            sum += diff * diff;
        }
        return std::sqrt(sum) * unit;
    }
};

/// A full n x n symmetric matrix with zero diagonal, row-major. Rows are read contiguously by the
/// coboundary enumerator, which is why the full square is kept rather than a triangle.
class DenseDistances {
public:
    static constexpr bool is_sparse = false;

    /// Views a user matrix (already validated); the caller keeps it alive.
    DenseDistances(const value_t* matrix, index_t n) : n_(n), data_(matrix) {}

    explicit DenseDistances(const PointCloud& pts)
        : n_(pts.n), owned_(static_cast<std::size_t>(pts.n) * pts.n, 0.0) {
        std::uint64_t ticks = 0;
        for (index_t u = 0; u < n_; ++u) {
            poll_interrupt(++ticks);
            for (index_t v = 0; v < u; ++v) {
                const value_t len = pts.distance(u, v);
                owned_[u * n_ + v] = owned_[v * n_ + u] = len;
            }
        }
        data_ = owned_.data();
    }

    index_t size() const { return n_; }
    value_t operator()(index_t u, index_t v) const { return data_[u * n_ + v]; }
    const value_t* row(index_t u) const { return data_ + u * n_; }

private:
    index_t n_;
    std::vector<value_t> owned_;
    const value_t* data_ = nullptr;
};

/// Only the pairs within a threshold, as neighbour lists sorted by vertex.
class SparseDistances {
public:
    static constexpr bool is_sparse = true;
    struct Neighbor {
        index_t vertex;
        value_t length;
    };

    /// The pairs within `threshold`, on up to n_threads threads: each takes a range of rows
    /// (balanced by their n(n-1)/2 lengths), and the rows' pairs are then laid out by vertex.
    template <class Length>
    SparseDistances(index_t n, value_t threshold, Length&& length, int n_threads = 1)
        : n_(n), offsets_(n + 1, 0) {
        std::vector<std::vector<Pair>> pairs = pairs_within(n, threshold, length, n_threads);
        for (const auto& part : pairs)  // row u holds (u, v) for v < u: both ends get one
            for (const Pair& p : part) ++offsets_[p.u + 1], ++offsets_[p.v + 1];
        for (index_t u = 0; u < n; ++u) offsets_[u + 1] += offsets_[u];
        neighbors_.resize(static_cast<std::size_t>(offsets_[n]));
        std::vector<index_t> next(offsets_.begin(), offsets_.end() - 1);
        // Rows in order, v ascending within a row: each vertex gets its neighbours below it
        // in increasing order (its own row), then those above it (later rows), so every list
        // comes out sorted.
        for (const auto& part : pairs)
            for (const Pair& p : part) neighbors_[next[p.u]++] = {p.v, p.length};
        for (const auto& part : pairs)
            for (const Pair& p : part) neighbors_[next[p.v]++] = {p.u, p.length};
    }

    index_t size() const { return n_; }
    /// Neighbours of u in increasing vertex order.
    std::span<const Neighbor> neighbors(index_t u) const {
        return {neighbors_.data() + offsets_[u],
                static_cast<std::size_t>(offsets_[u + 1] - offsets_[u])};
    }
    /// Length of (u, v), +inf when the pair is beyond the threshold; 0 on the diagonal.
    value_t operator()(index_t u, index_t v) const {
        if (u == v) return 0;
        auto nb = neighbors(u);
        auto it = std::lower_bound(nb.begin(), nb.end(), v,
                                   [](const Neighbor& a, index_t x) { return a.vertex < x; });
        return (it != nb.end() && it->vertex == v) ? it->length : value_inf;
    }
    index_t n_edges() const { return offsets_[n_] / 2; }

private:
    struct Pair {
        index_t u, v;  // v < u
        value_t length;
    };
    template <class Length>
    static std::vector<std::vector<Pair>> pairs_within(index_t n, value_t threshold, Length& length,
                                                       int n_threads) {
        // Row u has u lengths: ranges of rows of about equal work (none under 2^16 lengths).
        const auto work = static_cast<double>(n) * static_cast<double>(n - 1) / 2;
        const auto n_ranges =
            static_cast<index_t>(std::clamp<double>(work / 65536.0, 1.0, std::max(n_threads, 1)));
        auto row_at = [&](index_t r) {  // the first row of range r: r/n_ranges of the work
            return static_cast<index_t>(
                std::sqrt(2.0 * work * static_cast<double>(r) / static_cast<double>(n_ranges)));
        };
        std::vector<std::vector<Pair>> pairs(static_cast<std::size_t>(n_ranges));
        parallel_for(n_ranges, n_threads, [&](index_t r) {
            const index_t last = r + 1 == n_ranges ? n : std::min(n, row_at(r + 1));
            std::uint64_t ticks = 0;
            for (index_t u = std::min(n, row_at(r)); u < last; ++u) {
                poll_interrupt(++ticks);
                for (index_t v = 0; v < u; ++v)
                    if (const value_t len = length(u, v); len <= threshold)
                        pairs[static_cast<std::size_t>(r)].push_back({u, v, len});
            }
        });
        return pairs;
    }
    index_t n_;
    std::vector<index_t> offsets_;
    std::vector<Neighbor> neighbors_;
};

/// Relative tolerance of the symmetry and zero-diagonal checks, as a fraction of the largest
/// entry: matrices from torch.cdist or a numpy broadcast are symmetric only up to rounding.
inline constexpr value_t distance_matrix_rtol = 1e-5;

/// Checks a user distance matrix: square, finite, non-negative, and symmetric with a zero
/// diagonal within distance_matrix_rtol. Returns false when it is so only up to the tolerance,
/// in which case the caller reads one triangle (symmetrized_lower).
inline bool validate_distance_matrix(const value_t* m, index_t rows, index_t cols) {
    if (rows != cols)
        throw_invalid("data must be a square distance matrix, got shape (", rows, ", ", cols, ")");
    value_t largest = 0;
    for (index_t k = 0; k < rows * cols; ++k) {
        const value_t x = m[k];
        if (!std::isfinite(x))
            throw_invalid("data must be finite, got ", x, " at (", k / rows, ", ", k % rows, ")");
        if (x < 0)
            throw_invalid("data must hold distances >= 0, got ", x, " at (", k / rows, ", ",
                          k % rows, ")");
        largest = std::max(largest, x);
    }
    const value_t tolerance = distance_matrix_rtol * largest;
    bool exact = true;
    for (index_t i = 0; i < rows; ++i) {
        const value_t diag = m[i * rows + i];
        if (diag > tolerance)
            throw_invalid("data must have a zero diagonal (a distance matrix), got ", diag, " at (",
                          i, ", ", i, ")");
        exact = exact && diag == 0;
        for (index_t j = 0; j < i; ++j) {
            const value_t low = m[i * rows + j], high = m[j * rows + i];
            if (std::abs(low - high) > tolerance)
                throw_invalid("data must be a symmetric distance matrix (within ",
                              distance_matrix_rtol, " of its largest entry), got ", low, " at (", i,
                              ", ", j, ") and ", high, " at (", j, ", ", i, ")");
            exact = exact && low == high;
        }
    }
    return exact;
}

/// The matrix read from its lower triangle (D[i][j], i > j), mirrored, with a zero diagonal.
inline std::vector<value_t> symmetrized_lower(const value_t* m, index_t n) {
    std::vector<value_t> out(static_cast<std::size_t>(n) * n, 0.0);
    for (index_t i = 0; i < n; ++i)
        for (index_t j = 0; j < i; ++j) out[i * n + j] = out[j * n + i] = m[i * n + j];
    return out;
}

/// min_u max_v d(u, v): above it the Rips complex is a cone on any vertex attaining it.
template <class Length>
value_t enclosing_radius(index_t n, Length&& length) {
    value_t best = value_inf;
    std::uint64_t ticks = 0;
    for (index_t u = 0; u < n; ++u) {
        poll_interrupt(++ticks);
        value_t far = 0;
        for (index_t v = 0; v < n && far < best; ++v) far = std::max(far, length(u, v));
        best = std::min(best, far);
    }
    return n ? best : 0.0;
}

}  // namespace calydon
