// calydon/grid/basin_h0.hpp: H0 of a box with values on its vertices, through descent basins.
//
// The union-find of H0 visits every vertex in rank order, that is all over the grid, and
// finds the roots of its lower neighbours: a few cache misses per vertex. Yet nearly every
// vertex of a smooth field only joins the component of a lower neighbour, at its own time:
//
// * A vertex v that is not a local minimum comes with its lower star, whose first edge (by
//   code, the order of cells of equal rank) goes to an older vertex `w`: at once v belongs to
//   w's component, and that edge kills v's class at zero persistence. Following these first
//   edges down leads to a minimum, and every vertex of its *basin* (the vertices whose descent
//   ends there) is in its component from its own time on.
// * So the components are unions of basins, and only an edge between two basins can merge two
//   of them: a union-find over the basins, fed by those edges in filtration order (the rank of
//   their later vertex, then their code), gives the same merges as the vertex union-find, with
//   the same elder rule (a basin's age is its minimum's), hence the same pairs in the same order.
//
// Two steps. One pass in input order labels the basins (following each vertex's first edges
// down the first time it is met, so each descent path is walked once; those first edges are
// the zero-persistence deaths, flagged as negative edges there) and keeps, for each two
// adjacent basins, their earliest edge: only it can merge them, as later ones find them joined
// (a 64^3 smooth field: 141k edges between basins, 5.4k pairs of basins, 833 basins). Then
// Kruskal over the basins merges along those edges in filtration order. The pass reads the
// grid nearly in order, where the vertex union-find reads it at random: H0 of a 64^3 volume
// 6.5 against 8 ms, and of a 1024^2 image about 5 ms less.
//
// Pairs of zero persistence are not reported (the caller keeps the vertex stream for those),
// and neither are edges that close cycles.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <vector>

#include "calydon/core/interrupt.hpp"
#include "calydon/grid/basin_merges.hpp"
#include "calydon/grid/big_vector.hpp"
#include "calydon/grid/cell_order.hpp"
#include "calydon/grid/pair_sink.hpp"

namespace calydon::detail {

/// The edges through a vertex v of a box, by code: the other end is v + other[j], the code
/// v * n_patterns + code[j]. A value type, copied into each pass: held in registers and on the
/// stack, the compiler need not reload it after every store to the passes' arrays.
struct VertexStarEdges {
    static constexpr int max_edges = 30;  // 2 * (2^4 - 1): Freudenthal in 4-D
    int n = 0;
    std::array<index_t, max_edges> other{}, code{};
    std::array<std::uint8_t, max_edges> partner{};  // an outgoing edge's incoming twin
    std::uint32_t outgoing = 0;                     // bit j: v is edge j's anchor
    std::array<std::uint32_t, 256> in_box{};        // room byte -> bit j: edge j lies in the box

    explicit VertexStarEdges(const GridLattice& lat) {
        const int np = lat.n_patterns(1);
        struct Edge {
            index_t other, code;
            int pattern;
            bool outgoing;
        };
        std::vector<Edge> edges;
        for (int p = 0; p < np; ++p) {
            const index_t off = lat.offset_of(lat.patterns().reach[1][p]);
            edges.push_back({-off, -off * np + p, p, false});
            edges.push_back({off, p, p, true});
        }
        std::sort(edges.begin(), edges.end(),
                  [](const Edge& a, const Edge& b) { return a.code < b.code; });
        n = static_cast<int>(edges.size());
        for (int j = 0; j < n; ++j) {
            other[j] = edges[j].other;
            code[j] = edges[j].code;
            if (edges[j].outgoing) outgoing |= 1u << j;
            for (int i = 0; i < n; ++i)
                if (!edges[i].outgoing && edges[i].pattern == edges[j].pattern)
                    partner[j] = static_cast<std::uint8_t>(i);
        }
        for (unsigned room = 0; room < 256; ++room)
            for (int j = 0; j < n; ++j) {
                const offset_mask m = lat.patterns().reach[1][edges[j].pattern];
                const unsigned free_side = edges[j].outgoing ? room & 0xFu : room >> 4;
                if ((m & ~free_side) == 0) in_box[room] |= 1u << j;
            }
    }
};

class BasinH0 {
public:
    /// A box, values on vertices, and neither zero-persistence pairs nor cycle-closing edges
    /// asked for.
    static bool applies(const GridOrder& order, const GridPairSink& sink,
                        bool report_essential_edges) {
        const GridLattice& lat = order.lattice();
        return !order.values_on_cells() && !lat.wrap() && !report_essential_edges &&
               !sink.keeps_zero_persistence() && lat.ndim() >= 2 &&
               lat.n_vertices() < (index_t{1} << 31);
    }

    explicit BasinH0(const GridOrder& order)
        : order_(order), lat_(order.lattice()), star_(order.lattice()) {}

    /// Reports the pairs and the essential class to `sink` and flags every negative edge in
    /// `negative_edges` (when it is sized); or, on a rough field, gives up early and returns
    /// false, having reported nothing (the edges it flagged are negative: a subset of what the
    /// vertex stream flags).
    bool run(GridPairSink& sink, CellFlags& negative_edges) {
        if (!label_and_collect(negative_edges)) return false;
        merge_saddles(sink, negative_edges);
        return true;
    }

private:
    static constexpr std::uint32_t unlabelled = 0xFFFFFFFFu;
    static constexpr std::uint32_t on_path = 0x80000000u;  // basin ids stay below

    const GridOrder& order_;
    const GridLattice& lat_;
    const VertexStarEdges star_;
    big_buffer<std::uint32_t> basin_;  // vertex -> basin id
    std::vector<index_t> minimum_;     // basin id -> its minimum
    std::uint64_t steps_ = 0;          // down descent paths, for Ctrl-C
    BasinSaddles saddles_;  // place: the later end's rank * star size + index in its star

    std::uint8_t room(index_t v) const {
        return static_cast<std::uint8_t>(lat_.room_up(v) | lat_.room_down(v) << 4);
    }

    /// The basin of u, labelling its descent path: each vertex's first lower edge is found
    /// (and flagged: it kills the vertex's class at once) when the vertex is first met, so
    /// once. The walk down leaves `on_path | edge index` in each vertex it passes, the walk back
    /// follows those and writes the basin: no stack, however long the path (a ramp's runs the
    /// length of the grid).
    template <class Flag>
    [[gnu::always_inline]] std::uint32_t label(index_t u, const VertexStarEdges& s,
                                               const std::uint32_t* rank, std::uint32_t* basin,
                                               Flag&& flag_negative) {
        if (basin[u] != unlabelled) return basin[u];
        index_t w = u;
        while (basin[w] == unlabelled) {
            poll_interrupt(++steps_);
            const std::uint32_t rw = rank[w];
            int j_first = -1;
            for (std::uint32_t in = s.in_box[room(w)]; in != 0; in &= in - 1) {
                const int j = std::countr_zero(in);
                if (rank[w + s.other[j]] < rw) {
                    j_first = j;
                    break;
                }
            }
            if (j_first < 0) {  // a minimum: a new basin
                basin[w] = static_cast<std::uint32_t>(minimum_.size());
                minimum_.push_back(w);
                break;
            }
            flag_negative(w, j_first);
            basin[w] = on_path | static_cast<std::uint32_t>(j_first);
            w += s.other[j_first];
        }
        const std::uint32_t id = basin[w];
        for (index_t x = u; (basin[x] & on_path) != 0;) {
            const int j = static_cast<int>(basin[x] & ~on_path);
            basin[x] = id;
            x += s.other[j];
        }
        return id;
    }

    /// Labels the basins (in input order, each descent path followed once) and keeps the first
    /// edge (in filtration order) between each two adjacent basins: only it can merge them,
    /// every later one finds them joined. Those are kept in a small open-addressing table keyed
    /// by the two basin ids (a few thousand pairs where the grid has some 10^5 edges between
    /// basins).
    bool label_and_collect(CellFlags& negative_edges) {
        const VertexStarEdges s = star_;
        const index_t n = lat_.n_vertices(), np = lat_.n_patterns(1);
        const std::uint32_t* rank = order_.ranks().data();
        basin_ = big_buffer<std::uint32_t>(static_cast<std::size_t>(n));
        std::uint32_t* basin = basin_.data();
        std::fill(basin, basin + n, unlabelled);
        const bool flag = !negative_edges.empty();
        auto flag_negative = [&](index_t u, int j) {
            if (flag) negative_edges.set(u * np + s.code[j]);
        };
        const auto n_star = static_cast<std::uint64_t>(s.n);
        int n_out = 0;
        std::array<int, VertexStarEdges::max_edges> out{};
        for (int j = 0; j < s.n; ++j)
            if (s.outgoing >> j & 1u) out[n_out++] = j;
        for (index_t v = 0; v < n; ++v) {
            if ((v & 4095) == 0) {
                check_interrupt();
                if (saddles_.too_many(v, lat_.n_vertices())) return false;
            }
            const std::uint32_t b = label(v, s, rank, basin, flag_negative);
            const std::uint32_t in = s.in_box[room(v)];
            for (int k = 0; k < n_out; ++k) {
                const int j = out[k];
                if ((in >> j & 1u) == 0) continue;
                const index_t w = v + s.other[j];
                const std::uint32_t c = label(w, s, rank, basin, flag_negative);
                if (c == b) continue;
                // The edge's place: its later end's rank, then its index in that end's star.
                const std::uint32_t rv = rank[v], rw = rank[w];
                const std::uint64_t place =
                    rw > rv ? rw * n_star + s.partner[j] : rv * n_star + static_cast<unsigned>(j);
                saddles_.keep_earlier(b, c, place);
            }
        }
        return true;
    }

    /// Kruskal over the basins: the saddles in filtration order, the younger basin dying.
    void merge_saddles(GridPairSink& sink, CellFlags& negative_edges) {
        const auto& rank = order_.ranks();
        const index_t np = lat_.n_patterns(1);
        const auto n_star = static_cast<std::uint64_t>(star_.n);
        std::vector<std::uint64_t> age(minimum_.size());
        for (std::size_t b = 0; b < minimum_.size(); ++b) age[b] = rank[minimum_[b]];
        const auto saddles = saddles_.by_place(
            std::bit_width(static_cast<std::uint64_t>(order_.n_entries()) * n_star));
        const std::vector<bool> root = merge_basins(
            saddles, age, [&](const BasinSaddles::Saddle& s, std::uint32_t dying, std::uint32_t) {
                const index_t v = order_.entry_at_rank(s.place / n_star);
                const index_t code = v * np + star_.code[s.place % n_star];
                sink.pair(0, minimum_[dying], code, minimum_[dying], v);
                if (!negative_edges.empty()) negative_edges.set(code);
            });
        for (index_t v : surviving_roots(root, minimum_)) sink.essential(0, v);
    }
};

}  // namespace calydon::detail
