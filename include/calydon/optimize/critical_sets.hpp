// calydon/optimize/critical_sets.hpp: the four critical sets of a persistence pair.
//
// Nigmetov & Morozov, "Topological optimization with big steps" (2022). To move a diagram point
// to a target without the pairing changing underway, every cell of the chain that would cross
// the target must move with it. With R = D V, U = V^{-1} in canonical (ELZ) form on homology and
// R' = D' V', U' = V'^{-1} on cohomology (matrix index m is sorted id N-1-m):
//   decrease death of tau: {tau' in column V_tau : f(tau') not earlier than t}
//   increase death of tau: {tau' : U[tau, tau'] = 1, f(tau') not later than t}
//   increase birth of sigma: {sigma' in column V'_sigma : f(sigma') not later than t}
//   decrease birth of sigma: {sigma' : U'[sigma, sigma'] = 1, f(sigma') not earlier than t}
// "Earlier" is the filtration order (negate flips the value comparison). Within a dimension,
// sorted ids are in filtration order, so each set is a prefix of a walk along its column or row:
// the walk stops at the first cell past the target.
#pragma once

#include <map>
#include <memory>
#include <tuple>
#include <utility>
#include <vector>

#include "calydon/persistence/decomposition.hpp"
#include "calydon/reduction/u_rows.hpp"

namespace calydon {

enum class Move { decrease_death, increase_death, increase_birth, decrease_birth };

/// Walks the columns and rows of one reduced side (V kept in canonical form).
class SideWalker {
public:
    SideWalker(const Filtration& fil, const Decomposition& dcmp) : fil_(&fil), dcmp_(&dcmp) {}

    /// Cells (sorted ids) of the V column of `cell`, latest first, while keep(cell') holds.
    template <class Keep>
    std::vector<index_t> column(index_t cell, Keep&& keep) const {
        std::vector<index_t> out;
        const std::vector<index_t> col = dcmp_->reduction().v_column(matrix_index(cell));
        // Homology columns list earlier cells below the diagonal; cohomology columns list later
        // cells (smaller matrix indices). Either way, walk away from the cell itself.
        if (!dcmp_->dualize()) {
            for (auto it = col.rbegin(); it != col.rend() && keep(*it); ++it) out.push_back(*it);
        } else {
            for (auto it = col.rbegin(); it != col.rend() && keep(cell_of(*it)); ++it)
                out.push_back(cell_of(*it));
        }
        return out;
    }

    /// Cells of the U row of `cell`, nearest first, while keep(cell') holds.
    template <class Keep>
    std::vector<index_t> row(index_t cell, Keep&& keep) {
        const index_t m = matrix_index(cell);
        const VRows& rows = v_rows_of_block(m);
        std::vector<index_t> out = u_row(rows, m, [&](index_t p) { return keep(cell_of(p)); });
        for (index_t& p : out) p = cell_of(p);
        return out;
    }

private:
    index_t matrix_index(index_t cell) const {
        return to_matrix_index(cell, dcmp_->size(), dcmp_->dualize());
    }
    index_t cell_of(index_t m) const { return to_sorted_id(m, dcmp_->size(), dcmp_->dualize()); }

    /// V's rows restricted to the dimension block holding matrix index m, built once per block.
    const VRows& v_rows_of_block(index_t m) {
        const dim_t d = fil_->dim(cell_of(m));
        auto found = rows_.find(d);
        if (found != rows_.end()) return *found->second;
        const index_t n = fil_->size();
        index_t begin = fil_->dim_first(d), end = fil_->dim_end(d);
        if (dcmp_->dualize()) std::tie(begin, end) = std::pair{n - end, n - begin};
        auto built = std::make_unique<VRows>(
            begin, end, [&](index_t c) { return dcmp_->reduction().v_column(c); });
        return *rows_.emplace(d, std::move(built)).first->second;
    }

    const Filtration* fil_;
    const Decomposition* dcmp_;
    std::map<dim_t, std::unique_ptr<VRows>> rows_;
};

/// The critical set of `cell` for a move towards target t, on the side the move needs
/// (homology for death moves, cohomology for birth moves).
inline std::vector<index_t> critical_set(const Filtration& fil, SideWalker& side, Move move,
                                         index_t cell, value_t t) {
    const auto not_earlier = [&](index_t c) { return !fil.precedes(fil.value(c), t); };
    const auto not_later = [&](index_t c) { return !fil.precedes(t, fil.value(c)); };
    switch (move) {
        case Move::decrease_death: return side.column(cell, not_earlier);
        case Move::increase_death: return side.row(cell, not_later);
        case Move::increase_birth: return side.column(cell, not_later);
        case Move::decrease_birth: return side.row(cell, not_earlier);
    }
    return {};
}

}  // namespace calydon
