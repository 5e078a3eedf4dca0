// calydon/delaunay/top_rows.hpp: the top simplices of a triangulation in one canonical order.
//
// CGAL hands out cells in container order, which depends on the insertion history, and the
// triangulation on several threads (split_triangulation.hpp) assembles its cells from slabs and a
// border. The triangulation itself is unique (in 3-D even for cospherical points: CGAL breaks
// those ties by a symbolic perturbation that depends on the points, not on the insertion order),
// so sorting the rows of top simplices makes every later step (faces, tie-breaks of equal values,
// supports) independent of the thread count.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <vector>

#include "calydon/core/types.hpp"

namespace calydon::detail {

/// Sorts the rows (width W, each ascending) lexicographically: a counting sort on the first
/// vertex, then each bucket, a few rows sharing one vertex, by a comparison sort.
template <int W>
void sort_rows_of(std::vector<std::uint32_t>& flat, index_t n_points) {
    using Row = std::array<std::uint32_t, W>;
    const std::size_t m = flat.size() / W;
    if (m == 0) return;  // (memcpy of an empty vector's null data is undefined)
    std::vector<std::size_t> start(static_cast<std::size_t>(n_points) + 1, 0);
    for (std::size_t r = 0; r < m; ++r) ++start[flat[r * W] + 1];
    for (index_t a = 0; a < n_points; ++a) start[a + 1] += start[a];
    std::vector<Row> rows(m);
    std::vector<std::size_t> fill(start.begin(), start.end() - 1);
    for (std::size_t r = 0; r < m; ++r)
        std::memcpy(rows[fill[flat[r * W]]++].data(), flat.data() + r * W, sizeof(Row));
    for (index_t a = 0; a < n_points; ++a)
        if (start[a + 1] - start[a] > 1)
            std::sort(rows.begin() + start[a], rows.begin() + start[a + 1]);
    std::memcpy(flat.data(), rows.data(), m * sizeof(Row));
}

/// The rows of two lexicographically sorted lists of rows of `width` ids, in one such list.
inline std::vector<std::uint32_t> merge_sorted_rows(const std::vector<std::uint32_t>& a,
                                                    const std::vector<std::uint32_t>& b,
                                                    int width) {
    std::vector<std::uint32_t> out;
    out.reserve(a.size() + b.size());
    std::size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        const bool b_first = std::lexicographical_compare(b.begin() + j, b.begin() + j + width,
                                                          a.begin() + i, a.begin() + i + width);
        const std::vector<std::uint32_t>& from = b_first ? b : a;
        std::size_t& at = b_first ? j : i;
        out.insert(out.end(), from.begin() + at, from.begin() + at + width);
        at += width;
    }
    out.insert(out.end(), a.begin() + i, a.end());
    out.insert(out.end(), b.begin() + j, b.end());
    return out;
}

/// Rows of `width` vertex ids (2, 3 or 4) in lexicographic order.
inline void sort_rows_lexicographically(std::vector<std::uint32_t>& flat, int width,
                                        index_t n_points) {
    if (width == 4) sort_rows_of<4>(flat, n_points);
    else if (width == 3) sort_rows_of<3>(flat, n_points);
    else if (width == 2) sort_rows_of<2>(flat, n_points);
}

}  // namespace calydon::detail
