// bindings/common.hpp: conversions and guards shared by the bind_*.cpp translation units.
#pragma once

#include <array>
#include <atomic>
#include <csignal>
#include <cstdint>
#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <nanobind/nanobind.h>
#include <nanobind/ndarray.h>
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "calydon/core/interrupt.hpp"
#include "calydon/core/types.hpp"
#include "calydon/persistence/index_pairs.hpp"

namespace calydon::py {

namespace nb = nanobind;

template <class T>
using numpy_array = nb::ndarray<nb::numpy, T>;

/// Hands a vector to numpy without copying; the array owns the storage.
template <class T, class Alloc>
numpy_array<T> to_numpy(std::vector<T, Alloc>&& v, std::vector<std::size_t> shape = {}) {
    using Vector = std::vector<T, Alloc>;
    if (shape.empty()) shape = {v.size()};
    auto* owned = new Vector(std::move(v));
    nb::capsule owner(owned, [](void* p) noexcept { delete static_cast<Vector*>(p); });
    return numpy_array<T>(owned->data(), shape.size(), shape.data(), owner);
}

/// A copy for numpy (the source stays with its owner).
template <class T, class Alloc>
std::vector<T, Alloc> copy_of(const std::vector<T, Alloc>& v) {
    return v;
}

/// Fixed-width rows (e.g. index pairs) as an (n, K) int64 array.
template <std::size_t K>
numpy_array<index_t> rows_to_numpy(const std::vector<std::array<index_t, K>>& rows) {
    std::vector<index_t> flat;
    flat.reserve(rows.size() * K);
    for (const auto& r : rows) flat.insert(flat.end(), r.begin(), r.end());
    return to_numpy(std::move(flat), {rows.size(), K});
}

/// The one pair layout every persistence backend returns: (finite, essential) per homology
/// dimension, finite[d] an int64 (n, 2) array and essential[d] an int64 (m,) array of indices
/// into the backend's value source (sorted ids, flat data indices or critical-edge rows).
inline nb::tuple pairs_to_python(IndexPairs&& pairs) {
    nb::list finite, essential;
    for (const auto& dim_pairs : pairs.finite) finite.append(rows_to_numpy(dim_pairs));
    for (auto& ess : pairs.essential) essential.append(to_numpy(std::move(ess)));
    return nb::make_tuple(finite, essential);
}

/// Runs f and prefixes the messages of the standard exceptions the core throws with the name of
/// the function the user called: the core says what is wrong, the caller says where.
template <class F>
auto with_api(const std::string& api, F&& f) {
    try {
        return f();
    } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(api + ": " + e.what());
    } catch (const std::overflow_error& e) {
        throw std::overflow_error(api + ": " + e.what());
    } catch (const std::length_error& e) {
        throw std::length_error(api + ": " + e.what());
    }
}

/// True on the process's main thread, where Python runs its signal handlers.
inline bool on_main_thread() {
#if defined(__linux__)
    return static_cast<pid_t>(syscall(SYS_gettid)) == getpid();
#else
    static const pthread_t main_thread = pthread_self();  // the thread that loaded the module
    return pthread_equal(pthread_self(), main_thread) != 0;
#endif
}

/// Wires Ctrl-C to the cancellation token of one heavy call. SIGINT's handler is installed
/// when the first of possibly overlapping calls (from several Python threads) starts and the
/// original is restored when the last one ends: a reference count, so no call can leave
/// calydon's handler installed for good.
///
/// Where Ctrl-C goes: every running call is cancelled and raises KeyboardInterrupt in its own
/// thread. Python itself delivers SIGINT to the main thread, so when the main thread is not
/// inside a calydon call (it waits in Thread.join(), sleeps, or runs Python code while a worker
/// thread calls calydon) the handler also hands the interrupt to Python at once
/// (PyErr_SetInterrupt, async-signal-safe), and the main thread raises KeyboardInterrupt as it
/// would without calydon. A Ctrl-C that nobody turned into KeyboardInterrupt (the loops had
/// already finished) is handed back to Python when the last call ends.
class InterruptScope {
public:
    InterruptScope() : main_thread_(on_main_thread()), in_thread_(&token_) {
        std::lock_guard<std::mutex> lock(state_mutex());
        if (main_thread_) main_thread_calls().fetch_add(1);
        if (active_calls()++ == 0) {
            struct sigaction action{};
            action.sa_handler = &InterruptScope::on_sigint;
            sigemptyset(&action.sa_mask);
            sigaction(SIGINT, &action, &saved_action());
        }
    }
    ~InterruptScope() {
        std::lock_guard<std::mutex> lock(state_mutex());
        if (main_thread_) main_thread_calls().fetch_sub(1);
        if (--active_calls() != 0) return;
        sigaction(SIGINT, &saved_action(), nullptr);
        const std::uint64_t epoch = interrupt_epoch().load();
        if (epoch != reported_epoch().load()) {
            reported_epoch().store(epoch);
            PyErr_SetInterrupt();  // Python raises KeyboardInterrupt at its next check
        }
    }
    InterruptScope(const InterruptScope&) = delete;
    InterruptScope& operator=(const InterruptScope&) = delete;

    const CancellationToken& token() const { return token_; }
    /// This call raises KeyboardInterrupt itself, so the request must not be handed back again.
    /// A call on a worker thread leaves that to the main thread, which the handler informed.
    void mark_reported() {
        std::lock_guard<std::mutex> lock(state_mutex());
        if (main_thread_) reported_epoch().store(interrupt_epoch().load());
    }

private:
    static void on_sigint(int) {
        request_interrupt_all();
        if (main_thread_calls().load(std::memory_order_relaxed) == 0) {
            reported_epoch().store(interrupt_epoch().load(std::memory_order_relaxed));
            PyErr_SetInterrupt();
        }
    }
    static std::mutex& state_mutex() {
        static std::mutex m;
        return m;
    }
    static int& active_calls() {
        static int n = 0;
        return n;
    }
    /// Calls running on the main thread; read by the signal handler (lock-free).
    static std::atomic<int>& main_thread_calls() {
        static std::atomic<int> n{0};
        return n;
    }
    static struct sigaction& saved_action() {
        static struct sigaction a{};
        return a;
    }
    /// Last interrupt epoch Python has been told about; written by the signal handler too.
    static std::atomic<std::uint64_t>& reported_epoch() {
        static std::atomic<std::uint64_t> e{0};
        return e;
    }

    bool main_thread_;
    CancellationToken token_;
    TokenScope in_thread_;
};

/// Runs heavy work without the GIL and with Ctrl-C wired to calydon::interrupted.
template <class F>
auto run_heavy(F&& f) {
    InterruptScope scope;
    try {
        nb::gil_scoped_release release;
        return f();
    } catch (const interrupted&) {
        scope.mark_reported();
        throw;
    }
}

using double_array = nb::ndarray<const double, nb::c_contig, nb::device::cpu>;

inline std::vector<index_t> shape_of(const double_array& a) {
    std::vector<index_t> s(a.ndim());
    for (std::size_t i = 0; i < a.ndim(); ++i) s[i] = static_cast<index_t>(a.shape(i));
    return s;
}

}  // namespace calydon::py
