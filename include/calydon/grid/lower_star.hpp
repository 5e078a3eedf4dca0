// calydon/grid/lower_star.hpp: the star masks of the data entries of a box, from their ranks.
//
// The mask of an entry has one bit per neighbour offset in {-1,0,1}^d: the neighbours that allow
// a cell into the entry's star (earlier vertices, or cubes that are later or missing; see
// star_tables.hpp for the tables that turn a mask into cells). In 1-D to 3-D the masks are
// computed once for all entries, a run of entries with one room at a time (vectorised), and kept
// in a byte or a word per entry; in 4-D they are computed when asked.
#pragma once

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "calydon/core/interrupt.hpp"
#include "calydon/grid/big_vector.hpp"
#include "calydon/grid/lattice.hpp"
#include "calydon/grid/star_tables.hpp"

namespace calydon {

class LowerStars : public StarTables {
public:
    using StarTables::StarTables;

    /// Up to three axes a vertex's mask (without the bit of the vertex itself) is computed once,
    /// in memory order. In 3-D it shares 4 bytes with the vertex's room (the axes with a
    /// neighbour above and below), so the dual pass reads one record per entry; in 1-D and 2-D
    /// the mask alone fits in a byte (a smaller footprint measured faster than a shared record).
    /// Sizes the records of n entries (none in 4-D, where masks are computed when asked); then
    /// cache_masks_in fills them.
    bool prepare_masks(std::size_t n) {
        const int d = lat_->ndim();
        packed8_ = {};
        packed32_ = {};
        if (d > 3) return false;
        // Not zero-filled: cache_masks_in writes every record.
        if (d <= 2) packed8_ = big_buffer<std::uint8_t>(n);
        else packed32_ = big_buffer<std::uint32_t>(n);
        return true;
    }
    /// The records of entries [first, last) (disjoint ranges may be filled in parallel).
    void cache_masks_in(const big_buffer<std::uint32_t>& rank, std::size_t first,
                        std::size_t last) {
        if (lat_->ndim() <= 2) return cache_masks_into(packed8_, rank, first, last);
        cache_masks_into(packed32_, rank, first, last);
    }

private:
    /// The records of a run of n entries with one room: a neighbour's bit is set where it is
    /// earlier (values on vertices) or later (on cubes) than the entry; `base` holds the room and
    /// the bits of the neighbours the run lacks.
    template <class Word>
    void fill_run(Word* __restrict w, const std::uint32_t* __restrict r, std::size_t n,
                  const std::vector<std::pair<index_t, int>>& inner, Word base) const {
        for (std::size_t i = 0; i < n; ++i) w[i] = base;
        for (const auto& [offset, bit] : inner) {
            const std::uint32_t* __restrict other = r + offset;
            const auto set = static_cast<Word>(Word{1} << bit);
            if (on_cells_)
                for (std::size_t i = 0; i < n; ++i) w[i] |= other[i] < r[i] ? 0 : set;
            else
                for (std::size_t i = 0; i < n; ++i) w[i] |= other[i] < r[i] ? set : 0;
        }
    }

    /// The neighbours an entry with this room has (offset, packed bit), and the packed bits that
    /// stand for the ones it lacks (values on cubes: a missing cube counts as later).
    struct RoomNeighbours {
        std::vector<std::pair<index_t, int>> present;
        std::uint32_t missing_bits = 0;
    };
    RoomNeighbours neighbours_with_room(offset_mask up, offset_mask down) const {
        RoomNeighbours out;
        for (const Neighbour& nb : tables_[lat_->ndim() - 1].neighbours) {
            const int bit = nb.bit < center_bit() ? nb.bit : nb.bit - 1;
            if ((nb.up & ~up) == 0 && (nb.down & ~down) == 0)
                out.present.push_back({nb.offset, bit});
            else if (on_cells_) out.missing_bits |= std::uint32_t{1} << bit;
        }
        return out;
    }

    /// Entries along a row share their room but at the row's two ends, so the records are
    /// filled a run of entries with one room at a time: one compare per neighbour and entry,
    /// neighbour by neighbour (a loop the compiler vectorises), written straight into its
    /// packed bit. The neighbour lists of each room are built once per call (at most 3^d).
    template <class Word>
    void cache_masks_into(big_buffer<Word>& out, const big_buffer<std::uint32_t>& rank,
                          std::size_t first, std::size_t last) const {
        const int d = lat_->ndim();
        std::vector<std::optional<RoomNeighbours>> by_room(std::size_t{1} << (2 * d));
        for (std::size_t e = first; e < last;) {
            poll_interrupt(e);
            const auto v = static_cast<index_t>(e);
            const offset_mask up = lat_->room_up(v), down = lat_->room_down(v);
            if (rank[e] == no_rank) {  // no cube anchored here
                out[e] = static_cast<Word>(pack(0, up, down));
                ++e;
                continue;
            }
            // The run of entries with this room (with values on cubes they all have a cube:
            // an entry has one exactly when it has room up along every axis).
            std::size_t end = e + 1;
            while (end < last && lat_->room_up(static_cast<index_t>(end)) == up &&
                   lat_->room_down(static_cast<index_t>(end)) == down)
                ++end;
            auto& nbs = by_room[up | (down << d)];
            if (!nbs) nbs = neighbours_with_room(up, down);
            // A byte (1-D, 2-D) keeps the mask bits only: the room bits above it are cut.
            fill_run(out.data() + e, rank.data() + e, end - e, nbs->present,
                     static_cast<Word>(pack(0, up, down) | nbs->missing_bits));
            e = end;
        }
    }

public:
    void prefetch(index_t e) const {
        if (!packed8_.empty()) __builtin_prefetch(&packed8_[e]);
        else if (!packed32_.empty()) __builtin_prefetch(&packed32_[e]);
    }

    /// The mask of entry e among the neighbours a k-star looks at: earlier vertices, or cubes
    /// that are missing or later.
    neighbour_bits lower(index_t e, int k, const big_buffer<std::uint32_t>& rank) const {
        if (const auto word = packed(e)) return unpack_mask(*word);
        return compute(e, tables_[k], rank);
    }
    /// The axes along which e has a neighbour (up, down), from the same record when cached.
    std::pair<offset_mask, offset_mask> room(index_t e) const {
        if (packed32_.empty()) return {lat_->room_up(e), lat_->room_down(e)};
        return room_of_record(packed32_[e]);
    }
    neighbour_bits compute(index_t e, const Table& table,
                           const big_buffer<std::uint32_t>& rank) const {
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

    /// The 1-D and 2-D mask bytes of every entry (null in 3-D and 4-D), their bit count, and the
    /// mask a byte stands for.
    const std::uint8_t* masks8() const { return packed8_.empty() ? nullptr : packed8_.data(); }
    int mask_bits() const {
        int n = 1;
        for (int i = 0; i < lat_->ndim(); ++i) n *= 3;
        return n - 1;
    }
    neighbour_bits mask_of_record(std::uint32_t word) const { return unpack_mask(word); }
    /// The 3-D records of every entry (null in the other dimensions): the mask bits without the
    /// centre, then the room. `needs_in_record` puts a cell's needs in the same layout, so that
    /// (needs & ~record) == 0 tests membership; `room_of_record` reads the room back.
    const std::uint32_t* records32() const {
        return packed32_.empty() ? nullptr : packed32_.data();
    }
    std::uint32_t needs_in_record(neighbour_bits needs) const { return pack(needs, 0, 0); }
    std::pair<offset_mask, offset_mask> room_of_record(std::uint32_t word) const {
        const int d = lat_->ndim(), nb = mask_bits();
        return {(word >> nb) & ((1u << d) - 1), (word >> (nb + d)) & ((1u << d) - 1)};
    }

private:
    static constexpr std::uint32_t no_rank = 0xFFFFFFFFu;

    /// The neighbour bits are 0 .. 3^d - 1; the middle one (the vertex itself) is never set.
    int center_bit() const { return (mask_bits()) / 2; }
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

    big_buffer<std::uint8_t> packed8_;    // 1-D and 2-D: the mask of every vertex
    big_buffer<std::uint32_t> packed32_;  // 3-D
};

}  // namespace calydon
