// calydon/grid/big_vector.hpp: vectors of the grid passes that are read all over (ranks, star
// masks, union-find nodes, flags), on huge pages where the system offers them.
//
// The streaming passes visit entries in rank order, that is at random in arrays of several MiB:
// with 4 KiB pages nearly every access also misses the TLB. On Linux with transparent huge
// pages in "madvise" mode (a common default) an allocation gets 2 MiB pages only when it asks,
// before it is first touched; this allocator asks for allocations of at least 4 MiB. Elsewhere,
// and for small vectors, it is std::allocator.
//
// A fresh mapping costs a page fault per page, and the kernel clears each page first: about
// 40 MiB for a 1024^2 image, 3 ms or more per call, and on a virtual machine whose memory the
// host has not backed yet, measured at 10-15 ms. Training loops call with the same shapes again
// and again, so freed mappings of up to 16 MiB are kept (oldest returned first) and handed to
// the next allocation of the same size: 48 MiB in all, where a 1024^2 image uses 38 (with 64,
// a 128^3 volume's peak was 93-106 MB).
// An allocation too big to keep (over 16 MiB: a 256^3 volume, a 2048^2 image) returns them
// all: such a call does enough work that its page faults weigh little, and the idle mappings
// would only add to its peak.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace calydon {

#if defined(__linux__) && defined(MADV_HUGEPAGE)
namespace detail {

/// Freed huge-page mappings kept for the next allocation of the same size (see above).
class MappingCache {
public:
    static MappingCache& shared() {
        static MappingCache cache;
        return cache;
    }
    // take and give are out of line: inlined into every big_vector's growth path they changed
    // the code of the hot passes enough to cost 4% on a 64^3 volume, which never uses them.

    /// A kept mapping of exactly `size` bytes (its contents are whatever was left), or null;
    /// a size too big to keep returns every kept mapping first.
    [[gnu::noinline]] void* take(std::size_t size) {
        if (size > max_mapping) {
            clear();
            return nullptr;
        }
        std::lock_guard<std::mutex> lock(mutex_);
        const auto it = std::find_if(kept_.rbegin(), kept_.rend(),
                                     [&](const Mapping& m) { return m.size == size; });
        if (it == kept_.rend()) return nullptr;
        void* p = it->p;
        bytes_ -= size;
        kept_.erase(std::next(it).base());
        return p;
    }
    /// Keeps a mapping (returning the oldest ones beyond the budget), or unmaps it if too big.
    [[gnu::noinline]] void give(void* p, std::size_t size) {
        if (size > max_mapping) return release(p, size);
        std::lock_guard<std::mutex> lock(mutex_);
        while (!kept_.empty() && bytes_ + size > max_total) {
            release(kept_.front().p, kept_.front().size);
            bytes_ -= kept_.front().size;
            kept_.erase(kept_.begin());
        }
        kept_.push_back({p, size});
        bytes_ += size;
    }
    /// Returns every kept mapping to the system; returns their bytes.
    std::size_t clear() {
        std::lock_guard<std::mutex> lock(mutex_);
        for (const Mapping& m : kept_) release(m.p, m.size);
        kept_.clear();
        return std::exchange(bytes_, 0);
    }
    std::size_t bytes() {
        std::lock_guard<std::mutex> lock(mutex_);
        return bytes_;
    }

private:
    // Small enough that keeping them adds little to a large call's peak (with 256 MiB, a 128^3
    // volume kept its value sort's 17 MiB temporaries through its passes: peak 65 to 105 MB,
    // and 10-15% slower), large enough for every array of a 1024^2 image.
    static constexpr std::size_t max_mapping = std::size_t{16} << 20,
                                 max_total = std::size_t{48} << 20;
    struct Mapping {
        void* p;
        std::size_t size;
    };
    static void release(void* p, std::size_t size) { munmap(p, size); }

    std::mutex mutex_;
    std::vector<Mapping> kept_;  // oldest first
    std::size_t bytes_ = 0;
};

}  // namespace detail
#endif

template <class T>
struct HugePageAllocator {
    using value_type = T;
    static constexpr std::size_t page = std::size_t{1} << 21;
    static constexpr std::size_t threshold = 2 * page;

    HugePageAllocator() = default;
    template <class U>
    HugePageAllocator(const HugePageAllocator<U>&) {}

    T* allocate(std::size_t n) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
        const std::size_t bytes = n * sizeof(T);
        if (bytes >= threshold) {
            // A kept mapping, else straight from the kernel, aligned to a huge page (over-map,
            // trim both ends), so that returning it frees the pages at once and no heap padding
            // is wasted.
            const std::size_t size = rounded(bytes);
            if (void* kept = detail::MappingCache::shared().take(size))
                return static_cast<T*>(kept);
            void* raw = mmap(nullptr, size + page, PROT_READ | PROT_WRITE,
                             MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (raw == MAP_FAILED) throw std::bad_alloc();
            const auto start = reinterpret_cast<std::uintptr_t>(raw);
            const std::uintptr_t aligned = (start + page - 1) / page * page;
            if (aligned > start) munmap(raw, aligned - start);
            if (const std::size_t tail = start + page - aligned; tail > 0)
                munmap(reinterpret_cast<void*>(aligned + size), tail);
            madvise(reinterpret_cast<void*>(aligned), size, MADV_HUGEPAGE);  // a hint only
            return reinterpret_cast<T*>(aligned);
        }
#endif
        return std::allocator<T>{}.allocate(n);
    }
    void deallocate(T* p, std::size_t n) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
        if (n * sizeof(T) >= threshold) {
            detail::MappingCache::shared().give(p, rounded(n * sizeof(T)));
            return;
        }
#endif
        std::allocator<T>{}.deallocate(p, n);
    }
    static std::size_t rounded(std::size_t bytes) { return (bytes + page - 1) / page * page; }
    template <class U>
    bool operator==(const HugePageAllocator<U>&) const {
        return true;
    }
};

/// Returns the freed mappings kept for reuse (see above) to the system, for a process that
/// is done with grids and wants its memory back; returns their bytes (0 where none are kept).
inline std::size_t release_kept_mappings() {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    return detail::MappingCache::shared().clear();
#else
    return 0;
#endif
}

/// A std::vector on huge pages when large (see HugePageAllocator).
template <class T>
using big_vector = std::vector<T, HugePageAllocator<T>>;

/// A fixed-size array of a trivial type, on huge pages when large and left uninitialised: for
/// arrays written in full before they are read (a vector's zero fill would be one more pass over
/// memory that the kernel has just cleared).
template <class T>
class big_buffer {
    static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);

public:
    big_buffer() = default;
    explicit big_buffer(std::size_t n)
        : n_(n), p_(n > 0 ? HugePageAllocator<T>{}.allocate(n) : nullptr) {}
    big_buffer(big_buffer&& other) noexcept { swap(other); }
    big_buffer& operator=(big_buffer&& other) noexcept {
        swap(other);
        return *this;
    }
    big_buffer(const big_buffer&) = delete;
    big_buffer& operator=(const big_buffer&) = delete;
    ~big_buffer() {
        if (p_ != nullptr) HugePageAllocator<T>{}.deallocate(p_, n_);
    }
    void swap(big_buffer& other) noexcept {
        std::swap(n_, other.n_);
        std::swap(p_, other.p_);
    }

    std::size_t size() const { return n_; }
    bool empty() const { return n_ == 0; }
    T* data() { return p_; }
    const T* data() const { return p_; }
    T& operator[](std::size_t i) { return p_[i]; }
    const T& operator[](std::size_t i) const { return p_[i]; }
    const T* begin() const { return p_; }
    const T* end() const { return p_ + n_; }

private:
    std::size_t n_ = 0;
    T* p_ = nullptr;
};

}  // namespace calydon
