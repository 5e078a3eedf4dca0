#!/usr/bin/env bash
# Compiles C++ files with -fsyntax-only (and the warnings of the real build), with the include
# paths of the extension (nanobind, Python, CGAL), so a binding can be checked in seconds without
# building the extension: scripts/check-syntax.sh bindings/bind_grid.cpp
set -euo pipefail
cd "$(dirname "$0")/.."
NB=$(.venv/bin/python -m nanobind --include_dir)
PYINC=$(.venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["include"])')
for f in "$@"; do
  g++ -std=c++20 -fsyntax-only -Wall -Wextra -DCALYDON_HAVE_CGAL=1 -Iinclude -Ibindings -I"$NB" \
    -I"$PYINC" "$f"
done
