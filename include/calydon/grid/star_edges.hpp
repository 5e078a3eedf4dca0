// calydon/grid/star_edges.hpp: the edges of a vertex's lower star in a box of 3 or 4 axes, listed
// once from the star tables, for the H0 pass (values on vertices).
//
// An edge (e, b) of the star of e closes a cycle when the star holds a 2-cell whose other edge
// through e, (e, a), comes earlier in the star: by then e is joined to a, and a to b through the
// 2-cell's edges away from e, which belong to earlier stars. Such an edge is never an H0 death,
// so the pass skips it without a find: on a smooth volume, about two edges in three. (In 1-D and
// 2-D the same edges come from plane_stars.hpp.)
#pragma once

#include <cstdint>
#include <vector>

#include "calydon/grid/lattice.hpp"
#include "calydon/grid/star_tables.hpp"

namespace calydon {

class StarEdges {
public:
    struct Edge {
        neighbour_bits needs;  // the edge is in the star when e's mask has these bits
        index_t code_delta;    // its code: e * n_patterns(1) + code_delta
        index_t other;         // its other vertex: e + other
        std::vector<neighbour_bits> closing;  // needs of the 2-cells that make it close a cycle
    };

    StarEdges(const GridLattice& lat, const StarTables& tables) {
        const auto& edges = tables.table(1).incidences;
        const auto& cells = tables.table(2).incidences;
        const index_t n_patterns = lat.n_patterns(1);
        for (std::size_t j = 0; j < edges.size(); ++j) {
            const StarTables::Incidence& inc = edges[j];
            Edge edge{inc.needs, -inc.anchor_offset * n_patterns + inc.pattern, 0, {}};
            // Its two vertices, as offsets from e: one of them is e itself.
            for (offset_mask v :
                 lat.patterns().vertices[1][static_cast<std::size_t>(inc.pattern)]) {
                const index_t offset = -inc.anchor_offset + lat.offset_of(v);
                if (offset != 0) edge.other = offset;
            }
            for (int c : inc.cofacets) {
                const auto& facets = cells[static_cast<std::size_t>(c)].facets;  // through e
                for (int f : facets)
                    if (f < static_cast<int>(j)) {
                        edge.closing.push_back(cells[static_cast<std::size_t>(c)].needs);
                        break;
                    }
            }
            edges_.push_back(std::move(edge));
        }
    }

    const std::vector<Edge>& edges() const { return edges_; }  // in code order

    /// Calls f(edge) for the edges of the star of the mask, in code order; with skip_cycles,
    /// not for those that close a cycle.
    template <class F>
    void for_each_edge(neighbour_bits mask, bool skip_cycles, F&& f) const {
        for (const Edge& edge : edges_) {
            if ((edge.needs & ~mask) != 0) continue;
            if (skip_cycles && closes_cycle(edge, mask)) continue;
            f(edge);
        }
    }

private:
    static bool closes_cycle(const Edge& edge, neighbour_bits mask) {
        for (const neighbour_bits needs : edge.closing)
            if ((needs & ~mask) == 0) return true;
        return false;
    }

    std::vector<Edge> edges_;
};

}  // namespace calydon
