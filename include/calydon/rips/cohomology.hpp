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
#pragma once

#include <algorithm>
#include <numeric>
#include <vector>

#include "calydon/core/interrupt.hpp"
#include "calydon/reduction/union_find.hpp"
#include "calydon/rips/cofacets.hpp"
#include "calydon/rips/pivot_map.hpp"

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
    RipsCohomology(const Distances& dist, dim_t max_dim, value_t threshold,
                   bool keep_zero_persistence = false)
        : dist_(&dist), max_dim_(max_dim), threshold_(threshold), keep_zero_(keep_zero_persistence),
          binom_(dist.size(), max_dim + 1), cofacets_(dist, binom_, threshold),
          probe_(dist, binom_, threshold) {}

    /// pairs[k] for k in 0..max_dim-1 (empty when max_dim == 0: only vertices, all essential,
    /// reported in dimension 0 as well).
    std::vector<std::vector<RipsPair>> compute() {
        std::vector<std::vector<RipsPair>> pairs(std::max<dim_t>(max_dim_, 1));
        std::vector<DiamIndex> simplices =
            max_dim_ >= 1 ? edges_within_threshold() : std::vector<DiamIndex>{};
        std::vector<DiamIndex> columns;
        compute_h0(simplices, columns, pairs[0]);
        for (dim_t dim = 1; dim < max_dim_; ++dim) {
            PivotMap pivots(columns.size());
            reduce_columns(columns, pivots, dim, pairs[dim]);
            if (dim + 1 < max_dim_) assemble_columns(simplices, columns, pivots, dim + 1);
        }
        return pairs;
    }

    const BinomialTable& binomials() const { return binom_; }

private:
    // Function objects rather than function pointers, so the heap and sort calls inline them
    // (the comparison is the innermost operation of the whole reduction).
    struct EntersBefore {
        bool operator()(const DiamIndex& a, const DiamIndex& b) const {
            return enters_before(a, b);
        }
    };
    struct EntersAfter {
        bool operator()(const DiamIndex& a, const DiamIndex& b) const {
            return enters_before(b, a);
        }
    };
    /// A max-heap on filtration order (top = earliest entry) that keeps its storage when cleared.
    class Heap {
    public:
        bool empty() const { return items_.empty(); }
        const DiamIndex& top() const { return items_.front(); }
        void push(DiamIndex x) {
            items_.push_back(x);
            std::push_heap(items_.begin(), items_.end(), EntersAfter{});
        }
        void pop() {
            std::pop_heap(items_.begin(), items_.end(), EntersAfter{});
            items_.pop_back();
        }
        void clear() { items_.clear(); }

    private:
        std::vector<DiamIndex> items_;
    };
    static constexpr DiamIndex none{0.0, no_index};

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
        std::vector<index_t> rows(n);
        std::iota(rows.begin(), rows.end(), index_t{0});
        ElderUnionFind components(std::move(rows));
        std::vector<char> died(n, 0);
        std::sort(edges.begin(), edges.end(), EntersBefore{});
        std::vector<index_t> vertices;
        std::uint64_t ticks = 0;
        for (const DiamIndex& e : edges) {
            poll_interrupt(++ticks);
            simplex_vertices(e.index, 1, binom_, vertices);
            const index_t dying = components.merge(vertices[0], vertices[1]);
            if (dying != no_index) {
                died[dying] = 1;
                if (keep_zero_ || e.diameter > 0) out.push_back({{0.0, dying}, e});
            } else if (max_dim_ >= 2 && zero_apparent_cofacet(e, 1).index == no_index) {
                columns.push_back(e);
            }
        }
        for (index_t v = 0; v < n; ++v)
            if (!died[v]) out.push_back({{0.0, v}, none});
        std::reverse(columns.begin(), columns.end());            // latest first
        if (max_dim_ < 3) std::vector<DiamIndex>().swap(edges);  // not needed for triangles
    }

    void reduce_columns(const std::vector<DiamIndex>& columns, PivotMap& pivots, dim_t dim,
                        std::vector<RipsPair>& out) {
        std::vector<index_t> v_offsets{0};
        std::vector<DiamIndex> v_entries;  // the reduction matrix V, without its diagonal
        Heap coboundary, reduction;
        std::uint64_t ticks = 0;
        for (index_t i = 0; i < static_cast<index_t>(columns.size()); ++i) {
            poll_interrupt(++ticks);
            const DiamIndex column = columns[i];
            coboundary.clear();
            reduction.clear();
            DiamIndex pivot;
            bool has_pivot = init_coboundary(column, dim, pivots, coboundary, pivot);
            while (true) {
                poll_interrupt(++ticks);
                if (!has_pivot) {
                    out.push_back({column, none});
                    break;
                }
                const index_t owner = pivots.find(pivot.index);
                if (owner != no_index) {
                    add_simplex_coboundary(columns[owner], dim, reduction, coboundary);
                    for (index_t k = v_offsets[owner]; k < v_offsets[owner + 1]; ++k)
                        add_simplex_coboundary(v_entries[k], dim, reduction, coboundary);
                    has_pivot = get_pivot(coboundary, pivot);
                } else if (DiamIndex facet = zero_apparent_facet(pivot, dim + 1);
                           facet.index != no_index) {
                    add_simplex_coboundary(facet, dim, reduction, coboundary);
                    has_pivot = get_pivot(coboundary, pivot);
                } else {
                    if (keep_zero_ || pivot.diameter > column.diameter)
                        out.push_back({column, pivot});
                    pivots.insert(pivot.index, i);
                    DiamIndex e;
                    while (pop_pivot(reduction, e)) v_entries.push_back(e);
                    break;
                }
            }
            v_offsets.push_back(static_cast<index_t>(v_entries.size()));
        }
    }

    bool init_coboundary(DiamIndex column, dim_t dim, const PivotMap& pivots, Heap& coboundary,
                         DiamIndex& pivot) {
        bool check_emergent = true;
        cofacet_scratch_.clear();
        cofacets_.set_simplex(column, dim);
        DiamIndex c;
        while (cofacets_.next(c)) {
            cofacet_scratch_.push_back(c);
            if (check_emergent && c.diameter == column.diameter) {
                if (!pivots.contains(c.index) &&
                    zero_apparent_facet(c, dim + 1).index == no_index) {
                    pivot = c;
                    return true;
                }
                check_emergent = false;
            }
        }
        for (const DiamIndex& x : cofacet_scratch_) coboundary.push(x);
        return get_pivot(coboundary, pivot);
    }

    void add_simplex_coboundary(DiamIndex simplex, dim_t dim, Heap& reduction, Heap& coboundary) {
        reduction.push(simplex);
        cofacets_.set_simplex(simplex, dim);
        DiamIndex c;
        while (cofacets_.next(c)) coboundary.push(c);
    }

    /// Pops the earliest entry that survives Z/2 cancellation of equal entries.
    static bool pop_pivot(Heap& heap, DiamIndex& out) {
        while (!heap.empty()) {
            out = heap.top();
            heap.pop();
            if (heap.empty() || heap.top().index != out.index) return true;
            heap.pop();
        }
        return false;
    }
    static bool get_pivot(Heap& heap, DiamIndex& out) {
        if (!pop_pivot(heap, out)) return false;
        heap.push(out);
        return true;
    }

    /// Earliest cofacet if it has the simplex's diameter (cofacets come in decreasing index).
    DiamIndex first_equal_cofacet(DiamIndex simplex, dim_t dim) {
        probe_.set_simplex(simplex, dim);
        DiamIndex c;
        while (probe_.next(c))
            if (c.diameter == simplex.diameter) return c;
        return none;
    }

    /// Latest facet if it has the simplex's diameter: facets by increasing index, i.e. removing
    /// the largest vertex first.
    DiamIndex first_equal_facet(DiamIndex simplex, dim_t dim) {
        simplex_vertices(simplex.index, dim, binom_, facet_vertices_);
        index_t below = simplex.index, above = 0;
        for (dim_t r = 0; r <= dim; ++r) {
            const index_t removed = facet_vertices_[r];
            below -= binom_(removed, dim + 1 - r);
            facet_scratch_.clear();
            for (dim_t i = 0; i <= dim; ++i)
                if (i != r) facet_scratch_.push_back(facet_vertices_[i]);
            if (diameter_of(facet_scratch_, *dist_) == simplex.diameter)
                return {simplex.diameter, above + below};
            above += binom_(removed, dim - r);
        }
        return none;
    }

    DiamIndex zero_apparent_cofacet(DiamIndex simplex, dim_t dim) {
        const DiamIndex c = first_equal_cofacet(simplex, dim);
        if (c.index != no_index && first_equal_facet(c, dim + 1).index == simplex.index) return c;
        return none;
    }
    DiamIndex zero_apparent_facet(DiamIndex simplex, dim_t dim) {
        const DiamIndex f = first_equal_facet(simplex, dim);
        if (f.index != no_index && first_equal_cofacet(f, dim - 1).index == simplex.index) return f;
        return none;
    }

    /// Columns of dimension dim: cofacets (by a new top vertex) of the (dim-1)-simplices, minus
    /// cleared ones (pivots of the previous dimension) and members of apparent pairs.
    void assemble_columns(std::vector<DiamIndex>& simplices, std::vector<DiamIndex>& columns,
                          const PivotMap& pivots, dim_t dim) {
        const bool keep_simplices = dim + 1 < max_dim_;
        std::vector<DiamIndex> next;
        columns.clear();
        std::uint64_t ticks = 0;
        for (const DiamIndex& s : simplices) {
            cofacets_.set_simplex(s, dim - 1, true);
            DiamIndex c;
            while (cofacets_.next(c)) {
                poll_interrupt(++ticks);
                if (keep_simplices) next.push_back(c);
                if (!pivots.contains(c.index) && zero_apparent_cofacet(c, dim).index == no_index &&
                    zero_apparent_facet(c, dim).index == no_index)
                    columns.push_back(c);
            }
        }
        simplices.swap(next);
        std::sort(columns.begin(), columns.end(), EntersAfter{});
    }

    const Distances* dist_;
    dim_t max_dim_;
    value_t threshold_;
    bool keep_zero_;
    BinomialTable binom_;
    Cofacets<Distances> cofacets_, probe_;
    std::vector<DiamIndex> cofacet_scratch_;
    std::vector<index_t> facet_vertices_, facet_scratch_;
};

}  // namespace calydon
