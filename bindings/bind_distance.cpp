// bindings/bind_distance.cpp: Wasserstein and bottleneck distances and matchings between
// persistence diagrams. Matchings come back as row indices; values are recomputed by callers.
#include <nanobind/stl/string.h>

#include <span>

#include "calydon/distance/bottleneck.hpp"
#include "calydon/distance/wasserstein.hpp"
#include "common.hpp"

namespace nb = nanobind;
using namespace calydon;
using namespace calydon::py;

namespace {

using any_double_array = nb::ndarray<const double, nb::c_contig, nb::device::cpu>;

std::span<const value_t> diagram_rows(const any_double_array& arr, const char* api,
                                      const char* name) {
    const bool empty = arr.size() == 0;
    if (!empty && (arr.ndim() != 2 || arr.shape(1) != 2)) {
        std::string shape = "(";
        for (std::size_t k = 0; k < arr.ndim(); ++k)
            shape += (k ? ", " : "") + std::to_string(arr.shape(k));
        throw_invalid(api, ": ", name, " must have shape (n, 2), got ", shape,
                      arr.ndim() == 1 ? ",)" : ")");
    }
    return {arr.data(), empty ? 0 : arr.size()};
}

numpy_array<index_t> pair_array(const std::vector<std::pair<index_t, index_t>>& pairs) {
    std::vector<index_t> flat;
    flat.reserve(2 * pairs.size());
    for (auto [x, y] : pairs) {
        flat.push_back(x);
        flat.push_back(y);
    }
    return to_numpy(std::move(flat), {pairs.size(), 2});
}

nb::tuple matching_to_python(DiagramMatching&& m) {
    nb::list essential;
    for (const auto& family : m.essential_pairs) essential.append(pair_array(family));
    return nb::make_tuple(pair_array(m.finite_pairs), to_numpy(std::move(m.a_to_diagonal)),
                          to_numpy(std::move(m.b_to_diagonal)), essential, m.cost, m.distance);
}

}  // namespace

void init_distance(nb::module_& m) {
    m.def(
        "wasserstein_distance",
        [](const any_double_array& a, const any_double_array& b, double q, double delta,
           double internal_p) {
            const char* api = "wasserstein_distance";
            auto ra = diagram_rows(a, api, "a");
            auto rb = diagram_rows(b, api, "b");
            const WassersteinParams params{q, delta, internal_p};
            return run_heavy([&] { return calydon::wasserstein_distance(ra, rb, params, api); });
        },
        nb::arg("a"), nb::arg("b"), nb::arg("q") = 1.0, nb::arg("delta") = 0.01,
        nb::arg("internal_p") = value_inf,
        R"doc(W_q distance between two diagrams given as float64 arrays (n, 2) of (birth, death).

delta > 0: auction with relative error delta; delta = 0: exact (Hungarian, O(N^3)).
internal_p in [1, inf] is the ground L_p norm. Essential points are matched within their
family by rank; a family-count mismatch gives inf. Points with birth == death are ignored.)doc");

    m.def(
        "wasserstein_matching",
        [](const any_double_array& a, const any_double_array& b, double q, double delta,
           double internal_p, bool ignore_inf_points, const std::string& api_name) {
            const char* api = api_name.c_str();
            auto ra = diagram_rows(a, api, "a");
            auto rb = diagram_rows(b, api, "b");
            const WassersteinParams params{q, delta, internal_p};
            auto matching = run_heavy([&] {
                return calydon::wasserstein_matching(ra, rb, params, ignore_inf_points, true, api);
            });
            return matching_to_python(std::move(matching));
        },
        nb::arg("a"), nb::arg("b"), nb::arg("q") = 1.0, nb::arg("delta") = 0.01,
        nb::arg("internal_p") = value_inf, nb::arg("ignore_inf_points") = true,
        nb::arg("api") = "wasserstein_matching",
        R"doc(Optimal (delta = 0) or (1 + delta)-optimal W_q matching, as row indices.

Returns (finite_pairs int64 (k, 2), a_to_diagonal int64 (k,), b_to_diagonal int64 (k,),
essential: list of 4 int64 (k, 2) arrays for the families (fin, +inf), (fin, -inf), (+inf, fin),
(-inf, fin), cost = sum of edge lengths ** q, distance = cost ** (1 / q)). With
ignore_inf_points=False a family-count mismatch raises ValueError. `api` names the caller in
error messages.)doc");

    m.def(
        "bottleneck_distance",
        [](const any_double_array& a, const any_double_array& b, double delta) {
            const char* api = "bottleneck_distance";
            auto ra = diagram_rows(a, api, "a");
            auto rb = diagram_rows(b, api, "b");
            return run_heavy([&] { return calydon::bottleneck_distance(ra, rb, delta, api); });
        },
        nb::arg("a"), nb::arg("b"), nb::arg("delta") = 0.01,
        R"doc(Bottleneck distance (L_inf ground metric) between two float64 (n, 2) diagrams.

delta = 0 is exact (search over candidate edge lengths with a geometric Hopcroft-Karp);
delta > 0 returns a value within a factor 1 + delta of it. Essential families as for Wasserstein.)doc");

    m.def(
        "bottleneck_matching",
        [](const any_double_array& a, const any_double_array& b, double delta,
           bool ignore_inf_points, const std::string& api_name) {
            const char* api = api_name.c_str();
            auto ra = diagram_rows(a, api, "a");
            auto rb = diagram_rows(b, api, "b");
            auto matching = run_heavy([&] {
                return calydon::bottleneck_matching(ra, rb, delta, ignore_inf_points, true, api);
            });
            return matching_to_python(std::move(matching));
        },
        nb::arg("a"), nb::arg("b"), nb::arg("delta") = 0.01, nb::arg("ignore_inf_points") = true,
        nb::arg("api") = "bottleneck_matching",
        R"doc(Bottleneck matching as row indices, in the tuple layout of wasserstein_matching;
cost and distance both hold the longest edge.)doc");
}
