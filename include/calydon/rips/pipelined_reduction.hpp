// calydon/rips/pipelined_reduction.hpp: the cohomology reduction of one dimension on threads.
//
// Every thread claims columns in order and reduces each tentatively against the columns already
// final (their pivots are in the map, which one thread fills while the others read it). One
// thread, the finisher, makes the columns final in column order: a tentative column whose pivot
// is still free is final as it is; one whose pivot a column finished meanwhile is resumed from
// its kept coboundary and reduced further. Only earlier columns are ever added, so every pivot is
// the serial reduction's (the pairing of a filtration is unique), and columns are recorded in
// order: the output is the serial one. Between its finishing steps the finisher reduces columns
// ahead like the others, so no thread waits at a barrier; claims stay within a window ahead of
// the last final column, which bounds the tentative columns kept.
//
// Each thread also reduces its columns against its own earlier ones that are not final yet
// (provisional_chain.hpp). A column x < j that j did not see can change j only by owning j's
// last pivot, which the finishing step checks; and a chain column that changed when it was made
// final (resumed, or itself redone) makes every column that read it redo its reduction from the
// start. Both keep the output the serial one.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <limits>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

#include "calydon/core/thread_pool.hpp"
#include "calydon/rips/column_worker.hpp"
#include "calydon/rips/provisional_chain.hpp"

namespace calydon {

/// A column reduced against the columns final when it was reduced: its pivot then, its V column
/// and its working coboundary (not built for an emergent pivot, dropped when long), kept in case
/// it must resume.
struct TentativeColumn {
    DiamIndex pivot{};
    bool has_pivot = false, emergent = false, coboundary_dropped = false;
    std::vector<DiamIndex> v, coboundary;
    std::vector<index_t> used;  // the columns of its thread's chain it read
};

/// The longest working coboundary (heap entries) a tentative column keeps for its resume (16 MiB):
/// a longer one is dropped, and should the column resume, rebuilt from its V column.
inline constexpr std::size_t default_kept_coboundary_limit = std::size_t{1} << 20;

/// Knobs that change how much work is redone, never the output. Tests use the non-default ones
/// to make rare paths run every time.
struct PipelineOptions {
    std::size_t kept_coboundary_limit = default_kept_coboundary_limit;
    bool redo_every_chained_column = false;  // as if every chain column changed when final
};

/// What a pipelined reduction had to redo: columns resumed from V because their coboundary had
/// been dropped, and columns reduced again because a chain column they read changed.
struct PipelineCounts {
    std::size_t recomputed = 0, redone = 0;
};

/// Reduces r.columns on up to workers.size() threads; record(i, column) is called for i = 0, 1,
/// ... in order, on one thread, and must publish the column (r.v, then r.pivots).
template <class Worker, class Record>
class PipelinedReduction {
public:
    PipelinedReduction(ReducedColumns& r, dim_t dim, std::vector<Worker>& workers, Record& record,
                       PipelineOptions options)
        : r_(r), dim_(dim), workers_(workers), record_(record), options_(options),
          n_(static_cast<index_t>(r.columns.size())),
          n_workers_(
              std::min<index_t>(static_cast<index_t>(workers.size()), std::max<index_t>(n_, 1))),
          window_(ahead_per_worker * n_workers_), slots_(window_), chains_(n_workers_),
          changed_(static_cast<std::size_t>(n_), 0) {}

    PipelineCounts run() {
        parallel_for(n_workers_, static_cast<int>(n_workers_), [&](index_t role) {
            index_t column = 0;
            try {
                // Role 0 is the first item claimed, so it always runs on a running thread.
                if (role == 0) finish_all(workers_[0], column);
                else reduce_ahead_all(workers_[role], role, column);
            } catch (...) {
                std::lock_guard<std::mutex> lock(mutex_);
                if (column < error_column_) {
                    error_column_ = column;
                    error_ = std::current_exception();
                }
                failed_.store(true, std::memory_order_relaxed);
            }
        });
        if (error_) std::rethrow_exception(error_);
        return counts_;
    }

private:
    // The window: the further ahead a column is reduced, the likelier an earlier column takes its
    // pivot meanwhile, and the resume is serial work (on o3_1024, 1% of the H1 columns resume at
    // 8 per worker, 7% at 32). But a resume starts from the kept coboundary, while a short
    // window leaves the other threads idle behind one long column: 64 ran o3_1024 1.06x and
    // 1,000 points in R^9 1.12x faster than 8 (interleaved, two threads).
    static constexpr index_t ahead_per_worker = 64;
    // A slot's coboundary buffer above this (entries) is freed once its column is final, so
    // that slots do not each keep a buffer as large as the longest column they held (before,
    // 2.3x the serial peak memory on R^9: 21 against 9 MB).
    static constexpr std::size_t released_capacity = std::size_t{1} << 12;

    struct Slot {
        TentativeColumn column;
        std::atomic<index_t> ready{no_index};  // the column whose tentative result is here
    };

    void finish_all(Worker& w, index_t& column) {
        std::uint64_t ticks = 0;
        int idle = 0;
        for (index_t f = 0; f < n_ && !failed_.load(std::memory_order_relaxed);) {
            poll_interrupt(++ticks);
            if (slots_[f % window_].ready.load(std::memory_order_acquire) == f) {
                finish(w, column = f++);
                idle = 0;
            } else if (claim(column)) {
                reduce_ahead(w, 0, column);
                idle = 0;
            } else {
                wait(idle);  // another thread holds column f
            }
        }
    }

    void reduce_ahead_all(Worker& w, index_t role, index_t& column) {
        std::uint64_t ticks = 0;
        int idle = 0;
        while (!failed_.load(std::memory_order_relaxed) &&
               next_.load(std::memory_order_relaxed) < n_) {
            poll_interrupt(++ticks);
            if (claim(column)) {
                reduce_ahead(w, role, column);
                idle = 0;
            } else {
                wait(idle);  // the window is full
            }
        }
    }

    /// Yields at first, then sleeps in short steps, so that a thread waiting behind one long
    /// column does not hold a core.
    static void wait(int& idle) {
        if (++idle < 8) std::this_thread::yield();
        else std::this_thread::sleep_for(std::chrono::microseconds(100));
    }

    bool claim(index_t& i) {
        i = next_.load(std::memory_order_relaxed);
        while (i < n_ && i < finished_.load(std::memory_order_acquire) + window_)
            if (next_.compare_exchange_weak(i, i + 1, std::memory_order_acq_rel)) return true;
        return false;
    }

    void reduce_ahead(Worker& w, index_t role, index_t i) {
        Slot& slot = slots_[i % window_];
        TentativeColumn& t = slot.column;
        ProvisionalChain& chain = chains_[role];
        t.used.clear();
        const ChainView seen(r_, finished_, chain, t.used);
        t.has_pivot = w.start(r_.columns[i], dim_, seen, t.pivot, t.emergent);
        if (t.has_pivot && !t.emergent) t.has_pivot = w.reduce_until_free(seen, dim_, t.pivot);
        t.v.clear();
        w.drain_v(t.v);
        chain.add(i, t.has_pivot, t.pivot, t.v, finished_.load(std::memory_order_acquire));
        const std::span<const DiamIndex> coboundary = w.coboundary_items();
        t.coboundary_dropped = coboundary.size() > options_.kept_coboundary_limit;
        if (t.coboundary_dropped) t.coboundary.clear();
        else t.coboundary.assign(coboundary.begin(), coboundary.end());
        slot.ready.store(i, std::memory_order_release);
    }

    void finish(Worker& w, index_t i) {
        TentativeColumn& t = slots_[i % window_].column;
        if (std::any_of(t.used.begin(), t.used.end(), [&](index_t k) {
                return changed_[k] || options_.redo_every_chained_column;
            })) {
            redo(w, i, t);  // it read a chain column that changed: from the start
        } else if (t.has_pivot && r_.pivots.contains(t.pivot.index)) {  // taken: reduce further
            counts_.recomputed += t.coboundary_dropped ? 1 : 0;
            if (t.emergent || t.coboundary_dropped) w.restart(r_.columns[i], dim_, t.v, t.pivot);
            else w.resume(t.coboundary, t.v);
            t.has_pivot = w.reduce_until_free(r_, dim_, t.pivot);
            t.v.clear();
            w.drain_v(t.v);
            changed_[i] = 1;  // its pivot moved on: a chain column that read it is redone
        }
        record_(i, static_cast<const TentativeColumn&>(t));
        if (t.coboundary.capacity() > released_capacity)
            std::vector<DiamIndex>().swap(t.coboundary);
        finished_.store(i + 1, std::memory_order_release);
    }

    void redo(Worker& w, index_t i, TentativeColumn& t) {
        ++counts_.redone;
        const bool had_pivot = t.has_pivot;
        const DiamIndex old_pivot = t.pivot;
        previous_v_.swap(t.v);
        t.has_pivot =
            w.restart(r_.columns[i], dim_, {}, t.pivot) && w.reduce_until_free(r_, dim_, t.pivot);
        t.v.clear();
        w.drain_v(t.v);
        const auto same = [](const DiamIndex& a, const DiamIndex& b) { return a.index == b.index; };
        changed_[i] =
            t.has_pivot != had_pivot || (t.has_pivot && t.pivot.index != old_pivot.index) ||
            !std::equal(t.v.begin(), t.v.end(), previous_v_.begin(), previous_v_.end(), same);
    }

    ReducedColumns& r_;
    const dim_t dim_;
    std::vector<Worker>& workers_;
    Record& record_;
    const PipelineOptions options_;
    const index_t n_, n_workers_, window_;
    std::vector<Slot> slots_;
    std::vector<ProvisionalChain> chains_;  // one per role, each touched by its thread only
    // Written by the finisher only: counts_, the columns that changed when made final, and the
    // previous V of a column redone.
    PipelineCounts counts_;
    std::vector<char> changed_;
    std::vector<DiamIndex> previous_v_;
    std::atomic<index_t> next_{0}, finished_{0};
    std::atomic<bool> failed_{false};
    std::mutex mutex_;
    std::exception_ptr error_;
    index_t error_column_ = std::numeric_limits<index_t>::max();
};

template <class Worker, class Record>
PipelineCounts pipelined_reduction(ReducedColumns& r, dim_t dim, std::vector<Worker>& workers,
                                   Record&& record, PipelineOptions options = {}) {
    return PipelinedReduction<Worker, std::remove_reference_t<Record>>(r, dim, workers, record,
                                                                       options)
        .run();
}

}  // namespace calydon
