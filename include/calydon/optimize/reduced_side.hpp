// calydon/optimize/reduced_side.hpp: one side of a filtration, reduced only as far as asked.
//
// The critical sets of a move read one side: V columns (decrease death, increase birth) or U rows
// (increase death, decrease birth), all in canonical (ELZ) form.
//  * V columns are reduced one at a time with the owners the pairing names (lazy_columns.hpp):
//    only the columns a chain actually meets are ever touched. Those of vertices (cohomology)
//    and of the top cells of a pseudomanifold (homology) need no reduction: they are subtrees of
//    a union-find forest (merge_forest.hpp).
//  * The cohomology side's matrix (the anti-transposed boundary) is built on first need, which
//    a side asked for vertex columns alone never has.
//  * U rows need every V column of their block (U = V^{-1}), so that block is reduced in full,
//    without clearing, which is canonical by construction; V columns of a block reduced in full
//    are read from it.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <tuple>
#include <utility>
#include <vector>

#include "calydon/filtration/filtration.hpp"
#include "calydon/optimize/lazy_columns.hpp"
#include "calydon/optimize/merge_forest.hpp"
#include "calydon/persistence/decomposition.hpp"
#include "calydon/reduction/column_reduction.hpp"
#include "calydon/reduction/u_rows.hpp"

namespace calydon {

class ReducedSide {
public:
    /// owner_of_row: for each matrix row, the matrix column whose reduced pivot it is, or -1
    /// (the pairing on this side; see LazyColumns).
    ReducedSide(const Filtration& fil, bool dualize, std::vector<index_t> owner_of_row)
        : fil_(&fil), dualize_(dualize), owner_of_row_(std::move(owner_of_row)),
          full_(fil.max_dim() + 2, 0) {}

    ReducedSide(const ReducedSide&) = delete;
    ReducedSide& operator=(const ReducedSide&) = delete;

    /// Cells (sorted ids) of the V column of `cell`, the cell first, while keep(cell') holds.
    template <class Keep>
    std::vector<index_t> column(index_t cell, Keep&& keep) {
        if (const MergeForest* forest = forest_for(fil_->dim(cell)))
            return forest->collect(cell, keep, dualize_);
        const index_t m = matrix_index(cell);
        std::vector<index_t> out;
        // Walk away from the cell: homology columns list earlier cells, cohomology columns later
        // ones (smaller matrix indices); either way from the largest matrix index down.
        if (full_[fil_->dim(cell)]) {
            const std::vector<index_t> col = red_->v_column(m);
            for (auto it = col.rbegin(); it != col.rend() && keep(cell_of(*it)); ++it)
                out.push_back(cell_of(*it));
            return out;
        }
        lazy().walk_v_descending(m, [&](index_t p) {
            if (!keep(cell_of(p))) return false;
            out.push_back(cell_of(p));
            return true;
        });
        return out;
    }

    /// Cells of the U row of `cell`, the cell first, while keep(cell') holds.
    template <class Keep>
    std::vector<index_t> row(index_t cell, Keep&& keep) {
        const dim_t d = fil_->dim(cell);
        ensure_full(d);
        std::vector<index_t> out =
            u_row(v_rows(d), matrix_index(cell), [&](index_t p) { return keep(cell_of(p)); });
        for (index_t& p : out) p = cell_of(p);
        return out;
    }

    /// Reduces the block of cell dimension d in full (for U rows) unless done.
    void ensure_full(dim_t d) {
        if (full_[d]) return;
        // Without clearing, so that every column's V is canonical; set up on first use only,
        // since its tables take 8 bytes per cell and most steps read V columns alone.
        if (!red_)
            red_ = std::make_unique<ColumnReduction<>>(matrix(), ReductionOptions{false, true});
        const auto [begin, end] = block(d);
        const ColumnBlock blk{begin, end, true};
        red_->reduce_blocks(std::span<const ColumnBlock>(&blk, 1));
        full_[d] = 1;
    }

private:
    /// The boundary (homology), or the coboundary anti-transposed once (cohomology).
    const SparseColumns& matrix() {
        if (!dualize_) return fil_->boundary();
        if (!coboundary_) coboundary_ = anti_transpose(fil_->boundary());
        return *coboundary_;
    }
    LazyColumns& lazy() {
        if (!lazy_) lazy_.emplace(matrix(), std::move(owner_of_row_));
        return *lazy_;
    }

    index_t matrix_index(index_t cell) const {
        return to_matrix_index(cell, fil_->size(), dualize_);
    }
    index_t cell_of(index_t m) const { return to_sorted_id(m, fil_->size(), dualize_); }

    std::pair<index_t, index_t> block(dim_t d) const {
        const index_t n = fil_->size(), begin = fil_->dim_first(d), end = fil_->dim_end(d);
        return dualize_ ? std::pair{n - end, n - begin} : std::pair{begin, end};
    }

    /// The union-find forest whose subtrees are the V columns of dimension d (vertices on the
    /// cohomology side, top cells of a pseudomanifold on the homology side), built once; or null.
    const MergeForest* forest_for(dim_t d) {
        const bool vertices = dualize_ && d == 0, tops = !dualize_ && d == fil_->max_dim() && d > 0;
        if (!vertices && !tops) return nullptr;
        if (!forest_tried_) {
            forest_ = vertices ? vertex_merge_forest(*fil_) : top_merge_forest(*fil_);
            forest_tried_ = true;
        }
        return forest_ ? &*forest_ : nullptr;
    }

    /// V's rows restricted to block d, built once per block.
    const VRows& v_rows(dim_t d) {
        auto found = rows_.find(d);
        if (found != rows_.end()) return *found->second;
        const auto [begin, end] = block(d);
        auto built =
            std::make_unique<VRows>(begin, end, [&](index_t c) { return red_->v_column(c); });
        return *rows_.emplace(d, std::move(built)).first->second;
    }

    const Filtration* fil_;
    bool dualize_;
    std::vector<index_t> owner_of_row_;        // handed to lazy_ when it is set up
    std::optional<SparseColumns> coboundary_;  // the anti-transposed boundary (cohomology)
    std::optional<LazyColumns> lazy_;
    std::unique_ptr<ColumnReduction<>> red_;  // the blocks reduced in full (for U rows)
    std::vector<char> full_;                  // per cell dimension: reduced in full (for U rows)
    std::map<dim_t, std::unique_ptr<VRows>> rows_;
    std::optional<MergeForest> forest_;  // vertices (cohomology) or top cells (homology)
    bool forest_tried_ = false;
};

}  // namespace calydon
