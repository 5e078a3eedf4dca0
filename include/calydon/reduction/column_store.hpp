// calydon/reduction/column_store.hpp: where a reduction keeps its working columns (R and V).
//
// The reduction algorithm only needs to read a stored column, replace it, and know whether one
// is stored; the ColumnStore concept says exactly that, so a different store (columns published
// atomically by a parallel reduction, heap columns for long cohomology columns) can be swapped
// in under the same algorithm.
#pragma once

#include <concepts>
#include <span>
#include <utility>
#include <vector>

#include "calydon/core/types.hpp"

namespace calydon {

template <class S>
concept ColumnStore = requires(S store, const S cstore, index_t j, std::vector<index_t> col) {
    { cstore.contains(j) } -> std::same_as<bool>;
    { cstore.column(j) } -> std::convertible_to<std::span<const index_t>>;
    store.assign(j, std::move(col));
    store.reset(j);
};

/// Columns stored only when assigned (a slot per column index, storage per stored column), so
/// memory follows the work done, not the matrix size.
class VectorColumnStore {
public:
    VectorColumnStore() = default;
    explicit VectorColumnStore(index_t n_columns) : slot_(n_columns, no_index) {}

    bool contains(index_t j) const { return slot_[j] != no_index; }
    std::span<const index_t> column(index_t j) const {
        return contains(j) ? std::span<const index_t>(columns_[slot_[j]])
                           : std::span<const index_t>{};
    }
    /// Stores col as column j (replacing any earlier one).
    void assign(index_t j, std::vector<index_t> col) {
        if (slot_[j] == no_index) {
            slot_[j] = static_cast<index_t>(columns_.size());
            columns_.push_back(std::move(col));
        } else {
            columns_[slot_[j]] = std::move(col);
        }
    }
    /// Forgets column j (its storage is kept for reuse only through a later assign).
    void reset(index_t j) {
        if (slot_[j] != no_index) columns_[slot_[j]].clear();
    }
    index_t n_columns() const { return static_cast<index_t>(slot_.size()); }

private:
    std::vector<index_t> slot_;
    std::vector<std::vector<index_t>> columns_;
};

static_assert(ColumnStore<VectorColumnStore>);

}  // namespace calydon
