#!/usr/bin/env bash
# setup.sh [app|dev|build]: make .venv with exactly the versions locked in requirements/.
#   app (default)  what running the console needs (requirements/app.txt)
#   dev            tests, lint, types and PyInstaller too (requirements/dev.txt)
#   build          the same as dev (PyInstaller is in it)
# Every package, direct and transitive, is pinned with its hashes, so every machine gets the same
# install; scripts/lock.sh refreshes the locks. Once a venv is set up for a lock, running this again
# changes nothing and needs no network: it only reinstalls when the lock or pyproject.toml changed.
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-app}" in
  app | "") lock=requirements/app.txt ;;
  dev | build) lock=requirements/dev.txt ;;
  *) echo "usage: scripts/setup.sh [app|dev|build]" >&2; exit 2 ;;
esac
python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (python3 is %d.%d)" % sys.version_info[:2])'
fingerprint() { cat "$1" requirements/tools.txt pyproject.toml | sha256sum | cut -c1-64; }
stamp=.venv/.installed-locks
# A dev venv holds everything app.txt locks, at the same versions.
for candidate in "$lock" requirements/dev.txt; do
  if [ -x .venv/bin/python ] && grep -qx "$candidate $(fingerprint "$candidate")" "$stamp" 2>/dev/null; then
    exit 0
  fi
done
if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
  echo "Python's venv module is missing: on Debian/Ubuntu, sudo apt install python3-venv" >&2
  exit 1
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
pip=(.venv/bin/python -m pip install --quiet --disable-pip-version-check)
echo "== installing the locked packages of $lock into .venv (once; later starts skip this)" >&2
rm -f "$stamp"
"${pip[@]}" --require-hashes -r requirements/tools.txt
"${pip[@]}" --require-hashes -r "$lock"
# The project itself, editable, built by the setuptools just installed: nothing fetched. Its
# build prints setuptools' boxed notice about editable installs to every user; shown only if the
# step fails.
if ! output="$("${pip[@]}" --no-deps --no-build-isolation --no-index -e . 2>&1)"; then
  echo "$output" >&2
  exit 1
fi
echo "$lock $(fingerprint "$lock")" > "$stamp"
