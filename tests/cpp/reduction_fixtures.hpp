// Shared by the reduction C++ tests: random clique complexes and a reduction of one side with
// every V kept, R = D V checked column by column.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>

#include "calydon/filtration/simplicial.hpp"
#include "calydon/persistence/pairs.hpp"

namespace reduction_fixtures {

using namespace calydon;

/// The clique complex (up to dimension max_dim) of a random graph, with random values made
/// monotone (a simplex is never below its faces); ties are frequent on purpose.
inline Filtration random_clique_filtration(std::mt19937_64& rng, int n_vertices, double p,
                                           int max_dim, int value_levels) {
    std::bernoulli_distribution edge(p);
    std::uniform_int_distribution<int> level(0, value_levels);
    std::vector<std::vector<bool>> adj(n_vertices, std::vector<bool>(n_vertices, false));
    for (int a = 0; a < n_vertices; ++a)
        for (int b = a + 1; b < n_vertices; ++b) adj[a][b] = adj[b][a] = edge(rng);
    std::vector<std::vector<index_t>> simplices;
    std::map<std::vector<index_t>, value_t> value;
    std::vector<std::vector<index_t>> layer;
    for (int v = 0; v < n_vertices; ++v) layer.push_back({v});
    for (int d = 0; d <= max_dim && !layer.empty(); ++d) {
        std::vector<std::vector<index_t>> next;
        for (const auto& s : layer) {
            value_t val = level(rng);
            for (std::size_t drop = 0; s.size() > 1 && drop < s.size(); ++drop) {
                auto face = s;
                face.erase(face.begin() + static_cast<std::ptrdiff_t>(drop));
                val = std::max(val, value.at(face));
            }
            value[s] = val;
            simplices.push_back(s);
            for (int w = static_cast<int>(s.back()) + 1; w < n_vertices; ++w) {
                bool clique = true;
                for (index_t u : s) clique = clique && adj[u][w];
                if (clique) {
                    auto t = s;
                    t.push_back(w);
                    next.push_back(t);
                }
            }
        }
        layer = std::move(next);
    }
    std::vector<value_t> values;
    for (const auto& s : simplices) values.push_back(value.at(s));
    return simplicial_filtration(simplices, values, false);
}

struct Reduced {
    std::vector<index_t> lows;
    std::vector<std::vector<index_t>> v;
};

/// Reduces one side of `fil` with every V kept; canonical: restore the ELZ form afterwards.
inline Reduced reduce(const Filtration& fil, bool dualize, bool clearing, int n_threads,
                      bool canonical) {
    const SparseColumns matrix = dualize ? anti_transpose(fil.boundary()) : fil.boundary();
    // Threads on every block, however light (min_parallel_work 0), one column at a time.
    ColumnReduction<> red(matrix, ReductionOptions{clearing, true, n_threads, 1, 1, 0});
    auto blocks = clearing_block_order(dimension_offsets(fil), dualize, 0, fil.max_dim());
    for (ColumnBlock& b : blocks) b.keep_v = true;
    red.reduce_blocks(blocks);
    if (canonical)
        for (const ColumnBlock& b : blocks) restore_canonical_v(red, b);
    Reduced out;
    std::vector<index_t> scratch;
    for (index_t j = 0; j < matrix.n_columns(); ++j) {
        out.lows.push_back(red.low(j));
        out.v.push_back(red.v_column(j));
        // R_j = D V_j, computed here from the matrix itself.
        std::vector<index_t> dv;
        for (index_t k : out.v.back()) add_column(dv, matrix.column(k), scratch);
        const auto r = red.r_column(j);
        EXPECT_EQ(dv, std::vector<index_t>(r.begin(), r.end())) << "column " << j;
    }
    return out;
}

inline std::set<std::array<index_t, 2>> pair_set(const IndexPairs& p) {
    std::set<std::array<index_t, 2>> s;
    for (const auto& dim : p.finite) s.insert(dim.begin(), dim.end());
    for (std::size_t d = 0; d < p.essential.size(); ++d)
        for (index_t e : p.essential[d]) s.insert({e, -1});
    return s;
}

}  // namespace reduction_fixtures
