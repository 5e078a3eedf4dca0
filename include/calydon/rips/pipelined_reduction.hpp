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
#pragma once

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

namespace calydon {

/// A column reduced against the columns final when it was reduced: its pivot then, its V column
/// and its working coboundary (not built for an emergent pivot, dropped when long), kept in case
/// it must resume.
struct TentativeColumn {
    DiamIndex pivot{};
    bool has_pivot = false, emergent = false, coboundary_dropped = false;
    std::vector<DiamIndex> v, coboundary;
};

/// Reduces r.columns on up to workers.size() threads; record(i, column) is called for i = 0, 1,
/// ... in order, on one thread, and must publish the column (r.v, then r.pivots).
template <class Worker, class Record>
class PipelinedReduction {
public:
    PipelinedReduction(ReducedColumns& r, dim_t dim, std::vector<Worker>& workers, Record& record,
                       std::size_t kept_coboundary_limit)
        : r_(r), dim_(dim), workers_(workers), record_(record),
          kept_coboundary_limit_(kept_coboundary_limit), n_(static_cast<index_t>(r.columns.size())),
          n_workers_(
              std::min<index_t>(static_cast<index_t>(workers.size()), std::max<index_t>(n_, 1))),
          window_(ahead_per_worker * n_workers_), slots_(window_) {}

    /// Returns how many columns resumed from V because their coboundary had been dropped.
    std::size_t run() {
        parallel_for(n_workers_, static_cast<int>(n_workers_), [&](index_t role) {
            index_t column = 0;
            try {
                // Role 0 is the first item claimed, so it always runs on a running thread.
                if (role == 0) finish_all(workers_[0], column);
                else reduce_ahead_all(workers_[role], column);
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
        return recomputed_;
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
                reduce_ahead(w, column);
                idle = 0;
            } else {
                wait(idle);  // another thread holds column f
            }
        }
    }

    void reduce_ahead_all(Worker& w, index_t& column) {
        std::uint64_t ticks = 0;
        int idle = 0;
        while (!failed_.load(std::memory_order_relaxed) &&
               next_.load(std::memory_order_relaxed) < n_) {
            poll_interrupt(++ticks);
            if (claim(column)) {
                reduce_ahead(w, column);
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

    void reduce_ahead(Worker& w, index_t i) {
        Slot& slot = slots_[i % window_];
        TentativeColumn& t = slot.column;
        t.has_pivot = w.start(r_.columns[i], dim_, r_.pivots, t.pivot, t.emergent);
        if (t.has_pivot && !t.emergent) t.has_pivot = w.reduce_until_free(r_, dim_, t.pivot);
        t.v.clear();
        w.drain_v(t.v);
        const std::span<const DiamIndex> coboundary = w.coboundary_items();
        t.coboundary_dropped = coboundary.size() > kept_coboundary_limit_;
        if (t.coboundary_dropped) t.coboundary.clear();
        else t.coboundary.assign(coboundary.begin(), coboundary.end());
        slot.ready.store(i, std::memory_order_release);
    }

    void finish(Worker& w, index_t i) {
        TentativeColumn& t = slots_[i % window_].column;
        if (t.has_pivot && r_.pivots.contains(t.pivot.index)) {  // taken since: reduce further
            recomputed_ += t.coboundary_dropped ? 1 : 0;
            if (t.emergent || t.coboundary_dropped) w.restart(r_.columns[i], dim_, t.v, t.pivot);
            else w.resume(t.coboundary, t.v);
            t.has_pivot = w.reduce_until_free(r_, dim_, t.pivot);
            t.v.clear();
            w.drain_v(t.v);
        }
        record_(i, static_cast<const TentativeColumn&>(t));
        if (t.coboundary.capacity() > released_capacity)
            std::vector<DiamIndex>().swap(t.coboundary);
        finished_.store(i + 1, std::memory_order_release);
    }

    ReducedColumns& r_;
    const dim_t dim_;
    std::vector<Worker>& workers_;
    Record& record_;
    const std::size_t kept_coboundary_limit_;
    const index_t n_, n_workers_, window_;
    std::vector<Slot> slots_;
    std::size_t recomputed_ = 0;  // written by the finisher only
    std::atomic<index_t> next_{0}, finished_{0};
    std::atomic<bool> failed_{false};
    std::mutex mutex_;
    std::exception_ptr error_;
    index_t error_column_ = std::numeric_limits<index_t>::max();
};

/// The longest working coboundary (heap entries) a tentative column keeps for its resume (16 MiB):
/// a longer one is dropped, and should the column resume, rebuilt from its V column.
inline constexpr std::size_t default_kept_coboundary_limit = std::size_t{1} << 20;

template <class Worker, class Record>
std::size_t pipelined_reduction(ReducedColumns& r, dim_t dim, std::vector<Worker>& workers,
                                Record&& record,
                                std::size_t kept_coboundary_limit = default_kept_coboundary_limit) {
    return PipelinedReduction<Worker, std::remove_reference_t<Record>>(r, dim, workers, record,
                                                                       kept_coboundary_limit)
        .run();
}

}  // namespace calydon
