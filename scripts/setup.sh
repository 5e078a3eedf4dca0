#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian machine: system packages only when missing, a .venv with
# the pinned torch wheel, build and test dependencies, then calydon itself (incremental rebuild).
# Each phase prints one line with its estimated duration (2-core machine); the C++ build shows
# ninja's [n/N] progress, and its full log is kept in build/setup-install.log.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS=0
phase() { echo "setup [$1/4] $2"; }

want_apt=()
for pkg in g++ make libcgal-dev libgmp-dev libmpfr-dev libgtest-dev libtbb-dev; do
  dpkg -s "$pkg" >/dev/null 2>&1 || want_apt+=("$pkg")
done
if [ ${#want_apt[@]} -gt 0 ]; then
  phase 1 "system packages: installing ${want_apt[*]} (about 1-3 min)"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${want_apt[@]}" >/dev/null
else
  phase 1 "system packages: all present (0 s)"
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  phase 2 "virtual environment: creating .venv (about 5 s)"
  "$PY" -m venv .venv
else
  phase 2 "virtual environment: .venv exists (0 s)"
fi
VPY=.venv/bin/python

# Dependencies are reinstalled only when the requirement list changes.
reqs="scripts/requirements-dev.txt"
stamp=.venv/.calydon-reqs
if [ ! -f "$stamp" ] || ! cmp -s "$reqs" "$stamp"; then
  phase 3 "Python dependencies: installing $reqs, torch pinned to the local 2.13.0 wheel (about 2-5 min)"
  $VPY -m pip install -q --upgrade pip
  $VPY -m pip install -q -r "$reqs"
  cp "$reqs" "$stamp"
else
  phase 3 "Python dependencies: up to date with $reqs (0 s)"
fi

# ninja's "[n/N] Building CXX ..." lines, read from the build's output, become one progress
# line: rewritten in place on a terminal, else printed at every tenth of the build.
build_progress() {
  local line done=0 total=0 shown=-1 last=""
  local pattern='^[[:space:]]*\[([0-9]+)/([0-9]+)\] '
  while IFS= read -r line; do
    [[ $line =~ $pattern ]] || continue
    done=${BASH_REMATCH[1]}
    total=${BASH_REMATCH[2]}
    last=$(printf '  C++ build: %d/%d steps (%d s)' "$done" "$total" "$SECONDS")
    if [ -t 1 ]; then
      printf '\r%s' "$last"
    elif [ $((done * 10 / total)) -ne "$shown" ]; then
      shown=$((done * 10 / total))
      echo "$last"
      last=""
    fi
  done
  # The final step count: after the in-place line on a terminal, or when it was not printed yet.
  if [ -t 1 ] && [ "$total" -gt 0 ]; then
    printf '\n'
  elif [ -n "$last" ]; then
    echo "$last"
  fi
}

# Runs a build command with its output in the log and its progress on screen; on failure, shows
# the end of the log and exits with the command's status.
run_build() {
  local log=build/setup-install.log status
  mkdir -p build
  set +e
  "$@" 2>&1 | tee "$log" | build_progress
  status=${PIPESTATUS[0]}
  set -e
  if [ "$status" -ne 0 ]; then
    echo "setup: the build failed (exit $status); the last lines of $log:"
    tail -n 40 "$log"
    exit "$status"
  fi
}

# An editable install of this checkout (README, "Developing") is kept: importing it rebuilds it.
# Otherwise a regular install; the build directory persists, so only what changed is recompiled.
if $VPY -m pip show calydon 2>/dev/null | grep -qxF "Editable project location: $PWD"; then
  phase 4 "calydon: editable install of this checkout, rebuilt through an import (seconds when little changed, about 3-6 min from scratch)"
  $VPY -c "import calydon" >/dev/null
else
  phase 4 "calydon: building the C++ extension and installing it (seconds when little changed, about 3-6 min from scratch)"
  run_build $VPY -m pip install -v --no-build-isolation --no-deps .
fi
echo "setup: done in ${SECONDS} s"
