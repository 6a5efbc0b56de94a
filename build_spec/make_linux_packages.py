"""Packs the PyInstaller onedir bundle as a Debian package and as a tarball.

    python build_spec/make_linux_packages.py BUNDLE_DIR OUT_DIR [--compression zstd|xz|gzip]

The .deb installs the bundle under /opt/portal-console, the command as /usr/bin/portal-console
(a symlink), a .desktop entry and the icon in the hicolor theme (every PNG size and the SVG).
Its Depends are computed from the bundle: every shared library a bundled program or library
needs that the bundle does not carry, found through ldconfig and mapped to its Debian package
with ``dpkg -S`` (as dpkg-shlibdeps would, without needing a debian/ source tree), plus the few
libraries Qt and Chromium open at run time (OpenGL/EGL) that no ELF header names.

The tarball holds the same tree under portal-console-<version>/ (bundle in the top folder, the
.desktop file and icons under share/) for machines without dpkg.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from project_info import (
    APP_ID,
    DISPLAY_NAME,
    MAINTAINER,
    ROOT,
    ProjectInfo,
    read_project,
)

ICONS = ROOT / "resources" / "icons"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
INSTALL_DIR = f"opt/{APP_ID}"
WEBENGINE_LOCALES_FOLDER = "_internal/PySide6/Qt/resources/locales"
# Needed at run time though no ELF file names them: OpenGL/EGL (opened with dlopen by Qt's GLX
# and EGL integrations and by Chromium), the font configuration the bundled libfontconfig reads,
# at least one font, and the keyboard layouts the bundled libxkbcommon reads.
RUNTIME_NEEDS = ("libgl1", "libegl1", "fontconfig-config", "fonts-dejavu-core", "xkb-data")
DESKTOP_ENTRY = f"""[Desktop Entry]
Type=Application
Name={DISPLAY_NAME}
GenericName=Customer portal console
Comment=Run Stripe's customer portal from the desktop, with a built-in sandbox
Exec={APP_ID}
Icon={APP_ID}
Terminal=false
Categories=Office;Finance;
Keywords=Stripe;billing;portal;customers;subscriptions;
"""


def debian_version(version: str) -> str:
    """PEP 440 to Debian: pre-releases sort before the release (``1.0rc1`` -> ``1.0~rc1``)."""
    return re.sub(r"(?<=\d)\.?((?:a|b|rc|dev)\d*)", r"~\1", version).replace("+", "+local")


def _elf_files(tree: Path) -> Iterable[Path]:
    for path in tree.rglob("*"):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as handle:
                if handle.read(4) == b"\x7fELF":
                    yield path


def _needed(path: Path) -> list[str]:
    shown = subprocess.run(
        ["readelf", "--dynamic", str(path)], capture_output=True, text=True, check=False
    ).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[(.+?)\]", shown)


def _system_library_paths() -> dict[str, str]:
    """soname -> path of the machine's own libraries (x86-64/aarch64 entries of ldconfig)."""
    listing = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, check=True).stdout
    found: dict[str, str] = {}
    for line in listing.splitlines()[1:]:
        match = re.match(r"\s*(\S+) \(([^)]*)\) => (\S+)", line)
        if match and ("x86-64" in match.group(2) or "AArch64" in match.group(2)):
            found.setdefault(match.group(1), match.group(3))
    return found


def system_dependencies(bundle: Path) -> list[str]:
    """The Debian packages that provide the libraries the bundle needs but does not carry."""
    carried = {path.name for path in bundle.rglob("*")}
    wanted: set[str] = set()
    for elf in _elf_files(bundle):
        wanted.update(name for name in _needed(elf) if name not in carried)
    system = _system_library_paths()
    missing = sorted(name for name in wanted if name not in system)
    if missing:
        raise SystemExit(f"the bundle needs libraries this machine lacks: {', '.join(missing)}")
    paths = sorted({system[name] for name in wanted})
    owners = subprocess.run(
        ["dpkg", "-S", *paths, *(os.path.realpath(p) for p in paths)],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    packages = {line.split(":")[0] for line in owners.splitlines() if ": " in line}
    packages.update(RUNTIME_NEEDS)
    return sorted(packages)


def _glibc_version() -> str:
    return (os.confstr("CS_GNU_LIBC_VERSION") or "glibc 2.34").split()[-1]


def control_file(project: ProjectInfo, depends: list[str], installed_kib: int) -> str:
    architecture = subprocess.run(
        ["dpkg", "--print-architecture"], capture_output=True, text=True, check=True
    ).stdout.strip()
    relations = [f"libc6 (>= {_glibc_version()})" if d == "libc6" else d for d in depends]
    return (
        f"Package: {APP_ID}\n"
        f"Version: {debian_version(project.version)}\n"
        "Section: misc\n"
        "Priority: optional\n"
        f"Architecture: {architecture}\n"
        f"Maintainer: {MAINTAINER}\n"
        f"Installed-Size: {installed_kib}\n"
        f"Depends: {', '.join(relations)}\n"
        f"Description: {project.description}\n"
        " Portal Console lets a merchant's staff look customers up, configure and preview\n"
        " Stripe's customer portal, and open it as a customer in test mode. A built-in\n"
        " Stripe-compatible sandbox with demo data is included, so it runs without a\n"
        " network or a Stripe account.\n"
    )


def _share_tree(target: Path) -> None:
    """The .desktop entry and the hicolor icons under ``target`` (a ``usr/share`` or ``share``)."""
    applications = target / "applications"
    applications.mkdir(parents=True)
    (applications / f"{APP_ID}.desktop").write_text(DESKTOP_ENTRY, "utf-8")
    for size in PNG_SIZES:
        folder = target / "icons" / "hicolor" / f"{size}x{size}" / "apps"
        folder.mkdir(parents=True)
        shutil.copyfile(ICONS / f"{size}.png", folder / f"{APP_ID}.png")
    scalable = target / "icons" / "hicolor" / "scalable" / "apps"
    scalable.mkdir(parents=True)
    shutil.copyfile(ICONS / "portal-console.svg", scalable / f"{APP_ID}.svg")


def _size_kib(tree: Path) -> int:
    return sum(p.lstat().st_size for p in tree.rglob("*")) // 1024 + 1


def build_deb(bundle: Path, out: Path, project: ProjectInfo, compression: str) -> Path:
    deb = out / f"{APP_ID}_{debian_version(project.version)}_{_architecture()}.deb"
    with tempfile.TemporaryDirectory(prefix="portal-console-deb-") as scratch:
        root = Path(scratch) / "root"
        shutil.copytree(bundle, root / INSTALL_DIR, symlinks=True)
        # Qt WebEngine makes this (empty) folder at start when it may write there (as root):
        # shipped, it belongs to the package, so a purge leaves no stray folder in /opt.
        (root / INSTALL_DIR / WEBENGINE_LOCALES_FOLDER).mkdir(parents=True, exist_ok=True)
        (root / "usr" / "bin").mkdir(parents=True)
        (root / "usr" / "bin" / APP_ID).symlink_to(f"/{INSTALL_DIR}/{APP_ID}")
        _share_tree(root / "usr" / "share")
        debian = root / "DEBIAN"
        debian.mkdir()
        depends = system_dependencies(bundle)
        (debian / "control").write_text(control_file(project, depends, _size_kib(root)), "utf-8")
        for folder in [root, *(p for p in root.rglob("*") if p.is_dir())]:
            folder.chmod(0o755)
        level = {"zstd": "3", "xz": "6", "gzip": "1"}[compression]
        subprocess.run(
            [
                "dpkg-deb",
                "--root-owner-group",
                f"-Z{compression}",
                f"-z{level}",
                "--build",
                str(root),
                str(deb),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return deb


def build_tarball(bundle: Path, out: Path, project: ProjectInfo) -> Path:
    top = f"{APP_ID}-{project.version}"
    tarball = out / f"{top}-linux-{os.uname().machine}.tar.gz"
    with tempfile.TemporaryDirectory(prefix="portal-console-tar-") as scratch:
        share = Path(scratch) / "share"
        _share_tree(share)
        # gzip level 1: about as small as 6 for these binaries, several times faster.
        with tarfile.open(tarball, "w:gz", compresslevel=1) as archive:
            archive.add(bundle, arcname=top)
            archive.add(share, arcname=f"{top}/share")
    return tarball


def _architecture() -> str:
    return subprocess.run(
        ["dpkg", "--print-architecture"], capture_output=True, text=True, check=True
    ).stdout.strip()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", type=Path, help="the onedir bundle (dist/portal-console)")
    parser.add_argument("out", type=Path, help="where the .deb and the tarball go")
    parser.add_argument("--compression", choices=("zstd", "xz", "gzip"), default="zstd")
    parser.add_argument("--no-tarball", action="store_true", help="build the .deb only")
    args = parser.parse_args(argv)
    if not (args.bundle / APP_ID).is_file():
        parser.error(f"{args.bundle} has no {APP_ID} program: build the bundle first")
    args.out.mkdir(parents=True, exist_ok=True)
    project = read_project()
    for build in (
        lambda: build_deb(args.bundle, args.out, project, args.compression),
        None if args.no_tarball else lambda: build_tarball(args.bundle, args.out, project),
    ):
        if build is None:
            continue
        started = time.monotonic()
        made = build()
        took = time.monotonic() - started
        print(f"{made} ({made.stat().st_size / 2**20:.0f} MiB, {took:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
