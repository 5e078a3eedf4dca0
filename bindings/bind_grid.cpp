// bindings/bind_grid.cpp: Freudenthal and cubical filtrations of 1-4 dimensional arrays.
#include <nanobind/stl/string.h>

#include "calydon/filtration/cubical.hpp"
#include "calydon/filtration/freudenthal.hpp"
#include "common.hpp"

namespace nb = nanobind;
using namespace calydon;
using namespace calydon::py;

namespace {

nb::tuple pack(FiltrationWithCritical&& built) {
    auto crit = to_numpy(std::move(built.critical));
    return nb::make_tuple(std::move(built.filtration), crit);
}

}  // namespace

void init_grid(nb::module_& m) {
    m.def(
        "freudenthal_filtration",
        [](double_array data, bool negate, int max_dim) {
            auto shape = shape_of(data);
            std::span<const value_t> flat(data.data(), data.size());
            return pack(run_heavy([&] { return freudenthal_filtration(flat, shape, negate, max_dim); }));
        },
        nb::arg("data"), nb::arg("negate") = false, nb::arg("max_dim") = 4,
        R"doc(Freudenthal filtration of a float64 C-contiguous array with 1-4 axes.

Returns (Filtration, critical) where critical is an int64 array (n_cells,): the flat index of the
vertex whose value each sorted cell takes.)doc");
    m.def(
        "cube_filtration",
        [](double_array data, bool negate, int max_dim, const std::string& values_on) {
            CubicalValues where;
            if (values_on == "vertices") where = CubicalValues::vertices;
            else if (values_on == "cells") where = CubicalValues::cells;
            else throw std::invalid_argument("cube_filtration: values_on must be 'vertices' or 'cells', got '" +
                                             values_on + "'");
            auto shape = shape_of(data);
            std::span<const value_t> flat(data.data(), data.size());
            return pack(run_heavy([&] { return cube_filtration(flat, shape, negate, max_dim, where); }));
        },
        nb::arg("data"), nb::arg("negate") = false, nb::arg("max_dim") = 4, nb::arg("values_on") = "vertices",
        R"doc(Cubical filtration of a float64 C-contiguous array with 1-4 axes.

Returns (Filtration, critical): critical is an int64 array (n_cells,) of flat data indices.)doc");
}
