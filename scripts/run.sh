#!/usr/bin/env bash
# Set up and start Portal Console on its embedded sandbox (demo data on first start).
# Until the desktop window exists, this runs the sandbox in the foreground and prints its address and key.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/portal-console sandbox --seed demo "$@"
