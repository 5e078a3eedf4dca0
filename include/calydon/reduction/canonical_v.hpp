// calydon/reduction/canonical_v.hpp: restores the canonical (ELZ) form of V after a reduction.
//
// The serial left-to-right reduction without clearing, where a column only ever absorbs the
// earlier column owning its current low, yields the ELZ form of (R, V) (Edelsbrunner, Letscher,
// Zomorodian): every off-diagonal entry k of V_j has R_k != 0 and, when R_j != 0, low(R_k) >
// low(R_j). That form is unique, so critical sets read from it do not depend on how the
// reduction ran (clearing, thread count). Clearing (V_j := R_c) or a parallel reduction leave
// other valid decompositions; this pass rewrites them into the canonical one, column by column
// in increasing order, adding V_k (and R_k) into V_j (and R_j) for every offending entry k.
// Each addition keeps low(R_j), so the pairing is unchanged.
#pragma once

#include <algorithm>
#include <vector>

#include "calydon/core/interrupt.hpp"
#include "calydon/reduction/column_reduction.hpp"

namespace calydon {

template <ColumnStore Store>
void restore_canonical_v(ColumnReduction<Store>& red, const ColumnBlock& block) {
    std::vector<index_t> v, r, scratch;
    std::uint64_t ticks = 0;
    for (index_t j = block.begin; j < block.end; ++j) {
        poll_interrupt(++ticks);
        if (!red.has_v(j)) continue;
        v = red.v_column(j);
        const auto rj = red.r_column(j);
        r.assign(rj.begin(), rj.end());
        const index_t low_j = r.empty() ? no_index : r.back();
        bool changed = false;
        // Entries are examined from the largest down; adding V_k (whose entries are <= k, with k
        // itself on its diagonal) removes k and changes only smaller entries, so after a fix the
        // scan resumes just below k.
        std::size_t pos = v.size();
        while (pos > 0) {
            const index_t k = v[--pos];
            if (k == j) continue;
            const auto rk = red.r_column(k);
            const bool offending = rk.empty() || (low_j != no_index && rk.back() < low_j);
            if (!offending) continue;
            poll_interrupt(++ticks);
            add_column(v, red.v_column(k), scratch);
            add_column(r, rk, scratch);
            changed = true;
            pos = static_cast<std::size_t>(std::lower_bound(v.begin(), v.end(), k) - v.begin());
        }
        if (changed) {
            red.set_v_column(j, v);
            red.set_r_column(j, r);
        }
    }
}

}  // namespace calydon
