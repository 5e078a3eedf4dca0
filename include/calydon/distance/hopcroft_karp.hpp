// calydon/distance/hopcroft_karp.hpp: the bottleneck decision problem "is there a perfect
// matching of the diagonal-augmented graph with every edge of L_inf length <= r?", answered by
// Hopcroft-Karp with geometric neighbour oracles (Efrat, Itai and Katz, "Geometry helps in
// bottleneck matching and related problems", Algorithmica 2001).
//
// Left vertices: [0, n) are the A points, [n, n + m) the diagonal copies of the B points.
// Right vertices: [0, m) are the B points, [m, m + n) the diagonal copies of the A points.
// A_i is adjacent to the B points within r and to its own diagonal copy when that is within r;
// a diagonal copy of B_j is adjacent to B_j (when within r) and to every diagonal copy of A.
// Neighbours are never listed: an oracle hands out one unvisited neighbour at a time and
// forgets it, which bounds each phase by O((n + m) log) oracle work.
//
// The matching persists between calls: a smaller r first drops the edges that became too long,
// a larger r keeps everything, so a search over r warm-starts each decision.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "calydon/core/interrupt.hpp"
#include "calydon/distance/kd_tree.hpp"

namespace calydon {

class GeometricHopcroftKarp {
public:
    GeometricHopcroftKarp(const std::vector<DiagramPoint>& a, const std::vector<DiagramPoint>& b,
                          const LpMetric& metric = LpMetric(value_inf))
        : a_(a), b_(b), metric_(metric), n_(static_cast<std::int32_t>(a.size())),
          m_(static_cast<std::int32_t>(b.size())),
          mate_left_(static_cast<std::size_t>(n_ + m_), -1),
          mate_right_(static_cast<std::size_t>(n_ + m_), -1) {
        for (const auto& p : a) a_diagonal_.push_back(metric_.to_diagonal(p));
        for (const auto& p : b) b_diagonal_.push_back(metric_.to_diagonal(p));
        all_b_ =
            DeletableKdTree(coords(b_, all_ids(m_), true), coords(b_, all_ids(m_), false), metric_);
    }

    value_t a_diagonal(std::int32_t i) const { return a_diagonal_[i]; }
    value_t b_diagonal(std::int32_t j) const { return b_diagonal_[j]; }
    const std::vector<std::int32_t>& mate_left() const { return mate_left_; }

    /// Length of an edge in the metric; +inf for pairs that are not edges at any threshold.
    value_t edge_length(std::int32_t u, std::int32_t v) const {
        const bool real_u = u < n_, real_v = v < m_;
        if (real_u && real_v) return metric_(a_[u], b_[v]);
        if (real_u) return v - m_ == u ? a_diagonal_[u] : value_inf;
        if (real_v) return v == u - n_ ? b_diagonal_[v] : value_inf;
        return 0.0;
    }

    /// Replaces the matching by "everything to its own diagonal copy" (perfect at r = max).
    void match_all_to_diagonal() {
        std::fill(mate_left_.begin(), mate_left_.end(), -1);
        std::fill(mate_right_.begin(), mate_right_.end(), -1);
        for (std::int32_t i = 0; i < n_; ++i) link(i, m_ + i);
        for (std::int32_t j = 0; j < m_; ++j) link(n_ + j, j);
    }

    void set_matching(const std::vector<std::int32_t>& mate_left) {
        std::fill(mate_right_.begin(), mate_right_.end(), -1);
        mate_left_ = mate_left;
        for (std::int32_t u = 0; u < n_ + m_; ++u)
            if (mate_left_[u] >= 0) mate_right_[mate_left_[u]] = u;
    }

    /// Longest edge of the current matching.
    value_t longest_edge() const {
        value_t longest = 0;
        for (std::int32_t u = 0; u < n_ + m_; ++u)
            if (mate_left_[u] >= 0) longest = std::max(longest, edge_length(u, mate_left_[u]));
        return longest;
    }

    /// True when the matching can be made perfect with edges of length <= r (it then is).
    bool perfect_within(value_t r) {
        for (std::int32_t u = 0; u < n_ + m_; ++u)
            if (mate_left_[u] >= 0 && edge_length(u, mate_left_[u]) > r) {
                mate_right_[mate_left_[u]] = -1;
                mate_left_[u] = -1;
            }
        while (true) {
            if (std::find(mate_left_.begin(), mate_left_.end(), -1) == mate_left_.end())
                return true;
            if (!build_layers(r)) return false;
            augment_along_layers(r);
        }
    }

private:
    static std::vector<std::int32_t> all_ids(std::int32_t count) {
        std::vector<std::int32_t> ids(static_cast<std::size_t>(count));
        for (std::int32_t k = 0; k < count; ++k) ids[k] = k;
        return ids;
    }
    static std::vector<value_t> coords(const std::vector<DiagramPoint>& pts,
                                       const std::vector<std::int32_t>& ids, bool birth) {
        std::vector<value_t> out(ids.size());
        for (std::size_t k = 0; k < ids.size(); ++k)
            out[k] = birth ? pts[ids[k]].birth : pts[ids[k]].death;
        return out;
    }
    void link(std::int32_t u, std::int32_t v) {
        mate_left_[u] = v;
        mate_right_[v] = u;
    }

    /// Unvisited right vertices of one BFS layer (or of the whole graph).
    struct Oracle {
        DeletableKdTree b_points;                  ///< B points of the layer, by local id
        std::vector<std::int32_t> b_global;        ///< local id -> B index
        std::vector<std::int32_t> diagonal_stack;  ///< diagonal copies of A (lazily deleted)
    };

    /// Hands out (and forgets) one unvisited neighbour of u inside `oracle`, or -1.
    /// `in_oracle(v)` tells whether right vertex v still belongs to it (not yet handed out).
    template <class InOracle, class Forget>
    std::int32_t pop_neighbour(Oracle& oracle, std::int32_t u, value_t r, InOracle&& in_oracle,
                               Forget&& forget) {
        if (u < n_) {
            const auto local = oracle.b_points.pop_within(a_[u].birth, a_[u].death, r);
            if (local >= 0) {
                const auto v = oracle.b_global[local];
                forget(v);
                return v;
            }
            const std::int32_t own = m_ + u;
            if (a_diagonal_[u] <= r && in_oracle(own)) {
                forget(own);
                return own;
            }
            return -1;
        }
        const std::int32_t j = u - n_;
        if (b_diagonal_[j] <= r && in_oracle(j)) {
            forget(j);
            oracle.b_points.remove(local_id_[j]);
            return j;
        }
        while (!oracle.diagonal_stack.empty()) {
            const auto v = oracle.diagonal_stack.back();
            oracle.diagonal_stack.pop_back();
            if (in_oracle(v)) {
                forget(v);
                return v;
            }
        }
        return -1;
    }

    /// BFS from the free left vertices; false when no augmenting path exists.
    bool build_layers(value_t r) {
        const std::int32_t size = n_ + m_;
        left_layer_.assign(static_cast<std::size_t>(size), -1);
        right_layer_.assign(static_cast<std::size_t>(size), -1);
        layer_members_.clear();
        all_b_.reset();
        Oracle all{std::move(all_b_), all_ids(m_), {}};
        for (std::int32_t k = n_ - 1; k >= 0; --k) all.diagonal_stack.push_back(m_ + k);
        local_id_ = all.b_global;
        std::vector<std::int32_t> queue;
        for (std::int32_t u = 0; u < size; ++u)
            if (mate_left_[u] < 0) {
                left_layer_[u] = 0;
                queue.push_back(u);
            }
        last_layer_ = std::numeric_limits<std::int32_t>::max();
        for (std::size_t head = 0; head < queue.size(); ++head) {
            poll_interrupt(++ticks_);
            const std::int32_t u = queue[head];
            const std::int32_t layer = left_layer_[u];
            if (layer > last_layer_) break;
            if (static_cast<std::int32_t>(layer_members_.size()) <= layer)
                layer_members_.resize(static_cast<std::size_t>(layer) + 1);
            auto in_all = [&](std::int32_t v) { return right_layer_[v] < 0; };
            auto visit = [&](std::int32_t v) { right_layer_[v] = layer; };
            for (std::int32_t v; (v = pop_neighbour(all, u, r, in_all, visit)) >= 0;) {
                layer_members_[layer].push_back(v);
                const std::int32_t w = mate_right_[v];
                if (w < 0) {
                    last_layer_ = layer;
                } else if (last_layer_ == std::numeric_limits<std::int32_t>::max()) {
                    left_layer_[w] = layer + 1;
                    queue.push_back(w);
                }
            }
        }
        all_b_ = std::move(all.b_points);
        return last_layer_ != std::numeric_limits<std::int32_t>::max();
    }

    /// One DFS per free left vertex through the layers, each right vertex tried at most once.
    void augment_along_layers(value_t r) {
        std::vector<Oracle> layers(layer_members_.size());
        local_id_.assign(static_cast<std::size_t>(m_), -1);
        for (std::size_t k = 0; k < layers.size(); ++k) {
            for (auto v : layer_members_[k]) {
                if (v < m_) {
                    local_id_[v] = static_cast<std::int32_t>(layers[k].b_global.size());
                    layers[k].b_global.push_back(v);
                } else {
                    layers[k].diagonal_stack.push_back(v);
                }
            }
            layers[k].b_points = DeletableKdTree(coords(b_, layers[k].b_global, true),
                                                 coords(b_, layers[k].b_global, false), metric_);
        }
        std::vector<char> tried(static_cast<std::size_t>(n_ + m_), 0);
        std::vector<std::int32_t> path, via;
        for (std::int32_t root = 0; root < n_ + m_; ++root) {
            if (mate_left_[root] >= 0 || left_layer_[root] != 0) continue;
            path.assign(1, root);
            via.clear();
            while (!path.empty()) {
                poll_interrupt(++ticks_);
                const std::int32_t u = path.back();
                const std::int32_t layer = left_layer_[u];
                auto in_layer = [&](std::int32_t v) {
                    return right_layer_[v] == layer && !tried[v];
                };
                auto forget = [&](std::int32_t v) { tried[v] = 1; };
                const std::int32_t v = pop_neighbour(layers[layer], u, r, in_layer, forget);
                if (v < 0) {
                    path.pop_back();
                    if (!via.empty()) via.pop_back();
                    continue;
                }
                const std::int32_t w = mate_right_[v];
                if (w < 0) {
                    via.push_back(v);
                    for (std::size_t k = 0; k < path.size(); ++k) link(path[k], via[k]);
                    break;
                }
                if (layer < last_layer_ && left_layer_[w] == layer + 1) {
                    via.push_back(v);
                    path.push_back(w);
                }
            }
        }
    }

    const std::vector<DiagramPoint>& a_;
    const std::vector<DiagramPoint>& b_;
    LpMetric metric_;
    std::int32_t n_, m_;
    std::vector<value_t> a_diagonal_, b_diagonal_;
    std::vector<std::int32_t> mate_left_, mate_right_;
    DeletableKdTree all_b_;
    std::vector<std::int32_t> local_id_;  ///< B index -> local id in the oracle being queried
    std::vector<std::int32_t> left_layer_, right_layer_;
    std::vector<std::vector<std::int32_t>> layer_members_;
    std::int32_t last_layer_ = 0;
    std::uint64_t ticks_ = 0;
};

}  // namespace calydon
