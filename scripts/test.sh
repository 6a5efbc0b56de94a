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
pytest=(bash scripts/with_keyring.sh .venv/bin/python -m pytest -q -p no:cacheprovider)
if [ $# -gt 0 ]; then
  echo "== pytest $*"; "${pytest[@]}" "$@"; exit
fi
# The desktop UI's tests run in a process of their own: Qt WebEngine's threads and the
# Playwright browser tests in one process crashed Qt's event processing now and then.
echo "== pytest (sandbox, core, portal pages, packaging, reliability)"
"${pytest[@]}" --ignore=tests/ui
echo "== pytest (desktop UI)"
"${pytest[@]}" tests/ui
