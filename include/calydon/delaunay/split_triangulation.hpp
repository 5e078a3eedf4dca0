// calydon/delaunay/split_triangulation.hpp: the 3-D Delaunay triangulation on several threads,
// as slabs triangulated concurrently and then merged (the partition-and-merge scheme of Funke &
// Sanders, "Parallel d-D Delaunay triangulations in shared and distributed memory", 2017).
//
// The points are cut into k slabs along the axis of widest spread, and each slab is triangulated
// on its own thread. A tetrahedron of a slab whose closed circumball holds no point of another
// slab is *safe* (slab_triangulation.hpp): its ball is empty of its own slab (Delaunay) and of
// the others, so it is a tetrahedron of the whole triangulation DT(P). Every other tetrahedron of
// DT(P) has all its vertices among the *border vertices* (the vertices of the slabs' unsafe
// cells, infinite ones included): an empty ball through a vertex v is covered by the circumballs
// of the cells around v in its slab, because its centre lies in v's Voronoi cell, a convex
// combination of their circumcentres (and rays), and "x lies in the ball of centre c through v"
// is affine in c. So DT(border vertices) holds the unsafe part of DT(P), and its other
// tetrahedra lie in the region the safe ones already cover. Those are found exactly: a *barrier*
// facet is a facet of a safe tetrahedron whose neighbour in its slab is unsafe or infinite; a
// border tetrahedron on a barrier facet lies in the safe region when it is on the safe
// tetrahedron's side (an exact orientation test), and that spreads to its neighbours across every
// other facet (a facet between the two regions is always a barrier, and each connected piece of
// the safe region's part of DT(border) has one, since the unsafe part is never empty).
//
// CGAL breaks cospherical ties by a symbolic perturbation that depends on the points alone, so
// DT(P) is unique and every subset's triangulation agrees with it: the merged complex equals the
// serial one, cell for cell (tests/cpp/test_delaunay_split.cpp, lattices included).
#pragma once

#ifdef CALYDON_HAVE_CGAL

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "calydon/core/thread_pool.hpp"
#include "calydon/core/types.hpp"
#include "calydon/delaunay/slab_triangulation.hpp"
#include "calydon/delaunay/top_rows.hpp"

namespace calydon::detail {

/// Below this many distinct points the serial insertion wins: the border triangulation and the
/// merge cost more than the halved insertion saves.
inline constexpr std::size_t min_points_for_split_triangulation = 2000;
/// Above this share of border vertices the merge is dropped (see insert_other_slabs_into_first).
inline constexpr double max_border_fraction = 0.5;

/// Cell info bits in the border triangulation: which facets are barriers, and "inside the safe
/// region".
inline constexpr std::uint32_t inside_safe_region = 1u << 4;

/// The slabs' barrier facets by vertex triple, each with the apex of its safe cell, and a flag
/// per local vertex that lies on some barrier (most border facets have a vertex on none: one byte
/// read rejects them).
struct BarrierIndex {
    std::unordered_map<FacetKey, std::uint32_t, FacetKeyHash> apex_of;
    std::vector<char> on_barrier;
};

inline BarrierIndex index_barriers(const std::vector<SlabPart>& parts, std::size_t n_local) {
    BarrierIndex index;
    std::size_t n_barriers = 0;
    for (const SlabPart& part : parts) n_barriers += part.barriers.size();
    index.apex_of.reserve(n_barriers);
    index.on_barrier.assign(n_local, 0);
    for (const SlabPart& part : parts)
        for (const auto& [key, apex] : part.barriers) {
            index.apex_of.emplace(key, apex);
            for (std::uint32_t v : key) index.on_barrier[v] = 1;
        }
    return index;
}

/// Flags the border cells on barrier facets, and marks inside those on the safe cell's side.
/// Returns the cells marked inside, the seeds of the flood.
inline std::vector<SplitDt::Cell_handle>
seed_inside_cells(SplitDt& border, const BarrierIndex& barriers,
                  const std::vector<SplitPoint>& point_of) {
    const std::vector<char>& on_barrier = barriers.on_barrier;
    std::vector<SplitDt::Cell_handle> seeds;
    for (auto c : border.finite_cell_handles()) {
        c->info() = 0;
        int n_on_barrier = 0;
        for (int i = 0; i < 4; ++i) n_on_barrier += on_barrier[c->vertex(i)->info()];
        if (n_on_barrier < 3) continue;
        for (int i = 0; i < 4; ++i) {
            if (n_on_barrier == 3 && on_barrier[c->vertex(i)->info()]) continue;
            const FacetKey key = facet_key(c, i);
            const auto found = barriers.apex_of.find(key);
            if (found == barriers.apex_of.end()) continue;
            c->info() |= 1u << i;
            const SplitPoint &p = point_of[key[0]], &q = point_of[key[1]], &r = point_of[key[2]];
            if (CGAL::orientation(p, q, r, c->vertex(i)->point()) ==
                CGAL::orientation(p, q, r, point_of[found->second]))
                c->info() |= inside_safe_region;
        }
        if (c->info() & inside_safe_region) seeds.push_back(c);
    }
    return seeds;
}

/// The border cells outside the safe region, as rows: the inside spreads from the seeds across
/// every facet but the barriers (a facet between an inside and an outside cell is a barrier).
inline void append_outside_cells(SplitDt& border, std::vector<SplitDt::Cell_handle> stack,
                                 std::vector<std::uint32_t>& rows) {
    while (!stack.empty()) {
        const SplitDt::Cell_handle c = stack.back();
        stack.pop_back();
        for (int i = 0; i < 4; ++i) {
            const SplitDt::Cell_handle next = c->neighbor(i);
            if ((c->info() & (1u << i)) || border.is_infinite(next) ||
                (next->info() & inside_safe_region))
                continue;
            next->info() |= inside_safe_region;
            stack.push_back(next);
        }
    }
    for (auto c : border.finite_cell_handles())
        if (!(c->info() & inside_safe_region)) push_ascending_row(rows, c);
}

/// Most points are border vertices (points near a sphere: all on the hull): the border
/// triangulation would cost as much as the serial one, so the first slab's triangulation takes
/// the other slabs' points instead, which costs about one serial triangulation in all. Rows in
/// lexicographic order.
inline std::vector<std::uint32_t>
insert_other_slabs_into_first(const SlabPlan& plan, std::vector<SlabPart>& parts, index_t n_local) {
    SplitDt& dt = *parts.front().dt;
    for (std::size_t j = 1; j < parts.size(); ++j) {
        parts[j].dt.reset();
        insert_in_order(dt, plan.members[j]);
    }
    std::vector<std::uint32_t> rows;
    rows.reserve(dt.number_of_finite_cells() * 4);
    for (auto c : dt.finite_cell_handles()) push_ascending_row(rows, c);
    sort_rows_lexicographically(rows, 4, n_local);
    return rows;
}

/// The tetrahedra of DT(P), each row of 4 local ids ascending, the rows in lexicographic order,
/// from n_threads slabs triangulated at once; nullopt when the points do not split into slabs
/// that are each fully 3-D (the caller then triangulates serially). `entries` hold the distinct
/// points with their local ids (below n_local), in spatial order.
inline std::optional<std::vector<std::uint32_t>>
split_delaunay_rows(const std::vector<SplitEntry>& entries, index_t n_local, int n_threads) {
    const int n_slabs = static_cast<int>(std::min<std::size_t>(
        static_cast<std::size_t>(std::max(n_threads, 1)), entries.size() / min_points_per_slab));
    if (n_slabs < 2) return std::nullopt;
    const std::optional<SlabPlan> plan = plan_slabs(entries, n_slabs);
    if (!plan) return std::nullopt;
    std::vector<char> is_border(static_cast<std::size_t>(n_local), 0);
    std::vector<SlabPart> parts(plan->members.size());
    parallel_for(static_cast<index_t>(parts.size()), n_threads,
                 [&](index_t j) { parts[j] = triangulate_slab(*plan, j, is_border); });
    for (const SlabPart& part : parts)
        if (!part.three_dimensional) return std::nullopt;
    std::vector<SplitPoint> point_of(static_cast<std::size_t>(n_local));
    std::vector<SplitEntry> border_entries;
    for (const SplitEntry& e : entries) {
        point_of[e.second] = e.first;
        if (is_border[e.second]) border_entries.push_back(e);
    }
    if (border_entries.size() > entries.size() * max_border_fraction)
        return insert_other_slabs_into_first(*plan, parts, n_local);
    // The border triangulation is serial: meanwhile another thread indexes the barriers and
    // sorts the safe rows, which need only the slabs.
    SplitDt border;
    BarrierIndex barriers;
    std::vector<std::uint32_t> safe_rows;
    parallel_for(2, n_threads, [&](index_t task) {
        if (task == 0) {
            insert_in_order(border, border_entries);
            return;
        }
        barriers = index_barriers(parts, static_cast<std::size_t>(n_local));
        for (SlabPart& part : parts) {
            safe_rows.insert(safe_rows.end(), part.safe_rows.begin(), part.safe_rows.end());
            std::vector<std::uint32_t>().swap(part.safe_rows);
        }
        sort_rows_lexicographically(safe_rows, 4, n_local);
    });
    if (border.dimension() < 3) return std::nullopt;
    std::vector<std::uint32_t> outside_rows;
    append_outside_cells(border, seed_inside_cells(border, barriers, point_of), outside_rows);
    sort_rows_lexicographically(outside_rows, 4, n_local);
    return merge_sorted_rows(safe_rows, outside_rows, 4);
}

}  // namespace calydon::detail

#endif  // CALYDON_HAVE_CGAL
