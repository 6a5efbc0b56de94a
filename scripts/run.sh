#!/usr/bin/env bash
# Set up and start Portal Console on its embedded sandbox (demo data on first start).
# With a display, the desktop window opens; on a machine without one (a server, CI), the sandbox
# runs in the foreground and prints its address and test key instead.
# The first run installs the locked packages into .venv; later runs start at once, offline.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! bash scripts/setup.sh; then
  # The lock changed but could not be installed (no network?): what is installed may still run.
  [ -x .venv/bin/portal-console ] || exit 1
  echo "run.sh: could not bring .venv up to the lock; starting with what is installed." >&2
fi
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] || [ "$(uname)" = Darwin ]; then
  exec .venv/bin/portal-console "$@"
fi
echo "No display found: running the sandbox alone (the window needs a desktop session)." >&2
exec .venv/bin/portal-console sandbox --seed demo "$@"
