// bindings/common.hpp: conversions and guards shared by the bind_*.cpp translation units.
#pragma once

#include <array>
#include <csignal>
#include <cstdint>
#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <nanobind/nanobind.h>
#include <nanobind/ndarray.h>
#include <signal.h>

#include "calydon/core/interrupt.hpp"
#include "calydon/core/types.hpp"
#include "calydon/persistence/index_pairs.hpp"

namespace calydon::py {

namespace nb = nanobind;

template <class T>
using numpy_array = nb::ndarray<nb::numpy, T>;

/// Hands a vector to numpy without copying; the array owns the storage.
template <class T>
numpy_array<T> to_numpy(std::vector<T>&& v, std::vector<std::size_t> shape = {}) {
    if (shape.empty()) shape = {v.size()};
    auto* owned = new std::vector<T>(std::move(v));
    nb::capsule owner(owned, [](void* p) noexcept { delete static_cast<std::vector<T>*>(p); });
    return numpy_array<T>(owned->data(), shape.size(), shape.data(), owner);
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

/// Wires Ctrl-C to the cancellation token of one heavy call. SIGINT's handler is installed
/// when the first of possibly overlapping calls (from several Python threads) starts and the
/// original is restored when the last one ends: a reference count, so no call can leave
/// calydon's handler installed for good. A Ctrl-C that no call turned into KeyboardInterrupt
/// (the loops had already finished) is handed back to Python when the last call ends.
class InterruptScope {
public:
    InterruptScope() : in_thread_(&token_) {
        std::lock_guard<std::mutex> lock(state_mutex());
        if (active_calls()++ == 0) {
            struct sigaction action{};
            action.sa_handler = &InterruptScope::on_sigint;
            sigemptyset(&action.sa_mask);
            sigaction(SIGINT, &action, &saved_action());
        }
    }
    ~InterruptScope() {
        std::lock_guard<std::mutex> lock(state_mutex());
        if (--active_calls() != 0) return;
        sigaction(SIGINT, &saved_action(), nullptr);
        const std::uint64_t epoch = interrupt_epoch().load();
        if (epoch != reported_epoch()) {
            reported_epoch() = epoch;
            PyErr_SetInterrupt();  // Python raises KeyboardInterrupt at its next check
        }
    }
    InterruptScope(const InterruptScope&) = delete;
    InterruptScope& operator=(const InterruptScope&) = delete;

    const CancellationToken& token() const { return token_; }
    /// This call raises KeyboardInterrupt itself, so the request must not be handed back again.
    void mark_reported() {
        std::lock_guard<std::mutex> lock(state_mutex());
        reported_epoch() = interrupt_epoch().load();
    }

private:
    static void on_sigint(int) { request_interrupt_all(); }
    static std::mutex& state_mutex() {
        static std::mutex m;
        return m;
    }
    static int& active_calls() {
        static int n = 0;
        return n;
    }
    static struct sigaction& saved_action() {
        static struct sigaction a{};
        return a;
    }
    static std::uint64_t& reported_epoch() {
        static std::uint64_t e = 0;
        return e;
    }

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
