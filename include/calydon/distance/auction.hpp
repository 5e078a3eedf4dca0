// calydon/distance/auction.hpp: (1 + delta)-approximate Wasserstein matching by a Gauss-Seidel
// auction with epsilon-scaling (Bertsekas), with the geometric speed-ups of Kerber, Morozov and
// Nigmetov, "Geometry helps to compare persistence diagrams" (JEA 2017):
//   * bids of a real bidder search the real objects with a weighted k-d tree (price = weight);
//   * diagonal objects all cost the same to a diagonal bidder, so a price heap gives its best two;
//   * a real point competes only for its own diagonal copy (and vice versa), which keeps every
//     bidder's candidate set small without changing the optimum.
//
// Stopping rule: after each scaling phase the primal cost P of the assignment and a dual lower
// bound L <= OPT are known (L = max(P - N eps, the dual objective of the current prices)); the
// auction stops when P <= (1 + delta)^q L, which certifies W_q(found) <= (1 + delta) W_q(optimal).
// Prices only resolve differences above their rounding error, so epsilon never drops below
// 2^-42 of the largest diagonal cost; when that is too coarse to certify the target (or a bid fails to
// raise a price) the run ends uncertified and the caller solves the problem exactly instead.
// An uncertified result is never returned as if it met the target.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "calydon/core/interrupt.hpp"
#include "calydon/distance/kd_tree.hpp"
#include "calydon/distance/matching.hpp"
#include "calydon/distance/price_heap.hpp"

namespace calydon {

class WassersteinAuction {
public:
    /// Bidders: [0, n) are the A points, [n, n + m) the diagonal copies of the B points.
    /// Objects: [0, m) are the B points, [m, m + n) the diagonal copies of the A points.
    /// `known_lower` is a lower bound on the optimal cost known to the caller (0 if none).
    WassersteinAuction(const AugmentedCosts& costs, value_t delta, value_t known_lower = 0)
        : costs_(costs), known_lower_(known_lower), n_(costs.n_a()), m_(costs.n_b()),
          real_objects_(coordinates(costs.b(), true), coordinates(costs.b(), false), costs.metric(),
                        costs.power()),
          diagonal_objects_(n_), object_of_bidder_(static_cast<std::size_t>(n_ + m_), -1),
          bidder_of_object_(static_cast<std::size_t>(n_ + m_), -1),
          target_ratio_(std::pow(1.0 + delta, costs.power().q())) {}

    /// Whether the last run() certified its target ratio (see the file comment).
    bool certified() const { return certified_; }

    FiniteMatching run() {
        certified_ = true;
        if (n_ == 0 || m_ == 0) return costs_.all_to_diagonal();
        const value_t scale = costs_.max_diagonal_cost();
        const value_t epsilon_floor = scale * 0x1p-42;
        const auto n_bidders = static_cast<value_t>(n_ + m_);
        epsilon_ = std::max(scale / 4.0, std::numeric_limits<value_t>::min());
        std::vector<std::int32_t> unassigned(static_cast<std::size_t>(n_ + m_));
        for (std::int32_t k = 0; k < n_ + m_; ++k) unassigned[k] = n_ + m_ - 1 - k;
        certified_ = false;
        while (true) {
            if (!run_phase(unassigned)) break;  // a bid could not raise a price: uncertified
            const value_t primal = primal_cost();
            if (primal <= 0.0) {
                certified_ = true;
                break;
            }
            value_t lower = std::max(primal - n_bidders * epsilon_, known_lower_);
            if (lower > 0.0 && primal <= target_ratio_ * lower) {
                certified_ = true;
                break;
            }
            lower = std::max(lower, dual_bound());
            if (lower > 0.0 && primal <= target_ratio_ * lower) {
                certified_ = true;
                break;
            }
            if (epsilon_ <= epsilon_floor) break;
            // The next phase certifies the target as soon as N eps <= (1 - 1/ratio) L, so
            // there is no point refining epsilon further than that.
            const value_t sufficient =
                lower > 0.0 ? (1.0 - 1.0 / target_ratio_) * lower / n_bidders : 0.0;
            epsilon_ = std::max({epsilon_ / 5.0, sufficient, epsilon_floor});
            // Warm start: bidders already within the new epsilon of their best offer keep their
            // object (epsilon-complementary slackness still holds for them); only the others bid.
            unassigned.clear();
            for (std::int32_t bidder = 0; bidder < n_ + m_; ++bidder) {
                const std::int32_t object = object_of_bidder_[bidder];
                if (cost(bidder, object) + price(object) > best_value_[bidder] + epsilon_) {
                    bidder_of_object_[object] = -1;
                    object_of_bidder_[bidder] = -1;
                    unassigned.push_back(bidder);
                }
            }
        }
        // An interrupted bidding leaves bidders unassigned; the caller discards the result.
        if (!certified_) return costs_.all_to_diagonal();
        std::vector<std::int32_t> column_of_row(static_cast<std::size_t>(n_ + m_));
        for (std::int32_t bidder = 0; bidder < n_ + m_; ++bidder)
            column_of_row[bidder] = object_of_bidder_[bidder];
        return costs_.from_assignment(column_of_row);
    }

private:
    struct Offer {
        value_t best = std::numeric_limits<value_t>::infinity();
        value_t second = std::numeric_limits<value_t>::infinity();
        std::int32_t object = -1;
    };

    static std::vector<value_t> coordinates(const std::vector<DiagramPoint>& pts, bool birth) {
        std::vector<value_t> out(pts.size());
        for (std::size_t k = 0; k < pts.size(); ++k) out[k] = birth ? pts[k].birth : pts[k].death;
        return out;
    }

    value_t price(std::int32_t object) const {
        return object < m_ ? real_objects_.weight(object) : diagonal_objects_.price(object - m_);
    }

    void set_price(std::int32_t object, value_t p) {
        if (object < m_) real_objects_.set_weight(object, p);
        else diagonal_objects_.raise(object - m_, p);
    }

    /// Cost of the edges a bidder may use (others are never offered, see the file comment).
    value_t cost(std::int32_t bidder, std::int32_t object) const {
        if (bidder < n_)
            return object < m_ ? costs_.pair_cost(bidder, object) : costs_.a_diagonal_cost(bidder);
        return object < m_ ? costs_.b_diagonal_cost(bidder - n_) : 0.0;
    }

    Offer best_offers(std::int32_t bidder) const {
        WeightedKdTree::BestTwo two;
        if (bidder < n_) {
            const auto& p = costs_.a()[bidder];
            real_objects_.best_two(p.birth, p.death, two);
            two.offer(costs_.a_diagonal_cost(bidder) + diagonal_objects_.price(bidder),
                      m_ + bidder);
        } else {
            const std::int32_t j = bidder - n_;
            two.offer(costs_.b_diagonal_cost(j) + real_objects_.weight(j), j);
            const std::int32_t cheapest = diagonal_objects_.cheapest();
            two.offer(diagonal_objects_.price(cheapest), m_ + cheapest);
            two.offer(diagonal_objects_.second_cheapest_price(), -1);
        }
        return {two.best, two.second, two.best_id};
    }

    /// False when a bid failed to raise a price (epsilon below the prices' rounding error, or a
    /// non-finite value): the bidding would then never end.
    bool run_phase(std::vector<std::int32_t>& unassigned) {
        // A stack: the bidder just outbid bids next, while prices around it are fresh.
        while (!unassigned.empty()) {
            poll_interrupt(++ticks_);
            const std::int32_t bidder = unassigned.back();
            unassigned.pop_back();
            const Offer offer = best_offers(bidder);
            // Both sides are non-empty, so every bidder has at least two candidates.
            const value_t old_price = price(offer.object);
            const value_t new_price = old_price + (offer.second - offer.best) + epsilon_;
            if (!(new_price > old_price) || std::isinf(new_price)) {
                unassigned.push_back(bidder);
                return false;
            }
            set_price(offer.object, new_price);
            const std::int32_t previous = bidder_of_object_[offer.object];
            if (previous >= 0) {
                object_of_bidder_[previous] = -1;
                unassigned.push_back(previous);
            }
            bidder_of_object_[offer.object] = bidder;
            object_of_bidder_[bidder] = offer.object;
        }
        return true;
    }

    value_t primal_cost() const {
        value_t total = 0;
        for (std::int32_t bidder = 0; bidder < n_ + m_; ++bidder)
            total += cost(bidder, object_of_bidder_[bidder]);
        return total;
    }

    /// Dual objective sum_bidders min_objects (cost + price) - sum_objects price: a lower bound
    /// on the optimum for any prices (weak duality).
    value_t dual_bound() {
        value_t total = 0;
        best_value_.resize(static_cast<std::size_t>(n_ + m_));
        for (std::int32_t bidder = 0; bidder < n_ + m_; ++bidder) {
            poll_interrupt(++ticks_);
            best_value_[bidder] = best_offers(bidder).best;
            total += best_value_[bidder];
        }
        for (std::int32_t object = 0; object < n_ + m_; ++object) total -= price(object);
        return total;
    }

    const AugmentedCosts& costs_;
    value_t known_lower_;
    bool certified_ = false;
    std::int32_t n_, m_;
    WeightedKdTree real_objects_;
    PriceHeap diagonal_objects_;
    std::vector<std::int32_t> object_of_bidder_, bidder_of_object_;
    std::vector<value_t> best_value_;  ///< per bidder, min over candidates of cost + price
    value_t target_ratio_;
    value_t epsilon_ = 0;
    std::uint64_t ticks_ = 0;
};

}  // namespace calydon
