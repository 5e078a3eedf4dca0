// bindings/bind_distance.cpp: placeholder until the distance capability lands.
#include <nanobind/nanobind.h>

namespace nb = nanobind;

void init_distance(nb::module_& m) { (void)m; }
