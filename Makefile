# The two entry points of the README: `make demo` and `make test`. Both set up first.
VPY := .venv/bin/python
# The venv's cmake, ninja and ctest come first.
export PATH := $(abspath .venv/bin):$(PATH)
CTEST_DIR := build/cpp-tests
JOBS ?= 2

.PHONY: setup demo test test-cpp test-python bench dev-build clean

setup:
	@bash scripts/setup.sh

demo: setup
	$(VPY) examples/01_denoise_image.py

test: setup test-cpp test-python

test-cpp:
	@cmake -S . -B $(CTEST_DIR) -G Ninja -DCALYDON_BUILD_PYTHON=OFF -DCALYDON_BUILD_TESTS=ON \
	  -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(CTEST_DIR) -j $(JOBS)
	cd $(CTEST_DIR) && ctest --output-on-failure

test-python:
	$(VPY) -m pytest tests/python -q -n $(JOBS)

bench: setup
	$(VPY) -m pip install -q -r scripts/requirements-bench.txt
	cd benchmarks && for b in bench_grid bench_rips bench_delaunay bench_distance; do ../$(VPY) $$b.py || exit 1; done

# Developer build into build/dev/py (no reinstall); use with scripts/dev-env.
dev-build:
	@cmake -S . -B build/dev -G Ninja -DCMAKE_BUILD_TYPE=Release \
	  -Dnanobind_DIR=$$($(VPY) -m nanobind --cmake_dir) -DPython_EXECUTABLE=$(abspath $(VPY)) >/dev/null
	@cmake --build build/dev -j $(JOBS)

clean:
	rm -rf build
