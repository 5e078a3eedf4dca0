// calydon/delaunay/slab_triangulation.hpp: one slab of the 3-D triangulation on several threads
// (split_triangulation.hpp): the cut into slabs, the slab's own triangulation, and which of its
// cells are safe (certainly cells of the whole triangulation) and which facets bound them.
//
// A cell is safe when its closed circumball (for an infinite cell, the closed half-space beyond
// its hull facet) holds no point of another slab; checked against the other slabs' bounding
// boxes, which is conservative. Finite cells are decided in floating point with a margin that
// grows as the tetrahedron flattens; infinite ones by CGAL's exact orientation test. A cell the
// test cannot clear is unsafe, which costs border vertices, never correctness.
#pragma once

#ifdef CALYDON_HAVE_CGAL

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

#include <CGAL/Bbox_3.h>
#include <CGAL/Delaunay_triangulation_3.h>
#include <CGAL/Exact_predicates_inexact_constructions_kernel.h>
#include <CGAL/Triangulation_cell_base_with_info_3.h>
#include <CGAL/Triangulation_vertex_base_with_info_3.h>

#include "calydon/core/interrupt.hpp"
#include "calydon/core/types.hpp"

namespace calydon::detail {

/// Points inserted between two Ctrl-C checks: a few milliseconds of CGAL insertion.
inline constexpr std::size_t insertions_per_poll = 2048;
/// Fewest points per slab: thinner slabs are mostly border.
inline constexpr std::size_t min_points_per_slab = 1000;

using SplitKernel = CGAL::Exact_predicates_inexact_constructions_kernel;
using SplitPoint = SplitKernel::Point_3;
/// Vertex info: the local id; cell info: the safe flag in a slab, the inside flag in the border.
using SplitDt = CGAL::Delaunay_triangulation_3<
    SplitKernel,
    CGAL::Triangulation_data_structure_3<
        CGAL::Triangulation_vertex_base_with_info_3<std::uint32_t, SplitKernel>,
        CGAL::Triangulation_cell_base_with_info_3<
            std::uint32_t, SplitKernel, CGAL::Delaunay_triangulation_cell_base_3<SplitKernel>>>>;
using SplitEntry = std::pair<SplitPoint, std::uint32_t>;
using FacetKey = std::array<std::uint32_t, 3>;

struct FacetKeyHash {
    std::size_t operator()(const FacetKey& k) const noexcept {
        std::uint64_t h = k[0] * 0x9E3779B97F4A7C15ull;
        h = (h ^ k[1]) * 0xC2B2AE3D27D4EB4Full;
        h = (h ^ k[2]) * 0x165667B19E3779F9ull;
        return static_cast<std::size_t>(h ^ (h >> 29));
    }
};

/// The slabs: points in [cuts[j - 1], cuts[j]) along `axis` (the first and last slab unbounded
/// below and above), in their input order, and each slab's bounding box.
struct SlabPlan {
    int axis = 0;
    std::vector<double> cuts;
    std::vector<std::vector<SplitEntry>> members;
    std::vector<CGAL::Bbox_3> boxes;
};

/// The axis along which the points spread widest.
inline int widest_axis(const std::vector<SplitEntry>& entries) {
    CGAL::Bbox_3 box;
    for (const SplitEntry& e : entries) box += e.first.bbox();
    int axis = 0;
    for (int a = 1; a < 3; ++a)
        if (box.max(a) - box.min(a) > box.max(axis) - box.min(axis)) axis = a;
    return axis;
}

/// Cuts the entries into up to n_slabs slabs of about equal size, at coordinates where the value
/// changes; nullopt when fewer than two slabs of min_points_per_slab points fit.
inline std::optional<SlabPlan> plan_slabs(const std::vector<SplitEntry>& entries, int n_slabs) {
    SlabPlan plan;
    plan.axis = widest_axis(entries);
    std::vector<double> coord(entries.size());
    for (std::size_t i = 0; i < entries.size(); ++i) coord[i] = entries[i].first[plan.axis];
    const double lowest = *std::min_element(coord.begin(), coord.end());
    std::vector<double> cuts;
    auto unsorted_from = coord.begin();  // the quantiles, ascending, without a full sort
    for (int j = 1; j < n_slabs; ++j) {
        const auto at = coord.begin() + static_cast<std::ptrdiff_t>(coord.size() * j / n_slabs);
        std::nth_element(unsorted_from, at, coord.end());
        unsorted_from = at;
        const double cut = *at;
        if (cut > lowest && (cuts.empty() || cut > cuts.back())) cuts.push_back(cut);
    }
    if (cuts.empty()) return std::nullopt;
    plan.cuts = cuts;
    plan.members.resize(cuts.size() + 1);
    plan.boxes.resize(cuts.size() + 1);
    for (const SplitEntry& e : entries) {
        const auto j =
            std::upper_bound(cuts.begin(), cuts.end(), e.first[plan.axis]) - cuts.begin();
        plan.members[j].push_back(e);
        plan.boxes[j] += e.first.bbox();
    }
    for (const auto& slab : plan.members)
        if (slab.size() < min_points_per_slab) return std::nullopt;
    return plan;
}

/// Inserts the entries in their order (already spatially coherent), each from the last vertex,
/// with a Ctrl-C check every few thousand points.
inline void insert_in_order(SplitDt& dt, const std::vector<SplitEntry>& entries) {
    SplitDt::Vertex_handle hint;
    for (std::size_t k = 0; k < entries.size(); ++k) {
        if (k % insertions_per_poll == 0) check_interrupt();
        const auto v = dt.insert(entries[k].first, hint);
        if (v != SplitDt::Vertex_handle()) v->info() = entries[k].second;
        hint = v;
    }
}

/// Whether the closed circumball of the finite cell misses every box but slab j's. Decided in
/// floating point: the margin bounds the rounding of the circumcentre, which grows as the
/// determinant shrinks against the edge lengths, so a doubtful cell counts as unsafe.
inline bool ball_misses_other_slabs(const SplitDt::Cell_handle& c, const SlabPlan& plan,
                                    std::size_t j) {
    const SplitPoint& p = c->vertex(0)->point();
    // Edges from p scaled by their largest coordinate, so no power of them under- or overflows.
    double e[3][3], scale = 0;
    for (int i = 0; i < 3; ++i)
        for (int a = 0; a < 3; ++a) {
            e[i][a] = c->vertex(i + 1)->point()[a] - p[a];
            scale = std::max(scale, std::abs(e[i][a]));
        }
    if (!(scale > 0)) return false;
    double len_sq[3], longest_sq = 0;
    for (int i = 0; i < 3; ++i) {
        for (int a = 0; a < 3; ++a) e[i][a] /= scale;
        len_sq[i] = e[i][0] * e[i][0] + e[i][1] * e[i][1] + e[i][2] * e[i][2];
        longest_sq = std::max(longest_sq, len_sq[i]);
    }
    double cross[3][3];  // cross[i] = e[i+1] x e[i+2]
    for (int i = 0; i < 3; ++i) {
        const double* u = e[(i + 1) % 3];
        const double* v = e[(i + 2) % 3];
        cross[i][0] = u[1] * v[2] - u[2] * v[1];
        cross[i][1] = u[2] * v[0] - u[0] * v[2];
        cross[i][2] = u[0] * v[1] - u[1] * v[0];
    }
    const double det = e[0][0] * cross[0][0] + e[0][1] * cross[0][1] + e[0][2] * cross[0][2];
    if (!(std::abs(det) > 0)) return false;
    double centre[3], r_sq = 0, size = 0;  // r_sq in scaled units
    for (int a = 0; a < 3; ++a) {
        const double offset =
            (len_sq[0] * cross[0][a] + len_sq[1] * cross[1][a] + len_sq[2] * cross[2][a]) /
            (2 * det);
        r_sq += offset * offset;
        centre[a] = p[a] + offset * scale;
        size = std::max(size, std::abs(centre[a]));
    }
    const double r = std::sqrt(r_sq), l = std::sqrt(longest_sq);
    const double eps = std::numeric_limits<double>::epsilon();
    const double reach =
        scale * r + 1024 * eps * (scale * l * l * l * (l + r) / std::abs(det) + size + scale * r);
    if (!std::isfinite(reach) || !std::isfinite(size)) return false;  // doubtful: unsafe
    for (std::size_t k = 0; k < plan.boxes.size(); ++k) {
        if (k == j) continue;
        const CGAL::Bbox_3& box = plan.boxes[k];
        double gap[3], box_size = 0;
        for (int a = 0; a < 3; ++a) {
            gap[a] = std::max({box.min(a) - centre[a], 0.0, centre[a] - box.max(a)});
            box_size = std::max({box_size, std::abs(box.min(a)), std::abs(box.max(a))});
        }
        // Gaps beyond 1e154 square to infinity, which would clear any ball: hypot then.
        const double gap_sq = gap[0] * gap[0] + gap[1] * gap[1] + gap[2] * gap[2];
        const double distance =
            std::isfinite(gap_sq) ? std::sqrt(gap_sq) : std::hypot(gap[0], gap[1], gap[2]);
        if (!(std::isfinite(distance) && distance > reach + 16 * eps * box_size)) return false;
    }
    return true;
}

/// Whether the closed outer half-space of a hull facet (infinite cell) misses every box but slab
/// j's: each box corner strictly on the inner side, by CGAL's exact orientation test.
inline bool half_space_misses_other_slabs(const SplitDt& dt, const SplitDt::Cell_handle& c,
                                          const SlabPlan& plan, std::size_t j) {
    const int at_infinity = c->index(dt.infinite_vertex());
    const SplitDt::Cell_handle inner = c->neighbor(at_infinity);
    const SplitPoint& apex = inner->vertex(inner->index(c))->point();
    const SplitPoint *f[3], **next = f;
    for (int i = 0; i < 4; ++i)
        if (i != at_infinity) *next++ = &c->vertex(i)->point();
    const CGAL::Orientation inside = CGAL::orientation(*f[0], *f[1], *f[2], apex);
    for (std::size_t k = 0; k < plan.boxes.size(); ++k) {
        if (k == j) continue;
        const CGAL::Bbox_3& b = plan.boxes[k];
        for (int corner = 0; corner < 8; ++corner) {
            const SplitPoint q(corner & 1 ? b.xmax() : b.xmin(), corner & 2 ? b.ymax() : b.ymin(),
                               corner & 4 ? b.zmax() : b.zmin());
            if (CGAL::orientation(*f[0], *f[1], *f[2], q) != inside) return false;
        }
    }
    return true;
}

/// A cell is safe when its closed circumball (a half-space for an infinite cell) holds no point
/// of another slab: then it is in DT(P) (finite cells), or its facet is on the hull of P.
inline bool cell_is_safe(const SplitDt& dt, const SplitDt::Cell_handle& c, const SlabPlan& plan,
                         std::size_t j) {
    return dt.is_infinite(c) ? half_space_misses_other_slabs(dt, c, plan, j)
                             : ball_misses_other_slabs(c, plan, j);
}

/// A facet's local ids, ascending: the cell's vertices but the i-th.
inline FacetKey facet_key(const SplitDt::Cell_handle& c, int i) {
    FacetKey key;
    for (int j = 0, k = 0; j < 4; ++j)
        if (j != i) key[k++] = c->vertex(j)->info();
    std::sort(key.begin(), key.end());
    return key;
}

inline void push_ascending_row(std::vector<std::uint32_t>& rows, const SplitDt::Cell_handle& c) {
    std::array<std::uint32_t, 4> ids;
    for (int j = 0; j < 4; ++j) ids[j] = c->vertex(j)->info();
    std::sort(ids.begin(), ids.end());
    rows.insert(rows.end(), ids.begin(), ids.end());
}

/// What one slab contributes: its safe cells, and its barrier facets (a safe cell's facet whose
/// neighbour in the slab is unsafe or infinite) with the apex of the safe cell.
struct SlabPart {
    bool three_dimensional = false;
    std::vector<std::uint32_t> safe_rows;
    std::vector<std::pair<FacetKey, std::uint32_t>> barriers;
};

/// Triangulates slab j, splits its cells into safe and unsafe, and flags the unsafe cells'
/// vertices in `is_border` (slabs own disjoint vertices, so threads write disjoint bytes).
inline SlabPart triangulate_slab(const SlabPlan& plan, std::size_t j,
                                 std::vector<char>& is_border) {
    SlabPart part;
    SplitDt dt;  // freed here, on the slab's own thread, once its cells are sorted out
    insert_in_order(dt, plan.members[j]);
    if (dt.dimension() < 3) return part;
    part.three_dimensional = true;
    for (auto c = dt.all_cells_begin(); c != dt.all_cells_end(); ++c)
        c->info() = cell_is_safe(dt, c, plan, j);
    check_interrupt();
    for (auto c = dt.all_cells_begin(); c != dt.all_cells_end(); ++c) {
        if (!c->info()) {
            for (int i = 0; i < 4; ++i)
                if (!dt.is_infinite(c->vertex(i))) is_border[c->vertex(i)->info()] = 1;
            continue;
        }
        if (dt.is_infinite(c)) continue;
        push_ascending_row(part.safe_rows, c);
        for (int i = 0; i < 4; ++i)
            if (!c->neighbor(i)->info() || dt.is_infinite(c->neighbor(i)))
                part.barriers.emplace_back(facet_key(c, i), c->vertex(i)->info());
    }
    return part;
}

}  // namespace calydon::detail

#endif  // CALYDON_HAVE_CGAL
