"""Every install path takes exact versions from the committed locks in requirements/.

A fresh machine once failed 27 tests because an unpinned range (Babel) resolved to a newer release
than the one the project was written with. These tests keep the locks whole, in step with
pyproject.toml's ranges, and used by every script that installs, and the venv the suite runs in
equal to the lock.
"""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.packaging.conftest import ROOT

LOCKS = ROOT / "requirements"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")


def _pins(lock: Path) -> dict[str, tuple[str, str | None]]:
    """Package -> (version, marker) of every pinned line of a lock, checking each has a hash."""
    pins: dict[str, tuple[str, str | None]] = {}
    lines = lock.read_text("utf-8").splitlines()
    for number, line in enumerate(lines):
        match = PIN.match(line)
        if match is None:
            continue
        name, version, marker = match.groups()
        following = lines[number + 1] if number + 1 < len(lines) else ""
        assert following.strip().startswith("--hash=sha256:"), f"{lock.name}: {name} has no hash"
        pins[canonicalize_name(name)] = (version, marker)
    return pins


def _applies_here(marker: str | None) -> bool:
    return marker is None or Marker(marker).evaluate()


def _project() -> dict[str, object]:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        project: dict[str, object] = tomllib.load(handle)["project"]
    return project


def _declared(*extras: str) -> list[Requirement]:
    """pyproject.toml's requirements for the base install and the given extras, extras of the
    project itself (``portal-console[test,build]``) followed."""
    project = _project()
    optional = project["optional-dependencies"]
    assert isinstance(optional, dict)
    found = [Requirement(text) for text in project["dependencies"]]  # type: ignore[attr-defined]
    todo, seen = list(extras), set()
    while todo:
        extra = todo.pop()
        if extra in seen:
            continue
        seen.add(extra)
        for text in optional[extra]:
            requirement = Requirement(text)
            if canonicalize_name(requirement.name) == "portal-console":
                todo.extend(requirement.extras)
            else:
                found.append(requirement)
    return found


def test_every_lock_pins_each_package_with_hashes() -> None:
    for name in ("app.txt", "dev.txt", "bench.txt", "tools.txt"):
        pins = _pins(LOCKS / name)
        assert pins, f"requirements/{name} pins nothing"
        for line in (LOCKS / name).read_text("utf-8").splitlines():
            requirement = line.split("#", 1)[0].strip()
            if requirement and not requirement.startswith("--hash") and requirement != "\\":
                assert PIN.match(line), f"requirements/{name}: not an exact pin: {line!r}"


def test_the_locks_satisfy_pyproject_and_agree_with_each_other() -> None:
    dev = _pins(LOCKS / "dev.txt")
    for lock, extras in (("app.txt", ()), ("dev.txt", ("dev",)), ("bench.txt", ("test",))):
        pins = _pins(LOCKS / lock)
        for requirement in _declared(*extras):
            name = canonicalize_name(requirement.name)
            assert name in pins, f"requirements/{lock} lacks {name} (pyproject.toml needs it)"
            version = pins[name][0]
            assert requirement.specifier.contains(version, prereleases=True), (
                f"requirements/{lock} pins {name}=={version} outside pyproject.toml's "
                f"{requirement.specifier}: run bash scripts/lock.sh"
            )
        for pinned, (version, _) in pins.items():
            if pinned in dev:
                assert dev[pinned][0] == version, f"{lock} and dev.txt disagree on {pinned}"


def test_babel_is_locked_at_the_version_the_catalogs_were_made_with() -> None:
    made_with = {
        re.search(r"Generated-By: Babel (\S+?)\\n", po.read_text("utf-8")).group(1)  # type: ignore[union-attr]
        for po in (ROOT / "resources" / "portal" / "locale").rglob("*.po")
    }
    assert len(made_with) == 1, f"the catalogs were made with several Babels: {made_with}"
    assert _pins(LOCKS / "app.txt")["babel"][0] == made_with.pop()


def test_the_venv_running_the_suite_is_the_lock() -> None:
    """A venv set up before the lock changed (or by hand) is what CI would not have: name it."""
    wrong = []
    for name, (version, marker) in _pins(LOCKS / "dev.txt").items():
        if not _applies_here(marker):
            continue
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            wrong.append(f"{name} is missing (lock: {version})")
            continue
        if canonicalize_name(installed) != canonicalize_name(version):
            wrong.append(f"{name} {installed} (lock: {version})")
    assert wrong == [], (
        "the venv differs from requirements/dev.txt; run bash scripts/setup.sh dev: "
        + "; ".join(wrong)
    )


def test_every_install_path_installs_from_the_lock() -> None:
    """No script or workflow lets pip resolve a range by itself."""
    paths = [
        ROOT / "scripts" / "setup.sh",
        ROOT / "scripts" / "bench.sh",
        ROOT / "scripts" / "package.sh",
        ROOT / ".github" / "workflows" / "release.yml",
    ]
    for path in paths:
        lines = path.read_text("utf-8").splitlines()
        # ``pip=(... -m pip install --quiet)`` only names the command that the lines below run.
        installs = [
            line
            for line in lines
            if re.search(r"pip install|\$\{pip\[@\]\}", line) and "pip=(" not in line
        ]
        assert installs, f"{path.name} installs nothing?"
        for line in installs:
            from_lock = "--require-hashes -r " in line
            the_project_alone = "--no-deps" in line and "--no-index" in line and "-e ." in line
            assert from_lock or the_project_alone, (
                f"{path.name}: {line.strip()!r} does not install from the lock"
            )
    for path in (ROOT / "scripts" / "test.sh", ROOT / "scripts" / "run.sh", ROOT / ".ci" / "run"):
        text = path.read_text("utf-8")
        assert "pip install" not in text, f"{path.name} installs outside scripts/setup.sh"
