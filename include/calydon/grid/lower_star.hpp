// calydon/grid/lower_star.hpp: lower stars of vertices in a box, from tables.
//
// With values on vertices, a k-cell belongs to the star of its latest vertex e: every other
// vertex of the cell is an earlier neighbour of e. One bit per neighbour offset in {-1,0,1}^d
// (the "lower mask" of e) then decides membership for every cell through e with one AND, and
// the tables below list those cells in code order. They also tell, without looking at any
// value, which cofacets of a cell through e are in the same star and which facet is the latest
// of such a cofacet: that settles the apparent pairs of zero persistence, most of the pairs.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "calydon/core/interrupt.hpp"
#include "calydon/grid/lattice.hpp"

namespace calydon {

using neighbour_bits = unsigned __int128;  // bit per offset in {-1, 0, 1}^d, d <= 4

class LowerStars {
public:
    struct Neighbour {
        int bit;
        index_t offset;
        offset_mask up, down;  // axes stepped up / down
    };
    /// A k-cell through e: anchored at e - anchor_offset, with e at vertex mask `mask`.
    struct Incidence {
        neighbour_bits needs;  // the neighbours it needs below e
        index_t anchor_offset;
        int pattern;
        offset_mask mask;
        std::vector<int> cofacets;  // (k+1)-incidences containing this cell, ascending code
        int latest_facet = -1;      // (k-1)-incidence: the latest facet through e
    };
    struct Table {
        std::vector<Neighbour> neighbours;
        std::vector<Incidence> incidences;  // ascending code
    };

    explicit LowerStars(const GridLattice& lat) : lat_(&lat) {
        const int d = lat.ndim();
        tables_.resize(d + 1);
        for (int k = 0; k <= d; ++k) build_table(k);
        for (int k = 0; k < d; ++k) link_cofacets(k);
    }

    const Table& table(int k) const { return tables_[k]; }

    /// Up to three axes the lower masks of all vertices fit in 4 bytes each: they are computed
    /// once (in memory order) instead of once per pass.
    void cache_masks(const std::vector<std::uint32_t>& rank) {
        if (lat_->ndim() > 3) return;
        const Table& all = tables_[lat_->ndim() - 1 >= 0 ? lat_->ndim() - 1 : 0];
        cached_.resize(rank.size());
        for (std::size_t e = 0; e < rank.size(); ++e) {
            poll_interrupt(e);
            cached_[e] = static_cast<std::uint32_t>(compute(static_cast<index_t>(e), all, rank));
        }
    }

    void prefetch(index_t e) const {
        if (!cached_.empty()) __builtin_prefetch(&cached_[e]);
    }

    /// Bits of the neighbours of e earlier than e, among those a k-star looks at.
    neighbour_bits lower(index_t e, int k, const std::vector<std::uint32_t>& rank) const {
        if (!cached_.empty()) return cached_[e];
        return compute(e, tables_[k], rank);
    }
    neighbour_bits compute(index_t e, const Table& table,
                           const std::vector<std::uint32_t>& rank) const {
        const std::uint32_t r = rank[e];
        const offset_mask up = lat_->room_up(e), down = lat_->room_down(e);
        neighbour_bits bits = 0;
        for (const Neighbour& nb : table.neighbours)
            if ((nb.up & ~up) == 0 && (nb.down & ~down) == 0 && rank[e + nb.offset] < r)
                bits |= neighbour_bits{1} << nb.bit;
        return bits;
    }
    static bool in_star(const Incidence& inc, neighbour_bits lower) {
        return (inc.needs & ~lower) == 0;
    }
    index_t code(index_t e, int k, const Incidence& inc) const {
        return (e - inc.anchor_offset) * lat_->n_patterns(k) + inc.pattern;
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
    index_t offset_of(offset_mask m) const {
        index_t off = 0;
        for (int i = 0; i < lat_->ndim(); ++i)
            if (m >> i & 1u) off += lat_->stride(i);
        return off;
    }

    void build_table(int k) {
        const CellPatterns& t = lat_->patterns();
        Table& table = tables_[k];
        // Neighbours of all dimensions up to k + 1: the cofacet tests read the same lower mask.
        std::vector<int> seen;
        for (int j = 0; j <= std::min(k + 1, lat_->ndim()); ++j)
            for (int p = 0; p < t.n_patterns(j); ++p)
                for (offset_mask m : t.vertices[j][p])
                    for (offset_mask other : t.vertices[j][p]) {
                        const offset_mask plus = other & ~m, minus = m & ~other;
                        const int bit = bit_of(plus, minus);
                        if (other == m || std::find(seen.begin(), seen.end(), bit) != seen.end())
                            continue;
                        seen.push_back(bit);
                        table.neighbours.push_back(
                            {bit, offset_of(plus) - offset_of(minus), plus, minus});
                    }
        for (int p = 0; p < t.n_patterns(k); ++p)
            for (offset_mask m : t.vertices[k][p]) {
                neighbour_bits needs = 0;
                for (offset_mask other : t.vertices[k][p])
                    if (other != m) needs |= neighbour_bits{1} << bit_of(other & ~m, m & ~other);
                table.incidences.push_back({needs, offset_of(m), p, m, {}, -1});
            }
        // Anchors e - offset ascend as the offset descends: codes come out sorted.
        std::sort(table.incidences.begin(), table.incidences.end(),
                  [](const Incidence& a, const Incidence& b) {
                      return a.anchor_offset != b.anchor_offset ? a.anchor_offset > b.anchor_offset
                                                                : a.pattern < b.pattern;
                  });
    }

    /// Cofacet lists of the k-incidences and latest facets of the (k+1)-incidences: sigma (e at
    /// mask m, anchor e - m) is a facet of tau (e at mask m', anchor e - m') through the facet
    /// link (shift, pattern) exactly when m' = m | shift with shift disjoint from m.
    void link_cofacets(int k) {
        const CellPatterns& t = lat_->patterns();
        auto& low = tables_[k].incidences;
        auto& high = tables_[k + 1].incidences;
        for (std::size_t j = 0; j < high.size(); ++j) {
            Incidence& tau = high[j];
            for (const PatternLink& f : t.facets[k + 1][tau.pattern]) {
                if ((f.shift & ~tau.mask) != 0) continue;  // this facet does not contain e
                const offset_mask m = tau.mask & ~f.shift;
                for (std::size_t i = 0; i < low.size(); ++i)
                    if (low[i].mask == m && low[i].pattern == f.pattern) {
                        low[i].cofacets.push_back(static_cast<int>(j));
                        // incidences ascend by code: the last facet found is the latest
                        if (tau.latest_facet < static_cast<int>(i))
                            tau.latest_facet = static_cast<int>(i);
                    }
            }
        }
        for (Incidence& sigma : low) std::sort(sigma.cofacets.begin(), sigma.cofacets.end());
    }

    const GridLattice* lat_;
    std::vector<Table> tables_;
    std::vector<std::uint32_t> cached_;
};

}  // namespace calydon
