// calydon/grid/union_find_passes.hpp: H0 and the top dimension of an implicit grid complex.
//
// H0 streams the edges in filtration order (the stars of the entries in rank order) through a
// union-find over vertices with the elder rule. The top dimension d of a full complex streams the
// (d-1)-cells backwards through a union-find over top cells (Alexander duality, or cohomology
// with columns of at most two entries); in a box the outside is an extra node older than all.
// Neither pass stores a cell list: memory is one or two words per vertex or top cell.
#pragma once

#include <cstdint>
#include <vector>

#include "calydon/core/interrupt.hpp"
#include "calydon/grid/pair_sink.hpp"

namespace calydon {

/// How many entries ahead the streaming passes prefetch (they visit the grid in rank order).
inline constexpr std::size_t prefetch_distance = 16;

namespace detail {

/// Union-find whose root is always its component's representative; `older(a, b)` decides which
/// root survives a merge (path halving keeps finds short).
class RepresentativeUnionFind {
public:
    explicit RepresentativeUnionFind(index_t n) : parent_(static_cast<std::size_t>(n)) {
        for (index_t i = 0; i < n; ++i) parent_[i] = static_cast<std::uint32_t>(i);
    }
    index_t find(index_t x) {
        while (parent_[x] != x) {
            parent_[x] = parent_[parent_[x]];
            x = parent_[x];
        }
        return x;
    }
    void link(index_t child_root, index_t parent_root) {
        parent_[child_root] = static_cast<std::uint32_t>(parent_root);
    }
    bool is_root(index_t x) const { return parent_[x] == x; }
    void prefetch(index_t x) const { __builtin_prefetch(&parent_[x]); }

private:
    std::vector<std::uint32_t> parent_;
};

}  // namespace detail

/// H0 pairs (vertex, edge) and essential H0 classes; sets `negative_edges` (by edge code) when it
/// is sized, for the clearing of H1 and for essential classes in dimension 1.
inline void grid_h0_pass(const GridOrder& order, GridPairSink& sink, CellFlags& negative_edges,
                         bool report_essential_edges) {
    const GridLattice& lat = order.lattice();
    // Vertex age: its position in the vertex order (values on vertices: its rank).
    std::vector<std::uint32_t> age;
    if (order.values_on_cells()) age.assign(static_cast<std::size_t>(lat.n_vertices()), 0);
    auto age_of = [&](index_t v) { return age.empty() ? order.rank_of_entry(v) : age[v]; };
    detail::RepresentativeUnionFind uf(lat.n_vertices());
    std::vector<index_t> star;
    std::uint32_t next_age = 0;
    for (std::size_t r = 0; r < order.n_entries(); ++r) {
        poll_interrupt(r);
        const index_t e = order.entry_at_rank(r);
        if (r + prefetch_distance < order.n_entries()) {
            const index_t ahead = order.entry_at_rank(r + prefetch_distance);
            order.prefetch(ahead);
            uf.prefetch(ahead);
        }
        if (!age.empty()) {
            star.clear();
            order.star(e, 0, star);
            for (index_t v : star) age[v] = next_age++;
        }
        star.clear();
        order.star(e, 1, star);
        for (index_t edge : star) {
            index_t ends[2];
            int n = 0;
            lat.for_each_vertex(edge, 1, [&](index_t v) { ends[n++] = v; });
            index_t a = uf.find(ends[0]), b = uf.find(ends[1]);
            if (a == b) {
                if (report_essential_edges) sink.essential(1, edge);
                continue;
            }
            if (age_of(a) < age_of(b)) std::swap(a, b);  // a: the younger root dies
            uf.link(a, b);
            sink.pair(0, a, edge, age.empty() ? a : order.critical(a, 0), e);
            if (!negative_edges.empty()) negative_edges.set(edge);
        }
    }
    for (index_t v = 0; v < lat.n_vertices(); ++v)
        if (uf.is_root(v)) sink.essential(0, v);
}

namespace detail {

/// The dual union-find: a top cell's parent and, once known, the rank of its critical entry,
/// side by side (one cache line serves both). A root is its component's representative.
class DualForest {
public:
    static constexpr std::uint32_t unknown = GridOrder::none;

    explicit DualForest(index_t n) : nodes_(static_cast<std::size_t>(n)) {
        for (index_t i = 0; i < n; ++i) nodes_[i] = {static_cast<std::uint32_t>(i), unknown};
    }
    index_t find(index_t x) {
        while (nodes_[x].parent != x) {
            nodes_[x].parent = nodes_[nodes_[x].parent].parent;
            x = nodes_[x].parent;
        }
        return x;
    }
    void link(index_t child_root, index_t parent_root) {
        nodes_[child_root].parent = static_cast<std::uint32_t>(parent_root);
    }
    bool is_root(index_t x) const { return nodes_[x].parent == x; }
    std::uint32_t& rank(index_t x) { return nodes_[x].rank; }
    void prefetch(index_t x) const { __builtin_prefetch(&nodes_[x]); }

private:
    struct Node {
        std::uint32_t parent, rank;
    };
    std::vector<Node> nodes_;
};

}  // namespace detail

/// Pairs of dimension d-1 of a full d-dimensional complex ((d-1)-cell, top cell), d >= 2. On a
/// torus, the last component is an essential d-class and a (d-1)-cell that closes a dual cycle
/// without being a (d-2)-death (`deaths` by code) is an essential (d-1)-class.
inline void grid_dual_pass(const GridOrder& order, GridPairSink& sink, const CellFlags& deaths) {
    const GridLattice& lat = order.lattice();
    const int d = lat.ndim();
    const index_t n_top = lat.n_codes(d), outside = n_top, n_patterns = lat.n_patterns(d);
    detail::DualForest uf(n_top + 1);
    // A root's representative is its latest top cell; the outside is later than all. The rank
    // of a representative's critical entry is computed once, when it first meets another.
    auto rank_of = [&](index_t t) {
        std::uint32_t& r = uf.rank(t);
        if (r == detail::DualForest::unknown) r = order.key(t, d).rank;
        return r;
    };
    auto later = [&](index_t a, index_t b) {
        if (a == outside || b == outside) return a == outside;
        return CellKey{rank_of(b), b} < CellKey{rank_of(a), a};
    };
    auto close = [&](index_t e, index_t cell, index_t* tops, int n) {
        index_t a = n > 0 ? uf.find(tops[0]) : outside;
        index_t b = n > 1 ? uf.find(tops[1]) : outside;
        if (a == b) {
            if (lat.wrap() && !deaths.empty() && !deaths.test(cell)) sink.essential(d - 1, cell);
            return;
        }
        if (later(a, b)) std::swap(a, b);  // a: the earlier representative dies
        uf.link(a, b);
        sink.pair(d - 1, cell, a, e, order.entry_at_rank(rank_of(a)));
    };
    // Values on vertices of a box: the star and the cofacets of its cells from the tables and
    // one record per entry; otherwise from the lattice.
    const LowerStars* stars = order.values_on_cells() || lat.wrap() ? nullptr : order.lower_stars();
    std::vector<index_t> star;
    for (std::size_t i = order.n_entries(); i-- > 0;) {
        poll_interrupt(i);
        const index_t e = order.entry_at_rank(i);
        if (i >= prefetch_distance) {
            const index_t ahead = order.entry_at_rank(i - prefetch_distance);
            order.prefetch(ahead);
            uf.prefetch(ahead * n_patterns);  // the top cells anchored there
        }
        index_t tops[2];
        if (stars) {
            const neighbour_bits mask = stars->lower(e, d - 1, order.ranks());
            const auto [up, down] = stars->room(e);
            const auto& incidences = stars->table(d - 1).incidences;
            for (auto it = incidences.rbegin(); it != incidences.rend(); ++it) {
                if (!LowerStars::in_star(*it, mask)) continue;
                int n = 0;
                for (const auto& c : it->all_cofacets)
                    if ((c.need_up & ~up) == 0 && (c.need_down & ~down) == 0)
                        tops[n++] = (e - c.anchor_offset) * n_patterns + c.pattern;
                close(e, stars->code(e, d - 1, *it), tops, n);
            }
            continue;
        }
        star.clear();
        order.star(e, d - 1, star);
        for (auto it = star.rbegin(); it != star.rend(); ++it) {
            int n = 0;
            lat.for_each_cofacet(*it, d - 1, [&](index_t top) { tops[n++] = top; });
            close(e, *it, tops, n);
        }
    }
    if (lat.wrap())
        for (index_t t = 0; t < n_top; ++t)
            if (uf.is_root(t) && lat.has_cell(lat.anchor_of(t, d), d, lat.pattern_of(t, d)))
                sink.essential(d, t);
}

}  // namespace calydon
