# The two entry points of the README: `make demo` and `make test`. Both set up first.
VPY := .venv/bin/python
# The venv's cmake, ninja, ctest, ruff and clang-format come first.
export PATH := $(abspath .venv/bin):$(PATH)
CTEST_DIR := build/cpp-tests
SANITIZE_DIR := build/cpp-sanitize
JOBS ?= 2

# What `make lint` checks and `make format` rewrites.
PY_SRC := python tests benchmarks examples
CXX_SRC = $(shell find include bindings tests/cpp -name '*.hpp' -o -name '*.cpp' | sort)

.PHONY: setup demo test lint format test-cpp test-python test-sanitize fuzz bench bench-quick clean

# Benchmark scripts, and the folder holding the Ripser benchmark data (o3_*.txt); cases whose
# data is missing are skipped with a note.
BENCHES := bench_grid bench_rips bench_delaunay bench_distance bench_critical_sets bench_topo_opt
CALYDON_BENCH_DATA ?=

setup:
	@bash scripts/setup.sh

demo: setup
	$(VPY) examples/01_denoise_image.py

test: setup lint test-cpp test-python

lint:
	ruff check $(PY_SRC)
	ruff format --check $(PY_SRC)
	@clang-format --dry-run --Werror $(CXX_SRC) && echo "clang-format: $(words $(CXX_SRC)) files formatted"

format:
	ruff check --fix-only $(PY_SRC)
	ruff format $(PY_SRC)
	@clang-format -i $(CXX_SRC) && echo "clang-format: $(words $(CXX_SRC)) files formatted in place"

test-cpp:
	@cmake -S . -B $(CTEST_DIR) -G Ninja -DCALYDON_BUILD_PYTHON=OFF -DCALYDON_BUILD_TESTS=ON \
	  -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(CTEST_DIR) -j $(JOBS)
	cd $(CTEST_DIR) && ctest --output-on-failure

test-python:
	$(VPY) -m pytest tests/python -q -n $(JOBS)

# The fuzz suites (tests/python/test_fuzz_*.py) with the "fuzz" hypothesis profile: 10,000
# examples per test instead of the short profile of `make test`.
fuzz: setup
	HYPOTHESIS_PROFILE=fuzz $(VPY) -m pytest tests/python/test_fuzz_*.py -q -n $(JOBS)

# The C++ suite under AddressSanitizer and UndefinedBehaviorSanitizer (CALYDON_SANITIZE), at -O1
# with debug info and with assert() on.
test-sanitize: setup
	@cmake -S . -B $(SANITIZE_DIR) -G Ninja -DCALYDON_BUILD_PYTHON=OFF -DCALYDON_BUILD_TESTS=ON \
	  -DCALYDON_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" \
	  >/dev/null
	@cmake --build $(SANITIZE_DIR) -j $(JOBS)
	cd $(SANITIZE_DIR) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j $(JOBS)

bench: setup
	$(VPY) -m pip install -q -r scripts/requirements-bench.txt
	cd benchmarks && for b in $(BENCHES); do CALYDON_BENCH_DATA=$(CALYDON_BENCH_DATA) ../$(VPY) $$b.py || exit 1; done

bench-quick: setup
	cd benchmarks && for b in $(BENCHES); do ../$(VPY) $$b.py --quick || exit 1; done

clean:
	rm -rf build
