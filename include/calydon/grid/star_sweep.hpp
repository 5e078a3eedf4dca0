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
#include <utility>
#include <vector>

#include "calydon/core/thread_pool.hpp"
#include "calydon/grid/pair_sink.hpp"

namespace calydon::detail {

/// The k-columns of the star of e, latest first. A column with a cofacet in the same star has
/// that star's first such cofacet tau as its pivot. Only columns of this star can own tau (an
/// owner is a facet of tau processed earlier, and every reduced pivot lies in the star of its
/// column or a later one), so the pair is settled here: apparent by the tables, emergent when no
/// earlier column of the star owns tau; `settle(cell, pivot, emergent)` takes it. Once a column
/// of the star needs a reduction (its final pivot is unknown here) the star's later columns
/// wait too; columns whose pivot lies outside the star never own one inside it. `wait(cell)`
/// takes the waiting columns; `owned` is scratch space.
template <class Wait, class Settle>
void sweep_star(const GridOrder& order, const LowerStars& stars, int k, const CellFlags& cleared,
                index_t e, std::vector<index_t>& owned, Wait&& wait, Settle&& settle) {
    const auto& low = stars.table(k).incidences;
    const auto& high = stars.table(k + 1).incidences;
    const neighbour_bits mask = stars.lower(e, k, order.ranks());
    const std::uint32_t rank = order.ranks()[e];
    auto first_cofacet_in_star = [&](const LowerStars::Incidence& inc) {
        for (int j : inc.cofacets)
            if (LowerStars::in_star(high[j], mask)) return j;
        return -1;
    };
    owned.clear();
    bool waiting = false;
    for (std::size_t i = low.size(); i-- > 0;) {
        if (!LowerStars::in_star(low[i], mask)) continue;
        const index_t cell = stars.code(e, k, low[i]);
        if (!cleared.empty() && cleared.test(cell)) continue;
        const int j = first_cofacet_in_star(low[i]);
        if (j < 0) {
            wait(cell);
            continue;
        }
        const CellKey pivot{rank, stars.code(e, k + 1, high[j])};
        const bool taken = std::find(owned.begin(), owned.end(), pivot.code) != owned.end();
        if (!taken && stars.latest_facet_in_star(k, high[j], mask) == static_cast<int>(i)) {
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
inline std::vector<StarSweepPart> sweep_stars_in_parallel(const GridOrder& order,
                                                          const LowerStars& stars, int k,
                                                          const GridPairSink& sink,
                                                          const CellFlags& cleared,
                                                          CellFlags& deaths, int n_threads) {
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
        std::vector<index_t> owned;
        for (index_t e = first; e < last; ++e) {
            poll_interrupt(static_cast<std::uint64_t>(e));
            if (order.ranks()[e] == GridOrder::none) continue;  // no cube anchored at e
            const std::uint32_t rank = order.ranks()[e];
            sweep_star(
                order, stars, k, cleared, e, owned,
                [&](index_t cell) { part.pending.push_back({rank, cell}); },
                [&](index_t cell, CellKey pivot, bool emergent) {
                    if (!deaths.empty()) {
                        const index_t anchor = pivot.code / n_patterns;
                        if (anchor < first + reach || anchor >= last - reach)
                            deaths.set_shared(pivot.code);
                        else deaths.set(pivot.code);
                    }
                    if (keep_pairs) part.pairs.push_back({cell, pivot.code, e});
                    if (emergent) part.owners.push_back({pivot.code, cell});
                });
        }
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
    std::vector<index_t> owned;
    const bool keep_pairs = sink.keeps(k, 0, 0);  // the pairs of one star: birth entry == death
    for (index_t e = 0; e < order.lattice().n_vertices(); ++e) {
        poll_interrupt(static_cast<std::uint64_t>(e));
        if (order.ranks()[e] == GridOrder::none) continue;  // no cube anchored at e
        sweep_star(
            order, stars, k, no_clearing, e, owned, [&](index_t cell) { waiting.set(cell); },
            [&](index_t cell, CellKey pivot, bool emergent) {
                if (!deaths.empty()) deaths.set(pivot.code);
                if (keep_pairs) part.pairs.push_back({cell, pivot.code, e});
                if (emergent) part.owners.push_back({pivot.code, cell});
            });
    }
    return part;
}

}  // namespace calydon::detail
