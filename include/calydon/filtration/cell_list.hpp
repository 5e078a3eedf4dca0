// calydon/filtration/cell_list.hpp: cells as builders and users hand them to a Filtration.
#pragma once

#include <cstddef>
#include <vector>

#include "calydon/core/fill_later.hpp"
#include "calydon/core/types.hpp"
#include "calydon/matrix/sparse_columns.hpp"

namespace calydon {

/// Cells as columns: a dimension, a value and the positions of the facets, in input order (the
/// rows then are input positions), or already in sorted order with sorted rows for
/// Filtration::from_sorted_cells.
struct CellList {
    FillLaterVector<dim_t> dims;
    FillLaterVector<value_t> values;
    SparseColumns boundary;

    index_t size() const { return static_cast<index_t>(dims.size()); }
    void reserve(std::size_t n_cells, std::size_t n_entries) {
        dims.reserve(n_cells);
        values.reserve(n_cells);
        boundary.offsets.reserve(n_cells + 1);
        boundary.entries.reserve(n_entries);
    }
};

}  // namespace calydon
