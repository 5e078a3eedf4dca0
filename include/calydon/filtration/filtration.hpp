// calydon/filtration/filtration.hpp: cells sorted by (dimension, value, input position).
#pragma once

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "calydon/core/errors.hpp"
#include "calydon/core/radix_sort.hpp"
#include "calydon/core/thread_pool.hpp"
#include "calydon/core/types.hpp"
#include "calydon/filtration/cell_list.hpp"
#include "calydon/matrix/sparse_columns.hpp"

namespace calydon {

/// A filtered cell complex. Cells are stored sorted by (dim, value, input position); with
/// `negate` the value comparison is reversed (superlevel / upper-star filtrations) while the
/// stored values stay as given. Every index below is a sorted id unless it says "input".
class Filtration {
public:
    Filtration() = default;

    Filtration(CellList cells, bool negate) : negate_(negate) {
        const index_t n = cells.size();
        if (static_cast<index_t>(cells.values.size()) != n || cells.boundary.n_columns() != n)
            throw_invalid("Filtration: dims, values and boundaries must have the same length, got ",
                          n, ", ", cells.values.size(), " and ", cells.boundary.n_columns());
        for (index_t i = 0; i < n; ++i) {
            if (std::isnan(cells.values[i]))
                throw_invalid("Filtration: values must not be NaN, got NaN at input position ", i);
            if (cells.dims[i] < 0)
                throw_invalid("Filtration: dims must be >= 0, got ", cells.dims[i],
                              " at input position ", i);
        }
        sort_cells(cells);
        build_sorted_boundary(cells);
    }

    /// Cells in input order whose sort order is known already (a pickle's state) take it as it
    /// is: it is verified in one linear pass instead of being recomputed, and every face is
    /// checked. The permutation and the sorted boundary are filled by ranges of cells on up to
    /// n_threads threads of the shared pool (the same result for any count).
    static Filtration from_sorted_order(CellList cells, bool negate,
                                        std::vector<index_t> sorted_to_input, int n_threads = 1) {
        Filtration f;
        f.negate_ = negate;
        const index_t n = cells.size();
        if (static_cast<index_t>(sorted_to_input.size()) != n)
            throw std::logic_error(
                "internal error: sort permutation has the wrong size; please report");
        f.apply_order(cells, std::move(sorted_to_input), n_threads);
        f.build_sorted_boundary(cells, n_threads);
        return f;
    }

    /// Builders that write their cells straight into sorted order (boundary rows as sorted ids,
    /// ascending, faces right by construction) and keep their own input numbering (Delaunay:
    /// cells by dimension in the complex's order) hand over both permutations with the cells:
    /// nothing is permuted again; the order and the permutations are verified in linear passes
    /// in ranges on the pool.
    static Filtration from_sorted_cells(CellList sorted_cells, bool negate,
                                        std::vector<index_t> sorted_to_input,
                                        std::vector<index_t> input_to_sorted, int n_threads = 1) {
        const index_t n = sorted_cells.size();
        if (static_cast<index_t>(sorted_to_input.size()) != n ||
            static_cast<index_t>(input_to_sorted.size()) != n)
            throw std::logic_error(
                "internal error: sort permutations of the wrong length; please report");
        parallel_ranges(n, n_threads, [&](index_t first, index_t last) {
            for (index_t s = first; s < last; ++s) {
                const index_t pos = sorted_to_input[s];
                if (pos < 0 || pos >= n || input_to_sorted[pos] != s)
                    throw std::logic_error(
                        "internal error: the two sort permutations disagree; please report");
            }
        });
        return adopt_sorted(std::move(sorted_cells), negate, std::move(sorted_to_input),
                            std::move(input_to_sorted), n_threads);
    }

    /// Builders that emit their cells in sorted order already, with boundary rows as sorted ids
    /// (ascending) and faces right by construction (grids streamed by rank), hand them over as
    /// they are: the order is verified in one linear pass and nothing is permuted.
    static Filtration from_presorted(CellList cells, bool negate) {
        std::vector<index_t> identity(cells.size());
        std::iota(identity.begin(), identity.end(), index_t{0});
        std::vector<index_t> inverse = identity;
        return adopt_sorted(std::move(cells), negate, std::move(identity), std::move(inverse));
    }

    index_t size() const { return static_cast<index_t>(values_.size()); }
    dim_t max_dim() const { return static_cast<dim_t>(dim_first_.size()) - 2; }
    bool negate() const { return negate_; }

    value_t value(index_t i) const { return values_[i]; }
    dim_t dim(index_t i) const { return dims_[i]; }
    const FillLaterVector<value_t>& values() const { return values_; }
    const FillLaterVector<dim_t>& dims() const { return dims_; }
    /// sorted id -> input position
    const std::vector<index_t>& sorted_to_input() const { return sorted_to_input_; }
    /// input position -> sorted id
    const std::vector<index_t>& input_to_sorted() const { return input_to_sorted_; }
    /// Boundary matrix over sorted ids; column i lists the facets of cell i, ascending.
    const SparseColumns& boundary() const { return boundary_; }

    /// First sorted id of dimension d (== size() past the top dimension).
    index_t dim_first(dim_t d) const {
        if (d < 0) return 0;
        if (d > max_dim()) return size();
        return dim_first_[d];
    }
    index_t dim_end(dim_t d) const { return dim_first(d + 1); }
    index_t size_in_dim(dim_t d) const { return dim_end(d) - dim_first(d); }

    /// True when value a enters strictly before value b.
    bool precedes(value_t a, value_t b) const { return negate_ ? a > b : a < b; }
    /// Death value of essential classes: +inf, or -inf for a negated filtration.
    value_t infinity() const { return negate_ ? -value_inf : value_inf; }

    /// Set by builders of complexes whose top cells triangulate a ball (full grids, Delaunay):
    /// the top pairs can then be found by union-find on the dual graph (Alexander duality).
    bool top_is_ball() const { return top_is_ball_; }
    void set_top_is_ball(bool v) { top_is_ball_ = v; }

    /// The builder's name for the complex ("user", "freudenthal", "vr", ...): free text, so the
    /// core does not enumerate its builders.
    const std::string& kind() const { return kind_; }
    /// Builder-supplied default side: cohomology is much faster on clique complexes (VR).
    bool prefers_cohomology() const { return prefers_cohomology_; }
    void set_kind(std::string name, bool prefers_cohomology = false) {
        kind_ = std::move(name);
        prefers_cohomology_ = prefers_cohomology;
    }

private:
    /// Takes over cells already in sorted order with their permutations (checked by the caller)
    /// and verifies the (dim, value) order while filling dim_first_.
    static Filtration adopt_sorted(CellList cells, bool negate,
                                   std::vector<index_t> sorted_to_input,
                                   std::vector<index_t> input_to_sorted, int n_threads = 1) {
        const index_t n = cells.size();
        if (static_cast<index_t>(cells.values.size()) != n || cells.boundary.n_columns() != n)
            throw std::logic_error(
                "internal error: sorted cells of unequal lengths; please report");
        Filtration f;
        f.negate_ = negate;
        f.sorted_to_input_ = std::move(sorted_to_input);
        f.input_to_sorted_ = std::move(input_to_sorted);
        f.values_ = std::move(cells.values);
        f.dims_ = std::move(cells.dims);
        f.boundary_ = std::move(cells.boundary);
        f.set_dim_firsts(n_threads);
        return f;
    }

    /// The order (dim, value, input position): a stable radix sort on the values' ordered bits,
    /// then a stable counting sort on the dimension (linear time; equal values keep the input
    /// order).
    void sort_cells(const CellList& cells) {
        const index_t n = cells.size();
        struct Record {
            std::uint64_t key;
            index_t pos;
        };
        std::vector<Record> recs(n);
        const value_t sign = negate_ ? -1.0 : 1.0;
        dim_t top = -1;
        for (index_t i = 0; i < n; ++i) {
            recs[i] = {ordered_bits(sign * cells.values[i]), i};
            top = std::max(top, cells.dims[i]);
        }
        radix_sort(recs, 64, [](const Record& r) { return r.key; });
        std::vector<index_t> first(top + 2, 0);
        for (index_t i = 0; i < n; ++i) ++first[cells.dims[i] + 1];
        for (dim_t d = 0; d <= top; ++d) first[d + 1] += first[d];
        std::vector<index_t> order(n);
        for (const Record& r : recs) order[first[cells.dims[r.pos]]++] = r.pos;
        recs = {};
        apply_order(cells, std::move(order));
    }

    /// Builders may break ties of equal values their own way (grids: by critical entry), so
    /// only (dimension, value) must not decrease.
    bool in_sorted_order(index_t a, index_t b) const {
        if (dims_[a] != dims_[b]) return dims_[a] < dims_[b];
        return values_[a] == values_[b] || precedes(values_[a], values_[b]);
    }

    void apply_order(const CellList& cells, std::vector<index_t> order, int n_threads = 1) {
        const index_t n = cells.size();
        sorted_to_input_ = std::move(order);
        input_to_sorted_.resize(n);
        values_.resize(n);
        dims_.resize(n);
        parallel_ranges(n, n_threads, [&](index_t first, index_t last) {
            for (index_t s = first; s < last; ++s) {
                const index_t pos = sorted_to_input_[s];
                input_to_sorted_[pos] = s;
                values_[s] = cells.values[pos];
                dims_[s] = cells.dims[pos];
            }
        });
        set_dim_firsts(n_threads);
    }

    /// Verifies the (dim, value) order (in ranges on the pool) and fills dim_first_.
    void set_dim_firsts(int n_threads = 1) {
        const index_t n = size();
        const dim_t top = n ? dims_.back() : -1;
        dim_first_.assign(top + 2, n);
        parallel_ranges(n, n_threads, [&](index_t first, index_t last) {
            for (index_t s = std::max<index_t>(first, 1); s < last; ++s)
                if (!in_sorted_order(s - 1, s))
                    throw std::logic_error(
                        "internal error: cells are not in (dim, value) order; please report");
        });
        for (index_t s = n - 1; s >= 0; --s) dim_first_[dims_[s]] = s;
        for (dim_t d = top; d > 0; --d)
            dim_first_[d - 1] = std::min(dim_first_[d - 1], dim_first_[d]);
    }

    // Walks the cells in input order, where builders emit faces next to their cofaces, so the
    // lookups stay cache-local; only the write of each finished column lands at its sorted slot.
    // Ranges of input positions run on the pool (their columns land in disjoint slots); the
    // pool rethrows the first range's error, so the first bad face in input order is reported.
    void build_sorted_boundary(const CellList& cells, int n_threads = 1) {
        const index_t n = cells.size();
        const auto& in = cells.boundary;
        boundary_.offsets.resize(n + 1);  // every entry is written below
        boundary_.offsets[0] = 0;
        // Column lengths in sorted order (random reads, in ranges on the pool), then their sums.
        parallel_ranges(n, n_threads, [&](index_t first, index_t last) {
            for (index_t s = first; s < last; ++s) {
                if (s + 16 < last) __builtin_prefetch(&in.offsets[sorted_to_input_[s + 16]]);
                const index_t pos = sorted_to_input_[s];
                boundary_.offsets[s + 1] = in.offsets[pos + 1] - in.offsets[pos];
            }
        });
        for (index_t s = 0; s < n; ++s) boundary_.offsets[s + 1] += boundary_.offsets[s];
        boundary_.entries.resize(in.entries.size());
        parallel_ranges(n, n_threads, [&](index_t first, index_t last) {
            build_sorted_columns(cells, first, last);
        });
    }

    void build_sorted_columns(const CellList& cells, index_t first, index_t last) {
        const index_t n = cells.size();
        const auto& in = cells.boundary;
        std::vector<index_t> col;
        // Each column lands at a random sorted slot: prefetch the slot's offset two strides
        // ahead and the slot itself one stride ahead, so the misses overlap.
        constexpr index_t ahead = 16;
        const index_t* slot_of = input_to_sorted_.data();
        for (index_t pos = first; pos < last; ++pos) {
            if (pos + 2 * ahead < last)
                __builtin_prefetch(&boundary_.offsets[slot_of[pos + 2 * ahead]]);
            if (pos + ahead < last)
                __builtin_prefetch(
                    boundary_.entries.data() + boundary_.offsets[slot_of[pos + ahead]], 1);
            col.clear();
            for (index_t f : in.column(pos)) {
                if (f < 0 || f >= n)
                    throw_invalid("Filtration: boundary of input cell ", pos,
                                  " must index existing cells, got face ", f, " of ", n);
                if (cells.dims[f] != cells.dims[pos] - 1)
                    throw_invalid("Filtration: face ", f, " of input cell ", pos, " has dimension ",
                                  cells.dims[f], ", expected ", cells.dims[pos] - 1);
                if (precedes(cells.values[pos], cells.values[f]))
                    throw_invalid("Filtration: face ", f, " of input cell ", pos,
                                  " enters after its coface (values ", cells.values[f], " and ",
                                  cells.values[pos], ")");
                col.push_back(input_to_sorted_[f]);
            }
            // Sorted in a local buffer: sorting in place at the (cache-cold) destination stalls.
            // Columns are short (a k-cell has k+1 to 2k facets): insertion sort.
            for (std::size_t i = 1; i < col.size(); ++i)
                for (std::size_t j = i; j > 0 && col[j] < col[j - 1]; --j)
                    std::swap(col[j], col[j - 1]);
            std::copy(col.begin(), col.end(),
                      boundary_.entries.begin() + boundary_.offsets[input_to_sorted_[pos]]);
        }
    }

    bool negate_ = false;
    bool top_is_ball_ = false;
    bool prefers_cohomology_ = false;
    std::string kind_ = "user";
    FillLaterVector<value_t> values_;
    FillLaterVector<dim_t> dims_;
    std::vector<index_t> sorted_to_input_, input_to_sorted_;
    std::vector<index_t> dim_first_{0};
    SparseColumns boundary_;
};

}  // namespace calydon
