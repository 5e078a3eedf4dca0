// calydon/grid/record_stars.hpp: the stars of a 3-D box (values on vertices or on cubes), as short
// lists tested against each entry's 32-bit record.
//
// LowerStars keeps one 32-bit record per entry in 3-D (its 26 mask bits and its room). The star
// tables hold 128-bit needs in 112-byte incidences with vectors inside; walking those for every
// entry was most of the dual pass's own time. Here every list the union-find passes walk is
// flattened once, with needs in the record's layout: one AND per cell, one load per entry.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <vector>

#include "calydon/grid/lower_star.hpp"
#include "calydon/grid/star_edges.hpp"

namespace calydon {

class RecordStars {
public:
    /// A cell of the star when the record has its needs: code e * n_patterns + code_delta.
    struct Top {
        std::uint32_t needs;
        index_t code_delta;
    };
    /// A top cell a (d-1)-cell bounds, when e has the room it needs.
    struct Cofacet {
        index_t code_delta;
        offset_mask need_up, need_down;
    };
    struct Cell {
        std::uint32_t needs;
        index_t code_delta;
        int n_cofacets = 0;
        Cofacet cofacet[2];
    };
    /// An edge, its vertices (e + end[0], e + end[1]), and the needs of the 2-cells of the star
    /// that make it close a cycle (values on vertices, see star_edges.hpp).
    struct Edge {
        std::uint32_t needs;
        index_t code_delta, end[2];
        int n_closing = 0;
        std::uint32_t closing[8];
    };

    /// A 3-D box, values on vertices or on cubes (its stars keep 32-bit records).
    static bool applies(const GridLattice& lat, const LowerStars* stars) {
        return stars != nullptr && !lat.wrap() && stars->records32();
    }

    RecordStars(const GridLattice& lat, const LowerStars& stars, bool values_on_cells)
        : records_(stars.records32()) {
        if (values_on_cells) list_faces_of_cubes(lat, stars);
        else list_cells_through_vertices(lat, stars);
    }

    std::uint32_t record(index_t e) const { return records_[e]; }
    const std::vector<Top>& tops() const { return tops_; }
    const std::vector<Cell>& cells() const { return cells_; }  // latest first
    const std::vector<Edge>& edges() const { return edges_; }  // in code order
    /// Values on cubes: the vertices that come with the cube e (e + code_delta).
    const std::vector<Top>& vertices() const { return vertices_; }
    static bool in_star(std::uint32_t needs, std::uint32_t record) {
        return (needs & ~record) == 0;
    }
    static bool closes_cycle(const Edge& edge, std::uint32_t record) {
        for (int j = 0; j < edge.n_closing; ++j)
            if (in_star(edge.closing[j], record)) return true;
        return false;
    }

private:
    void list_cells_through_vertices(const GridLattice& lat, const LowerStars& stars) {
        const int d = lat.ndim();
        for (const auto& inc : stars.table(d).incidences)
            tops_.push_back({stars.needs_in_record(inc.needs), delta(lat, d, inc)});
        const auto& cells = stars.table(d - 1).incidences;
        for (auto it = cells.rbegin(); it != cells.rend(); ++it) {  // latest first
            Cell cell{};
            cell.needs = stars.needs_in_record(it->needs);
            cell.code_delta = delta(lat, d - 1, *it);
            if (it->all_cofacets.size() > 2)
                throw std::logic_error("internal error: a (d-1)-cell with 3 cofacets");
            for (const auto& c : it->all_cofacets)
                cell.cofacet[cell.n_cofacets++] = {-c.anchor_offset * lat.n_patterns(d) + c.pattern,
                                                   c.need_up, c.need_down};
            cells_.push_back(cell);
        }
        const StarEdges edges(lat, stars);
        for (const StarEdges::Edge& edge : edges.edges()) {
            Edge out{};
            out.needs = stars.needs_in_record(edge.needs);
            out.code_delta = edge.code_delta;
            out.end[1] = edge.other;
            if (edge.closing.size() > std::size(out.closing))
                throw std::logic_error("internal error: an edge on too many 2-cells");
            for (neighbour_bits needs : edge.closing)
                out.closing[out.n_closing++] = stars.needs_in_record(needs);
            edges_.push_back(out);
        }
    }

    /// Values on cubes: a (d-1)-face of the cube e bounds e and the cube across it (below e,
    /// when e has room there; above, unless that cube is missing, which the pass checks).
    void list_faces_of_cubes(const GridLattice& lat, const LowerStars& stars) {
        const int d = lat.ndim();
        const CellPatterns& t = lat.patterns();
        for (const auto& inc : stars.table(0).incidences)
            vertices_.push_back({stars.needs_in_record(inc.needs), -inc.anchor_offset});
        const auto& cells = stars.table(d - 1).incidences;
        for (auto it = cells.rbegin(); it != cells.rend(); ++it) {  // latest first
            Cell cell{};
            cell.needs = stars.needs_in_record(it->needs);
            cell.code_delta = delta(lat, d - 1, *it);
            const offset_mask free =
                t.full() & ~t.reach[d - 1][static_cast<std::size_t>(it->pattern)];
            const bool low = (it->plus & free) == 0;
            const index_t across = low ? -lat.offset_of(free) : lat.offset_of(free);
            cell.cofacet[0] = {0, 0, 0};
            cell.cofacet[1] = {across * lat.n_patterns(d), 0, low ? free : offset_mask{0}};
            cell.n_cofacets = 2;
            cells_.push_back(cell);
        }
        for (const auto& inc : stars.table(1).incidences) {
            Edge out{};
            out.needs = stars.needs_in_record(inc.needs);
            out.code_delta = delta(lat, 1, inc);
            const auto& ends = t.vertices[1][static_cast<std::size_t>(inc.pattern)];
            for (int j = 0; j < 2; ++j) out.end[j] = -inc.anchor_offset + lat.offset_of(ends[j]);
            edges_.push_back(out);
        }
    }

    static index_t delta(const GridLattice& lat, int k, const StarTables::Incidence& inc) {
        return -inc.anchor_offset * lat.n_patterns(k) + inc.pattern;
    }

    const std::uint32_t* records_;
    std::vector<Top> tops_;
    std::vector<Cell> cells_;
    std::vector<Edge> edges_;
    std::vector<Top> vertices_;
};

}  // namespace calydon
