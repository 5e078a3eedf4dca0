// calydon/rips/cohomology.hpp: Vietoris-Rips persistence by implicit cohomology.
//
// The algorithm of Bauer, "Ripser: efficient computation of Vietoris-Rips persistence barcodes"
// (J. Appl. Comput. Topol., 2021), written for calydon:
//  * H0 by union-find over the edges in filtration order;
//  * for k >= 1, the coboundary matrix of k-simplices is reduced column by column, latest
//    simplex first, with cofacets enumerated on demand (cofacets.hpp) and never stored;
//  * clearing: a k-simplex that killed a (k-1)-class is not a column;
//  * apparent pairs (sigma, tau): tau is the earliest cofacet of sigma and sigma the latest facet
//    of tau, both at the same diameter. Such sigma are not columns, and tau is resolved on the fly
//    when it shows up as a pivot;
//  * emergent pairs: when a column's earliest cofacet has the column's own diameter and no other
//    column owns it, the column needs no reduction and its coboundary is not even built.
// Within one diameter, simplices are ordered by decreasing index (enters_before). The diagrams,
// as values, agree with any other tie-breaking; the simplices reported for a pair are those of
// this order.
//
// Threads (n_threads > 1): the apparent-pair tests of the edges, the column assembly (cofacets,
// clearing, apparent pairs) and the reduction run on the shared pool; the reduction is pipelined
// (pipelined_reduction.hpp) and its output is the serial one, pair for pair and in the same
// order, for any number of threads.
#pragma once

#include <algorithm>
#include <numeric>
#include <span>
#include <vector>

#include "calydon/core/interrupt.hpp"
#include "calydon/reduction/union_find.hpp"
#include "calydon/rips/column_worker.hpp"
#include "calydon/rips/parallel_items.hpp"
#include "calydon/rips/pipelined_reduction.hpp"

namespace calydon {

/// One persistence pair: a birth k-simplex and a death (k+1)-simplex (no_index: essential).
struct RipsPair {
    DiamIndex birth;
    DiamIndex death;
};

template <class Distances>
class RipsCohomology {
public:
    /// max_dim: top simplex dimension; pairs are computed in homology dimensions 0..max_dim-1.
    /// n_threads: threads of the shared pool (the caller included); the pairs do not depend on it.
    RipsCohomology(const Distances& dist, dim_t max_dim, value_t threshold,
                   bool keep_zero_persistence = false, int n_threads = 1)
        : dist_(&dist), max_dim_(max_dim), keep_zero_(keep_zero_persistence), threshold_(threshold),
          binom_(dist.size(), max_dim + 1) {
        const int n_workers = std::clamp(n_threads, 1, max_workers);
        workers_.reserve(n_workers);
        for (int t = 0; t < n_workers; ++t) workers_.emplace_back(dist, binom_, threshold);
    }
    // Workers point into binom_: the object stays where it was built.
    RipsCohomology(const RipsCohomology&) = delete;
    RipsCohomology& operator=(const RipsCohomology&) = delete;

    /// pairs[k] for k in 0..max_dim-1 (empty when max_dim == 0: only vertices, all essential,
    /// reported in dimension 0 as well).
    std::vector<std::vector<RipsPair>> compute() {
        std::vector<std::vector<RipsPair>> pairs(std::max<dim_t>(max_dim_, 1));
        counts_ = {};
        std::vector<DiamIndex> simplices =
            max_dim_ >= 1 ? edges_within_threshold() : std::vector<DiamIndex>{};
        ReducedColumns reduced;
        compute_h0(simplices, reduced.columns, pairs[0]);
        for (dim_t dim = 1; dim < max_dim_; ++dim) {
            reduced.pivots = PivotMap(reduced.columns.size());
            reduced.v.resize(reduced.columns.size());
            if (workers_.size() == 1) reduce_serially(reduced, dim, pairs[dim]);
            else reduce_in_parallel(reduced, dim, pairs[dim]);
            std::vector<std::vector<DiamIndex>>().swap(reduced.v);
            if (dim + 1 < max_dim_) assemble_columns(simplices, reduced, dim + 1);
        }
        return pairs;
    }

    const BinomialTable& binomials() const { return binom_; }

    /// The longest working coboundary a column reduced ahead keeps for a resume (threads only;
    /// the pairs do not depend on it). Tests set 0: every resume then recomputes from V.
    void set_kept_coboundary_limit(std::size_t entries) {
        pipeline_.kept_coboundary_limit = entries;
    }
    /// Tests: every column that added a column of its thread not final yet is reduced again
    /// from the start when made final, as if that column had changed.
    void set_redo_every_chained_column(bool redo) { pipeline_.redo_every_chained_column = redo; }
    /// How many columns the last compute() resumed from V because that limit dropped them.
    std::size_t recomputed_columns() const { return counts_.recomputed; }
    /// How many columns the last compute() reduced again because a column of their thread they
    /// had added changed when it was made final (threads only; the pairs do not depend on it).
    std::size_t redone_columns() const { return counts_.redone; }

private:
    using Worker = RipsColumnWorker<Distances>;
    static constexpr DiamIndex none = no_simplex;
    static constexpr int max_workers = 256;          // the shared pool's helpers and the caller
    static constexpr index_t faces_per_chunk = 64;   // assembly: faces per work item
    static constexpr index_t chunks_per_wave = 256;  // bounds the unmerged chunk results

    std::vector<DiamIndex> edges_within_threshold() const {
        std::vector<DiamIndex> edges;
        const index_t n = dist_->size();
        if constexpr (Distances::is_sparse) {
            edges.reserve(dist_->n_edges());
            for (index_t u = 0; u < n; ++u)
                for (const auto& nb : dist_->neighbors(u)) {
                    if (nb.vertex >= u) break;
                    edges.push_back({nb.length, binom_(u, 2) + nb.vertex});
                }
        } else {
            for (index_t u = 1; u < n; ++u) {
                const value_t* row = dist_->row(u);
                for (index_t v = 0; v < u; ++v)
                    if (row[v] <= threshold_) edges.push_back({row[v], binom_(u, 2) + v});
            }
        }
        return edges;
    }

    /// Kruskal in filtration order. Every vertex has value 0, so the order among vertices
    /// affects only which vertex is reported as a birth; the smallest vertex counts as the
    /// eldest, as in the explicit filtration (sorted by input position), so both paths send
    /// an H0 birth gradient (onto the diagonal of a distance matrix) to the same vertex.
    void compute_h0(std::vector<DiamIndex>& edges, std::vector<DiamIndex>& columns,
                    std::vector<RipsPair>& out) {
        const index_t n = dist_->size();
        std::sort(edges.begin(), edges.end(), RipsEntersBefore{});
        const std::vector<char> apparent =
            max_dim_ >= 2 ? apparent_edges(edges) : std::vector<char>{};
        std::vector<index_t> rows(n);
        std::iota(rows.begin(), rows.end(), index_t{0});
        ElderUnionFind components(std::move(rows));
        std::vector<char> died(n, 0);
        std::vector<index_t> vertices;
        std::uint64_t ticks = 0;
        for (std::size_t k = 0; k < edges.size(); ++k) {
            poll_interrupt(++ticks);
            const DiamIndex& e = edges[k];
            simplex_vertices(e.index, 1, binom_, vertices);
            const index_t dying = components.merge(vertices[0], vertices[1]);
            if (dying != no_index) {
                died[dying] = 1;
                if (keep_zero_ || e.diameter > 0) out.push_back({{0.0, dying}, e});
            } else if (max_dim_ >= 2 && !apparent[k]) {
                columns.push_back(e);
            }
        }
        for (index_t v = 0; v < n; ++v)
            if (!died[v]) out.push_back({{0.0, v}, none});
        std::reverse(columns.begin(), columns.end());            // latest first
        if (max_dim_ < 3) std::vector<DiamIndex>().swap(edges);  // not needed for triangles
    }

    /// 1 for each edge in a zero-persistence apparent pair with a triangle (never a column).
    std::vector<char> apparent_edges(const std::vector<DiamIndex>& edges) {
        std::vector<char> apparent(edges.size(), 0);
        const index_t n = static_cast<index_t>(edges.size());
        const index_t chunk = faces_per_chunk * 16;
        for_each_item((n + chunk - 1) / chunk, workers_, [&](Worker& w, index_t c) {
            for (index_t k = c * chunk; k < std::min(n, (c + 1) * chunk); ++k)
                apparent[k] = w.apparent().zero_apparent_cofacet(edges[k], 1).index != no_index;
        });
        return apparent;
    }

    /// Columns of dimension dim: cofacets (by a new top vertex) of the (dim-1)-simplices, minus
    /// cleared ones (pivots of the previous dimension) and members of apparent pairs, assembled
    /// by chunks of faces and merged in chunk order, a wave of chunks at a time.
    void assemble_columns(std::vector<DiamIndex>& simplices, ReducedColumns& reduced, dim_t dim) {
        const bool keep_all = dim + 1 < max_dim_;
        std::vector<DiamIndex> next, &columns = reduced.columns;
        columns.clear();
        const index_t n = static_cast<index_t>(simplices.size());
        const index_t n_chunks = (n + faces_per_chunk - 1) / faces_per_chunk;
        struct ChunkOut {
            std::vector<DiamIndex> all, columns;
        };
        for (index_t wave = 0; wave < n_chunks; wave += chunks_per_wave) {
            std::vector<ChunkOut> outs(std::min(chunks_per_wave, n_chunks - wave));
            for_each_item(static_cast<index_t>(outs.size()), workers_, [&](Worker& w, index_t c) {
                const index_t begin = (wave + c) * faces_per_chunk;
                const auto faces = std::span<const DiamIndex>(simplices).subspan(
                    begin, std::min(faces_per_chunk, n - begin));
                w.assemble(faces, dim, reduced.pivots, keep_all, outs[c].all, outs[c].columns);
            });
            for (ChunkOut& out : outs) {
                next.insert(next.end(), out.all.begin(), out.all.end());
                columns.insert(columns.end(), out.columns.begin(), out.columns.end());
                std::vector<DiamIndex>().swap(out.all);
                std::vector<DiamIndex>().swap(out.columns);
            }
        }
        simplices.swap(next);
        std::sort(columns.begin(), columns.end(), RipsEntersAfter{});
    }

    /// Records column i, whose reduction ended with `pivot` (has_pivot) and V column `v`.
    void record(ReducedColumns& r, index_t i, bool has_pivot, DiamIndex pivot,
                std::span<const DiamIndex> v, std::vector<RipsPair>& out) const {
        const DiamIndex column = r.columns[i];
        if (!has_pivot) {
            out.push_back({column, none});
        } else {
            if (keep_zero_ || pivot.diameter > column.diameter) out.push_back({column, pivot});
            r.v[i].assign(v.begin(), v.end());
            r.pivots.insert(pivot.index, i);  // publishes the column, V included
        }
    }

    void reduce_serially(ReducedColumns& r, dim_t dim, std::vector<RipsPair>& out) {
        Worker& w = workers_[0];
        std::vector<DiamIndex> v;
        std::uint64_t ticks = 0;
        for (index_t i = 0; i < static_cast<index_t>(r.columns.size()); ++i) {
            poll_interrupt(++ticks);
            DiamIndex pivot;
            bool emergent;
            bool has_pivot = w.start(r.columns[i], dim, r, pivot, emergent);
            if (has_pivot && !emergent) has_pivot = w.reduce_until_free(r, dim, pivot);
            v.clear();
            w.drain_v(v);
            record(r, i, has_pivot, pivot, v, out);
        }
    }

    void reduce_in_parallel(ReducedColumns& r, dim_t dim, std::vector<RipsPair>& out) {
        const PipelineCounts counts = pipelined_reduction(
            r, dim, workers_,
            [&](index_t i, const TentativeColumn& t) {
                record(r, i, t.has_pivot, t.pivot, t.v, out);
            },
            pipeline_);
        counts_.recomputed += counts.recomputed;
        counts_.redone += counts.redone;
    }

    const Distances* dist_;
    dim_t max_dim_;
    bool keep_zero_;
    value_t threshold_;
    BinomialTable binom_;
    std::vector<Worker> workers_;
    PipelineOptions pipeline_;
    PipelineCounts counts_;
};

}  // namespace calydon
