// calydon/rips/size_estimate.hpp: how many simplices a Rips complex has, before building it.
//
// Counting exactly means enumerating the cliques, which is the very cost to be avoided. Instead
// the degrees of a deterministic sample of vertices are measured (O(sample * n) lengths), and a
// k-simplex is counted once per vertex as a k-subset of that vertex's neighbourhood:
// count_k ~ (n / sample) * sum_s C(deg_s, k) / (k + 1). This is exact for k = 1 in expectation
// and an upper bound for k >= 2 (not every k-subset of a neighbourhood is a clique), which is the
// safe side for a memory guard.
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

#include "calydon/core/interrupt.hpp"
#include "calydon/core/types.hpp"

namespace calydon {

struct RipsSizeEstimate {
    /// The threshold the counts refer to (the given one, or an upper bound of the enclosing
    /// radius measured on the sample when the given one is +inf).
    value_t threshold;
    /// Estimated number of simplices per dimension 0..max_dim (doubles: they may be huge).
    std::vector<double> simplices;
};

template <class Length>
RipsSizeEstimate estimate_rips_size(index_t n, dim_t max_dim, value_t threshold,
                                    index_t sample_size, Length&& length) {
    RipsSizeEstimate out{threshold, std::vector<double>(max_dim + 1, 0.0)};
    if (n == 0) return out;
    const index_t sample = std::clamp<index_t>(sample_size, 1, n);
    std::vector<index_t> chosen(sample);
    for (index_t s = 0; s < sample; ++s)
        chosen[s] = (s * n) / sample;  // evenly spread, deterministic
    std::uint64_t ticks = 0;
    if (std::isinf(threshold)) {
        // Upper bound of the enclosing radius: the minimum over the sample of max_v d(s, v).
        out.threshold = value_inf;
        for (index_t s = 0; s < sample; ++s) {
            poll_interrupt(++ticks);
            value_t far = 0;
            for (index_t v = 0; v < n && far < out.threshold; ++v)
                far = std::max(far, length(chosen[s], v));
            out.threshold = std::min(out.threshold, far);
        }
    }
    out.simplices[0] = static_cast<double>(n);
    for (index_t s = 0; s < sample; ++s) {
        poll_interrupt(++ticks);
        double degree = 0;
        for (index_t v = 0; v < n; ++v)
            if (v != chosen[s] && length(chosen[s], v) <= out.threshold) degree += 1;
        double subsets = 1;  // C(degree, k), built up incrementally
        for (dim_t k = 1; k <= max_dim; ++k) {
            subsets *= std::max(0.0, degree - (k - 1)) / k;
            out.simplices[k] += subsets / (k + 1);
        }
    }
    const double scale = static_cast<double>(n) / static_cast<double>(sample);
    for (dim_t k = 1; k <= max_dim; ++k) out.simplices[k] *= scale;
    return out;
}

}  // namespace calydon
