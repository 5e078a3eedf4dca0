// calydon/distance/kd_tree.hpp: 2-D k-d trees over diagram points for the matching algorithms.
//
// KdTreeLayout is the static part (median splits, bounding boxes, small leaf buckets). Two
// dynamic views sit on top of it:
//   * WeightedKdTree: every point carries a weight (an auction price) that only grows; it answers
//     "the two points minimising cost(query, point) + weight" with branch-and-bound on
//     (box distance)^q + (smallest weight in the box).
//   * DeletableKdTree: "find and delete any live point within L_p distance r" (L_inf unless
//     told otherwise), the neighbour oracle of the geometric Hopcroft-Karp algorithm. Boxes are
//     pruned by their L_inf gap, a lower bound of every L_p distance.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <numeric>
#include <vector>

#include "calydon/distance/diagram_points.hpp"

namespace calydon {

class KdTreeLayout {
public:
    struct Node {
        value_t x_lo, x_hi, y_lo, y_hi;  ///< bounding box of the points below
        std::int32_t begin, end;         ///< range in the permuted point order
        std::int32_t left = -1, right = -1, parent = -1;
    };
    static constexpr std::int32_t leaf_size = 8;

    KdTreeLayout() = default;
    /// Builds over points (xs[k], ys[k]); point k keeps its id k in all queries.
    KdTreeLayout(const std::vector<value_t>& xs, const std::vector<value_t>& ys) {
        const auto n = static_cast<std::int32_t>(xs.size());
        order_.resize(static_cast<std::size_t>(n));
        std::iota(order_.begin(), order_.end(), 0);
        x_.assign(xs.begin(), xs.end());
        y_.assign(ys.begin(), ys.end());
        if (n == 0) return;
        nodes_.reserve(static_cast<std::size_t>(2 * (n / leaf_size + 1)));
        build(0, n, -1, 0);
        // Store coordinates in tree order, so that leaf scans read contiguous memory.
        std::vector<value_t> px(x_.size()), py(y_.size());
        position_.resize(order_.size());
        for (std::size_t pos = 0; pos < order_.size(); ++pos) {
            px[pos] = x_[order_[pos]];
            py[pos] = y_[order_[pos]];
            position_[order_[pos]] = static_cast<std::int32_t>(pos);
        }
        x_.swap(px);
        y_.swap(py);
        leaf_of_.resize(order_.size());
        for (std::size_t id = 0; id < nodes_.size(); ++id)
            if (nodes_[id].left < 0)
                for (auto pos = nodes_[id].begin; pos < nodes_[id].end; ++pos)
                    leaf_of_[pos] = static_cast<std::int32_t>(id);
    }

    bool empty() const { return nodes_.empty(); }
    const std::vector<Node>& nodes() const { return nodes_; }
    value_t x_at(std::int32_t pos) const { return x_[pos]; }
    value_t y_at(std::int32_t pos) const { return y_[pos]; }
    std::int32_t id_at(std::int32_t pos) const { return order_[pos]; }
    std::int32_t position_of(std::int32_t id) const { return position_[id]; }
    std::int32_t leaf_of(std::int32_t pos) const { return leaf_of_[pos]; }

    /// Per-coordinate gap between a query and a node's box (zero inside).
    static void box_gap(const Node& node, value_t qx, value_t qy, value_t& dx, value_t& dy) {
        dx = qx < node.x_lo ? node.x_lo - qx : (qx > node.x_hi ? qx - node.x_hi : 0.0);
        dy = qy < node.y_lo ? node.y_lo - qy : (qy > node.y_hi ? qy - node.y_hi : 0.0);
    }

private:
    std::int32_t build(std::int32_t begin, std::int32_t end, std::int32_t parent, int depth) {
        const auto id = static_cast<std::int32_t>(nodes_.size());
        Node node;
        node.begin = begin;
        node.end = end;
        node.parent = parent;
        node.x_lo = node.y_lo = std::numeric_limits<value_t>::infinity();
        node.x_hi = node.y_hi = -std::numeric_limits<value_t>::infinity();
        for (auto k = begin; k < end; ++k) {
            const auto p = order_[k];
            node.x_lo = std::min(node.x_lo, x_[p]);
            node.x_hi = std::max(node.x_hi, x_[p]);
            node.y_lo = std::min(node.y_lo, y_[p]);
            node.y_hi = std::max(node.y_hi, y_[p]);
        }
        nodes_.push_back(node);
        if (end - begin <= leaf_size) return id;
        // Split the wider side, so that boxes stay fat even for diagrams spread along the diagonal.
        const bool split_x = (node.x_hi - node.x_lo) >= (node.y_hi - node.y_lo);
        const auto& coord = split_x ? x_ : y_;
        const auto mid = begin + (end - begin) / 2;
        std::nth_element(order_.begin() + begin, order_.begin() + mid, order_.begin() + end,
                         [&](std::int32_t a, std::int32_t b) { return coord[a] < coord[b]; });
        const auto left = build(begin, mid, id, depth + 1);
        const auto right = build(mid, end, id, depth + 1);
        nodes_[id].left = left;
        nodes_[id].right = right;
        return id;
    }

    std::vector<Node> nodes_;
    std::vector<std::int32_t> order_, position_, leaf_of_;
    std::vector<value_t> x_, y_;
};

/// Points with growing weights; finds the best two of cost(query, point) + weight.
class WeightedKdTree {
public:
    struct BestTwo {
        value_t best = std::numeric_limits<value_t>::infinity();
        value_t second = std::numeric_limits<value_t>::infinity();
        std::int32_t best_id = -1;

        void offer(value_t value, std::int32_t id) {
            if (value < best) {
                second = best;
                best = value;
                best_id = id;
            } else if (value < second) {
                second = value;
            }
        }
    };

    WeightedKdTree(const std::vector<value_t>& xs, const std::vector<value_t>& ys,
                   const LpMetric& metric, const PowerQ& power)
        : layout_(xs, ys), metric_(metric), power_(power), weight_(xs.size(), 0.0),
          min_weight_(layout_.nodes().size(), 0.0) {}

    value_t weight(std::int32_t id) const { return weight_[layout_.position_of(id)]; }

    /// Raises the weight of point id (weights never decrease, which lets the update stop early).
    void set_weight(std::int32_t id, value_t w) {
        const auto pos = layout_.position_of(id);
        weight_[pos] = w;
        const auto& nodes = layout_.nodes();
        auto node = layout_.leaf_of(pos);
        value_t m = std::numeric_limits<value_t>::infinity();
        for (auto k = nodes[node].begin; k < nodes[node].end; ++k) m = std::min(m, weight_[k]);
        while (true) {
            if (min_weight_[node] == m) break;
            min_weight_[node] = m;
            const auto parent = nodes[node].parent;
            if (parent < 0) break;
            m = std::min(min_weight_[nodes[parent].left], min_weight_[nodes[parent].right]);
            node = parent;
        }
    }

    void best_two(value_t qx, value_t qy, BestTwo& out) const {
        if (!layout_.empty()) descend(0, qx, qy, out);
    }

private:
    void descend(std::int32_t node_id, value_t qx, value_t qy, BestTwo& out) const {
        const auto& node = layout_.nodes()[node_id];
        if (node.left < 0) {
            for (auto pos = node.begin; pos < node.end; ++pos) {
                const value_t value =
                    weight_[pos] + power_(metric_.norm(std::fabs(qx - layout_.x_at(pos)),
                                                       std::fabs(qy - layout_.y_at(pos))));
                out.offer(value, layout_.id_at(pos));
            }
            return;
        }
        const value_t bound_left = lower_bound(node.left, qx, qy);
        const value_t bound_right = lower_bound(node.right, qx, qy);
        const bool left_first = bound_left <= bound_right;
        const auto first = left_first ? node.left : node.right;
        const auto second = left_first ? node.right : node.left;
        if ((left_first ? bound_left : bound_right) < out.second) descend(first, qx, qy, out);
        if ((left_first ? bound_right : bound_left) < out.second) descend(second, qx, qy, out);
    }

    value_t lower_bound(std::int32_t node_id, value_t qx, value_t qy) const {
        value_t dx, dy;
        KdTreeLayout::box_gap(layout_.nodes()[node_id], qx, qy, dx, dy);
        return min_weight_[node_id] + power_(metric_.norm(dx, dy));
    }

    KdTreeLayout layout_;
    LpMetric metric_;
    PowerQ power_;
    std::vector<value_t> weight_;      ///< by tree position
    std::vector<value_t> min_weight_;  ///< by node
};

/// Points that disappear once found: the neighbour oracle of the geometric Hopcroft-Karp.
class DeletableKdTree {
public:
    DeletableKdTree() = default;
    DeletableKdTree(const std::vector<value_t>& xs, const std::vector<value_t>& ys,
                    const LpMetric& metric = LpMetric(value_inf))
        : layout_(xs, ys), metric_(metric), alive_count_(layout_.nodes().size()),
          alive_(xs.size(), 1) {
        reset();
    }

    bool contains_alive(std::int32_t id) const { return alive_[layout_.position_of(id)] != 0; }

    /// Makes every point live again (cheaper than rebuilding the layout).
    void reset() {
        std::fill(alive_.begin(), alive_.end(), 1);
        for (std::size_t id = 0; id < layout_.nodes().size(); ++id)
            alive_count_[id] = layout_.nodes()[id].end - layout_.nodes()[id].begin;
    }

    void remove(std::int32_t id) {
        const auto pos = layout_.position_of(id);
        if (!alive_[pos]) return;
        alive_[pos] = 0;
        for (auto node = layout_.leaf_of(pos); node >= 0; node = layout_.nodes()[node].parent)
            --alive_count_[node];
    }

    /// Removes and returns a live point within metric distance r, or -1 when there is none.
    std::int32_t pop_within(value_t qx, value_t qy, value_t r) {
        if (layout_.empty()) return -1;
        const auto id = find(0, qx, qy, r);
        if (id >= 0) remove(id);
        return id;
    }

    /// Calls visit(id) for every point (alive or not) with lo < L_inf distance <= hi.
    template <class Visit>
    void for_each_in_shell(value_t qx, value_t qy, value_t lo, value_t hi, Visit&& visit) const {
        if (!layout_.empty()) shell(0, qx, qy, lo, hi, visit);
    }

private:
    std::int32_t find(std::int32_t node_id, value_t qx, value_t qy, value_t r) const {
        const auto& node = layout_.nodes()[node_id];
        if (alive_count_[node_id] == 0) return -1;
        value_t dx, dy;
        KdTreeLayout::box_gap(node, qx, qy, dx, dy);
        if (dx > r || dy > r) return -1;
        if (node.left < 0) {
            for (auto pos = node.begin; pos < node.end; ++pos)
                if (alive_[pos] && metric_.norm(std::fabs(qx - layout_.x_at(pos)),
                                                std::fabs(qy - layout_.y_at(pos))) <= r)
                    return layout_.id_at(pos);
            return -1;
        }
        const auto found = find(node.left, qx, qy, r);
        return found >= 0 ? found : find(node.right, qx, qy, r);
    }

    template <class Visit>
    void shell(std::int32_t node_id, value_t qx, value_t qy, value_t lo, value_t hi,
               Visit& visit) const {
        const auto& node = layout_.nodes()[node_id];
        value_t dx, dy;
        KdTreeLayout::box_gap(node, qx, qy, dx, dy);
        if (dx > hi || dy > hi) return;
        if (node.left < 0) {
            for (auto pos = node.begin; pos < node.end; ++pos) {
                const value_t d =
                    std::max(std::fabs(qx - layout_.x_at(pos)), std::fabs(qy - layout_.y_at(pos)));
                if (d > lo && d <= hi) visit(layout_.id_at(pos), d);
            }
            return;
        }
        shell(node.left, qx, qy, lo, hi, visit);
        shell(node.right, qx, qy, lo, hi, visit);
    }

    KdTreeLayout layout_;
    LpMetric metric_{value_inf};
    std::vector<std::int32_t> alive_count_;
    std::vector<char> alive_;  ///< by tree position
};

}  // namespace calydon
