// bindings/bind_persistence.cpp: persistence pairs (with the fast paths) and the one-shot
// Decomposition R = D V, on homology or cohomology.
#include <algorithm>
#include <optional>
#include <type_traits>
#include <variant>

#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include "calydon/core/thread_pool.hpp"
#include "calydon/persistence/pairs.hpp"
#include "requests.hpp"

namespace nb = nanobind;
using namespace calydon;
using namespace calydon::py;

namespace {

std::vector<std::vector<index_t>> all_columns(const Decomposition& d, bool v) {
    if (v && !d.computed_v())
        throw std::invalid_argument(
            "v_data: V was not computed; construct the Decomposition with compute_v=True");
    std::vector<std::vector<index_t>> out(d.size());
    for (index_t j = 0; j < d.size(); ++j) {
        if (v) {
            out[j] = d.reduction().v_column(j);
        } else {
            auto c = d.reduction().r_column(j);
            out[j].assign(c.begin(), c.end());
        }
    }
    return out;
}

PersistenceOptions options(bool dualize, bool clearing, bool fast_paths, bool keep_zero,
                           bool compute_v, std::optional<int> n_threads) {
    PersistenceOptions o;
    o.dualize = dualize;
    o.clearing = clearing;
    o.fast_paths = fast_paths;
    o.keep_zero_persistence = keep_zero;
    o.v_dims = compute_v ? PersistenceOptions::all_dims : 0;
    o.canonical_v = compute_v;  // V is then the same whatever the clearing
    o.n_threads = n_threads.value_or(1);
    return o;
}

Request parse_request(const nb::handle& item) {
    const auto t = nb::cast<nb::tuple>(item);
    const auto kind = nb::cast<std::string>(t[0]);
    if (kind == "general") {
        const auto& fil = nb::cast<const Filtration&>(t[1]);
        return GeneralRequest{&fil, options(nb::cast<bool>(t[2]), true, nb::cast<bool>(t[3]),
                                            nb::cast<bool>(t[4]), false, std::nullopt)};
    }
    if (kind == "grid") return parse_grid_request(t);
    if (kind == "rips") return parse_rips_request(t);
    if (kind == "delaunay_supports") return parse_supports_request(t);
    throw_invalid("unknown persistence request kind '", kind, "'");
}

/// Threads go to items first (independent work parallelises best); what is left over goes
/// inside each item, so a single request gets every thread. Deferred Delaunay supports are a
/// side task of their filtration's pairs: one thread each, left out of the split, so the pairs
/// keep their share (their parallel loops pick that thread up once the supports are done).
void share_threads(std::vector<Request>& requests, int n_threads) {
    const auto n_side = std::ranges::count_if(
        requests, [](const Request& r) { return std::holds_alternative<SupportsRequest>(r); });
    const int n_main = static_cast<int>(requests.size() - n_side);
    const int per_item = std::max(1, n_threads / std::max(1, n_main));
    for (Request& r : requests)
        std::visit(
            [&](auto& req) {
                using R = std::decay_t<decltype(req)>;
                if constexpr (std::is_same_v<R, GeneralRequest>) req.opts.n_threads = per_item;
                else if constexpr (std::is_same_v<R, SupportsRequest>) req.n_threads = 1;
                else req.n_threads = per_item;
            },
            r);
}

Result compute(const Request& request) {
    return std::visit(
        [](const auto& r) -> Result {
            using R = std::decay_t<decltype(r)>;
            if constexpr (std::is_same_v<R, GeneralRequest>)
                return compute_persistence_pairs(*r.fil, r.opts);
            else if constexpr (std::is_same_v<R, GridRequest>) return compute_grid(r);
            else if constexpr (std::is_same_v<R, SupportsRequest>)
                return index_supports(*r.plan, *r.fil, r.n_threads);
            else return compute_rips(r);
        },
        request);
}

nb::object to_python(Result&& result) {
    return std::visit(
        [](auto&& r) -> nb::object {
            using R = std::decay_t<decltype(r)>;
            if constexpr (std::is_same_v<R, IndexPairs>) return pairs_to_python(std::move(r));
            else if constexpr (std::is_same_v<R, GridPairs>)
                return grid_result_to_python(std::move(r));
            else if constexpr (std::is_same_v<R, DelaunaySupports>)
                return supports_to_python(std::move(r));
            else return rips_result_to_python(std::move(r));
        },
        std::move(result));
}

}  // namespace

void init_persistence(nb::module_& m) {
    m.def(
        "persistence_pairs",
        [](const Filtration& fil, bool dualize, bool fast_paths, bool keep_zero_persistence,
           std::optional<int> n_threads) {
            const PersistenceOptions o =
                options(dualize, true, fast_paths, keep_zero_persistence, false, n_threads);
            return pairs_to_python(run_heavy([&] { return compute_persistence_pairs(fil, o); }));
        },
        nb::arg("filtration"), nb::arg("dualize") = false, nb::arg("fast_paths") = true,
        nb::arg("keep_zero_persistence") = false, nb::arg("n_threads") = nb::none(),
        R"doc(Persistence pairs of a filtration as sorted ids.

Returns (finite, essential): finite[d] is an int64 array (n_d, 2) of (birth, death) ids in
homology dimension d, essential[d] an int64 array (m_d,) of birth ids, for d = 0..max_dim.
fast_paths uses union-find for H0 and, on triangulated balls, for the top dimension.)doc");

    m.def(
        "run_requests",
        [](const nb::list& requests, std::optional<int> n_threads, const std::string& api) {
            return with_api(api, [&] {
                std::vector<Request> parsed;
                for (const nb::handle item : requests) parsed.push_back(parse_request(item));
                share_threads(parsed, n_threads.value_or(1));
                std::vector<std::optional<Result>> results(parsed.size());
                run_heavy([&] {
                    parallel_for(static_cast<index_t>(parsed.size()), n_threads.value_or(1),
                                 [&](index_t i) { results[i] = compute(parsed[i]); });
                    return 0;
                });
                nb::list out;
                for (auto& r : results) out.append(to_python(std::move(*r)));
                return out;
            });
        },
        nb::arg("requests"), nb::arg("n_threads") = nb::none(), nb::arg("api") = "run_requests",
        R"doc(Computes many persistence requests in one call without the GIL, spread over n_threads.

Each request is a tuple: ("general", Filtration, dualize, fast_paths, keep_zero_persistence),
("grid", data, complex_kind, negate, max_dim, values_on, wrap, n_dims), ("rips", data, from_pwdists, max_dim,
threshold, sparse) or ("delaunay_supports", Filtration, DelaunaySupportPlan). Returns one result per request, in the layout of persistence_pairs,
grid_persistence_pairs, rips_persistence_pairs or delaunay_supports respectively. When several requests fail, the
error of the first one (in request order) is raised.)doc");

    nb::class_<Decomposition>(m, "Decomposition", R"doc(
The reduction R = D V of a filtration's boundary matrix (dualize=False) or of its anti-transposed
coboundary matrix (dualize=True, cohomology). Matrix index m is sorted id m, or N-1-m when dualized.
One-shot and immutable: the constructor reduces.)doc")
        .def(
            "__init__",
            [](Decomposition* self, const Filtration& fil, bool dualize, bool clearing,
               bool compute_v, std::optional<int> n_threads) {
                const PersistenceOptions o =
                    options(dualize, clearing, false, true, compute_v, n_threads);
                run_heavy([&] { return new (self) Decomposition(fil, o); });
            },
            nb::arg("filtration"), nb::arg("dualize") = false, nb::kw_only(),
            nb::arg("clearing") = true, nb::arg("compute_v") = false,
            nb::arg("n_threads") = nb::none(),
            "Reduces the matrix over Z/2 (with the twist/clearing optimisation by default).")
        .def_prop_ro("dualize", &Decomposition::dualize)
        .def_prop_ro("compute_v", &Decomposition::computed_v, "Whether V was computed.")
        .def_prop_ro(
            "r_data", [](const Decomposition& d) { return all_columns(d, false); },
            "Columns of R as sorted row lists (matrix indices).")
        .def_prop_ro(
            "v_data", [](const Decomposition& d) { return all_columns(d, true); },
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
                if (fil.size() != d.size())
                    throw_invalid("index_pairs: filtration must be the one decomposed (", d.size(),
                                  " cells), got ", fil.size(), " cells");
                return pairs_to_python(pairs_from_decomposition(fil, d, keep_zero_persistence));
            },
            nb::arg("filtration"), nb::arg("keep_zero_persistence") = false,
            "(finite, essential): per-dimension int64 arrays (n, 2) of (birth, death) sorted ids "
            "and (n,) of essential birth ids.");
}
