// calydon/rips/parallel_items.hpp: items spread over per-thread workers of the shared pool.
//
// The Rips cohomology keeps one worker object (enumerators, heaps) per thread; parallel_for
// gives item indices, not threads, so each pool task here is one worker that claims items from
// a shared counter until none is left. Results must be written per item (never per worker), so
// they do not depend on which thread ran which item.
#pragma once

#include <atomic>
#include <exception>
#include <limits>
#include <mutex>
#include <vector>

#include "calydon/core/thread_pool.hpp"

namespace calydon {

/// Runs fn(worker, i) for every i in [0, n), on up to workers.size() threads (the caller is one
/// of them). When items throw, the other threads stop claiming items and the exception of the
/// smallest failed item is rethrown (a cancellation: `interrupted`, as a serial run raises it).
template <class Worker, class F>
void for_each_item(index_t n, std::vector<Worker>& workers, F&& fn) {
    const index_t n_workers = std::min<index_t>(static_cast<index_t>(workers.size()), n);
    if (n_workers <= 1) {
        for (index_t i = 0; i < n; ++i) fn(workers[0], i);
        return;
    }
    std::atomic<index_t> next{0};
    std::atomic<bool> failed{false};
    std::mutex mutex;
    std::exception_ptr error;
    index_t error_item = std::numeric_limits<index_t>::max();
    parallel_for(n_workers, static_cast<int>(n_workers), [&](index_t w) {
        for (index_t i = next.fetch_add(1); i < n; i = next.fetch_add(1)) {
            if (failed.load(std::memory_order_relaxed)) return;
            try {
                fn(workers[w], i);
            } catch (...) {
                std::lock_guard<std::mutex> lock(mutex);
                if (i < error_item) {
                    error_item = i;
                    error = std::current_exception();
                }
                failed.store(true, std::memory_order_relaxed);
            }
        }
    });
    if (error) std::rethrow_exception(error);
}

}  // namespace calydon
