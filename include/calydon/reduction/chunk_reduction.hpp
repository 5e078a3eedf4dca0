// calydon/reduction/chunk_reduction.hpp: phase 1 of the chunked parallel column reduction.
//
// A block of columns is cut into contiguous chunks, one per thread. Each chunk is reduced on its
// own, against the pivots of its earlier columns and the pivots fixed before the block started
// (both read-only to the other chunks), and its partially reduced columns are kept. Phase 2 (in
// ColumnReduction) then finishes the columns left to right against the global pivot table.
// Every addition in either phase adds a column with a smaller index, so R = D V with V upper
// unitriangular throughout and the final R is a reduction: the pairs are exactly those of the
// serial run, whatever the thread count (the pairing of a filtration is unique). R and V differ
// from the serial ones; restore_canonical_v brings V back to the unique ELZ form.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <span>
#include <unordered_map>
#include <utility>
#include <vector>

#include "calydon/core/interrupt.hpp"
#include "calydon/core/types.hpp"
#include "calydon/matrix/sparse_columns.hpp"

namespace calydon {

inline std::atomic<long> g_adds1{0}, g_adds2{0}, g_len1{0}, g_len2{0};

/// The columns of one chunk after phase 1, R_j and V_j as far as the chunk could reduce them,
/// packed in two arenas (one allocation per chunk rather than two per column).
class PartialChunk {
public:
    PartialChunk(index_t begin, index_t end)
        : begin_(begin), end_(end), slots_(static_cast<std::size_t>(end - begin)) {}

    index_t begin() const { return begin_; }
    index_t end() const { return end_; }
    /// Phase 1 saw column j (it was not cleared when the block started).
    bool reduced(index_t j) const { return slot(j).reduced; }
    /// Some column was added to column j (V_j != e_j).
    bool touched(index_t j) const { return slot(j).touched; }
    std::span<const index_t> r(index_t j) const {
        return {r_pool_.data() + slot(j).r_first, slot(j).r_size};
    }
    std::span<const index_t> v(index_t j) const {
        return {v_pool_.data() + slot(j).v_first, slot(j).v_size};
    }
    void store(index_t j, const std::vector<index_t>& r, const std::vector<index_t>& v,
               bool touched) {
        Slot& s = slots_[j - begin_];
        s = {r_pool_.size(), r.size(), v_pool_.size(), v.size(), true, touched};
        r_pool_.insert(r_pool_.end(), r.begin(), r.end());
        v_pool_.insert(v_pool_.end(), v.begin(), v.end());
    }

private:
    struct Slot {
        std::size_t r_first = 0, r_size = 0, v_first = 0, v_size = 0;
        bool reduced = false, touched = false;
    };
    const Slot& slot(index_t j) const { return slots_[j - begin_]; }

    index_t begin_, end_;
    std::vector<Slot> slots_;
    std::vector<index_t> r_pool_, v_pool_;
};

/// Pivot rows of one chunk's columns, on the range of rows its columns touch.
class ChunkPivots {
public:
    ChunkPivots(const SparseColumns& m, index_t begin, index_t end) {
        index_t lo = std::numeric_limits<index_t>::max(), hi = -1;
        for (index_t j = begin; j < end; ++j) {
            auto c = m.column(j);
            if (c.empty()) continue;
            lo = std::min(lo, c.front());  // columns are ascending
            hi = std::max(hi, c.back());
        }
        // Local additions keep rows inside [lo, hi]; only a column of an earlier block can bring
        // rows outside it, rare enough for a hash map.
        first_ = hi < lo ? 0 : lo;
        owner_.assign(hi < lo ? 0 : static_cast<std::size_t>(hi - lo + 1), no_index);
    }
    index_t owner(index_t row) const {
        const index_t k = row - first_;
        if (k >= 0 && k < static_cast<index_t>(owner_.size())) return owner_[k];
        auto it = outside_.find(row);
        return it == outside_.end() ? no_index : it->second;
    }
    void set_owner(index_t row, index_t col) {
        const index_t k = row - first_;
        if (k >= 0 && k < static_cast<index_t>(owner_.size())) owner_[k] = col;
        else outside_[row] = col;
    }

private:
    index_t first_ = 0;
    std::vector<index_t> owner_;
    std::unordered_map<index_t, index_t> outside_;
};

/// Phase 1 for the columns of `chunk`. `skipped(j)`: the column is cleared and left alone.
/// `global_pivot(row)`: the column that owned `row` before the block started (no_index: none).
/// `add_global(p, r, v, scratch)`: adds R_p (and, when keep_v, V_p) of such a column. Runs on a
/// worker of the shared pool; reads only what the block's other chunks do not write.
template <class Skipped, class GlobalPivot, class AddGlobal>
void reduce_chunk_locally(const SparseColumns& m, bool keep_v, Skipped&& skipped,
                          GlobalPivot&& global_pivot, AddGlobal&& add_global, PartialChunk& chunk) {
    ChunkPivots local(m, chunk.begin(), chunk.end());
    std::vector<index_t> r, v, scratch;
    std::uint64_t ticks = 0;
    for (index_t j = chunk.begin(); j < chunk.end(); ++j) {
        poll_interrupt(++ticks);
        if (skipped(j)) continue;
        auto src = m.column(j);
        r.assign(src.begin(), src.end());
        v.clear();
        if (keep_v) v.push_back(j);
        bool touched = false;
        while (!r.empty()) {
            const index_t row = r.back();
            poll_interrupt(++ticks);
            const index_t q = local.owner(row);
            if (q != no_index) {
                add_column(r, chunk.r(q), scratch);
                if (keep_v) add_column(v, chunk.v(q), scratch);
            } else {
                const index_t p = global_pivot(row);
                if (p == no_index) break;
                add_global(p, r, v, scratch);
            }
            touched = true;
        }
        if (!r.empty()) local.set_owner(r.back(), j);
        chunk.store(j, r, v, touched);
    }
}

/// [begin, end) of chunk c when `n` columns from `first` are cut into `n_chunks` near-equal parts.
inline std::pair<index_t, index_t> chunk_range(index_t first, index_t n, index_t n_chunks,
                                               index_t c) {
    return {first + n * c / n_chunks, first + n * (c + 1) / n_chunks};
}

}  // namespace calydon
