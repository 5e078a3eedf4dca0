// calydon/rips/binomial.hpp: the combinatorial number system that names Rips simplices.
//
// A k-simplex with vertices v_k > ... > v_0 is the integer sum_i C(v_i, i + 1). Indices are dense
// (0 .. C(n, k + 1) - 1 for k-simplices on n vertices), ordering by index is colexicographic, and
// the vertices can be decoded back, so a simplex needs no storage beyond one int64.
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>
#include <stdexcept>
#include <vector>

#include "calydon/core/errors.hpp"
#include "calydon/core/types.hpp"

namespace calydon {

class BinomialTable {
public:
    /// C(v, k) for 0 <= v <= n_vertices and 0 <= k <= max_k. Throws std::overflow_error when
    /// C(n_vertices, max_k) does not fit in int64, i.e. when simplex indices could overflow.
    BinomialTable(index_t n_vertices, int max_k)
        : n_(n_vertices), max_k_(max_k),
          table_(static_cast<std::size_t>(max_k + 1) * (n_vertices + 1), 0) {
        constexpr index_t limit = std::numeric_limits<index_t>::max();
        for (index_t v = 0; v <= n_; ++v) {
            at(v, 0) = 1;
            for (int k = 1; k <= std::min<index_t>(v, max_k_); ++k) {
                const index_t a = at(v - 1, k - 1), b = k <= v - 1 ? at(v - 1, k) : 0;
                if (a > limit - b)
                    throw std::overflow_error(
                        format_message("simplex indices overflow int64: C(", n_, ", ", max_k_,
                                       ") is too large for max_dim=", max_k_ - 1, " on ", n_,
                                       " points; lower max_dim or the number of points"));
                at(v, k) = a + b;
            }
        }
    }

    index_t operator()(index_t v, int k) const {
        return table_[static_cast<std::size_t>(k) * (n_ + 1) + v];
    }
    index_t n_vertices() const { return n_; }
    int max_k() const { return max_k_; }

private:
    index_t& at(index_t v, int k) { return table_[static_cast<std::size_t>(k) * (n_ + 1) + v]; }

    index_t n_;
    int max_k_;
    std::vector<index_t> table_;  // row k holds C(0..n, k): rows are scanned with v varying
};

/// Index of the simplex with the given vertices listed in decreasing order.
inline index_t simplex_index(std::span<const index_t> vertices_desc, const BinomialTable& binom) {
    index_t index = 0;
    const int k = static_cast<int>(vertices_desc.size());
    for (int i = 0; i < k; ++i) index += binom(vertices_desc[i], k - i);
    return index;
}

/// Decodes a dim-simplex into its vertices, in decreasing order (out is resized to dim + 1).
/// Each vertex is the largest v with C(v, k) <= what is left of the index: a binary search for
/// k >= 3, the square root for k = 2 (v (v - 1) / 2 <= index, then a step or two to correct the
/// rounding) and the index itself for k = 1. Edges need no search at all and triangles one,
/// against two and three: decoding was a quarter of a Rips call on o3_1024.
inline void simplex_vertices(index_t index, dim_t dim, const BinomialTable& binom,
                             std::vector<index_t>& out) {
    out.resize(dim + 1);
    index_t top = binom.n_vertices() - 1;
    for (int k = dim + 1; k >= 3; --k) {
        // The largest v in [k - 1, top] with C(v, k) <= index (C(k - 1, k) = 0): halving steps
        // without a branch on the comparison, which is unpredictable.
        index_t v = k - 1;
        for (index_t len = top - v + 1; len > 1;) {
            const index_t half = len / 2;
            v = binom(v + half, k) <= index ? v + half : v;
            len -= half;
        }
        out[dim + 1 - k] = v;
        index -= binom(v, k);
        top = v - 1;
    }
    if (dim >= 1) {
        const double root = std::sqrt(1.0 + 8.0 * static_cast<double>(index));
        index_t v = std::max<index_t>(1, std::min(static_cast<index_t>((1.0 + root) / 2.0), top));
        while (v > 1 && binom(v, 2) > index) --v;
        while (v < top && binom(v + 1, 2) <= index) ++v;
        out[dim - 1] = v;
        index -= binom(v, 2);
    }
    out[dim] = index;
}

}  // namespace calydon
