// calydon/grid/cohomology.hpp: a middle dimension of an implicit grid complex by cohomology.
//
// Columns are the k-cells from latest to earliest, minus the (k-1)-deaths (clearing); a column's
// pivot is its earliest cofacet. Most columns are done without any storage: an apparent pair
// (the pivot's latest facet is the column itself) or an emergent one (no column owns the pivot
// yet). The rest are reduced with a heap of cofacets, adding the recorded columns that own each
// pivot (apparent owners are recognised on the fly and never stored). Coboundaries are never
// stored either: a recorded column keeps the cells whose coboundaries it sums (its V column).
#pragma once

#include <algorithm>
#include <queue>
#include <unordered_map>
#include <vector>

#include "calydon/core/interrupt.hpp"
#include "calydon/grid/pair_sink.hpp"

namespace calydon {

namespace detail {

class GridCohomology {
public:
    GridCohomology(const GridOrder& order, int k, const CellFlags& cleared, CellFlags& deaths)
        : order_(order), lat_(order.lattice()), k_(k), cleared_(cleared), deaths_(deaths) {}

    void run(GridPairSink& sink) {
        std::vector<index_t> star;
        for (std::size_t i = order_.n_entries(); i-- > 0;) {
            poll_interrupt(i);
            star.clear();
            order_.star(order_.entry_at_rank(i), k_, star);
            for (auto it = star.rbegin(); it != star.rend(); ++it)
                if (cleared_.empty() || !cleared_.test(*it)) column(*it, sink);
        }
    }

private:
    /// The earliest cofacet of a k-cell, or code -1 when it has none.
    CellKey earliest_cofacet(index_t cell) const {
        CellKey best{0, -1};
        lat_.for_each_cofacet(cell, k_, [&](index_t c) {
            const CellKey key = order_.key(c, k_ + 1);
            if (best.code < 0 || key < best) best = key;
        });
        return best;
    }
    /// The latest facet of a (k+1)-cell.
    index_t latest_facet(index_t cell) const {
        CellKey best{0, -1};
        lat_.for_each_facet(cell, k_ + 1, [&](index_t f) {
            const CellKey key = order_.key(f, k_);
            if (best.code < 0 || best < key) best = key;
        });
        return best.code;
    }
    /// The column whose reduced coboundary has this pivot among those done, or -1.
    index_t owner(CellKey pivot) const {
        if (auto it = owner_.find(pivot.code); it != owner_.end()) return it->second;
        const index_t f = latest_facet(pivot.code);
        const bool done = order_.key(f, k_) < current_ ? false : true;  // later columns go first
        if (done && f != current_.code && (cleared_.empty() || !cleared_.test(f)) &&
            earliest_cofacet(f).code == pivot.code)
            return f;  // an apparent pair: its column is its own coboundary
        return -1;
    }

    void column(index_t cell, GridPairSink& sink) {
        current_ = order_.key(cell, k_);
        const CellKey pivot = earliest_cofacet(cell);
        if (pivot.code < 0) return sink.essential(k_, cell);
        if (latest_facet(pivot.code) == cell) return finish(cell, pivot, {}, sink);
        if (owner(pivot) < 0) return finish(cell, pivot, {cell}, sink);
        reduce(cell, sink);
    }

    void finish(index_t cell, CellKey pivot, std::vector<index_t> v_column, GridPairSink& sink) {
        sink.pair(k_, cell, pivot.code);
        if (!deaths_.empty()) deaths_.set(pivot.code);
        if (!v_column.empty()) {
            owner_.emplace(pivot.code, cell);
            v_columns_.emplace(cell, std::move(v_column));
        }
    }

    void push_coboundary(index_t cell) {
        lat_.for_each_cofacet(cell, k_, [&](index_t c) { heap_.push(order_.key(c, k_ + 1)); });
    }
    /// Pops cancelling duplicates (Z/2) and returns the pivot, or code -1 for a zero column.
    CellKey pop_pivot() {
        while (!heap_.empty()) {
            const CellKey top = heap_.top();
            heap_.pop();
            if (heap_.empty() || !(heap_.top() == top)) {
                heap_.push(top);
                return top;
            }
            heap_.pop();
        }
        return {0, -1};
    }

    void reduce(index_t cell, GridPairSink& sink) {
        heap_ = {};
        std::vector<index_t> v_column{cell};
        push_coboundary(cell);
        std::uint64_t ticks = 0;
        for (;;) {
            poll_interrupt(++ticks);
            const CellKey pivot = pop_pivot();
            if (pivot.code < 0) return sink.essential(k_, cell);
            const index_t other = owner(pivot);
            if (other < 0) {
                std::sort(v_column.begin(), v_column.end());
                return finish(cell, pivot, std::move(v_column), sink);
            }
            auto it = v_columns_.find(other);
            const std::vector<index_t> single{other};
            for (index_t c : it == v_columns_.end() ? single : it->second) {
                push_coboundary(c);
                v_column.push_back(c);
            }
            // Keep V as a set over Z/2: an added cell twice cancels.
            std::sort(v_column.begin(), v_column.end());
            std::vector<index_t> odd;
            for (std::size_t i = 0; i < v_column.size();) {
                std::size_t j = i;
                while (j < v_column.size() && v_column[j] == v_column[i]) ++j;
                if ((j - i) % 2) odd.push_back(v_column[i]);
                i = j;
            }
            v_column.swap(odd);
        }
    }

    struct Later {
        bool operator()(CellKey a, CellKey b) const { return b < a; }  // min-heap on keys
    };

    const GridOrder& order_;
    const GridLattice& lat_;
    int k_;
    const CellFlags& cleared_;
    CellFlags& deaths_;
    CellKey current_{0, -1};
    std::unordered_map<index_t, index_t> owner_;                   // pivot code -> column
    std::unordered_map<index_t, std::vector<index_t>> v_columns_;  // column -> its V column
    std::priority_queue<CellKey, std::vector<CellKey>, Later> heap_;
};

}  // namespace detail

/// Pairs of dimension k (k-cell, (k+1)-cell) and essential k-classes, clearing the (k-1)-deaths
/// `cleared` (by k-cell code); sets `deaths` ((k+1)-cell codes) when it is sized.
inline void grid_cohomology_pass(const GridOrder& order, int k, GridPairSink& sink,
                                 const CellFlags& cleared, CellFlags& deaths) {
    detail::GridCohomology(order, k, cleared, deaths).run(sink);
}

}  // namespace calydon
