// calydon/delaunay/parallel_triangulation.hpp: what lets the 3-D triangulation run on several
// threads and still give the same complex as one thread.
//
// * CGAL's concurrent Delaunay_triangulation_3 (Parallel_tag, a spatial lock grid, TBB) inserts
//   the points on up to n_threads threads. Only built when CGAL is linked with TBB
//   (CGAL_LINKED_WITH_TBB, set by CMake when it finds TBB); otherwise every count runs serially.
// * The Delaunay triangulation of points in 3-D is unique even for cospherical points, because
//   CGAL's insertion breaks those ties by a symbolic perturbation that depends on the points, not
//   on the insertion order. Its cells, however, come out in container order, which differs between
//   runs on several threads; sorting the rows of top simplices makes every later step (faces,
//   tie-breaks of equal values, supports) independent of the thread count.
#pragma once

#ifdef CALYDON_HAVE_CGAL

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <vector>

#include <CGAL/Bbox_3.h>

#ifdef CGAL_LINKED_WITH_TBB
#include <tbb/task_arena.h>
#endif

#include "calydon/core/interrupt.hpp"
#include "calydon/core/types.hpp"

namespace calydon::detail {

/// Sorts the rows (width W, each ascending) lexicographically: a counting sort on the first
/// vertex, then each bucket, a few rows sharing one vertex, by a comparison sort.
template <int W>
void sort_rows_of(std::vector<std::uint32_t>& flat, index_t n_points) {
    using Row = std::array<std::uint32_t, W>;
    const std::size_t m = flat.size() / W;
    std::vector<std::size_t> start(static_cast<std::size_t>(n_points) + 1, 0);
    for (std::size_t r = 0; r < m; ++r) ++start[flat[r * W] + 1];
    for (index_t a = 0; a < n_points; ++a) start[a + 1] += start[a];
    std::vector<Row> rows(m);
    std::vector<std::size_t> fill(start.begin(), start.end() - 1);
    for (std::size_t r = 0; r < m; ++r)
        std::memcpy(rows[fill[flat[r * W]]++].data(), flat.data() + r * W, sizeof(Row));
    for (index_t a = 0; a < n_points; ++a)
        if (start[a + 1] - start[a] > 1)
            std::sort(rows.begin() + start[a], rows.begin() + start[a + 1]);
    std::memcpy(flat.data(), rows.data(), m * sizeof(Row));
}

/// Rows of `width` vertex ids (2, 3 or 4) in lexicographic order.
inline void sort_rows_lexicographically(std::vector<std::uint32_t>& flat, int width,
                                        index_t n_points) {
    if (width == 4) sort_rows_of<4>(flat, n_points);
    else if (width == 3) sort_rows_of<3>(flat, n_points);
    else if (width == 2) sort_rows_of<2>(flat, n_points);
}

#ifdef CGAL_LINKED_WITH_TBB

inline constexpr bool parallel_triangulation_available = true;

/// The concurrent insertion costs 1.4x (10k uniform points) to 1.6x (100k) the CPU time of the
/// serial one (locks, concurrent containers), so two threads gain at most about 1.4x on this
/// phase, and they lose (2-3x) when they do not each get a core: a thread spins on the lock
/// grid while the holder of the lock waits to be scheduled. Small inputs stay serial.
inline constexpr std::size_t min_points_for_parallel_insertion = 2000;
/// Points per range insertion: between two, a Ctrl-C check (a range insertion cannot be
/// interrupted); a chunk is some tens of milliseconds of work on one thread.
inline constexpr std::size_t points_per_parallel_chunk = std::size_t{1} << 15;
/// Lock cells per axis of the bounding box: CGAL's examples' value; finer grids cost memory and
/// lock traffic, coarser ones make threads wait on each other.
inline constexpr int lock_grid_cells_per_axis = 50;

/// Inserts the (point, info) entries into a concurrent triangulation on n_threads threads (a
/// TBB arena of that size, so TBB uses no more cores than asked), chunk by chunk.
template <class ParallelDt, class Entry>
void insert_in_parallel(ParallelDt& dt, const std::vector<Entry>& entries, int n_threads) {
    tbb::task_arena arena(n_threads);
    for (std::size_t first = 0; first < entries.size(); first += points_per_parallel_chunk) {
        check_interrupt();
        const std::size_t last = std::min(entries.size(), first + points_per_parallel_chunk);
        arena.execute([&] { dt.insert(entries.begin() + first, entries.begin() + last); });
    }
}

/// The bounding box of the entries' points, for the lock grid.
template <class Entry>
CGAL::Bbox_3 bbox_of_entries(const std::vector<Entry>& entries) {
    CGAL::Bbox_3 box;
    for (const Entry& e : entries) box += e.first.bbox();
    return box;
}

#else

inline constexpr bool parallel_triangulation_available = false;

#endif  // CGAL_LINKED_WITH_TBB

}  // namespace calydon::detail

#endif  // CALYDON_HAVE_CGAL
