#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian machine: system packages only when missing, a .venv with
# the pinned torch wheel, build and test dependencies, then calydon itself (incremental rebuild).
set -euo pipefail
cd "$(dirname "$0")/.."

want_apt=()
for pkg in g++ make libcgal-dev libgmp-dev libmpfr-dev libgtest-dev; do
  dpkg -s "$pkg" >/dev/null 2>&1 || want_apt+=("$pkg")
done
if [ ${#want_apt[@]} -gt 0 ]; then
  echo "setup: installing apt packages: ${want_apt[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${want_apt[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PY" -m venv .venv
fi
VPY=.venv/bin/python

# Dependencies are reinstalled only when the requirement list changes.
reqs="scripts/requirements-dev.txt"
stamp=.venv/.calydon-reqs
if [ ! -f "$stamp" ] || ! cmp -s "$reqs" "$stamp"; then
  echo "setup: installing Python dependencies (torch pinned to the local 2.13.0 wheel)"
  $VPY -m pip install -q --upgrade pip
  $VPY -m pip install -q -r "$reqs"
  cp "$reqs" "$stamp"
fi

# An editable install of this checkout (README, "Developing") is kept: importing it rebuilds it.
# Otherwise a regular install; the build directory persists, so only what changed is recompiled.
if $VPY -m pip show calydon 2>/dev/null | grep -qxF "Editable project location: $PWD"; then
  echo "setup: calydon is an editable install of this checkout; rebuilding it through an import"
  $VPY -c "import calydon" >/dev/null
else
  echo "setup: building calydon"
  $VPY -m pip install -q --no-build-isolation --no-deps .
fi
