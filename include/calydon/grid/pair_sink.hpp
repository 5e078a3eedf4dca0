// calydon/grid/pair_sink.hpp: where the implicit grid passes put their pairs.
//
// Each pair is kept twice: by critical flat data index (for gathering values, the differentiable
// path) and by cell code (so the lazy explicit filtration can look up sorted ids). Pairs of zero
// persistence are dropped unless asked for; so are the dimensions nobody asked for.
#pragma once

#include <array>
#include <atomic>
#include <span>
#include <vector>

#include "calydon/grid/big_vector.hpp"
#include "calydon/grid/cell_order.hpp"
#include "calydon/persistence/index_pairs.hpp"

namespace calydon {

/// The pairs twice, in the one pair layout.
struct GridPairs {
    IndexPairs by_data;  // critical flat data indices
    IndexPairs by_code;  // cell codes (anchor * n_patterns + pattern) in their dimension
};

/// The cells of one dimension that some pass has already paired (clearing, essential classes).
class CellFlags {
public:
    void resize(index_t n) { bits_.assign(static_cast<std::size_t>((n + 63) / 64), 0); }
    bool empty() const { return bits_.empty(); }
    void set(index_t i) { bits_[i >> 6] |= std::uint64_t{1} << (i & 63); }
    bool test(index_t i) const { return (bits_[i >> 6] >> (i & 63)) & 1u; }
    std::size_t n_words() const { return bits_.size(); }
    std::uint64_t word(std::size_t w) const { return bits_[w]; }
    void prefetch(index_t i) const {
        if (!bits_.empty()) __builtin_prefetch(&bits_[i >> 6]);
    }
    /// set while another thread writes other bits of the same words.
    void set_shared(index_t i) {
        std::atomic_ref<std::uint64_t>(bits_[i >> 6])
            .fetch_or(std::uint64_t{1} << (i & 63), std::memory_order_relaxed);
    }

private:
    big_vector<std::uint64_t> bits_;
};

class GridPairSink {
public:
    GridPairSink(const GridOrder& order, std::span<const value_t> data, int n_dims,
                 bool keep_zero_persistence)
        : order_(&order), data_(data), keep_zero_(keep_zero_persistence) {
        for (IndexPairs* p : {&out_.by_data, &out_.by_code}) {
            p->finite.resize(n_dims);
            p->essential.resize(n_dims);
        }
    }

    bool wants(int dim) const { return dim < static_cast<int>(out_.by_data.finite.size()); }
    bool keeps_zero_persistence() const { return keep_zero_; }
    /// Whether pair() may keep a pair with these critical entries (it also drops pairs whose
    /// two entries have equal values).
    bool keeps(int k, index_t birth_entry, index_t death_entry) const {
        return wants(k) && (keep_zero_ || birth_entry != death_entry);
    }

    /// Whether pair() keeps a pair with these critical entries: keeps(), and the two values
    /// differ unless pairs of zero persistence are kept.
    bool admits(int k, index_t birth_entry, index_t death_entry) const {
        return keeps(k, birth_entry, death_entry) &&
               (keep_zero_ ||
                data_[order_->data_index(birth_entry)] != data_[order_->data_index(death_entry)]);
    }

    /// A pair (birth k-cell, death (k+1)-cell), with the critical entries of both cells.
    void pair(int k, index_t birth_code, index_t death_code, index_t birth_entry,
              index_t death_entry) {
        if (admits(k, birth_entry, death_entry))
            add_admitted(k, birth_code, death_code, birth_entry, death_entry);
    }
    /// A pair already checked with admits() (by a thread that could not write here).
    void add_admitted(int k, index_t birth_code, index_t death_code, index_t birth_entry,
                      index_t death_entry) {
        out_.by_data.finite[k].push_back(
            {order_->data_index(birth_entry), order_->data_index(death_entry)});
        out_.by_code.finite[k].push_back({birth_code, death_code});
    }
    void essential(int k, index_t code) {
        if (!wants(k)) return;
        out_.by_data.essential[k].push_back(order_->data_index(order_->critical(code, k)));
        out_.by_code.essential[k].push_back(code);
    }

    GridPairs take() { return std::move(out_); }

private:
    const GridOrder* order_;
    std::span<const value_t> data_;
    bool keep_zero_;
    GridPairs out_;
};

}  // namespace calydon
