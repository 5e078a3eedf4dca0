// bindings/bind_grid.cpp: Freudenthal and cubical filtrations of 1-4 dimensional arrays.
#include <nanobind/stl/string.h>

#include "calydon/grid/cubical.hpp"
#include "calydon/grid/freudenthal.hpp"
#include "calydon/grid/pairs.hpp"
#include "requests.hpp"

namespace nb = nanobind;
using namespace calydon;
using namespace calydon::py;

namespace {

nb::tuple pack(FiltrationWithCritical&& built) {
    auto crit = to_numpy(std::move(built.critical));
    return nb::make_tuple(std::move(built.filtration), crit);
}

CubicalValues parse_values_on(const std::string& values_on) {
    if (values_on == "vertices") return CubicalValues::vertices;
    if (values_on == "cells") return CubicalValues::cells;
    throw std::invalid_argument("values_on must be 'vertices' or 'cells', got '" + values_on + "'");
}

}  // namespace

GridRequest calydon::py::parse_grid_request(const nb::tuple& t) {
    const auto kind = nb::cast<std::string>(t[2]);
    if (kind != "freudenthal" && kind != "cubical")
        throw_invalid("complex_kind must be 'freudenthal' or 'cubical', got '", kind, "'");
    GridRequest r{nb::cast<double_array>(t[1]), {},
                  kind == "freudenthal",        nb::cast<bool>(t[3]),
                  nb::cast<int>(t[4]),          parse_values_on(nb::cast<std::string>(t[5]))};
    r.shape = shape_of(r.data);
    return r;
}

GridPairs calydon::py::compute_grid(const GridRequest& r) {
    std::span<const value_t> flat(r.data.data(), r.data.size());
    GridCells cells = r.freudenthal ? freudenthal_cells(flat, r.shape, r.negate, r.max_dim)
                                    : cube_cells(flat, r.shape, r.negate, r.max_dim, r.where);
    if (!grid_pairs_applicable(cells))
        throw_invalid("needs a 1-D or 2-D grid (cells of dimension <= 2)");
    return grid_persistence_pairs(cells, flat, r.negate, false, r.n_threads);
}

nb::object calydon::py::grid_result_to_python(GridPairs&& p) {
    return nb::make_tuple(pairs_to_python(std::move(p.by_data)),
                          pairs_to_python(std::move(p.by_id)));
}

void init_grid(nb::module_& m) {
    m.def(
        "freudenthal_filtration",
        [](double_array data, bool negate, int max_dim, const std::string& api) {
            auto shape = shape_of(data);
            std::span<const value_t> flat(data.data(), data.size());
            return with_api(api, [&] {
                return pack(run_heavy(
                    [&] { return freudenthal_filtration(flat, shape, negate, max_dim); }));
            });
        },
        nb::arg("data"), nb::arg("negate") = false, nb::arg("max_dim") = 4,
        nb::arg("api") = "freudenthal_filtration",
        R"doc(Freudenthal filtration of a float64 C-contiguous array with 1-4 axes.

Returns (Filtration, critical) where critical is an int64 array (n_cells,): the flat index of the
vertex whose value each sorted cell takes.)doc");
    m.def(
        "cube_filtration",
        [](double_array data, bool negate, int max_dim, const std::string& values_on,
           const std::string& api) {
            auto shape = shape_of(data);
            std::span<const value_t> flat(data.data(), data.size());
            return with_api(api, [&] {
                const CubicalValues where = parse_values_on(values_on);
                return pack(run_heavy(
                    [&] { return cube_filtration(flat, shape, negate, max_dim, where); }));
            });
        },
        nb::arg("data"), nb::arg("negate") = false, nb::arg("max_dim") = 4,
        nb::arg("values_on") = "vertices", nb::arg("api") = "cube_filtration",
        R"doc(Cubical filtration of a float64 C-contiguous array with 1-4 axes.

Returns (Filtration, critical): critical is an int64 array (n_cells,) of flat data indices.)doc");
    m.def(
        "grid_persistence_pairs",
        [](double_array data, const std::string& complex_kind, bool negate, int max_dim,
           const std::string& values_on, const std::string& api) {
            return with_api(api, [&] {
                GridRequest r = parse_grid_request(
                    nb::make_tuple("grid", data, complex_kind, negate, max_dim, values_on));
                return grid_result_to_python(run_heavy([&] { return compute_grid(r); }));
            });
        },
        nb::arg("data"), nb::arg("complex_kind"), nb::arg("negate") = false, nb::arg("max_dim") = 2,
        nb::arg("values_on") = "vertices", nb::arg("api") = "grid_persistence_pairs",
        R"doc(Persistence pairs of a 1-D or 2-D grid filtration by union-find, without the filtration.

Returns (by_data, by_id), each (finite, essential) in the one pair layout: finite[d] an int64
array (n, 2), essential[d] an int64 array (m,). by_data holds flat indices into data (the critical
vertex or top cell of the birth and death cells), by_id the sorted ids of those cells in the
filtration the matching builder returns.)doc");
}
