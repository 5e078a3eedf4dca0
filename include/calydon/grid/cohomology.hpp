// calydon/grid/cohomology.hpp: a middle dimension of an implicit grid complex by cohomology.
//
// Columns are the k-cells from latest to earliest, minus the (k-1)-deaths (clearing); a column's
// pivot is its earliest cofacet. Most columns are done without any storage: an apparent pair
// (the pivot's latest facet is the column itself) or an emergent one (no column owns the pivot
// yet). The rest are reduced in a sorted working column, adding the recorded columns that own each
// pivot (apparent owners are recognised on the fly and never stored). An emergent column is
// kept as its cell alone (its coboundary is recomputed); a reduced one keeps its reduced column.
#pragma once

#include <algorithm>
#include <bit>
#include <optional>
#include <vector>

#include "calydon/core/interrupt.hpp"
#include "calydon/grid/cochain_column.hpp"
#include "calydon/grid/flat_map.hpp"
#include "calydon/grid/pair_sink.hpp"
#include "calydon/grid/star_sweep.hpp"

namespace calydon {

namespace detail {

template <class Keys>
class GridCohomology {
    using Stored = typename Keys::type;

public:
    GridCohomology(const GridOrder& order, int k, const CellFlags& cleared, CellFlags& deaths)
        : order_(order), lat_(order.lattice()), k_(k), cleared_(cleared), deaths_(deaths) {
        if (const LowerStars* stars = order.lower_stars()) {
            if (RecordSweepView::applies(*stars)) record_view_.emplace(order, *stars, k);
            else table_view_.emplace(order, *stars, k);
        }
    }

    void run(GridPairSink& sink, int n_threads) {
        if (order_.lower_stars()) return run_in_two_sweeps(sink, n_threads);
        std::vector<index_t> star;
        for (std::size_t i = order_.n_entries(); i-- > 0;) {
            poll_interrupt(i);
            entry_ = order_.entry_at_rank(i);
            entry_rank_ = static_cast<std::uint32_t>(i);
            star.clear();
            order_.star(entry_, k_, star);
            for (auto it = star.rbegin(); it != star.rend(); ++it)
                if (!is_cleared(*it)) column(*it, sink);
        }
    }

    /// After a sweep that ran without the clearing flags (beside H0): its pairs and owners,
    /// then the columns it left waiting (as flags) but those cleared meanwhile, reduced.
    void run_after_sweep(const StarSweepPart& part, const CellFlags& waiting, GridPairSink& sink) {
        std::vector<CellKey> pending;
        merge(part, pending, sink);
        for (std::size_t w = 0; w < waiting.n_words(); ++w) {
            std::uint64_t bits = waiting.word(w) & ~(cleared_.empty() ? 0 : cleared_.word(w));
            for (; bits != 0; bits &= bits - 1) {
                const auto cell = static_cast<index_t>(64 * w) + std::countr_zero(bits);
                pending.push_back(order_.key(cell, k_));
            }
        }
        reduce_pending(pending, sink);
    }

private:
    bool is_cleared(index_t cell) const { return !cleared_.empty() && cleared_.test(cell); }

    /// In a box: the apparent and emergent pairs inside stars (most pairs) are settled by the
    /// tables in one sweep in memory order, which is cache-friendly (and split over threads);
    /// only the other columns are then sorted and reduced, latest first, exactly as in
    /// filtration order (an apparent column never needs to be looked up: owner() recognises it
    /// on the fly).
    void run_in_two_sweeps(GridPairSink& sink, int n_threads) {
        std::vector<CellKey> pending;
        if (n_threads <= 1) {
            with_view([&](const auto& view) {
                sweep_entries(
                    order_, view, cleared_, 0, lat_.n_vertices(),
                    [&](std::uint32_t rank, index_t cell) { pending.push_back({rank, cell}); },
                    [&](index_t e, index_t cell, CellKey pivot, bool emergent) {
                        entry_ = e;  // the pivot lies in e's star: finish() reads no entry
                        entry_rank_ = pivot.rank;
                        finish(cell, pivot, emergent ? Kept::owner : Kept::nothing, sink);
                    });
            });
        } else {
            with_view([&](const auto& view) {  // the pass's view, not a second one
                for (const StarSweepPart& part :
                     sweep_stars_in_parallel(order_, view, k_, sink, cleared_, deaths_, n_threads))
                    merge(part, pending, sink);
            });
        }
        reduce_pending(pending, sink);
    }
    void merge(const StarSweepPart& part, std::vector<CellKey>& pending, GridPairSink& sink) {
        for (const auto& [cell, death, e] : part.pairs) sink.pair(k_, cell, death, e, e);
        for (const auto& [pivot, cell] : part.owners) owner_.insert(pivot, cell);
        pending.insert(pending.end(), part.pending.begin(), part.pending.end());
    }
    void reduce_pending(std::vector<CellKey>& pending, GridPairSink& sink) {
        std::sort(pending.begin(), pending.end());
        for (std::size_t i = pending.size(); i-- > 0;) {
            poll_interrupt(i);
            entry_ = order_.entry_at_rank(pending[i].rank);
            entry_rank_ = pending[i].rank;
            column(pending[i].code, sink);
        }
    }

    /// The column of an apparent pair whose death is `pivot`, if it was done: read from the
    /// star lists of the pivot's critical entry (one mask) instead of the values of its faces.
    template <class View>
    index_t apparent_owner(const View& view, CellKey pivot) const {
        const index_t e = order_.entry_at_rank(pivot.rank);
        const typename View::Mask mask = view.mask(e);
        const int j = view.cofacet_index(e, pivot.code);
        const int i = view.latest_facet_in_star(j, mask);
        if (i < 0) return -1;
        const index_t f = view.code(e, i);
        const CellKey f_key{pivot.rank, f};  // the latest facet is in the pivot's star
        if (!(current_ < f_key) || is_cleared(f)) return -1;  // not done before this column
        return view.first_cofacet_is(i, j, mask) ? f : -1;    // the pivot is f's first in the star
    }

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
    /// The column whose reduced coboundary has this pivot among those done: its cell (its column
    /// is its coboundary), `reduced(i)` for the i-th stored reduced column, or -1 for none.
    static index_t reduced(std::size_t i) { return -2 - static_cast<index_t>(i); }
    /// f(view) with the star view of a box (built once per pass, see the constructor).
    template <class F>
    decltype(auto) with_view(F&& f) const {
        if (record_view_) return f(*record_view_);
        return f(*table_view_);
    }
    index_t owner(CellKey pivot) const {
        // A pivot has one owner: the apparent ones (most) are recognised before the map is read.
        if (record_view_ || table_view_) {
            const index_t f =
                with_view([&](const auto& view) { return apparent_owner(view, pivot); });
            return f >= 0 ? f : owner_.find(pivot.code);
        }
        if (const index_t o = owner_.find(pivot.code); o != FlatCodeMap::absent) return o;
        const index_t f = latest_facet(pivot.code);
        const bool done = order_.key(f, k_) < current_ ? false : true;  // later columns go first
        if (done && f != current_.code && !is_cleared(f) && earliest_cofacet(f).code == pivot.code)
            return f;  // an apparent pair: its column is its own coboundary
        return -1;
    }

    void column(index_t cell, GridPairSink& sink) {
        current_ = order_.key(cell, k_);
        const CellKey pivot = earliest_cofacet(cell);
        if (pivot.code < 0) return sink.essential(k_, cell);
        if (latest_facet(pivot.code) == cell) return finish(cell, pivot, Kept::nothing, sink);
        const index_t other = owner(pivot);
        if (other == -1) return finish(cell, pivot, Kept::owner, sink);
        reduce(cell, pivot, other, sink);
    }

    enum class Kept { nothing, owner, reduced_column };

    /// Reports a pair; an emergent column is kept as the owner of its pivot (its column is its
    /// coboundary), a reduced one with its reduced column. Apparent pairs keep nothing.
    void finish(index_t cell, CellKey pivot, Kept kept, GridPairSink& sink) {
        // Most pivots lie in the column's own star: their entry is not looked up (a cache miss).
        const index_t death = pivot.rank == entry_rank_ ? entry_ : order_.entry_at_rank(pivot.rank);
        sink.pair(k_, cell, pivot.code, entry_, death);
        if (!deaths_.empty()) deaths_.set(pivot.code);
        if (kept == Kept::nothing) return;
        if (kept == Kept::owner) return owner_.insert(pivot.code, cell);
        owner_.insert(pivot.code, reduced(r_begin_.size() - 1));
        store_reduced_column(pivot);
    }

    /// Pushes the cofacets of a k-cell but `skip` (the pivot the addition cancels).
    void push_coboundary(index_t cell, index_t skip) {
        order_.for_each_cofacet_key(cell, k_, [&](CellKey c, index_t e) {
            if (c.code == skip) return;
            order_.prefetch(e);  // its star mask, read when c is the pivot
            push(c);
        });
    }
    void push(CellKey c) {
        // Most entries come back as a pivot, whose owner is looked up from its critical entry.
        order_.prefetch_entry_at_rank(c.rank);
        work_.toggle(Keys::pack(c));
    }
    /// Pops the earliest entry left, or code -1 for none.
    CellKey pop_pivot() { return work_.empty() ? CellKey{0, -1} : Keys::unpack(work_.pop_pivot()); }
    /// Stores the reduced column, ascending: its pivot, then the rest of the working column.
    void store_reduced_column(CellKey pivot) {
        r_entries_.push_back(Keys::pack(pivot));
        work_.move_ascending_to(r_entries_);
        r_begin_.push_back(r_entries_.size());
    }

    /// Adds owners' columns until the pivot is new (a pair) or the column vanishes (essential).
    /// The working column is its pivot and the rest (see CochainColumn): an addition cancels
    /// the pivot without adding it. Reduced columns are stored whole, so an addition never
    /// recomputes a chain of additions.
    void reduce(index_t cell, CellKey pivot, index_t other, GridPairSink& sink) {
        work_.clear();
        push_coboundary(cell, pivot.code);
        for (std::uint64_t ticks = 1;; ++ticks) {
            poll_interrupt(ticks);
            if (other >= 0) {
                push_coboundary(other, pivot.code);
            } else {
                const auto i = static_cast<std::size_t>(reduced(0) - other);
                const Stored* column = r_entries_.data();  // but its pivot, first
                work_.add_ascending(column + r_begin_[i] + 1, column + r_begin_[i + 1]);
            }
            pivot = pop_pivot();
            if (pivot.code < 0) return sink.essential(k_, cell);
            other = owner(pivot);
            if (other == -1) return finish(cell, pivot, Kept::reduced_column, sink);
        }
    }

    const GridOrder& order_;
    const GridLattice& lat_;
    int k_;
    const CellFlags& cleared_;
    CellFlags& deaths_;
    CellKey current_{0, -1};
    index_t entry_ = -1;  // the critical entry of the columns being reduced, and its rank
    std::uint32_t entry_rank_ = 0;
    FlatCodeMap owner_;                           // pivot code -> column
    std::optional<RecordSweepView> record_view_;  // in a box: the star lists (3-D: flat)
    std::optional<TableSweepView> table_view_;
    // The reduced columns, back to back: the i-th (owner_'s reduced(i)) is r_entries_[r_begin_[i],
    // r_begin_[i + 1]), its pivot first.
    std::vector<Stored> r_entries_;
    std::vector<std::size_t> r_begin_{0};
    CochainColumn<Stored> work_;  // the column being reduced, but its pivot
};

}  // namespace detail

/// Pairs of dimension k (k-cell, (k+1)-cell) and essential k-classes, clearing the (k-1)-deaths
/// `cleared` (by k-cell code); sets `deaths` ((k+1)-cell codes) when it is sized. In a box, the
/// first sweep runs on up to n_threads threads; the pairs do not depend on the thread count.
inline void grid_cohomology_pass(const GridOrder& order, int k, GridPairSink& sink,
                                 const CellFlags& cleared, CellFlags& deaths, int n_threads = 1) {
    if (PackedKeys::fits(order.lattice().n_codes(k + 1)))
        detail::GridCohomology<PackedKeys>(order, k, cleared, deaths).run(sink, n_threads);
    else detail::GridCohomology<WideKeys>(order, k, cleared, deaths).run(sink, n_threads);
}

/// The rest of a cohomology pass in a box whose star sweep ran before the clearing flags were
/// known (sweep_stars_before_clearing): the same pairs as grid_cohomology_pass.
inline void grid_cohomology_after_sweep(const GridOrder& order, int k, GridPairSink& sink,
                                        const CellFlags& cleared, CellFlags& deaths,
                                        const detail::StarSweepPart& part,
                                        const CellFlags& waiting) {
    if (PackedKeys::fits(order.lattice().n_codes(k + 1)))
        detail::GridCohomology<PackedKeys>(order, k, cleared, deaths)
            .run_after_sweep(part, waiting, sink);
    else
        detail::GridCohomology<WideKeys>(order, k, cleared, deaths)
            .run_after_sweep(part, waiting, sink);
}

}  // namespace calydon
