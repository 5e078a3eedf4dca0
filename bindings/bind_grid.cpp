// bindings/bind_grid.cpp: Freudenthal and cubical filtrations of 1-4 dimensional arrays, and
// their persistence pairs without any filtration (the implicit grid complex).
#include <nanobind/stl/string.h>

#include "calydon/grid/explicit.hpp"
#include "calydon/grid/pairs.hpp"
#include "requests.hpp"

namespace nb = nanobind;
using namespace calydon;
using namespace calydon::py;

namespace {

GridSpec parse_spec(const std::string& complex_kind, const std::string& values_on, bool wrap) {
    GridSpec spec;
    if (complex_kind == "freudenthal") spec.kind = GridComplexKind::freudenthal;
    else if (complex_kind != "cubical")
        throw_invalid("complex_kind must be 'freudenthal' or 'cubical', got '", complex_kind, "'");
    if (values_on == "cells") spec.where = CubicalValues::cells;
    else if (values_on != "vertices")
        throw_invalid("values_on must be 'vertices' or 'cells', got '", values_on, "'");
    spec.wrap = wrap;
    return spec;
}

nb::object build(double_array data, const GridSpec& spec, bool negate, int max_dim, bool with_codes,
                 const std::string& api) {
    auto shape = shape_of(data);
    std::span<const value_t> flat(data.data(), data.size());
    return with_api(api, [&]() -> nb::object {
        GridFiltration g = run_heavy(
            [&] { return grid_filtration(flat, shape, spec, negate, max_dim, with_codes); });
        auto crit = to_numpy(std::move(g.built.critical));
        if (!with_codes) return nb::make_tuple(std::move(g.built.filtration), crit);
        auto codes = to_numpy(std::move(g.codes));
        return nb::make_tuple(std::move(g.built.filtration), crit, codes);
    });
}

}  // namespace

GridRequest calydon::py::parse_grid_request(const nb::tuple& t) {
    GridRequest r{
        nb::cast<double_array>(t[1]),
        {},
        parse_spec(nb::cast<std::string>(t[2]), nb::cast<std::string>(t[5]), nb::cast<bool>(t[6])),
        nb::cast<bool>(t[3]),
        nb::cast<int>(t[4]),
        nb::cast<int>(t[7])};
    r.shape = shape_of(r.data);
    return r;
}

GridPairs calydon::py::compute_grid(const GridRequest& r) {
    std::span<const value_t> flat(r.data.data(), r.data.size());
    return grid_persistence_pairs(flat, r.shape, r.spec, r.negate, r.max_dim, r.n_dims, false,
                                  r.n_threads);
}

nb::object calydon::py::grid_result_to_python(GridPairs&& p) {
    return nb::make_tuple(pairs_to_python(std::move(p.by_data)),
                          pairs_to_python(std::move(p.by_code)));
}

void init_grid(nb::module_& m) {
    m.def(
        "grid_filtration",
        [](double_array data, const std::string& complex_kind, bool negate, int max_dim,
           const std::string& values_on, bool wrap, bool with_codes, const std::string& api) {
            const GridSpec spec =
                with_api(api, [&] { return parse_spec(complex_kind, values_on, wrap); });
            return build(data, spec, negate, max_dim, with_codes, api);
        },
        nb::arg("data"), nb::arg("complex_kind"), nb::arg("negate") = false, nb::arg("max_dim") = 4,
        nb::arg("values_on") = "vertices", nb::arg("wrap") = false, nb::arg("with_codes") = false,
        nb::arg("api") = "grid_filtration",
        R"doc(Freudenthal or cubical filtration of a float64 C-contiguous array with 1-4 axes.

Cells are sorted by (dimension, rank of the critical entry, cell code), where ranks order the data
by value and break ties by flat index. Returns (Filtration, critical), plus codes when with_codes:
critical is an int64 array (n_cells,) of the flat data index giving each sorted cell its value,
codes an int64 array (n_cells,) of each sorted cell's code (anchor vertex * patterns + pattern), the
cell identity grid_persistence_pairs reports.)doc");
    m.def(
        "grid_persistence_pairs",
        [](double_array data, const std::string& complex_kind, bool negate, int max_dim,
           const std::string& values_on, bool wrap, int n_dims, const std::string& api) {
            return with_api(api, [&] {
                GridRequest r = parse_grid_request(nb::make_tuple(
                    "grid", data, complex_kind, negate, max_dim, values_on, wrap, n_dims));
                return grid_result_to_python(run_heavy([&] { return compute_grid(r); }));
            });
        },
        nb::arg("data"), nb::arg("complex_kind"), nb::arg("negate") = false, nb::arg("max_dim") = 2,
        nb::arg("values_on") = "vertices", nb::arg("wrap") = false, nb::arg("n_dims") = 3,
        nb::arg("api") = "grid_persistence_pairs",
        R"doc(Persistence pairs of a grid filtration (cells up to max_dim) without building it.

Returns (by_data, by_code), each (finite, essential) in the one pair layout for dimensions
0..n_dims-1: finite[d] an int64 array (n, 2), essential[d] an int64 array (m,). by_data holds flat
indices into data (the critical vertex or top cell of the birth and death cells), by_code the codes
of those cells (see grid_filtration's codes).)doc");
    m.def("release_kept_mappings", &release_kept_mappings,
          R"doc(Returns the large freed arrays kept for the next grid call to the system.

Returns the number of bytes returned (an int; 0 when none were kept, and always 0 off Linux).)doc");
}
