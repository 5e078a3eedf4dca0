// calydon/delaunay/filtration.hpp: alpha, weak alpha and Čech–Delaunay filtrations of
// 2-D and 3-D point clouds, with the support of every cell for the differentiable values.
//
// Pipeline: CGAL Delaunay triangulation (top simplices) -> all faces by sorting vertex tuples ->
// value and support per cell (alpha / weak alpha / Čech rule) -> Filtration (sorted by
// (dim, value, input position)) -> supports re-indexed in sorted order.
//
// Duplicated points: CGAL would merge them. Here each duplicate stays a vertex (value 0) joined
// to the first point with the same coordinates by an edge of value 0 and no other coface. The
// diagrams are those of the de-duplicated cloud plus zero-persistence pairs, which are dropped.
#pragma once

#ifdef CALYDON_HAVE_CGAL

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "calydon/delaunay/alpha.hpp"
#include "calydon/delaunay/cech.hpp"
#include "calydon/delaunay/complex.hpp"
#include "calydon/delaunay/supports.hpp"
#include "calydon/delaunay/triangulation.hpp"
#include "calydon/delaunay/weak_alpha.hpp"
#include "calydon/filtration/filtration.hpp"

namespace calydon {

enum class DelaunayValueRule { alpha, weak_alpha, cech };

/// A Delaunay filtration plus the recipe of its differentiable values (supports.hpp).
struct DelaunayFiltration {
    Filtration filtration;
    /// Each cell's support (empty when the build deferred them to `support_plan`).
    DelaunaySupports supports;
    /// Set instead of `supports` by a deferring build: index_supports(*support_plan, filtration).
    std::shared_ptr<const SupportPlan> support_plan;
    std::array<std::vector<std::uint32_t>, 4>
        simplices;  // optional: [k]: (n_k, k + 1) sorted order
    int ambient_dim = 0;
    int triangulation_dim = -1;
    bool has_duplicates = false;
};

namespace detail {

template <int D>
CellValuesWithSupport delaunay_values(const SimplicialComplexByDim& cx,
                                      std::span<const value_t> coords, DelaunayValueRule rule,
                                      int n_threads = 1) {
    DelaunayGeometry<D> geo(coords);
    switch (rule) {
        case DelaunayValueRule::alpha: return alpha_values<D>(cx, geo, n_threads);
        case DelaunayValueRule::cech: return cech_values<D>(cx, geo);
        default:
            return weak_alpha_values(
                cx, [&](std::uint32_t a, std::uint32_t b) { return geo.squared_length(a, b); });
    }
}

/// The cells written straight into sorted order (`order`: sorted id -> global position, the
/// complex's dimension-major numbering, which is the filtration's input numbering). Vertex cell i
/// is point i, so an edge's rows are its points' (`original_of`) sorted ids. A k-simplex has
/// k + 1 facets, so every column's place is known up front: ranges of each dimension read their
/// cells' facets and write their columns in sequence on the pool. Returns the cells and the
/// inverse permutation (global position -> sorted id).
inline std::pair<CellList, std::vector<index_t>>
delaunay_sorted_cells(const SimplicialComplexByDim& cx, const std::vector<value_t>& values,
                      const std::vector<std::uint32_t>& original_of,
                      const std::vector<index_t>& order, int n_threads = 1) {
    const index_t n = cx.total_size();
    std::vector<index_t> sorted_of(n);
    parallel_ranges(n, n_threads, [&](index_t first, index_t last) {
        for (index_t s = first; s < last; ++s) sorted_of[order[s]] = s;
    });
    CellList cells;
    cells.dims.resize(n);
    cells.values.resize(n);
    auto& offsets = cells.boundary.offsets;
    auto& entries = cells.boundary.entries;
    offsets.resize(n + 1);
    std::size_t n_entries = 0;
    for (int k = 1; k <= cx.dim; ++k) n_entries += cx.facets[k].size();
    entries.resize(n_entries);
    offsets[0] = 0;
    index_t first_entry = 0;  // of the dimension's first column
    for (int k = 0; k <= cx.dim; ++k) {
        // Sorted ids of dimension k are the block's global positions: the order is by dimension.
        const index_t g0 = cx.offset(k), m = cx.size(k), width = k ? k + 1 : 0;
        const index_t foff = k ? cx.offset(k - 1) : 0;
        const index_t* facets = cx.facets[k].data();
        parallel_ranges(m, n_threads, [&](index_t first, index_t last) {
            constexpr index_t ahead = 16;
            for (index_t i = first; i < last; ++i) {
                const index_t s = g0 + i, local = order[s] - g0;
                if (width && i + ahead < last)
                    __builtin_prefetch(facets + (order[s + ahead] - g0) * width);
                cells.dims[s] = static_cast<dim_t>(k);
                cells.values[s] = values[order[s]];
                index_t* col = entries.data() + first_entry + i * width;
                for (index_t j = 0; j < width; ++j) {
                    const index_t f = facets[local * width + j];
                    col[j] = sorted_of[k == 1 ? original_of[f] : foff + f];
                }
                std::sort(col, col + width);
                offsets[s + 1] = first_entry + (i + 1) * width;
            }
        });
        first_entry += m * width;
    }
    return {std::move(cells), std::move(sorted_of)};
}

/// Sorted id -> input position for the order (dim, value, input position): a stable radix sort
/// of each dimension block on the bits of its (non-negative) values, the blocks side by side
/// on the shared pool.
inline std::vector<index_t> filtration_order(const SimplicialComplexByDim& cx,
                                             const std::vector<value_t>& values,
                                             int n_threads = 1) {
    struct Record {
        std::uint64_t key;
        index_t pos;
    };
    std::vector<index_t> order(values.size());
    // Largest blocks first, so that two threads split tetrahedra | the rest in 3-D.
    parallel_for(cx.dim + 1, n_threads, [&](index_t task) {
        const int k = cx.dim - static_cast<int>(task);
        const index_t off = cx.offset(k), m = cx.size(k);
        std::vector<Record> recs(m);
        for (index_t s = 0; s < m; ++s) {
            const value_t v = values[off + s] + 0.0;  // turns -0.0 into +0.0
            recs[s] = {std::bit_cast<std::uint64_t>(v), off + s};
        }
        radix_sort(recs, 64, [](const Record& r) { return r.key; });
        for (index_t s = 0; s < m; ++s) order[off + s] = recs[s].pos;
    });
    return order;
}

/// Every simplex's vertex ids (ascending) in sorted order; k + 1 per k-simplex, so ranges of
/// each dimension are written on the pool.
inline void sorted_simplices(const SimplicialComplexByDim& cx,
                             const std::vector<std::uint32_t>& original_of, DelaunayFiltration& out,
                             int n_threads = 1) {
    const auto& perm = out.filtration.sorted_to_input();
    for (int k = 0; k <= cx.dim; ++k) {
        const index_t first = out.filtration.dim_first(k), off = cx.offset(k), m = cx.size(k);
        auto& dst = out.simplices[k];
        dst.resize(static_cast<std::size_t>(m) * (k + 1));
        parallel_ranges(m, n_threads, [&](index_t first_item, index_t last_item) {
            for (index_t i = first_item; i < last_item; ++i) {
                const index_t local = perm[first + i] - off;
                std::uint32_t* row = dst.data() + i * (k + 1);
                if (k == 0) {
                    row[0] = static_cast<std::uint32_t>(local);  // vertex cell i is point i
                    continue;
                }
                for (int j = 0; j <= k; ++j) row[j] = original_of[cx.simplex(k, local)[j]];
                std::sort(row, row + k + 1);
            }
        });
    }
}

}  // namespace detail

/// The filtration of the Delaunay complex of `coords` (n rows of ambient_dim = 2 or 3 finite
/// coordinates) with the given value rule. Values are squared radii (weak alpha: squared edge
/// lengths); vertices take 0. `with_simplices` also fills `simplices` (vertex ids, sorted order).
/// `n_threads`: the 3-D triangulation (by slabs), the faces, alpha values, sort and sorted cells
/// run on up to that many threads of the shared pool; the result is the same for any count.
/// `defer_supports` keeps a SupportPlan instead of indexing the supports (supports.hpp).
inline DelaunayFiltration delaunay_filtration(std::span<const value_t> coords, int ambient_dim,
                                              DelaunayValueRule rule, bool with_simplices = false,
                                              int n_threads = 1, bool defer_supports = false) {
    DelaunayTopCells top = delaunay_top_cells(coords, ambient_dim, n_threads);
    const index_t n_points = top.n_points();
    std::vector<std::uint32_t> duplicate_edges;
    for (index_t i = 0; i < n_points; ++i)
        if (top.representative[i] != i) {
            duplicate_edges.push_back(top.local_of[top.representative[i]]);
            duplicate_edges.push_back(top.local_of[i]);
        }
    // Coordinates in local order: the geometry then reads memory in spatial order too.
    std::vector<value_t> local_coords(coords.size());
    for (index_t l = 0; l < n_points; ++l)
        std::copy_n(coords.begin() + static_cast<std::size_t>(top.original_of[l]) * ambient_dim,
                    ambient_dim, local_coords.begin() + l * ambient_dim);
    DelaunayFiltration out;
    out.ambient_dim = ambient_dim;
    out.triangulation_dim = top.dim;
    out.has_duplicates = top.has_duplicates;
    SimplicialComplexByDim cx = complex_from_top_simplices(n_points, top.dim, std::move(top.top),
                                                           duplicate_edges, n_threads);
    CellValuesWithSupport vals =
        ambient_dim == 2 ? detail::delaunay_values<2>(cx, local_coords, rule, n_threads)
                         : detail::delaunay_values<3>(cx, local_coords, rule, n_threads);
    std::vector<index_t> order = detail::filtration_order(cx, vals.values, n_threads);
    // Faces by construction: every facet is a (k-1)-cell, and each value rule keeps faces <=
    // cofaces exactly (alpha: min over cofacets; Čech, weak alpha: max over facets).
    auto [cells, sorted_of] =
        detail::delaunay_sorted_cells(cx, vals.values, top.original_of, order, n_threads);
    vals.values = {};
    out.filtration = Filtration::from_sorted_cells(std::move(cells), false, std::move(order),
                                                   std::move(sorted_of), n_threads);
    // The top cells triangulate the convex hull (a ball) unless duplicate edges dangle in the
    // codimension-1 block, which the dual union-find cannot represent.
    out.filtration.set_top_is_ball(top.dim >= 2 && !(top.dim == 2 && top.has_duplicates));
    out.filtration.set_kind(rule == DelaunayValueRule::alpha        ? "alpha"
                            : rule == DelaunayValueRule::weak_alpha ? "weak_alpha"
                                                                    : "cech_delaunay");
    if (with_simplices) detail::sorted_simplices(cx, top.original_of, out, n_threads);
    if (!defer_supports) {
        out.supports = index_supports(cx, vals.support, top.original_of,
                                      out.filtration.sorted_to_input(), n_threads);
        return out;
    }
    for (auto& facets : cx.facets) std::vector<index_t>().swap(facets);  // the plan reads none
    out.support_plan = std::make_shared<const SupportPlan>(
        SupportPlan{std::move(cx), std::move(vals.support), std::move(top.original_of),
                    std::string(out.filtration.kind())});
    return out;
}

}  // namespace calydon

#endif  // CALYDON_HAVE_CGAL
