// bindings/common.hpp: conversions and guards shared by the bind_*.cpp translation units.
#pragma once

#include <array>
#include <csignal>
#include <utility>
#include <vector>

#include <nanobind/nanobind.h>
#include <nanobind/ndarray.h>

#include "calydon/core/interrupt.hpp"
#include "calydon/core/types.hpp"

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

/// Installs a SIGINT handler for the duration of a heavy call, so that Ctrl-C sets the flag the
/// C++ loops poll (they run without the GIL, so Python's own handler cannot run meanwhile).
class InterruptScope {
public:
    InterruptScope() {
        interrupt_flag().store(false);
        previous_ = std::signal(SIGINT, &InterruptScope::on_sigint);
    }
    ~InterruptScope() {
        std::signal(SIGINT, previous_);
        interrupt_flag().store(false);
    }
    InterruptScope(const InterruptScope&) = delete;
    InterruptScope& operator=(const InterruptScope&) = delete;

private:
    static void on_sigint(int) { interrupt_flag().store(true); }
    void (*previous_)(int) = SIG_DFL;
};

/// Runs heavy work without the GIL and with Ctrl-C wired to calydon::interrupted.
template <class F>
auto run_heavy(F&& f) {
    InterruptScope scope;
    nb::gil_scoped_release release;
    return f();
}

using double_array = nb::ndarray<const double, nb::c_contig, nb::device::cpu>;

inline std::vector<index_t> shape_of(const double_array& a) {
    std::vector<index_t> s(a.ndim());
    for (std::size_t i = 0; i < a.ndim(); ++i) s[i] = static_cast<index_t>(a.shape(i));
    return s;
}

}  // namespace calydon::py
