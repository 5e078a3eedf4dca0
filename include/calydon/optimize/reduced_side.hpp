// calydon/optimize/reduced_side.hpp: one side of a filtration, reduced block by block on demand.
//
// The critical sets of a move read one dimension block of one side: V columns (decrease death,
// increase birth) or U rows (increase death, decrease birth). So a side reduces only the blocks
// that are asked for, and how depends on what is read:
//  * V columns only: the columns known to reduce to zero (from the pairing, read off the
//    diagram) are skipped, and so never added anywhere; the left-to-right reduction of the rest
//    is then exactly the canonical (ELZ) one, at the cost of the non-zero columns alone.
//  * U rows: every column's V is needed (U = V^{-1}), so the block is reduced in full, without
//    clearing, which is canonical by construction.
// A block first reduced for V columns and later needed for U rows is reduced again in full.
#pragma once

#include <map>
#include <memory>
#include <tuple>
#include <utility>
#include <vector>

#include "calydon/filtration/filtration.hpp"
#include "calydon/persistence/decomposition.hpp"
#include "calydon/reduction/column_reduction.hpp"
#include "calydon/reduction/u_rows.hpp"

namespace calydon {

class ReducedSide {
public:
    /// zero_column[cell] = 1 when the cell's column reduces to zero on this side (homology: every
    /// cell that is not a death; cohomology: every cell that is not the birth of a finite pair).
    ReducedSide(const Filtration& fil, bool dualize, std::vector<char> zero_column)
        : fil_(&fil), dualize_(dualize), zero_column_(std::move(zero_column)),
          matrix_(dualize ? anti_transpose(fil.boundary()) : fil.boundary()) {
        reset();
    }

    /// Cells (sorted ids) of the V column of `cell`, the cell first, while keep(cell') holds.
    template <class Keep>
    std::vector<index_t> column(index_t cell, Keep&& keep) {
        // A zero column's own V is only canonical after a full reduction (such a column is read
        // only when a move is forced onto a cell of the other kind).
        ensure(fil_->dim(cell), zero_column_[cell] != 0);
        std::vector<index_t> out;
        const std::vector<index_t> col = red_->v_column(matrix_index(cell));
        // Walk away from the cell: homology columns list earlier cells, cohomology columns later
        // ones (smaller matrix indices); either way from the largest matrix index down.
        for (auto it = col.rbegin(); it != col.rend() && keep(cell_of(*it)); ++it)
            out.push_back(cell_of(*it));
        return out;
    }

    /// Cells of the U row of `cell`, the cell first, while keep(cell') holds.
    template <class Keep>
    std::vector<index_t> row(index_t cell, Keep&& keep) {
        const dim_t d = fil_->dim(cell);
        ensure(d, true);
        std::vector<index_t> out =
            u_row(v_rows(d), matrix_index(cell), [&](index_t p) { return keep(cell_of(p)); });
        for (index_t& p : out) p = cell_of(p);
        return out;
    }

    /// Reduces the block of cell dimension d (in full when U rows will be read) unless done.
    void ensure(dim_t d, bool full) {
        const int wanted = full ? 2 : 1;
        if (state_[d] >= wanted) return;
        if (state_[d] == 1) reset();  // reduced for V columns only: start the side over
        const auto [begin, end] = block(d);
        for (index_t j = begin; j < end; ++j) {
            if (!full && zero_column_[cell_of(j)]) red_->mark_cleared(j);
            else red_->unmark_cleared(j);
        }
        const ColumnBlock blk{begin, end, true};
        red_->reduce_blocks(std::span<const ColumnBlock>(&blk, 1));
        state_[d] = wanted;
    }

private:
    index_t matrix_index(index_t cell) const {
        return to_matrix_index(cell, fil_->size(), dualize_);
    }
    index_t cell_of(index_t m) const { return to_sorted_id(m, fil_->size(), dualize_); }

    std::pair<index_t, index_t> block(dim_t d) const {
        const index_t n = fil_->size(), begin = fil_->dim_first(d), end = fil_->dim_end(d);
        return dualize_ ? std::pair{n - end, n - begin} : std::pair{begin, end};
    }

    void reset() {
        red_ = std::make_unique<ColumnReduction<>>(matrix_, ReductionOptions{true, true});
        state_.assign(fil_->max_dim() + 2, 0);
        rows_.clear();
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
    std::vector<char> zero_column_;
    SparseColumns matrix_;
    std::unique_ptr<ColumnReduction<>> red_;
    std::vector<int> state_;  // per cell dimension: 0 not reduced, 1 for V columns, 2 in full
    std::map<dim_t, std::unique_ptr<VRows>> rows_;
};

}  // namespace calydon
