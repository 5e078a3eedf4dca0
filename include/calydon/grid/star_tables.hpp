// calydon/grid/star_tables.hpp: which cells of a box belong to the star of a data entry, as
// tables over the entry's neighbours.
//
// With values on vertices, a k-cell belongs to the star of its latest vertex e: every other
// vertex of the cell is an earlier neighbour of e. With values on top cubes, a face of the cube
// e belongs to its star when no other cube around the face is earlier. One bit per neighbour
// offset in {-1,0,1}^d (the "mask" of e: the neighbours that allow membership) then decides
// membership for every cell of the star with one AND, and the tables below list those cells in
// code order. They also tell, without looking at any value, which cofacets of a cell are in the
// same star and which of their facets is the latest: that settles the apparent pairs of zero
// persistence, most of the pairs. The masks themselves (from the ranks) are in lower_star.hpp.
#pragma once

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "calydon/grid/lattice.hpp"

namespace calydon {

using neighbour_bits = unsigned __int128;  // bit per offset in {-1, 0, 1}^d, d <= 4

class StarTables {
public:
    struct Neighbour {
        int bit;
        index_t offset;
        offset_mask up, down;  // axes stepped up / down
    };
    /// A cofacet of a cell through e, anchored at e - anchor_offset; it exists in a box when e
    /// has neighbours along the axes it steps up and down to (all its vertices are within one
    /// step of e).
    struct Cofacet {
        index_t anchor_offset;
        int pattern;
        offset_mask need_up, need_down;
    };
    /// A k-cell of the star of e when its needs are met: anchored at e + (plus - minus) (0/1
    /// masks), that is at e - anchor_offset.
    struct Incidence {
        neighbour_bits needs;  // the neighbour bits it needs in e's mask
        index_t anchor_offset;
        int pattern;
        offset_mask plus, minus;
        std::vector<int> cofacets;          // (k+1)-incidences it is a facet of, ascending code
        std::vector<int> facets;            // (k-1)-incidences that are its facets, ascending code
        std::vector<Cofacet> all_cofacets;  // values on vertices: every cofacet, in or out
    };
    struct Table {
        std::vector<Neighbour> neighbours;
        std::vector<Incidence> incidences;  // ascending code
    };

    StarTables(const GridLattice& lat, bool values_on_cells)
        : lat_(&lat), on_cells_(values_on_cells) {
        const int d = lat.ndim();
        tables_.resize(d + 1);
        for (int k = 0; k <= d; ++k) {
            add_neighbours(k);
            values_on_cells ? add_faces_of_cube(k) : add_cells_through_vertex(k);
            // Anchors e - offset ascend as the offset descends: codes come out sorted.
            std::sort(tables_[k].incidences.begin(), tables_[k].incidences.end(),
                      [](const Incidence& a, const Incidence& b) {
                          return a.anchor_offset != b.anchor_offset
                                     ? a.anchor_offset > b.anchor_offset
                                     : a.pattern < b.pattern;
                      });
        }
        for (int k = 0; k < d; ++k) link_cofacets(k);
        if (!values_on_cells)
            for (int k = 0; k < d; ++k) list_all_cofacets(k);
    }

    const Table& table(int k) const { return tables_[k]; }
    static bool in_star(const Incidence& inc, neighbour_bits mask) {
        return (inc.needs & ~mask) == 0;
    }
    /// The latest facet of a (k+1)-incidence in the same star (its mask given), or -1.
    int latest_facet_in_star(int k, const Incidence& tau, neighbour_bits mask) const {
        for (auto it = tau.facets.rbegin(); it != tau.facets.rend(); ++it)
            if (in_star(tables_[k].incidences[*it], mask)) return *it;
        return -1;
    }
    index_t code(index_t e, int k, const Incidence& inc) const {
        return (e - inc.anchor_offset) * lat_->n_patterns(k) + inc.pattern;
    }
    /// The index of a k-cell of the star of e among the incidences (it must be one).
    int incidence_of(index_t e, int k, index_t cell_code) const {
        const auto& list = tables_[k].incidences;
        for (std::size_t i = 0; i < list.size(); ++i)
            if (code(e, k, list[i]) == cell_code) return static_cast<int>(i);
        throw std::logic_error("internal error: a pivot outside its critical entry's star");
    }

    /// The k-cells of the lower star of e, ascending by code (appended to `out`).
    void star(index_t e, int k, neighbour_bits lower, std::vector<index_t>& out) const {
        for (const Incidence& inc : tables_[k].incidences)
            if (in_star(inc, lower)) out.push_back(code(e, k, inc));
    }

private:
    int bit_of(offset_mask plus, offset_mask minus) const {
        int bit = 0, weight = 1;
        for (int i = 0; i < lat_->ndim(); ++i, weight *= 3)
            bit += weight * ((plus >> i & 1u) ? 2 : (minus >> i & 1u) ? 0 : 1);
        return bit;
    }

    void add_neighbour(int k, offset_mask plus, offset_mask minus) {
        auto& list = tables_[k].neighbours;
        const int bit = bit_of(plus, minus);
        for (const Neighbour& nb : list)
            if (nb.bit == bit) return;
        list.push_back({bit, lat_->offset_of(plus) - lat_->offset_of(minus), plus, minus});
    }

    /// Values on vertices: offsets between two vertices of a cell of dimension <= k + 1 (the
    /// cofacet tests read the same mask). Values on cubes: every neighbouring cube.
    void add_neighbours(int k) {
        const CellPatterns& t = lat_->patterns();
        const offset_mask full = t.full();
        if (on_cells_) {
            for (offset_mask plus = 0; plus <= full; ++plus)
                for (offset_mask minus = 0; minus <= full; ++minus)
                    if ((plus & minus) == 0 && (plus | minus) != 0) add_neighbour(k, plus, minus);
            return;
        }
        for (int j = 0; j <= std::min(k + 1, lat_->ndim()); ++j)
            for (int p = 0; p < t.n_patterns(j); ++p)
                for (offset_mask m : t.vertices[j][p])
                    for (offset_mask other : t.vertices[j][p])
                        if (other != m) add_neighbour(k, other & ~m, m & ~other);
    }

    /// Values on vertices: the k-cells through e, with e at vertex mask m (anchor e - m).
    void add_cells_through_vertex(int k) {
        const CellPatterns& t = lat_->patterns();
        for (int p = 0; p < t.n_patterns(k); ++p)
            for (offset_mask m : t.vertices[k][p]) {
                neighbour_bits needs = 0;
                for (offset_mask other : t.vertices[k][p])
                    if (other != m) needs |= neighbour_bits{1} << bit_of(other & ~m, m & ~other);
                tables_[k].incidences.push_back({needs, lat_->offset_of(m), p, 0, m, {}, {}, {}});
            }
    }

    /// Values on cubes: the k-faces (e + pos, s) of the cube e; the other cubes around such a
    /// face are anchored at e + pos - other for the submasks `other` of the free axes.
    void add_faces_of_cube(int k) {
        const CellPatterns& t = lat_->patterns();
        for (int p = 0; p < t.n_patterns(k); ++p) {
            const offset_mask free = t.full() & ~t.reach[k][p];
            for (offset_mask pos : detail::submasks(free)) {
                neighbour_bits needs = 0;
                for (offset_mask other : detail::submasks(free))
                    if (other != pos)
                        needs |= neighbour_bits{1} << bit_of(pos & ~other, other & ~pos);
                tables_[k].incidences.push_back(
                    {needs, -lat_->offset_of(pos), p, pos, 0, {}, {}, {}});
            }
        }
    }

    /// sigma is a facet of tau through the facet link (shift, pattern) of tau exactly when
    /// anchor(sigma) = anchor(tau) + shift, both read relative to e.
    void link_cofacets(int k) {
        const CellPatterns& t = lat_->patterns();
        auto& low = tables_[k].incidences;
        auto& high = tables_[k + 1].incidences;
        for (std::size_t j = 0; j < high.size(); ++j) {
            Incidence& tau = high[j];
            for (const PatternLink& f : t.facets[k + 1][tau.pattern]) {
                // anchor(tau) + shift, per axis in {-1, 0, 1}: a -1 cancels, a 0 becomes +1
                if ((f.shift & tau.plus) != 0) continue;  // would leave {-1, 0, 1}
                const offset_mask plus = tau.plus | (f.shift & ~tau.minus);
                const offset_mask minus = tau.minus & ~f.shift;
                for (std::size_t i = 0; i < low.size(); ++i)
                    if (low[i].plus == plus && low[i].minus == minus &&
                        low[i].pattern == f.pattern) {
                        low[i].cofacets.push_back(static_cast<int>(j));
                        tau.facets.push_back(static_cast<int>(i));
                    }
            }
        }
        for (Incidence& sigma : low) std::sort(sigma.cofacets.begin(), sigma.cofacets.end());
        for (Incidence& tau : high) std::sort(tau.facets.begin(), tau.facets.end());
    }

    /// Every cofacet of every k-cell through e (values on vertices): tau = (anchor(sigma) -
    /// shift, pattern) for the cofacet links of sigma's pattern, with the room it needs.
    void list_all_cofacets(int k) {
        const CellPatterns& t = lat_->patterns();
        for (Incidence& sigma : tables_[k].incidences)
            for (const PatternLink& l : t.cofacets[k][sigma.pattern]) {
                // anchor(tau) - e = -(sigma.minus) - shift: 0 or -1 per axis (tau contains e)
                const offset_mask anchor_down = sigma.minus | l.shift;
                offset_mask up = 0, down = 0;
                for (offset_mask m : t.vertices[k + 1][l.pattern]) {
                    up |= m & ~anchor_down;    // +1 relative to e
                    down |= anchor_down & ~m;  // -1 relative to e
                }
                sigma.all_cofacets.push_back({lat_->offset_of(anchor_down), l.pattern, up, down});
            }
    }

protected:
    const GridLattice* lat_;
    bool on_cells_;
    std::vector<Table> tables_;
};

}  // namespace calydon
