// calydon/grid/split_dual_pass.hpp: the dual pass of a 2-D image in two halves, on two threads.
//
// With threads, the dual union-find of an image (its H1 pairs) runs beside H0 and takes about
// twice as long, and a union-find in filtration order does not split in time. It splits in space:
// the rows above a split row S and the rows from S down stream their stars through one forest,
// each touching only the top cells it owns (those whose critical vertex is on its side, so that
// no node is written by both), and a short serial pass settles what only the whole image knows.
//
// Why the pairs are the serial pass's. A half's components are parts of the whole image's
// components at the same moment (every link is a real dual edge, each half has its own copy of
// the outside). So an edge that closes a cycle in a half closes one in the image (dropped). A
// component is closed when all its top cells lie two rows or more from the split (then every
// edge of theirs belongs to the half, so the component is the same in the image) and it does not
// hold the outside: a merge whose earlier side is closed kills that side in the image too (the
// other side's component in the image is at least as late), a pair the half reports itself.
// Every other merge, and every edge between the halves' top cells (in the two rows at the split,
// which both halves walk), is a candidate: each half records the root of its side at that
// moment. The serial pass replays the candidates in filtration order over those roots, which
// stand for the halves' components (a root is its component's latest top cell), with the same
// elder rule. Each pair keeps its place in the serial pass (the entry's rank, then the edge
// within the star), and the lists are merged in that order: the output is the serial pass's.
#pragma once

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "calydon/core/interrupt.hpp"
#include "calydon/grid/forest.hpp"
#include "calydon/grid/pair_sink.hpp"
#include "calydon/grid/plane_stars.hpp"

namespace calydon {

namespace detail {

/// A dual edge's place in the serial pass: its entry's rank, then its index in the star (at
/// most 6), plus one (0 is no place). The pass goes from the latest place down.
using DualPlace = std::uint64_t;
inline DualPlace dual_place(std::uint32_t rank, int edge_in_star) {
    return (DualPlace{rank} << 3 | static_cast<DualPlace>(edge_in_star)) + 1;
}

/// A pair found by a half or by the serial pass: (edge, the top cell that dies).
struct DualSplitPair {
    DualPlace place;
    index_t cell, top, birth_entry, death_entry;
};
/// A candidate edge: the roots of its two sides in one half (`second` is -1 for the one side
/// a half sees of an edge between the halves).
struct DualSplitEdge {
    DualPlace place;
    index_t cell, entry, first, second;
};

class SplitDualPass {
    using Forest = RootPayloadForest;

public:
    /// A 2-D box with values on vertices whose stars the plane lists give, tall enough to split,
    /// with ranks below 2^30 (a root's word holds its rank and the open bit).
    static bool applies(const GridOrder& order) {
        const GridLattice& lat = order.lattice();
        return lat.ndim() == 2 && !order.values_on_cells() &&
               PlaneStars::applies(lat, order.lower_stars()) && lat.shape()[0] >= min_rows &&
               lat.shape()[1] >= 2 && order.n_entries() < open_bit &&
               Forest::fits(lat.n_codes(2) + 2, order.n_entries());
    }

    /// Half 0 walks the rows above `split_row`, half 1 the rest (both walk the two rows at it).
    SplitDualPass(const GridOrder& order, index_t split_row)
        : order_(order), lat_(order.lattice()), stars_(lat_, *order.lower_stars(), false),
          masks_(order.lower_stars()->masks8()), n_top_(lat_.n_codes(2)), uf_(n_top_ + 2),
          n_top_patterns_(lat_.n_patterns(2)), n_edge_patterns_(lat_.n_patterns(1)) {
        const index_t rows = lat_.shape()[0], width = lat_.stride(0);
        split_row = std::clamp<index_t>(split_row, 3, rows - 3);
        split_ = split_row * width;
        band_begin_ = split_ - width, band_end_ = split_ + width;
        closed_before_ = split_ - 2 * width, closed_from_ = split_ + 2 * width;
    }

    /// Walks one half's stars (the halves may run at once: they write disjoint nodes).
    void run_half(int half, const GridPairSink& sink) {
        const index_t first = half == 0 ? 0 : band_begin_;
        const index_t last = half == 0 ? band_end_ : lat_.n_vertices();
        const detail::GridRows rows = detail::grid_rows(lat_, false, true, false);
        for (std::size_t i = order_.n_entries(); i-- > 0;) {
            poll_interrupt(i);
            if (i >= prefetch_distance) {
                const index_t ahead = order_.entry_at_rank(i - prefetch_distance);
                if (ahead >= first && ahead < last) prefetch(ahead, rows);
            }
            const index_t e = order_.entry_at_rank(i);
            if (e >= first && e < last) walk(half, e, static_cast<std::uint32_t>(i), sink);
        }
    }

    /// Replays the candidates, then hands every pair to the sink in the serial pass's order.
    void finish(GridPairSink& sink) {
        const Half &a = halves_[0], &b = halves_[1];
        if (a.crossing.size() != b.crossing.size())
            throw std::logic_error("internal error: the halves saw different edges between them");
        for (const Half& h : halves_) {
            for (const DualSplitEdge& c : h.local) reset(c.first), reset(c.second);
            for (const DualSplitEdge& c : h.crossing) reset(c.first);
        }
        reset(n_top_), reset(n_top_ + 1);
        uf_.link(n_top_ + 1, n_top_);  // one outside
        std::vector<DualSplitPair> replayed;
        std::size_t i = 0, j = 0, k = 0;
        for (;;) {
            const DualPlace pi = place_at(a.local, i), pj = place_at(b.local, j),
                            pk = place_at(a.crossing, k);
            const DualPlace latest = std::max({pi, pj, pk});  // places are distinct
            if (latest == none) break;
            if (latest == pk) {
                if (b.crossing[k].place != pk)
                    throw std::logic_error("internal error: the halves' edges between them differ");
                replay(a.crossing[k], b.crossing[k].first, sink, replayed), ++k;
            } else if (latest == pi) {
                replay(a.local[i], a.local[i].second, sink, replayed), ++i;
            } else {
                replay(b.local[j], b.local[j].second, sink, replayed), ++j;
            }
        }
        emit_in_order(sink, replayed);
    }

private:
    static constexpr index_t min_rows = 8;
    // In a root's payload, beside its rank: its component may meet the other half (it has a top
    // cell with an edge the other half walks, or the outside), so its death is not this half's
    // to decide. Kept in the root's word: a separate array cost a cache miss per merge.
    static constexpr std::uint32_t open_bit = 1u << 30;
    static constexpr DualPlace none = 0;
    struct Half {
        std::vector<DualSplitPair> pairs;
        std::vector<DualSplitEdge> local, crossing;
    };
    template <class T>
    static DualPlace place_at(const std::vector<T>& list, std::size_t i) {
        return i < list.size() ? list[i].place : none;
    }

    // Inlined by force: as a function of its own, GCC finds it free of side effects and drops
    // the calls (measured: no prefetch instruction left, and the half 18% slower).
    [[gnu::always_inline]] void prefetch(index_t e, const detail::GridRows& rows) const {
        order_.prefetch(e);
        uf_.prefetch(e * n_top_patterns_);
        for (int j = 0; j < rows.size; ++j) {
            const index_t v = e + rows.offset[j];
            if (v >= 0 && v < lat_.n_vertices()) uf_.prefetch(v * n_top_patterns_);
        }
        lat_.prefetch_room(e);
    }

    /// The rank of a root's top cell; the outside (either copy) is later than all.
    std::uint32_t rank_of(index_t root) {
        std::uint32_t r = uf_.payload(root);
        if (r == Forest::unknown) uf_.set_payload(root, (r = order_.key(root, 2).rank) | open_bit);
        return r & ~open_bit;
    }
    bool later(index_t a, index_t b) {
        if (a >= n_top_ || b >= n_top_) return a >= n_top_;
        return CellKey{rank_of(b), b} < CellKey{rank_of(a), a};
    }
    int owner(index_t top) const { return order_.critical(top, 2) < split_ ? 0 : 1; }

    /// The star of entry e as the serial pass walks it (PlaneStars), for one half.
    [[gnu::always_inline]] void walk(int half, index_t e, std::uint32_t r,
                                     const GridPairSink& sink) {
        const PlaneStars::Star& s = stars_.star(masks_[e]);
        const index_t top_base = e * n_top_patterns_;
        if ((e < split_) == (half == 0)) {  // its top cells are this half's
            const bool open = half == 0 ? e >= closed_before_ : e < closed_from_;
            for (int j = 0; j < s.n_tops; ++j)
                uf_.set_payload(top_base + s.top[j], r | (open ? open_bit : 0));
        }
        const bool band = e >= band_begin_ && e < band_end_;
        const offset_mask up = lat_.room_up(e), down = lat_.room_down(e);
        Half& out = halves_[half];
        for (int j = s.n_edges; j-- > 0;) {
            if ((s.h0_deaths >> j & 1u) != 0) continue;  // closes a dual cycle (see Star)
            const PlaneStars::Edge& edge = s.edge[j];
            index_t tops[2];
            int n = 0;
            for (int c = 0; c < edge.n_cofacets; ++c) {
                const PlaneStars::Cofacet& t = edge.cofacet[c];
                if ((t.need_up & ~up) != 0 || (t.need_down & ~down) != 0) continue;
                tops[n++] = top_base + t.code_delta;
            }
            const Event ev{dual_place(r, j), e * n_edge_patterns_ + edge.code_delta, e, r};
            if (!band) close(half, ev, tops, n, sink, out);
            else close_in_band(half, ev, tops, n, sink, out);
        }
    }

    struct Event {
        DualPlace place;
        index_t cell, entry;
        std::uint32_t rank;
    };

    /// An edge of the two rows at the split: this half's, the other's, or between them.
    [[gnu::noinline]] void close_in_band(int half, const Event& ev, const index_t* tops, int n,
                                         const GridPairSink& sink, Half& out) {
        if (n == 0) return;  // the outside on both sides
        const bool mine0 = owner(tops[0]) == half;
        const bool mine1 = n < 2 ? mine0 : owner(tops[1]) == half;
        if (mine0 && mine1) return close(half, ev, tops, n, sink, out);
        if (mine0 || mine1)
            out.crossing.push_back(
                {ev.place, ev.cell, ev.entry, uf_.find(tops[mine0 ? 0 : 1]), -1});
    }

    /// An edge of this half: a cycle (nothing), a merge whose earlier side is a closed
    /// component (a pair), or another merge (a candidate, linked here too so that the half's
    /// components stay right).
    [[gnu::always_inline]] void close(int half, const Event& ev, const index_t* tops, int n,
                                      const GridPairSink& sink, Half& out) {
        const index_t outside = n_top_ + half;
        index_t a = n > 0 ? uf_.find(tops[0]) : outside, b = n > 1 ? uf_.find(tops[1]) : outside;
        if (a == b) return;
        if (later(a, b)) std::swap(a, b);  // a: the earlier representative dies
        const bool closed = (uf_.payload(a) & open_bit) == 0;
        const std::uint32_t death = rank_of(a);
        uf_.link(a, b);
        if (!closed) {
            uf_.set_payload(b, uf_.payload(b) | open_bit);
            return out.local.push_back({ev.place, ev.cell, ev.entry, a, b});
        }
        const index_t death_entry = death == ev.rank ? ev.entry : order_.entry_at_rank(death);
        if (sink.admits(1, ev.entry, death_entry))
            out.pairs.push_back({ev.place, ev.cell, a, ev.entry, death_entry});
    }

    /// A candidate's node becomes a root again, standing for its half's component then.
    void reset(index_t x) {
        if (x >= 0) uf_.make_root(x, x >= n_top_ ? Forest::unknown : order_.key(x, 2).rank);
    }
    void replay(const DualSplitEdge& c, index_t other, const GridPairSink& sink,
                std::vector<DualSplitPair>& out) {
        index_t a = uf_.find(c.first), b = uf_.find(other);
        if (a == b) return;
        if (later(a, b)) std::swap(a, b);
        const std::uint32_t death = rank_of(a);
        uf_.link(a, b);
        const index_t death_entry = order_.entry_at_rank(death);
        if (sink.admits(1, c.entry, death_entry))
            out.push_back({c.place, c.cell, a, c.entry, death_entry});
    }

    /// The three pair lists, each latest place first, merged into the sink.
    void emit_in_order(GridPairSink& sink, const std::vector<DualSplitPair>& replayed) const {
        const std::vector<DualSplitPair>* lists[3] = {&halves_[0].pairs, &halves_[1].pairs,
                                                      &replayed};
        std::size_t at[3] = {0, 0, 0};
        for (;;) {
            int best = -1;
            for (int l = 0; l < 3; ++l)
                if (at[l] < lists[l]->size() &&
                    (best < 0 || (*lists[l])[at[l]].place > (*lists[best])[at[best]].place))
                    best = l;
            if (best < 0) return;
            const DualSplitPair& p = (*lists[best])[at[best]++];
            sink.add_admitted(1, p.cell, p.top, p.birth_entry, p.death_entry);
        }
    }

    const GridOrder& order_;
    const GridLattice& lat_;
    PlaneStars stars_;
    const std::uint8_t* masks_;
    index_t n_top_;  // top cells; the outside is n_top_ in half 0 and n_top_ + 1 in half 1
    Forest uf_;
    index_t n_top_patterns_, n_edge_patterns_;
    index_t split_ = 0, band_begin_ = 0, band_end_ = 0, closed_before_ = 0, closed_from_ = 0;

    Half halves_[2];
};

}  // namespace detail

}  // namespace calydon
