// calydon/grid/basin_dual_vertices.hpp: the top dimension of a cubical box with values on its
// vertices, through ascent basins (basin_dual.hpp does values on cubes).
//
// A cube and a face take the value of their latest vertex. The cubes whose latest vertex is v
// (the *new* cubes around v) come with v's star, backwards before the faces of that star, and
// meet nothing but those faces until the star is done. What a union-find over the cubes around
// v (along the faces through v, in backward order) decides depends only on which of them are
// new: a table over those masks (256 rows around a vertex of a volume) gives each new cube the
// older cube (or the outside) it joins, or the latest new cube of a class that reaches none.
// Those are the ascents; Kruskal along the latest face between two basins does the rest, as
// for values on cubes. The latest vertex of every cube is a maximum over a window of two along
// each axis in turn.
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

class BasinDualVertices {
public:
    /// A cubical box of 2 or 3 dimensions with values on its vertices, without zero-persistence
    /// pairs.
    static bool applies(const GridOrder& order, const GridPairSink& sink) {
        const GridLattice& lat = order.lattice();
        return !order.values_on_cells() && !lat.wrap() &&
               lat.patterns().kind == GridComplexKind::cubical &&
               (lat.ndim() == 2 || lat.ndim() == 3) && !sink.keeps_zero_persistence() &&
               lat.n_vertices() < (index_t{1} << 30);
    }

    explicit BasinDualVertices(const GridOrder& order) : order_(order), lat_(order.lattice()) {
        build_tables();
        build_settlements();
    }

    /// Reports the pairs ((d-1)-face, top cube) to `sink`; or, on a rough field, gives up early
    /// and returns false, having reported nothing.
    bool run(GridPairSink& sink) {
        if (many_local_maxima(order_)) return false;
        find_latest_vertices();
        // More than one basin per 16 cubes: rough after all (the sample missed it).
        if (find_ascents() * 16 > static_cast<index_t>(order_.n_entries())) return false;
        if (!label_and_collect()) return false;
        merge_saddles(sink);
        return true;
    }

private:
    static constexpr std::uint32_t labelled = 0x80000000u;    // cube and basin ids stay below
    static constexpr std::uint32_t to_outside = 0x7FFFFFFFu;  // an ascent out of the box
    static constexpr std::uint32_t outside = 0;               // the outside's basin

    const GridOrder& order_;
    const GridLattice& lat_;
    int d_ = 0;
    index_t n_face_patterns_ = 0;
    offset_mask full_ = 0;
    std::array<int, GridLattice::max_ndim> face_pattern_{};  // axis -> pattern of faces across it
    std::array<index_t, GridLattice::max_ndim> stride_{};
    std::array<index_t, 8> corner_offset_{};  // mask -> grid offset
    /// The faces through a vertex v, as (t, axis): between the cubes v - t and v - t - e_axis
    /// (t without the axis), anchored at v - t; by code; and [t][axis] -> index.
    std::vector<std::array<int, 2>> star_face_;
    std::array<std::array<std::uint8_t, 3>, 8> star_index_{};
    /// Per mask of new cubes around a vertex: each new cube's target (a cube mask around it).
    std::vector<std::array<std::uint8_t, 8>> settlement_;
    big_buffer<std::uint32_t> latest_;  // cube anchor -> rank of its latest vertex
    big_buffer<std::uint32_t> ascent_;  // cube anchor -> its ascent, then labelled | basin id
    std::vector<index_t> maximum_;      // basin id -> its root cube (the outside's: -1)
    BasinSaddles saddles_;              // place: last key - (vertex rank * faces + index)
    std::uint64_t steps_ = 0;

    void build_tables();
    void build_settlements();

    bool cube_at(index_t v, offset_mask t) const {  // the cube v - t lies in the box
        return lat_.can_go_down(v, t) && lat_.can_go_up(v - corner_offset_[t], full_);
    }
    std::uint64_t last_key() const { return order_.n_entries() * star_face_.size() - 1; }

    void find_latest_vertices();
    index_t find_ascents();
    std::uint32_t label(index_t a);
    bool label_and_collect();
    void merge_saddles(GridPairSink& sink);
};

inline void BasinDualVertices::build_tables() {
    d_ = lat_.ndim();
    n_face_patterns_ = lat_.n_patterns(d_ - 1);
    full_ = lat_.patterns().full();
    for (int i = 0; i < d_; ++i) {
        stride_[i] = lat_.offset_of(1u << i);
        int q = 0;
        while (lat_.patterns().reach[d_ - 1][q] != (full_ & ~(1u << i))) ++q;
        face_pattern_[i] = q;
    }
    for (offset_mask t = 0; t <= full_; ++t) corner_offset_[t] = lat_.offset_of(t);
    for (int t = 0; t <= static_cast<int>(full_); ++t)
        for (int i = 0; i < d_; ++i)
            if ((t >> i & 1) == 0) star_face_.push_back({t, i});
    auto code = [&](const std::array<int, 2>& f) {  // relative to v * n_face_patterns
        return -corner_offset_[f[0]] * n_face_patterns_ + face_pattern_[f[1]];
    };
    std::sort(star_face_.begin(), star_face_.end(),
              [&](const auto& a, const auto& b) { return code(a) < code(b); });
    for (std::size_t j = 0; j < star_face_.size(); ++j)
        star_index_[star_face_[j][0]][star_face_[j][1]] = static_cast<std::uint8_t>(j);
}

/// The union-find over the cubes around a vertex, for every mask of new ones (the top of the
/// file): along the faces through the vertex, latest first.
inline void BasinDualVertices::build_settlements() {
    const int n_cubes = 1 << d_;
    settlement_.resize(std::size_t{1} << n_cubes);
    for (unsigned fresh = 1; fresh < settlement_.size(); ++fresh) {
        std::array<int, 8> parent{}, reached{};  // reached: an older cube (mask), or -1
        for (int t = 0; t < n_cubes; ++t) {
            parent[t] = t;
            reached[t] = (fresh >> t & 1u) != 0 ? -1 : t;
        }
        auto find = [&](int x) {
            while (parent[x] != x) x = parent[x];
            return x;
        };
        for (auto it = star_face_.rbegin(); it != star_face_.rend(); ++it) {
            const int t = (*it)[0], u = t | 1 << (*it)[1];
            if (((fresh >> t | fresh >> u) & 1u) == 0) continue;  // two older cubes: global
            int ra = find(t), rb = find(u);
            if (ra == rb || (reached[ra] >= 0 && reached[rb] >= 0)) continue;
            if (reached[ra] < 0) std::swap(ra, rb);  // ra: the side that may reach older
            parent[rb] = ra;
        }
        auto& out = settlement_[fresh];
        for (int t = 0; t < n_cubes; ++t) {
            out[t] = static_cast<std::uint8_t>(t);
            if ((fresh >> t & 1u) == 0) continue;
            const int r = find(t);
            if (reached[r] >= 0) {
                out[t] = static_cast<std::uint8_t>(reached[r]);
                continue;
            }
            for (int x = 0; x < n_cubes; ++x)  // the latest new cube: the smallest offset
                if (find(x) == r && corner_offset_[x] < corner_offset_[out[t]])
                    out[t] = static_cast<std::uint8_t>(x);
        }
    }
}

/// latest_[a]: the rank of the latest corner of the cube anchored at a.
inline void BasinDualVertices::find_latest_vertices() {
    latest_ = big_buffer<std::uint32_t>(static_cast<std::size_t>(lat_.n_vertices()));
    extreme_over_unit_cubes(lat_, order_.ranks().data(), latest_.data(), false);
}

/// Every cube's ascent (an older cube, the outside, or itself for a basin's root), vertex by
/// vertex from the new cubes around it; returns the number of roots.
inline index_t BasinDualVertices::find_ascents() {
    const index_t n = lat_.n_vertices();
    const std::uint32_t* rank = order_.ranks().data();
    ascent_ = big_buffer<std::uint32_t>(static_cast<std::size_t>(n));
    const int n_cubes = 1 << d_;
    index_t roots = 0;
    for (index_t v = 0; v < n; ++v) {
        poll_interrupt(static_cast<std::uint64_t>(v));
        // The cube v - t lies in the box when v has room down along t and up along the rest:
        // one read of v's room instead of two per cube.
        const offset_mask down = lat_.room_down(v), up = lat_.room_up(v);
        unsigned fresh = 0;  // bit t: the cube v - t has v as its latest vertex
        for (int t = 0; t < n_cubes; ++t)
            fresh |= static_cast<unsigned>((t & ~down) == 0 && (full_ & ~t & ~up) == 0 &&
                                           latest_[v - corner_offset_[t]] == rank[v])
                     << t;
        for (unsigned m = fresh; m != 0; m &= m - 1) {
            const int t = std::countr_zero(m), to = settlement_[fresh][t];
            roots += to == t;
            ascent_[v - corner_offset_[t]] =
                cube_at(v, static_cast<offset_mask>(to))
                    ? static_cast<std::uint32_t>(v - corner_offset_[to])
                    : to_outside;
        }
    }
    return roots;
}

/// The basin of the cube at a: up the ascents to a labelled cube, a root or the outside, then
/// the path labelled on the way back.
inline std::uint32_t BasinDualVertices::label(index_t a) {
    return label_pointer_path(ascent_.data(), a, maximum_, steps_, to_outside, outside);
}

/// Labels the basins (cube by cube in input order) and keeps the latest face between each two
/// adjacent basins (each inner face seen from the cube below it).
inline bool BasinDualVertices::label_and_collect() {
    const index_t n = lat_.n_vertices();
    const std::uint32_t* rank = order_.ranks().data();
    maximum_.assign(1, -1);  // basin 0 is the outside's
    const auto n_faces = static_cast<std::uint64_t>(star_face_.size());
    index_t visited = 0;
    for (index_t a = 0; a < n; ++a) {
        if (!lat_.can_go_up(a, full_)) continue;  // no cube anchored here
        if ((++visited & 4095) == 0) {
            check_interrupt();
            if (saddles_.too_many(visited, n)) return false;
        }
        const std::uint32_t b = label(a);
        for (int i = 0; i < d_; ++i) {
            for (int upper = 0; upper < 2; ++upper) {
                const index_t f = upper ? a + stride_[i] : a;  // the face's anchor
                index_t across = -1;
                if (upper && lat_.can_go_up(f, full_)) across = f;
                if (!upper && lat_.can_go_down(a, 1u << i)) continue;  // seen from below
                const std::uint32_t c = across < 0 ? outside : label(across);
                if (c == b) continue;
                // The face's key: its latest vertex, then its index in that vertex's star.
                const offset_mask span = full_ & ~(1u << i);
                std::uint32_t best = 0;
                offset_mask best_s = 0;
                for (offset_mask s = span;; s = (s - 1) & span) {
                    const std::uint32_t r = rank[f + corner_offset_[s]];
                    best_s = r > best ? s : best_s;
                    best = r > best ? r : best;
                    if (s == 0) break;
                }
                const std::uint64_t key = best * n_faces + star_index_[best_s][i];
                saddles_.keep_earlier(b, c, last_key() - key);  // backwards: latest first
            }
        }
    }
    return true;
}

/// Kruskal over the basins backwards: the earlier basin dies (the outside never does).
inline void BasinDualVertices::merge_saddles(GridPairSink& sink) {
    const auto n_faces = static_cast<std::uint64_t>(star_face_.size());
    std::vector<std::uint64_t> age(maximum_.size(), 0);  // smaller: older
    for (std::size_t b = 1; b < maximum_.size(); ++b)
        age[b] =
            ~(std::uint64_t{latest_[maximum_[b]]} << 32 | static_cast<std::uint64_t>(maximum_[b]));
    const auto saddles = saddles_.by_place(std::bit_width(last_key()));
    merge_basins(
        saddles, age, [&](const BasinSaddles::Saddle& s, std::uint32_t dying, std::uint32_t) {
            const std::uint64_t key = last_key() - s.place;
            const index_t u = order_.entry_at_rank(key / n_faces);
            const auto [t, axis] = star_face_[key % n_faces];
            const index_t face = (u - corner_offset_[t]) * n_face_patterns_ + face_pattern_[axis];
            const index_t cube = maximum_[dying];
            sink.pair(d_ - 1, face, lat_.code(cube, d_, 0), u, order_.entry_at_rank(latest_[cube]));
        });
}

}  // namespace calydon::detail
