// calydon/reduction/lockfree_block.hpp: one block of columns reduced by several threads at once.
//
// The design of Morozov and Nigmetov ("Towards lockfree persistent homology", SPAA 2020): the
// threads take columns from a shared counter and reduce them against a pivot table of atomics
// (row -> the column owning it). A column's current state (R_j with its V_j) is published as an
// immutable snapshot before the column claims a row, so another thread that finds the row owned
// reads a consistent column. When a row is owned by a later column, the earlier column takes it
// over (a compare-and-swap) and the displaced column is reduced again by the same thread. Every
// addition adds an earlier column whose snapshot still ends at the row being eliminated, so
// R = D V with V upper unitriangular throughout, and at the end every non-zero column owns its
// low: the result is a reduction, with the pairs of the serial one (the pairing of a filtration
// is unique) for any thread count. R and V differ from the serial ones; restore_canonical_v
// brings V back to the unique ELZ form. An owner only ever moves to a smaller column, so the
// compare-and-swaps have no ABA problem and the reduction terminates. Snapshots are kept until
// the block ends (no reclamation while other threads may read them). A column that claims its
// low before any addition (most columns of cubical and alpha complexes) publishes no copy: its
// latest state is a shared marker meaning "R_c = D_c, V_c = e_c", read from the matrix itself,
// so such a column costs what it costs in the serial loop (no allocation, no copy).
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <deque>
#include <limits>
#include <memory>
#include <mutex>
#include <span>
#include <unordered_map>
#include <vector>

#include "calydon/core/interrupt.hpp"
#include "calydon/core/thread_pool.hpp"
#include "calydon/core/types.hpp"
#include "calydon/matrix/sparse_columns.hpp"

namespace calydon {

/// R_j and V_j of a block column as published by the thread reducing it.
struct ColumnSnapshot {
    std::vector<index_t> r, v;
};

/// The parallel reduction of the columns [begin, end). `pre_block_pivot[row]`: the owner of row
/// before the block (no_index: none); such owners are earlier than the block and read through
/// `add_pre_block(p, r, v, scratch)`, which adds R_p (and V_p when V is kept). `skipped(j)`:
/// the column is cleared.
class LockFreeBlock {
public:
    LockFreeBlock(const SparseColumns& m, index_t begin, index_t end, bool keep_v,
                  std::span<const index_t> pre_block_pivot, index_t batch = 64)
        : m_(&m), begin_(begin), end_(end), batch_(std::max<index_t>(batch, 1)), keep_v_(keep_v),
          next_(begin), pre_block_pivot_(pre_block_pivot),
          latest_(new std::atomic<ColumnSnapshot*>[end - begin]) {
        // The table covers the rows of the block's columns (additions within the block stay
        // there); a row outside, brought in by a pre-block column, is rare: a locked map.
        index_t lo = std::numeric_limits<index_t>::max(), hi = -1;
        for (index_t j = begin; j < end; ++j) {
            auto c = m.column(j);
            if (!c.empty()) lo = std::min(lo, c.front()), hi = std::max(hi, c.back());
        }
        first_row_ = hi < lo ? 0 : lo;
        n_rows_ = hi < lo ? 0 : hi - lo + 1;
        owner_.reset(new std::atomic<index_t>[n_rows_]);
        for (index_t k = 0; k < n_rows_; ++k)
            owner_[k].store(pre_block_pivot[first_row_ + k], std::memory_order_relaxed);
        for (index_t k = 0; k < end - begin; ++k)
            latest_[k].store(nullptr, std::memory_order_relaxed);
    }

    template <class Skipped, class AddPreBlock>
    void run(int n_threads, Skipped&& skipped, AddPreBlock&& add_pre_block) {
        kept_.resize(std::max(n_threads, 1));
        parallel_for(static_cast<index_t>(kept_.size()), n_threads, [&](index_t worker) {
            Worker w(kept_[worker]);
            // Columns are taken in small batches: one shared counter bumped per column, and
            // neighbouring snapshot slots written by different threads, would cost more than
            // the occasional extra displacement a batch causes.
            for (index_t first = next_.fetch_add(batch_); first < end_;
                 first = next_.fetch_add(batch_)) {
                for (index_t j = first; j < std::min(first + batch_, end_); ++j) {
                    if (skipped(j)) continue;
                    for (index_t c = j; c != no_index;) c = reduce(c, w, add_pre_block);
                }
            }
        });
    }

    /// The final state of block column j (null: cleared, never reduced), to be moved from.
    /// Only after run(); a zero column without V may share one empty snapshot, and a column
    /// never added to shares the marker of matrix_column_kept().
    ColumnSnapshot* final_column(index_t j) const {
        return latest_[j - begin_].load(std::memory_order_relaxed);
    }
    /// Whether column j ended as it started: R_j = D_j (possibly zero) and V_j = e_j.
    bool matrix_column_kept(index_t j) const { return final_column(j) == &untouched_; }

private:
    struct Worker {
        explicit Worker(std::deque<ColumnSnapshot>& kept) : kept(kept) {}
        std::deque<ColumnSnapshot>& kept;  // stable addresses, freed with the block
        std::vector<index_t> r, v, scratch;
        bool touched = false;  // whether r and v differ from D_c and e_c
        std::uint64_t ticks = 0;
    };

    /// Reduces column c until it is zero or owns its low; returns a column it displaced from
    /// that row (to be reduced again), or no_index.
    template <class AddPreBlock>
    index_t reduce(index_t c, Worker& w, AddPreBlock& add_pre_block) {
        load(c, w);
        while (true) {
            poll_interrupt(++w.ticks);
            if (w.r.empty()) {
                // Nobody reads a zero column but the final pass: without V, no copy at all.
                if (!w.touched) mark_untouched(c);
                else if (keep_v_) publish(c, w);
                else latest_[c - begin_].store(&zero_, std::memory_order_release);
                return no_index;
            }
            const index_t row = w.r.back();
            index_t p = owner(row).load(std::memory_order_acquire);
            if (p == no_index || p > c) {
                if (!w.touched) {  // R_c = D_c: the marker, no copy (w keeps the column)
                    mark_untouched(c);
                    if (claim(row, p, c)) return p;
                    continue;
                }
                // Published before the claim, so a reader of the new owner sees R_c.
                const ColumnSnapshot& mine = publish(c, w);
                if (claim(row, p, c)) return p;  // no_index, or the displaced later column
                w.r = mine.r;  // the row changed hands meanwhile: take the column back, retry
                w.v = mine.v;
                continue;
            }
            if (p == c) return no_index;  // defensive: c already owns its low
            if (p < begin_) {
                add_pre_block(p, w.r, w.v, w.scratch);
                w.touched = true;
                continue;
            }
            const ColumnSnapshot* sp = latest_[p - begin_].load(std::memory_order_acquire);
            if (sp == nullptr) continue;
            const bool kept = sp == &untouched_;
            const std::span<const index_t> rp = kept ? m_->column(p) : sp->r;
            // p may have been displaced and changed since the table was read: then its low is
            // no longer `row`, and the table is read again.
            if (rp.empty() || rp.back() != row) continue;
            add_column(w.r, rp, w.scratch);
            if (keep_v_) {
                const index_t unit[1] = {p};
                add_column(w.v, kept ? std::span<const index_t>(unit) : sp->v, w.scratch);
            }
            w.touched = true;
        }
    }

    std::atomic<index_t>& owner(index_t row) {
        const index_t k = row - first_row_;
        if (k >= 0 && k < n_rows_) return owner_[k];
        std::lock_guard<std::mutex> lock(outside_mutex_);
        auto [it, fresh] = outside_.try_emplace(row);
        if (fresh) it->second.store(pre_block_pivot_[row], std::memory_order_relaxed);
        return it->second;  // node-based map: the reference stays valid
    }

    bool claim(index_t row, index_t& expected, index_t c) {
        return owner(row).compare_exchange_strong(expected, c, std::memory_order_acq_rel);
    }

    void load(index_t c, Worker& w) const {
        const ColumnSnapshot* s = latest_[c - begin_].load(std::memory_order_acquire);
        w.touched = s != nullptr && s != &untouched_;
        if (w.touched) {
            w.r = s->r;
            w.v = s->v;
            return;
        }
        auto src = m_->column(c);
        w.r.assign(src.begin(), src.end());
        w.v.clear();
        if (keep_v_) w.v.push_back(c);
    }

    void mark_untouched(index_t c) {
        latest_[c - begin_].store(&untouched_, std::memory_order_release);
    }

    /// Moves the worker's column into a new snapshot and makes it column c's latest.
    const ColumnSnapshot& publish(index_t c, Worker& w) {
        ColumnSnapshot& s = w.kept.emplace_back(ColumnSnapshot{std::move(w.r), std::move(w.v)});
        latest_[c - begin_].store(&s, std::memory_order_release);
        return s;
    }

    const SparseColumns* m_;
    index_t begin_, end_, batch_;
    bool keep_v_;
    std::atomic<index_t> next_;
    std::span<const index_t> pre_block_pivot_;
    index_t first_row_ = 0, n_rows_ = 0;
    std::unique_ptr<std::atomic<index_t>[]> owner_;
    std::mutex outside_mutex_;
    std::unordered_map<index_t, std::atomic<index_t>> outside_;
    std::unique_ptr<std::atomic<ColumnSnapshot*>[]> latest_;
    std::vector<std::deque<ColumnSnapshot>> kept_;
    ColumnSnapshot zero_, untouched_;
};

}  // namespace calydon
