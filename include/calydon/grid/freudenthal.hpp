// calydon/grid/freudenthal.hpp: lower-star filtration of the Freudenthal (Kuhn)
// triangulation of a grid; every unit cube is cut into D! simplices along its main diagonal.
#pragma once

#include <algorithm>
#include <bit>
#include <vector>

#include "calydon/filtration/filtration.hpp"
#include "calydon/grid/cells.hpp"
#include "calydon/grid/order.hpp"

namespace calydon {

namespace detail {

/// A k-simplex anchored at x is {x, x+S1, ..., x+Sk} for a chain of nonempty 0/1 offsets
/// S1 < S2 < ... < Sk (strict inclusion). The table lists, per k, every chain and its facets.
struct KuhnPatterns {
    struct Facet {
        offset_mask anchor_shift;
        int pattern;
    };
    std::vector<std::vector<std::vector<offset_mask>>> chains;  // [k][p] = (S1..Sk)
    std::vector<std::vector<std::vector<Facet>>> facets;        // [k][p][j], j = removed vertex

    explicit KuhnPatterns(int ndim) {
        const offset_mask full = (1u << ndim) - 1;
        chains.resize(ndim + 1);
        chains[0].push_back({});
        for (int k = 1; k <= ndim; ++k)
            for (const auto& c : chains[k - 1]) {
                offset_mask last = c.empty() ? 0 : c.back();
                for (offset_mask s = 1; s <= full; ++s)
                    if ((s & last) == last && s != last) {
                        auto next = c;
                        next.push_back(s);
                        chains[k].push_back(next);
                    }
            }
        facets.resize(ndim + 1);
        for (int k = 1; k <= ndim; ++k) {
            facets[k].resize(chains[k].size());
            for (std::size_t p = 0; p < chains[k].size(); ++p) {
                const auto& c = chains[k][p];
                for (int j = 0; j <= k; ++j) {
                    std::vector<offset_mask> f;
                    offset_mask shift = 0;
                    if (j == 0) {
                        shift = c[0];
                        for (int i = 1; i < k; ++i) f.push_back(c[i] & ~shift);
                    } else {
                        for (int i = 0; i < k; ++i)
                            if (i != j - 1) f.push_back(c[i]);
                    }
                    auto it = std::find(chains[k - 1].begin(), chains[k - 1].end(), f);
                    facets[k][p].push_back({shift, static_cast<int>(it - chains[k - 1].begin())});
                }
            }
        }
    }
};

}  // namespace detail

/// Freudenthal triangulation of the grid `shape` with the lower-star values of `data` (upper-star
/// with `negate`). Cells of dimension <= max_dim; critical[i] is the vertex giving input cell i its value.
inline GridCells freudenthal_cells(std::span<const value_t> data, std::span<const index_t> shape,
                                   bool negate, int max_dim) {
    Grid grid(shape);
    require_grid_input(data, grid, max_dim);
    const int top = std::min(max_dim, grid.ndim());
    const detail::KuhnPatterns kuhn(grid.ndim());
    const index_t nv = grid.n_vertices();
    std::vector<offset_mask> room(nv);
    for (index_t v = 0; v < nv; ++v) room[v] = grid.room_up(v);

    CellList cells;
    std::vector<index_t> critical;
    std::size_t bound_cells = 0, bound_entries = 0;  // every pattern at every vertex
    for (int k = 0; k <= top; ++k) {
        bound_cells += kuhn.chains[k].size() * nv;
        bound_entries += kuhn.chains[k].size() * nv * (k ? k + 1 : 0);
    }
    cells.reserve(bound_cells, bound_entries);
    critical.reserve(bound_cells);
    std::vector<index_t> prev_ids, ids;  // [v * n_patterns + p] -> input id, per dimension
    auto later = [&](value_t a, value_t b) { return negate ? a < b : a > b; };
    for (int k = 0; k <= top; ++k) {
        const auto& chains = kuhn.chains[k];
        const index_t np = static_cast<index_t>(chains.size());
        ids.assign(nv * np, no_index);
        for (index_t v = 0; v < nv; ++v) {
            poll_interrupt(static_cast<std::uint64_t>(v));
            for (index_t p = 0; p < np; ++p) {
                const offset_mask reach = k ? chains[p].back() : 0;
                if ((reach & ~room[v]) != 0) continue;
                const index_t id = cells.size();
                ids[v * np + p] = id;
                cells.dims.push_back(k);
                if (k == 0) {
                    cells.values.push_back(data[v]);
                    critical.push_back(v);
                    cells.boundary.push_column({});
                    continue;
                }
                index_t face[5];
                const auto& fs = kuhn.facets[k][p];
                const index_t prev_np = static_cast<index_t>(kuhn.chains[k - 1].size());
                for (int j = 0; j <= k; ++j)
                    face[j] =
                        prev_ids[(v + grid.offset(fs[j].anchor_shift)) * prev_np + fs[j].pattern];
                // The facet without the last vertex carries the value of the first k vertices.
                const index_t base = face[k];
                const index_t last_vertex = v + grid.offset(reach);
                value_t val = cells.values[base];
                index_t crit = critical[base];
                if (later(data[last_vertex], val)) {
                    val = data[last_vertex];
                    crit = last_vertex;
                }
                cells.values.push_back(val);
                critical.push_back(crit);
                cells.boundary.push_column(std::span<const index_t>(face, k + 1));
            }
        }
        prev_ids.swap(ids);
    }
    return GridCells{std::move(cells), std::move(critical), top == grid.ndim() && top >= 1};
}

/// The filtration itself: the cells above in (dim, value, position) order.
inline FiltrationWithCritical freudenthal_filtration(std::span<const value_t> data,
                                                     std::span<const index_t> shape, bool negate,
                                                     int max_dim) {
    return filtration_from_grid_cells(freudenthal_cells(data, shape, negate, max_dim), data, negate,
                                      "freudenthal");
}

}  // namespace calydon
