// bindings/requests.hpp: persistence requests, the unit of work of single and batched calls.
//
// A request is parsed from Python with the GIL held (it keeps its arrays alive), computed
// without the GIL, possibly on a pool thread next to other requests, and its result converted
// back to Python with the GIL again. Each builder's binding implements its own three steps; the
// batch call in bind_persistence.cpp only dispatches, so a single call and a batch item run the
// same code.
#pragma once

#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "calydon/delaunay/supports.hpp"
#include "calydon/filtration/filtration.hpp"
#include "calydon/grid/explicit.hpp"
#include "calydon/grid/pairs.hpp"
#include "calydon/persistence/options.hpp"
#include "common.hpp"

namespace calydon::py {

/// Pairs of an explicit filtration: ("general", fil, dualize, fast_paths, keep_zero_persistence).
struct GeneralRequest {
    const Filtration* fil;
    PersistenceOptions opts;
};

/// Implicit grid pairs: ("grid", data, complex_kind, negate, max_dim, values_on, wrap, n_dims);
/// max_dim is the top cell dimension, n_dims the number of diagram dimensions wanted.
struct GridRequest {
    double_array data;
    std::vector<index_t> shape;
    GridSpec spec;
    bool negate;
    int max_dim;
    int n_dims;
    int n_threads = 1;
};

/// Implicit Rips cohomology: ("rips", data, from_pwdists, max_dim, threshold, sparse).
struct RipsRequest {
    double_array data;
    bool from_pwdists;
    int max_dim;
    double threshold;
    bool sparse;
    int n_threads = 1;
};

/// Rips pairs as rows of a critical-edge table (see rips_persistence_pairs).
struct RipsRows {
    std::vector<index_t> edges;  // (k, 2) row-major
    std::vector<value_t> diameters;
    IndexPairs rows, simplices;
};

/// Supports a Delaunay build deferred: ("delaunay_supports", fil, plan). Not pairs: a side task
/// of the filtration's own pairs request, on one thread outside the thread split.
struct SupportsRequest {
    const Filtration* fil;
    std::shared_ptr<const SupportPlan> plan;
    int n_threads = 1;
};

using Request = std::variant<GeneralRequest, GridRequest, RipsRequest, SupportsRequest>;
using Result = std::variant<IndexPairs, GridPairs, RipsRows, DelaunaySupports>;

// Implemented next to each builder's bindings.
GridRequest parse_grid_request(const nb::tuple& t);
GridPairs compute_grid(const GridRequest& r);
nb::object grid_result_to_python(GridPairs&& p);
RipsRequest parse_rips_request(const nb::tuple& t);
RipsRows compute_rips(const RipsRequest& r);
nb::object rips_result_to_python(RipsRows&& p);
SupportsRequest parse_supports_request(const nb::tuple& t);
nb::object supports_to_python(DelaunaySupports&& s);

}  // namespace calydon::py
