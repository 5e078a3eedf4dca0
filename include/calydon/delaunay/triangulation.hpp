// calydon/delaunay/triangulation.hpp: the top simplices of the Delaunay triangulation
// of a 2-D or 3-D point cloud, from CGAL (Epick kernel: exact predicates), plus the duplicate map.
//
// This is the only header that runs CGAL's triangulation; everything downstream works on plain
// vertex-id tuples.
#pragma once

#ifdef CALYDON_HAVE_CGAL

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <span>
#include <stdexcept>
#include <utility>
#include <vector>

#include <CGAL/Delaunay_triangulation_2.h>
#include <CGAL/Delaunay_triangulation_3.h>
#include <CGAL/Exact_predicates_inexact_constructions_kernel.h>
#include <CGAL/Spatial_sort_traits_adapter_2.h>
#include <CGAL/Spatial_sort_traits_adapter_3.h>
#include <CGAL/Triangulation_vertex_base_with_info_2.h>
#include <CGAL/Triangulation_vertex_base_with_info_3.h>
#include <CGAL/property_map.h>
#include <CGAL/spatial_sort.h>

#include "calydon/core/errors.hpp"
#include "calydon/core/interrupt.hpp"
#include "calydon/core/thread_pool.hpp"
#include "calydon/core/types.hpp"
#include "calydon/delaunay/point_numbering.hpp"
#include "calydon/delaunay/split_triangulation.hpp"
#include "calydon/delaunay/top_rows.hpp"

namespace calydon {

namespace detail {

/// Inserts (point, info) entries exactly as CGAL's range insertion with info does (the same
/// spatial sort of their indices, then one point at a time, starting from the vertex just
/// inserted), so the triangulation is identical, even for degenerate (cocircular) 2-D inputs
/// whose triangulation depends on the insertion order (in 3-D, CGAL's symbolic perturbation makes
/// it unique; see top_rows.hpp). The difference: a Ctrl-C check between chunks,
/// where the range insertion of a million points could not be interrupted for seconds.
template <class Dt, class Traits, class Hint, class Entry, class Advance>
void insert_interruptibly(Dt& dt, const std::vector<Entry>& entries, Advance&& advance) {
    using Point = typename Dt::Point;
    std::vector<Point> points;
    points.reserve(entries.size());
    for (const Entry& e : entries) points.push_back(e.first);
    std::vector<std::size_t> indices(entries.size());
    std::iota(indices.begin(), indices.end(), std::size_t{0});
    CGAL::spatial_sort(indices.begin(), indices.end(),
                       Traits(CGAL::make_property_map(points), dt.geom_traits()));
    Hint hint{};
    for (std::size_t k = 0; k < indices.size(); ++k) {
        if (k % insertions_per_poll == 0) check_interrupt();
        const auto v = dt.insert(points[indices[k]], hint);
        if (v != typename Dt::Vertex_handle()) v->info() = entries[indices[k]].second;
        advance(hint, v);
    }
}

inline void push_sorted(std::vector<std::uint32_t>& out, std::uint32_t* ids, int k) {
    std::sort(ids, ids + k);
    out.insert(out.end(), ids, ids + k);
}

inline void triangulate_2d(std::span<const value_t> coords, DelaunayTopCells& out) {
    using Vb = CGAL::Triangulation_vertex_base_with_info_2<std::uint32_t, DelaunayKernel>;
    using Fb = CGAL::Triangulation_face_base_2<DelaunayKernel>;
    using Tds = CGAL::Triangulation_data_structure_2<Vb, Fb>;
    using Dt = CGAL::Delaunay_triangulation_2<DelaunayKernel, Tds>;
    using Entry = std::pair<DelaunayKernel::Point_2, std::uint32_t>;
    std::vector<Entry> pts;
    for (index_t i = 0; i < out.n_points(); ++i)
        if (out.representative[i] == i)
            pts.emplace_back(DelaunayKernel::Point_2(coords[2 * i], coords[2 * i + 1]),
                             static_cast<std::uint32_t>(i));
    CGAL::spatial_sort(
        pts.begin(), pts.end(),
        CGAL::Spatial_sort_traits_adapter_2<DelaunayKernel,
                                            CGAL::First_of_pair_property_map<Entry>>());
    number_locally(pts, out);
    Dt dt;
    using IndexTraits = CGAL::Spatial_sort_traits_adapter_2<
        DelaunayKernel, typename CGAL::Pointer_property_map<DelaunayKernel::Point_2>::type>;
    // As Delaunay_triangulation_2::insert_with_info: the hint is the new vertex's face.
    insert_interruptibly<Dt, IndexTraits, typename Dt::Face_handle>(
        dt, pts, [](typename Dt::Face_handle& hint, typename Dt::Vertex_handle v) {
            if (v != typename Dt::Vertex_handle()) hint = v->face();
        });
    out.dim = dt.dimension();
    std::uint32_t ids[3];
    if (out.dim == 2) {
        out.top.reserve(dt.number_of_faces() * 3);
        for (auto f : dt.finite_face_handles()) {
            for (int j = 0; j < 3; ++j) ids[j] = f->vertex(j)->info();
            push_sorted(out.top, ids, 3);
        }
    } else if (out.dim == 1) {
        for (auto e = dt.finite_edges_begin(); e != dt.finite_edges_end(); ++e) {
            ids[0] = e->first->vertex(dt.cw(e->second))->info();
            ids[1] = e->first->vertex(dt.ccw(e->second))->info();
            push_sorted(out.top, ids, 2);
        }
    }
}

/// The top simplices of a 3-D triangulation (of dimension 1 to 3) as rows of local ids, each row
/// ascending and the rows in lexicographic order, whatever order CGAL's containers hold them in.
template <class Dt>
void collect_top_cells_3(const Dt& dt, DelaunayTopCells& out) {
    out.dim = dt.dimension();
    std::uint32_t ids[4];
    if (out.dim == 3) {
        out.top.reserve(dt.number_of_finite_cells() * 4);
        for (auto c : dt.finite_cell_handles()) {
            for (int j = 0; j < 4; ++j) ids[j] = c->vertex(j)->info();
            push_sorted(out.top, ids, 4);
        }
    } else if (out.dim == 2) {
        // A planar triangulation: its triangles are the facets (c, 3) of 2-dimensional cells.
        for (auto f = dt.finite_facets_begin(); f != dt.finite_facets_end(); ++f) {
            for (int j = 0; j < 3; ++j) ids[j] = f->first->vertex(j)->info();
            push_sorted(out.top, ids, 3);
        }
    } else if (out.dim == 1) {
        for (auto e = dt.finite_edges_begin(); e != dt.finite_edges_end(); ++e) {
            ids[0] = e->first->vertex(e->second)->info();
            ids[1] = e->first->vertex(e->third)->info();
            push_sorted(out.top, ids, 2);
        }
    }
    sort_rows_lexicographically(out.top, out.dim + 1, out.n_points());
}

using DelaunayTriangulation3 = CGAL::Delaunay_triangulation_3<
    DelaunayKernel, CGAL::Triangulation_data_structure_3<
                        CGAL::Triangulation_vertex_base_with_info_3<std::uint32_t, DelaunayKernel>,
                        CGAL::Delaunay_triangulation_cell_base_3<DelaunayKernel>>>;

/// n_threads > 1: slabs triangulated at once and merged (split_triangulation.hpp), which gives
/// the same triangulation; serial below 2000 points or when the points do not split.
inline void triangulate_3d(std::span<const value_t> coords, DelaunayTopCells& out, int n_threads) {
    std::vector<std::pair<DelaunayKernel::Point_3, std::uint32_t>> pts =
        distinct_points_in_spatial_order(coords, out, n_threads);
    number_locally(pts, out);
    if (n_threads > 1 && pts.size() >= min_points_for_split_triangulation) {
        if (auto rows = split_delaunay_rows(pts, out.n_points(), n_threads)) {
            out.dim = 3;
            out.top = std::move(*rows);  // already in lexicographic order
            return;
        }
    }
    using Dt = DelaunayTriangulation3;
    Dt dt;
    using IndexTraits = CGAL::Spatial_sort_traits_adapter_3<
        DelaunayKernel, typename CGAL::Pointer_property_map<DelaunayKernel::Point_3>::type>;
    // As Delaunay_triangulation_3::insert_with_info: the hint is the new vertex itself.
    insert_interruptibly<Dt, IndexTraits, typename Dt::Vertex_handle>(
        dt, pts, [](typename Dt::Vertex_handle& hint, typename Dt::Vertex_handle v) { hint = v; });
    collect_top_cells_3(dt, out);
}

}  // namespace detail

/// Delaunay triangulation of n points given row-major in `coords` (n * ambient_dim values,
/// ambient_dim 2 or 3, all finite). Duplicated points are left out of the triangulation and
/// reported through `representative`. In 3-D, n_threads > 1 triangulates slabs of the points at
/// once and merges them; the rows of `top` are in lexicographic order, so the result is the same.
inline DelaunayTopCells delaunay_top_cells(std::span<const value_t> coords, int ambient_dim,
                                           int n_threads = 1) {
    if (ambient_dim != 2 && ambient_dim != 3)
        throw_invalid("points must have 2 or 3 coordinates, got ", ambient_dim);
    if (coords.size() % ambient_dim != 0)
        throw_invalid(coords.size(), " coordinates do not form rows of ", ambient_dim);
    const index_t n = static_cast<index_t>(coords.size()) / ambient_dim;
    if (n == 0) throw_invalid("points must not be empty");
    if (n >= (index_t{1} << 31)) throw std::length_error("at most 2^31 - 1 points are supported");
    for (std::size_t i = 0; i < coords.size(); ++i)
        if (!std::isfinite(coords[i]))
            throw_invalid("points must be finite, got ", coords[i], " at point ", i / ambient_dim);
    DelaunayTopCells out;
    out.ambient_dim = ambient_dim;
    if (ambient_dim == 2) {
        out.representative = detail::duplicate_representatives(coords, 2, out.has_duplicates);
        detail::triangulate_2d(coords, out);
    } else {
        detail::triangulate_3d(coords, out, n_threads);
    }
    return out;
}

}  // namespace calydon

#endif  // CALYDON_HAVE_CGAL
