// calydon/persistence/decomposition.hpp: R = D V for a filtration, on homology or cohomology.
#pragma once

#include <memory>
#include <vector>

#include "calydon/filtration/filtration.hpp"
#include "calydon/matrix/sparse_columns.hpp"
#include "calydon/reduction/column_reduction.hpp"

namespace calydon {

/// Matrix index <-> sorted id. Homology uses the boundary matrix as is; cohomology (dualize)
/// uses its anti-transpose, where matrix index m is the cell with sorted id N-1-m.
inline index_t to_matrix_index(index_t sorted_id, index_t n, bool dualize) {
    return dualize ? n - 1 - sorted_id : sorted_id;
}
inline index_t to_sorted_id(index_t matrix_index, index_t n, bool dualize) {
    return dualize ? n - 1 - matrix_index : matrix_index;
}

/// Column blocks (one per cell dimension) in the order that makes clearing effective:
/// homology from the top dimension down, cohomology from dimension 0 up.
inline std::vector<ColumnBlock> clearing_block_order(const Filtration& fil, bool dualize,
                                                     dim_t lowest = 0, dim_t highest = -1) {
    const index_t n = fil.size();
    if (highest < 0) highest = fil.max_dim();
    std::vector<ColumnBlock> blocks;
    if (!dualize) {
        for (dim_t d = highest; d >= std::max<dim_t>(lowest, 1); --d)
            blocks.push_back({fil.dim_first(d), fil.dim_end(d)});
    } else {
        for (dim_t d = lowest; d < highest; ++d)
            blocks.push_back({n - fil.dim_end(d), n - fil.dim_first(d)});
    }
    return blocks;
}

/// The full reduction of one side, keeping R (and V on request) for inspection.
class Decomposition {
public:
    Decomposition(const Filtration& fil, bool dualize)
        : n_(fil.size()), dualize_(dualize),
          matrix_(dualize ? anti_transpose(fil.boundary()) : fil.boundary()) {
        blocks_ = clearing_block_order(fil, dualize);
    }

    void reduce(bool clearing, bool compute_v) {
        ReductionOptions opts;
        opts.clearing = clearing;
        opts.compute_v = compute_v;
        opts.keep_all_columns = true;
        // Published only once complete: an interrupted reduction leaves the object unreduced.
        auto reduction = std::make_unique<ColumnReduction>(matrix_, opts);
        reduction->reduce_blocks(blocks_);
        reduction_ = std::move(reduction);
    }

    bool is_reduced() const { return reduction_ != nullptr; }
    bool dualize() const { return dualize_; }
    index_t size() const { return n_; }
    const SparseColumns& d_matrix() const { return matrix_; }
    const ColumnReduction& reduction() const { return *reduction_; }

private:
    index_t n_;
    bool dualize_;
    SparseColumns matrix_;
    std::vector<ColumnBlock> blocks_;
    std::unique_ptr<ColumnReduction> reduction_;
};

}  // namespace calydon
