// calydon/optimize/merge_forest.hpp: canonical V columns of H0 births and top deaths, from a
// union-find instead of a reduction.
//
// Cohomology, vertices. Reduce the coboundary matrix left to right (latest vertex first) without
// clearing. The column of vertex v stays the coboundary of a vertex set V, and its pivot is the
// earliest edge p leaving V. If the other side X of p (its component among the edges before p)
// has an older vertex than v, the elder rule kills v at p and nothing else owns p: v is done.
// Otherwise the oldest vertex w of X dies at p, w was reduced before v, and (by induction) its
// column is X: V grows to V + X, a component among the edges before the next pivot. So the
// canonical V column of v is the component v leads just before it dies: v and, recursively,
// every component merged into v by the elder rule. A vertex never dying gets its final
// component. This is a tree: the absorbed-into forest of the H0 union-find.
//
// Homology, top cells. The mirror image when every (top-1)-cell has at most two top cofaces (a
// pseudomanifold: grids, Delaunay): the dual union-find runs the (top-1)-cells from the latest
// down, merges top cells (a face with one coface meets the outside, older than every cell), and
// the earlier of the two latest cells dies. The V column of a top cell is its dual component
// just before it dies: its subtree of the absorbed-into forest.
//
// A critical set keeps the members of a column up to the first one past the target in walk order
// (oldest first for vertices, latest first for top cells). A subtree's root comes first in that
// order among the subtree's cells, so a root past the target prunes its whole subtree, and the
// set costs its own size.
#pragma once

#include <algorithm>
#include <array>
#include <functional>
#include <numeric>
#include <optional>
#include <vector>

#include "calydon/core/interrupt.hpp"
#include "calydon/filtration/filtration.hpp"
#include "calydon/reduction/union_find.hpp"

namespace calydon {

class MergeForest {
public:
    /// The forest of the cells [first, first + n): absorbed_into[i] = the local node that absorbed
    /// node i, or -1.
    MergeForest(index_t first, const std::vector<index_t>& absorbed_into)
        : first_(first), offsets_(absorbed_into.size() + 1, 0) {
        for (index_t parent : absorbed_into)
            if (parent >= 0) ++offsets_[parent + 1];
        for (std::size_t i = 1; i < offsets_.size(); ++i) offsets_[i] += offsets_[i - 1];
        children_.resize(static_cast<std::size_t>(offsets_.back()));
        std::vector<index_t> fill(offsets_.begin(), offsets_.end() - 1);
        for (std::size_t i = 0; i < absorbed_into.size(); ++i)
            if (absorbed_into[i] >= 0)
                children_[fill[absorbed_into[i]]++] = static_cast<index_t>(i);
    }

    /// The cells (sorted ids) of cell's subtree that keep() accepts, pruning at a refused root;
    /// ascending ids when `ascending`, else descending (the walk order of the column).
    template <class Keep>
    std::vector<index_t> collect(index_t cell, Keep&& keep, bool ascending) const {
        std::vector<index_t> out, stack;
        if (!keep(cell)) return out;
        stack.push_back(cell - first_);
        std::uint64_t ticks = 0;
        while (!stack.empty()) {
            const index_t node = stack.back();
            stack.pop_back();
            poll_interrupt(++ticks);
            out.push_back(node + first_);
            for (index_t i = offsets_[node]; i < offsets_[node + 1]; ++i)
                if (keep(children_[i] + first_)) stack.push_back(children_[i]);
        }
        if (ascending) std::sort(out.begin(), out.end());
        else std::sort(out.begin(), out.end(), std::greater<>{});
        return out;
    }

private:
    index_t first_;
    std::vector<index_t> offsets_, children_;
};

/// The H0 absorbed-into forest of the vertices (sorted ids 0..n_vertices-1): the older (smaller
/// id) representative survives each merge. Nothing when some 1-cell has other than two vertices
/// (a user's cell complex), where the coboundary is not a graph's.
inline std::optional<MergeForest> vertex_merge_forest(const Filtration& fil) {
    const index_t n = fil.size_in_dim(0);
    const auto& boundary = fil.boundary();
    for (index_t e = fil.dim_first(1); e < fil.dim_end(1); ++e)
        if (boundary.column(e).size() != 2) return std::nullopt;
    std::vector<index_t> absorbed_into(static_cast<std::size_t>(n), -1);
    std::vector<index_t> rows(static_cast<std::size_t>(n));
    std::iota(rows.begin(), rows.end(), index_t{0});
    ElderUnionFind sets(std::move(rows));
    for (index_t e = fil.dim_first(1); e < fil.dim_end(1); ++e) {
        poll_interrupt(static_cast<std::uint64_t>(e));
        const auto ends = boundary.column(e);
        const index_t dead = sets.merge(ends[0], ends[1]);
        if (dead != no_index) absorbed_into[dead] = sets.eldest(ends[0]);
    }
    return MergeForest(0, absorbed_into);
}

/// The dual absorbed-into forest of the top cells, or nothing when some (top-1)-cell has more
/// than two top cofaces. Local node n_top is the outside (it survives every merge).
inline std::optional<MergeForest> top_merge_forest(const Filtration& fil) {
    const dim_t top = fil.max_dim();
    if (top < 1) return std::nullopt;
    const index_t first = fil.dim_first(top), n_top = fil.size_in_dim(top);
    const index_t face_first = fil.dim_first(top - 1), n_faces = fil.size_in_dim(top - 1);
    const index_t outside = n_top;
    std::vector<std::array<index_t, 2>> cofaces(static_cast<std::size_t>(n_faces),
                                                {outside, outside});
    for (index_t t = 0; t < n_top; ++t)
        for (index_t f : fil.boundary().column(first + t)) {
            auto& c = cofaces[f - face_first];
            if (c[0] == outside) c[0] = t;
            else if (c[1] == outside) c[1] = t;
            else return std::nullopt;  // a third coface: not a pseudomanifold
        }
    // Rows in reverse order, so that the elder is the later top cell; the outside is row -1.
    std::vector<index_t> rows(static_cast<std::size_t>(n_top) + 1);
    for (index_t t = 0; t < n_top; ++t) rows[t] = n_top - 1 - t;
    rows[outside] = -1;
    ElderUnionFind sets(std::move(rows));
    std::vector<index_t> absorbed_into(static_cast<std::size_t>(n_top), -1);
    for (index_t f = n_faces; f-- > 0;) {
        poll_interrupt(static_cast<std::uint64_t>(f));
        if (cofaces[f][0] == outside) continue;  // a face of no top cell joins nothing
        const index_t dead = sets.merge(cofaces[f][0], cofaces[f][1]);
        if (dead == no_index) continue;
        const index_t survivor = sets.eldest(cofaces[f][0]);
        if (survivor >= 0) absorbed_into[n_top - 1 - dead] = n_top - 1 - survivor;
    }
    return MergeForest(first, absorbed_into);
}

}  // namespace calydon
