// bindings/bind_delaunay.cpp: alpha, weak alpha and Čech–Delaunay filtrations (CGAL).
//
// This is the only translation unit of the extension that includes CGAL. Without CGAL the
// module reports HAVE_CGAL = False and calydon.delaunay raises an ImportError with the hint; the
// deferred-supports plumbing, which needs no CGAL, is bound either way.
#include <array>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include <nanobind/nanobind.h>

#include <nanobind/stl/shared_ptr.h>

#include "calydon/delaunay/supports.hpp"
#include "common.hpp"
#include "requests.hpp"

namespace nb = nanobind;

namespace calydon::py {

// The deferred supports need no CGAL: parsed and converted here for the batch call.

SupportsRequest parse_supports_request(const nb::tuple& t) {
    if (t.size() != 3) throw_invalid("a delaunay_supports request has 3 fields, got ", t.size());
    auto plan = nb::cast<std::shared_ptr<const SupportPlan>>(t[2]);
    if (!plan) throw_invalid("a delaunay_supports request needs a DelaunaySupportPlan, got None");
    return SupportsRequest{&nb::cast<const Filtration&>(t[1]), std::move(plan)};
}

nb::object supports_to_python(DelaunaySupports&& s) {
    nb::list rows;
    for (int k = 1; k <= 3; ++k) {
        const std::size_t width = k + 1, count = s.rows[k].size() / width;
        rows.append(to_numpy(std::move(s.rows[k]), {count, width}));
    }
    return nb::make_tuple(to_numpy(std::move(s.value_source)), rows);
}

}  // namespace calydon::py

namespace {

void bind_support_plan(nb::module_& m) {
    using namespace calydon;
    nb::class_<SupportPlan>(m, "DelaunaySupportPlan",
                            "What indexing a Delaunay filtration's supports needs, kept by a "
                            "build that deferred them (opaque).");
    m.def(
        "delaunay_supports",
        [](const Filtration& fil, std::shared_ptr<const SupportPlan> plan, int n_threads) {
            return py::supports_to_python(
                py::run_heavy([&] { return index_supports(*plan, fil, n_threads); }));
        },
        nb::arg("filtration"), nb::arg("plan"), nb::arg("n_threads") = 1,
        "(value_source, supports) of a Delaunay filtration whose build deferred them, in the "
        "layout of delaunay_filtration.");
}

}  // namespace

#ifdef CALYDON_HAVE_CGAL

#include <nanobind/stl/string.h>

#include "calydon/delaunay/filtration.hpp"
#include "calydon/delaunay/radius_gradient.hpp"
#include "calydon/delaunay/support_gather.hpp"

using namespace calydon;
using namespace calydon::py;

namespace {

DelaunayValueRule parse_rule(const std::string& rule) {
    if (rule == "alpha") return DelaunayValueRule::alpha;
    if (rule == "weak_alpha") return DelaunayValueRule::weak_alpha;
    if (rule == "cech") return DelaunayValueRule::cech;
    throw_invalid("rule must be 'alpha', 'weak_alpha' or 'cech', got '", rule, "'");
}

/// (m, k + 1) int64 array from a flat uint32 row-major block.
numpy_array<index_t> rows_to_numpy(const std::vector<std::uint32_t>& flat, std::size_t width) {
    std::vector<index_t> wide(flat.begin(), flat.end());
    std::size_t rows = width ? flat.size() / width : 0;
    return to_numpy(std::move(wide), {rows, width});
}

using support_rows_array = nb::ndarray<const index_t, nb::ndim<2>, nb::c_contig, nb::device::cpu>;
using row_values_array = nb::ndarray<const double, nb::ndim<1>, nb::c_contig, nb::device::cpu>;

/// (points as a span, D = 2 or 3; rows as a span, k): the checks both radius functions share.
auto support_inputs(const double_array& points, const support_rows_array& rows) {
    if (points.ndim() != 2 || (points.shape(1) != 2 && points.shape(1) != 3))
        throw_invalid("points must have shape (n, 2) or (n, 3)");
    return std::make_tuple(
        std::span<const value_t>(points.data(), points.size()), static_cast<int>(points.shape(1)),
        std::span<const index_t>(rows.data(), rows.size()), static_cast<int>(rows.shape(1)));
}

void bind_support_radii(nb::module_& m) {
    m.def(
        "support_radii_sq",
        [](double_array points, support_rows_array rows, int n_threads) {
            auto [coords, d, flat, k] = support_inputs(points, rows);
            auto r_sq = run_heavy([&] {
                return d == 2 ? support_radii_sq<2>(coords, flat, k, n_threads)
                              : support_radii_sq<3>(coords, flat, k, n_threads);
            });
            return to_numpy(std::move(r_sq));
        },
        nb::arg("points"), nb::arg("rows"), nb::arg("n_threads") = 1,
        "Squared circumradius (m,) of each row of rows (m, k) int64, k = 2..d + 1, of points (n, "
        "d).");
    m.def(
        "support_radii_sq_gradient",
        [](double_array points, support_rows_array rows, row_values_array grad, int n_threads) {
            auto [coords, d, flat, k] = support_inputs(points, rows);
            std::span<const value_t> g(grad.data(), grad.size());
            auto out = run_heavy([&] {
                return d == 2 ? support_radii_sq_gradient<2>(coords, flat, k, g, n_threads)
                              : support_radii_sq_gradient<3>(coords, flat, k, g, n_threads);
            });
            return to_numpy(std::move(out), {points.shape(0), points.shape(1)});
        },
        nb::arg("points"), nb::arg("rows"), nb::arg("grad"), nb::arg("n_threads") = 1,
        "sum_r grad[r] * d(squared circumradius of rows[r])/d(points), shape (n, d), float64; "
        "added in row order (the same for any n_threads).");
}

using index_list_array = nb::ndarray<const index_t, nb::ndim<1>, nb::c_contig, nb::device::cpu>;

void bind_support_gather(nb::module_& m) {
    m.def(
        "gather_supports",
        [](const Filtration& fil, index_list_array value_source, index_list_array cells,
           const nb::list& supports, int n_threads) {
            if (supports.size() != 3)
                throw_invalid("supports must list 3 row arrays, got ", supports.size());
            // The cast arrays live until the gather ends: a converted one (another dtype or
            // order) owns the copy the spans point into.
            std::array<support_rows_array, 3> arrays;
            std::array<std::span<const index_t>, 3> rows;
            for (int k = 0; k < 3; ++k) {
                arrays[k] = nb::cast<support_rows_array>(supports[k]);
                if (arrays[k].shape(1) != static_cast<std::size_t>(k + 2))
                    throw_invalid("supports[", k, "] must have ", k + 2, " columns, got ",
                                  arrays[k].shape(1));
                rows[k] = {arrays[k].data(), arrays[k].size()};
            }
            SupportGather g = run_heavy([&] {
                return gather_supports({value_source.data(), value_source.size()}, fil.values(),
                                       {cells.data(), cells.size()}, rows, n_threads);
            });
            nb::list picked;
            for (int k = 0; k < 3; ++k) {
                const std::size_t width = k + 2, count = g.rows[k].size() / width;
                picked.append(to_numpy(std::move(g.rows[k]), {count, width}));
            }
            return nb::make_tuple(to_numpy(std::move(g.position)), g.wants_vertex, picked,
                                  to_numpy(std::move(g.value)));
        },
        nb::arg("filtration"), nb::arg("value_source"), nb::arg("cells"), nb::arg("supports"),
        nb::arg("n_threads") = 1,
        R"doc(The distinct supports the cells read (sorted ids, int64 (m,)), for a Delaunay
filtration from delaunay_filtration: (position, wants_vertex, rows, value). The wanted supports
are [the vertex support, when wants_vertex] ++ rows[0] ++ rows[1] ++ rows[2] (int64 arrays
(p_k, k + 2) of point indices, in support order); position (m,) gives each cell's support among
them and value the filtration value of each wanted support. The same for any n_threads.)doc");
}

}  // namespace

void init_delaunay(nb::module_& m) {
    bind_support_plan(m);
    bind_support_radii(m);
    bind_support_gather(m);
    m.attr("HAVE_CGAL") = true;
    // Whether n_threads > 1 also parallelises the 3-D triangulation: always, where CGAL is.
    m.attr("HAVE_PARALLEL_DELAUNAY") = true;
    m.def(
        "delaunay_filtration",
        [](double_array points, const std::string& rule, bool with_simplices,
           const std::string& api, int n_threads, bool defer_supports) {
            return with_api(api, [&] {
                if (points.ndim() != 2)
                    throw_invalid("points must have shape (n, 2) or (n, 3), got ", points.ndim(),
                                  " axes");
                const int d = static_cast<int>(points.shape(1));
                const DelaunayValueRule r = parse_rule(rule);
                std::span<const value_t> coords(points.data(), points.size());
                DelaunayFiltration built = run_heavy([&] {
                    return delaunay_filtration(coords, d, r, with_simplices, n_threads,
                                               defer_supports);
                });
                nb::object source = nb::none(), supports = nb::cast(built.support_plan);
                if (!built.support_plan) {
                    const auto both =
                        nb::cast<nb::tuple>(supports_to_python(std::move(built.supports)));
                    source = both[0];
                    supports = both[1];
                }
                nb::object simplices = nb::none();
                if (with_simplices) {
                    nb::list per_dim;
                    for (int k = 0; k <= built.filtration.max_dim(); ++k)
                        per_dim.append(rows_to_numpy(built.simplices[k], k + 1));
                    simplices = per_dim;
                }
                return nb::make_tuple(std::move(built.filtration), source, supports, simplices,
                                      built.triangulation_dim, built.has_duplicates);
            });
        },
        nb::arg("points"), nb::arg("rule"), nb::arg("with_simplices") = false,
        nb::arg("api") = "delaunay_filtration", nb::arg("n_threads") = 1,
        nb::arg("defer_supports") = false,
        R"doc(Filtration of the Delaunay complex of a point cloud (CGAL, Epick kernel).

points: float64 C-contiguous array (n, d), d = 2 or 3, finite. rule: 'alpha', 'weak_alpha' or
'cech'. Values are squared radii (alpha: smallest empty circumsphere or the attaching coface's
value; cech: minimum enclosing ball; weak_alpha: squared length of the longest edge); vertices 0.
A duplicated point is a vertex joined to its first copy by an edge of value 0.

Returns (filtration, value_source, supports, simplices, triangulation_dim, has_duplicates):
supports = [s1, s2, s3], int64 arrays (m_k, k + 1) of point indices of the distinct support
simplices of dimension k (each row in the order C++ evaluated the value in); with r2 = [0] ++ r2(s1) ++ r2(s2) ++ r2(s3) (r2 = squared circumradius, weak alpha:
squared edge length), the cell with sorted id i has value r2[value_source[i]]. simplices (when
with_simplices) lists, per dimension k, an int64 array (n_k, k + 1) of vertex ids in sorted order.
defer_supports: value_source is None and supports a DelaunaySupportPlan, for delaunay_supports or
a ("delaunay_supports", filtration, plan) request of run_requests.)doc");
}

#else

void init_delaunay(nb::module_& m) {
    bind_support_plan(m);
    m.attr("HAVE_CGAL") = false;
    m.attr("HAVE_PARALLEL_DELAUNAY") = false;
}

#endif
