// calydon/optimize/topology_optimizer.hpp: critical sets of many (cell, target) requests.
//
// Owns what one optimization step needs and builds it lazily, at most once: the pairing (which
// cell is a death) read off a fast reduction without V, then the homology side only if some
// request moves a death and the cohomology side only if some request moves a birth, each with V
// in canonical form, and the U rows on demand.
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
        return critical_set(*fil_, walker(!death), move, cell, target);
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
    /// Reduces up front the sides the requests need, so the walks below never wait on one.
    void prepare_sides(std::span<const index_t> cells, std::span<const value_t> targets) {
        bool deaths = false, births = false;
        for (std::size_t i = 0; i < cells.size(); ++i) {
            if (targets[i] == fil_->value(cells[i])) continue;
            (is_death(cells[i]) ? deaths : births) = true;
        }
        if (deaths) walker(false);
        if (births) walker(true);
    }

    SideWalker& walker(bool dualize) {
        auto& dcmp = dualize ? coh_ : hom_;
        auto& walk = dualize ? coh_walk_ : hom_walk_;
        if (!walk) {
            PersistenceOptions o = base_;
            o.dualize = dualize;
            o.v_dims = PersistenceOptions::all_dims;
            o.canonical_v = true;
            dcmp = std::make_unique<Decomposition>(*fil_, o);
            walk = std::make_unique<SideWalker>(*fil_, *dcmp);
        }
        return *walk;
    }

    const Filtration* fil_;
    PersistenceOptions base_;
    std::unique_ptr<IndexPairs> pairing_;
    std::vector<char> is_death_;
    std::unique_ptr<Decomposition> hom_, coh_;
    std::unique_ptr<SideWalker> hom_walk_, coh_walk_;
};

}  // namespace calydon
