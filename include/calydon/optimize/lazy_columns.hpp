// calydon/optimize/lazy_columns.hpp: canonical V columns of single cells, reduced on demand.
//
// In the left-to-right reduction without clearing (the canonical ELZ form), column j adds the
// reduced column of whichever earlier column owns its current pivot, and that owner is the
// column whose final pivot is that row: the pairing names it in advance. So one column's V can
// be computed alone, reducing only the owners it meets (and theirs), each once and memoised.
// The result is bit-identical to the full reduction's, and a step that moves a few hundred
// points touches a fraction of the block a full reduction would.
#pragma once

#include <span>
#include <stdexcept>
#include <utility>
#include <vector>

#include "calydon/core/interrupt.hpp"
#include "calydon/matrix/sparse_columns.hpp"

namespace calydon {

class LazyColumns {
public:
    /// owner_of_row[r] = the column whose reduced pivot is row r, or -1 (the pairing, in the
    /// matrix's indices; zero-persistence pairs included).
    LazyColumns(const SparseColumns& matrix, std::vector<index_t> owner_of_row)
        : matrix_(&matrix), owner_(std::move(owner_of_row)),
          slot_(static_cast<std::size_t>(matrix.n_columns()), -1) {}

    /// V_j of the canonical reduction, sorted ascending (j itself included); valid until the
    /// next call.
    std::span<const index_t> v_column(index_t j) {
        if (slot_[j] < 0) reduce(j);
        return v_done_.column(slot_[j]);
    }

private:
    struct Frame {
        index_t column = -1;
        std::vector<index_t> r, v;
    };

    /// Starts column j in frame `depth` of the stack, reusing the frame's storage.
    void start(std::size_t depth, index_t j) {
        if (stack_.size() <= depth) stack_.resize(depth + 1);
        Frame& f = stack_[depth];
        auto rows = matrix_->column(j);
        f.column = j;
        f.r.assign(rows.begin(), rows.end());
        f.v.assign(1, j);
    }

    /// Reduces j and every owner it meets that is not reduced yet, without recursion: a column
    /// waiting for an owner stays on the stack, the owner is pushed and finished first.
    /// Finished columns go to append-only pools (R and V), found through slot_.
    void reduce(index_t j) {
        std::size_t depth = 0;
        start(0, j);
        while (true) {
            Frame& f = stack_[depth];
            index_t waiting_for = -1;
            while (!f.r.empty()) {
                poll_interrupt(++ticks_);
                const index_t owner = owner_[f.r.back()];
                if (owner == f.column) break;  // its own pivot: reduced
                if (owner < 0 || owner > f.column)
                    throw std::logic_error("LazyColumns: the pairing does not match the matrix");
                if (slot_[owner] < 0) {
                    waiting_for = owner;
                    break;
                }
                add_column(f.r, r_done_.column(slot_[owner]), scratch_);
                add_column(f.v, v_done_.column(slot_[owner]), scratch_);
            }
            if (waiting_for >= 0) {
                start(++depth, waiting_for);
                continue;
            }
            slot_[f.column] = r_done_.n_columns();
            r_done_.push_column(f.r);
            v_done_.push_column(f.v);
            if (depth == 0) return;
            --depth;
        }
    }

    const SparseColumns* matrix_;
    std::vector<index_t> owner_;
    std::vector<index_t> slot_;      // per column: its place in the pools, or -1
    SparseColumns r_done_, v_done_;  // reduced R and V of the finished columns
    std::vector<Frame> stack_;
    std::vector<index_t> scratch_;
    std::uint64_t ticks_ = 0;
};

}  // namespace calydon
