#!/usr/bin/env bash
# bench.sh [--quick] [--only api index network console portal profile]: run every benchmark, write the table.
# Makes .venv-bench (the project plus what only the benchmarks need: localstripe, the peer it is
# compared with, and matplotlib for the plots), then runs bench/run_all.py inside a throwaway
# keyring session (the desktop app needs one). Results: artifacts/bench/results.md, results.json,
# *.png; seeded sandboxes and indexes are cached in artifacts/bench/cache/ (the 1M sandbox takes
# minutes to seed and ~30 GB of disk).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
bash scripts/system_packages.sh  # Chromium for the page loads, gnome-keyring for the app
[ -x .venv-bench/bin/python ] || python3 -m venv .venv-bench
# Exact versions from requirements/bench.txt (the project's test extra, localstripe and matplotlib,
# at the same versions as requirements/dev.txt); installs only when the lock changed.
fingerprint="$(cat requirements/bench.txt requirements/tools.txt pyproject.toml | sha256sum | cut -c1-64)"
if [ "$(cat .venv-bench/.installed-lock 2>/dev/null)" != "$fingerprint" ]; then
  rm -f .venv-bench/.installed-lock
  pip=(.venv-bench/bin/python -m pip install --quiet --disable-pip-version-check)
  "${pip[@]}" --require-hashes -r requirements/tools.txt
  "${pip[@]}" --require-hashes -r requirements/bench.txt
  # setuptools' boxed notice about editable installs, shown only if the step fails.
  if ! output="$("${pip[@]}" --no-deps --no-build-isolation --no-index -e . 2>&1)"; then
    echo "$output" >&2
    exit 1
  fi
  echo "$fingerprint" > .venv-bench/.installed-lock
fi
# A venv made before a dependency's pin changed can keep packages that no longer fit (PySide6 6.12's
# separate WebEngine wheels beside 6.11): the app would run on a mix. Say so instead.
if ! .venv-bench/bin/python -m pip check >/dev/null; then
  .venv-bench/bin/python -m pip check >&2 || true
  echo "bench.sh: .venv-bench holds conflicting packages; delete it and run again" >&2
  exit 1
fi
exec bash scripts/with_keyring.sh .venv-bench/bin/python -m bench.run_all "$@"
