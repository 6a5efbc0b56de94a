#!/usr/bin/env bash
# Refresh the locks in requirements/ from pyproject.toml's ranges (and requirements/*.in):
#
#   bash scripts/lock.sh              re-resolve every lock, keeping the versions already locked
#                                     where they still satisfy the ranges (add or change a range,
#                                     then run this)
#   bash scripts/lock.sh --upgrade    move every package to its newest version within the ranges
#   bash scripts/lock.sh --upgrade-package NAME   move one package
#
# The locks are pip's requirements format with a hash for every file of every pinned version, so
# plain pip installs them on every system (scripts/setup.sh, bench.sh, package.sh, the release
# workflow) and refuses anything that differs. uv resolves them "universally": one lock holds the
# markers for Linux, macOS and Windows and for Python 3.11 to 3.13, so the release builds on
# GitHub's three runners install exactly what CI tested. uv is only needed here, for refreshing;
# this script puts its pinned version in a throwaway venv. A refresh that changes a version is a
# normal commit: review the diff of requirements/*.txt like code.
#
#   dev.txt    the project with its dev extra (tests, lint, types, PyInstaller): setup.sh dev/build
#   app.txt    the project alone, for running it (setup.sh, run.sh); same versions as dev.txt
#   bench.txt  the project, its test extra and requirements/bench.in; same versions as dev.txt
#   tools.txt  pip and setuptools, which install the above and build the editable project
set -euo pipefail
cd "$(dirname "$0")/.."
UV_VERSION=0.13.9
tool="$(mktemp -d)"
trap 'rm -rf "$tool"' EXIT
python3 -m venv "$tool/venv"
"$tool/venv/bin/python" -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
uv() { "$tool/venv/bin/uv" "$@"; }
common=(--universal --python-version 3.11 --generate-hashes --no-header --quiet "$@")
# dev.txt first: it is the superset, and the others take its versions as constraints, so a
# package has one version in every lock.
uv pip compile pyproject.toml --extra dev "${common[@]}" -o requirements/dev.txt
uv pip compile pyproject.toml "${common[@]}" -c requirements/dev.txt -o requirements/app.txt
uv pip compile pyproject.toml requirements/bench.in --extra test "${common[@]}" \
  -c requirements/dev.txt -o requirements/bench.txt
uv pip compile requirements/tools.in "${common[@]}" -c requirements/dev.txt -o requirements/tools.txt
git --no-pager diff --stat -- requirements/ || true
