// calydon/rips/cofacets.hpp: implicit coboundaries of Rips simplices.
//
// A simplex is (diameter, index) with the index in the combinatorial number system. Its cofacets
// are enumerated on demand, in decreasing index order, and only those within the threshold:
// nothing about the coboundary matrix is ever stored. Inserting a vertex w into the simplex
// v_k > ... > v_0 shifts every vertex above w up by one position, so the cofacet index is
// (index of the vertices above w, shifted) + C(w, j + 1) + (index of the j vertices below w).
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "calydon/core/interrupt.hpp"
#include "calydon/rips/binomial.hpp"
#include "calydon/rips/distances.hpp"

namespace calydon {

struct DiamIndex {
    value_t diameter;
    index_t index;
};

/// Order of simplices of one dimension in the implicit reduction: by diameter, ties broken by
/// the larger index first (reverse colexicographic).
inline bool enters_before(const DiamIndex& a, const DiamIndex& b) {
    return a.diameter < b.diameter || (a.diameter == b.diameter && a.index > b.index);
}

/// Shared state of both enumerators: the vertices and the index split around the current w.
class CofacetCursor {
protected:
    void start(DiamIndex simplex, dim_t dim, const BinomialTable& binom) {
        simplex_vertices(simplex.index, dim, binom, vertices_);
        reset(simplex, dim);
    }
    /// The same with the vertices already known (decreasing), which saves decoding them.
    void start(DiamIndex simplex, std::span<const index_t> vertices) {
        vertices_.assign(vertices.begin(), vertices.end());
        reset(simplex, static_cast<dim_t>(vertices.size()) - 1);
    }
    void reset(DiamIndex simplex, dim_t dim) {
        simplex_ = simplex;
        n_vertices_ = dim + 1;
        below_count_ = n_vertices_;
        index_below_ = simplex.index;
        index_above_ = 0;
    }
    /// Moves the simplex's vertices >= w above the insertion point; true if w is one of them.
    bool move_vertices_above(index_t w, const BinomialTable& binom) {
        bool hit = false;
        while (below_count_ > 0) {
            const index_t v = vertices_[n_vertices_ - below_count_];
            if (v < w) break;
            hit |= v == w;
            index_below_ -= binom(v, below_count_);
            index_above_ += binom(v, below_count_ + 1);
            --below_count_;
        }
        return hit;
    }
    index_t cofacet_index(index_t w, const BinomialTable& binom) {
        last_w_ = w;
        return index_above_ + binom(w, below_count_ + 1) + index_below_;
    }

public:
    /// The vertices of the cofacet returned last, decreasing (the simplex's with its new vertex).
    void cofacet_vertices(std::vector<index_t>& out) const {
        out.resize(static_cast<std::size_t>(n_vertices_) + 1);
        int i = 0, j = 0;
        for (; i < n_vertices_ && vertices_[i] > last_w_; ++i) out[j++] = vertices_[i];
        out[j++] = last_w_;
        for (; i < n_vertices_; ++i) out[j++] = vertices_[i];
    }
    const std::vector<index_t>& vertices() const { return vertices_; }

protected:
    /// Sees the work bound of every enumeration (the distances it may read), so Ctrl-C is
    /// answered within about a millisecond of enumeration, however long a column is.
    WorkPoller poller_;
    DiamIndex simplex_{};
    std::vector<index_t> vertices_;  // decreasing
    int n_vertices_ = 0;
    int below_count_ = 0;
    index_t index_below_ = 0, index_above_ = 0;
    index_t last_w_ = -1;
};

template <class Distances>
class Cofacets;

template <>
class Cofacets<DenseDistances> : public CofacetCursor {
public:
    Cofacets(const DenseDistances& dist, const BinomialTable& binom, value_t threshold)
        : dist_(&dist), binom_(&binom), threshold_(threshold) {}

    /// only_new_top: enumerate only cofacets whose added vertex exceeds every vertex (each
    /// (d+1)-simplex then arises from exactly one d-simplex, its facet without the top vertex).
    void set_simplex(DiamIndex simplex, dim_t dim, bool only_new_top = false) {
        start(simplex, dim, *binom_);
        prepare(only_new_top);
    }
    void set_simplex(DiamIndex simplex, std::span<const index_t> vertices,
                     bool only_new_top = false) {
        start(simplex, vertices);
        prepare(only_new_top);
    }

    bool next(DiamIndex& out) {
        for (; w_ > stop_below_; --w_) {
            if (move_vertices_above(w_, *binom_)) continue;
            value_t diam = simplex_.diameter;
            for (int i = 0; i < n_vertices_; ++i) diam = std::max(diam, rows_[i][w_]);
            if (diam > threshold_) continue;
            out = {diam, cofacet_index(w_, *binom_)};
            --w_;
            return true;
        }
        return false;
    }

private:
    void prepare(bool only_new_top) {
        poller_.add(static_cast<std::uint64_t>(dist_->size()) * n_vertices_);
        rows_.resize(n_vertices_);
        for (int i = 0; i < n_vertices_; ++i) rows_[i] = dist_->row(vertices_[i]);
        w_ = dist_->size() - 1;
        stop_below_ = only_new_top ? vertices_[0] : -1;
    }

    const DenseDistances* dist_;
    const BinomialTable* binom_;
    value_t threshold_;
    std::vector<const value_t*> rows_;
    index_t w_ = -1, stop_below_ = -1;
};

template <>
class Cofacets<SparseDistances> : public CofacetCursor {
public:
    Cofacets(const SparseDistances& dist, const BinomialTable& binom,
             value_t /*threshold: built in*/)
        : dist_(&dist), binom_(&binom) {}

    void set_simplex(DiamIndex simplex, dim_t dim, bool only_new_top = false) {
        start(simplex, dim, *binom_);
        prepare(only_new_top);
    }
    void set_simplex(DiamIndex simplex, std::span<const index_t> vertices,
                     bool only_new_top = false) {
        start(simplex, vertices);
        prepare(only_new_top);
    }

    /// Common neighbours of all vertices, walking every neighbour list downwards in lockstep.
    bool next(DiamIndex& out) {
        auto& lead = lists_[0];
        index_t& p0 = pos_[0];
        while (p0 >= 0) {
            const index_t w = lead[p0].vertex;
            if (only_new_top_ && w < vertices_[0]) return false;
            value_t diam = std::max(simplex_.diameter, lead[p0].length);
            index_t behind = w;  // largest vertex of another list that is below w, if any
            for (int i = 1; i < n_vertices_; ++i) {
                auto& list = lists_[i];
                index_t& p = pos_[i];
                while (p >= 0 && list[p].vertex > w) --p;
                if (p < 0) return false;
                if (list[p].vertex < w) {
                    behind = list[p].vertex;
                    break;
                }
                diam = std::max(diam, list[p].length);
            }
            if (behind != w) {
                while (p0 >= 0 && lead[p0].vertex > behind) --p0;
                continue;
            }
            --p0;
            move_vertices_above(w, *binom_);
            out = {diam, cofacet_index(w, *binom_)};
            return true;
        }
        return false;
    }

private:
    void prepare(bool only_new_top) {
        lists_.resize(n_vertices_);
        pos_.resize(n_vertices_);
        std::uint64_t work = 0;
        for (int i = 0; i < n_vertices_; ++i) {
            lists_[i] = dist_->neighbors(vertices_[i]);
            pos_[i] = static_cast<index_t>(lists_[i].size()) - 1;
            work += lists_[i].size();
        }
        poller_.add(work);
        only_new_top_ = only_new_top;
    }

    const SparseDistances* dist_;
    const BinomialTable* binom_;
    std::vector<std::span<const SparseDistances::Neighbor>> lists_;
    std::vector<index_t> pos_;
    bool only_new_top_ = false;
};

/// Diameter of a vertex set (largest pairwise length).
template <class Distances>
value_t diameter_of(const std::vector<index_t>& vertices, const Distances& dist) {
    value_t diam = 0;
    for (std::size_t a = 0; a < vertices.size(); ++a)
        for (std::size_t b = a + 1; b < vertices.size(); ++b)
            diam = std::max(diam, dist(vertices[a], vertices[b]));
    return diam;
}

/// The critical edge of a vertex set: the first pair (u < v), in lexicographic order, whose
/// length is the diameter. A single vertex v gives (v, v).
template <class Distances>
std::array<index_t, 2> critical_edge_of(const std::vector<index_t>& vertices,
                                        const Distances& dist) {
    std::vector<index_t> asc(vertices.begin(), vertices.end());
    std::sort(asc.begin(), asc.end());
    std::array<index_t, 2> best{asc[0], asc[0]};
    value_t best_len = -1;
    for (std::size_t a = 0; a < asc.size(); ++a)
        for (std::size_t b = a + 1; b < asc.size(); ++b) {
            const value_t len = dist(asc[a], asc[b]);
            if (len > best_len) {
                best_len = len;
                best = {asc[a], asc[b]};
            }
        }
    return best;
}

}  // namespace calydon
