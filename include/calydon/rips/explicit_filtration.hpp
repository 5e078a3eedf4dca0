// calydon/rips/explicit_filtration.hpp: the materialised Vietoris-Rips filtration.
//
// Every simplex up to max_dim within the threshold becomes a cell, sorted like any calydon
// filtration (dimension, value, input position). Input positions are dimension-major and, within
// a dimension, by increasing combinatorial index. Each cell carries its critical edge, the pair
// of vertices whose length is its value, so that a differentiable layer can recompute the value.
// The combinatorics (RipsSkeleton) are built apart from the values, so that a loop whose edge
// set does not change reuses them.
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

/// The combinatorics of a Rips complex: the simplices within the threshold, their vertices and
/// their boundaries, in input order. They depend on the edge set alone, so an optimisation loop
/// whose points move without an edge crossing the threshold builds them once (the values and
/// the order are recomputed every time).
struct RipsSkeleton {
    index_t n_points = 0;
    dim_t max_dim = 0;
    std::vector<index_t> edge_keys;  // u * n + v (u < v) of the edges within threshold, ascending
    std::vector<dim_t> dims;
    SparseColumns boundary;         // rows are input positions
    std::vector<index_t> vertices;  // each simplex's vertices, ascending, simplex after simplex
    std::vector<index_t> simplex_index;  // combinatorial index within the dimension

    index_t size() const { return static_cast<index_t>(dims.size()); }
    std::size_t bytes() const {
        return sizeof(index_t) *
                   (edge_keys.size() + boundary.entries.size() + boundary.offsets.size() +
                    vertices.size() + simplex_index.size()) +
               dims.size();
    }
    /// Whether this skeleton is the complex of `nbrs` up to `top` (same points, same edges).
    bool fits(const SparseDistances& nbrs, dim_t top) const {
        return nbrs.size() == n_points && top == max_dim && edge_keys_of(nbrs) == edge_keys;
    }

    static std::vector<index_t> edge_keys_of(const SparseDistances& nbrs) {
        std::vector<index_t> keys;
        keys.reserve(static_cast<std::size_t>(nbrs.n_edges()));
        for (index_t u = 0; u < nbrs.size(); ++u)
            for (const auto& nb : nbrs.neighbors(u))
                if (nb.vertex > u) keys.push_back(u * nbrs.size() + nb.vertex);
        std::sort(keys.begin(), keys.end());
        return keys;
    }
};

namespace detail {
struct DimBlock {
    std::vector<index_t> index;  // increasing
};

/// Combinatorial indices of the simplices of each dimension up to max_dim, increasing.
inline std::vector<DimBlock> enumerate_simplices(const SparseDistances& nbrs, dim_t max_dim,
                                                 index_t max_cells, const BinomialTable& binom) {
    const index_t n = nbrs.size();
    std::vector<DimBlock> blocks(max_dim + 1);
    blocks[0].index.resize(n);
    for (index_t v = 0; v < n; ++v) blocks[0].index[v] = v;
    index_t total = n;
    Cofacets<SparseDistances> cofacets(nbrs, binom, value_inf);
    std::uint64_t ticks = 0;
    for (dim_t k = 1; k <= max_dim; ++k) {
        std::vector<index_t>& found = blocks[k].index;
        for (index_t index : blocks[k - 1].index) {
            // Diameters play no part here: the threshold was applied by the neighbour lists.
            cofacets.set_simplex({0.0, index}, k - 1, true);
            DiamIndex c;
            while (cofacets.next(c)) {
                poll_interrupt(++ticks);
                found.push_back(c.index);
                if (++total > max_cells)
                    throw std::length_error(format_message("the complex has more than ", max_cells,
                                                           " simplices up to max_dim=", max_dim,
                                                           "; lower max_dim or max_diameter"));
            }
        }
        std::sort(found.begin(), found.end());
    }
    return blocks;
}

/// Position of a facet among the simplices of its dimension: a direct lookup when the block
/// holds every simplex (a complete complex), a binary search otherwise.
inline index_t facet_position(const std::vector<index_t>& faces, index_t face, bool complete) {
    if (complete) return face;
    return std::lower_bound(faces.begin(), faces.end(), face) - faces.begin();
}
}  // namespace detail

/// Builds the skeleton from neighbour lists within the threshold. max_cells bounds the number
/// of cells (std::length_error past it), a last guard behind the caller's memory estimate.
inline RipsSkeleton rips_skeleton(const SparseDistances& nbrs, dim_t max_dim, index_t max_cells) {
    const index_t n = nbrs.size();
    if (max_dim < 0) throw_invalid("max_dim must be >= 0, got ", max_dim);
    BinomialTable binom(n, max_dim + 1);
    std::vector<detail::DimBlock> blocks =
        detail::enumerate_simplices(nbrs, max_dim, max_cells, binom);
    RipsSkeleton out;
    out.n_points = n;
    out.max_dim = max_dim;
    out.edge_keys = RipsSkeleton::edge_keys_of(nbrs);
    std::vector<index_t> offset(max_dim + 2, 0);
    for (dim_t k = 0; k <= max_dim; ++k)
        offset[k + 1] = offset[k] + static_cast<index_t>(blocks[k].index.size());
    const index_t total = offset[max_dim + 1];
    out.dims.reserve(total);
    out.simplex_index.reserve(total);
    out.boundary.offsets.reserve(total + 1);
    std::vector<index_t> vertices, column;
    std::uint64_t ticks = 0;
    for (dim_t k = 0; k <= max_dim; ++k) {
        const auto& faces = k > 0 ? blocks[k - 1].index : blocks[0].index;
        const bool complete =
            k > 0 && static_cast<index_t>(faces.size()) == binom(n, k) && faces.size() > 0;
        for (index_t index : blocks[k].index) {
            poll_interrupt(++ticks);
            simplex_vertices(index, k, binom, vertices);  // descending
            out.dims.push_back(k);
            out.simplex_index.push_back(index);
            out.vertices.insert(out.vertices.end(), vertices.rbegin(), vertices.rend());
            column.clear();
            if (k > 0) {
                index_t below = index, above = 0;
                for (dim_t r = 0; r <= k; ++r) {
                    below -= binom(vertices[r], k + 1 - r);
                    column.push_back(offset[k - 1] +
                                     detail::facet_position(faces, above + below, complete));
                    above += binom(vertices[r], k - r);
                }
                std::sort(column.begin(), column.end());
            }
            out.boundary.push_column(column);
        }
        if (k > 0) std::vector<index_t>().swap(blocks[k - 1].index);  // no longer looked up
    }
    return out;
}

/// The filtration of a skeleton for the given edge lengths (length(u, v), u < v): each cell's
/// value is the length of its critical edge, the first longest pair in lexicographic order.
template <class Lengths>
RipsFiltration rips_filtration(const RipsSkeleton& sk, const Lengths& length) {
    const index_t total = sk.size();
    CellList cells;
    cells.dims.assign(sk.dims.begin(), sk.dims.end());
    cells.boundary = sk.boundary;
    cells.values.resize(total);
    std::vector<index_t> edge_by_input(2 * static_cast<std::size_t>(total));
    std::uint64_t ticks = 0;
    std::size_t at = 0;
    for (index_t s = 0; s < total; ++s) {
        poll_interrupt(++ticks);
        const std::size_t count = static_cast<std::size_t>(sk.dims[s]) + 1;
        const index_t* v = sk.vertices.data() + at;
        at += count;
        index_t bu = v[0], bv = v[0];
        value_t best = count > 1 ? -1.0 : 0.0;
        for (std::size_t a = 0; a < count; ++a)
            for (std::size_t b = a + 1; b < count; ++b) {
                const value_t len = length(v[a], v[b]);
                if (len > best) {
                    best = len;
                    bu = v[a];
                    bv = v[b];
                }
            }
        cells.values[s] = best;
        edge_by_input[2 * s] = bu;
        edge_by_input[2 * s + 1] = bv;
    }
    RipsFiltration out{Filtration(std::move(cells), false), {}, {}};
    out.filtration.set_kind("vr", true);
    const auto& perm = out.filtration.sorted_to_input();
    out.critical_edges.resize(2 * perm.size());
    out.simplex_indices.resize(perm.size());
    for (std::size_t i = 0; i < perm.size(); ++i) {
        out.critical_edges[2 * i] = edge_by_input[2 * perm[i]];
        out.critical_edges[2 * i + 1] = edge_by_input[2 * perm[i] + 1];
        out.simplex_indices[i] = sk.simplex_index[perm[i]];
    }
    return out;
}

/// Builds the filtration from neighbour lists within the threshold (see rips_skeleton).
inline RipsFiltration rips_filtration(const SparseDistances& nbrs, dim_t max_dim,
                                      index_t max_cells) {
    return rips_filtration(rips_skeleton(nbrs, max_dim, max_cells), nbrs);
}

}  // namespace calydon
