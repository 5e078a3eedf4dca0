// calydon/grid/pairs.hpp: persistence pairs of a grid complex without building it.
//
// H0 by union-find, the top dimension of a full complex by the dual union-find, the dimensions
// in between by implicit cohomology with clearing, apparent and emergent pairs; a partial
// complex (cells up to max_dim < D) reports its top cells that no pass paired as essential.
// Images and signals need no matrix at all. The pairs equal the explicit filtration's.
#pragma once

#include <atomic>
#include <thread>
#include <vector>

#include "calydon/core/thread_pool.hpp"
#include "calydon/grid/cohomology.hpp"
#include "calydon/grid/input.hpp"
#include "calydon/grid/split_dual_pass.hpp"
#include "calydon/grid/union_find_passes.hpp"

namespace calydon {

namespace detail {

/// The top cells of a partial complex that are not (top-1)-deaths: essential classes.
inline void grid_essential_sweep(const GridLattice& lat, int top, const CellFlags& deaths,
                                 GridPairSink& sink) {
    for (index_t v = 0; v < lat.n_vertices(); ++v) {
        poll_interrupt(static_cast<std::uint64_t>(v));
        for (int p = 0; p < lat.n_patterns(top); ++p)
            if (lat.has_cell(v, top, p) && !deaths.test(lat.code(v, top, p)))
                sink.essential(top, lat.code(v, top, p));
    }
}

/// The middle dimensions in order (each clears with the one before) after H0, and the
/// essential top cells of a partial complex.
inline void grid_middle_passes(const GridOrder& order, int top, bool dual, GridPairSink& sink,
                               std::vector<CellFlags>& deaths, int n_threads) {
    const GridLattice& lat = order.lattice();
    const int last_middle = dual ? lat.ndim() - 2 : top - 1;
    for (int k = 1; k <= last_middle; ++k) {
        if (!sink.wants(k) && !(k + 1 <= top && sink.wants(k + 1))) break;
        grid_cohomology_pass(order, k, sink, deaths[k], deaths[k + 1], n_threads);
    }
    if (!dual && top >= 2 && sink.wants(top)) grid_essential_sweep(lat, top, deaths[top], sink);
}

/// H0, then the middle dimensions and the essential top cells of a partial complex.
inline void grid_lower_passes(const GridOrder& order, int top, bool dual, GridPairSink& sink,
                              std::vector<CellFlags>& deaths, int n_threads = 1) {
    const GridLattice& lat = order.lattice();
    if (top == 0) {
        for (index_t v = 0; v < lat.n_vertices(); ++v) sink.essential(0, v);
        return;
    }
    grid_h0_pass(order, sink, deaths[1], top == 1);
    grid_middle_passes(order, top, dual, sink, deaths, n_threads);
}

/// H0 (`lower()`) and the dual pass of a 2-D box side by side on n_threads >= 2 threads. The
/// dual pass takes about twice as long as H0 on smooth images, so it is split in two halves by
/// rows where it can be (SplitDualPass): items are claimed in order, so H0 and the larger half
/// start at once and the first to finish takes the smaller half (on three or more threads all
/// three run at once and the halves are equal).
template <class Lower>
void grid_dual_pass_beside_h0(const GridOrder& order, GridPairSink& sink, const CellFlags& deaths,
                              int n_threads, Lower&& lower) {
    if (!SplitDualPass::applies(order)) {
        parallel_for(2, n_threads, [&](index_t task) {
            if (task == 0) lower();
            else grid_dual_pass(order, sink, deaths);
        });
        return;
    }
    // The smaller half fills the gap H0 leaves beside the larger one. A cubical image has one
    // top cell per vertex, not two, so its dual pass is shorter beside H0: a sixth of the rows
    // (1024^2: 38.9-40.3 against 41.5-43.9 ms with a quarter), a quarter for Freudenthal.
    const index_t rows = order.lattice().shape()[0];
    const bool cubical = order.lattice().patterns().kind == GridComplexKind::cubical;
    SplitDualPass pass(order, n_threads >= 3 ? rows / 2 : rows / (cubical ? 6 : 4));
    parallel_for(3, n_threads, [&](index_t task) {
        if (task == 0) lower();
        else pass.run_half(task == 1 ? 1 : 0, sink);
    });
    pass.finish(sink);
}

/// A full 3-D box on n_threads >= 2 threads. H1's star sweep needs no clearing flags (see
/// sweep_stars_before_clearing), and the dual pass needs only the H1 deaths the sweep found (it
/// skips those squares; the few the reductions find cost it a find each instead). So one thread
/// runs H0 and then H1's reductions (which need H0's clearing), the other the sweep and then the
/// dual pass (a 64^3 volume: 18.5 against 22.2 ms when the dual pass waited for the reductions
/// and skipped nothing). Whichever thread comes to the sweep first runs it and the other waits
/// for it to end: a wait only ever on work a running thread holds, so one thread alone runs
/// both tasks too.
inline void grid_volume_passes_on_two(const GridOrder& order, GridPairSink& sink,
                                      std::vector<CellFlags>& deaths, int n_threads) {
    CellFlags waiting, reductions_deaths;  // the reductions' deaths: read by no one
    waiting.resize(order.lattice().n_codes(1));
    StarSweepPart part;
    std::atomic<int> sweep{0};  // 0: not started, 1: running, 2: done, 3: failed (it threw)
    // Runs the sweep or waits for it; false when it threw (the thread that ran it rethrows).
    auto sweep_once = [&] {
        if (int expected = 0; sweep.compare_exchange_strong(expected, 1)) {
            try {
                part = sweep_stars_before_clearing(order, *order.lower_stars(), 1, sink, deaths[2],
                                                   waiting);
            } catch (...) {
                sweep.store(3, std::memory_order_release);
                sweep.notify_all();
                throw;
            }
            sweep.store(2, std::memory_order_release);
            sweep.notify_all();
            return true;
        }
        int idle = 0;
        for (int s = sweep.load(std::memory_order_acquire); s == 1;
             s = sweep.load(std::memory_order_acquire)) {
            if (++idle < 64) std::this_thread::yield();
            else sweep.wait(s, std::memory_order_acquire);
        }
        return sweep.load(std::memory_order_acquire) == 2;
    };
    parallel_for(2, n_threads, [&](index_t task) {
        if (task == 0) {
            grid_h0_pass(order, sink, deaths[1], false);
            if (!sweep_once()) return;
            grid_cohomology_after_sweep(order, 1, sink, deaths[1], reductions_deaths, part,
                                        waiting);
        } else if (sweep_once()) {
            grid_dual_pass(order, sink, deaths[2]);
        }
    });
}

}  // namespace detail

/// Pairs of dimensions 0..n_dims-1 of the grid complex with cells up to dimension max_dim.
/// With one thread the dual pass runs last and, in 3-D and 4-D, skips the cells the middle
/// dimensions paired. With n_threads >= 2, in a box: in 2-D the dual pass runs beside H0, split
/// in two halves by rows (split_dual_pass.hpp); in 3-D one thread runs H0 and then H1's
/// reductions, the other H1's star sweep and then the dual pass; in 4-D the dual pass runs
/// beside H0 and the middle dimensions split their star sweeps over the threads. The
/// result does not depend on the thread count.
inline GridPairs grid_persistence_pairs(std::span<const value_t> data,
                                        std::span<const index_t> shape, const GridSpec& spec,
                                        bool negate, int max_dim, int n_dims,
                                        bool keep_zero_persistence = false, int n_threads = 1) {
    require_grid_input(data, shape, spec, max_dim);
    const std::vector<index_t> vshape = grid_vertex_shape(shape, spec);
    const GridLattice lat(vshape, spec.kind, spec.wrap);
    const GridOrder order(lat, data, negate, spec.values_on_cells(), n_threads);
    const int d = lat.ndim(), top = std::min(max_dim, d);
    n_dims = std::min(n_dims, top + 1);
    GridPairSink sink(order, data, n_dims, keep_zero_persistence);
    const bool dual = top == d && d >= 2 && (sink.wants(d - 1) || (spec.wrap && sink.wants(d)));
    // deaths[k]: k-cells that are (k-1)-deaths; sized only where a pass reads them.
    std::vector<CellFlags> deaths(static_cast<std::size_t>(top) + 2);
    const int last_lower = dual ? d - 2 : top;
    // Serially, in a 3-D or 4-D box, the dual pass runs after the lower passes and skips the
    // (d-1)-cells they found to be (d-2)-deaths (these close a dual cycle: a union-find no-op).
    // In a 2-D box the star tables know most H0 deaths already (PlaneStars::Star::h0_deaths):
    // testing flags for the rest was measured slower than their finds (by 10-20% of the pass
    // on smooth images, level on white noise), so the dual pass reads no flags there, and runs
    // beside H0 with threads.
    const bool serial = n_threads <= 1 || !dual;
    const bool beside_h0 = !serial && !spec.wrap && d == 2;
    for (int k = 1; k <= top; ++k) {
        const bool cleared_column = k <= last_lower && k < top;  // cohomology of dim k
        const bool swept = !dual && k == top && k >= 2;          // partial complex
        // The dual pass skips (d-1)-cells known to be (d-2)-deaths: serially in 3-D and 4-D,
        // and on threads in 3-D (after H1's sweep, on the same thread).
        const bool dual_reads = dual && k == d - 1 && (spec.wrap || (d >= 3 && (serial || d == 3)));
        if (cleared_column || swept || dual_reads) deaths[k].resize(lat.n_codes(k));
    }
    if (dual && (spec.wrap || serial)) {
        detail::grid_lower_passes(order, top, dual, sink, deaths, n_threads);
        grid_dual_pass(order, sink, deaths[d - 1]);
    } else if (beside_h0) {
        detail::grid_dual_pass_beside_h0(order, sink, deaths[d - 1], n_threads, [&] {
            detail::grid_lower_passes(order, top, dual, sink, deaths, 1);
        });
    } else if (dual && d == 3) {
        detail::grid_volume_passes_on_two(order, sink, deaths, n_threads);
    } else if (dual) {
        // A box of 4 dimensions: H0 and the dual pass side by side, then the middle
        // dimensions, whose star sweeps are split over the threads.
        parallel_for(2, n_threads, [&](index_t task) {
            if (task == 0) grid_h0_pass(order, sink, deaths[1], false);
            else grid_dual_pass(order, sink, deaths[d - 1]);
        });
        detail::grid_middle_passes(order, top, dual, sink, deaths, n_threads);
    } else {
        detail::grid_lower_passes(order, top, dual, sink, deaths, n_threads);
    }
    return sink.take();
}

}  // namespace calydon
