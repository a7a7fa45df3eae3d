#!/usr/bin/env bash
# Set everything up, then lint, run the test suite and the sample evaluation gate.
#   bash scripts/test.sh            # what CI runs
#   bash scripts/test.sh -k bm25    # extra arguments go to pytest
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --dev
# Tests and the gate share one data dir (indexes, uploads), never the user's own.
export VANBAN_HOME="${VANBAN_HOME:-$PWD/.vanban}"
export HF_HUB_OFFLINE=1
.venv/bin/ruff check .
.venv/bin/ruff format --check .
# Quality gate: fails when a metric of the sample dataset drops below its stored threshold.
# (It builds the sample index the tests then reuse.)
.venv/bin/vanban eval --dataset sample --modes bm25,dense,hybrid --report artifacts/eval-sample
.venv/bin/python -m pytest "$@"
