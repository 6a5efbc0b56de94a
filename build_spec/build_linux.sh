#!/usr/bin/env bash
# Linux: the onedir bundle, then the .deb and the tarball, all in dist/.
#
#   bash build_spec/build_linux.sh [--compression zstd|xz|gzip] [--no-tarball]
#
# zstd (default) packs the .deb in about a second; releases use xz (smaller, a minute or more).
# Needs: the project's venv with the build extra (scripts/setup.sh dev), binutils (readelf),
# dpkg-deb, ldconfig. PyInstaller's work files go to build/pyinstaller.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
OUT="${OUT:-dist}"
started=$(date +%s)
rm -rf "$OUT/bundle"
"$PYTHON" -m PyInstaller --noconfirm --log-level WARN \
  --distpath "$OUT/bundle" --workpath build/pyinstaller build_spec/portal-console.spec
bundled=$(date +%s)
echo "bundle: $OUT/bundle/portal-console ($(du -sm "$OUT/bundle/portal-console" | cut -f1) MiB, $((bundled - started)) s)"
"$PYTHON" build_spec/make_linux_packages.py "$OUT/bundle/portal-console" "$OUT" "$@"
echo "done in $(($(date +%s) - started)) s"
