// calydon/grid/basin_merges.hpp: what the basin passes share (basin_h0*.hpp for H0,
// basin_dual*.hpp for the top dimension): the earliest edge between each two adjacent basins,
// Kruskal over the basins along those edges with the elder rule, and the test for fields too
// rough for basins.
//
// A union-find pass over a graph whose nodes arrive before their edges (vertices and edges;
// top cells and the cells between them, backwards) may first contract every node into the
// older neighbour its earliest edge leads to: before that edge the node is alone, and after it
// the node's class is dead at zero persistence. The classes of these trees (basins) are their
// roots'. Only the earliest edge between two adjacent basins can merge them, every later one
// finds them joined, so the merges of the whole graph are those of a small one: Kruskal over the
// basins along those edges gives the same pairs in the same order.
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <vector>

#include "calydon/core/interrupt.hpp"
#include "calydon/core/radix_sort.hpp"
#include "calydon/core/types.hpp"
#include "calydon/grid/cell_order.hpp"

namespace calydon::detail {

/// Each pair of adjacent basins with the place (filtration position, smaller first) of its
/// earliest edge, in an open-addressing table at most half full: a few thousand pairs where the
/// grid has some 10^5 edges between basins.
class BasinSaddles {
public:
    struct Saddle {
        std::uint64_t basins;  // the two basin ids, the smaller in the low word
        std::uint64_t place;
    };

    BasinSaddles() : table_(std::size_t{1} << 12, Saddle{empty_slot, 0}) {}

    std::size_t size() const { return size_; }

    /// Basins pay off on smooth fields: one pair of adjacent basins per 40-50 cells on smooth
    /// 64^3 and 128^3 volumes. On white noise nearly every cell starts a pair (64^3: 225k pairs
    /// for 38k basins) and the table is slower than the streams (42 against 11 ms for H0), so
    /// past 1/64 of the `total` cells a pass gives up at more than one pair per 8 `visited`.
    bool too_many(index_t visited, index_t total) const {
        return visited >= std::max<index_t>(8192, total / 64) &&
               static_cast<index_t>(size_) * 8 > visited;
    }

    /// Keeps the earlier place for the basins a != b.
    void keep_earlier(std::uint32_t a, std::uint32_t b, std::uint64_t place) {
        keep(std::min(a, b) | std::uint64_t{std::max(a, b)} << 32, place);
    }

    /// The saddles by place (radix-sorted on `place_bits` bits).
    std::vector<Saddle> by_place(int place_bits) const {
        std::vector<Saddle> out;
        out.reserve(size_);
        for (const Saddle& s : table_)
            if (s.basins != empty_slot) out.push_back(s);
        check_interrupt();
        radix_sort(out, place_bits, [](const Saddle& x) { return x.place; });
        check_interrupt();
        return out;
    }

private:
    static constexpr std::uint64_t empty_slot = ~std::uint64_t{0};

    std::vector<Saddle> table_;
    std::size_t size_ = 0;

    void keep(std::uint64_t basins, std::uint64_t place) {
        const std::size_t mask = table_.size() - 1;
        Saddle* table = table_.data();
        std::size_t i = (basins * 0x9E3779B97F4A7C15ull) >> 40 & mask;
        for (; table[i].basins != empty_slot; i = (i + 1) & mask)
            if (table[i].basins == basins) {
                table[i].place = std::min(table[i].place, place);
                return;
            }
        table[i] = {basins, place};
        if (++size_ * 2 > table_.size()) grow();
    }

    void grow() {
        std::vector<Saddle> old(table_.size() * 2, Saddle{empty_slot, 0});
        old.swap(table_);
        size_ = 0;
        for (const Saddle& s : old)
            if (s.basins != empty_slot) keep(s.basins, s.place);
    }
};

/// White noise has a local maximum every few vertices (1 in 7 in a volume), and there the
/// streams are faster than any basin pass (64^3 with values on vertices: the dual stream takes
/// 14 ms; finding out through the basins' first passes cost 3.7 ms more): the first 16384
/// vertices of a box decide, at more than one strict maximum (along the axes) in 64.
inline bool many_local_maxima(const GridOrder& order) {
    const GridLattice& lat = order.lattice();
    const std::uint32_t* rank = order.ranks().data();
    const index_t sample = std::min<index_t>(lat.n_vertices(), 16384);
    index_t maxima = 0;
    for (index_t v = 0; v < sample; ++v) {
        bool top = true;
        for (int i = 0; i < lat.ndim() && top; ++i) {
            const index_t step = lat.offset_of(1u << i);
            if (lat.can_go_up(v, 1u << i)) top = rank[v + step] < rank[v];
            if (top && lat.can_go_down(v, 1u << i)) top = rank[v - step] < rank[v];
        }
        maxima += top;
    }
    return sample >= 4096 && maxima * 64 > sample;
}

/// Kruskal over basins 0..n-1 with ages (smaller: older): for each saddle (by place) joining two
/// components, the younger root dies: merged(saddle, dying root, surviving root). Returns
/// whether each basin is still a root at the end.
template <class Merged>
std::vector<bool> merge_basins(const std::vector<BasinSaddles::Saddle>& by_place,
                               const std::vector<std::uint64_t>& age, Merged&& merged) {
    std::vector<std::uint32_t> parent(age.size());
    for (std::size_t b = 0; b < age.size(); ++b) parent[b] = static_cast<std::uint32_t>(b);
    auto find = [&](std::uint32_t x) {
        while (parent[x] != x) {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        return x;
    };
    std::uint64_t ticks = 0;
    for (const BasinSaddles::Saddle& s : by_place) {
        poll_interrupt(++ticks);
        std::uint32_t a = find(static_cast<std::uint32_t>(s.basins));
        std::uint32_t b = find(static_cast<std::uint32_t>(s.basins >> 32));
        if (a == b) continue;
        if (age[a] < age[b]) std::swap(a, b);  // a: the younger root dies
        parent[a] = b;
        merged(s, a, b);
    }
    std::vector<bool> root(age.size());
    for (std::size_t b = 0; b < age.size(); ++b) root[b] = parent[b] == b;
    return root;
}

/// The basin of cell v in `state`, where a cell holds the cell its path leads to (itself: a
/// basin's root; `to_outside`: the outside's basin `outside_id`) or, once labelled,
/// `labelled | basin id`. Follows the path to a labelled cell or a root (a new basin, its cell
/// appended to `roots`), then labels the path on the way back.
inline std::uint32_t label_pointer_path(std::uint32_t* state, index_t v,
                                        std::vector<index_t>& roots, std::uint64_t& steps,
                                        std::uint32_t to_outside = 0xFFFFFFFFu,
                                        std::uint32_t outside_id = 0) {
    constexpr std::uint32_t labelled = 0x80000000u;
    index_t u = v;
    while ((state[u] & labelled) == 0 && state[u] != u && state[u] != to_outside) {
        poll_interrupt(++steps);
        u = state[u];
    }
    if (state[u] == to_outside) {
        state[u] = labelled | outside_id;
    } else if ((state[u] & labelled) == 0) {  // a root: a new basin
        state[u] = labelled | static_cast<std::uint32_t>(roots.size());
        roots.push_back(u);
    }
    const std::uint32_t id = state[u];
    for (index_t x = v; (state[x] & labelled) == 0;) {
        const index_t next = state[x];
        state[x] = id;
        x = next;
    }
    return id & ~labelled;
}

/// m[v] = the minimum of the ranks at v - t (`lower`), or the maximum of those at v + t, over
/// the masks t that stay in the box: the earliest cube around a vertex, the latest vertex of a
/// cube. A window of two along each axis in turn; each pass runs over contiguous spans, in the
/// order that lets every read see the pass's input.
inline void extreme_over_unit_cubes(const GridLattice& lat, const std::uint32_t* rank,
                                    std::uint32_t* m, bool lower) {
    const index_t n = lat.n_vertices();
    std::copy(rank, rank + n, m);
    std::uint64_t values = 0;  // read so far, for Ctrl-C
    for (int i = 0; i < lat.ndim(); ++i) {
        const index_t s = lat.offset_of(1u << i), len = lat.shape()[i], block = s * len;
        for (index_t outer = 0; outer < n; outer += block)
            for (index_t k = 1; k < len; ++k) {
                // A check per 2^16 values (a span of a 512^3 volume has 2^18).
                values += static_cast<std::uint64_t>(s);  // s > 0
                if (values >> 16 != (values - static_cast<std::uint64_t>(s)) >> 16)
                    check_interrupt();
                std::uint32_t* dst = m + outer + (lower ? len - k : k - 1) * s;
                const std::uint32_t* src = lower ? dst - s : dst + s;
                if (lower)
                    for (index_t j = 0; j < s; ++j) dst[j] = std::min(dst[j], src[j]);
                else
                    for (index_t j = 0; j < s; ++j) dst[j] = std::max(dst[j], src[j]);
            }
    }
}

/// The root vertices of the basins still roots after merge_basins, ascending: the essential
/// H0 classes (one in a box), reported as the vertex stream reports them.
inline std::vector<index_t> surviving_roots(const std::vector<bool>& root,
                                            const std::vector<index_t>& root_vertex) {
    std::vector<index_t> out;
    for (std::size_t b = 0; b < root.size(); ++b)
        if (root[b]) out.push_back(root_vertex[b]);
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace calydon::detail
