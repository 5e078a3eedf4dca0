#!/usr/bin/env bash
# Rebuilds and reinstalls calydon into .venv (incremental: the build directory persists, so only
# what changed is recompiled). For an edit-rebuild loop without reinstalling, see "Developing" in
# README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python -m pip install -q --no-build-isolation --no-deps .
