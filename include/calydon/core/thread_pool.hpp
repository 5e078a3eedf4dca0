// calydon/core/thread_pool.hpp: one shared pool of worker threads for every parallel loop.
//
// Threads are created once, on first need, and reused by every call (a call never spawns its
// own). `parallel_for` spreads the items of one loop over up to n_threads threads, the calling
// thread included, and returns when every item has run. Workers run with the caller's
// cancellation token, so Ctrl-C reaches them; an exception thrown by an item reaches the caller
// after the loop, and when several items throw, the one with the smallest index wins, which is
// the exception a serial run would have raised.
//
// An idle worker, and a caller waiting for its helpers, spin for a short while before they sleep
// (as OpenMP runtimes do). A pipeline runs dozens of loops per call with short serial steps
// between them; waking a sleeping thread costs 30-120 us on a virtual machine (a halted vCPU is
// rescheduled by the host), which a helper then starts late by on every loop.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

#include "calydon/core/interrupt.hpp"
#include "calydon/core/types.hpp"

namespace calydon {

namespace detail {

/// How long an idle worker or a waiting caller spins before it sleeps: longer than the serial
/// steps between most loops of one call, short enough that a worker idle between calls gives its
/// core back at once.
inline constexpr std::chrono::microseconds pool_spin_budget{200};

/// A hint to the core that this thread is spinning (frees the pipeline for a sibling thread).
inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
    _mm_pause();
#elif defined(__aarch64__)
    asm volatile("yield");
#endif
}

/// Spins until done() or the budget runs out; returns done().
template <class Done>
bool spin_until(Done&& done) {
    const auto until = std::chrono::steady_clock::now() + pool_spin_budget;
    for (unsigned i = 1;; ++i) {
        if (done()) return true;
        cpu_relax();
        if (i % 64 == 0 && std::chrono::steady_clock::now() >= until) return done();
    }
}

}  // namespace detail

class ThreadPool {
public:
    /// The process-wide pool.
    static ThreadPool& shared() {
        static ThreadPool pool;
        return pool;
    }

    ThreadPool() = default;
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;
    ~ThreadPool() {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            stopping_ = true;
        }
        wake_.notify_all();
        for (std::thread& t : workers_) t.join();
    }

    /// Runs fn(i) for every i in [0, n) on up to n_threads threads (the caller is one of them).
    template <class F>
    void parallel_for(index_t n, int n_threads, F&& fn) {
        const int helpers = static_cast<int>(std::min<index_t>(std::max(n_threads, 1), n)) - 1;
        if (helpers <= 0) {
            for (index_t i = 0; i < n; ++i) fn(i);
            return;
        }
        auto loop = std::make_shared<Loop>(n, current_token());
        loop->body = [&fn](index_t i) { fn(i); };
        ensure_workers(helpers);
        {
            std::lock_guard<std::mutex> lock(mutex_);
            for (int h = 0; h < helpers; ++h) tasks_.push_back([loop] { loop->work(); });
            queued_.store(tasks_.size(), std::memory_order_release);
        }
        wake_.notify_all();
        loop->work();
        loop->wait();
        if (loop->error) std::rethrow_exception(loop->error);
    }

private:
    /// One parallel loop: items are claimed from a shared counter; helpers that start after every
    /// item was claimed leave without touching the body, so the caller may return at once.
    struct Loop {
        Loop(index_t n, const CancellationToken* token) : n(n), token(token) {}

        void work() {
            active.fetch_add(1);
            {
                TokenScope scope(token);
                for (index_t i = next.fetch_add(1); i < n; i = next.fetch_add(1)) run(i);
            }
            if (active.fetch_sub(1) == 1) {
                std::lock_guard<std::mutex> lock(mutex);
                done.notify_all();
            }
        }

        void run(index_t i) {
            try {
                body(i);
            } catch (...) {
                std::lock_guard<std::mutex> lock(mutex);
                if (i < error_index) {
                    error_index = i;
                    error = std::current_exception();
                }
            }
        }

        bool finished() const { return next.load() >= n && active.load() == 0; }

        void wait() {
            if (detail::spin_until([&] { return finished(); })) return;
            std::unique_lock<std::mutex> lock(mutex);
            done.wait(lock, [&] { return finished(); });
        }

        const index_t n;
        const CancellationToken* token;
        std::function<void(index_t)> body;
        std::atomic<index_t> next{0};
        std::atomic<int> active{0};
        std::mutex mutex;
        std::condition_variable done;
        std::exception_ptr error;
        index_t error_index = std::numeric_limits<index_t>::max();
    };

    void ensure_workers(int wanted) {
        std::lock_guard<std::mutex> lock(mutex_);
        while (static_cast<int>(workers_.size()) < std::min(wanted, max_workers))
            workers_.emplace_back([this] { serve(); });
    }

    void serve() {
        while (true) {
            const bool saw_work =
                detail::spin_until([&] { return queued_.load(std::memory_order_acquire) != 0; });
            std::function<void()> task;
            {
                std::unique_lock<std::mutex> lock(mutex_);
                // Another worker took the task it saw: spin on rather than sleep, so a later
                // loop finds it awake (a pool may have more workers than a loop has tasks).
                if (saw_work && tasks_.empty() && !stopping_) continue;
                wake_.wait(lock, [&] { return stopping_ || !tasks_.empty(); });
                if (tasks_.empty()) return;  // stopping
                task = std::move(tasks_.front());
                tasks_.pop_front();
                queued_.store(tasks_.size(), std::memory_order_release);
            }
            task();
        }
    }

    static constexpr int max_workers = 255;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::function<void()>> tasks_;
    std::atomic<std::size_t> queued_{0};  // tasks_.size(), for the spinning workers
    std::vector<std::thread> workers_;
    bool stopping_ = false;
};

/// parallel_for on the shared pool.
template <class F>
void parallel_for(index_t n, int n_threads, F&& fn) {
    ThreadPool::shared().parallel_for(n, n_threads, std::forward<F>(fn));
}

/// Items per range below which a second thread costs more than it saves (a range of simple
/// per-item work: a copy, a gather, a comparison).
inline constexpr index_t min_items_per_range = 16384;

/// How many ranges parallel_ranges splits n items into: one per thread, up to n_threads of them
/// but none shorter than min_items (then one range: the caller's thread alone).
inline index_t range_count(index_t n, int n_threads, index_t min_items = min_items_per_range) {
    return std::clamp<index_t>(n / std::max<index_t>(min_items, 1), 1, std::max(n_threads, 1));
}

/// fn(range, first, last) on the ranges of parallel_ranges with their indices (0 to
/// range_count - 1), for results kept per range and joined in range order afterwards.
template <class F>
void parallel_indexed_ranges(index_t n, int n_threads, F&& fn,
                             index_t min_items = min_items_per_range) {
    const index_t n_ranges = range_count(n, n_threads, min_items);
    parallel_for(n_ranges, n_threads,
                 [&](index_t r) { fn(r, n * r / n_ranges, n * (r + 1) / n_ranges); });
}

/// fn(first, last) on ranges splitting [0, n) in order (range_count of them).
template <class F>
void parallel_ranges(index_t n, int n_threads, F&& fn, index_t min_items = min_items_per_range) {
    parallel_indexed_ranges(
        n, n_threads, [&](index_t, index_t first, index_t last) { fn(first, last); }, min_items);
}

}  // namespace calydon
