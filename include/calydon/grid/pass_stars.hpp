// calydon/grid/pass_stars.hpp: the stars the union-find passes walk, entry by entry.
//
// H0 needs the edges of each star and the vertices that come with it; the dual pass needs the
// (d-1)-cells of each star, latest first, with the top cells each one bounds, and the top cells
// of the star. Where they come from depends on the complex: in a 1-D or 2-D box every star is
// listed once per mask byte (plane_stars.hpp), in a 3-D box flat lists are tested against each
// entry's 32-bit record (record_stars.hpp), in a 4-D box with values on vertices the star tables
// give them from the entry's mask (star_edges.hpp for H0), and otherwise the lattice walks them.
// The walkers inline into the passes; the passes keep the union-find and the prefetches.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "calydon/grid/cell_order.hpp"
#include "calydon/grid/plane_stars.hpp"
#include "calydon/grid/record_stars.hpp"
#include "calydon/grid/star_edges.hpp"

namespace calydon::detail {

/// The edges of the star of each entry, for H0, in code order: from the entry's mask byte in
/// 1-D and 2-D boxes (plane_stars.hpp), from the entry's record in 3-D boxes (record_stars.hpp),
/// from the star tables in 4-D boxes with values on vertices (star_edges.hpp), from the lattice
/// otherwise. Edges the star knows to close a cycle
/// are left out (they need no find) unless essential 1-classes are reported.
class H0Stars {
public:
    H0Stars(const GridOrder& order, bool report_essential_edges)
        : order_(&order), lat_(&order.lattice()), skip_cycles_(!report_essential_edges),
          n_edge_patterns_(order.lattice().n_patterns(1)) {
        const LowerStars* stars = order.lower_stars();
        if (PlaneStars::applies(*lat_, stars)) {
            plane_.emplace(*lat_, *stars, order.values_on_cells());
            masks_ = stars->masks8();
        } else if (RecordStars::applies(*lat_, stars)) {
            records_.emplace(*lat_, *stars, order.values_on_cells());
        } else if (stars && !lat_->wrap() && !order.values_on_cells() && lat_->ndim() >= 3) {
            space_.emplace(*lat_, *stars);
        }
    }

    /// Calls set_rank(v, rank) for the vertices that come with entry e (values on cells), then
    /// add_edge(code, v0, v1, e, rank) for the edges of its star.
    template <class SetRank, class AddEdge>
    [[gnu::always_inline]] void walk(index_t e, std::uint32_t rank, SetRank& set_rank,
                                     AddEdge& add_edge) {
        if (plane_) return walk_plane(e, rank, set_rank, add_edge);
        if (records_) return walk_records(e, rank, set_rank, add_edge);
        if (space_) return walk_space(e, rank, add_edge);
        walk_lattice(e, rank, set_rank, add_edge);
    }

private:
    template <class SetRank, class AddEdge>
    [[gnu::always_inline]] void walk_plane(index_t e, std::uint32_t rank, SetRank& set_rank,
                                           AddEdge& add_edge) const {
        const PlaneStars::Star& s = plane_->star(masks_[e]);
        for (int j = 0; j < s.n_vertices; ++j) set_rank(e + s.vertex[j], rank);
        const index_t base = e * n_edge_patterns_;
        const unsigned cycles = skip_cycles_ ? s.dual_merges : 0u;
        for (int j = 0; j < s.n_edges; ++j) {
            if ((cycles >> j & 1u) != 0) continue;
            const PlaneStars::Edge& edge = s.edge[j];
            add_edge(base + edge.code_delta, e + edge.end[0], e + edge.end[1], e, rank);
        }
    }

    template <class SetRank, class AddEdge>
    [[gnu::always_inline]] void walk_records(index_t e, std::uint32_t rank, SetRank& set_rank,
                                             AddEdge& add_edge) const {
        const std::uint32_t record = records_->record(e);
        for (const RecordStars::Top& v : records_->vertices())  // values on cubes
            if (RecordStars::in_star(v.needs, record)) set_rank(e + v.code_delta, rank);
        const index_t base = e * n_edge_patterns_;
        for (const RecordStars::Edge& edge : records_->edges()) {
            if (!RecordStars::in_star(edge.needs, record)) continue;
            if (skip_cycles_ && RecordStars::closes_cycle(edge, record)) continue;
            add_edge(base + edge.code_delta, e + edge.end[0], e + edge.end[1], e, rank);
        }
    }

    template <class AddEdge>
    [[gnu::always_inline]] void walk_space(index_t e, std::uint32_t rank, AddEdge& add_edge) const {
        const index_t base = e * n_edge_patterns_;
        space_->for_each_edge(order_->lower_stars()->lower(e, 1, order_->ranks()), skip_cycles_,
                              [&](const StarEdges::Edge& edge) {
                                  add_edge(base + edge.code_delta, e, e + edge.other, e, rank);
                              });
    }

    template <class SetRank, class AddEdge>
    void walk_lattice(index_t e, std::uint32_t rank, SetRank& set_rank, AddEdge& add_edge) {
        if (order_->values_on_cells()) {
            star_.clear();
            order_->star(e, 0, star_);
            for (index_t v : star_) set_rank(v, rank);
        }
        star_.clear();
        order_->star(e, 1, star_);
        for (index_t edge : star_) {
            index_t ends[2];
            int n = 0;
            lat_->for_each_vertex(edge, 1, [&](index_t v) { ends[n++] = v; });
            add_edge(edge, ends[0], ends[1], e, rank);
        }
    }

    const GridOrder* order_;
    const GridLattice* lat_;
    bool skip_cycles_;
    index_t n_edge_patterns_;
    std::optional<PlaneStars> plane_;
    const std::uint8_t* masks_ = nullptr;
    std::optional<RecordStars> records_;
    std::optional<StarEdges> space_;
    std::vector<index_t> star_;
};

/// The (d-1)-cells of the star of each entry, for the dual pass, latest first, with the top cells
/// each one bounds: from the entry's mask byte in a 2-D box (plane_stars.hpp), from the entry's
/// record in a 3-D box (record_stars.hpp), from the star tables in a 4-D box with values on
/// vertices, from the lattice otherwise. In a box with values on vertices it also names the top
/// cells of the star (those whose critical entry it is).
class DualStars {
public:
    explicit DualStars(const GridOrder& order)
        : order_(&order), lat_(&order.lattice()), d_(order.lattice().ndim()),
          n_patterns_(order.lattice().n_patterns(order.lattice().ndim())),
          n_cell_patterns_(order.lattice().n_patterns(order.lattice().ndim() - 1)),
          on_cells_(order.values_on_cells()) {
        const LowerStars* stars = order.lower_stars();
        if (d_ == 2 && PlaneStars::applies(*lat_, stars)) {
            plane_.emplace(*lat_, *stars, on_cells_);
            masks_ = stars->masks8();
        } else if (d_ == 3 && RecordStars::applies(*lat_, stars)) {
            tables_ = stars;
            records_.emplace(*lat_, *stars, on_cells_);
        } else if (!on_cells_ && !lat_->wrap()) {
            tables_ = stars;
        }
    }

    /// For entry e of rank r: top(t, r) for the top cells of its star (when known here), then
    /// cell(c, tops, n, e, r) for each (d-1)-cell c of its star, latest first, with the n <= 2
    /// top cells it bounds, but for the cells `skipped(c)` when `skip`. `missing(t)`: a top
    /// cell t above e that does not exist (values on cells: in a box a missing square has no
    /// rank).
    template <class Top, class Skipped, class Missing, class Cell>
    [[gnu::always_inline]] void walk(index_t e, std::uint32_t r, bool skip, Top& top,
                                     Skipped& skipped, Missing& missing, Cell& cell) {
        if (plane_) return walk_plane(e, r, skip, top, skipped, missing, cell);
        if (records_) return walk_records(e, r, skip, top, skipped, missing, cell);
        if (tables_) return walk_tables(e, r, skip, top, skipped, cell);
        walk_lattice(e, r, skip, skipped, cell);
    }

private:
    template <class Top, class Skipped, class Missing, class Cell>
    [[gnu::always_inline]] void walk_plane(index_t e, std::uint32_t r, bool skip, Top& top,
                                           Skipped& skipped, Missing& missing, Cell& cell) const {
        const PlaneStars::Star& s = plane_->star(masks_[e]);
        const index_t top_base = e * n_patterns_;
        for (int j = 0; j < s.n_tops; ++j) top(top_base + s.top[j], r);
        const offset_mask up = lat_->room_up(e), down = lat_->room_down(e);
        index_t tops[2];
        for (int j = s.n_edges; j-- > 0;) {
            const PlaneStars::Edge& edge = s.edge[j];
            const index_t code = e * n_cell_patterns_ + edge.code_delta;
            // An H0 death closes a dual cycle: the star knows most of them (see Star).
            if ((s.h0_deaths >> j & 1u) != 0 || (skip && skipped(code))) continue;
            int n = 0;
            for (int c = 0; c < edge.n_cofacets; ++c) {
                const PlaneStars::Cofacet& t = edge.cofacet[c];
                if ((t.need_up & ~up) != 0 || (t.need_down & ~down) != 0) continue;
                const index_t t_code = top_base + t.code_delta;
                if (on_cells_ && missing(t_code)) continue;
                tops[n++] = t_code;
            }
            cell(code, tops, n, e, r);
        }
    }

    template <class Top, class Skipped, class Missing, class Cell>
    [[gnu::always_inline]] void walk_records(index_t e, std::uint32_t r, bool skip, Top& top,
                                             Skipped& skipped, Missing& missing, Cell& cell) const {
        const std::uint32_t record = records_->record(e);
        const auto [up, down] = tables_->room_of_record(record);
        const index_t top_base = e * n_patterns_, cell_base = e * n_cell_patterns_;
        for (const RecordStars::Top& t : records_->tops())
            if (RecordStars::in_star(t.needs, record)) top(top_base + t.code_delta, r);
        index_t tops[2];
        for (const RecordStars::Cell& c : records_->cells()) {
            if (!RecordStars::in_star(c.needs, record)) continue;
            const index_t code = cell_base + c.code_delta;
            if (skip && skipped(code)) continue;
            int n = 0;
            for (int j = 0; j < c.n_cofacets; ++j) {
                const RecordStars::Cofacet& t = c.cofacet[j];
                if ((t.need_up & ~up) != 0 || (t.need_down & ~down) != 0) continue;
                if (on_cells_ && missing(top_base + t.code_delta)) continue;
                tops[n++] = top_base + t.code_delta;
            }
            cell(code, tops, n, e, r);
        }
    }

    template <class Top, class Skipped, class Cell>
    [[gnu::always_inline]] void walk_tables(index_t e, std::uint32_t r, bool skip, Top& top,
                                            Skipped& skipped, Cell& cell) const {
        const neighbour_bits mask = tables_->lower(e, d_ - 1, order_->ranks());
        const auto [up, down] = tables_->room(e);
        for (const auto& t : tables_->table(d_).incidences)
            if (LowerStars::in_star(t, mask)) top(tables_->code(e, d_, t), r);
        const auto& incidences = tables_->table(d_ - 1).incidences;
        index_t tops[2];
        for (auto it = incidences.rbegin(); it != incidences.rend(); ++it) {
            if (!LowerStars::in_star(*it, mask)) continue;
            const index_t code = tables_->code(e, d_ - 1, *it);
            if (skip && skipped(code)) continue;
            int n = 0;
            for (const auto& c : it->all_cofacets)
                if ((c.need_up & ~up) == 0 && (c.need_down & ~down) == 0)
                    tops[n++] = (e - c.anchor_offset) * n_patterns_ + c.pattern;
            cell(code, tops, n, e, r);
        }
    }

    template <class Skipped, class Cell>
    void walk_lattice(index_t e, std::uint32_t r, bool skip, Skipped& skipped, Cell& cell) {
        star_.clear();
        order_->star(e, d_ - 1, star_);
        index_t tops[2];
        for (auto it = star_.rbegin(); it != star_.rend(); ++it) {
            if (skip && skipped(*it)) continue;
            int n = 0;
            lat_->for_each_cofacet(*it, d_ - 1, [&](index_t t) { tops[n++] = t; });
            cell(*it, tops, n, e, r);
        }
    }

    const GridOrder* order_;
    const GridLattice* lat_;
    int d_;
    index_t n_patterns_, n_cell_patterns_;
    bool on_cells_;
    std::optional<PlaneStars> plane_;
    const std::uint8_t* masks_ = nullptr;
    const LowerStars* tables_ = nullptr;
    std::optional<RecordStars> records_;
    std::vector<index_t> star_;
};

}  // namespace calydon::detail
