// bindings/bind_filtration.cpp: the Filtration class.
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include "calydon/filtration/simplicial.hpp"
#include "common.hpp"

namespace nb = nanobind;
using namespace calydon;
using calydon::py::to_numpy;

void init_filtration(nb::module_& m) {
    nb::class_<Filtration>(m, "Filtration", R"doc(
Cells sorted by (dimension, value, input position); with negate=True the value comparison is
reversed (superlevel filtration) while stored values stay as given. Indices are sorted ids.)doc")
        .def(
            "__init__",
            [](Filtration* self, const std::vector<std::vector<index_t>>& simplices,
               const std::vector<value_t>& values, bool negate) {
                new (self) Filtration(simplicial_filtration(simplices, values, negate));
            },
            nb::arg("simplices"), nb::arg("values"), nb::arg("negate") = false,
            "Simplicial filtration from vertex lists (every face must be listed) and values.")
        .def("__len__", &Filtration::size)
        .def("size", &Filtration::size, "Number of cells.")
        .def_prop_ro("max_dim", &Filtration::max_dim, "Largest cell dimension (-1 when empty).")
        .def_prop_ro("negate", &Filtration::negate)
        .def_prop_ro("kind", [](const Filtration& f) { return f.kind(); })
        .def_prop_ro("prefers_cohomology", &Filtration::prefers_cohomology,
                     "The builder's default reduction side: True for Vietoris-Rips.")
        .def("infinity", &Filtration::infinity, "+inf, or -inf for a negated filtration.")
        .def(
            "values",
            [](const Filtration& f) { return to_numpy(std::vector<value_t>(f.values())); },
            "Cell values in sorted order, float64 array of shape (n,).")
        .def(
            "dims", [](const Filtration& f) { return to_numpy(std::vector<dim_t>(f.dims())); },
            "Cell dimensions in sorted order, int32 array of shape (n,).")
        .def(
            "sorting_permutation",
            [](const Filtration& f) { return to_numpy(std::vector<index_t>(f.input_to_sorted())); },
            "int64 array (n,): input position -> sorted id.")
        .def(
            "inv_sorting_permutation",
            [](const Filtration& f) { return to_numpy(std::vector<index_t>(f.sorted_to_input())); },
            "int64 array (n,): sorted id -> input position.")
        .def("cell_value_by_sorted_id",
             [](const Filtration& f, index_t i) {
                 if (i < 0 || i >= f.size())
                     throw std::out_of_range(calydon::format_message(
                         "cell_value_by_sorted_id: index must be in [0, ", f.size(), "), got ", i));
                 return f.value(i);
             })
        .def("dim_first", &Filtration::dim_first, nb::arg("dim"),
             "First sorted id of dimension dim.")
        .def("size_in_dimension", &Filtration::size_in_dim, nb::arg("dim"))
        .def(
            "boundary_matrix",
            [](const Filtration& f) {
                const auto& b = f.boundary();
                return nb::make_tuple(to_numpy(std::vector<index_t>(b.offsets)),
                                      to_numpy(std::vector<index_t>(b.entries)));
            },
            "Boundary over sorted ids as (offsets, rows), int64 CSR by column.")
        .def("__repr__", [](const Filtration& f) {
            return calydon::format_message("Filtration(kind=", f.kind(), ", size=", f.size(),
                                           ", max_dim=", f.max_dim(),
                                           ", negate=", f.negate() ? "True" : "False", ")");
        });
}
