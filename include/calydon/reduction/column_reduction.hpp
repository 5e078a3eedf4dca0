// calydon/reduction/column_reduction.hpp: the standard Z/2 column reduction with clearing.
#pragma once

#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "calydon/core/interrupt.hpp"
#include "calydon/core/types.hpp"
#include "calydon/matrix/sparse_columns.hpp"

namespace calydon {

/// A contiguous range of matrix columns reduced together. Blocks are reduced in the order given;
/// with clearing, a column that is already a pivot row of an earlier block is known to reduce to
/// zero and is skipped (Chen & Kerber's twist).
struct ColumnBlock {
    index_t begin, end;
};

struct ReductionOptions {
    bool clearing = true;
    bool compute_v = false;
    /// Keep every reduced column (R for the whole matrix), not just the pivot columns.
    bool keep_all_columns = false;
};

/// Reduced matrix state: pivots always, R columns for pivots (or all), V on request.
/// Columns are stored only when non-trivial, so memory follows the work done, not the size.
class ColumnReduction {
public:
    explicit ColumnReduction(const SparseColumns& matrix, ReductionOptions opts = {})
        : m_(&matrix), opts_(opts),
          pivot_col_of_row_(matrix.n_columns(), no_index),
          low_of_col_(matrix.n_columns(), no_index),
          r_slot_(matrix.n_columns(), no_index),
          cleared_(matrix.n_columns(), 0) {
        if (opts_.compute_v) v_slot_.assign(matrix.n_columns(), no_index);
    }

    /// Marks columns known to be zero after reduction (e.g. found by a union-find fast path).
    void mark_cleared(index_t col) { cleared_[col] = 1; }
    /// Records a pivot found elsewhere, so reductions of other blocks see the row as owned.
    void set_known_pivot(index_t row, index_t col) {
        pivot_col_of_row_[row] = col;
        low_of_col_[col] = row;
    }

    void reduce_blocks(std::span<const ColumnBlock> blocks) {
        std::vector<index_t> col, vcol, scratch;
        for (const ColumnBlock& b : blocks) {
            for (index_t j = b.begin; j < b.end; ++j) {
                poll_interrupt(++ticks_);
                if (opts_.clearing && cleared_[j]) {
                    if (opts_.compute_v) set_cleared_v(j);
                    continue;
                }
                reduce_column(j, col, vcol, scratch);
            }
        }
    }

    index_t low(index_t col) const { return low_of_col_[col]; }
    index_t pivot_column_of_row(index_t row) const { return pivot_col_of_row_[row]; }
    index_t n_columns() const { return m_->n_columns(); }
    bool has_v() const { return opts_.compute_v; }

    /// Reduced column R_j (empty when it reduced to zero or was never stored).
    std::span<const index_t> r_column(index_t j) const {
        return r_slot_[j] == no_index ? std::span<const index_t>{} : std::span<const index_t>(r_store_[r_slot_[j]]);
    }
    /// V_j; a column never touched has V_j = e_j.
    std::vector<index_t> v_column(index_t j) const {
        if (!opts_.compute_v || v_slot_[j] == no_index) return {j};
        return v_store_[v_slot_[j]];
    }

private:
    void reduce_column(index_t j, std::vector<index_t>& col, std::vector<index_t>& vcol,
                       std::vector<index_t>& scratch) {
        auto src = m_->column(j);
        col.assign(src.begin(), src.end());
        if (opts_.compute_v) vcol.assign(1, j);
        bool touched = false;
        while (!col.empty()) {
            index_t p = pivot_col_of_row_[col.back()];
            if (p == no_index) break;
            poll_interrupt(++ticks_);  // a single column can take seconds when columns grow long
            add_column(col, r_column(p), scratch);
            if (opts_.compute_v) add_v(vcol, p, scratch);
            touched = true;
        }
        if (!col.empty()) {
            index_t row = col.back();
            pivot_col_of_row_[row] = j;
            low_of_col_[j] = row;
            if (opts_.clearing && row < static_cast<index_t>(cleared_.size())) cleared_[row] = 1;
        }
        if (!col.empty() || opts_.keep_all_columns) store(r_slot_, r_store_, j, col);
        if (opts_.compute_v && touched) store(v_slot_, v_store_, j, vcol);
    }

    void add_v(std::vector<index_t>& vcol, index_t p, std::vector<index_t>& scratch) {
        if (v_slot_[p] == no_index) {
            const index_t single[1] = {p};
            add_column(vcol, single, scratch);
        } else {
            add_column(vcol, v_store_[v_slot_[p]], scratch);
        }
    }

    /// A cleared column j is the pivot row of some column c, and R_c is a cycle: taking V_j = R_c
    /// gives R_j = D R_c = 0 (Bauer's trick), so V stays a valid R = D V decomposition.
    void set_cleared_v(index_t j) {
        index_t c = pivot_col_of_row_[j];
        if (c == no_index) return;
        auto rc = r_column(c);
        store(v_slot_, v_store_, j, std::vector<index_t>(rc.begin(), rc.end()));
    }

    static void store(std::vector<index_t>& slot, std::vector<std::vector<index_t>>& where, index_t j,
                      const std::vector<index_t>& col) {
        if (slot[j] == no_index) {
            slot[j] = static_cast<index_t>(where.size());
            where.push_back(col);
        } else {
            where[slot[j]] = col;
        }
    }

    const SparseColumns* m_;
    ReductionOptions opts_;
    std::vector<index_t> pivot_col_of_row_, low_of_col_, r_slot_, v_slot_;
    std::vector<char> cleared_;
    std::uint64_t ticks_ = 0;
    std::vector<std::vector<index_t>> r_store_, v_store_;
};

}  // namespace calydon
