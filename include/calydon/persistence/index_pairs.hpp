// calydon/persistence/index_pairs.hpp: persistence pairs as sorted ids, per homology dimension.
#pragma once

#include <array>
#include <vector>

#include "calydon/filtration/filtration.hpp"

namespace calydon {

/// finite[d] holds (birth, death) sorted ids of the finite points in dimension d; essential[d]
/// the birth ids of the classes that never die. Dimensions 0..max_dim of the filtration.
struct IndexPairs {
    std::vector<std::vector<std::array<index_t, 2>>> finite;
    std::vector<std::vector<index_t>> essential;
};

/// Collects pairs, drops zero-persistence ones (unless asked), and derives the essential cells
/// as the cells that appear in no pair at all.
class PairCollector {
public:
    PairCollector(const Filtration& fil, bool keep_zero_persistence)
        : fil_(&fil), keep_zero_(keep_zero_persistence), paired_(fil.size(), 0) {
        const dim_t top = fil.max_dim();
        out_.finite.resize(top + 1);
        out_.essential.resize(top + 1);
    }

    void add(index_t birth, index_t death) {
        paired_[birth] = paired_[death] = 1;
        if (!keep_zero_ && fil_->value(birth) == fil_->value(death)) return;
        out_.finite[fil_->dim(birth)].push_back({birth, death});
    }

    /// Pairs added so far in homology dimension d (zero persistence included when kept).
    const std::vector<std::array<index_t, 2>>& finite_in_dim(dim_t d) const {
        return out_.finite[d];
    }

    IndexPairs finish() {
        for (index_t i = 0; i < fil_->size(); ++i)
            if (!paired_[i]) out_.essential[fil_->dim(i)].push_back(i);
        return std::move(out_);
    }

private:
    const Filtration* fil_;
    bool keep_zero_;
    std::vector<char> paired_;
    IndexPairs out_;
};

}  // namespace calydon
