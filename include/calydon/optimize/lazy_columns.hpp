// calydon/optimize/lazy_columns.hpp: canonical V columns of single cells, reduced on demand.
//
// In the left-to-right reduction without clearing (the canonical ELZ form), column j adds the
// reduced column of whichever earlier column owns its current pivot, and that owner is the
// column whose final pivot is that row: the pairing names it in advance. So one column can be
// reduced alone, together with only the owners it meets (and theirs), each once and memoised.
//
// V is never stored. Each reduced column keeps the list of owners it added, so
// V_j = j + sum over those owners of their V: V_j is the set of columns reached from j along an
// odd number of add-paths. Owners precede the columns that add them, so a walk in descending
// index order settles each column's parity before expanding it, and only columns with odd
// parity (members of V_j) are expanded. The walk costs about |V_j| log |V_j| instead of the
// |V_j| per addition that copying growing columns costs, and it can stop early: critical sets
// are prefixes of that descending walk. The result is bit-identical to the full reduction's.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <span>
#include <stdexcept>
#include <utility>
#include <vector>

#include "calydon/core/interrupt.hpp"
#include "calydon/matrix/sparse_columns.hpp"
#include "calydon/matrix/z2_heap.hpp"
#include "calydon/optimize/working_column.hpp"

namespace calydon {

class LazyColumns {
public:
    /// owner_of_row[r] = the column whose reduced pivot is row r, or -1 (the pairing, in the
    /// matrix's indices; zero-persistence pairs included).
    LazyColumns(const SparseColumns& matrix, std::vector<index_t> owner_of_row)
        : matrix_(&matrix), owner_(std::move(owner_of_row)),
          slot_(static_cast<std::size_t>(matrix.n_columns()), -1) {
        // Room for every column up front: a growing pool would copy itself at each doubling,
        // and untouched reserved pages cost no memory.
        const auto n = static_cast<std::size_t>(matrix.n_columns());
        r_done_.offsets.reserve(n + 1);
        r_done_.entries.reserve(matrix.entries.size());
        adds_.offsets.reserve(n + 1);
        adds_.entries.reserve(n);
    }

    /// Walks V_j (j itself included) from its largest index down, calling visit(m) for each
    /// member while it returns true.
    template <class Visit>
    void walk_v_descending(index_t j, Visit&& visit) {
        // Every path into a column comes from a larger one, so all its copies are queued before
        // it reaches the top: the heap's Z/2 cancellation leaves exactly the members of V_j.
        std::vector<index_t> frontier{j};
        for (index_t c = z2_pop(frontier, std::less<>{}); c >= 0;
             c = z2_pop(frontier, std::less<>{})) {
            poll_interrupt(++ticks_);
            if (!visit(c)) return;
            if (slot_[c] < 0) reduce(c);
            for (index_t owner : adds_.column(slot_[c])) {
                // The owner is expanded only after the larger columns queued now: start its reads.
                __builtin_prefetch(&slot_[owner]);
                __builtin_prefetch(&matrix_->offsets[owner]);
                z2_push(frontier, owner, std::less<>{});
            }
        }
    }

    /// V_j of the canonical reduction, sorted ascending (j itself included).
    std::vector<index_t> v_column(index_t j) {
        std::vector<index_t> out;
        walk_v_descending(j, [&](index_t m) {
            out.push_back(m);
            return true;
        });
        return {out.rbegin(), out.rend()};
    }

private:
    struct Frame {
        index_t column = -1;
        WorkingColumn r;
        std::vector<index_t> adds;
    };

    /// Starts column j in frame `depth` of the stack, reusing the frame's storage.
    void start(std::size_t depth, index_t j) {
        if (stack_.size() <= depth) stack_.resize(depth + 1);
        Frame& f = stack_[depth];
        auto rows = matrix_->column(j);
        f.column = j;
        f.r.assign(rows);
        f.adds.clear();
    }

    /// Reduces j and every owner it meets that is not reduced yet, without recursion: a column
    /// waiting for an owner stays on the stack, the owner is pushed and finished first.
    /// Finished columns go to append-only pools (R and the owners added), found through slot_.
    void reduce(index_t j) {
        std::size_t depth = 0;
        start(0, j);
        while (true) {
            Frame& f = stack_[depth];
            index_t waiting_for = -1;
            for (index_t p = f.r.pivot(); p >= 0; p = f.r.pivot()) {
                poll_interrupt(++ticks_);
                const index_t owner = owner_[p];
                if (owner == f.column) break;  // its own pivot: reduced
                if (owner < 0 || owner > f.column)
                    throw std::logic_error("LazyColumns: the pairing does not match the matrix");
                if (slot_[owner] < 0) {
                    waiting_for = owner;
                    break;
                }
                f.r.add(r_done_.column(slot_[owner]));
                f.adds.push_back(owner);
            }
            if (waiting_for >= 0) {
                start(++depth, waiting_for);
                continue;
            }
            slot_[f.column] = r_done_.n_columns();
            r_done_.push_column(f.r.sorted());
            adds_.push_column(f.adds);
            if (depth == 0) return;
            --depth;
        }
    }

    const SparseColumns* matrix_;
    std::vector<index_t> owner_;
    std::vector<index_t> slot_;    // per column: its place in the pools, or -1
    SparseColumns r_done_, adds_;  // reduced R, and the owners added, of the finished columns
    std::vector<Frame> stack_;
    std::uint64_t ticks_ = 0;
};

}  // namespace calydon
