// calydon/core/types.hpp: the scalar vocabulary every other header is written in.
#pragma once

#include <cstdint>
#include <limits>

namespace calydon {

/// Filtration values are always double precision; float inputs are converted exactly.
using value_t = double;
/// Cell indices (sorted ids, input positions, matrix rows); signed so that -1 means "none".
using index_t = std::int64_t;
/// Cell dimension.
using dim_t = std::int32_t;

inline constexpr index_t no_index = -1;
inline constexpr value_t value_inf = std::numeric_limits<value_t>::infinity();

}  // namespace calydon
