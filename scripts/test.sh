#!/usr/bin/env bash
# Set up and run every check: lint, formatting, types, layer contracts, then the whole test suite
# (inside a private D-Bus session with a real, throwaway keyring).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system_packages.sh
bash scripts/setup.sh dev
echo "== ruff"; .venv/bin/ruff check . && .venv/bin/ruff format --check .
echo "== mypy"; .venv/bin/mypy
echo "== import contracts"; .venv/bin/lint-imports
echo "== pytest"
bash scripts/with_keyring.sh .venv/bin/python -m pytest -q -p no:cacheprovider "$@"
