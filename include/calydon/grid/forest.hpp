// calydon/grid/forest.hpp: the union-find of the streaming grid passes, and its prefetching.
//
// The H0 and dual passes visit the entries in rank order, that is all over the grid, so each
// entry's union-find nodes are a cache miss once the grid outgrows the cache, and so is each
// root they lead to. A node keeps its parent and the word the pass compares roots by (a vertex's
// age, a top cell's rank) side by side, so one miss serves both. The order of the entries is
// known in advance, so the passes fetch the nodes of an entry's row of the grid and of the rows
// its cells reach a few steps before they get there (reading parents ahead to fetch roots as
// well measured slower).
#pragma once

#include <cstdint>
#include <vector>

#include "calydon/core/types.hpp"
#include "calydon/grid/big_vector.hpp"
#include "calydon/grid/lattice.hpp"

namespace calydon {

/// How many entries ahead the streaming passes prefetch.
inline constexpr std::size_t prefetch_distance = 16;

namespace detail {

struct ParentNode {
    std::uint32_t parent;
};
struct ParentPayloadNode {
    std::uint32_t parent, payload;
};

/// Union-find whose root is always its component's representative, optionally with one payload
/// word per node (`unknown` until the pass sets it). Path halving keeps finds short.
template <class Node>
class BasicForest {
public:
    static constexpr std::uint32_t unknown = 0xFFFFFFFFu;

    // Every node is written here: the array is not zero-filled first (big_buffer).
    explicit BasicForest(index_t n) : nodes_(static_cast<std::size_t>(n)) {
        for (index_t i = 0; i < n; ++i) {
            nodes_[i].parent = static_cast<std::uint32_t>(i);
            if constexpr (requires { nodes_[i].payload; }) nodes_[i].payload = unknown;
        }
    }
    index_t size() const { return static_cast<index_t>(nodes_.size()); }
    index_t find(index_t x) {
        while (nodes_[x].parent != x) {
            nodes_[x].parent = nodes_[nodes_[x].parent].parent;
            x = nodes_[x].parent;
        }
        return x;
    }
    void link(index_t child_root, index_t parent_root) {
        nodes_[child_root].parent = static_cast<std::uint32_t>(parent_root);
    }
    bool is_root(index_t x) const { return nodes_[x].parent == x; }
    std::uint32_t& payload(index_t x) { return nodes_[x].payload; }
    void set_payload(index_t x, std::uint32_t value) { nodes_[x].payload = value; }
    /// Makes x a root again, with this payload (a pass that reuses some nodes afresh).
    void make_root(index_t x, std::uint32_t value) {
        nodes_[x].parent = static_cast<std::uint32_t>(x);
        nodes_[x].payload = value;
    }
    void prefetch(index_t x) const { __builtin_prefetch(&nodes_[x]); }

private:
    big_buffer<Node> nodes_;
};

using ParentForest = BasicForest<ParentNode>;
using GridForest = BasicForest<ParentPayloadNode>;

/// The same union-find with the payload of a root (the rank the passes compare roots by) kept
/// in its parent word, tagged by the top bit: one word per node instead of two. Only roots are
/// compared, and a node stops being a root for good, so its payload is never read again; the
/// pass reads the payload of the dying root before it links it. Needs node count and payloads
/// below 2^31 (`fits`).
class RootPayloadForest {
public:
    static constexpr std::uint32_t unknown = BasicForest<ParentPayloadNode>::unknown;
    static bool fits(index_t n_nodes, std::size_t n_payloads) {
        return n_nodes < index_t{root_bit} && n_payloads < std::size_t{payload_mask};
    }

    explicit RootPayloadForest(index_t n) : nodes_(static_cast<std::size_t>(n)) {
        for (index_t i = 0; i < n; ++i) nodes_[i] = root_bit | payload_mask;
    }
    index_t find(index_t x) {
        for (;;) {  // path halving
            const std::uint32_t p = nodes_[x];
            if ((p & root_bit) != 0) return x;
            const std::uint32_t g = nodes_[p];
            if ((g & root_bit) != 0) return p;
            nodes_[x] = g;
            x = g;
        }
    }
    void link(index_t child_root, index_t parent_root) {
        nodes_[child_root] = static_cast<std::uint32_t>(parent_root);
    }
    bool is_root(index_t x) const { return (nodes_[x] & root_bit) != 0; }
    /// The payload of a root (`unknown` until set).
    std::uint32_t payload(index_t root) const {
        const std::uint32_t v = nodes_[root] & payload_mask;
        return v == payload_mask ? unknown : v;
    }
    void set_payload(index_t root, std::uint32_t value) {
        nodes_[root] = root_bit | (value == unknown ? payload_mask : value);
    }
    void make_root(index_t x, std::uint32_t value) { set_payload(x, value); }
    void prefetch(index_t x) const { __builtin_prefetch(&nodes_[x]); }

private:
    static constexpr std::uint32_t root_bit = 0x80000000u, payload_mask = 0x7FFFFFFFu;
    big_buffer<std::uint32_t> nodes_;
};

/// Offsets of the grid rows (lines along the last axis) one step away from a vertex, other than
/// its own: up and/or down along the other axes, one axis at a time or any set of them.
struct GridRows {
    index_t offset[14];  // at most 2 * (2^3 - 1), in 4-D
    int size = 0;
};
inline GridRows grid_rows(const GridLattice& lat, bool up, bool down, bool one_axis) {
    GridRows rows;
    const int d = lat.ndim();
    for (offset_mask m = 1; m < (1u << (d - 1)); ++m) {
        if (one_axis && (m & (m - 1)) != 0) continue;
        const index_t off = lat.offset_of(m);  // m has no bit of the last axis
        if (up) rows.offset[rows.size++] = off;
        if (down) rows.offset[rows.size++] = -off;
    }
    return rows;
}

}  // namespace detail

}  // namespace calydon
