// calydon/grid/plane_stars.hpp: the stars of a 1-D or 2-D box, listed once per mask value.
//
// In 1-D and 2-D an entry's star mask is one byte (LowerStars keeps it per entry), so every
// possible star can be listed in advance, with what the H0 and dual passes need of its cells
// resolved relative to the entry: an edge's code and end vertices, the top cell on the other
// side of an edge (values on cells), the vertices that come with a top cell. A pass then reads
// the byte and walks a short list: no star vector, no 128-bit membership tests and no division
// of a code by its pattern count (the generic lattice walk), which dominated these passes.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <vector>

#include "calydon/grid/lattice.hpp"
#include "calydon/grid/lower_star.hpp"

namespace calydon {

class PlaneStars {
public:
    /// An edge of a star, as offsets from the entry e (codes: e * n_patterns(1) + code_delta).
    struct Edge {
        std::int32_t code_delta;
        std::int32_t end[2];  // its vertices, in the lattice's vertex order
        std::int32_t across;  // values on cells: the top cell on the other side (besides e)
        std::uint8_t across_needs_down;  // axes e needs a neighbour below along for `across`
    };
    /// The cells of one star, ascending by code.
    struct Star {
        std::uint8_t n_vertices = 0, n_edges = 0;
        std::int32_t vertex[4];  // values on cells: the vertices of e that come with it
        Edge edge[6];            // at most 6 (the edges through a Freudenthal vertex in 2-D)
    };

    /// Whether the lists apply: a box of 1 or 2 axes whose masks LowerStars keeps in a byte,
    /// and whose codes fit in 32-bit offsets.
    static bool applies(const GridLattice& lat, const LowerStars* stars) {
        return stars != nullptr && !lat.wrap() && lat.ndim() <= 2 && stars->masks8() != nullptr;
    }

    PlaneStars(const GridLattice& lat, const LowerStars& stars, bool values_on_cells) {
        // Every byte value: in 1-D the byte also holds the entry's room (mask_of_record drops it).
        const int n_masks = 256;
        by_mask_.resize(static_cast<std::size_t>(n_masks));
        const CellPatterns& t = lat.patterns();
        auto offset_of = [&](offset_mask m) {
            index_t off = 0;
            for (int i = 0; i < lat.ndim(); ++i)
                if (m >> i & 1u) off += lat.stride(i);
            return off;
        };
        const index_t n_patterns = lat.n_patterns(1);
        if ((values_on_cells && stars.table(0).incidences.size() > 4) ||
            stars.table(1).incidences.size() > 6)
            throw std::logic_error("internal error: a plane star larger than its lists");
        for (int m = 0; m < n_masks; ++m) {
            const neighbour_bits mask = stars.mask_of_record(static_cast<std::uint32_t>(m));
            Star& star = by_mask_[static_cast<std::size_t>(m)];
            if (values_on_cells)
                for (const auto& inc : stars.table(0).incidences)
                    if (LowerStars::in_star(inc, mask))
                        star.vertex[star.n_vertices++] = narrow(-inc.anchor_offset);
            for (const auto& inc : stars.table(1).incidences) {
                if (!LowerStars::in_star(inc, mask)) continue;
                Edge edge{};
                edge.code_delta = narrow(-inc.anchor_offset * n_patterns + inc.pattern);
                const auto& ends = t.vertices[1][static_cast<std::size_t>(inc.pattern)];
                for (int j = 0; j < 2; ++j)
                    edge.end[j] = narrow(-inc.anchor_offset + offset_of(ends[j]));
                if (values_on_cells) {
                    // The one free axis of the edge: e's face at the low side (plus == 0) has
                    // the cube below it on the other side, the face at the high side the one above.
                    const offset_mask free =
                        t.full() & ~t.reach[1][static_cast<std::size_t>(inc.pattern)];
                    const bool low = (inc.plus & free) == 0;
                    edge.across = narrow(low ? -offset_of(free) : offset_of(free));
                    edge.across_needs_down = static_cast<std::uint8_t>(low ? free : 0);
                }
                star.edge[star.n_edges++] = edge;
            }
        }
    }

    const Star& star(std::uint8_t mask) const { return by_mask_[mask]; }

private:
    static std::int32_t narrow(index_t x) { return static_cast<std::int32_t>(x); }

    std::vector<Star> by_mask_;
};

}  // namespace calydon
