// calydon/optimize/topology_optimizer.hpp: critical sets of many (cell, target) requests.
//
// Owns what one optimization step needs and builds it lazily, at most once: the pairing (which
// cell is a death) read off a fast reduction without V, then only the dimension blocks the
// requests read, on the homology side for death moves and on the cohomology side for birth
// moves, with V in canonical form (see reduced_side.hpp): V columns one by one, and the U rows
// on demand.
#pragma once

#include <memory>
#include <span>
#include <vector>

#include "calydon/optimize/conflicts.hpp"
#include "calydon/optimize/critical_sets.hpp"
#include "calydon/persistence/pairs.hpp"

namespace calydon {

class TopologyOptimizer {
public:
    /// `fil` must outlive the optimizer. `base` carries n_threads and cancellation.
    TopologyOptimizer(const Filtration& fil, PersistenceOptions base = {})
        : fil_(&fil), base_(base) {}

    const Filtration& filtration() const { return *fil_; }

    /// Every pair, zero persistence included, from the cheapest reduction (no V).
    const IndexPairs& pairing() {
        if (!pairing_) {
            PersistenceOptions o = base_;
            o.dualize = fil_->prefers_cohomology();
            o.keep_zero_persistence = true;
            o.v_dims = 0;
            pairing_ = std::make_unique<IndexPairs>(compute_persistence_pairs(*fil_, o));
            is_death_.assign(fil_->size(), 0);
            for (const auto& per_dim : pairing_->finite)
                for (auto [b, d] : per_dim) is_death_[d] = 1;
        }
        return *pairing_;
    }

    bool is_death(index_t cell) {
        pairing();
        return is_death_[cell] != 0;
    }

    /// The move that takes `cell` towards `target` (a death cell moves as a death).
    Move move_for(index_t cell, value_t target) {
        const bool earlier = fil_->precedes(target, fil_->value(cell));
        if (is_death(cell)) return earlier ? Move::decrease_death : Move::increase_death;
        return earlier ? Move::decrease_birth : Move::increase_birth;
    }

    /// The critical set of one request; empty when the target is the current value.
    std::vector<index_t> critical_set_of(index_t cell, value_t target) {
        if (target == fil_->value(cell)) return {};
        return critical_set_for(move_for(cell, target), cell, target);
    }

    std::vector<index_t> critical_set_for(Move move, index_t cell, value_t target) {
        const bool death = move == Move::decrease_death || move == Move::increase_death;
        return critical_set(*fil_, side(!death), move, cell, target);
    }

    CriticalSets singletons(std::span<const index_t> cells, std::span<const value_t> targets) {
        prepare_sides(cells, targets);
        CriticalSets out;
        for (std::size_t i = 0; i < cells.size(); ++i)
            out.add(critical_set_of(cells[i], targets[i]), targets[i]);
        return out;
    }

    /// Critical sets of every request whose target differs from the current value, combined.
    CellTargets crit_sets_apply(std::span<const index_t> cells, std::span<const value_t> targets,
                                ConflictStrategy strategy) {
        CellTargets moving;
        for (std::size_t i = 0; i < cells.size(); ++i)
            if (targets[i] != fil_->value(cells[i])) {
                moving.cells.push_back(cells[i]);
                moving.targets.push_back(targets[i]);
            }
        CriticalSets sets = singletons(moving.cells, moving.targets);
        return combine_critical_sets(sets, strategy, fil_->values(), &moving);
    }

private:
    /// Reduces up front, in full, the blocks whose U rows the requests read; V columns are
    /// reduced one by one when read (ReducedSide).
    void prepare_sides(std::span<const index_t> cells, std::span<const value_t> targets) {
        for (std::size_t i = 0; i < cells.size(); ++i) {
            if (targets[i] == fil_->value(cells[i])) continue;
            const Move move = move_for(cells[i], targets[i]);
            if (move == Move::increase_death) side(false).ensure_full(fil_->dim(cells[i]));
            if (move == Move::decrease_birth) side(true).ensure_full(fil_->dim(cells[i]));
        }
    }

    ReducedSide& side(bool dualize) {
        auto& s = dualize ? coh_ : hom_;
        if (!s) {
            // Homology: the death column owns its birth's row. Cohomology (matrix index
            // N-1-id): the birth column owns the death's row.
            const index_t n = fil_->size();
            std::vector<index_t> owner_of_row(n, -1);
            for (const auto& per_dim : pairing().finite)
                for (auto [b, d] : per_dim) {
                    if (dualize) owner_of_row[n - 1 - d] = n - 1 - b;
                    else owner_of_row[b] = d;
                }
            s = std::make_unique<ReducedSide>(*fil_, dualize, std::move(owner_of_row));
        }
        return *s;
    }

    const Filtration* fil_;
    PersistenceOptions base_;
    std::unique_ptr<IndexPairs> pairing_;
    std::vector<char> is_death_;
    std::unique_ptr<ReducedSide> hom_, coh_;
};

}  // namespace calydon
