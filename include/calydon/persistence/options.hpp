// calydon/persistence/options.hpp: how a filtration's persistence is computed, in one struct.
#pragma once

#include <cstdint>

#include "calydon/core/interrupt.hpp"
#include "calydon/core/types.hpp"

namespace calydon {

/// Every knob of a persistence computation. Replaces positional bools, so a new option (threads,
/// the dimensions whose V the critical-set method needs) is one field, not a new signature.
struct PersistenceOptions {
    /// Reduce the coboundary (cohomology) instead of the boundary (homology); same diagrams.
    bool dualize = false;
    /// Skip columns known to reduce to zero (Chen & Kerber's twist).
    bool clearing = true;
    /// Union-find for H0 and for the top dimension of triangulated balls.
    bool fast_paths = true;
    /// Report pairs whose birth and death values are equal.
    bool keep_zero_persistence = false;
    /// Bit d set: keep the V columns of the cells of dimension d (all bits: the whole V).
    std::uint64_t v_dims = 0;
    /// Put the kept V columns in the canonical (ELZ) form, unique whatever the reduction's
    /// clearing or thread count (what the critical-set method reads).
    bool canonical_v = false;
    /// Worker threads for the reduction (1: serial).
    int n_threads = 1;
    /// Polled by the long loops; null means the calling thread's current token.
    const CancellationToken* cancel = nullptr;

    static constexpr std::uint64_t all_dims = ~std::uint64_t{0};
    bool wants_v(dim_t cell_dim) const {
        return cell_dim >= 0 && cell_dim < 64 && ((v_dims >> cell_dim) & 1u);
    }
};

}  // namespace calydon
