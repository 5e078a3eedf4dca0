// bindings/bind_optimize.cpp: the critical-set engine (TopologyOptimizer).
#include <optional>
#include <string>

#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>

#include "calydon/optimize/topology_optimizer.hpp"
#include "common.hpp"

namespace nb = nanobind;
using namespace calydon;
using namespace calydon::py;

namespace {

using index_array = nb::ndarray<const index_t, nb::ndim<1>, nb::c_contig, nb::device::cpu>;
using value_array = nb::ndarray<const double, nb::ndim<1>, nb::c_contig, nb::device::cpu>;

ConflictStrategy parse_strategy(const std::string& s) {
    if (s == "max") return ConflictStrategy::max;
    if (s == "avg") return ConflictStrategy::avg;
    if (s == "sum") return ConflictStrategy::sum;
    if (s == "fca") return ConflictStrategy::fix_crit_avg;
    throw_invalid("strategy must be 'max', 'avg', 'sum' or 'fca', got '", s, "'");
}

Move parse_move(const std::string& s) {
    if (s == "decrease_death") return Move::decrease_death;
    if (s == "increase_death") return Move::increase_death;
    if (s == "increase_birth") return Move::increase_birth;
    if (s == "decrease_birth") return Move::decrease_birth;
    throw_invalid(
        "move must be one of decrease_death, increase_death, increase_birth, decrease_birth, got '",
        s, "'");
}

/// Cells and targets from Python, checked: same length, cells in range, targets not NaN.
std::pair<std::span<const index_t>, std::span<const value_t>>
requests(const TopologyOptimizer& opt, const index_array& cells, const value_array& targets) {
    if (cells.shape(0) != targets.shape(0))
        throw_invalid("indices and values must have the same length, got ", cells.shape(0), " and ",
                      targets.shape(0));
    const index_t n = opt.filtration().size();
    for (std::size_t i = 0; i < cells.shape(0); ++i) {
        if (cells.data()[i] < 0 || cells.data()[i] >= n)
            throw_invalid("indices must be sorted ids in [0, ", n, "), got ", cells.data()[i],
                          " at position ", i);
        if (std::isnan(targets.data()[i]))
            throw_invalid("values must not be NaN, got NaN at position ", i);
    }
    return {{cells.data(), cells.shape(0)}, {targets.data(), targets.shape(0)}};
}

nb::tuple cell_targets_to_python(CellTargets&& ct) {
    return nb::make_tuple(to_numpy(std::move(ct.cells)), to_numpy(std::move(ct.targets)));
}

}  // namespace

void init_optimize(nb::module_& m) {
    nb::class_<TopologyOptimizer>(m, "TopologyOptimizer", R"doc(
Critical sets of a filtration (Nigmetov & Morozov). Builds lazily, at most once each: the pairing,
the homology side (death moves) and the cohomology side (birth moves), V in canonical form.)doc")
        .def(
            "__init__",
            [](TopologyOptimizer* self, const Filtration& fil, std::optional<int> n_threads) {
                PersistenceOptions base;
                base.n_threads = n_threads.value_or(1);
                new (self) TopologyOptimizer(fil, base);
            },
            nb::arg("filtration"), nb::arg("n_threads") = nb::none(), nb::keep_alive<1, 2>())
        .def(
            "pairing",
            [](TopologyOptimizer& opt) {
                return pairs_to_python(IndexPairs(run_heavy([&] { return opt.pairing(); })));
            },
            "(finite, essential) sorted-id pairs per dimension, zero persistence included.")
        .def(
            "critical_set",
            [](TopologyOptimizer& opt, index_t cell, double target, const std::string& move,
               const std::string& api) {
                return with_api(api, [&] {
                    const index_t n = opt.filtration().size();
                    if (cell < 0 || cell >= n)
                        throw_invalid("index must be a sorted id in [0, ", n, "), got ", cell);
                    if (std::isnan(target)) throw_invalid("value must not be NaN");
                    auto set = run_heavy([&] {
                        return move.empty() ? opt.critical_set_of(cell, target)
                                            : opt.critical_set_for(parse_move(move), cell, target);
                    });
                    return to_numpy(std::move(set));
                });
            },
            nb::arg("index"), nb::arg("value"), nb::arg("move") = "",
            nb::arg("api") = "critical_set",
            "Sorted ids of the critical set of one (cell, target) request; move forces the move.")
        .def(
            "singletons",
            [](TopologyOptimizer& opt, const index_array& cells, const value_array& targets,
               const std::string& api) {
                return with_api(api, [&] {
                    auto [c, t] = requests(opt, cells, targets);
                    CriticalSets sets = run_heavy([&] { return opt.singletons(c, t); });
                    return nb::make_tuple(to_numpy(std::move(sets.offsets)),
                                          to_numpy(std::move(sets.cells)),
                                          to_numpy(std::move(sets.targets)));
                });
            },
            nb::arg("indices"), nb::arg("values"), nb::arg("api") = "singletons",
            "Critical sets as CSR: (offsets (k+1,), cells (m,), targets (k,)).")
        .def(
            "combine",
            [](TopologyOptimizer& opt, const index_array& offsets, const index_array& cells,
               const value_array& targets, const std::string& strategy, const std::string& api) {
                return with_api(api, [&] {
                    CriticalSets sets;
                    sets.offsets.assign(offsets.data(), offsets.data() + offsets.shape(0));
                    sets.cells.assign(cells.data(), cells.data() + cells.shape(0));
                    sets.targets.assign(targets.data(), targets.data() + targets.shape(0));
                    const ConflictStrategy s = parse_strategy(strategy);
                    return cell_targets_to_python(
                        combine_critical_sets(sets, s, opt.filtration().values()));
                });
            },
            nb::arg("offsets"), nb::arg("cells"), nb::arg("targets"), nb::arg("strategy"),
            nb::arg("api") = "combine_loss")
        .def(
            "crit_sets_apply",
            [](TopologyOptimizer& opt, const index_array& cells, const value_array& targets,
               const std::string& strategy, const std::string& api) {
                return with_api(api, [&] {
                    auto [c, t] = requests(opt, cells, targets);
                    const ConflictStrategy s = parse_strategy(strategy);
                    return cell_targets_to_python(
                        run_heavy([&] { return opt.crit_sets_apply(c, t, s); }));
                });
            },
            nb::arg("indices"), nb::arg("values"), nb::arg("strategy"),
            nb::arg("api") = "crit_sets_apply",
            "Critical sets of the moving requests, combined: (cells int64 (k,), targets float64 "
            "(k,)), sorted by cell.");
}
