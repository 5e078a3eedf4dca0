// bindings/module.cpp: the calydon._core extension; one init_<concept> per bind_<concept>.cpp.
#include <nanobind/nanobind.h>

#include <Python.h>

#include "calydon/core/interrupt.hpp"

namespace nb = nanobind;

void init_filtration(nb::module_& m);
void init_grid(nb::module_& m);
void init_persistence(nb::module_& m);
void init_optimize(nb::module_& m);
void init_distance(nb::module_& m);
void init_rips(nb::module_& m);
void init_delaunay(nb::module_& m);

NB_MODULE(_core, m) {
    m.doc() = "calydon._core: the C++ engine (private; use the calydon package).";
    // Objects still referenced at interpreter exit (a filtration captured by a torch autograd
    // graph held in a global, say) are destroyed in no guaranteed order; nanobind would report
    // them as leaks although nothing leaks during the program's life.
    nb::set_leak_warnings(false);
    nb::register_exception_translator([](const std::exception_ptr& p, void*) {
        try {
            std::rethrow_exception(p);
        } catch (const calydon::interrupted&) {
            PyErr_SetNone(PyExc_KeyboardInterrupt);
        }
    });
    init_filtration(m);
    init_grid(m);
    init_persistence(m);
    init_optimize(m);
    init_distance(m);
    init_rips(m);
    init_delaunay(m);
}
