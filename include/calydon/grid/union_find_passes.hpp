// calydon/grid/union_find_passes.hpp: H0 and the top dimension of an implicit grid complex.
//
// H0 streams the edges in filtration order (the stars of the entries in rank order) through a
// union-find over vertices with the elder rule (or, in a box with values on vertices, merges
// descent basins: basin_h0.hpp). The top dimension d of a full complex streams the
// (d-1)-cells backwards through a union-find over top cells (Alexander duality, or cohomology
// with columns of at most two entries); in a box the outside is an extra node older than all.
// Neither pass stores a cell list: memory is one or two words per vertex or top cell.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "calydon/core/interrupt.hpp"
#include "calydon/grid/basin_dual.hpp"
#include "calydon/grid/basin_dual_vertices.hpp"
#include "calydon/grid/basin_h0.hpp"
#include "calydon/grid/basin_h0_cells.hpp"
#include "calydon/grid/forest.hpp"
#include "calydon/grid/pair_sink.hpp"
#include "calydon/grid/pass_stars.hpp"

namespace calydon {

namespace detail {

/// The H0 stream over a forest of vertices; `set_rank(v, r)` records that vertex v comes with
/// the entry of rank r, `rank_of(v)` reads it back. Vertices are ordered by (rank, index).
template <class Forest, class SetRank, class RankOf>
void stream_h0(const GridOrder& order, GridPairSink& sink, CellFlags& negative_edges,
               bool report_essential_edges, Forest& uf, SetRank set_rank, RankOf rank_of) {
    const GridLattice& lat = order.lattice();
    const std::size_t n_entries = order.n_entries();
    auto younger = [&](index_t a, index_t b) {
        const std::uint32_t ra = rank_of(a), rb = rank_of(b);
        return ra != rb ? ra > rb : a > b;
    };
    // Rows of the grid (beside the entry's own) that its edges reach: a cube's corners above
    // (values on cubes), its axis neighbours (cubical) or corners above and below (Freudenthal).
    const bool cubical = lat.patterns().kind == GridComplexKind::cubical;
    const GridRows rows = order.values_on_cells() ? grid_rows(lat, true, false, false)
                                                  : grid_rows(lat, true, true, cubical);
    const index_t n_vertices = lat.n_vertices();
    // The edge `edge` (vertices v0, v1) of the star of e, of rank `rank`.
    auto add_edge = [&](index_t edge, index_t v0, index_t v1, index_t e, std::uint32_t rank) {
        index_t a = uf.find(v0), b = uf.find(v1);
        if (a == b) {
            if (report_essential_edges) sink.essential(1, edge);
            return;
        }
        if (younger(b, a)) std::swap(a, b);  // a: the younger root dies
        // The birth's entry is read only when it is not this one (zero persistence); the
        // payload of a root is read before it is linked (see RootPayloadForest).
        const std::uint32_t birth = rank_of(a);
        uf.link(a, b);
        sink.pair(0, a, edge, birth == rank ? e : order.entry_at_rank(birth), e);
        if (!negative_edges.empty()) negative_edges.set(edge);
    };
    H0Stars stars(order, report_essential_edges);
    for (std::size_t r = 0; r < n_entries; ++r) {
        poll_interrupt(r);
        if (r + prefetch_distance < n_entries) {
            const index_t ahead = order.entry_at_rank(r + prefetch_distance);
            order.prefetch(ahead);
            uf.prefetch(ahead);
            negative_edges.prefetch(ahead * lat.n_patterns(1));  // the flags of its edges
            for (int j = 0; j < rows.size; ++j) {                // the rows its edges reach
                const index_t v = ahead + rows.offset[j];
                if (v >= 0 && v < n_vertices) uf.prefetch(v);
            }
        }
        stars.walk(order.entry_at_rank(r), static_cast<std::uint32_t>(r), set_rank, add_edge);
    }
    for (index_t v = 0; v < lat.n_vertices(); ++v)
        if (uf.is_root(v)) sink.essential(0, v);
}

}  // namespace detail

namespace detail {

/// H0 by the union-find over vertices, streaming the stars in rank order (every case; the
/// basins of basin_h0.hpp are faster where they apply).
inline void grid_h0_stream(const GridOrder& order, GridPairSink& sink, CellFlags& negative_edges,
                           bool report_essential_edges) {
    const index_t n = order.lattice().n_vertices();
    if (!order.values_on_cells()) {
        // A vertex is its own entry: its rank is in the order already, and parents alone make
        // the smaller forest (measured faster than parent and rank side by side).
        ParentForest uf(n);
        auto rank_of = [&](index_t v) { return order.rank_of_entry(v); };
        return stream_h0(
            order, sink, negative_edges, report_essential_edges, uf, [](index_t, std::uint32_t) {},
            rank_of);
    }
    // A vertex comes with the earliest cube around it; that cube's rank is kept at the roots.
    auto run = [&](auto& uf) {
        auto set_rank = [&](index_t v, std::uint32_t r) { uf.set_payload(v, r); };
        auto rank_of = [&](index_t v) { return uf.payload(v); };
        stream_h0(order, sink, negative_edges, report_essential_edges, uf, set_rank, rank_of);
    };
    if (RootPayloadForest::fits(n, order.n_entries())) {
        RootPayloadForest uf(n);
        return run(uf);
    }
    GridForest uf(n);
    run(uf);
}

}  // namespace detail

/// H0 pairs (vertex, edge) and essential H0 classes; sets `negative_edges` (by edge code) when it
/// is sized, for the clearing of H1, for essential classes in dimension 1 and for the dual pass.
/// A box with values on its vertices goes through its descent basins (basin_h0.hpp: 1024^2
/// images 4-8% faster as a whole, a 64^3 volume 2-5%), and so does a cubical volume with values
/// on its cubes (basin_h0_cells.hpp); the rest, and rough fields on which the basins give up,
/// through the vertex stream.
inline void grid_h0_pass(const GridOrder& order, GridPairSink& sink, CellFlags& negative_edges,
                         bool report_essential_edges) {
    if (detail::BasinH0::applies(order, sink, report_essential_edges) &&
        detail::BasinH0(order).run(sink, negative_edges))
        return;
    if (detail::BasinH0Cells::applies(order, sink, report_essential_edges) &&
        detail::BasinH0Cells(order).run(sink, negative_edges))
        return;
    detail::grid_h0_stream(order, sink, negative_edges, report_essential_edges);
}

namespace detail {

/// The dual pass (grid_dual_pass below) over a forest of top cells and the outside.
template <class Forest>
void grid_dual_pass_on(const GridOrder& order, GridPairSink& sink, const CellFlags& deaths,
                       Forest& uf) {
    const GridLattice& lat = order.lattice();
    const int d = lat.ndim();
    const index_t n_top = lat.n_codes(d), outside = n_top, n_patterns = lat.n_patterns(d);
    // A root's representative is its latest top cell; the outside is later than all. The rank
    // of a top cell's critical entry is kept at its root: with values on cubes it is the cube's
    // own rank, with values on vertices of a box it is set when its star comes, and otherwise
    // it is computed when the cell first meets another.
    if (order.values_on_cells())
        for (index_t t = 0; t < n_top; ++t) uf.set_payload(t, order.rank_of_entry(t));
    auto rank_of = [&](index_t root) {
        std::uint32_t r = uf.payload(root);
        if (r == Forest::unknown) uf.set_payload(root, r = order.key(root, d).rank);
        return r;
    };
    auto later = [&](index_t a, index_t b) {
        if (a == outside || b == outside) return a == outside;
        return CellKey{rank_of(b), b} < CellKey{rank_of(a), a};
    };
    const bool skip_deaths = !lat.wrap() && !deaths.empty();
    // Closes the (d-1)-cell `cell` of the star of e, of rank rank_e.
    auto close = [&](index_t cell, index_t* tops, int n, index_t e, std::uint32_t rank_e) {
        index_t a = n > 0 ? uf.find(tops[0]) : outside;
        index_t b = n > 1 ? uf.find(tops[1]) : outside;
        if (a == b) {
            if (lat.wrap() && !deaths.empty() && !deaths.test(cell)) sink.essential(d - 1, cell);
            return;
        }
        if (later(a, b)) std::swap(a, b);        // a: the earlier representative dies
        const std::uint32_t death = rank_of(a);  // its entry is read only when it is not e
        uf.link(a, b);
        sink.pair(d - 1, cell, a, e, death == rank_e ? e : order.entry_at_rank(death));
    };
    auto top = [&](index_t t, std::uint32_t rank) { uf.set_payload(t, rank); };
    auto skipped = [&](index_t cell) { return deaths.test(cell); };
    auto missing = [&](index_t t) { return uf.is_root(t) && uf.payload(t) == Forest::unknown; };
    // The rows of the top cells an entry's cells bound: below it (the cells through a vertex),
    // or the cube's neighbours across its faces (values on cubes).
    const detail::GridRows rows = order.values_on_cells()
                                      ? detail::grid_rows(lat, true, true, true)
                                      : detail::grid_rows(lat, false, true, false);
    DualStars stars(order);
    for (std::size_t i = order.n_entries(); i-- > 0;) {
        poll_interrupt(i);
        if (i >= prefetch_distance) {
            const index_t ahead = order.entry_at_rank(i - prefetch_distance);
            order.prefetch(ahead);
            uf.prefetch(ahead * n_patterns);       // the top cells anchored there
            for (int j = 0; j < rows.size; ++j) {  // and in the rows its cells reach
                const index_t v = ahead + rows.offset[j];
                if (v >= 0 && v < lat.n_vertices()) uf.prefetch(v * n_patterns);
            }
            lat.prefetch_room(ahead);  // read with the mask (2-D keeps them apart)
            if (skip_deaths) deaths.prefetch(ahead * lat.n_patterns(d - 1));
        }
        stars.walk(order.entry_at_rank(i), static_cast<std::uint32_t>(i), skip_deaths, top, skipped,
                   missing, close);
    }
    if (lat.wrap())
        for (index_t t = 0; t < n_top; ++t)
            if (uf.is_root(t) && lat.has_cell(lat.anchor_of(t, d), d, lat.pattern_of(t, d)))
                sink.essential(d, t);
}

/// The dual pass streamed backwards through a union-find over every top cell (every case; the
/// basins of basin_dual.hpp are faster where they apply).
inline void grid_dual_stream(const GridOrder& order, GridPairSink& sink, const CellFlags& deaths) {
    const index_t n_nodes = order.lattice().n_codes(order.lattice().ndim()) + 1;  // and outside
    if (RootPayloadForest::fits(n_nodes, order.n_entries())) {
        RootPayloadForest uf(n_nodes);
        return grid_dual_pass_on(order, sink, deaths, uf);
    }
    GridForest uf(n_nodes);
    grid_dual_pass_on(order, sink, deaths, uf);
}

}  // namespace detail

/// Pairs of dimension d-1 of a full d-dimensional complex ((d-1)-cell, top cell), d >= 2. On a
/// torus, the last component is an essential d-class and a (d-1)-cell that closes a dual cycle
/// without being a (d-2)-death (`deaths` by code) is an essential (d-1)-class. In a box, where
/// by duality every (d-2)-death closes a dual cycle, the cells in `deaths` (when sized) are
/// skipped: that saves their two finds, the costly part of the pass. A cubical volume with values
/// on its cubes, and a cubical image or volume with values on its vertices, go through ascent
/// basins (basin_dual.hpp, basin_dual_vertices.hpp) unless the field is rough.
inline void grid_dual_pass(const GridOrder& order, GridPairSink& sink, const CellFlags& deaths) {
    if (detail::BasinDual::applies(order, sink) && detail::BasinDual(order).run(sink)) return;
    if (detail::BasinDualVertices::applies(order, sink) &&
        detail::BasinDualVertices(order).run(sink))
        return;
    detail::grid_dual_stream(order, sink, deaths);
}

}  // namespace calydon
