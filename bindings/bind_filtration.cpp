// bindings/bind_filtration.cpp: the Filtration class.
#include <cmath>

#include <nanobind/stl/string.h>
#include <nanobind/stl/tuple.h>
#include <nanobind/stl/vector.h>

#include "calydon/filtration/simplicial.hpp"
#include "common.hpp"

namespace nb = nanobind;
using namespace calydon;
using calydon::py::copy_of;
using calydon::py::to_numpy;

namespace {

using IndexArray = nb::ndarray<const index_t, nb::ndim<1>, nb::c_contig, nb::device::cpu>;
using ValueArray = nb::ndarray<const value_t, nb::ndim<1>, nb::c_contig, nb::device::cpu>;
using DimArray = nb::ndarray<const dim_t, nb::ndim<1>, nb::c_contig, nb::device::cpu>;
constexpr int state_version = 1;

// Pickle state: the cells in input order (dims, values, boundary over input positions) and the
// sorted order, so that an unpickled filtration has the same sorted ids and permutations; the
// order is verified again on load.
nb::tuple filtration_state(const Filtration& f) {
    const index_t n = f.size();
    const auto& to_input = f.sorted_to_input();
    const auto& to_sorted = f.input_to_sorted();
    std::vector<dim_t> dims(n);
    std::vector<value_t> values(n);
    std::vector<index_t> offsets(n + 1, 0), entries;
    entries.reserve(f.boundary().entries.size());
    for (index_t s = 0; s < n; ++s) {
        dims[to_input[s]] = f.dim(s);
        values[to_input[s]] = f.value(s);
    }
    for (index_t pos = 0; pos < n; ++pos) {
        for (index_t face : f.boundary().column(to_sorted[pos])) entries.push_back(to_input[face]);
        offsets[pos + 1] = static_cast<index_t>(entries.size());
    }
    return nb::make_tuple(state_version, f.kind(), f.negate(), f.prefers_cohomology(),
                          f.top_is_ball(), to_numpy(std::move(dims)), to_numpy(std::move(values)),
                          to_numpy(std::move(offsets)), to_numpy(std::move(entries)),
                          to_numpy(std::vector<index_t>(to_input)));
}

template <class T, class A>
FillLaterVector<T> to_vector(const A& a) {
    return FillLaterVector<T>(a.data(), a.data() + a.shape(0));
}

Filtration filtration_from_state(const nb::tuple& state) {
    if (state.size() != 10 || nb::cast<int>(state[0]) != state_version)
        throw std::invalid_argument("Filtration.__setstate__: unknown pickle state");
    CellList cells;
    cells.dims = to_vector<dim_t>(nb::cast<DimArray>(state[5]));
    cells.values = to_vector<value_t>(nb::cast<ValueArray>(state[6]));
    cells.boundary.offsets = to_vector<index_t>(nb::cast<IndexArray>(state[7]));
    cells.boundary.entries = to_vector<index_t>(nb::cast<IndexArray>(state[8]));
    const auto order_array = nb::cast<IndexArray>(state[9]);
    std::vector<index_t> order(order_array.data(), order_array.data() + order_array.shape(0));
    const std::size_t n = cells.dims.size();
    const auto& off = cells.boundary.offsets;
    bool ok = cells.values.size() == n && order.size() == n && off.size() == n + 1 &&
              off.front() == 0 && off.back() == static_cast<index_t>(cells.boundary.entries.size());
    for (std::size_t i = 0; ok && i < n; ++i)
        ok = off[i] <= off[i + 1] && cells.dims[i] >= 0 && !std::isnan(cells.values[i]);
    std::vector<char> seen(n, 0);
    for (std::size_t i = 0; ok && i < n; ++i) {
        ok = order[i] >= 0 && static_cast<std::size_t>(order[i]) < n && !seen[order[i]];
        if (ok) seen[order[i]] = 1;
    }
    if (!ok) throw std::invalid_argument("Filtration.__setstate__: inconsistent pickle state");
    Filtration f =
        Filtration::from_sorted_order(std::move(cells), nb::cast<bool>(state[2]), std::move(order));
    f.set_kind(nb::cast<std::string>(state[1]), nb::cast<bool>(state[3]));
    f.set_top_is_ball(nb::cast<bool>(state[4]));
    return f;
}

}  // namespace

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
        .def(
            "__init__",
            [](Filtration* self, nb::handle simplices, nb::handle values, nb::handle negate) {
                // Reached when the typed overload cannot convert the arguments (numpy arrays
                // and bools, or bad input): Python converts them, or raises an error naming
                // the offending one instead of nanobind's "incompatible function arguments".
                const nb::tuple args = nb::cast<nb::tuple>(
                    nb::module_::import_("calydon._filtration")
                        .attr("constructor_arguments")(simplices, values, negate));
                new (self) Filtration(simplicial_filtration(
                    nb::cast<std::vector<std::vector<index_t>>>(args[0]),
                    nb::cast<std::vector<value_t>>(args[1]), nb::cast<bool>(args[2])));
            },
            nb::arg("simplices").none(), nb::arg("values").none(), nb::arg("negate").none() = false)
        .def("__len__", &Filtration::size)
        .def("size", &Filtration::size, "Number of cells.")
        .def_prop_ro("max_dim", &Filtration::max_dim, "Largest cell dimension (-1 when empty).")
        .def_prop_ro("negate", &Filtration::negate)
        .def_prop_ro("kind", [](const Filtration& f) { return f.kind(); })
        .def_prop_ro("prefers_cohomology", &Filtration::prefers_cohomology,
                     "The builder's default reduction side: True for Vietoris-Rips.")
        .def("infinity", &Filtration::infinity, "+inf, or -inf for a negated filtration.")
        .def(
            "values", [](const Filtration& f) { return to_numpy(copy_of(f.values())); },
            "Cell values in sorted order, float64 array of shape (n,).")
        .def(
            "dims", [](const Filtration& f) { return to_numpy(copy_of(f.dims())); },
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
                return nb::make_tuple(to_numpy(copy_of(b.offsets)), to_numpy(copy_of(b.entries)));
            },
            "Boundary over sorted ids as (offsets, rows), int64 CSR by column.")
        .def("__getstate__", &filtration_state)
        .def("__setstate__",
             [](Filtration* self, const nb::tuple& state) {
                 new (self) Filtration(filtration_from_state(state));
             })
        .def("__repr__", [](const Filtration& f) {
            return calydon::format_message("Filtration(kind=", f.kind(), ", size=", f.size(),
                                           ", max_dim=", f.max_dim(),
                                           ", negate=", f.negate() ? "True" : "False", ")");
        });
}
