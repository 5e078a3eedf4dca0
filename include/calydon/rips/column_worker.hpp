// calydon/rips/column_worker.hpp: the per-thread state of the implicit Rips cohomology.
//
// A worker owns everything one thread writes while it assembles or reduces columns: cofacet
// enumerators, the working coboundary and the reduction heaps. Everything it reads from other
// threads (distances, binomials, the columns reduced so far) is read-only while workers run, so
// several workers can assemble, test apparent pairs and reduce columns at the same time.
#pragma once

#include <algorithm>
#include <span>
#include <vector>

#include "calydon/core/interrupt.hpp"
#include "calydon/rips/apparent_pairs.hpp"
#include "calydon/rips/pivot_map.hpp"

namespace calydon {

// Function objects rather than function pointers, so the heap and sort calls inline them (the
// comparison is the innermost operation of the whole reduction).
struct RipsEntersBefore {
    bool operator()(const DiamIndex& a, const DiamIndex& b) const { return enters_before(a, b); }
};
struct RipsEntersAfter {
    bool operator()(const DiamIndex& a, const DiamIndex& b) const { return enters_before(b, a); }
};

/// The columns of one dimension reduced so far: each column's pivot (in the map) and its column
/// of V without the diagonal, so that a later column can add its coboundary again. A column's V
/// is stored before its pivot enters the map, so a thread that finds the pivot finds the V.
///
/// A worker reduces against any view with the same three lookups (`owner`, `column`,
/// `v_column`): a thread of the pipelined reduction also sees its own columns not final yet
/// (ChainView, provisional_chain.hpp).
struct ReducedColumns {
    std::vector<DiamIndex> columns;         // every column of the dimension, in reduction order
    PivotMap pivots;                        // pivot simplex -> position in `columns`
    std::vector<std::vector<DiamIndex>> v;  // per column (sized before the reduction)

    /// The column owning a pivot simplex, or no_index.
    index_t owner(index_t pivot) const { return pivots.find(pivot); }
    DiamIndex column(index_t i) const { return columns[i]; }
    std::span<const DiamIndex> v_column(index_t i) const { return v[i]; }
};

template <class Distances>
class RipsColumnWorker {
public:
    RipsColumnWorker(const Distances& dist, const BinomialTable& binom, value_t threshold)
        : cofacets_(dist, binom, threshold), apparent_(dist, binom, threshold) {}

    ApparentPairs<Distances>& apparent() { return apparent_; }

    /// Columns of dimension dim from the (dim-1)-simplices `faces`: each cofacet by a new top
    /// vertex (every dim-simplex arises once), except those cleared (pivots of the dimension
    /// below) and members of zero-persistence apparent pairs. all_cofacets receives every
    /// cofacet when keep_all (the simplices of the next dimension's assembly).
    void assemble(std::span<const DiamIndex> faces, dim_t dim, const PivotMap& cleared,
                  bool keep_all, std::vector<DiamIndex>& all_cofacets,
                  std::vector<DiamIndex>& columns) {
        std::uint64_t ticks = 0;
        for (const DiamIndex& s : faces) {
            cofacets_.set_simplex(s, dim - 1, true);
            DiamIndex c;
            while (cofacets_.next(c)) {
                poll_interrupt(++ticks);
                if (keep_all) all_cofacets.push_back(c);
                if (cleared.contains(c.index)) continue;
                cofacets_.cofacet_vertices(vertices_);  // known: no decoding in the tests
                if (apparent_.zero_apparent_cofacet(c, vertices_).index == no_index &&
                    apparent_.zero_apparent_facet(c, vertices_).index == no_index)
                    columns.push_back(c);
            }
        }
    }

    /// Starts reducing `column`: its pivot, or false when its coboundary is empty. emergent:
    /// the pivot is its earliest cofacet, at its own diameter and owned by no column of `done`
    /// nor by an apparent pair, so the coboundary was not even built.
    template <class Reduced>
    bool start(DiamIndex column, dim_t dim, const Reduced& done, DiamIndex& pivot, bool& emergent) {
        coboundary_.clear();
        reduction_.clear();
        emergent = false;
        bool check_emergent = true;
        scratch_.clear();
        cofacets_.set_simplex(column, dim);
        DiamIndex c;
        while (cofacets_.next(c)) {
            scratch_.push_back(c);
            if (check_emergent && c.diameter == column.diameter) {
                if (done.owner(c.index) == no_index && !has_zero_apparent_facet(c)) {
                    pivot = c;
                    emergent = true;
                    return true;
                }
                check_emergent = false;
            }
        }
        for (const DiamIndex& x : scratch_) coboundary_.push(x);
        return get_pivot(coboundary_, pivot);
    }

    /// Rebuilds the working column delta(column) + sum of delta(v) over v_column, with V.
    bool restart(DiamIndex column, dim_t dim, std::span<const DiamIndex> v_column,
                 DiamIndex& pivot) {
        coboundary_.clear();
        reduction_.clear();
        cofacets_.set_simplex(column, dim);
        DiamIndex c;
        while (cofacets_.next(c)) coboundary_.push(c);
        for (const DiamIndex& v : v_column) add_simplex_coboundary(v, dim);
        return get_pivot(coboundary_, pivot);
    }

    /// The working coboundary as stored (the heap's array, with entries that cancel in pairs):
    /// a column put aside is copied out, to be resumed by a later call with that copy and its
    /// V column (drained). The worker keeps its own storage, grown once for its longest column.
    std::span<const DiamIndex> coboundary_items() const { return coboundary_.items(); }
    void resume(std::span<const DiamIndex> items, std::span<const DiamIndex> v) {
        coboundary_.assign(items);
        reduction_.clear();
        for (const DiamIndex& e : v) reduction_.push(e);
    }

    /// Adds reduced columns (and apparent facets) until the pivot is owned by neither: true with
    /// that pivot, false when the working column vanished.
    template <class Reduced>
    bool reduce_until_free(const Reduced& done, dim_t dim, DiamIndex& pivot) {
        std::uint64_t ticks = 0;
        while (true) {
            poll_interrupt(++ticks);
            const index_t owner = done.owner(pivot.index);
            if (owner != no_index) {
                add_simplex_coboundary(done.column(owner), dim);
                for (const DiamIndex& v : done.v_column(owner)) add_simplex_coboundary(v, dim);
            } else if (DiamIndex facet = apparent_.zero_apparent_facet(pivot, dim + 1);
                       facet.index != no_index) {
                add_simplex_coboundary(facet, apparent_.facet_vertices());
            } else {
                return true;
            }
            if (!get_pivot(coboundary_, pivot)) return false;
        }
    }

    /// Moves the working column of V (without its diagonal) to the end of `out`.
    void drain_v(std::vector<DiamIndex>& out) {
        DiamIndex e;
        while (pop_pivot(reduction_, e)) out.push_back(e);
    }

private:
    /// A max-heap on filtration order (top = earliest entry) that keeps its storage when cleared.
    class Heap {
    public:
        bool empty() const { return items_.empty(); }
        const DiamIndex& top() const { return items_.front(); }
        void push(DiamIndex x) {
            items_.push_back(x);
            std::push_heap(items_.begin(), items_.end(), RipsEntersAfter{});
        }
        void pop() {
            std::pop_heap(items_.begin(), items_.end(), RipsEntersAfter{});
            items_.pop_back();
        }
        void clear() { items_.clear(); }
        std::span<const DiamIndex> items() const { return items_; }
        void assign(std::span<const DiamIndex> heap) { items_.assign(heap.begin(), heap.end()); }

    private:
        std::vector<DiamIndex> items_;
    };

    /// Whether the cofacet just enumerated is the cofacet of a zero-persistence apparent pair.
    bool has_zero_apparent_facet(DiamIndex cofacet) {
        cofacets_.cofacet_vertices(vertices_);
        return apparent_.zero_apparent_facet(cofacet, vertices_).index != no_index;
    }

    void add_simplex_coboundary(DiamIndex simplex, dim_t dim) {
        reduction_.push(simplex);
        cofacets_.set_simplex(simplex, dim);
        DiamIndex c;
        while (cofacets_.next(c)) coboundary_.push(c);
    }
    void add_simplex_coboundary(DiamIndex simplex, std::span<const index_t> vertices) {
        reduction_.push(simplex);
        cofacets_.set_simplex(simplex, vertices);
        DiamIndex c;
        while (cofacets_.next(c)) coboundary_.push(c);
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

    Cofacets<Distances> cofacets_;
    ApparentPairs<Distances> apparent_;
    Heap coboundary_, reduction_;
    std::vector<DiamIndex> scratch_;
    std::vector<index_t> vertices_;  // of the cofacet being tested
};

}  // namespace calydon
