// calydon/delaunay/point_numbering.hpp: how the Delaunay builders number the points before
// triangulating them: duplicates resolved, the distinct points along CGAL's spatial sort.
//
// The numbering (local ids) decides the order every later step reads memory in and breaks ties
// between equal values, so it depends on the points alone, never on the thread count.
#pragma once

#ifdef CALYDON_HAVE_CGAL

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <span>
#include <utility>
#include <vector>

#include <CGAL/Exact_predicates_inexact_constructions_kernel.h>
#include <CGAL/Spatial_sort_traits_adapter_3.h>
#include <CGAL/property_map.h>
#include <CGAL/spatial_sort.h>

#include "calydon/core/thread_pool.hpp"
#include "calydon/core/types.hpp"

namespace calydon {

using DelaunayKernel = CGAL::Exact_predicates_inexact_constructions_kernel;

/// The Delaunay triangulation as a pure complex of its top simplices, on *local* vertex ids:
/// the distinct points numbered along CGAL's spatial sort (a Hilbert-like curve, so that simplices
/// numbered by their vertices are close in memory when close in space; see
/// distinct_points_in_spatial_order in 3-D), then the duplicates.
struct DelaunayTopCells {
    int ambient_dim = 0;  // 2 or 3
    int dim = -1;         // dimension of the triangulation: that of the affine hull of the points
    /// (n_top, dim + 1) local vertex ids, each row ascending. Empty when dim < 1.
    std::vector<std::uint32_t> top;
    /// representative[i] == i, or the smallest index of an earlier point with the same coordinates.
    std::vector<index_t> representative;
    /// local id -> input point index, and back.
    std::vector<std::uint32_t> original_of, local_of;
    bool has_duplicates = false;

    index_t n_points() const { return static_cast<index_t>(representative.size()); }
    index_t n_top() const { return dim < 1 ? 0 : static_cast<index_t>(top.size()) / (dim + 1); }
};

namespace detail {

/// Points with identical coordinates share the smallest index among them; CGAL would merge them
/// silently (keeping an unspecified one), so they are resolved before triangulating.
inline std::vector<index_t> duplicate_representatives(std::span<const value_t> coords, int d,
                                                      bool& has_duplicates) {
    const index_t n = static_cast<index_t>(coords.size()) / d;
    std::vector<index_t> order(n);
    std::iota(order.begin(), order.end(), index_t{0});
    auto less = [&](index_t a, index_t b) {
        for (int k = 0; k < d; ++k) {
            value_t x = coords[a * d + k], y = coords[b * d + k];
            if (x != y) return x < y;
        }
        return a < b;
    };
    std::sort(order.begin(), order.end(), less);
    std::vector<index_t> rep(n);
    has_duplicates = false;
    for (index_t s = 0; s < n; ++s) {
        index_t i = order[s];
        rep[i] = i;
        if (s == 0) continue;
        index_t prev = order[s - 1];
        bool same = true;
        for (int k = 0; k < d && same; ++k) same = coords[prev * d + k] == coords[i * d + k];
        if (same) {
            rep[i] = rep[prev];  // runs are sorted by index, so rep[prev] is the smallest
            has_duplicates = true;
        }
    }
    return rep;
}

/// Local ids: the spatially sorted distinct points first, then the duplicates in input order.
/// Rewrites each entry's info from its input index to its local id.
template <class Entry>
void number_locally(std::vector<Entry>& sorted_distinct, DelaunayTopCells& out) {
    const index_t n = out.n_points();
    out.original_of.clear();
    out.original_of.reserve(n);
    out.local_of.assign(n, 0);
    for (Entry& e : sorted_distinct) {
        out.local_of[e.second] = static_cast<std::uint32_t>(out.original_of.size());
        out.original_of.push_back(e.second);
        e.second = out.local_of[e.second];
    }
    for (index_t i = 0; i < n; ++i)
        if (out.representative[i] != i) {
            out.local_of[i] = static_cast<std::uint32_t>(out.original_of.size());
            out.original_of.push_back(static_cast<std::uint32_t>(i));
        }
}

/// The distinct points in spatial order, with their input indices; fills out.representative.
/// Few duplicates (the usual case): every point is sorted, beside the duplicate search on two
/// threads, and the duplicates then leave the sequence. Many (a sixteenth or more): the distinct
/// points alone are sorted, after the search. The choice depends on the points only, so the
/// numbering is the same for any thread count.
inline std::vector<std::pair<DelaunayKernel::Point_3, std::uint32_t>>
distinct_points_in_spatial_order(std::span<const value_t> coords, DelaunayTopCells& out,
                                 int n_threads) {
    using Entry = std::pair<DelaunayKernel::Point_3, std::uint32_t>;
    const index_t n = static_cast<index_t>(coords.size()) / 3;
    auto find_duplicates = [&] {
        out.representative = duplicate_representatives(coords, 3, out.has_duplicates);
    };
    auto few_duplicates = [&] {
        if (!out.has_duplicates) return true;
        index_t n_duplicates = 0;
        for (index_t i = 0; i < n; ++i) n_duplicates += out.representative[i] != i;
        return 16 * n_duplicates < n;
    };
    auto sorted_entries = [&](bool distinct_only) {
        std::vector<Entry> pts;
        pts.reserve(static_cast<std::size_t>(n));
        for (index_t i = 0; i < n; ++i)
            if (!distinct_only || out.representative[i] == i)
                pts.emplace_back(
                    DelaunayKernel::Point_3(coords[3 * i], coords[3 * i + 1], coords[3 * i + 2]),
                    static_cast<std::uint32_t>(i));
        CGAL::spatial_sort(
            pts.begin(), pts.end(),
            CGAL::Spatial_sort_traits_adapter_3<DelaunayKernel,
                                                CGAL::First_of_pair_property_map<Entry>>());
        return pts;
    };
    std::vector<Entry> pts;
    bool few = true;
    if (n_threads > 1) {
        parallel_for(2, n_threads, [&](index_t task) {
            task == 0 ? find_duplicates() : void(pts = sorted_entries(false));
        });
        few = few_duplicates();
    } else {
        find_duplicates();
        few = few_duplicates();
        if (few) pts = sorted_entries(false);
    }
    if (!few) return sorted_entries(true);
    std::erase_if(pts, [&](const Entry& e) { return out.representative[e.second] != e.second; });
    return pts;
}

}  // namespace detail

}  // namespace calydon

#endif  // CALYDON_HAVE_CGAL
