// calydon/rips/explicit_filtration.hpp: the materialised Vietoris-Rips filtration.
//
// Every simplex up to max_dim within the threshold becomes a cell, sorted like any calydon
// filtration (dimension, value, input position). Input positions are dimension-major and, within
// a dimension, by increasing combinatorial index. Each cell carries its critical edge, the pair
// of vertices whose length is its value, so that a differentiable layer can recompute the value.
#pragma once

#include <algorithm>
#include <array>
#include <stdexcept>
#include <vector>

#include "calydon/filtration/filtration.hpp"
#include "calydon/rips/cofacets.hpp"

namespace calydon {

struct RipsFiltration {
    Filtration filtration;
    /// 2 entries per sorted cell: the critical edge (u, v), u <= v; a vertex v gives (v, v).
    std::vector<index_t> critical_edges;
    /// Combinatorial index of each sorted cell (within its dimension).
    std::vector<index_t> simplex_indices;
};

namespace detail {
struct DimBlock {
    std::vector<index_t> index;  // increasing
    std::vector<value_t> diameter;
};
}  // namespace detail

/// Builds the filtration from neighbour lists within the threshold. max_cells bounds the number
/// of cells (std::length_error past it), a last guard behind the caller's memory estimate.
inline RipsFiltration rips_filtration(const SparseDistances& nbrs, dim_t max_dim,
                                      index_t max_cells) {
    const index_t n = nbrs.size();
    if (max_dim < 0) throw_invalid("max_dim must be >= 0, got ", max_dim);
    BinomialTable binom(n, max_dim + 1);
    std::vector<detail::DimBlock> blocks(max_dim + 1);
    blocks[0].index.resize(n);
    for (index_t v = 0; v < n; ++v) blocks[0].index[v] = v;
    blocks[0].diameter.assign(n, 0.0);
    index_t total = n;
    Cofacets<SparseDistances> cofacets(nbrs, binom, value_inf);
    std::uint64_t ticks = 0;
    for (dim_t k = 1; k <= max_dim; ++k) {
        const detail::DimBlock& lower = blocks[k - 1];
        std::vector<DiamIndex> found;
        for (std::size_t s = 0; s < lower.index.size(); ++s) {
            cofacets.set_simplex({lower.diameter[s], lower.index[s]}, k - 1, true);
            DiamIndex c;
            while (cofacets.next(c)) {
                poll_interrupt(++ticks);
                found.push_back(c);
                if (++total > max_cells)
                    throw std::length_error(format_message("the complex has more than ", max_cells,
                                                           " simplices up to max_dim=", max_dim,
                                                           "; lower max_dim or max_diameter"));
            }
        }
        std::sort(found.begin(), found.end(),
                  [](const DiamIndex& a, const DiamIndex& b) { return a.index < b.index; });
        blocks[k].index.reserve(found.size());
        blocks[k].diameter.reserve(found.size());
        for (const DiamIndex& c : found) {
            blocks[k].index.push_back(c.index);
            blocks[k].diameter.push_back(c.diameter);
        }
    }

    CellList cells;
    std::vector<index_t> edge_by_input, index_by_input;
    std::vector<index_t> offset(max_dim + 2, 0);
    for (dim_t k = 0; k <= max_dim; ++k)
        offset[k + 1] = offset[k] + static_cast<index_t>(blocks[k].index.size());
    cells.reserve(total, total * (max_dim + 1));
    edge_by_input.reserve(2 * total);
    index_by_input.reserve(total);
    std::vector<index_t> vertices, facet, column;
    for (dim_t k = 0; k <= max_dim; ++k) {
        const detail::DimBlock& block = blocks[k];
        for (std::size_t s = 0; s < block.index.size(); ++s) {
            poll_interrupt(++ticks);
            simplex_vertices(block.index[s], k, binom, vertices);
            cells.dims.push_back(k);
            cells.values.push_back(block.diameter[s]);
            column.clear();
            if (k > 0) {
                index_t below = block.index[s], above = 0;
                const auto& faces = blocks[k - 1].index;
                for (dim_t r = 0; r <= k; ++r) {
                    below -= binom(vertices[r], k + 1 - r);
                    const index_t face = above + below;
                    column.push_back(
                        offset[k - 1] +
                        (std::lower_bound(faces.begin(), faces.end(), face) - faces.begin()));
                    above += binom(vertices[r], k - r);
                }
                std::sort(column.begin(), column.end());
            }
            cells.boundary.push_column(column);
            const auto edge = critical_edge_of(vertices, nbrs);
            edge_by_input.push_back(edge[0]);
            edge_by_input.push_back(edge[1]);
            index_by_input.push_back(block.index[s]);
        }
        if (k > 0) {  // the faces of dimension k - 1 are no longer looked up
            std::vector<index_t>().swap(blocks[k - 1].index);
            std::vector<value_t>().swap(blocks[k - 1].diameter);
        }
    }

    RipsFiltration out{Filtration(std::move(cells), false), {}, {}};
    out.filtration.set_kind("vr", true);
    const auto& perm = out.filtration.sorted_to_input();
    out.critical_edges.resize(2 * perm.size());
    out.simplex_indices.resize(perm.size());
    for (std::size_t i = 0; i < perm.size(); ++i) {
        out.critical_edges[2 * i] = edge_by_input[2 * perm[i]];
        out.critical_edges[2 * i + 1] = edge_by_input[2 * perm[i] + 1];
        out.simplex_indices[i] = index_by_input[perm[i]];
    }
    return out;
}

}  // namespace calydon
