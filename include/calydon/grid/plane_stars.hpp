// calydon/grid/plane_stars.hpp: the stars of a 1-D or 2-D box, listed once per mask value.
//
// In 1-D and 2-D an entry's star mask is one byte (LowerStars keeps it per entry), so every
// possible star can be listed in advance, with what the H0 and dual passes need of its cells
// resolved relative to the entry: an edge's code and end vertices, the top cells an edge bounds
// and the room they need, the top cells of a star (values on vertices), the vertices that come
// with a top cell (values on cells). A pass then reads the byte and walks a short list: no star
// vector, no 128-bit membership tests and no division of a code by its pattern count (the
// generic lattice walk). With the sort to anchor ids (ranks.hpp) this took a whole 2048^2 call
// from 0.87 to 0.50 s of CPU time with values on cells, and from 0.70 to 0.49 s on vertices.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <vector>

#include "calydon/grid/lattice.hpp"
#include "calydon/grid/lower_star.hpp"

namespace calydon {

class PlaneStars {
public:
    /// A top cell an edge bounds, when e has the room it needs (code: e * n_patterns(d) +
    /// code_delta). With values on cells a square above e may be missing even so: in a box a
    /// missing square has no rank.
    struct Cofacet {
        std::int32_t code_delta;
        std::uint8_t need_up, need_down;  // axes along which e needs a neighbour
    };
    /// An edge of a star, as offsets from the entry e (code: e * n_patterns(1) + code_delta).
    struct Edge {
        std::int32_t code_delta;
        std::int32_t end[2];  // its vertices, in the lattice's vertex order
        std::uint8_t n_cofacets = 0;
        Cofacet cofacet[2];  // in 2-D
    };
    /// The cells of one star, ascending by code. `h0_deaths` has bit j set when edge j is the
    /// first edge of the star at one of the star's own vertices (e itself with values on
    /// vertices): that vertex is still alone when the edge comes, so the edge merges two
    /// components and is an H0 death, whatever the values. `dual_merges` is the same seen from
    /// the dual pass, which goes backwards (2-D only): bit j is set when edge j is the last edge
    /// of the star on one of the star's top cells (e itself with values on cells). Every other
    /// edge of that top cell comes earlier, so the top cell is still alone in the dual pass when
    /// edge j comes: the edge merges two dual components, closes a cycle of the grid's graph,
    /// and is never an H0 death.
    struct Star {
        std::uint8_t n_vertices = 0, n_edges = 0, n_tops = 0, h0_deaths = 0, dual_merges = 0;
        std::int32_t vertex[4];  // values on cells: the vertices of e that come with it
        std::int32_t top[6];     // values on vertices in 2-D: its top cells (code deltas)
        Edge edge[6];            // at most 6 (the edges through a Freudenthal vertex in 2-D)
    };

    /// Whether the lists apply: a box of 1 or 2 axes whose masks LowerStars keeps in a byte.
    static bool applies(const GridLattice& lat, const LowerStars* stars) {
        return stars != nullptr && !lat.wrap() && lat.ndim() <= 2 && stars->masks8() != nullptr;
    }

    PlaneStars(const GridLattice& lat, const LowerStars& stars, bool values_on_cells)
        : lat_(&lat), on_cells_(values_on_cells) {
        const int d = lat.ndim();
        if ((on_cells_ && stars.table(0).incidences.size() > 4) ||
            stars.table(1).incidences.size() > 6 ||
            (!on_cells_ && d == 2 && stars.table(2).incidences.size() > 6))
            throw std::logic_error("internal error: a plane star larger than its lists");
        // Every byte value: in 1-D the byte also holds the entry's room (mask_of_record drops it).
        by_mask_.resize(256);
        for (std::uint32_t m = 0; m < 256; ++m) {
            const neighbour_bits mask = stars.mask_of_record(m);
            Star& star = by_mask_[m];
            if (on_cells_)
                for (const auto& inc : stars.table(0).incidences)
                    if (LowerStars::in_star(inc, mask))
                        star.vertex[star.n_vertices++] = narrow(-inc.anchor_offset);
            if (!on_cells_ && d == 2)
                for (const auto& inc : stars.table(2).incidences)
                    if (LowerStars::in_star(inc, mask))
                        star.top[star.n_tops++] = code_delta(inc, 2);
            for (const auto& inc : stars.table(1).incidences)
                if (LowerStars::in_star(inc, mask)) star.edge[star.n_edges++] = edge_of(inc);
            mark_h0_deaths(star);
            if (d == 2) mark_dual_merges(star);
        }
    }

    const Star& star(std::uint8_t mask) const { return by_mask_[mask]; }

private:
    static std::int32_t narrow(index_t x) { return static_cast<std::int32_t>(x); }
    std::int32_t code_delta(const StarTables::Incidence& inc, int k) const {
        return narrow(-inc.anchor_offset * lat_->n_patterns(k) + inc.pattern);
    }

    void mark_h0_deaths(Star& star) const {
        const std::int32_t own_vertex[1] = {0};
        const std::int32_t* first = on_cells_ ? star.vertex : own_vertex;
        const int n = on_cells_ ? star.n_vertices : 1;
        for (int v = 0; v < n; ++v)
            for (int j = 0; j < star.n_edges; ++j)
                if (star.edge[j].end[0] == first[v] || star.edge[j].end[1] == first[v]) {
                    star.h0_deaths |= static_cast<std::uint8_t>(1u << j);
                    break;
                }
    }

    void mark_dual_merges(Star& star) const {
        if (on_cells_) {  // every edge of the star bounds e: the last one
            if (star.n_edges > 0)
                star.dual_merges = static_cast<std::uint8_t>(1u << (star.n_edges - 1));
            return;
        }
        for (int t = 0; t < star.n_tops; ++t)
            for (int j = star.n_edges; j-- > 0;) {
                const Edge& edge = star.edge[j];
                bool bounds = false;
                for (int c = 0; c < edge.n_cofacets; ++c)
                    bounds |= edge.cofacet[c].code_delta == star.top[t];
                if (bounds) {
                    star.dual_merges |= static_cast<std::uint8_t>(1u << j);
                    break;
                }
            }
    }

    Edge edge_of(const StarTables::Incidence& inc) const {
        const CellPatterns& t = lat_->patterns();
        Edge edge{};
        edge.code_delta = code_delta(inc, 1);
        const auto& ends = t.vertices[1][static_cast<std::size_t>(inc.pattern)];
        for (int j = 0; j < 2; ++j)
            edge.end[j] = narrow(-inc.anchor_offset + lat_->offset_of(ends[j]));
        if (lat_->ndim() != 2) return edge;
        if (!on_cells_) {
            if (inc.all_cofacets.size() > 2)
                throw std::logic_error("internal error: an edge of a plane with 3 cofacets");
            for (const auto& c : inc.all_cofacets)
                edge.cofacet[edge.n_cofacets++] = {
                    narrow(-c.anchor_offset * lat_->n_patterns(2) + c.pattern),
                    static_cast<std::uint8_t>(c.need_up), static_cast<std::uint8_t>(c.need_down)};
            return edge;
        }
        // A face of the square e: e itself, and across its one free axis the square below (a
        // face at e's low side, plus == 0) or above (at the high side).
        const offset_mask free = t.full() & ~t.reach[1][static_cast<std::size_t>(inc.pattern)];
        const bool low = (inc.plus & free) == 0;
        edge.cofacet[edge.n_cofacets++] = {0, 0, 0};
        edge.cofacet[edge.n_cofacets++] = {
            narrow(low ? -lat_->offset_of(free) : lat_->offset_of(free)), 0,
            static_cast<std::uint8_t>(low ? free : 0)};
        return edge;
    }

    const GridLattice* lat_;
    bool on_cells_;
    std::vector<Star> by_mask_;
};

}  // namespace calydon
