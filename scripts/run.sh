#!/usr/bin/env bash
# Set up and start Portal Console on its embedded sandbox (demo data on first start).
# With a display, the desktop window opens; on a machine without one (a server, CI), the sandbox
# runs in the foreground and prints its address and test key instead.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] || [ "$(uname)" = Darwin ]; then
  exec .venv/bin/portal-console "$@"
fi
echo "No display found: running the sandbox alone (the window needs a desktop session)." >&2
exec .venv/bin/portal-console sandbox --seed demo "$@"
