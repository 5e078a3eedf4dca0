// calydon/grid/basin_dual.hpp: the top dimension of a cubical box with values on its top
// cells, through ascent basins (the dual of basin_h0.hpp; the shared part is basin_merges.hpp).
//
// The dual pass joins top cells across their (d-1)-faces in backward filtration order: a node
// per top cube and one for the outside, older than all. A face takes the value of the earlier of
// its two cubes (or of its one cube on the boundary), so a cube's earliest face backwards is,
// when the cube has an older neighbour or a face on the boundary, one to such a neighbour: the
// cube is alone until then and dies there at zero persistence. Contracting those faces leaves
// one basin per local maximum plus the outside's basin, and the merges are those of Kruskal over
// the basins along the latest face between each two (a smooth 64^3 volume: a few hundred
// basins). The keys are the cubes' own ranks: nothing is read but the rank array, in input
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

class BasinDual {
public:
    /// A cubical box of 3 or 4 dimensions with values on its top cells, without
    /// zero-persistence pairs. (The pass is right in 2-D too, but there the stream's star
    /// tables are faster: 1024^2, 24 against 25 ms; a 64^3 volume: 8.2 against 10.9 ms.)
    static bool applies(const GridOrder& order, const GridPairSink& sink) {
        const GridLattice& lat = order.lattice();
        return order.values_on_cells() && !lat.wrap() &&
               lat.patterns().kind == GridComplexKind::cubical && lat.ndim() >= 3 &&
               !sink.keeps_zero_persistence() && lat.n_vertices() < (index_t{1} << 31) - 1;
    }

    explicit BasinDual(const GridOrder& order) : order_(order), lat_(order.lattice()) {
        build_face_table();
    }

    /// Reports the pairs ((d-1)-face, top cube) to `sink`; or, on a rough field, gives up early
    /// and returns false, having reported nothing.
    bool run(GridPairSink& sink) {
        if (!label_and_collect()) return false;
        merge_saddles(sink);
        return true;
    }

private:
    static constexpr std::uint32_t unlabelled = 0xFFFFFFFFu;
    static constexpr std::uint32_t on_path = 0x80000000u;  // basin ids stay below
    static constexpr std::uint32_t outside = 0;            // the outside's basin
    static constexpr std::uint32_t none = GridOrder::none;

    /// A face of the cube anchored at a: code (a + anchor) * n_face_patterns + pattern, the
    /// cube across it a + across (when it exists), by code.
    struct Face {
        index_t anchor, across;
        int pattern, axis;
        bool upper;  // across the upper side of `axis`
    };

    const GridOrder& order_;
    const GridLattice& lat_;
    std::vector<Face> faces_;          // 2d faces by code
    std::vector<int> opposite_;        // face index -> the same face seen from across
    big_buffer<std::uint32_t> basin_;  // cube anchor -> basin id
    std::vector<index_t> maximum_;     // basin id -> its latest cube (outside: none)
    BasinSaddles saddles_;             // place: last key - (star cube's rank * 2d + index)
    std::uint64_t steps_ = 0;          // up ascent paths, for Ctrl-C

    void build_face_table() {
        const int d = lat_.ndim(), np = lat_.n_patterns(d - 1);
        const offset_mask full = lat_.patterns().full();
        for (int axis = 0; axis < d; ++axis) {
            int q = 0;
            while (lat_.patterns().reach[d - 1][q] != (full & ~(1u << axis))) ++q;
            const index_t step = lat_.offset_of(1u << axis);
            faces_.push_back({0, -step, q, axis, false});
            faces_.push_back({step, step, q, axis, true});
        }
        std::sort(faces_.begin(), faces_.end(), [&](const Face& a, const Face& b) {
            return a.anchor * np + a.pattern < b.anchor * np + b.pattern;
        });
        opposite_.resize(faces_.size());
        for (std::size_t j = 0; j < faces_.size(); ++j)
            for (std::size_t i = 0; i < faces_.size(); ++i)
                if (faces_[i].axis == faces_[j].axis && faces_[i].upper != faces_[j].upper)
                    opposite_[j] = static_cast<int>(i);
    }

    /// The cube across face f of the cube at a, or -1 for the outside.
    index_t across(index_t a, const Face& f, const std::uint32_t* rank) const {
        if (!f.upper) return lat_.can_go_down(a, 1u << f.axis) ? a + f.across : -1;
        return rank[a + f.across] != none ? a + f.across : -1;
    }

    /// The basin of cube a, labelling its ascent path as basin_h0.hpp does its descents: the
    /// latest face (by code) to an older cube or to the outside leads up.
    std::uint32_t label(index_t a, const std::uint32_t* rank, std::uint32_t* basin) {
        if (basin[a] != unlabelled) return basin[a];
        index_t c = a;
        while (basin[c] == unlabelled) {
            poll_interrupt(++steps_);
            int up = -1;
            index_t next = -1;
            for (int j = static_cast<int>(faces_.size()) - 1; j >= 0; --j) {
                next = across(c, faces_[j], rank);
                if (next < 0 || rank[next] > rank[c]) {
                    up = j;
                    break;
                }
            }
            if (up < 0) {  // a local maximum: a new basin
                basin[c] = static_cast<std::uint32_t>(maximum_.size());
                maximum_.push_back(c);
            } else if (next < 0) {  // up to the outside
                basin[c] = outside;
            } else {
                basin[c] = on_path | static_cast<std::uint32_t>(up);
                c = next;
            }
        }
        const std::uint32_t id = basin[c];
        for (index_t x = a; (basin[x] & on_path) != 0;) {
            const index_t step = faces_[basin[x] & ~on_path].across;
            basin[x] = id;
            x += step;
        }
        return id;
    }

    /// Labels the basins (cube by cube in input order) and keeps the latest face between each
    /// two adjacent basins (each inner face seen from the cube below it).
    bool label_and_collect() {
        const index_t n = lat_.n_vertices();
        const std::uint32_t* rank = order_.ranks().data();
        basin_ = big_buffer<std::uint32_t>(static_cast<std::size_t>(n));
        std::uint32_t* basin = basin_.data();
        std::fill(basin, basin + n, unlabelled);
        maximum_.assign(1, -1);  // basin 0 is the outside's
        const auto n_faces = static_cast<std::uint64_t>(faces_.size());
        index_t visited = 0;
        for (index_t a = 0; a < n; ++a) {
            if (rank[a] == none) continue;  // no cube anchored here
            if ((++visited & 4095) == 0) {
                check_interrupt();
                if (saddles_.too_many(visited, static_cast<index_t>(order_.n_entries())))
                    return false;
            }
            const std::uint32_t b = label(a, rank, basin);
            for (std::size_t j = 0; j < faces_.size(); ++j) {
                const index_t other = across(a, faces_[j], rank);
                if (!faces_[j].upper && other >= 0) continue;  // seen from the cube below
                const std::uint32_t c = other < 0 ? outside : label(other, rank, basin);
                if (c == b) continue;
                // The face's key: the earlier of its cubes (its star), then its index there.
                const std::uint64_t key = other < 0 || rank[a] < rank[other]
                                              ? rank[a] * n_faces + j
                                              : rank[other] * n_faces + opposite_[j];
                saddles_.keep_earlier(b, c, last_key() - key);  // backwards: latest first
            }
        }
        return true;
    }

    std::uint64_t last_key() const { return order_.n_entries() * faces_.size() - 1; }

    /// Kruskal over the basins backwards: the earlier basin dies (the outside never does).
    void merge_saddles(GridPairSink& sink) {
        const auto& rank = order_.ranks();
        const int d = lat_.ndim();
        const index_t np = lat_.n_patterns(d - 1);
        const auto n_faces = static_cast<std::uint64_t>(faces_.size());
        std::vector<std::uint64_t> age(maximum_.size(), 0);  // smaller: older
        for (std::size_t b = 1; b < maximum_.size(); ++b)
            age[b] = ~std::uint64_t{rank[maximum_[b]]};
        const auto saddles = saddles_.by_place(std::bit_width(last_key()));
        merge_basins(saddles, age,
                     [&](const BasinSaddles::Saddle& s, std::uint32_t dying, std::uint32_t) {
                         const std::uint64_t key = last_key() - s.place;
                         const index_t star = order_.entry_at_rank(key / n_faces);
                         const Face& f = faces_[key % n_faces];
                         const index_t top = maximum_[dying];
                         sink.pair(d - 1, (star + f.anchor) * np + f.pattern, lat_.code(top, d, 0),
                                   star, top);
                     });
    }
};

}  // namespace calydon::detail
