// The working column of the grid cohomology reduction (cochain_column.hpp) against a naive Z/2
// column: a std::set where adding a key present removes it.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <set>
#include <vector>

#include "calydon/grid/cochain_column.hpp"

using calydon::detail::CochainColumn;

namespace {

void add_naive(std::set<std::uint64_t>& column, std::uint64_t key) {
    if (!column.erase(key)) column.insert(key);
}

}  // namespace

TEST(CochainColumn, TogglesMergesAndPopsLikeAZ2Set) {
    std::mt19937_64 gen(11);
    for (int round = 0; round < 200; ++round) {
        CochainColumn<std::uint64_t> column;
        std::set<std::uint64_t> naive;
        const std::uint64_t range = 4 + gen() % 200;  // small ranges: many cancellations
        for (int step = 0; step < 60; ++step) {
            const int what = static_cast<int>(gen() % 4);
            if (what == 0) {
                const std::uint64_t key = gen() % range;
                column.toggle(key);
                add_naive(naive, key);
            } else if (what <= 2) {  // a stored column: ascending, no duplicates
                std::set<std::uint64_t> added;
                for (std::uint64_t n = gen() % 40; n-- > 0;) added.insert(gen() % range);
                const std::vector<std::uint64_t> keys(added.begin(), added.end());
                column.add_ascending(keys.data(), keys.data() + keys.size());
                for (std::uint64_t key : keys) add_naive(naive, key);
            } else if (!naive.empty()) {
                ASSERT_FALSE(column.empty());
                EXPECT_EQ(column.pop_pivot(), *naive.begin());
                naive.erase(naive.begin());
            }
            ASSERT_EQ(column.empty(), naive.empty());
        }
        std::vector<std::uint64_t> out{999999};  // appended after what is there
        column.move_ascending_to(out);
        EXPECT_TRUE(column.empty());
        std::vector<std::uint64_t> want{999999};
        want.insert(want.end(), naive.begin(), naive.end());
        EXPECT_EQ(out, want);
    }
}

// Long columns built from single keys (as long reductions of smooth volumes are), drained by pops
// and by a final move, with keys toggled in up to three times.
TEST(CochainColumn, LongColumnsOfSingleKeysDrainInOrder) {
    std::mt19937_64 gen(5);
    for (int round = 0; round < 40; ++round) {
        CochainColumn<std::uint64_t> column;
        std::set<std::uint64_t> naive;
        const std::uint64_t range = 50 + gen() % 2000;
        for (int step = 0; step < 3000; ++step) {
            const std::uint64_t key = gen() % range;
            for (std::uint64_t times = 1 + gen() % 3; times-- > 0;) {
                column.toggle(key);
                add_naive(naive, key);
            }
            if (gen() % 8 == 0 && !naive.empty()) {
                ASSERT_EQ(column.pop_pivot(), *naive.begin());
                naive.erase(naive.begin());
            }
        }
        ASSERT_EQ(column.empty(), naive.empty());
        std::vector<std::uint64_t> out;
        column.move_ascending_to(out);
        EXPECT_EQ(out, std::vector<std::uint64_t>(naive.begin(), naive.end()));
    }
}
