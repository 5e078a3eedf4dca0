// calydon/delaunay/split_triangulation.hpp: the 3-D Delaunay triangulation on several threads,
// as slabs triangulated concurrently and then merged (after the partition-and-merge scheme of
// Funke & Sanders, "Parallel d-D Delaunay triangulations in shared and distributed memory", 2017).
//
// The points P are cut into k slabs along the axis of widest spread, and each slab is
// triangulated on its own thread. A tetrahedron of slab j >= 1 whose closed circumball holds no
// point of another slab is *safe* (slab_triangulation.hpp): its ball is empty of its own slab
// (Delaunay) and of the others, so it is a tetrahedron of DT(P). Let S be the region the safe
// tetrahedra cover. Every tetrahedron of DT(P) outside S has its vertices in slab 0 or among the
// *border vertices* (the vertices of the unsafe cells of slabs j >= 1, infinite ones included):
// the safe cells around any other vertex v of slab j fill a neighbourhood of v in conv(P), so
// DT(P) has no other cell at v. Hence for any Q with slab 0 + border vertices <= Q <= P, DT(Q)
// holds every tetrahedron of DT(P) outside S (their balls are empty of P); they tile conv(P)
// minus S, so the other tetrahedra of DT(Q) lie inside S. Those are found exactly: a *barrier*
// facet is a facet of a safe tetrahedron whose neighbour in its slab is unsafe or infinite; a
// tetrahedron of DT(Q) on a barrier facet lies inside S when it is on the safe tetrahedron's side
// (an exact orientation test), and that spreads to its neighbours across every other facet (a
// facet between the two regions is always a barrier, and each connected piece of DT(Q) inside S
// has one, since the part outside is never empty).
//
// Q is built from the first slab's triangulation, which is never classified: once its own points
// are in, its thread inserts the points of the other slabs near a cut (nearly all of them turn out
// border vertices) for as long as the other slabs are being classified, and the border vertices
// still missing go in afterwards. Extra points are harmless (any Q above gives the same cells
// outside S), and the result does not depend on how far the early insertion got.
//
// CGAL breaks cospherical ties by a symbolic perturbation that depends on the points alone, so
// DT(P) is unique and every subset's triangulation agrees with it: the merged complex equals the
// serial one, cell for cell (tests/cpp/test_delaunay_split.cpp, lattices included).
#pragma once

#ifdef CALYDON_HAVE_CGAL

#include <atomic>
#include <cmath>
#include <cstdint>
#include <limits>
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
/// Cell info bits in the merged triangulation DT(Q): which facets are barriers, and "inside the
/// safe region".
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

using CellHandles = std::vector<SplitDt::Cell_handle>;

/// The finite cells in one vector, so that ranges of them run on the pool.
inline CellHandles finite_cells_of(SplitDt& dt) {
    CellHandles cells;
    cells.reserve(dt.number_of_cells());
    for (auto c : dt.finite_cell_handles()) cells.push_back(c);
    return cells;
}

/// Flags the cell's facets that are barriers and marks it inside when it lies on the safe
/// cell's side of one; returns whether it is inside (a seed of the flood).
inline bool seed_cell(const SplitDt::Cell_handle& c, const BarrierIndex& barriers,
                      const std::vector<SplitPoint>& point_of) {
    const std::vector<char>& on_barrier = barriers.on_barrier;
    c->info() = 0;
    int n_on_barrier = 0;
    for (int i = 0; i < 4; ++i) n_on_barrier += on_barrier[c->vertex(i)->info()];
    if (n_on_barrier < 3) return false;
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
    return (c->info() & inside_safe_region) != 0;
}

/// Ranges of cells on the pool (each cell's flags are its own): the seeds, in range order.
inline CellHandles seed_inside_cells(const CellHandles& cells, const BarrierIndex& barriers,
                                     const std::vector<SplitPoint>& point_of, int n_threads) {
    const index_t n = static_cast<index_t>(cells.size());
    std::vector<CellHandles> seeds(range_count(n, n_threads));
    parallel_indexed_ranges(n, n_threads, [&](index_t r, index_t first, index_t last) {
        for (index_t k = first; k < last; ++k)
            if (seed_cell(cells[k], barriers, point_of)) seeds[r].push_back(cells[k]);
    });
    for (std::size_t r = 1; r < seeds.size(); ++r)
        seeds[0].insert(seeds[0].end(), seeds[r].begin(), seeds[r].end());
    return std::move(seeds[0]);
}

/// The inside spreads from the seeds across every facet but the barriers (a facet between an
/// inside and an outside cell is a barrier).
inline void flood_inside(const SplitDt& merged, CellHandles stack) {
    while (!stack.empty()) {
        const SplitDt::Cell_handle c = stack.back();
        stack.pop_back();
        for (int i = 0; i < 4; ++i) {
            const SplitDt::Cell_handle next = c->neighbor(i);
            if ((c->info() & (1u << i)) || merged.is_infinite(next) ||
                (next->info() & inside_safe_region))
                continue;
            next->info() |= inside_safe_region;
            stack.push_back(next);
        }
    }
}

/// The rows of the cells outside the safe region (after the flood), in lexicographic order:
/// ranges of cells write and sort their rows on the pool, then the sorted runs are merged.
inline std::vector<std::uint32_t> sorted_outside_rows(const CellHandles& cells, index_t n_local,
                                                      int n_threads) {
    const index_t n = static_cast<index_t>(cells.size());
    std::vector<std::vector<std::uint32_t>> runs(range_count(n, n_threads));
    parallel_indexed_ranges(n, n_threads, [&](index_t r, index_t first, index_t last) {
        for (index_t k = first; k < last; ++k)
            if (!(cells[k]->info() & inside_safe_region)) push_ascending_row(runs[r], cells[k]);
        sort_rows_lexicographically(runs[r], 4, n_local);
    });
    for (std::size_t r = 1; r < runs.size(); ++r) runs[0] = merge_sorted_rows(runs[0], runs[r], 4);
    return std::move(runs[0]);
}

/// The points of slabs j >= 1 within two typical spacings of a cut, those within one first, in
/// entry order within each band: on a uniform cloud 99% of the first band and 64% of the second
/// are border vertices, and they are 90% of the border (the rest lie on the slabs' hulls).
inline std::vector<SplitEntry> likely_border_entries(const SlabPlan& plan) {
    std::vector<SplitEntry> bands[2];
    for (std::size_t j = 1; j < plan.members.size(); ++j) {
        const CGAL::Bbox_3& box = plan.boxes[j];
        // The spacing of n points filling the box, from extents relative to the widest, so the
        // volume neither under- nor overflows.
        double widest = 0, relative_volume = 1;
        for (int a = 0; a < 3; ++a) widest = std::max(widest, box.max(a) - box.min(a));
        for (int a = 0; a < 3; ++a) relative_volume *= (box.max(a) - box.min(a)) / widest;
        const double spacing =
            widest * std::cbrt(relative_volume / static_cast<double>(plan.members[j].size()));
        if (!(spacing > 0 && std::isfinite(spacing))) continue;  // flat: no early insertion
        const double below = plan.cuts[j - 1];
        const double above =
            j < plan.cuts.size() ? plan.cuts[j] : std::numeric_limits<double>::infinity();
        for (const SplitEntry& e : plan.members[j]) {
            const double x = e.first[plan.axis];
            const double gap = std::min(x - below, above - x);
            if (gap < spacing) bands[0].push_back(e);
            else if (gap < 2 * spacing) bands[1].push_back(e);
        }
    }
    bands[0].insert(bands[0].end(), bands[1].begin(), bands[1].end());
    return std::move(bands[0]);
}

/// How far the first slab's thread inserts likely border vertices before the border is known.
/// The result is the same whatever the choice (tests take the extremes).
enum class EarlyInsertion { none, while_classifying, all };

/// The first slab's thread, once its own points are in: inserts likely border vertices while
/// other slabs are still being classified (all of them when slabs_classifying is null, or until
/// the list ends), and flags them inserted.
inline void insert_while_classifying(SplitDt& merged, const std::vector<SplitEntry>& likely,
                                     const std::atomic<int>* slabs_classifying,
                                     std::vector<char>& inserted) {
    SplitDt::Vertex_handle hint;
    for (std::size_t k = 0; k < likely.size(); ++k) {
        if (slabs_classifying && slabs_classifying->load(std::memory_order_acquire) == 0) return;
        if (k % insertions_per_poll == 0) check_interrupt();
        const auto v = merged.insert(likely[k].first, hint);
        if (v != SplitDt::Vertex_handle()) v->info() = likely[k].second;
        inserted[likely[k].second] = 1;
        hint = v;
    }
}

/// The tetrahedra of DT(P), each row of 4 local ids ascending, the rows in lexicographic order,
/// from n_threads slabs triangulated at once; nullopt when the points do not split into slabs
/// that are each fully 3-D (the caller then triangulates serially). `entries` hold the distinct
/// points with their local ids (below n_local), in spatial order.
inline std::optional<std::vector<std::uint32_t>>
split_delaunay_rows(const std::vector<SplitEntry>& entries, index_t n_local, int n_threads,
                    EarlyInsertion early = EarlyInsertion::while_classifying) {
    const int n_slabs = static_cast<int>(std::min<std::size_t>(
        static_cast<std::size_t>(std::max(n_threads, 1)), entries.size() / min_points_per_slab));
    if (n_slabs < 2) return std::nullopt;
    const std::optional<SlabPlan> plan = plan_slabs(entries, n_slabs);
    if (!plan) return std::nullopt;
    const std::vector<SplitEntry> likely =
        early == EarlyInsertion::none ? std::vector<SplitEntry>{} : likely_border_entries(*plan);
    std::vector<char> is_border(static_cast<std::size_t>(n_local), 0);
    std::vector<char> inserted(static_cast<std::size_t>(n_local), 0);
    std::vector<SlabPart> parts(plan->members.size());  // parts[0] stays empty: not classified
    SplitDt merged;                                     // the first slab, growing into DT(Q)
    std::atomic<int> slabs_classifying(static_cast<int>(parts.size()) - 1);
    parallel_for(static_cast<index_t>(parts.size()), n_threads, [&](index_t j) {
        if (j == 0) {
            insert_in_order(merged, plan->members[0]);
            insert_while_classifying(merged, likely,
                                     early == EarlyInsertion::all ? nullptr : &slabs_classifying,
                                     inserted);
            return;
        }
        parts[j] = triangulate_slab(*plan, j, is_border);
        slabs_classifying.fetch_sub(1, std::memory_order_release);
    });
    for (std::size_t j = 1; j < parts.size(); ++j)
        if (!parts[j].three_dimensional) return std::nullopt;
    std::vector<SplitPoint> point_of(static_cast<std::size_t>(n_local));
    std::vector<SplitEntry> border_left;  // border vertices not inserted early
    for (const SplitEntry& e : entries) {
        point_of[e.second] = e.first;
        if (is_border[e.second] && !inserted[e.second]) border_left.push_back(e);
    }
    // The last border vertices go in on one thread: meanwhile another indexes the barriers and
    // sorts the safe rows, which need only the slabs.
    BarrierIndex barriers;
    std::vector<std::uint32_t> safe_rows;
    parallel_for(2, n_threads, [&](index_t task) {
        if (task == 0) {
            insert_in_order(merged, border_left);
            return;
        }
        barriers = index_barriers(parts, static_cast<std::size_t>(n_local));
        for (SlabPart& part : parts) {
            safe_rows.insert(safe_rows.end(), part.safe_rows.begin(), part.safe_rows.end());
            std::vector<std::uint32_t>().swap(part.safe_rows);
        }
        sort_rows_lexicographically(safe_rows, 4, n_local);
    });
    if (merged.dimension() < 3) return std::nullopt;
    const CellHandles cells = finite_cells_of(merged);
    flood_inside(merged, seed_inside_cells(cells, barriers, point_of, n_threads));
    return merge_sorted_rows(safe_rows, sorted_outside_rows(cells, n_local, n_threads), 4);
}

}  // namespace calydon::detail

#endif  // CALYDON_HAVE_CGAL
