// calydon/reduction/column_reduction.hpp: the standard Z/2 column reduction with clearing.
//
// Serial left to right by default; with ReductionOptions::n_threads > 1, a large block whose
// columns need real work is reduced by the lock-free parallel reduction of lockfree_block.hpp
// (the same pairs). Which blocks need work is measured on the block itself: it is reduced
// serially a probe at a time, and once a probe's columns added enough entries on average the
// rest of the block goes to the threads. A block whose columns mostly own their low at once
// (apparent pairs, after clearing: nearly all of a cubical or alpha complex) stays serial, where
// such a column costs a copy of nothing; on threads it would cost atomics and a final pass.
#pragma once

#include <algorithm>
#include <span>
#include <utility>
#include <vector>

#include "calydon/core/interrupt.hpp"
#include "calydon/core/thread_pool.hpp"
#include "calydon/core/types.hpp"
#include "calydon/matrix/sparse_columns.hpp"
#include "calydon/reduction/column_blocks.hpp"
#include "calydon/reduction/column_store.hpp"
#include "calydon/reduction/lockfree_block.hpp"

namespace calydon {

struct ReductionOptions {
    bool clearing = true;
    /// Keep every reduced column (R for the whole matrix), not just the pivot columns.
    bool keep_all_columns = false;
    /// Threads of the shared pool per block (1: the serial left-to-right reduction). The pairs
    /// are the same for every count; R and V are another valid decomposition (see
    /// lockfree_block.hpp), and restore_canonical_v makes V canonical again.
    int n_threads = 1;
    /// Blocks with fewer columns are reduced serially (threads would cost more than they save).
    index_t min_parallel_columns = 4096;
    /// Columns a thread takes at a time (1 interleaves the threads most, which tests want).
    index_t parallel_batch = 64;
    /// Entries added per reduced column, averaged over one probe, from which the rest of a block
    /// goes to threads (0: a block large enough goes to threads at once, as tests want). Probes
    /// of bench_threads.py's inputs: a 48^3 cubical block adds under 1 entry per column, a 10k
    /// alpha block under 7 (both faster serial), a clique complex's 3-simplices 2 at first,
    /// then 30 to 3500 (where 2 threads run 1.7-1.9x faster).
    index_t min_parallel_work = 16;
    /// Columns reduced serially between two looks at the work (a look costs nothing).
    index_t parallel_probe = 1024;
};

/// Reduced matrix state: pivots always, R columns for pivots (or all), V for the blocks that ask
/// for it. The working columns live in a ColumnStore; the algorithm never owns their storage.
template <ColumnStore Store = VectorColumnStore>
class ColumnReduction {
public:
    explicit ColumnReduction(const SparseColumns& matrix, ReductionOptions opts = {})
        : m_(&matrix), opts_(opts), pivot_col_of_row_(matrix.n_columns(), no_index),
          low_of_col_(matrix.n_columns(), no_index), cleared_(matrix.n_columns(), 0),
          r_is_d_(matrix.n_columns(), 0), r_(matrix.n_columns()) {}

    /// Marks columns known to be zero after reduction (e.g. found by a union-find fast path).
    void mark_cleared(index_t col) { cleared_[col] = 1; }
    /// Undoes a mark (also one left by the twist), so the column is reduced after all.
    void unmark_cleared(index_t col) { cleared_[col] = 0; }
    /// Records a pivot found elsewhere, so reductions of other blocks see the row as owned.
    void set_known_pivot(index_t row, index_t col) {
        pivot_col_of_row_[row] = col;
        low_of_col_[col] = row;
    }

    void reduce_blocks(std::span<const ColumnBlock> blocks) {
        check_interrupt();  // a call cancelled before it started stops at once, whatever its size
        for (const ColumnBlock& b : blocks) {
            if (!worth_threads(b.end - b.begin)) reduce_range_serially(b, b.begin, b.end);
            else if (opts_.min_parallel_work <= 0) reduce_block_in_parallel(b);
            else reduce_block_adaptively(b);
        }
    }

    /// Whether some block was reduced by several threads (its V is then not the ELZ form even
    /// without clearing).
    bool reduced_in_parallel() const { return reduced_in_parallel_; }

    index_t low(index_t col) const { return low_of_col_[col]; }
    index_t pivot_column_of_row(index_t row) const { return pivot_col_of_row_[row]; }
    index_t n_columns() const { return m_->n_columns(); }
    /// Whether column j's V was kept (its block asked for V).
    bool has_v(index_t j) const { return !has_v_.empty() && has_v_[j] != 0; }

    /// Reduced column R_j (empty when it reduced to zero or was never stored). A column that
    /// owns its low without any addition is not copied: R_j is then D_j, read from the matrix.
    std::span<const index_t> r_column(index_t j) const {
        return r_is_d_[j] ? m_->column(j) : r_.column(j);
    }
    /// V_j; a column never touched has V_j = e_j.
    std::vector<index_t> v_column(index_t j) const {
        if (has_v_.empty() || !v_.contains(j)) return {j};
        auto c = v_.column(j);
        return {c.begin(), c.end()};
    }
    /// The mutation point for passes that rewrite V after the reduction (the canonical ELZ form):
    /// replaces V_j, which must keep R = D V (the caller updates R alongside when it changes).
    void set_v_column(index_t j, std::vector<index_t> col) {
        allocate_v()[j] = 1;
        v_.assign(j, std::move(col));
    }
    void set_r_column(index_t j, std::vector<index_t> col) {
        r_is_d_[j] = 0;
        r_.assign(j, std::move(col));
    }

private:
    /// V storage exists only once some block asks for it (a slot per column is 8 bytes each).
    std::vector<char>& allocate_v() {
        if (has_v_.empty()) {
            has_v_.assign(m_->n_columns(), 0);
            v_ = Store(m_->n_columns());
        }
        return has_v_;
    }

    bool worth_threads(index_t n_columns) const {
        return opts_.n_threads > 1 && n_columns >= std::max<index_t>(opts_.min_parallel_columns, 1);
    }

    /// Serial, a probe of columns at a time, until a probe's reduced columns added at least
    /// min_parallel_work entries each on average; the rest of the block, when still large
    /// enough, then goes to the threads (its earlier columns are pivots known before it).
    void reduce_block_adaptively(const ColumnBlock& b) {
        const index_t probe = std::max<index_t>(opts_.parallel_probe, 1);
        for (index_t j = b.begin; j < b.end;) {
            const index_t stop = std::min(j + probe, b.end);
            const std::uint64_t entries_before = added_entries_;
            const index_t reduced = reduce_range_serially(b, j, stop);
            const std::uint64_t added = added_entries_ - entries_before;
            j = stop;
            const bool heavy =
                reduced > 0 && added >= static_cast<std::uint64_t>(opts_.min_parallel_work) *
                                            static_cast<std::uint64_t>(reduced);
            if (heavy && worth_threads(b.end - j)) {
                reduce_block_in_parallel({j, b.end, b.keep_v});
                return;
            }
        }
    }

    /// The columns [first, stop) of block b, left to right; returns how many were reduced (not
    /// skipped by clearing).
    index_t reduce_range_serially(const ColumnBlock& b, index_t first, index_t stop) {
        std::vector<index_t> col, vcol, scratch;
        index_t reduced = 0;
        for (index_t j = first; j < stop; ++j) {
            poll_interrupt(++ticks_);
            if (b.keep_v) allocate_v()[j] = 1;
            if (opts_.clearing && cleared_[j]) {
                if (b.keep_v) set_cleared_v(j);
                continue;
            }
            auto src = m_->column(j);
            col.assign(src.begin(), src.end());
            if (b.keep_v) vcol.assign(1, j);
            finish_column(j, b.keep_v, col, vcol, false, scratch);
            ++reduced;
        }
        return reduced;
    }

    /// The block on the shared pool (lockfree_block.hpp), then a left-to-right pass that records
    /// the pivots, R and V as the serial loop does (clearing and the cleared columns' V too).
    void reduce_block_in_parallel(const ColumnBlock& b) {
        reduced_in_parallel_ = true;
        const bool keep_v = b.keep_v;
        if (keep_v) allocate_v();  // before the workers read the V store
        LockFreeBlock block(*m_, b.begin, b.end, keep_v, pivot_col_of_row_, opts_.parallel_batch);
        block.run(
            opts_.n_threads, [&](index_t j) { return opts_.clearing && cleared_[j] != 0; },
            [&](index_t p, std::vector<index_t>& r, std::vector<index_t>& v,
                std::vector<index_t>& scratch) {
                add_column(r, r_column(p), scratch);
                if (keep_v) add_v(v, p, scratch);
            });
        for (index_t j = b.begin; j < b.end; ++j) {
            poll_interrupt(++ticks_);
            if (keep_v) has_v_[j] = 1;
            ColumnSnapshot* s = block.final_column(j);
            if (s == nullptr) {  // cleared before the block, so skipped by the workers
                if (keep_v) set_cleared_v(j);
                continue;
            }
            if (block.matrix_column_kept(j)) {  // R_j = D_j, V_j = e_j: nothing to move
                const auto d = m_->column(j);
                if (!d.empty()) record_pivot(d.back(), j);
                r_is_d_[j] = 1;
                continue;
            }
            if (!s->r.empty()) record_pivot(s->r.back(), j);
            if (keep_v && s->v.size() > 1) v_.assign(j, std::move(s->v));
            if (!s->r.empty() || opts_.keep_all_columns) r_.assign(j, std::move(s->r));
        }
    }

    void record_pivot(index_t row, index_t j) {
        pivot_col_of_row_[row] = j;
        low_of_col_[j] = row;
        if (opts_.clearing && row < static_cast<index_t>(cleared_.size())) cleared_[row] = 1;
    }

    /// Reduces `col` (= D vcol, partially reduced already when `touched`) against the pivots of
    /// the earlier columns and records column j's pivot, R_j and V_j.
    void finish_column(index_t j, bool keep_v, std::vector<index_t>& col,
                       std::vector<index_t>& vcol, bool touched, std::vector<index_t>& scratch) {
        while (!col.empty()) {
            index_t p = pivot_col_of_row_[col.back()];
            if (p == no_index) break;
            poll_interrupt(++ticks_);  // a single column can take seconds when columns grow long
            const auto rp = r_column(p);
            add_column(col, rp, scratch);
            added_entries_ += rp.size();
            if (keep_v) add_v(vcol, p, scratch);
            touched = true;
        }
        if (!col.empty()) record_pivot(col.back(), j);
        // An untouched column is its matrix column: no copy (the most common case by far on
        // cubical and alpha complexes, where a copy per column was most of the time).
        if (!touched) r_is_d_[j] = 1;
        else if (!col.empty() || opts_.keep_all_columns) r_.assign(j, col);
        if (keep_v && touched) v_.assign(j, vcol);
    }

    void add_v(std::vector<index_t>& vcol, index_t p, std::vector<index_t>& scratch) {
        if (!v_.contains(p)) {
            const index_t single[1] = {p};
            add_column(vcol, single, scratch);
        } else {
            add_column(vcol, v_.column(p), scratch);
        }
    }

    /// A cleared column j is the pivot row of some column c, and R_c is a cycle: taking V_j = R_c
    /// gives R_j = D R_c = 0 (Bauer's trick), so V stays a valid R = D V decomposition.
    void set_cleared_v(index_t j) {
        index_t c = pivot_col_of_row_[j];
        if (c == no_index) return;
        auto rc = r_column(c);
        v_.assign(j, std::vector<index_t>(rc.begin(), rc.end()));
    }

    const SparseColumns* m_;
    ReductionOptions opts_;
    std::vector<index_t> pivot_col_of_row_, low_of_col_;
    std::vector<char> cleared_, has_v_;
    std::vector<char> r_is_d_;  // R_j = D_j (never added to): read from the matrix, not stored
    std::uint64_t ticks_ = 0;
    std::uint64_t added_entries_ = 0;  // entries of R columns added by the serial loop
    bool reduced_in_parallel_ = false;
    Store r_, v_;
};

}  // namespace calydon
