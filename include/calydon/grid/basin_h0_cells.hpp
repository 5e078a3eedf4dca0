// calydon/grid/basin_h0_cells.hpp: H0 of a cubical box with values on its top cells, through
// descent basins (basin_h0.hpp does values on vertices; the shared part is basin_merges.hpp).
//
// A vertex comes with the earliest cube around it, C, and so do the edges of C through it; its
// other edges come later. So the vertices that come with C (its *new* corners) meet nothing but
// C's edges until C is done: a small union-find over C's corners, along its edges in code order,
// finds which new corners an edge to an older corner reaches first (they die there at zero
// persistence and join that corner's basin) and which stay apart (a basin of their own, rooted
// at the earliest of them). Those are the descents; Kruskal along the earliest edge between two
// basins does the rest, as for values on vertices. The keys are the cubes' ranks, read in input
// order.
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

class BasinH0Cells {
public:
    /// A cubical image or volume with values on its top cells, and neither zero-persistence
    /// pairs nor cycle-closing edges asked for. (4-D works too, but a 4-cube's table of
    /// settlements has 2^16 rows, 65 ms to build.)
    static bool applies(const GridOrder& order, const GridPairSink& sink,
                        bool report_essential_edges) {
        const GridLattice& lat = order.lattice();
        return order.values_on_cells() && !lat.wrap() &&
               lat.patterns().kind == GridComplexKind::cubical &&
               (lat.ndim() == 2 || lat.ndim() == 3) && !report_essential_edges &&
               !sink.keeps_zero_persistence() && lat.n_vertices() < (index_t{1} << 31);
    }

    explicit BasinH0Cells(const GridOrder& order) : order_(order), lat_(order.lattice()) {
        build_tables();
        build_settlements();
    }

    /// As BasinH0::run.
    bool run(GridPairSink& sink, CellFlags& negative_edges) {
        find_earliest_cubes();
        find_descents(negative_edges);
        if (!label_and_collect()) return false;
        merge_saddles(sink, negative_edges);
        return true;
    }

private:
    static constexpr std::uint32_t labelled = 0x80000000u;  // vertex and basin ids stay below
    static constexpr std::uint32_t none = GridOrder::none;

    const GridOrder& order_;
    const GridLattice& lat_;
    int d_ = 0;
    index_t n_edge_patterns_ = 0;
    std::array<int, GridLattice::max_ndim> pattern_of_axis_{};
    std::array<index_t, GridLattice::max_ndim> stride_{};
    std::array<index_t, 16> corner_offset_{};  // corner mask -> grid offset
    /// A cube's edges by code, as (corner mask, axis), and [corner mask][axis] -> index there.
    std::vector<std::array<int, 2>> cube_edge_;
    std::array<std::array<std::uint8_t, GridLattice::max_ndim>, 16> edge_index_{};
    std::uint64_t n_cube_edges_ = 0;
    big_buffer<std::uint32_t> earliest_;  // vertex -> rank of the earliest cube around it
    big_buffer<std::uint32_t> desc_;      // vertex -> its descent, then labelled | basin id
    std::vector<index_t> minimum_;        // basin id -> its root vertex
    BasinSaddles saddles_;                // place: edge's cube rank * n_cube_edges + index
    std::uint64_t steps_ = 0;

    void build_tables() {
        d_ = lat_.ndim();
        n_edge_patterns_ = lat_.n_patterns(1);
        for (int i = 0; i < d_; ++i) {
            stride_[i] = lat_.offset_of(1u << i);
            for (int p = 0; p < n_edge_patterns_; ++p)
                if (lat_.patterns().reach[1][p] == (1u << i)) pattern_of_axis_[i] = p;
        }
        for (offset_mask t = 0; t < (1u << d_); ++t) corner_offset_[t] = lat_.offset_of(t);
        for (int t = 0; t < (1 << d_); ++t)
            for (int i = 0; i < d_; ++i)
                if ((t >> i & 1) == 0) cube_edge_.push_back({t, i});
        auto code = [&](const std::array<int, 2>& e) {
            return corner_offset_[e[0]] * n_edge_patterns_ + pattern_of_axis_[e[1]];
        };
        std::sort(cube_edge_.begin(), cube_edge_.end(),
                  [&](const auto& a, const auto& b) { return code(a) < code(b); });
        n_cube_edges_ = cube_edge_.size();
        for (std::size_t j = 0; j < cube_edge_.size(); ++j)
            edge_index_[cube_edge_[j][0]][cube_edge_[j][1]] = static_cast<std::uint8_t>(j);
    }

    /// The rank of the earliest cube a - t over the masks t within `free`, and its mask.
    std::pair<std::uint32_t, offset_mask> earliest_around(index_t a, offset_mask free) const {
        const std::uint32_t* rank = order_.ranks().data();
        std::uint32_t best = none;
        offset_mask best_t = 0;
        for (offset_mask t = free;; t = (t - 1) & free) {
            if (lat_.can_go_down(a, t)) {
                const std::uint32_t r = rank[a - corner_offset_[t]];
                best_t = r < best ? t : best_t;
                best = r < best ? r : best;
            }
            if (t == 0) break;
        }
        return {best, best_t};
    }

    /// The rank of the earliest cube around every vertex.
    void find_earliest_cubes() {
        earliest_ = big_buffer<std::uint32_t>(static_cast<std::size_t>(lat_.n_vertices()));
        extreme_over_unit_cubes(lat_, order_.ranks().data(), earliest_.data(), true);
    }

    /// What a cube's union-find over its corners decides depends only on which corners are
    /// new: for each such mask, each new corner's target (an older corner, or the earliest new
    /// corner of a class that reaches none) and the edges that kill a class (bits by index).
    struct Settlement {
        std::array<std::uint8_t, 16> target;
        std::uint32_t negative;
    };
    std::vector<Settlement> settlement_;

    void build_settlements() {
        const int n_corners = 1 << d_;
        settlement_.resize(std::size_t{1} << n_corners);
        for (unsigned fresh = 1; fresh < settlement_.size(); ++fresh) {
            Settlement& out = settlement_[fresh];
            out.negative = 0;
            std::array<int, 16> parent{}, reached{};  // reached: an older corner, or -1
            for (int t = 0; t < n_corners; ++t) {
                parent[t] = t;
                reached[t] = (fresh >> t & 1u) != 0 ? -1 : t;
                out.target[t] = static_cast<std::uint8_t>(t);
            }
            auto find = [&](int x) {
                while (parent[x] != x) x = parent[x];
                return x;
            };
            for (std::size_t j = 0; j < cube_edge_.size(); ++j) {
                const int t = cube_edge_[j][0], u = t | 1 << cube_edge_[j][1];
                if (((fresh >> t | fresh >> u) & 1u) == 0) continue;  // two older corners
                int ra = find(t), rb = find(u);
                // A cycle, or two classes that reach older corners (Kruskal's).
                if (ra == rb || (reached[ra] >= 0 && reached[rb] >= 0)) continue;
                out.negative |= 1u << j;  // a class dies here
                if (reached[ra] < 0) std::swap(ra, rb);
                parent[rb] = ra;
            }
            for (int t = 0; t < n_corners; ++t) {
                if ((fresh >> t & 1u) == 0) continue;
                const int r = find(t);
                if (reached[r] >= 0) {
                    out.target[t] = static_cast<std::uint8_t>(reached[r]);
                    continue;
                }
                int root = t;  // the earliest new corner of its class (smallest offset)
                for (int x = 0; x < n_corners; ++x)
                    if (find(x) == r && corner_offset_[x] < corner_offset_[root]) root = x;
                out.target[t] = static_cast<std::uint8_t>(root);
            }
        }
    }

    /// The descent of every vertex (an older vertex, or itself for a basin's root), cube by
    /// cube from each cube's new corners; flags the edges that kill a new corner's class.
    void find_descents(CellFlags& negative_edges) {
        const index_t n = lat_.n_vertices();
        const std::uint32_t* rank = order_.ranks().data();
        const std::uint32_t* earliest = earliest_.data();
        desc_ = big_buffer<std::uint32_t>(static_cast<std::size_t>(n));
        std::uint32_t* desc = desc_.data();
        const int n_corners = 1 << d_;
        const std::array<index_t, 16> offset = corner_offset_;
        for (index_t a = 0; a < n; ++a) {
            poll_interrupt(static_cast<std::uint64_t>(a));
            const std::uint32_t r = rank[a];
            if (r == none) continue;
            unsigned fresh = 0;  // bit t: corner a + t comes with this cube
            for (int t = 0; t < n_corners; ++t)
                fresh |= static_cast<unsigned>(earliest[a + offset[t]] == r) << t;
            if (fresh == 0) continue;
            const Settlement& s = settlement_[fresh];
            for (unsigned m = fresh; m != 0; m &= m - 1) {
                const int t = std::countr_zero(m);
                desc[a + offset[t]] = static_cast<std::uint32_t>(a + offset[s.target[t]]);
            }
            if (negative_edges.empty()) continue;
            for (std::uint32_t m = s.negative; m != 0; m &= m - 1) {
                const auto [t, axis] = cube_edge_[std::countr_zero(m)];
                flag(negative_edges, a + offset[t], axis);
            }
        }
    }

    void flag(CellFlags& negative_edges, index_t anchor, int axis) const {
        if (!negative_edges.empty())
            negative_edges.set(anchor * n_edge_patterns_ + pattern_of_axis_[axis]);
    }

    /// The basin of v (see label_pointer_path).
    std::uint32_t label(index_t v) { return label_pointer_path(desc_.data(), v, minimum_, steps_); }

    /// Labels the basins (in input order) and keeps the earliest edge between each two
    /// adjacent basins (each edge seen from its lower end).
    bool label_and_collect() {
        const index_t n = lat_.n_vertices();
        const offset_mask full = lat_.patterns().full();
        for (index_t v = 0; v < n; ++v) {
            if ((v & 4095) == 0) {
                check_interrupt();
                if (saddles_.too_many(v, lat_.n_vertices())) return false;
            }
            const std::uint32_t b = label(v);
            for (int i = 0; i < d_; ++i) {
                if (!lat_.can_go_up(v, 1u << i)) continue;
                const std::uint32_t c = label(v + stride_[i]);
                if (c == b) continue;
                // The edge comes with the earliest cube around it, at its index there.
                const auto [rank, t] = earliest_around(v, full & ~(1u << i));
                saddles_.keep_earlier(b, c, rank * n_cube_edges_ + edge_index_[t][i]);
            }
        }
        return true;
    }

    /// Kruskal over the basins: the saddles in filtration order, the younger basin dying.
    void merge_saddles(GridPairSink& sink, CellFlags& negative_edges) {
        std::vector<std::uint64_t> age(minimum_.size());
        for (std::size_t b = 0; b < minimum_.size(); ++b)
            age[b] = std::uint64_t{earliest_[minimum_[b]]} << 32 |
                     static_cast<std::uint64_t>(minimum_[b]);
        const auto saddles = saddles_.by_place(
            std::bit_width(static_cast<std::uint64_t>(order_.n_entries()) * n_cube_edges_));
        const std::vector<bool> root = merge_basins(
            saddles, age, [&](const BasinSaddles::Saddle& s, std::uint32_t dying, std::uint32_t) {
                const index_t cube = order_.entry_at_rank(s.place / n_cube_edges_);
                const auto [corner, axis] = cube_edge_[s.place % n_cube_edges_];
                const index_t anchor = cube + corner_offset_[corner];
                const index_t v = minimum_[dying];
                sink.pair(0, v, anchor * n_edge_patterns_ + pattern_of_axis_[axis],
                          order_.entry_at_rank(earliest_[v]), cube);
                flag(negative_edges, anchor, axis);
            });
        for (index_t v : surviving_roots(root, minimum_)) sink.essential(0, v);
    }
};

}  // namespace calydon::detail
