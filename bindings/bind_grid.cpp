// bindings/bind_grid.cpp: Freudenthal and cubical filtrations of 1-4 dimensional arrays.
#include <nanobind/stl/string.h>

#include "calydon/grid/pairs.hpp"
#include "calydon/grid/cubical.hpp"
#include "calydon/grid/freudenthal.hpp"
#include "common.hpp"

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

void init_grid(nb::module_& m) {
    m.def(
        "freudenthal_filtration",
        [](double_array data, bool negate, int max_dim, const std::string& api) {
            auto shape = shape_of(data);
            std::span<const value_t> flat(data.data(), data.size());
            return with_api(api, [&] { return pack(run_heavy([&] { return freudenthal_filtration(flat, shape, negate, max_dim); })); });
        },
        nb::arg("data"), nb::arg("negate") = false, nb::arg("max_dim") = 4, nb::arg("api") = "freudenthal_filtration",
        R"doc(Freudenthal filtration of a float64 C-contiguous array with 1-4 axes.

Returns (Filtration, critical) where critical is an int64 array (n_cells,): the flat index of the
vertex whose value each sorted cell takes.)doc");
    m.def(
        "cube_filtration",
        [](double_array data, bool negate, int max_dim, const std::string& values_on, const std::string& api) {
            auto shape = shape_of(data);
            std::span<const value_t> flat(data.data(), data.size());
            return with_api(api, [&] {
                const CubicalValues where = parse_values_on(values_on);
                return pack(run_heavy([&] { return cube_filtration(flat, shape, negate, max_dim, where); }));
            });
        },
        nb::arg("data"), nb::arg("negate") = false, nb::arg("max_dim") = 4, nb::arg("values_on") = "vertices",
        nb::arg("api") = "cube_filtration",
        R"doc(Cubical filtration of a float64 C-contiguous array with 1-4 axes.

Returns (Filtration, critical): critical is an int64 array (n_cells,) of flat data indices.)doc");
    m.def(
        "grid_persistence_pairs",
        [](double_array data, const std::string& complex_kind, bool negate, int max_dim, const std::string& values_on,
           const std::string& api) {
            auto shape = shape_of(data);
            std::span<const value_t> flat(data.data(), data.size());
            return with_api(api, [&] {
                if (complex_kind != "freudenthal" && complex_kind != "cubical")
                    throw_invalid("complex_kind must be 'freudenthal' or 'cubical', got '", complex_kind, "'");
                const CubicalValues where = parse_values_on(values_on);
                GridPairs pairs = run_heavy([&] {
                    GridCells cells = complex_kind == "freudenthal" ? freudenthal_cells(flat, shape, negate, max_dim)
                                                                    : cube_cells(flat, shape, negate, max_dim, where);
                    if (!grid_pairs_applicable(cells)) throw_invalid("needs a 1-D or 2-D grid (cells of dimension <= 2)");
                    return grid_persistence_pairs(cells, flat, negate);
                });
                return nb::make_tuple(pairs_to_python(std::move(pairs.by_data)), pairs_to_python(std::move(pairs.by_id)));
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
