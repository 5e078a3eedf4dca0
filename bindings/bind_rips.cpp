// bindings/bind_rips.cpp: Vietoris-Rips complexes, explicit and implicit (cohomology).
//
// One plan call validates the input once (a distance matrix is O(n^2) to check), estimates the
// size and fixes the threshold; the compute calls then trust the validated input. C++ returns
// combinatorics only: critical edges, never a gradient.
#include <cmath>
#include <limits>
#include <optional>

#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include "calydon/rips/cohomology.hpp"
#include "calydon/rips/explicit_filtration.hpp"
#include "calydon/rips/size_estimate.hpp"
#include "requests.hpp"

namespace nb = nanobind;
using namespace calydon;
using namespace calydon::py;

namespace {

/// The input seen from C++: points (n, d) or a validated, exactly symmetric matrix (n, n).
struct RipsInput {
    const value_t* data;
    index_t n;
    index_t d;
    bool from_pwdists;

    RipsInput(const double_array& a, bool pwdists)
        : data(a.data()), n(static_cast<index_t>(a.shape(0))),
          d(static_cast<index_t>(a.ndim() == 2 ? a.shape(1) : 0)), from_pwdists(pwdists) {
        if (a.ndim() != 2) throw_invalid("data must have 2 dimensions, got ", a.ndim());
    }
    PointCloud points() const { return {data, n, d}; }
    value_t length(index_t u, index_t v) const {
        return from_pwdists ? data[u * n + v] : PointCloud{data, n, d}.distance(u, v);
    }
};

SparseDistances sparse_distances(const RipsInput& in, value_t threshold, int n_threads = 1) {
    return SparseDistances(
        in.n, threshold, [&](index_t u, index_t v) { return in.length(u, v); }, n_threads);
}

/// The pairs in the one layout: each pair's birth and death critical edges are rows of an edge
/// table (k, 2) with their diameters (k,); finite[d] (n, 2) and essential[d] (m,) index that
/// table. The birth and death simplices' combinatorial indices come alongside, in the same
/// layout, so sorted ids can be looked up in the explicit filtration on demand.
template <class Distances>
RipsRows pairs_as_edge_rows(const std::vector<std::vector<RipsPair>>& pairs, const Distances& dist,
                            const BinomialTable& binom) {
    RipsRows out;
    std::vector<index_t> vertices;
    auto add_edge = [&](const DiamIndex& simplex, dim_t dim) {
        simplex_vertices(simplex.index, dim, binom, vertices);
        const auto e = critical_edge_of(vertices, dist);
        out.edges.insert(out.edges.end(), {e[0], e[1]});
        out.diameters.push_back(simplex.diameter);
        return static_cast<index_t>(out.diameters.size()) - 1;
    };
    for (std::size_t k = 0; k < pairs.size(); ++k) {
        const dim_t dim = static_cast<dim_t>(k);
        for (IndexPairs* p : {&out.rows, &out.simplices}) {
            p->finite.emplace_back();
            p->essential.emplace_back();
        }
        for (const RipsPair& p : pairs[k]) {
            const index_t birth = add_edge(p.birth, dim);
            if (p.death.index == no_index) {
                out.rows.essential.back().push_back(birth);
                out.simplices.essential.back().push_back(p.birth.index);
            } else {
                out.rows.finite.back().push_back({birth, add_edge(p.death, dim + 1)});
                out.simplices.finite.back().push_back({p.birth.index, p.death.index});
            }
        }
    }
    return out;
}

template <class Distances>
RipsRows implicit_pairs(const Distances& dist, dim_t max_dim, value_t threshold, int n_threads) {
    RipsCohomology<Distances> reducer(dist, max_dim, threshold, false, n_threads);
    return pairs_as_edge_rows(reducer.compute(), dist, reducer.binomials());
}

nb::tuple rips_plan(const double_array& data, bool from_pwdists, int max_dim,
                    std::optional<double> max_diameter, const nb::callable& check_size,
                    index_t sample) {
    RipsInput in(data, from_pwdists);
    nb::object symmetrized = nb::none();
    if (from_pwdists && !validate_distance_matrix(in.data, in.n, in.d)) {
        auto copy =
            to_numpy(symmetrized_lower(in.data, in.n), {std::size_t(in.n), std::size_t(in.n)});
        in.data = copy.data();
        symmetrized = nb::cast(copy);
    }
    // The estimate comes before the exact enclosing radius (O(n^2) lengths), so an impossible
    // request is refused by check_size within seconds.
    const value_t requested = max_diameter.value_or(value_inf);
    auto est = run_heavy([&] {
        return estimate_rips_size(in.n, max_dim, requested, sample,
                                  [&](index_t u, index_t v) { return in.length(u, v); });
    });
    check_size(est.simplices);
    const value_t threshold = max_diameter ? *max_diameter : run_heavy([&] {
        return enclosing_radius(in.n, [&](index_t u, index_t v) { return in.length(u, v); });
    });
    return nb::make_tuple(threshold, est.simplices, symmetrized);
}

}  // namespace

RipsRequest calydon::py::parse_rips_request(const nb::tuple& t) {
    RipsRequest r{nb::cast<double_array>(t[1]), nb::cast<bool>(t[2]), nb::cast<int>(t[3]),
                  nb::cast<double>(t[4]), nb::cast<bool>(t[5])};
    if (r.data.ndim() != 2) throw_invalid("data must have 2 dimensions, got ", r.data.ndim());
    if (r.max_dim < 0) throw_invalid("max_dim must be >= 0, got ", r.max_dim);
    return r;
}

RipsRows calydon::py::compute_rips(const RipsRequest& r) {
    RipsInput in(r.data, r.from_pwdists);
    if (r.sparse)
        return implicit_pairs(sparse_distances(in, r.threshold, r.n_threads), r.max_dim,
                              r.threshold, r.n_threads);
    if (r.from_pwdists)
        return implicit_pairs(DenseDistances(in.data, in.n), r.max_dim, r.threshold, r.n_threads);
    return implicit_pairs(DenseDistances(in.points()), r.max_dim, r.threshold, r.n_threads);
}

nb::object calydon::py::rips_result_to_python(RipsRows&& p) {
    const std::size_t k = p.diameters.size();
    return nb::make_tuple(to_numpy(std::move(p.edges), {k, 2}), to_numpy(std::move(p.diameters)),
                          pairs_to_python(std::move(p.rows)),
                          pairs_to_python(std::move(p.simplices)));
}

void init_rips(nb::module_& m) {
    m.def(
        "rips_plan",
        [](double_array data, bool from_pwdists, int max_dim, std::optional<double> max_diameter,
           nb::callable check_size, index_t sample, const std::string& api) {
            return with_api(api, [&] {
                return rips_plan(data, from_pwdists, max_dim, max_diameter, check_size, sample);
            });
        },
        nb::arg("data"), nb::arg("from_pwdists"), nb::arg("max_dim"),
        nb::arg("max_diameter").none(), nb::arg("check_size"), nb::arg("sample") = 256,
        nb::arg("api") = "rips_plan",
        R"doc(Validates a Rips request once and fixes its threshold.

data: float64 (n, d) points, or with from_pwdists an (n, n) distance matrix: finite, non-negative,
symmetric with a zero diagonal within 1e-5 of its largest entry. check_size(counts) is called with
the estimated simplex counts per dimension 0..max_dim (floats, upper bounds for k >= 2) before the
exact enclosing radius is computed, and may raise. Returns (threshold, counts, symmetrized):
threshold is max_diameter or the enclosing radius min_u max_v d(u, v); symmetrized is None, or the
matrix read from its lower triangle when it was symmetric only within the tolerance (use it for
the compute calls).)doc");
    nb::class_<RipsSkeleton>(m, "RipsSkeleton",
                             "The combinatorics of a Rips complex (simplices and boundaries), "
                             "reusable while the edge set stays the same.")
        .def_prop_ro("nbytes", &RipsSkeleton::bytes, "Bytes held.");
    m.def(
        "rips_filtration",
        [](double_array data, bool from_pwdists, int max_dim, double threshold, index_t max_cells,
           const std::string& api, const RipsSkeleton* reuse) {
            return with_api(api, [&] {
                RipsInput in(data, from_pwdists);
                std::optional<RipsSkeleton> fresh;
                RipsFiltration built = run_heavy([&] {
                    const SparseDistances nbrs = sparse_distances(in, threshold);
                    if (reuse == nullptr || !reuse->fits(nbrs, max_dim))
                        fresh.emplace(rips_skeleton(nbrs, max_dim, max_cells));
                    return rips_filtration(fresh ? *fresh : *reuse, nbrs);
                });
                const std::size_t cells = built.simplex_indices.size();
                nb::object skeleton =
                    fresh ? nb::cast(std::move(*fresh)) : nb::cast(reuse, nb::rv_policy::reference);
                return nb::make_tuple(std::move(built.filtration),
                                      to_numpy(std::move(built.critical_edges), {cells, 2}),
                                      to_numpy(std::move(built.simplex_indices)), skeleton);
            });
        },
        nb::arg("data"), nb::arg("from_pwdists"), nb::arg("max_dim"), nb::arg("threshold"),
        nb::arg("max_cells") = std::numeric_limits<index_t>::max(),
        nb::arg("api") = "rips_filtration", nb::arg("reuse") = nb::none(),
        R"doc(Explicit Vietoris-Rips filtration (kind "vr") of every simplex up to max_dim whose diameter
is <= threshold, from input validated by rips_plan.

Returns (Filtration, critical_edges, simplex_indices, skeleton): critical_edges is int64
(n_cells, 2), the pair of vertices (u <= v) whose length is each sorted cell's value ((v, v) for
vertex v); simplex_indices the combinatorial index of each sorted cell; skeleton the complex's
combinatorics. Passing that skeleton back as `reuse` skips their enumeration when the points and
the edges within the threshold are the same (it is rebuilt otherwise).)doc");
    m.def(
        "rips_persistence_pairs",
        [](double_array data, bool from_pwdists, int max_dim, double threshold, bool sparse,
           std::optional<int> n_threads, const std::string& api) {
            return with_api(api, [&] {
                RipsRequest r = parse_rips_request(
                    nb::make_tuple("rips", data, from_pwdists, max_dim, threshold, sparse));
                r.n_threads = std::max(1, n_threads.value_or(1));
                return rips_result_to_python(run_heavy([&] { return compute_rips(r); }));
            });
        },
        nb::arg("data"), nb::arg("from_pwdists"), nb::arg("max_dim"), nb::arg("threshold"),
        nb::arg("sparse") = false, nb::arg("n_threads") = nb::none(),
        nb::arg("api") = "rips_persistence_pairs",
        R"doc(Vietoris-Rips persistence by implicit cohomology, without building the complex, from input
validated by rips_plan.

Returns (edges, diameters, (finite, essential), (finite_simplices, essential_simplices)): edges is
an int64 (k, 2) table of critical edges (u, v) and diameters their float64 lengths (k,); finite[d]
(n_d, 2) and essential[d] (m_d,) are int64 rows of that table for the birth and death edges of each
pair, for homology dimensions d = 0..max(max_dim - 1, 0); the *_simplices arrays give the
combinatorial indices of the birth and death simplices in the same layout. Zero-persistence pairs
are dropped. sparse=True stores only the pairs within threshold. n_threads threads of the shared
pool run the apparent pairs, the column assembly and the reduction in dimensions >= 1; the
output is the same, pair for pair and in the same order, for any n_threads.)doc");
}
