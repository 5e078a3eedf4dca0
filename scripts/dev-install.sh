#!/usr/bin/env bash
# Rebuilds and reinstalls calydon into .venv (incremental). Serialised with a lock because
# several developers may share one checkout and one build directory.
set -euo pipefail
cd "$(dirname "$0")/.."
exec flock /tmp/calydon-build.lock .venv/bin/python -m pip install -q --no-build-isolation --no-deps .
