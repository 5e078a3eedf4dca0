// calydon/grid/lower_star.hpp: the stars of the data entries of a box, from tables.
//
// With values on vertices, a k-cell belongs to the star of its latest vertex e: every other
// vertex of the cell is an earlier neighbour of e. With values on top cubes, a face of the cube
// e belongs to its star when no other cube around the face is earlier. One bit per neighbour
// offset in {-1,0,1}^d (the "mask" of e: the neighbours that allow membership) then decides
// membership for every cell of the star with one AND, and the tables below list those cells in
// code order. They also tell, without looking at any value, which cofacets of a cell are in the
// same star and which of their facets is the latest: that settles the apparent pairs of zero
// persistence, most of the pairs.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

#include "calydon/core/interrupt.hpp"
#include "calydon/grid/big_vector.hpp"
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

    LowerStars(const GridLattice& lat, bool values_on_cells)
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

    /// Up to three axes a vertex's mask (without the bit of the vertex itself) is computed once,
    /// in memory order. In 3-D it shares 4 bytes with the vertex's room (the axes with a
    /// neighbour above and below), so the dual pass reads one record per entry; in 1-D and 2-D
    /// the mask alone fits in a byte (a smaller footprint measured faster than a shared record).
    /// Sizes the records of n entries (none in 4-D, where masks are computed when asked); then
    /// cache_masks_in fills them.
    bool prepare_masks(std::size_t n) {
        const int d = lat_->ndim();
        packed8_.clear();
        packed32_.clear();
        if (d > 3) return false;
        if (d <= 2) packed8_.assign(n, 0);
        else packed32_.assign(n, 0);
        return true;
    }
    /// The records of entries [first, last) (disjoint ranges may be filled in parallel).
    void cache_masks_in(const big_vector<std::uint32_t>& rank, std::size_t first,
                        std::size_t last) {
        if (lat_->ndim() <= 2) return cache_masks_into(packed8_, rank, first, last);
        cache_masks_into(packed32_, rank, first, last);
    }

private:
    /// The records of n inner entries in a row: a neighbour's bit is set where it is earlier
    /// (values on vertices) or later (on cubes) than the entry.
    template <class Word>
    void fill_run(Word* __restrict w, const std::uint32_t* __restrict r, std::size_t n,
                  const std::vector<std::pair<index_t, int>>& inner, Word room_bits) const {
        for (std::size_t i = 0; i < n; ++i) w[i] = room_bits;
        for (const auto& [offset, bit] : inner) {
            const std::uint32_t* __restrict other = r + offset;
            const auto set = static_cast<Word>(Word{1} << bit);
            if (on_cells_)
                for (std::size_t i = 0; i < n; ++i) w[i] |= other[i] < r[i] ? 0 : set;
            else
                for (std::size_t i = 0; i < n; ++i) w[i] |= other[i] < r[i] ? set : 0;
        }
    }

    /// Inside the grid every neighbour exists: a run of inner entries along a row takes one
    /// compare per neighbour and entry, neighbour by neighbour (a loop the compiler vectorises),
    /// written straight into its packed bit (no room tests, no 128-bit mask).
    template <class Word>
    void cache_masks_into(big_vector<Word>& out, const big_vector<std::uint32_t>& rank,
                          std::size_t first, std::size_t last) const {
        const Table& all = tables_[lat_->ndim() - 1];
        const offset_mask full = lat_->patterns().full();
        std::vector<std::pair<index_t, int>> inner;
        for (const Neighbour& nb : all.neighbours)
            inner.push_back({nb.offset, nb.bit < center_bit() ? nb.bit : nb.bit - 1});
        const auto room_bits = static_cast<Word>(pack(0, full, full));
        for (std::size_t e = first; e < last;) {
            poll_interrupt(e);
            const auto v = static_cast<index_t>(e);
            const offset_mask up = lat_->room_up(v), down = lat_->room_down(v);
            if (rank[e] != no_rank && up == full && down == full) {
                std::size_t end = e + 1;  // the run of inner entries (they have ranks)
                while (end < last && lat_->room_up(static_cast<index_t>(end)) == full &&
                       lat_->room_down(static_cast<index_t>(end)) == full)
                    ++end;
                fill_run(out.data() + e, rank.data() + e, end - e, inner, room_bits);
                e = end;
                continue;
            }
            // Bits above a byte are the room, which 1-D and 2-D do not keep.
            out[e] = static_cast<Word>(rank[e] == no_rank ? pack(0, up, down)  // no cube here
                                                          : pack(compute(v, all, rank), up, down));
            ++e;
        }
    }

public:
    void prefetch(index_t e) const {
        if (!packed8_.empty()) __builtin_prefetch(&packed8_[e]);
        else if (!packed32_.empty()) __builtin_prefetch(&packed32_[e]);
    }

    /// The mask of entry e among the neighbours a k-star looks at: earlier vertices, or cubes
    /// that are missing or later.
    neighbour_bits lower(index_t e, int k, const big_vector<std::uint32_t>& rank) const {
        if (const auto word = packed(e)) return unpack_mask(*word);
        return compute(e, tables_[k], rank);
    }
    /// The axes along which e has a neighbour (up, down), from the same record when cached.
    std::pair<offset_mask, offset_mask> room(index_t e) const {
        if (packed32_.empty()) return {lat_->room_up(e), lat_->room_down(e)};
        if (const auto word = packed(e)) {
            const int d = lat_->ndim(), nb = mask_bits();
            return {(*word >> nb) & ((1u << d) - 1), (*word >> (nb + d)) & ((1u << d) - 1)};
        }
        return {lat_->room_up(e), lat_->room_down(e)};
    }
    neighbour_bits compute(index_t e, const Table& table,
                           const big_vector<std::uint32_t>& rank) const {
        const std::uint32_t r = rank[e];
        const offset_mask up = lat_->room_up(e), down = lat_->room_down(e);
        neighbour_bits bits = 0;
        for (const Neighbour& nb : table.neighbours) {
            const bool earlier = (nb.up & ~up) == 0 && (nb.down & ~down) == 0 &&
                                 rank[e + nb.offset] < r;  // a missing cube has no_rank
            if (earlier != on_cells_) bits |= neighbour_bits{1} << nb.bit;
        }
        return bits;
    }
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
    index_t offset_of(offset_mask m) const {
        index_t off = 0;
        for (int i = 0; i < lat_->ndim(); ++i)
            if (m >> i & 1u) off += lat_->stride(i);
        return off;
    }

    void add_neighbour(int k, offset_mask plus, offset_mask minus) {
        auto& list = tables_[k].neighbours;
        const int bit = bit_of(plus, minus);
        for (const Neighbour& nb : list)
            if (nb.bit == bit) return;
        list.push_back({bit, offset_of(plus) - offset_of(minus), plus, minus});
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
                tables_[k].incidences.push_back({needs, offset_of(m), p, 0, m, {}, {}, {}});
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
                tables_[k].incidences.push_back({needs, -offset_of(pos), p, pos, 0, {}, {}, {}});
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
                sigma.all_cofacets.push_back({offset_of(anchor_down), l.pattern, up, down});
            }
    }

    static constexpr std::uint32_t no_rank = 0xFFFFFFFFu;

    /// The neighbour bits are 0 .. 3^d - 1; the middle one (the vertex itself) is never set.
    int center_bit() const { return (mask_bits()) / 2; }
    int mask_bits() const {
        int n = 1;
        for (int i = 0; i < lat_->ndim(); ++i) n *= 3;
        return n - 1;
    }
    std::uint32_t pack(neighbour_bits bits, offset_mask up, offset_mask down) const {
        const int c = center_bit(), nb = mask_bits(), d = lat_->ndim();
        const auto b = static_cast<std::uint32_t>(bits);
        const std::uint32_t mask = (b & ((1u << c) - 1)) | ((b >> (c + 1)) << c);
        return mask | (up << nb) | (down << (nb + d));
    }
    neighbour_bits unpack_mask(std::uint32_t word) const {
        const int c = center_bit(), nb = mask_bits();
        const std::uint32_t mask = word & ((1u << nb) - 1);
        return neighbour_bits{(mask & ((1u << c) - 1)) | ((mask >> c) << (c + 1))};
    }
    std::optional<std::uint32_t> packed(index_t e) const {
        if (!packed8_.empty()) return packed8_[e];
        if (!packed32_.empty()) return packed32_[e];
        return std::nullopt;
    }

    const GridLattice* lat_;
    bool on_cells_;
    std::vector<Table> tables_;
    big_vector<std::uint8_t> packed8_;    // 1-D and 2-D: the mask of every vertex
    big_vector<std::uint32_t> packed32_;  // 3-D
};

}  // namespace calydon
