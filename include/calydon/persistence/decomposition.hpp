// calydon/persistence/decomposition.hpp: R = D V for a filtration, on homology or cohomology.
#pragma once

#include <vector>

#include "calydon/filtration/filtration.hpp"
#include "calydon/matrix/sparse_columns.hpp"
#include "calydon/persistence/options.hpp"
#include "calydon/reduction/canonical_v.hpp"
#include "calydon/reduction/column_blocks.hpp"
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

/// Dimension offsets of a filtration: dim_first(d) for d = 0..max_dim, then size().
inline std::vector<index_t> dimension_offsets(const Filtration& fil) {
    std::vector<index_t> offsets;
    for (dim_t d = 0; d <= fil.max_dim() + 1; ++d) offsets.push_back(fil.dim_first(d));
    if (offsets.size() < 2) offsets.assign(2, 0);  // an empty filtration has no blocks
    return offsets;
}

/// Blocks of every dimension of a filtration in clearing order, with V kept where asked.
inline std::vector<ColumnBlock> decomposition_blocks(const Filtration& fil,
                                                     const PersistenceOptions& opts) {
    const std::vector<index_t> offsets = dimension_offsets(fil);
    auto blocks = clearing_block_order(offsets, opts.dualize, 0, fil.max_dim());
    const index_t n = fil.size();
    for (ColumnBlock& b : blocks) {
        if (b.begin == b.end) continue;
        const index_t first_cell = opts.dualize ? n - 1 - b.begin : b.begin;
        b.keep_v = opts.wants_v(fil.dim(first_cell));
    }
    return blocks;
}

/// The full reduction of one side, keeping every R column (and V where asked). One-shot: the
/// constructor reduces, so an object exists only once reduced, and it is immutable afterwards
/// (an interrupted reduction throws and leaves nothing behind).
class Decomposition {
public:
    Decomposition(const Filtration& fil, const PersistenceOptions& opts)
        : n_(fil.size()), dualize_(opts.dualize), computed_v_(opts.v_dims != 0),
          matrix_(opts.dualize ? anti_transpose(fil.boundary()) : fil.boundary()),
          reduction_(matrix_, ReductionOptions{opts.clearing, true, opts.n_threads}) {
        TokenScope scope(opts.cancel ? opts.cancel : current_token());
        const auto blocks = decomposition_blocks(fil, opts);
        reduction_.reduce_blocks(blocks);
        // Without clearing the serial reduction is already canonical; with clearing or threads it
        // is another valid decomposition, so restore the form.
        if (opts.canonical_v && (opts.clearing || reduction_.reduced_in_parallel()))
            for (const ColumnBlock& b : blocks)
                if (b.keep_v) restore_canonical_v(reduction_, b);
    }
    Decomposition(const Decomposition&) = delete;
    Decomposition& operator=(const Decomposition&) = delete;

    bool dualize() const { return dualize_; }
    /// Whether V was requested (columns of other dimensions are then e_j).
    bool computed_v() const { return computed_v_; }
    index_t size() const { return n_; }
    const SparseColumns& d_matrix() const { return matrix_; }
    const ColumnReduction<>& reduction() const { return reduction_; }

private:
    index_t n_;
    bool dualize_;
    bool computed_v_;
    SparseColumns matrix_;  // declared before reduction_, which points into it
    ColumnReduction<> reduction_;
};

}  // namespace calydon
