// The large arrays of the grid passes (big_vector.hpp): freed huge-page mappings go to the next
// allocation of the same size, within the cache's budget, and the arrays stay usable; a release
// returns them all.
#include <gtest/gtest.h>

#include <cstdint>
#include <numeric>
#include <vector>

#include "calydon/grid/big_vector.hpp"

using namespace calydon;

#if defined(__linux__) && defined(MADV_HUGEPAGE)

namespace {

constexpr std::size_t mib = std::size_t{1} << 20;

}  // namespace

TEST(MappingCache, AFreedArrayServesTheNextOfTheSameSize) {
    detail::MappingCache::shared().clear();
    const std::size_t n = 6 * mib / sizeof(std::uint32_t);  // 6 MiB: on huge pages
    const std::uint32_t* first = nullptr;
    {
        big_buffer<std::uint32_t> a(n);
        std::iota(a.data(), a.data() + n, 0u);
        first = a.data();
    }
    EXPECT_EQ(detail::MappingCache::shared().bytes(), 6 * mib);
    big_buffer<std::uint32_t> b(n);
    EXPECT_EQ(b.data(), first);
    EXPECT_EQ(detail::MappingCache::shared().bytes(), 0u);
    // The kept mapping is writable memory of the right size.
    std::fill(b.data(), b.data() + n, 7u);
    EXPECT_EQ(b[n - 1], 7u);
    // Another size gets a mapping of its own.
    big_buffer<std::uint32_t> c(2 * n);
    EXPECT_NE(c.data(), first);
}

TEST(MappingCache, KeepsWithinItsBudgetAndNeverTheHugeOnes) {
    detail::MappingCache::shared().clear();
    {
        big_buffer<std::uint8_t> huge(18 * mib);  // above the 16 MiB a kept mapping may have
        huge[0] = 1;
    }
    EXPECT_EQ(detail::MappingCache::shared().bytes(), 0u);
    {
        std::vector<big_buffer<std::uint8_t>> many;
        for (int i = 0; i < 6; ++i) many.emplace_back(14 * mib);
    }
    // 6 x 14 MiB freed: the oldest are returned so that at most 48 MiB stay.
    EXPECT_EQ(detail::MappingCache::shared().bytes(), 42 * mib);
    detail::MappingCache::shared().clear();
    EXPECT_EQ(detail::MappingCache::shared().bytes(), 0u);
}

TEST(MappingCache, AnAllocationTooBigToKeepReturnsTheKeptOnes) {
    detail::MappingCache::shared().clear();
    { big_buffer<std::uint8_t> small(8 * mib); }
    EXPECT_EQ(detail::MappingCache::shared().bytes(), 8 * mib);
    {
        big_buffer<std::uint8_t> keepable(12 * mib);  // another keepable size: nothing returned
        EXPECT_EQ(detail::MappingCache::shared().bytes(), 8 * mib);
    }
    EXPECT_EQ(detail::MappingCache::shared().bytes(), 20 * mib);
    big_buffer<std::uint8_t> huge(18 * mib);  // a big call: the idle mappings go back
    huge[huge.size() - 1] = 1;
    EXPECT_EQ(detail::MappingCache::shared().bytes(), 0u);
}

TEST(MappingCache, BigVectorsGrowAndShrinkThroughIt) {
    detail::MappingCache::shared().clear();
    big_vector<std::uint64_t> v;
    for (std::uint64_t i = 0; i < (16 * mib) / sizeof(std::uint64_t); ++i) v.push_back(i);
    EXPECT_EQ(v.back(), (16 * mib) / sizeof(std::uint64_t) - 1);
    v.clear();
    v.shrink_to_fit();
    EXPECT_LE(detail::MappingCache::shared().bytes(), 48 * mib);
    detail::MappingCache::shared().clear();
}

TEST(MappingCache, ReleaseReturnsEveryKeptMappingAndItsBytes) {
    detail::MappingCache::shared().clear();
    {
        big_buffer<std::uint8_t> a(6 * mib), b(10 * mib);
        a[0] = b[0] = 1;
    }
    EXPECT_EQ(release_kept_mappings(), 16 * mib);
    EXPECT_EQ(detail::MappingCache::shared().bytes(), 0u);
    EXPECT_EQ(release_kept_mappings(), 0u);
}

#endif
