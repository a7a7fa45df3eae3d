#!/usr/bin/env bash
# Set everything up, then run the lint, the test suite and the sample evaluation gate.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --dev
.venv/bin/ruff check .
.venv/bin/python -m pytest "$@"
