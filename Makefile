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

.PHONY: setup demo docs docs-check test lint format test-cpp test-python test-sanitize sanitize-python fuzz bench bench-quick clean

# Benchmark scripts, and the folder holding the Ripser benchmark data (o3_*.txt); cases whose
# data is missing are skipped with a note.
BENCHES := bench_grid bench_rips bench_delaunay bench_distance bench_critical_sets bench_topo_opt bench_batch
CALYDON_BENCH_DATA ?=

setup:
	@bash scripts/setup.sh

demo: setup
	$(VPY) examples/01_denoise_image.py

test: setup lint docs-check test-cpp test-python

# The documentation site (mkdocs.yml: docs/ and the docstrings) in site/. --strict turns every
# warning (a broken link or anchor, a docstring mkdocstrings cannot read) into a failure.
# mkdocstrings reads python/calydon and imports the compiled calydon._core from the same folder,
# but a regular or editable install keeps the extension elsewhere: the site is built from
# $(DOCS_SRC), links to every file of python/calydon plus the _core that Python imports.
DOCS_SRC := build/docs-src
MKDOCS := NO_MKDOCS_2_WARNING=1 CALYDON_DOCS_SRC=$(DOCS_SRC) $(VPY) -m mkdocs build --strict --site-dir site
define stage_docs_src
	@rm -rf $(DOCS_SRC) && mkdir -p $(DOCS_SRC)/calydon
	@ln -s $(abspath python/calydon)/* $(DOCS_SRC)/calydon/
	@ln -sf "$$($(VPY) -c 'import calydon._core as c; print(c.__file__)')" $(DOCS_SRC)/calydon/
endef

docs: setup
	$(stage_docs_src)
	$(MKDOCS)

# What `make test` checks of the documentation: NumPy-style docstrings with Parameters/Returns
# on the whole public API (mkdocstrings does not fail on a missing one), then the strict build.
# The tutorials' code runs in test-python (tests/python/test_docs_tutorials.py).
docs-check: setup
	$(VPY) -m pytest tests/python/test_docs_docstrings.py tests/python/test_docs_checker.py -q -p no:cacheprovider
	$(stage_docs_src)
	$(MKDOCS)

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
	@$(MAKE) --no-print-directory sanitize-python

# The extension itself under ASan/UBSan, loaded into the ordinary interpreter with the ASan
# runtime preloaded (leak detection off: the interpreter does not free everything at exit), and
# every builder run once (scripts/sanitize_smoke.py) from a staged copy of the package.
PY_SANITIZE_DIR := build/py-sanitize
sanitize-python:
	@cmake -S . -B $(PY_SANITIZE_DIR) -G Ninja -DCALYDON_BUILD_PYTHON=ON -DCALYDON_BUILD_TESTS=OFF \
	  -DCALYDON_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" \
	  -DPython_EXECUTABLE=$(abspath $(VPY)) -Dnanobind_DIR=$$($(VPY) -m nanobind --cmake_dir) >/dev/null
	@cmake --build $(PY_SANITIZE_DIR) -j $(JOBS)
	@rm -rf $(PY_SANITIZE_DIR)/stage && mkdir -p $(PY_SANITIZE_DIR)/stage
	@cp -r python/calydon $(PY_SANITIZE_DIR)/stage/ && find $(PY_SANITIZE_DIR)/stage -name '*.so' -delete
	@cp $(PY_SANITIZE_DIR)/_core*.so $(PY_SANITIZE_DIR)/stage/calydon/
	LD_PRELOAD=$$($(CXX) -print-file-name=libasan.so) ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 PYTHONPATH=$(PY_SANITIZE_DIR)/stage \
	  $(VPY) scripts/sanitize_smoke.py

bench: setup
	$(VPY) -m pip install -q -r scripts/requirements-bench.txt
	# Betti-Matching-3D (bench_batch) ships in topolosses, whose requirements pull torchvision
	# and OpenCV (and an unpinned torch): its compiled module is all the benchmark loads.
	$(VPY) -m pip install -q --no-deps topolosses
	cd benchmarks && for b in $(BENCHES); do CALYDON_BENCH_DATA=$(CALYDON_BENCH_DATA) ../$(VPY) $$b.py || exit 1; done

bench-quick: setup
	cd benchmarks && for b in $(BENCHES); do ../$(VPY) $$b.py --quick || exit 1; done

clean:
	rm -rf build site
