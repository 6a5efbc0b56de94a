#!/usr/bin/env bash
# Build the installer for the system this runs on, into dist/:
#   Linux    portal-console_<version>_<arch>.deb and portal-console-<version>-linux-<arch>.tar.gz
#   macOS    portal-console-<version>-macos-<arch>.dmg           (needs Xcode's command line tools)
#   Windows  portal-console-<version>-windows-setup.exe          (Git Bash; needs Inno Setup 6)
#
#   bash scripts/package.sh [--compression xz]      (Linux: zstd by default, xz for releases)
#
# The version is pyproject.toml's. The venv gets the locked dev packages (PyInstaller with them)
# first, as CI tested them.
set -euo pipefail
cd "$(dirname "$0")/.."
case "$(uname -s)" in
  Linux)
    bash scripts/setup.sh build
    exec bash build_spec/build_linux.sh "$@" ;;
  Darwin)
    bash scripts/setup.sh build
    exec bash build_spec/build_macos.sh "$@" ;;
  MINGW* | MSYS* | CYGWIN*)
    # setup.sh expects .venv/bin; on Windows the venv has Scripts\ instead.
    [ -x .venv/Scripts/python.exe ] || py -3.11 -m venv .venv
    pip=(.venv/Scripts/python.exe -m pip install --quiet --disable-pip-version-check)
    "${pip[@]}" --require-hashes -r requirements/tools.txt
    "${pip[@]}" --require-hashes -r requirements/dev.txt
    "${pip[@]}" --no-deps --no-build-isolation --no-index -e .
    exec powershell.exe -NoProfile -ExecutionPolicy Bypass -File build_spec/build_windows.ps1 ;;
  *)
    echo "package.sh: no installer recipe for $(uname -s)" >&2
    exit 1 ;;
esac
