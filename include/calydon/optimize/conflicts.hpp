// calydon/optimize/conflicts.hpp: one target per cell when critical sets overlap.
//
// Several critical sets may prescribe different targets to one cell. Max keeps the most
// displaced target (the first in critical-set order on ties), Avg their mean, Sum every (cell,
// target) pair (a summed quadratic loss), FixCritAvg pins each input cell to its own target and
// averages the rest. The output is sorted by cell, so it is deterministic.
#pragma once

#include <algorithm>
#include <cmath>
#include <numeric>
#include <span>
#include <vector>

#include "calydon/core/errors.hpp"
#include "calydon/core/types.hpp"

namespace calydon {

enum class ConflictStrategy { max, avg, sum, fix_crit_avg };

/// Critical sets as CSR: set s holds cells[offsets[s] .. offsets[s+1]) and target targets[s].
struct CriticalSets {
    std::vector<index_t> offsets{0};
    std::vector<index_t> cells;
    std::vector<value_t> targets;

    void add(std::span<const index_t> set, value_t target) {
        cells.insert(cells.end(), set.begin(), set.end());
        offsets.push_back(static_cast<index_t>(cells.size()));
        targets.push_back(target);
    }
    index_t size() const { return static_cast<index_t>(targets.size()); }
};

struct CellTargets {
    std::vector<index_t> cells;
    std::vector<value_t> targets;
};

/// Resolves overlapping critical sets. `current` holds every cell's value; `pins` (FixCritAvg
/// only) lists (cell, target) pairs that keep their own target.
inline CellTargets combine_critical_sets(const CriticalSets& sets, ConflictStrategy strategy,
                                         std::span<const value_t> current,
                                         const CellTargets* pins = nullptr) {
    struct Entry {
        index_t cell;
        value_t target;
    };
    // Sorted by cell, stably: within a cell, entries stay in critical-set order (Max's tie rule,
    // Sum's order). Many entries against the cell count (a whole step's sets): a counting sort.
    std::vector<Entry> entries(sets.cells.size());
    const auto n_cells = current.size();
    for (index_t c : sets.cells)
        if (c < 0 || static_cast<std::size_t>(c) >= n_cells)
            throw_invalid("critical sets must hold sorted ids in [0, ", n_cells, "), got ", c);
    if (entries.size() >= n_cells / 8) {
        std::vector<index_t> start(n_cells + 1, 0);
        for (index_t c : sets.cells) ++start[c + 1];
        std::partial_sum(start.begin(), start.end(), start.begin());
        for (index_t s = 0; s < sets.size(); ++s)
            for (index_t k = sets.offsets[s]; k < sets.offsets[s + 1]; ++k)
                entries[start[sets.cells[k]]++] = {sets.cells[k], sets.targets[s]};
    } else {
        std::size_t at = 0;
        for (index_t s = 0; s < sets.size(); ++s)
            for (index_t k = sets.offsets[s]; k < sets.offsets[s + 1]; ++k)
                entries[at++] = {sets.cells[k], sets.targets[s]};
        std::stable_sort(entries.begin(), entries.end(),
                         [](const Entry& a, const Entry& b) { return a.cell < b.cell; });
    }
    CellTargets out;
    if (strategy == ConflictStrategy::sum) {
        for (const Entry& e : entries) {
            out.cells.push_back(e.cell);
            out.targets.push_back(e.target);
        }
        return out;
    }
    std::vector<std::pair<index_t, value_t>> pinned;
    if (strategy == ConflictStrategy::fix_crit_avg) {
        if (!pins)
            throw_invalid(
                "strategy FixCritAvg needs the input (index, target) pairs; use crit_sets_apply");
        for (std::size_t i = 0; i < pins->cells.size(); ++i)
            pinned.push_back({pins->cells[i], pins->targets[i]});
        std::stable_sort(pinned.begin(), pinned.end(),
                         [](auto& a, auto& b) { return a.first < b.first; });
    }
    std::size_t pin = 0;
    for (std::size_t i = 0; i < entries.size();) {
        std::size_t j = i;
        while (j < entries.size() && entries[j].cell == entries[i].cell) ++j;
        const index_t cell = entries[i].cell;
        value_t chosen = 0;
        if (strategy == ConflictStrategy::max) {
            chosen = entries[i].target;
            for (std::size_t k = i + 1; k < j; ++k)
                if (std::abs(entries[k].target - current[cell]) > std::abs(chosen - current[cell]))
                    chosen = entries[k].target;
        } else {
            while (pin < pinned.size() && pinned[pin].first < cell) ++pin;
            std::size_t pin_end = pin, count = j - i;
            value_t sum = 0;
            while (pin_end < pinned.size() && pinned[pin_end].first == cell)
                sum += pinned[pin_end++].second;
            if (pin_end > pin) {
                count = pin_end - pin;  // a pinned cell keeps (the mean of) its own target(s)
            } else {
                for (std::size_t k = i; k < j; ++k) sum += entries[k].target;
            }
            chosen = sum / static_cast<value_t>(count);
        }
        out.cells.push_back(cell);
        out.targets.push_back(chosen);
        i = j;
    }
    return out;
}

}  // namespace calydon
