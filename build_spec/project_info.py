"""The project's name, version and description, read from pyproject.toml: the one place they live.

The PyInstaller spec, the package builders and the CI workflow all take the version from here at
build time; the running app reads the same value from its installed metadata
(``importlib.metadata``), which the frozen app carries thanks to ``copy_metadata``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"

APP_ID = "portal-console"  # the executable, the Debian package, the .desktop file, the icon name
DISPLAY_NAME = "Portal Console"
BUNDLE_IDENTIFIER = "invalid.example.portal-console"  # macOS: reverse-DNS, no real domain owned
PUBLISHER = "Portal Console developers"
MAINTAINER = "Portal Console developers <dev@example.invalid>"
HOMEPAGE = "https://example.invalid/portal-console"


@dataclass(frozen=True, slots=True)
class ProjectInfo:
    name: str
    version: str
    description: str

    @property
    def numeric_version(self) -> tuple[int, int, int, int]:
        """Four numbers for Windows version resources (``0.1.0`` -> 0, 1, 0, 0)."""
        # The release segment only: a pre-release (rc1, .dev3) must not count as a newer build.
        release = re.match(r"\d+(?:\.\d+)*", self.version)
        numbers = [int(part) for part in release.group(0).split(".")[:4]] if release else []
        padded = (*numbers, 0, 0, 0, 0)[:4]
        return padded[0], padded[1], padded[2], padded[3]


def read_project(pyproject: Path = PYPROJECT) -> ProjectInfo:
    project = tomllib.loads(pyproject.read_text("utf-8"))["project"]
    return ProjectInfo(
        name=str(project["name"]),
        version=str(project["version"]),
        description=str(project["description"]),
    )


def check_metadata(project: ProjectInfo) -> None:
    """Fails the build when the installed metadata (what the frozen app reports) is stale.

    The app reads its version from the ``portal-console`` distribution's metadata; after a
    version bump in pyproject.toml the environment must be reinstalled (scripts/setup.sh).
    """
    installed = version(project.name)
    if installed != project.version:
        raise SystemExit(
            f"pyproject.toml says {project.version} but the installed {project.name} is "
            f"{installed}: run scripts/setup.sh build (pip install -e .) first."
        )


if __name__ == "__main__":
    # `python build_spec/project_info.py` prints the version, for shell scripts and CI.
    print(read_project().version)
