// calydon/grid/input.hpp: what every grid builder takes, checked once.
#pragma once

#include <cmath>
#include <span>
#include <vector>

#include "calydon/core/errors.hpp"
#include "calydon/grid/patterns.hpp"

namespace calydon {

enum class CubicalValues { vertices, cells };

/// A grid complex over some data: the kind of cells, where the data sits, box or torus.
struct GridSpec {
    GridComplexKind kind = GridComplexKind::cubical;
    CubicalValues where = CubicalValues::vertices;
    bool wrap = false;

    bool values_on_cells() const { return where == CubicalValues::cells; }
};

/// Shape of the vertex grid: the data's, or one more per axis when values sit on the top cells
/// of a box (a torus has as many top cells as vertices along each axis).
inline std::vector<index_t> grid_vertex_shape(std::span<const index_t> data_shape,
                                              const GridSpec& spec) {
    std::vector<index_t> out(data_shape.begin(), data_shape.end());
    if (spec.values_on_cells() && !spec.wrap)
        for (auto& s : out) ++s;
    return out;
}

/// The checks every grid builder starts with: 1-4 axes, none empty, the data fills the grid and
/// is finite, the requested top dimension is not negative, values on cells only for cubes.
inline void require_grid_input(std::span<const value_t> data, std::span<const index_t> shape,
                               const GridSpec& spec, int max_dim) {
    if (shape.empty() || shape.size() > 4)
        throw_invalid("data must have 1 to 4 dimensions, got ", shape.size());
    std::size_t n = 1;
    for (index_t s : shape) {
        if (s <= 0) throw_invalid("data must not be empty, got an axis of length ", s);
        n *= static_cast<std::size_t>(s);
    }
    if (data.size() != n) throw_invalid("data has ", data.size(), " entries, shape needs ", n);
    for (std::size_t i = 0; i < data.size(); ++i)
        if (!std::isfinite(data[i]))
            throw_invalid("data must be finite, got ", data[i], " at flat index ", i);
    if (max_dim < 0) throw_invalid("max_dim must be >= 0, got ", max_dim);
    if (spec.kind == GridComplexKind::freudenthal && spec.values_on_cells())
        throw_invalid("values on top cells exist for cubical complexes only");
    if (spec.wrap)
        for (index_t s : shape)
            if (s < (spec.kind == GridComplexKind::freudenthal ? 3 : 2))
                throw_invalid("wrap=True needs every axis of length >= ",
                              spec.kind == GridComplexKind::freudenthal ? 3 : 2, ", got ", s);
    if (n >= (std::size_t{1} << 32) - 1)
        throw_invalid("data has ", n, " entries; grids are limited to 2^32 - 2 entries");
}

}  // namespace calydon
