// bindings/bind_delaunay.cpp: placeholder until the delaunay capability lands.
#include <nanobind/nanobind.h>

namespace nb = nanobind;

void init_delaunay(nb::module_& m) { (void)m; }
