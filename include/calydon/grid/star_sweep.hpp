// calydon/grid/star_sweep.hpp: the first sweep of a cohomology pass in a box, star by star.
//
// Most columns of a middle dimension pair inside the star of their critical entry (apparent and
// emergent pairs of zero persistence): the star tables settle them without any value, entry by
// entry in memory order. Stars share nothing but the flags of the deaths they set, so with
// threads each takes ranges of entries and what it found is merged in range order afterwards:
// the same pairs, owners and waiting columns as one thread.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <stdexcept>
#include <utility>
#include <vector>

#include "calydon/core/thread_pool.hpp"
#include "calydon/grid/pair_sink.hpp"

namespace calydon::detail {

/// The k-cells and (k+1)-cells of a star from the star tables, with the 128-bit mask (any box).
class TableSweepView {
public:
    using Mask = neighbour_bits;
    TableSweepView(const GridOrder& order, const LowerStars& stars, int k)
        : order_(&order), stars_(&stars), k_(k), low_(&stars.table(k).incidences),
          high_(&stars.table(k + 1).incidences) {}

    Mask mask(index_t e) const { return stars_->lower(e, k_, order_->ranks()); }
    int n_cells() const { return static_cast<int>(low_->size()); }
    bool in_star(int i, Mask m) const { return LowerStars::in_star((*low_)[i], m); }
    index_t code(index_t e, int i) const { return stars_->code(e, k_, (*low_)[i]); }
    int first_cofacet_in_star(int i, Mask m) const {
        for (int j : (*low_)[i].cofacets)
            if (LowerStars::in_star((*high_)[j], m)) return j;
        return -1;
    }
    index_t cofacet_code(index_t e, int j) const { return stars_->code(e, k_ + 1, (*high_)[j]); }
    /// The index of a (k+1)-cell of the star of e among the (k+1)-cells (it must be one).
    int cofacet_index(index_t e, index_t code) const {
        return stars_->incidence_of(e, k_ + 1, code);
    }
    /// Whether j is the first cofacet in the star of the k-cell i.
    bool first_cofacet_is(int i, int j, Mask m) const { return first_cofacet_in_star(i, m) == j; }
    int latest_facet_in_star(int j, Mask m) const {
        return stars_->latest_facet_in_star(k_, (*high_)[j], m);
    }

private:
    const GridOrder* order_;
    const LowerStars* stars_;
    int k_;
    const std::vector<StarTables::Incidence>*low_, *high_;
};

/// The same lists flattened and tested against the 32-bit record of an entry of a 3-D box (see
/// record_stars.hpp): one AND per cell instead of 128-bit masks in 112-byte incidences.
class RecordSweepView {
public:
    using Mask = std::uint32_t;
    static bool applies(const LowerStars& stars) { return stars.records32() != nullptr; }
    RecordSweepView(const GridOrder& order, const LowerStars& stars, int k)
        : records_(stars.records32()), low_patterns_(order.lattice().n_patterns(k)),
          high_patterns_(order.lattice().n_patterns(k + 1)) {
        for (const auto& inc : stars.table(k).incidences)
            low_.push_back(flat(stars, inc, low_patterns_, inc.cofacets));
        for (const auto& inc : stars.table(k + 1).incidences)
            high_.push_back(flat(stars, inc, high_patterns_, inc.facets));
        if (low_.size() > 256 || high_.size() > 256)
            throw std::logic_error("internal error: a star larger than its flat lists");
    }

    Mask mask(index_t e) const { return records_[e]; }
    int n_cells() const { return static_cast<int>(low_.size()); }
    bool in_star(int i, Mask m) const { return (low_[i].needs & ~m) == 0; }
    index_t code(index_t e, int i) const { return e * low_patterns_ + low_[i].code_delta; }
    int first_cofacet_in_star(int i, Mask m) const {
        const Cell& c = low_[i];
        for (int t = 0; t < c.n_links; ++t)
            if ((high_[c.link[t]].needs & ~m) == 0) return c.link[t];
        return -1;
    }
    index_t cofacet_code(index_t e, int j) const {
        return e * high_patterns_ + high_[j].code_delta;
    }
    int cofacet_index(index_t e, index_t code) const {
        const index_t delta = code - e * high_patterns_;
        for (std::size_t j = 0; j < high_.size(); ++j)
            if (high_[j].code_delta == delta) return static_cast<int>(j);
        throw std::logic_error("internal error: a pivot outside its critical entry's star");
    }
    bool first_cofacet_is(int i, int j, Mask m) const { return first_cofacet_in_star(i, m) == j; }
    int latest_facet_in_star(int j, Mask m) const {
        const Cell& c = high_[j];
        for (int t = c.n_links; t-- > 0;)
            if ((low_[c.link[t]].needs & ~m) == 0) return c.link[t];
        return -1;
    }

private:
    /// A cell of the star (needs in the record's layout, code e * n_patterns + code_delta) and
    /// its links in the other list (cofacets of a k-cell, facets of a (k+1)-cell), ascending.
    struct Cell {
        std::uint32_t needs;
        index_t code_delta;
        int n_links = 0;
        std::uint8_t link[8];
    };
    static Cell flat(const LowerStars& stars, const StarTables::Incidence& inc, index_t n_patterns,
                     const std::vector<int>& links) {
        Cell c{};
        c.needs = stars.needs_in_record(inc.needs);
        c.code_delta = -inc.anchor_offset * n_patterns + inc.pattern;
        if (links.size() > std::size(c.link))
            throw std::logic_error("internal error: a cell with more links than its flat list");
        for (int j : links) c.link[c.n_links++] = static_cast<std::uint8_t>(j);
        return c;
    }

    const std::uint32_t* records_;
    index_t low_patterns_, high_patterns_;
    std::vector<Cell> low_, high_;
};

/// Calls f(view) with the flat record view where the stars keep 32-bit records (3-D), else
/// with the table view.
template <class F>
decltype(auto) with_sweep_view(const GridOrder& order, const LowerStars& stars, int k, F&& f) {
    if (RecordSweepView::applies(stars)) return f(RecordSweepView(order, stars, k));
    return f(TableSweepView(order, stars, k));
}

/// The k-columns of the star of e, latest first. A column with a cofacet in the same star has
/// that star's first such cofacet tau as its pivot. Only columns of this star can own tau (an
/// owner is a facet of tau processed earlier, and every reduced pivot lies in the star of its
/// column or a later one), so the pair is settled here: apparent by the tables, emergent when no
/// earlier column of the star owns tau; `settle(cell, pivot, emergent)` takes it. Once a column
/// of the star needs a reduction (its final pivot is unknown here) the star's later columns
/// wait too; columns whose pivot lies outside the star never own one inside it. `wait(cell)`
/// takes the waiting columns; `owned` is scratch space.
template <class View, class Wait, class Settle>
void sweep_star(const GridOrder& order, const View& view, const CellFlags& cleared, index_t e,
                std::vector<index_t>& owned, Wait&& wait, Settle&& settle) {
    const typename View::Mask mask = view.mask(e);
    const std::uint32_t rank = order.ranks()[e];
    owned.clear();
    bool waiting = false;
    for (int i = view.n_cells(); i-- > 0;) {
        if (!view.in_star(i, mask)) continue;
        const index_t cell = view.code(e, i);
        if (!cleared.empty() && cleared.test(cell)) continue;
        const int j = view.first_cofacet_in_star(i, mask);
        if (j < 0) {
            wait(cell);
            continue;
        }
        const CellKey pivot{rank, view.cofacet_code(e, j)};
        const bool taken = std::find(owned.begin(), owned.end(), pivot.code) != owned.end();
        if (!taken && view.latest_facet_in_star(j, mask) == i) {
            settle(cell, pivot, false);  // apparent
        } else if (!taken && !waiting) {
            settle(cell, pivot, true);  // emergent
        } else {
            wait(cell);
            waiting = true;
            continue;
        }
        owned.push_back(pivot.code);
    }
}

/// sweep_star over the entries [first, last) that have a star (with values on cubes, an entry
/// anchors no cube on the upper faces of the box): wait(rank, cell) takes the waiting columns,
/// settle(entry, cell, pivot, emergent) the pairs settled in the entry's star.
template <class View, class Wait, class Settle>
void sweep_entries(const GridOrder& order, const View& view, const CellFlags& cleared,
                   index_t first, index_t last, Wait&& wait, Settle&& settle) {
    std::vector<index_t> owned;
    for (index_t e = first; e < last; ++e) {
        poll_interrupt(static_cast<std::uint64_t>(e));
        const std::uint32_t rank = order.ranks()[e];
        if (rank == GridOrder::none) continue;  // no cube anchored at e
        sweep_star(
            order, view, cleared, e, owned, [&](index_t cell) { wait(rank, cell); },
            [&](index_t cell, CellKey pivot, bool emergent) { settle(e, cell, pivot, emergent); });
    }
}

/// What the stars of one range of entries left to merge: the pairs the sink keeps (cell, pivot
/// code, entry), the emergent owners (pivot code, cell), the waiting columns.
struct StarSweepPart {
    std::vector<std::array<index_t, 3>> pairs;
    std::vector<std::pair<index_t, index_t>> owners;
    std::vector<CellKey> pending;
};

/// The sweep over every entry on up to n_threads threads, in ranges. A range sets the death
/// flags of its pivots itself; only words that a neighbouring range may touch too (pivots
/// anchored within one cell's reach of a range end) are set atomically.
template <class View>
std::vector<StarSweepPart>
sweep_stars_in_parallel(const GridOrder& order, const View& view, int k, const GridPairSink& sink,
                        const CellFlags& cleared, CellFlags& deaths, int n_threads) {
    const GridLattice& lat = order.lattice();
    const index_t n = lat.n_vertices(), n_patterns = lat.n_patterns(k + 1);
    index_t reach = 1;  // how far a pivot's anchor may be from its entry, plus a flag word
    for (int i = 0; i < lat.ndim(); ++i) reach += lat.stride(i);
    reach += 64;
    const auto n_parts =
        static_cast<index_t>(std::min<index_t>(4 * n_threads, n / (4 * reach) + 1));
    std::vector<StarSweepPart> parts(static_cast<std::size_t>(n_parts));
    const bool keep_pairs = sink.keeps(k, 0, 0);  // the pairs of one star: birth entry == death
    parallel_for(n_parts, n_threads, [&](index_t p) {
        const index_t first = n * p / n_parts, last = n * (p + 1) / n_parts;
        StarSweepPart& part = parts[static_cast<std::size_t>(p)];
        sweep_entries(
            order, view, cleared, first, last,
            [&](std::uint32_t rank, index_t cell) { part.pending.push_back({rank, cell}); },
            [&](index_t e, index_t cell, CellKey pivot, bool emergent) {
                if (!deaths.empty()) {
                    const index_t anchor = pivot.code / n_patterns;
                    if (anchor < first + reach || anchor >= last - reach)
                        deaths.set_shared(pivot.code);
                    else deaths.set(pivot.code);
                }
                if (keep_pairs) part.pairs.push_back({cell, pivot.code, e});
                if (emergent) part.owners.push_back({pivot.code, cell});
            });
    });
    return parts;
}

/// The sweep over every entry without the clearing flags, so that it can run beside H0. A
/// column that H0 clears (a (k-1)-death) reduces to zero: it is never an apparent pair (that
/// is a persistence pair) nor emergent (its pivot is owned by an earlier column of its star,
/// done or waiting), so it waits, and the columns after it in its star wait too. The waiting
/// columns are flagged in `waiting` (sized to the k-cells), and filtered once H0 is done.
inline StarSweepPart sweep_stars_before_clearing(const GridOrder& order, const LowerStars& stars,
                                                 int k, const GridPairSink& sink, CellFlags& deaths,
                                                 CellFlags& waiting) {
    StarSweepPart part;
    const CellFlags no_clearing;
    const bool keep_pairs = sink.keeps(k, 0, 0);  // the pairs of one star: birth entry == death
    with_sweep_view(order, stars, k, [&](const auto& view) {
        sweep_entries(
            order, view, no_clearing, 0, order.lattice().n_vertices(),
            [&](std::uint32_t, index_t cell) { waiting.set(cell); },
            [&](index_t e, index_t cell, CellKey pivot, bool emergent) {
                if (!deaths.empty()) deaths.set(pivot.code);
                if (keep_pairs) part.pairs.push_back({cell, pivot.code, e});
                if (emergent) part.owners.push_back({pivot.code, cell});
            });
    });
    return part;
}

}  // namespace calydon::detail
