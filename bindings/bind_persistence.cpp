// bindings/bind_diagram.cpp: persistence pairs with the fast paths.
#include <nanobind/stl/vector.h>

#include "calydon/persistence/pairs.hpp"
#include "common.hpp"

namespace nb = nanobind;
using namespace calydon;
using namespace calydon::py;

nb::tuple pairs_to_python(IndexPairs&& pairs) {
    nb::list finite, essential;
    for (const auto& dim_pairs : pairs.finite) finite.append(rows_to_numpy(dim_pairs));
    for (auto& ess : pairs.essential) essential.append(to_numpy(std::move(ess)));
    return nb::make_tuple(finite, essential);
}

void init_diagram(nb::module_& m) {
    m.def(
        "persistence_pairs",
        [](const Filtration& fil, bool dualize, bool fast_paths, bool keep_zero_persistence) {
            auto pairs = run_heavy([&] { return compute_persistence_pairs(fil, dualize, fast_paths, keep_zero_persistence); });
            return pairs_to_python(std::move(pairs));
        },
        nb::arg("filtration"), nb::arg("dualize") = false, nb::arg("fast_paths") = true,
        nb::arg("keep_zero_persistence") = false,
        R"doc(Persistence pairs of a filtration as sorted ids.

Returns (finite, essential): finite[d] is an int64 array (n_d, 2) of (birth, death) ids in
homology dimension d, essential[d] an int64 array (m_d,) of birth ids, for d = 0..max_dim.
fast_paths uses union-find for H0 and, on triangulated balls, for the top dimension.)doc");
}
