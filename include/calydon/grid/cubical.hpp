// calydon/grid/cubical.hpp: cubical complex of a grid, with values on vertices (a cube
// takes the max of its vertices) or on top cells (a cube takes the min of the top cells around it).
#pragma once

#include <algorithm>
#include <bit>
#include <string>
#include <vector>

#include "calydon/filtration/filtration.hpp"
#include "calydon/grid/cells.hpp"
#include "calydon/grid/order.hpp"

namespace calydon {

enum class CubicalValues { vertices, cells };

namespace detail {

/// Masks of each popcount, ascending: the "shapes" of the cubes of each dimension.
inline std::vector<std::vector<offset_mask>> cube_shapes(int ndim) {
    std::vector<std::vector<offset_mask>> by_dim(ndim + 1);
    for (offset_mask m = 0; m < (1u << ndim); ++m) by_dim[std::popcount(m)].push_back(m);
    return by_dim;
}

}  // namespace detail

/// Cubical filtration. For values on vertices the vertex grid is data's shape; for values on
/// cells it is data's shape + 1 and data sits on the top-dimensional cubes (GUDHI's
/// "top_dimensional_cells" convention). critical[i] is the flat data index giving input cell i its value.
inline GridCells cube_cells(std::span<const value_t> data, std::span<const index_t> shape,
                            bool negate, int max_dim, CubicalValues where) {
    Grid data_grid(shape);
    require_grid_input(data, data_grid, max_dim);
    std::vector<index_t> vshape(shape.begin(), shape.end());
    if (where == CubicalValues::cells)
        for (auto& s : vshape) ++s;
    Grid grid(vshape);
    const int top = std::min(max_dim, grid.ndim());
    const auto shapes = detail::cube_shapes(grid.ndim());
    const index_t nv = grid.n_vertices();
    auto later = [&](value_t a, value_t b) { return negate ? a < b : a > b; };

    // Shapes of the same popcount, indexed for facet lookups.
    std::vector<int> shape_index(1u << grid.ndim());
    for (const auto& list : shapes)
        for (std::size_t p = 0; p < list.size(); ++p) shape_index[list[p]] = static_cast<int>(p);

    CellList cells;
    std::vector<index_t> critical;
    std::size_t bound_cells = 0, bound_entries = 0;  // every shape at every vertex
    for (int k = 0; k <= top; ++k) {
        bound_cells += shapes[k].size() * nv;
        bound_entries += shapes[k].size() * nv * 2 * k;
    }
    cells.reserve(bound_cells, bound_entries);
    critical.reserve(bound_cells);
    std::vector<index_t> prev_ids, ids;
    for (int k = 0; k <= top; ++k) {
        const auto& masks = shapes[k];
        const index_t np = static_cast<index_t>(masks.size());
        const index_t prev_np = k ? static_cast<index_t>(shapes[k - 1].size()) : 0;
        ids.assign(nv * np, no_index);
        for (index_t v = 0; v < nv; ++v) {
            poll_interrupt(static_cast<std::uint64_t>(v));
            const offset_mask up = grid.room_up(v);
            for (index_t p = 0; p < np; ++p) {
                const offset_mask s = masks[p];
                if ((s & ~up) != 0) continue;
                const index_t id = cells.size();
                ids[v * np + p] = id;
                cells.dims.push_back(k);
                index_t face[8];
                int nf = 0;
                for (int i = 0; i < grid.ndim(); ++i) {
                    if (!(s & (1u << i))) continue;
                    const offset_mask f = s & ~(1u << i);
                    face[nf++] = prev_ids[v * prev_np + shape_index[f]];
                    face[nf++] = prev_ids[(v + grid.stride(i)) * prev_np + shape_index[f]];
                }
                cells.boundary.push_column(std::span<const index_t>(face, nf));
                if (where == CubicalValues::vertices) {
                    if (k == 0) {
                        cells.values.push_back(data[v]);
                        critical.push_back(v);
                    } else {
                        // A cube's vertex max is the max over its two facets along its lowest axis.
                        const index_t a = face[0], b = face[1];
                        const index_t w = later(cells.values[b], cells.values[a]) ? b : a;
                        cells.values.push_back(cells.values[w]);
                        critical.push_back(critical[w]);
                    }
                } else {
                    // Top cubes containing (v, s): anchors v - e_i for any subset of the free axes
                    // i not in s with room to step down and not beyond the data grid.
                    const offset_mask down = grid.room_down(v) & ~s;
                    const offset_mask free_up = up | s;  // the top cube at the anchor must fit
                    value_t best = 0;
                    index_t best_idx = no_index;
                    for (offset_mask t = down;; t = (t - 1) & down) {
                        index_t anchor = v;
                        bool fits = true;
                        for (int i = 0; i < grid.ndim(); ++i) {
                            if (t & (1u << i)) anchor -= grid.stride(i);
                            else if (!(free_up & (1u << i))) fits = false;
                        }
                        if (fits) {
                            index_t flat = 0;  // flat index in the data grid
                            index_t rem = anchor;
                            for (int i = 0; i < grid.ndim(); ++i) {
                                index_t c = rem / grid.stride(i);
                                rem %= grid.stride(i);
                                flat = flat * shape[i] + c;
                            }
                            if (best_idx == no_index || later(best, data[flat])) {
                                best = data[flat];
                                best_idx = flat;
                            }
                        }
                        if (t == 0) break;
                    }
                    cells.values.push_back(best);
                    critical.push_back(best_idx);
                }
            }
        }
        prev_ids.swap(ids);
    }
    return GridCells{std::move(cells), std::move(critical), top == grid.ndim() && top >= 1};
}

/// The filtration itself: the cells above in (dim, value, position) order.
inline FiltrationWithCritical cube_filtration(std::span<const value_t> data,
                                              std::span<const index_t> shape, bool negate,
                                              int max_dim, CubicalValues where) {
    return filtration_from_grid_cells(cube_cells(data, shape, negate, max_dim, where), data, negate,
                                      "cubical");
}

}  // namespace calydon
