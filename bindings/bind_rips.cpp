// bindings/bind_rips.cpp: placeholder until the rips capability lands.
#include <nanobind/nanobind.h>

namespace nb = nanobind;

void init_rips(nb::module_& m) { (void)m; }
