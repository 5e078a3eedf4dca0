// What the tests of the basin passes share: the shapes they sweep (size-1 axes, 2-D to 4-D)
// and the comparison of a basin pass's pairs and flags with those of the stream it replaces.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <vector>

#include "calydon/grid/pair_sink.hpp"

namespace calydon::test {

/// Data shapes from 1x1 to 4-D, with size-1 axes; `with_4d` false drops the 4-D ones.
inline std::vector<std::vector<index_t>> basin_test_shapes(bool with_4d = true) {
    std::vector<std::vector<index_t>> shapes{{1, 1},    {1, 9},       {7, 1},       {2, 2},
                                             {13, 11},  {40, 37},     {1, 5, 6},    {6, 1, 1},
                                             {9, 8, 7}, {17, 16, 15}, {3, 1, 4, 5}, {5, 4, 6, 3}};
    if (!with_4d) std::erase_if(shapes, [](const auto& s) { return s.size() > 3; });
    return shapes;
}

/// The same finite pairs in the same order, and the same essential classes, in dimension dim.
inline void expect_same_pairs(const GridPairs& got, const GridPairs& want, int dim) {
    EXPECT_EQ(got.by_code.finite[dim], want.by_code.finite[dim]);
    EXPECT_EQ(got.by_data.finite[dim], want.by_data.finite[dim]);
    EXPECT_EQ(got.by_code.essential[dim], want.by_code.essential[dim]);
    EXPECT_EQ(got.by_data.essential[dim], want.by_data.essential[dim]);
}

/// The same flags, word by word (one count, not one failure per word).
inline void expect_same_flags(const CellFlags& got, const CellFlags& want) {
    EXPECT_EQ(got.n_words(), want.n_words());
    std::size_t differing_words = 0;
    for (std::size_t w = 0; w < std::min(got.n_words(), want.n_words()); ++w)
        differing_words += got.word(w) != want.word(w);
    EXPECT_EQ(differing_words, 0u);
}

}  // namespace calydon::test
