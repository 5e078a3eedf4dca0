// calydon/core/fill_later.hpp: vectors whose elements are written after they are sized.
//
// std::vector<T>(n) and resize(n) zero every element, on one thread, before a builder's
// parallel loop writes them all again: on a 10k-point alpha complex that is 13 MB of serial
// memset, and the first touch of fresh pages (their faults) then happens on that one thread
// too. A FillLaterVector leaves trivially constructible elements uninitialised when it is
// sized without a value, so the first write is the builder's own, on every thread. Sizing with
// a value (vector(n, v), assign(n, v), resize(n, v)) still fills.
#pragma once

#include <memory>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

namespace calydon {

template <class T>
struct DefaultInitAllocator : std::allocator<T> {
    using std::allocator<T>::allocator;
    DefaultInitAllocator() noexcept = default;
    template <class U>
    DefaultInitAllocator(const DefaultInitAllocator<U>&) noexcept {}

    template <class U>
    struct rebind {
        using other = DefaultInitAllocator<U>;
    };

    /// Default-initialises (for trivial types: leaves the bytes as they are).
    template <class U>
    void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>) {
        ::new (static_cast<void*>(p)) U;
    }
    template <class U, class... Args>
    void construct(U* p, Args&&... args) {
        ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
    }
};

template <class T, class U>
bool operator==(const DefaultInitAllocator<T>&, const DefaultInitAllocator<U>&) noexcept {
    return true;
}

/// A std::vector whose resize(n) and vector(n) leave trivial elements for the caller to write.
template <class T>
using FillLaterVector = std::vector<T, DefaultInitAllocator<T>>;

}  // namespace calydon
