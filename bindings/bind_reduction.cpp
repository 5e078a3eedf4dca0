// bindings/bind_reduction.cpp: Decomposition (R = D V) on homology or cohomology.
#include <nanobind/stl/vector.h>

#include "calydon/persistence/pairs.hpp"
#include "common.hpp"

namespace nb = nanobind;
using namespace calydon;
using namespace calydon::py;

nb::tuple pairs_to_python(IndexPairs&& pairs);  // bind_diagram.cpp

namespace {

std::vector<std::vector<index_t>> all_columns(const Decomposition& d, bool v) {
    if (!d.is_reduced()) throw std::invalid_argument("Decomposition: call reduce() first");
    if (v && !d.reduction().has_v())
        throw std::invalid_argument("Decomposition: V was not computed, reduce with compute_v=True");
    std::vector<std::vector<index_t>> out(d.size());
    for (index_t j = 0; j < d.size(); ++j) {
        if (v) out[j] = d.reduction().v_column(j);
        else {
            auto c = d.reduction().r_column(j);
            out[j].assign(c.begin(), c.end());
        }
    }
    return out;
}

}  // namespace

void init_reduction(nb::module_& m) {
    nb::class_<Decomposition>(m, "Decomposition", R"doc(
The reduction R = D V of a filtration's boundary matrix (dualize=False) or of its anti-transposed
coboundary matrix (dualize=True, cohomology). Matrix index m is sorted id m, or N-1-m when dualized.)doc")
        .def(nb::init<const Filtration&, bool>(), nb::arg("filtration"), nb::arg("dualize") = false)
        .def(
            "reduce",
            [](Decomposition& d, bool clearing, bool compute_v) {
                run_heavy([&] { d.reduce(clearing, compute_v); return 0; });
            },
            nb::arg("clearing") = true, nb::arg("compute_v") = false,
            "Reduces the matrix over Z/2 (with the twist/clearing optimisation by default).")
        .def_prop_ro("is_reduced", &Decomposition::is_reduced)
        .def_prop_ro("dualize", &Decomposition::dualize)
        .def_prop_ro("r_data", [](const Decomposition& d) { return all_columns(d, false); },
                     "Columns of R as sorted row lists (matrix indices).")
        .def_prop_ro("v_data", [](const Decomposition& d) { return all_columns(d, true); },
                     "Columns of V as sorted row lists (matrix indices).")
        .def_prop_ro("d_data",
                     [](const Decomposition& d) {
                         std::vector<std::vector<index_t>> out(d.size());
                         for (index_t j = 0; j < d.size(); ++j) {
                             auto c = d.d_matrix().column(j);
                             out[j].assign(c.begin(), c.end());
                         }
                         return out;
                     })
        .def(
            "index_pairs",
            [](const Decomposition& d, const Filtration& fil, bool keep_zero_persistence) {
                if (!d.is_reduced()) throw std::invalid_argument("Decomposition: call reduce() first");
                if (fil.size() != d.size())
                    throw std::invalid_argument("Decomposition: filtration has a different size");
                return pairs_to_python(pairs_from_decomposition(fil, d, keep_zero_persistence));
            },
            nb::arg("filtration"), nb::arg("keep_zero_persistence") = false,
            "(finite, essential): per-dimension int64 arrays (n, 2) of (birth, death) sorted ids "
            "and (n,) of essential birth ids.");
}
