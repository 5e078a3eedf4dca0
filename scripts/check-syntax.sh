#!/usr/bin/env bash
# Compiles C++ files with -fsyntax-only, with the include paths of the extension (nanobind,
# Python, CGAL), so a binding can be checked before it joins the shared build.
set -euo pipefail
cd "$(dirname "$0")/.."
NB=$(.venv/bin/python -m nanobind --include_dir)
PYINC=$(.venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["include"])')
for f in "$@"; do
  g++ -std=c++20 -fsyntax-only -DCALYDON_HAVE_CGAL=1 -Iinclude -Ibindings -I"$NB" -I"$PYINC" "$f"
done
