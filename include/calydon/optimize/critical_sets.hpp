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

#include <vector>

#include "calydon/optimize/reduced_side.hpp"

namespace calydon {

enum class Move { decrease_death, increase_death, increase_birth, decrease_birth };

/// The critical set of `cell` for a move towards target t, on the side the move needs
/// (homology for death moves, cohomology for birth moves).
inline std::vector<index_t> critical_set(const Filtration& fil, ReducedSide& side, Move move,
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
