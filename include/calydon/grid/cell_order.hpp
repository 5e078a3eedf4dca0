// calydon/grid/cell_order.hpp: values, critical entries and the filtration order of implicit
// grid cells.
//
// Data entries live on vertices (Freudenthal, cubical "vertices": a cell takes the latest of its
// vertices) or on top cells (cubical "cells": a cell takes the earliest top cell around it). Both
// are indexed here by a vertex of the lattice (a top cell by its anchor). A k-cell's critical entry
// is that latest / earliest entry; cells of one dimension are ordered by (rank of the critical
// entry, code), which is also the explicit filtration's order. The star of an entry is the set of
// cells whose critical entry it is: streaming stars in rank order streams the filtration.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include <optional>

#include "calydon/core/thread_pool.hpp"
#include "calydon/grid/lattice.hpp"
#include "calydon/grid/lower_star.hpp"
#include "calydon/grid/ranks.hpp"

namespace calydon {

/// A cell's position in the order of its dimension: smaller is earlier.
struct CellKey {
    std::uint32_t rank;
    index_t code;
    friend bool operator<(CellKey a, CellKey b) {
        return a.rank != b.rank ? a.rank < b.rank : a.code < b.code;
    }
    friend bool operator==(CellKey a, CellKey b) = default;
};

/// How a reduction stores keys: a CellKey as it is, or (when every code of the dimension fits
/// in 32 bits) packed in one word, rank above code, which orders the same with one compare and
/// takes half the memory.
struct WideKeys {
    using type = CellKey;
    static CellKey pack(CellKey k) { return k; }
    static CellKey unpack(CellKey k) { return k; }
};
struct PackedKeys {
    using type = std::uint64_t;
    static std::uint64_t pack(CellKey k) {
        return std::uint64_t{k.rank} << 32 | static_cast<std::uint64_t>(k.code);
    }
    static CellKey unpack(std::uint64_t w) {
        return {static_cast<std::uint32_t>(w >> 32), static_cast<index_t>(w & 0xFFFFFFFFu)};
    }
    static bool fits(index_t n_codes) { return n_codes <= index_t{0xFFFFFFFF}; }
};

class GridOrder {
public:
    static constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();

    /// `data` has the vertex grid's shape, or (values on top cells) one less per axis in a box
    /// and the same shape on a torus. The ranks and the star masks are filled by up to
    /// `n_threads` threads (each writes its own range of entries: the result is the same).
    GridOrder(const GridLattice& lattice, std::span<const value_t> data, bool negate,
              bool values_on_cells, int n_threads = 1)
        : lat_(&lattice), on_cells_(values_on_cells), n_threads_(n_threads) {
        std::vector<index_t> data_shape, anchor_strides;
        if (on_cells_ && !lattice.wrap()) {
            // Box with values on top cells: the sort yields the anchor vertex of each top cell
            // (anchors ascend with the data's flat index, so the order is the same).
            const int d = lattice.ndim();
            data_stride_.assign(d, 1);
            for (int i = d - 1; i >= 0; --i) {
                data_shape.push_back(lattice.shape()[i] - 1);
                if (i < d - 1) data_stride_[i] = data_stride_[i + 1] * (lattice.shape()[i + 1] - 1);
            }
            std::reverse(data_shape.begin(), data_shape.end());
            for (int i = 0; i < d; ++i) anchor_strides.push_back(lattice.stride(i));
        }
        entry_at_rank_ = entries_in_order(data, negate, n_threads, data_shape, anchor_strides);
        // Values on vertices: the scatter below writes every rank, so no zero fill first.
        rank_at_ = big_buffer<std::uint32_t>(data_shape.empty()
                                                 ? entry_at_rank_.size()
                                                 : static_cast<std::size_t>(lattice.n_vertices()));
        if (!data_shape.empty())
            std::fill(rank_at_.data(), rank_at_.data() + rank_at_.size(), none);
        in_chunks(entry_at_rank_.size(), [&](std::size_t first, std::size_t last) {
            for (std::size_t r = first; r < last; ++r)
                rank_at_[entry_at_rank_[r]] = static_cast<std::uint32_t>(r);
        });
        if (!lattice.wrap()) cache_star_masks(on_cells_);
    }

    const GridLattice& lattice() const { return *lat_; }
    /// The star tables (in a box), or null.
    const LowerStars* lower_stars() const { return lower_stars_ ? &*lower_stars_ : nullptr; }
    const big_buffer<std::uint32_t>& ranks() const { return rank_at_; }
    /// Hints the cache about an entry the streaming passes will reach soon (they visit entries
    /// in rank order, that is all over the grid).
    void prefetch(index_t e) const {
        __builtin_prefetch(&rank_at_[e]);
        if (lower_stars_) lower_stars_->prefetch(e);
    }
    bool values_on_cells() const { return on_cells_; }
    std::size_t n_entries() const { return entry_at_rank_.size(); }
    index_t entry_at_rank(std::size_t r) const { return entry_at_rank_[r]; }
    void prefetch_entry_at_rank(std::size_t r) const { __builtin_prefetch(&entry_at_rank_[r]); }
    std::uint32_t rank_of_entry(index_t e) const { return rank_at_[e]; }
    /// Flat data index of an entry (a vertex, or the anchor of a top cell).
    index_t data_index(index_t entry) const {
        if (data_stride_.empty()) return entry;
        // The anchor's coordinates in the data grid (one less per axis): computed, not stored,
        // since only reported pairs and the explicit builder ask.
        index_t flat = 0;
        for (int i = 0; i < lat_->ndim(); ++i)
            flat += (entry / lat_->stride(i) % lat_->shape()[i]) * data_stride_[i];
        return flat;
    }

    /// The critical entry of a k-cell.
    index_t critical(index_t code, int k) const {
        index_t best = -1;
        std::uint32_t best_rank = 0;
        if (!on_cells_) {
            // Distinct vertices have distinct ranks. Selects rather than branches: the branch
            // on a rank just loaded mispredicts often, and a mispredict holds back the loads of
            // the next vertices (most are cache misses in the reductions).
            lat_->for_each_vertex(code, k, [&](index_t v) {
                const std::uint32_t r = rank_at_[v];
                const bool later = best < 0 || r > best_rank;
                best = later ? v : best;
                best_rank = later ? r : best_rank;
            });
            return best;
        }
        for_each_top_cell_around(code, k, [&](index_t a) {
            if (best < 0 || rank_at_[a] < best_rank) best = a, best_rank = rank_at_[a];
        });
        return best;
    }
    CellKey key(index_t code, int k) const { return {rank_at_[critical(code, k)], code}; }
    /// Calls f(key, critical entry) for each cofacet of a k-cell. With values on vertices of a
    /// box, a cofacet's latest vertex is the cell's or one of the vertices it adds: two loads
    /// per square of an edge instead of four (the cohomology reductions' main cost).
    template <class F>
    void for_each_cofacet_key(index_t code, int k, F&& f) const {
        if (on_cells_ || lat_->wrap()) {
            lat_->for_each_cofacet(code, k, [&](index_t c) {
                const index_t e = critical(c, k + 1);
                f(CellKey{rank_at_[e], c}, e);
            });
            return;
        }
        const index_t own = critical(code, k), anchor = lat_->anchor_of(code, k);
        lat_->for_each_cofacet_with_new_vertices(
            code, k, [&](index_t c, const index_t* added, int n_added) {
                index_t e = own;
                std::uint32_t r = rank_at_[own];
                for (int j = 0; j < n_added; ++j) {  // selects, as critical() does
                    const index_t v = anchor + added[j];
                    const bool later = rank_at_[v] > r;
                    e = later ? v : e;
                    r = later ? rank_at_[v] : r;
                }
                f(CellKey{r, c}, e);
            });
    }

    /// The k-cells whose critical entry is `e`, ascending by code (appended to `out`).
    void star(index_t e, int k, std::vector<index_t>& out) const {
        if (lower_stars_) return lower_stars_->star(e, k, lower_stars_->lower(e, k, rank_at_), out);
        const std::size_t first = out.size();
        const std::uint32_t r = rank_at_[e];
        if (!on_cells_) {
            lat_->for_each_cell_through(e, k, [&](index_t c) {
                bool latest = true;
                lat_->for_each_vertex(c, k, [&](index_t v) { latest &= rank_at_[v] <= r; });
                if (latest) out.push_back(c);
            });
        } else {
            const auto& pats = lat_->patterns();
            const offset_mask full = pats.full();
            for (int p = 0; p < lat_->n_patterns(k); ++p) {
                const offset_mask free = full & ~pats.reach[k][p];
                for (offset_mask t = free;; t = (t - 1) & free) {
                    const index_t c = lat_->code(lat_->up(e, t), k, p);
                    if (critical(c, k) == e) out.push_back(c);
                    if (t == 0) break;
                }
            }
        }
        std::sort(out.begin() + static_cast<std::ptrdiff_t>(first), out.end());
        out.erase(std::unique(out.begin() + static_cast<std::ptrdiff_t>(first), out.end()),
                  out.end());
    }

private:
    /// Calls f(first, last) on n_threads_ ranges that split [0, n).
    template <class F>
    void in_chunks(std::size_t n, F&& f) const {
        const auto chunks = static_cast<std::size_t>(std::max(n_threads_, 1));
        parallel_for(static_cast<index_t>(chunks), n_threads_, [&](index_t c) {
            const auto i = static_cast<std::size_t>(c);
            f(n * i / chunks, n * (i + 1) / chunks);
        });
    }
    void cache_star_masks(bool on_cells) {
        lower_stars_.emplace(*lat_, on_cells);
        if (!lower_stars_->prepare_masks(rank_at_.size())) return;
        in_chunks(rank_at_.size(), [&](std::size_t first, std::size_t last) {
            lower_stars_->cache_masks_in(rank_at_, first, last);
        });
    }

    /// Calls f(anchor) for each top cell containing a cubical k-cell.
    template <class F>
    void for_each_top_cell_around(index_t code, int k, F&& f) const {
        const GridLattice& lat = *lat_;
        const index_t a = lat.anchor_of(code, k);
        const offset_mask free =
            lat.patterns().full() & ~lat.patterns().reach[k][lat.pattern_of(code, k)];
        for (offset_mask t = free;; t = (t - 1) & free) {
            if (lat.can_go_down(a, t)) {
                const index_t b = lat.down(a, t);
                if (rank_at_[b] != none) f(b);
            }
            if (t == 0) break;
        }
    }

    const GridLattice* lat_;
    bool on_cells_;
    int n_threads_;
    big_buffer<std::uint32_t> entry_at_rank_;
    big_buffer<std::uint32_t> rank_at_;
    std::vector<index_t> data_stride_;       // values on cells of a box: strides of the data grid
    std::optional<LowerStars> lower_stars_;  // in a box only
};

}  // namespace calydon
