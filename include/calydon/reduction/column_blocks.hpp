// calydon/reduction/column_blocks.hpp: the order in which blocks of matrix columns are reduced.
//
// Matrix-only: a block is a range of column indices, and the clearing order is derived from the
// dimension offsets of the cells (dim_first[d] = first index of dimension d, dim_first.back() =
// the number of cells), not from a filtration object.
#pragma once

#include <algorithm>
#include <span>
#include <vector>

#include "calydon/core/types.hpp"

namespace calydon {

/// A contiguous range of matrix columns reduced together. Blocks are reduced in the order given;
/// with clearing, a column that is already a pivot row of an earlier block is known to reduce to
/// zero and is skipped (Chen & Kerber's twist). `keep_v` asks for the V columns of the block.
struct ColumnBlock {
    index_t begin, end;
    bool keep_v = false;
};

/// Column blocks (one per cell dimension lowest..highest) in the order that makes clearing
/// effective: homology from the top dimension down (dimension 0 has no boundary, so it is not a
/// block), cohomology from dimension 0 up (the top dimension has no coboundary). `dim_first` has
/// one entry per cell dimension plus the end; cohomology matrix index m is cell N-1-m.
inline std::vector<ColumnBlock> clearing_block_order(std::span<const index_t> dim_first,
                                                     bool dualize, dim_t lowest, dim_t highest) {
    const dim_t top = static_cast<dim_t>(dim_first.size()) - 2;
    const index_t n = dim_first.empty() ? 0 : dim_first.back();
    highest = std::min(highest, top);
    std::vector<ColumnBlock> blocks;
    if (!dualize) {
        for (dim_t d = highest; d >= std::max<dim_t>(lowest, 1); --d)
            blocks.push_back({dim_first[d], dim_first[d + 1]});
    } else {
        for (dim_t d = std::max<dim_t>(lowest, 0); d < highest; ++d)
            blocks.push_back({n - dim_first[d + 1], n - dim_first[d]});
    }
    return blocks;
}

}  // namespace calydon
