// bindings/bind_rips.cpp: Vietoris-Rips complexes, explicit and implicit (cohomology).
//
// C++ returns combinatorics only: sorted cells with their critical edges, or persistence pairs
// as critical edges. Lengths used by calydon.diff are recomputed in torch from the input.
#include <cmath>
#include <limits>

#include <nanobind/stl/vector.h>

#include "calydon/rips/cohomology.hpp"
#include "calydon/rips/explicit_filtration.hpp"
#include "calydon/rips/size_estimate.hpp"
#include "common.hpp"

namespace nb = nanobind;
using namespace calydon;
using namespace calydon::py;

namespace {

/// The input seen from C++: points (n, d) or a validated square distance matrix (n, n).
struct RipsInput {
    const value_t* data;
    index_t n;
    index_t d;
    bool from_pwdists;

    RipsInput(const double_array& a, bool pwdists) : data(a.data()), from_pwdists(pwdists) {
        if (a.ndim() != 2)
            throw_invalid("vr_filtration: data must have 2 dimensions, got ", a.ndim());
        n = static_cast<index_t>(a.shape(0));
        d = static_cast<index_t>(a.shape(1));
        if (pwdists) validate_distance_matrix(data, n, d, "vr_filtration");
    }
    PointCloud points() const { return {data, n, d}; }
    value_t length(index_t u, index_t v) const {
        return from_pwdists ? data[u * n + v] : PointCloud{data, n, d}.distance(u, v);
    }
};

void check_threshold(value_t threshold) {
    if (std::isnan(threshold) || threshold < 0)
        throw_invalid("vr_filtration: max_diameter must be >= 0, got ", threshold);
}

SparseDistances sparse_distances(const RipsInput& in, value_t threshold) {
    if (in.from_pwdists) return SparseDistances(in.n, threshold, [&](index_t u, index_t v) { return in.data[u * in.n + v]; });
    PointCloud pts = in.points();
    return SparseDistances(in.n, threshold, [&](index_t u, index_t v) { return pts.distance(u, v); });
}

/// Pairs of one homology dimension as critical edges (m, 4): birth (u, v), death (u, v) with
/// (-1, -1) for essential classes; and their values (m, 2), death +inf when essential.
template <class Distances>
nb::tuple pairs_as_edges(const std::vector<RipsPair>& pairs, dim_t dim, const Distances& dist,
                         const BinomialTable& binom) {
    std::vector<index_t> edges, simplices;
    std::vector<value_t> values;
    edges.reserve(4 * pairs.size());
    values.reserve(2 * pairs.size());
    std::vector<index_t> vertices;
    for (const RipsPair& p : pairs) {
        simplex_vertices(p.birth.index, dim, binom, vertices);
        auto b = critical_edge_of(vertices, dist);
        std::array<index_t, 2> d{-1, -1};
        if (p.death.index != no_index) {
            simplex_vertices(p.death.index, dim + 1, binom, vertices);
            d = critical_edge_of(vertices, dist);
        }
        edges.insert(edges.end(), {b[0], b[1], d[0], d[1]});
        values.push_back(p.birth.diameter);
        values.push_back(p.death.index == no_index ? value_inf : p.death.diameter);
        simplices.push_back(p.birth.index);
        simplices.push_back(p.death.index);
    }
    const std::size_t m = pairs.size();
    return nb::make_tuple(to_numpy(std::move(edges), {m, 4}), to_numpy(std::move(values), {m, 2}),
                          to_numpy(std::move(simplices), {m, 2}));
}

template <class Distances>
nb::list implicit_pairs(const Distances& dist, dim_t max_dim, value_t threshold) {
    RipsCohomology<Distances> reducer(dist, max_dim, threshold);
    auto pairs = run_heavy([&] { return reducer.compute(); });
    nb::list out;
    for (std::size_t k = 0; k < pairs.size(); ++k)
        out.append(pairs_as_edges(pairs[k], static_cast<dim_t>(k), dist, reducer.binomials()));
    return out;
}

}  // namespace

void init_rips(nb::module_& m) {
    m.def(
        "rips_enclosing_radius",
        [](double_array data, bool from_pwdists) {
            RipsInput in(data, from_pwdists);
            return run_heavy([&] { return enclosing_radius(in.n, [&](index_t u, index_t v) { return in.length(u, v); }); });
        },
        nb::arg("data"), nb::arg("from_pwdists") = false,
        "min over u of max over v of d(u, v): above it the Rips complex is a cone.");
    m.def(
        "rips_size_estimate",
        [](double_array data, bool from_pwdists, int max_dim, double max_diameter, index_t sample) {
            RipsInput in(data, from_pwdists);
            if (!std::isinf(max_diameter)) check_threshold(max_diameter);
            auto est = run_heavy([&] {
                return estimate_rips_size(in.n, max_dim, max_diameter, sample,
                                          [&](index_t u, index_t v) { return in.length(u, v); });
            });
            return nb::make_tuple(est.threshold, est.simplices);
        },
        nb::arg("data"), nb::arg("from_pwdists"), nb::arg("max_dim"), nb::arg("max_diameter"), nb::arg("sample") = 256,
        R"doc(Estimated simplex counts per dimension 0..max_dim, from the degrees of a vertex sample.

max_diameter=inf stands for the enclosing radius, bounded from above on the sample. Returns
(threshold_used, [count_0, ..., count_max_dim]) with float counts (upper bounds for k >= 2).)doc");
    m.def(
        "rips_filtration",
        [](double_array data, bool from_pwdists, int max_dim, double max_diameter, index_t max_cells) {
            RipsInput in(data, from_pwdists);
            check_threshold(max_diameter);
            if (max_dim < 0) throw_invalid("vr_filtration: max_dim must be >= 0, got ", max_dim);
            RipsFiltration built = run_heavy([&] {
                SparseDistances nbrs = sparse_distances(in, max_diameter);
                return rips_filtration(nbrs, max_dim, max_cells);
            });
            const std::size_t cells = built.simplex_indices.size();
            return nb::make_tuple(std::move(built.filtration), to_numpy(std::move(built.critical_edges), {cells, 2}),
                                  to_numpy(std::move(built.simplex_indices)));
        },
        nb::arg("data"), nb::arg("from_pwdists"), nb::arg("max_dim"), nb::arg("max_diameter"),
        nb::arg("max_cells") = std::numeric_limits<index_t>::max(),
        R"doc(Explicit Vietoris-Rips filtration (kind "vr") of every simplex up to max_dim whose diameter
is <= max_diameter.

Returns (Filtration, critical_edges, simplex_indices): critical_edges is int64 (n_cells, 2), the
pair of vertices (u <= v) whose length is each sorted cell's value ((v, v) for vertex v);
simplex_indices the combinatorial index of each sorted cell.)doc");
    m.def(
        "rips_persistence_pairs",
        [](double_array data, bool from_pwdists, int max_dim, double max_diameter, bool sparse) {
            RipsInput in(data, from_pwdists);
            check_threshold(max_diameter);
            if (max_dim < 0) throw_invalid("vr_filtration: max_dim must be >= 0, got ", max_dim);
            if (sparse) {
                SparseDistances dist = run_heavy([&] { return sparse_distances(in, max_diameter); });
                return implicit_pairs(dist, max_dim, max_diameter);
            }
            if (from_pwdists) return implicit_pairs(DenseDistances(in.data, in.n), max_dim, max_diameter);
            DenseDistances dist = run_heavy([&] { return DenseDistances(in.points()); });
            return implicit_pairs(dist, max_dim, max_diameter);
        },
        nb::arg("data"), nb::arg("from_pwdists"), nb::arg("max_dim"), nb::arg("max_diameter"),
        nb::arg("sparse") = false,
        R"doc(Vietoris-Rips persistence by implicit cohomology, without building the complex.

Returns a list over homology dimensions 0..max(max_dim - 1, 0) of (edges, values, simplices):
edges is int64 (m, 4) = birth critical edge (u, v), death critical edge (u, v) or (-1, -1) for an
essential class; values float64 (m, 2) of (birth, death), death +inf when essential; simplices
int64 (m, 2), the combinatorial indices of the birth and death simplices (-1: none). Zero-persistence
pairs are dropped. sparse=True stores only the pairs within max_diameter.)doc");
}
