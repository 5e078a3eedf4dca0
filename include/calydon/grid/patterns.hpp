// calydon/grid/patterns.hpp: the shapes of grid cells, as tables over 0/1 vertex offsets.
//
// A cell of dimension k is an anchor vertex plus a pattern: the 0/1 offsets (bit i = +1 along
// axis i) of its vertices. Cubical k-cells are the masks s with k bits (vertices: every submask
// of s); Freudenthal (Kuhn) k-simplices are chains 0 < S1 < ... < Sk of strictly growing masks.
// Facets and cofacets are other (anchor shift, pattern) pairs, so a grid complex is a handful of
// small tables plus the grid: nothing is stored per cell.
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <vector>

namespace calydon {

/// Bit i of an offset mask means "+1 along axis i".
using offset_mask = std::uint32_t;

enum class GridComplexKind { cubical, freudenthal };

/// A neighbouring cell: the other pattern, anchored `shift` up (facets) or down (cofacets).
struct PatternLink {
    offset_mask shift;
    int pattern;
};

/// A cell containing a vertex: the k-cell anchored `vertex_mask` below it, with `pattern`.
struct PatternIncidence {
    offset_mask vertex_mask;
    int pattern;
};

struct CellPatterns {
    int ndim = 0;
    GridComplexKind kind = GridComplexKind::cubical;
    // [k][p]: vertex offsets of pattern p (ascending, 0 first) and their union.
    std::vector<std::vector<std::vector<offset_mask>>> vertices;
    std::vector<std::vector<offset_mask>> reach;
    std::vector<std::vector<std::vector<PatternLink>>> facets;    // [k][p], k >= 1
    std::vector<std::vector<std::vector<PatternLink>>> cofacets;  // [k][p], k < ndim
    std::vector<std::vector<PatternIncidence>> incidence;         // [k]: cells through a vertex

    int n_patterns(int k) const { return static_cast<int>(reach[k].size()); }
    offset_mask full() const { return (1u << ndim) - 1; }
};

namespace detail {

inline std::vector<offset_mask> submasks(offset_mask s) {
    std::vector<offset_mask> out;
    for (offset_mask t = s;; t = (t - 1) & s) {
        out.push_back(t);
        if (t == 0) break;
    }
    std::reverse(out.begin(), out.end());
    return out;
}

inline int find_pattern(const std::vector<std::vector<offset_mask>>& list,
                        const std::vector<offset_mask>& verts) {
    auto it = std::find(list.begin(), list.end(), verts);
    return it == list.end() ? -1 : static_cast<int>(it - list.begin());
}

/// Vertex lists of every pattern, per dimension, in the order cells are emitted.
inline std::vector<std::vector<std::vector<offset_mask>>> pattern_vertices(int ndim,
                                                                           GridComplexKind kind) {
    std::vector<std::vector<std::vector<offset_mask>>> out(ndim + 1);
    const offset_mask full = (1u << ndim) - 1;
    if (kind == GridComplexKind::cubical) {
        for (offset_mask s = 0; s <= full; ++s) out[std::popcount(s)].push_back(submasks(s));
        return out;
    }
    // Chains 0 < S1 < ... < Sk, grown one superset at a time (the emission order of Kuhn cells).
    std::vector<std::vector<std::vector<offset_mask>>> chains(ndim + 1);
    chains[0].push_back({});
    for (int k = 1; k <= ndim; ++k)
        for (const auto& c : chains[k - 1]) {
            const offset_mask last = c.empty() ? 0 : c.back();
            for (offset_mask s = 1; s <= full; ++s)
                if ((s & last) == last && s != last) {
                    auto next = c;
                    next.push_back(s);
                    chains[k].push_back(next);
                }
        }
    for (int k = 0; k <= ndim; ++k)
        for (const auto& c : chains[k]) {
            std::vector<offset_mask> verts{0};
            verts.insert(verts.end(), c.begin(), c.end());
            out[k].push_back(verts);
        }
    return out;
}

/// The facets of a pattern: drop each vertex and re-anchor at the smallest remaining offset
/// (cubical: the two opposite faces along each axis of s).
inline std::vector<PatternLink> pattern_facets(const CellPatterns& t, int k, int p) {
    std::vector<PatternLink> out;
    const auto& verts = t.vertices[k][p];
    if (t.kind == GridComplexKind::cubical) {
        const offset_mask s = t.reach[k][p];
        for (int i = 0; i < t.ndim; ++i) {
            if (!(s & (1u << i))) continue;
            const int f = find_pattern(t.vertices[k - 1], submasks(s & ~(1u << i)));
            out.push_back({0, f});
            out.push_back({1u << i, f});
        }
        return out;
    }
    for (std::size_t j = 0; j < verts.size(); ++j) {
        std::vector<offset_mask> rest;
        for (std::size_t i = 0; i < verts.size(); ++i)
            if (i != j) rest.push_back(verts[i]);
        const offset_mask shift = rest.front();  // chains are nested: the smallest is a submask
        for (auto& m : rest) m &= ~shift;
        out.push_back({shift, find_pattern(t.vertices[k - 1], rest)});
    }
    return out;
}

}  // namespace detail

inline CellPatterns make_cell_patterns(int ndim, GridComplexKind kind) {
    CellPatterns t;
    t.ndim = ndim;
    t.kind = kind;
    t.vertices = detail::pattern_vertices(ndim, kind);
    t.reach.resize(ndim + 1);
    t.facets.resize(ndim + 1);
    t.cofacets.resize(ndim + 1);
    t.incidence.resize(ndim + 1);
    for (int k = 0; k <= ndim; ++k)
        for (const auto& verts : t.vertices[k]) {
            offset_mask r = 0;
            for (offset_mask m : verts) r |= m;
            t.reach[k].push_back(r);
        }
    for (int k = 0; k <= ndim; ++k) {
        t.cofacets[k].resize(t.n_patterns(k));
        for (int p = 0; p < t.n_patterns(k); ++p)
            for (offset_mask m : t.vertices[k][p]) t.incidence[k].push_back({m, p});
    }
    for (int k = 1; k <= ndim; ++k) {
        t.facets[k].resize(t.n_patterns(k));
        for (int p = 0; p < t.n_patterns(k); ++p) {
            t.facets[k][p] = detail::pattern_facets(t, k, p);
            for (const PatternLink& f : t.facets[k][p])
                t.cofacets[k - 1][f.pattern].push_back({f.shift, p});
        }
    }
    return t;
}

}  // namespace calydon
