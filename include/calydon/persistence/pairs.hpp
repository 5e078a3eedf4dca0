// calydon/persistence/pairs.hpp: persistence pairs of a filtration, general and fast paths.
//
// The facade that joins filtration/ and reduction/: it picks the fast paths (union-find for H0
// and for the top dimension of triangulated balls) and reduces what is left with clearing.
#pragma once

#include <vector>

#include "calydon/core/thread_pool.hpp"
#include "calydon/persistence/decomposition.hpp"
#include "calydon/persistence/index_pairs.hpp"
#include "calydon/persistence/options.hpp"
#include "calydon/reduction/union_find.hpp"

namespace calydon {

/// Pairs read off a reduced decomposition (the reference path).
inline IndexPairs pairs_from_decomposition(const Filtration& fil, const Decomposition& dcmp,
                                           bool keep_zero_persistence = false) {
    PairCollector pairs(fil, keep_zero_persistence);
    const index_t n = fil.size();
    const auto& red = dcmp.reduction();
    for (index_t j = 0; j < n; ++j) {
        index_t low = red.low(j);
        if (low == no_index) continue;
        if (dcmp.dualize()) pairs.add(n - 1 - j, n - 1 - low);
        else pairs.add(low, j);
    }
    return pairs.finish();
}

namespace detail {

/// H0 by union-find over the edges (the edge block of the boundary matrix is a graph).
inline bool edges_are_graph(const Filtration& fil) {
    const auto& b = fil.boundary();
    for (index_t e = fil.dim_first(1); e < fil.dim_end(1); ++e)
        if (b.offsets[e + 1] - b.offsets[e] != 2) return false;
    return true;
}

inline void h0_by_union_find(const Filtration& fil, PairCollector& pairs) {
    const auto& b = fil.boundary();
    union_find_reduce(
        fil.dim_first(0), fil.dim_end(0), fil.dim_first(1), fil.dim_end(1),
        [&](index_t e, index_t* rows) {
            rows[0] = b.entries[b.offsets[e]];
            rows[1] = b.entries[b.offsets[e] + 1];
            return 2;
        },
        [&](index_t vertex, index_t edge) { pairs.add(vertex, edge); });
}

/// Top-dimensional pairs of a triangulated ball by union-find on the dual graph: the cohomology
/// block (codim-1 cells against top cells) is the incidence matrix of the dual graph, with the
/// outside of the ball as a vertex older than every top cell.
inline bool top_by_dual_union_find(const Filtration& fil, PairCollector& pairs) {
    const dim_t top = fil.max_dim();
    const index_t n = fil.size();
    const index_t f0 = fil.dim_first(top - 1), f1 = fil.dim_end(top - 1);
    std::vector<index_t> cofaces(2 * (f1 - f0), no_index);
    const auto& b = fil.boundary();
    for (index_t t = fil.dim_first(top); t < fil.dim_end(top); ++t) {
        for (index_t f : b.column(t)) {
            index_t* slot = &cofaces[2 * (f - f0)];
            if (slot[0] == no_index) slot[0] = t;
            else if (slot[1] == no_index) slot[1] = t;
            else return false;  // not a pseudomanifold: fall back to the matrix
        }
    }
    // A codimension-1 cell with no coface (a dangling edge, say) means the top cells do not
    // triangulate a ball around it: fall back to the matrix as well.
    for (std::size_t i = 0; i < cofaces.size(); i += 2)
        if (cofaces[i] == no_index) return false;
    // Matrix rows of top cells are n-1-t; columns are n-1-f for the codim-1 cells.
    std::vector<std::array<index_t, 2>> found;
    union_find_reduce(
        n - fil.dim_end(top), n - fil.dim_first(top), n - f1, n - f0,
        [&](index_t m, index_t* rows) {
            const index_t* slot = &cofaces[2 * (n - 1 - m - f0)];
            int k = 0;
            for (int s = 0; s < 2; ++s)
                if (slot[s] != no_index) rows[k++] = n - 1 - slot[s];
            return k;
        },
        [&](index_t row, index_t col) { found.push_back({n - 1 - col, n - 1 - row}); });
    for (auto [birth, death] : found) pairs.add(birth, death);
    return true;
}

}  // namespace detail

namespace detail {

/// The dimensions between H0 and the top, reduced with clearing on the requested side. Clearing
/// is seeded by the pairs a union-find found: homology skips codim-1 cells born in the top pairs,
/// cohomology skips edges that kill an H0 class. `highest` is the highest column dimension.
inline std::vector<std::array<index_t, 2>>
middle_pairs(const Filtration& fil, const PersistenceOptions& opts,
             const std::vector<std::array<index_t, 2>>& seeds, dim_t highest) {
    std::vector<std::array<index_t, 2>> out;
    if (highest < 2) return out;
    const index_t n = fil.size();
    const bool dualize = opts.dualize;
    // Homology reads the filtration's boundary in place; only cohomology needs a new matrix.
    const SparseColumns coboundary = dualize ? anti_transpose(fil.boundary()) : SparseColumns{};
    const SparseColumns& matrix = dualize ? coboundary : fil.boundary();
    ColumnReduction<> red(matrix, ReductionOptions{opts.clearing, false, opts.n_threads});
    for (auto [b, d] : seeds) red.mark_cleared(dualize ? n - 1 - d : b);
    const std::vector<index_t> offsets = dimension_offsets(fil);
    auto blocks = dualize ? clearing_block_order(offsets, true, 1, highest)
                          : clearing_block_order(offsets, false, 2, highest);
    red.reduce_blocks(blocks);
    for (const ColumnBlock& blk : blocks)
        for (index_t j = blk.begin; j < blk.end; ++j) {
            const index_t low = red.low(j);
            if (low == no_index) continue;
            if (dualize) out.push_back({n - 1 - j, n - 1 - low});
            else out.push_back({low, j});
        }
    return out;
}

}  // namespace detail

/// Persistence pairs with the fast paths: H0 by union-find, the top dimension of a triangulated
/// ball by dual union-find, and the dimensions in between by column reduction with clearing on
/// the requested side (`opts.dualize` = cohomology), seeded by the pairs of one union-find. With
/// n_threads >= 2 the other union-find runs beside the seeding one and the middle reduction,
/// whose parallel blocks take every thread that is free; the pairs are the same.
inline IndexPairs compute_persistence_pairs(const Filtration& fil, const PersistenceOptions& opts) {
    TokenScope scope(opts.cancel ? opts.cancel : current_token());
    const dim_t top = fil.max_dim();
    if (!opts.fast_paths || top < 1 || !detail::edges_are_graph(fil)) {
        PersistenceOptions plain = opts;
        plain.v_dims = 0;
        Decomposition dcmp(fil, plain);
        return pairs_from_decomposition(fil, dcmp, opts.keep_zero_persistence);
    }
    // The union-find paths must see every pair, zero persistence included, for clearing. The two
    // union-finds add pairs of different dimensions and mark disjoint cells, so they may overlap.
    PairCollector all(fil, true);
    const bool try_top = top >= 2 && fil.top_is_ball();
    bool top_done = false;
    std::vector<std::array<index_t, 2>> middle;
    auto h0 = [&] { detail::h0_by_union_find(fil, all); };
    auto top_pass = [&] { top_done = try_top && detail::top_by_dual_union_find(fil, all); };
    // The middle reduction waits only for the union-find that seeds its clearing (H0 for
    // cohomology, the top for homology); the other union-find runs beside both, on whichever
    // thread is free first (a busy pool thread, say one indexing Delaunay supports for the same
    // call, picks it up when done, and then helps the middle's parallel blocks).
    auto seeded_middle = [&] {
        if (opts.dualize) {
            h0();
            middle = detail::middle_pairs(fil, opts, all.finite_in_dim(0), try_top ? top - 1 : top);
            return;
        }
        top_pass();
        static const std::vector<std::array<index_t, 2>> none;
        middle = detail::middle_pairs(fil, opts, top_done ? all.finite_in_dim(top - 1) : none,
                                      top_done ? top - 1 : top);
    };
    parallel_for(2, opts.n_threads, [&](index_t task) {
        if (task == 0) seeded_middle();
        else if (opts.dualize) top_pass();
        else h0();
    });
    if (try_top && !top_done && opts.dualize) {  // not a pseudomanifold after all (rare)
        PersistenceOptions serial = opts;
        serial.fast_paths = false;
        return compute_persistence_pairs(fil, serial);
    }
    for (auto [b, d] : middle) all.add(b, d);
    IndexPairs out = all.finish();
    if (!opts.keep_zero_persistence)
        for (auto& per_dim : out.finite)
            std::erase_if(per_dim, [&](const std::array<index_t, 2>& p) {
                return fil.value(p[0]) == fil.value(p[1]);
            });
    return out;
}

}  // namespace calydon
