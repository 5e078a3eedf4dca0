// calydon/delaunay/complex.hpp: every simplex of a pure complex given by its top
// simplices, with facet incidences, found by bucketing and sorting vertex tuples (no hashing,
// no CGAL).
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <stdexcept>
#include <vector>

#include "calydon/core/errors.hpp"
#include "calydon/core/interrupt.hpp"
#include "calydon/core/radix_sort.hpp"
#include "calydon/core/thread_pool.hpp"
#include "calydon/core/types.hpp"

namespace calydon {

/// Simplices of dimension 0..dim. Dimension k > 0 stores, per simplex, its k + 1 vertex ids
/// (ascending) and its k + 1 facets as ids in dimension k - 1; facet j omits vertex j. Dimension 0
/// is the n_points vertices themselves (the Delaunay builder numbers them along a spatial sort).
struct SimplicialComplexByDim {
    int dim = 0;
    index_t n_points = 0;
    std::array<std::vector<std::uint32_t>, 4> vertices;
    std::array<std::vector<index_t>, 4> facets;

    index_t size(int k) const {
        if (k == 0) return n_points;
        if (k > dim) return 0;
        return static_cast<index_t>(vertices[k].size()) / (k + 1);
    }
    /// Global input position of the first simplex of dimension k (dimension-major numbering).
    index_t offset(int k) const {
        index_t off = 0;
        for (int j = 0; j < k; ++j) off += size(j);
        return off;
    }
    index_t total_size() const { return offset(dim + 1); }
    const std::uint32_t* simplex(int k, index_t i) const {
        return vertices[k].data() + i * (k + 1);
    }
    const index_t* facets_of(int k, index_t i) const { return facets[k].data() + i * (k + 1); }

    /// Dimension and vertices of the simplex at global position g; returns the vertex count.
    int vertices_at(index_t g, std::uint32_t* out) const {
        int k = 0;
        while (k < 3 && g >= size(k)) g -= size(k++);
        if (k == 0) out[0] = static_cast<std::uint32_t>(g);
        else
            for (int i = 0; i <= k; ++i) out[i] = simplex(k, g)[i];
        return k + 1;
    }
};

/// A value for every simplex of a complex (global positions) and its support: the global
/// position of the simplex whose smallest circumsphere gives the value (itself, a coface or a face).
struct CellValuesWithSupport {
    std::vector<value_t> values;
    std::vector<index_t> support;

    explicit CellValuesWithSupport(index_t n) : values(n, 0), support(n, no_index) {}
    void set(index_t g, value_t v, index_t s) {
        values[g] = v;
        support[g] = s;
    }
};

/// The start every bottom-up value rule shares: vertices get value 0 (their own support), and
/// every edge e gets `edge_value(vertices of e)` with itself as support.
template <class EdgeValue>
CellValuesWithSupport vertex_and_edge_values(const SimplicialComplexByDim& cx,
                                             EdgeValue&& edge_value) {
    CellValuesWithSupport out(cx.total_size());
    for (index_t v = 0; v < cx.n_points; ++v) out.set(v, 0, v);
    if (cx.dim >= 1) {
        const index_t off = cx.offset(1);
        std::uint64_t ticks = 0;
        for (index_t e = 0; e < cx.size(1); ++e) {
            poll_interrupt(++ticks);
            out.set(off + e, edge_value(cx.simplex(1, e)), off + e);
        }
    }
    return out;
}

namespace detail {

/// One facet occurrence: the facet's vertices after the first, packed, and where it came from.
struct FacetRecord {
    std::uint64_t rest;  // (second << 32) | third, or second alone for edges
    std::uint32_t slot;  // coface * (k + 1) + j
};

/// Where each range of cofaces writes its facet records: the buckets (one per first vertex) in
/// vertex order, and inside a bucket the ranges in order, so the records land exactly where a
/// single pass would put them. Positions fit 32 bits (m * (k + 1) < 2^32 is checked).
struct FacetBuckets {
    std::vector<std::uint32_t> start;                // n + 1 bucket bounds
    std::vector<std::vector<std::uint32_t>> cursor;  // per range: next slot in each bucket
};

/// Cofaces per range of the facet records' passes: below a few thousand rows per range a
/// second thread costs more than it saves, and each range keeps a cursor per vertex, so at
/// most 4 ranges.
inline constexpr index_t min_cofaces_per_range = 8192;
inline int coface_threads(int n_threads) { return std::clamp(n_threads, 1, 4); }

/// The first vertex of facet j of an ascending row: v[0], or v[1] when j == 0.
inline FacetBuckets bucket_facets(const SimplicialComplexByDim& cx, int k, int n_threads) {
    const int nv = k + 1;
    const index_t m = cx.size(k), n = cx.n_points;
    const std::uint32_t* all = cx.vertices[k].data();
    FacetBuckets b;
    const int threads = coface_threads(n_threads);
    b.cursor.assign(range_count(m, threads, min_cofaces_per_range),
                    std::vector<std::uint32_t>(n, 0));
    parallel_indexed_ranges(
        m, threads,
        [&](index_t r, index_t first, index_t last) {
            auto& count = b.cursor[r];
            for (index_t s = first; s < last; ++s) {
                count[all[s * nv + 1]] += 1;
                count[all[s * nv]] += k;
            }
        },
        min_cofaces_per_range);
    b.start.assign(n + 1, 0);
    for (index_t a = 0; a < n; ++a) {
        std::uint32_t at = b.start[a];
        for (auto& c : b.cursor) {
            const std::uint32_t count = c[a];
            c[a] = at;
            at += count;
        }
        b.start[a + 1] = at;
    }
    return b;
}

/// Parts of the buckets (first vertices) for the threads, as bounds: parts of about equal
/// record counts, several per thread so that a thread slowed down (a page fault, a busy core)
/// leaves the rest of its share to the others. One part on one thread.
inline std::vector<index_t> balanced_parts(const std::vector<std::uint32_t>& start, int n_threads) {
    const index_t n = static_cast<index_t>(start.size()) - 1;
    const index_t n_parts =
        n_threads <= 1 ? 1 : std::clamp<index_t>(n / 1024, 1, index_t{4} * n_threads);
    std::vector<index_t> first_vertex(n_parts + 1, n);
    first_vertex[0] = 0;
    const std::uint64_t total = start.back();
    for (index_t p = 1; p < n_parts; ++p) {
        const auto target = static_cast<std::uint32_t>(total * p / n_parts);
        first_vertex[p] = std::lower_bound(start.begin(), start.end() - 1, target) - start.begin();
    }
    return first_vertex;
}

/// Sorts each bucket of facet records on the vertices after the first, then gives the distinct
/// facets their ids in lexicographic order (cx.vertices[k - 1]) and every coface slot its facet's
/// id (cx.facets[k]): by ranges of first vertices, a count of distinct facets, then the writes.
inline void number_facets(SimplicialComplexByDim& cx, int k,
                          const std::vector<std::uint32_t>& start, std::span<FacetRecord> recs,
                          int n_threads) {
    const std::vector<index_t> first_vertex = balanced_parts(start, n_threads);
    const index_t n_ranges = static_cast<index_t>(first_vertex.size()) - 1;
    auto by_rest = [](const FacetRecord& x, const FacetRecord& y) { return x.rest < y.rest; };
    auto is_new = [&](std::uint32_t r, index_t a) {
        return r == start[a] || recs[r].rest != recs[r - 1].rest;
    };
    std::vector<index_t> first_id(n_ranges + 1, 0);
    parallel_for(n_ranges, n_threads, [&](index_t part) {
        index_t distinct = 0;
        for (index_t a = first_vertex[part]; a < first_vertex[part + 1]; ++a) {
            std::sort(recs.begin() + start[a], recs.begin() + start[a + 1], by_rest);
            for (std::uint32_t r = start[a]; r < start[a + 1]; ++r) distinct += is_new(r, a);
        }
        first_id[part + 1] = distinct;
    });
    for (index_t part = 0; part < n_ranges; ++part) first_id[part + 1] += first_id[part];
    auto& out_vertices = cx.vertices[k - 1];
    auto& cof_facets = cx.facets[k];
    out_vertices.assign(static_cast<std::size_t>(first_id[n_ranges]) * k, 0);
    cof_facets.assign(recs.size(), no_index);
    parallel_for(n_ranges, n_threads, [&](index_t part) {
        index_t id = first_id[part] - 1;
        for (index_t a = first_vertex[part]; a < first_vertex[part + 1]; ++a)
            for (std::uint32_t r = start[a]; r < start[a + 1]; ++r) {
                if (is_new(r, a)) {
                    std::uint32_t* out = out_vertices.data() + ++id * k;
                    out[0] = static_cast<std::uint32_t>(a);
                    if (k == 3) out[1] = static_cast<std::uint32_t>(recs[r].rest >> 32);
                    out[k - 1] = static_cast<std::uint32_t>(recs[r].rest);
                }
                cof_facets[recs[r].slot] = id;
            }
    });
}

/// Fills the (k-1)-simplices (ordered lexicographically) and the facet ids of the k-simplices
/// (k = 2 or 3). Equal facets are found by a counting sort on their first vertex followed by a
/// small sort of each bucket on the other vertices; with spatially numbered vertices the
/// buckets a simplex writes to are close together. Every step runs on ranges (of cofaces, then
/// of first vertices) on the shared pool, with the same result for any thread count.
inline void derive_facets(SimplicialComplexByDim& cx, int k, int n_threads = 1) {
    const int nv = k + 1;
    const index_t m = cx.size(k);
    if (static_cast<std::uint64_t>(m) * nv >= (std::uint64_t{1} << 32))
        throw std::length_error("too many simplices for the facet index");
    FacetBuckets buckets = bucket_facets(cx, k, n_threads);
    const std::uint32_t* all = cx.vertices[k].data();
    // Every record is written by the parallel pass below: no serial zero fill of the buffer
    // (some 10 MB for a 10k-point 3-D complex).
    const std::size_t n_recs = static_cast<std::size_t>(m) * nv;
    const std::unique_ptr<FacetRecord[]> rec_buffer(new FacetRecord[n_recs]);
    const std::span<FacetRecord> recs(rec_buffer.get(), n_recs);
    // The same ranges as bucket_facets', each writing through its own cursors.
    parallel_indexed_ranges(
        m, coface_threads(n_threads),
        [&](index_t r, index_t first, index_t last) {
            auto& fill = buckets.cursor[r];
            std::uint32_t face[3];
            for (index_t s = first; s < last; ++s) {
                poll_interrupt(static_cast<std::uint64_t>(s));
                const std::uint32_t* v = all + s * nv;
                for (int j = 0; j < nv; ++j) {
                    int c = 0;
                    for (int t = 0; t < nv; ++t)
                        if (t != j) face[c++] = v[t];
                    const std::uint64_t rest =
                        k == 3 ? (std::uint64_t{face[1]} << 32) | face[2] : face[1];
                    recs[fill[face[0]]++] = {rest, static_cast<std::uint32_t>(s * nv + j)};
                }
            }
        },
        min_cofaces_per_range);
    buckets.cursor = {};
    number_facets(cx, k, buckets.start, recs, n_threads);
}

}  // namespace detail

/// All faces of the pure complex whose top simplices (dimension top_dim, rows ascending) are
/// given, on n_points vertices. `extra_edges` (pairs, ascending) are appended to dimension 1
/// after the edges of the top simplices; they must not repeat any of them.
inline SimplicialComplexByDim
complex_from_top_simplices(index_t n_points, int top_dim, std::vector<std::uint32_t> top,
                           const std::vector<std::uint32_t>& extra_edges, int n_threads = 1) {
    if (top_dim > 3) throw_invalid("simplices of dimension > 3 are not supported, got ", top_dim);
    SimplicialComplexByDim cx;
    cx.n_points = n_points;
    cx.dim = std::max(top_dim, extra_edges.empty() ? 0 : 1);
    if (top_dim >= 1) cx.vertices[top_dim] = std::move(top);
    for (int k = top_dim; k >= 2; --k) detail::derive_facets(cx, k, n_threads);
    // Appending keeps the triangles' facet ids (which point into the edge list) valid.
    cx.vertices[1].insert(cx.vertices[1].end(), extra_edges.begin(), extra_edges.end());
    if (cx.dim >= 1) cx.facets[1].assign(cx.vertices[1].begin(), cx.vertices[1].end());
    return cx;
}

}  // namespace calydon
