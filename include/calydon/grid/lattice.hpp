// calydon/grid/lattice.hpp: an implicit grid complex (cubical or Freudenthal, box or torus).
//
// Cells are (anchor vertex, pattern) pairs, coded as anchor * n_patterns(k) + pattern; the code
// order is the order the explicit builders emit cells in. Faces and cofaces come from the pattern
// tables and grid arithmetic, so the complex costs one byte per vertex (the axes along which a
// vertex has a neighbour above and below).
#pragma once

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <span>
#include <stdexcept>
#include <utility>
#include <vector>

#include "calydon/core/errors.hpp"
#include "calydon/core/types.hpp"
#include "calydon/grid/patterns.hpp"

namespace calydon {

class GridLattice {
public:
    static constexpr int max_ndim = 4;

    GridLattice(std::span<const index_t> vertex_shape, GridComplexKind kind, bool wrap)
        : shape_(vertex_shape.begin(), vertex_shape.end()), wrap_(wrap) {
        if (shape_.empty() || static_cast<int>(shape_.size()) > max_ndim)
            throw_invalid("data must have 1 to 4 dimensions, got ", shape_.size());
        const int d = ndim();
        strides_.assign(d, 1);
        for (int i = d - 2; i >= 0; --i) strides_[i] = strides_[i + 1] * shape_[i + 1];
        n_vertices_ = 1;
        for (index_t s : shape_) {
            if (s <= 0) throw_invalid("data must not be empty, got an axis of length ", s);
            n_vertices_ *= s;
        }
        patterns_ = make_cell_patterns(d, kind);
        room_.resize(static_cast<std::size_t>(n_vertices_));
        // room bits 0-3: a neighbour above along axis i; bits 4-7: a neighbour below.
        std::vector<index_t> coord(d, 0);
        for (index_t v = 0; v < n_vertices_; ++v) {
            std::uint8_t r = 0;
            for (int i = 0; i < d; ++i) {
                if (coord[i] + 1 < shape_[i]) r |= static_cast<std::uint8_t>(1u << i);
                if (coord[i] > 0) r |= static_cast<std::uint8_t>(1u << (i + 4));
            }
            room_[v] = r;
            for (int i = d - 1; i >= 0 && ++coord[i] == shape_[i]; --i) coord[i] = 0;
        }
        for (offset_mask m = 0; m < (1u << d); ++m) {
            index_t off = 0;
            for (int i = 0; i < d; ++i)
                if (m & (1u << i)) off += strides_[i];
            offset_[m] = off;
        }
        flatten_tables();
    }

    int ndim() const { return static_cast<int>(shape_.size()); }
    bool wrap() const { return wrap_; }
    index_t n_vertices() const { return n_vertices_; }
    const std::vector<index_t>& shape() const { return shape_; }
    index_t stride(int axis) const { return strides_[axis]; }
    /// The flat offset of a 0/1 offset mask in a box: the strides of its axes, summed.
    index_t offset_of(offset_mask m) const {
        index_t off = 0;
        for (int i = 0; i < ndim(); ++i)
            if (m >> i & 1u) off += strides_[i];
        return off;
    }
    const CellPatterns& patterns() const { return patterns_; }
    int n_patterns(int k) const { return patterns_.n_patterns(k); }
    offset_mask room_up(index_t v) const { return room_[v] & 0xFu; }
    offset_mask room_down(index_t v) const { return room_[v] >> 4; }
    void prefetch_room(index_t v) const { __builtin_prefetch(&room_[v]); }

    /// v + mask (one step up along each axis of mask), wrapping on a torus; in a box the caller
    /// has checked that the step stays inside.
    index_t up(index_t v, offset_mask m) const {
        if (!wrap_ || (m & ~room_up(v)) == 0) return v + offset_[m];
        index_t w = v;
        for (int i = 0; i < ndim(); ++i)
            if (m & (1u << i))
                w += (room_up(v) & (1u << i)) ? strides_[i] : -(shape_[i] - 1) * strides_[i];
        return w;
    }
    index_t down(index_t v, offset_mask m) const {
        if (!wrap_ || (m & ~room_down(v)) == 0) return v - offset_[m];
        index_t w = v;
        for (int i = 0; i < ndim(); ++i)
            if (m & (1u << i))
                w -= (room_down(v) & (1u << i)) ? strides_[i] : -(shape_[i] - 1) * strides_[i];
        return w;
    }
    bool can_go_up(index_t v, offset_mask m) const { return wrap_ || (m & ~room_up(v)) == 0; }
    bool can_go_down(index_t v, offset_mask m) const { return wrap_ || (m & ~room_down(v)) == 0; }

    /// Whether the k-cell with this anchor and pattern lies in the complex.
    bool has_cell(index_t anchor, int k, int p) const {
        return can_go_up(anchor, patterns_.reach[k][p]);
    }
    index_t code(index_t anchor, int k, int p) const { return anchor * n_patterns(k) + p; }
    index_t anchor_of(index_t code, int k) const { return code / n_patterns(k); }
    int pattern_of(index_t code, int k) const { return static_cast<int>(code % n_patterns(k)); }
    index_t n_codes(int k) const { return n_vertices_ * n_patterns(k); }

    /// Calls f(vertex) for each vertex of a cell.
    template <class F>
    void for_each_vertex(index_t code, int k, F&& f) const {
        const index_t a = anchor_of(code, k);
        const int p = pattern_of(code, k), nv = vertices_per_cell_[k];
        const Link* l = &vertex_links_[k][static_cast<std::size_t>(p) * nv];
        if (!wrap_)
            for (int j = 0; j < nv; ++j) f(a + l[j].offset);
        else
            for (int j = 0; j < nv; ++j) f(up(a, l[j].shift));
    }
    /// Calls f(facet code) for each facet of a k-cell (k >= 1).
    template <class F>
    void for_each_facet(index_t code, int k, F&& f) const {
        const index_t a = anchor_of(code, k);
        const int p = pattern_of(code, k), nf = facets_per_cell_[k];
        const Link* l = &facet_links_[k][static_cast<std::size_t>(p) * nf];
        const index_t np = n_patterns(k - 1);
        for (int j = 0; j < nf; ++j)
            f((wrap_ ? up(a, l[j].shift) : a + l[j].offset) * np + l[j].pattern);
    }
    /// Calls f(cofacet code) for each cofacet of a k-cell that lies in the complex.
    template <class F>
    void for_each_cofacet(index_t code, int k, F&& f) const {
        const index_t a = anchor_of(code, k);
        const auto& links = cofacet_links_[k][pattern_of(code, k)];
        const index_t np = n_patterns(k + 1);
        if (wrap_) {
            for (const Link& l : links) f(down(a, l.shift) * np + l.pattern);
            return;
        }
        const offset_mask below = room_down(a);
        for (const Link& l : links) {
            if ((l.shift & ~below) != 0) continue;
            const index_t b = a - l.offset;
            if ((l.reach & ~room_up(b)) == 0) f(b * np + l.pattern);
        }
    }
    /// In a box: calls f(cofacet code, added, n_added) for each cofacet of a k-cell that lies
    /// in the complex, with the grid offsets (from the cell's anchor) of the cofacet's vertices
    /// that are not the cell's: its latest vertex is the cell's or one of those.
    template <class F>
    void for_each_cofacet_with_new_vertices(index_t code, int k, F&& f) const {
        const index_t a = anchor_of(code, k);
        const int p = pattern_of(code, k);
        const auto& links = cofacet_links_[k][p];
        const auto& added = cofacet_new_vertices_[k][p];
        const index_t np = n_patterns(k + 1);
        const offset_mask below = room_down(a);
        for (std::size_t j = 0; j < links.size(); ++j) {
            const Link& l = links[j];
            if ((l.shift & ~below) != 0) continue;
            const index_t b = a - l.offset;
            if ((l.reach & ~room_up(b)) == 0) f(b * np + l.pattern, added[j].offset, added[j].n);
        }
    }
    /// Calls f(code) for each k-cell containing vertex v.
    template <class F>
    void for_each_cell_through(index_t v, int k, F&& f) const {
        for (const PatternIncidence& inc : patterns_.incidence[k]) {
            if (!can_go_down(v, inc.vertex_mask)) continue;
            const index_t a = down(v, inc.vertex_mask);
            if (has_cell(a, k, inc.pattern)) f(code_of(a, k, inc.pattern));
        }
    }

private:
    /// A table entry with its grid offset (in a box) precomputed.
    struct Link {
        offset_mask shift;
        index_t offset;
        int pattern;
        offset_mask reach;  // of the linked pattern
    };

    /// The vertices a cofacet adds to a cell, as grid offsets from the cell's anchor.
    struct NewVertices {
        int n = 0;
        index_t offset[8];  // at most 2^(d-1) (a 3-cube becoming a 4-cube)
    };

    index_t code_of(index_t anchor, int k, int p) const { return anchor * n_patterns(k) + p; }

    /// For each cofacet link of a k-cell pattern p: the vertices of the cofacet (anchored
    /// `shift` below) that the cell lacks, compared as steps in {-1, 0, 1} per axis.
    NewVertices new_vertices(int k, int p, const PatternLink& l) const {
        const CellPatterns& t = patterns_;
        auto steps = [&](offset_mask up, offset_mask down) { return std::pair{up, down}; };
        std::vector<std::pair<offset_mask, offset_mask>> mine;
        for (offset_mask m : t.vertices[k][p]) mine.push_back(steps(m, 0));
        NewVertices out;
        for (offset_mask m : t.vertices[k + 1][l.pattern]) {
            const auto v = steps(m & ~l.shift, l.shift & ~m);  // b + m = a - shift + m
            if (std::find(mine.begin(), mine.end(), v) != mine.end()) continue;
            if (out.n == static_cast<int>(std::size(out.offset)))
                throw std::logic_error("internal error: a cofacet adds more than 8 vertices");
            out.offset[out.n++] = offset_[v.first] - offset_[v.second];
        }
        return out;
    }

    void flatten_tables() {
        const int d = ndim();
        const CellPatterns& t = patterns_;
        vertex_links_.resize(d + 1);
        facet_links_.resize(d + 1);
        cofacet_links_.resize(d + 1);
        cofacet_new_vertices_.resize(d + 1);
        vertices_per_cell_.assign(d + 1, 0);
        facets_per_cell_.assign(d + 1, 0);
        for (int k = 0; k <= d; ++k) {
            vertices_per_cell_[k] = static_cast<int>(t.vertices[k][0].size());
            for (int p = 0; p < t.n_patterns(k); ++p)
                for (offset_mask m : t.vertices[k][p])
                    vertex_links_[k].push_back({m, offset_[m], p, 0});
            if (k > 0) {
                facets_per_cell_[k] = static_cast<int>(t.facets[k][0].size());
                for (int p = 0; p < t.n_patterns(k); ++p)
                    for (const PatternLink& l : t.facets[k][p])
                        facet_links_[k].push_back(
                            {l.shift, offset_[l.shift], l.pattern, t.reach[k - 1][l.pattern]});
            }
            cofacet_links_[k].resize(t.n_patterns(k));
            cofacet_new_vertices_[k].resize(t.n_patterns(k));
            if (k < d)
                for (int p = 0; p < t.n_patterns(k); ++p)
                    for (const PatternLink& l : t.cofacets[k][p]) {
                        cofacet_links_[k][p].push_back(
                            {l.shift, offset_[l.shift], l.pattern, t.reach[k + 1][l.pattern]});
                        cofacet_new_vertices_[k][p].push_back(new_vertices(k, p, l));
                    }
        }
    }

    std::vector<index_t> shape_, strides_;
    bool wrap_;
    index_t n_vertices_ = 0;
    CellPatterns patterns_;
    std::vector<std::uint8_t> room_;
    index_t offset_[16] = {};
    std::vector<std::vector<Link>> vertex_links_, facet_links_;  // [k], P_k * per-cell entries
    std::vector<std::vector<std::vector<Link>>> cofacet_links_;  // [k][p]
    std::vector<std::vector<std::vector<NewVertices>>> cofacet_new_vertices_;  // [k][p], as links
    std::vector<int> vertices_per_cell_, facets_per_cell_;
};

}  // namespace calydon
