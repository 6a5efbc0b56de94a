"""The proof that the Linux package works: build it, install it with dpkg, run it, remove it.

One command builds it (build_spec/build_linux.sh: PyInstaller onedir bundle, .deb, tarball). The
installed program runs with the project's venv out of the way: a bare PATH, no Python variables,
another working folder. ``--self-test`` runs inside a fresh private keyring session
(scripts/with_keyring.sh), so the bundled SecretStorage backend is exercised too.

Needs root and dpkg (CI runs as root on Debian); skipped otherwise, and skipped when a
portal-console package is already installed (the test never replaces someone's install).
Build time and package size go to artifacts/packaging/linux.txt and the test's output.
"""

from __future__ import annotations

import os
import posixpath
import shutil
import subprocess
import sys
import tarfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pytest
from make_linux_packages import debian_version
from project_info import read_project

from tests.packaging.conftest import ROOT, SCREENSHOTS

ARTIFACTS = ROOT / "artifacts" / "packaging"
BARE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
DEB_BUDGET_MIB = 300  # zstd -3; today about 215 MiB (Qt WebEngine alone is 195 MiB unpacked)
BUILD_BUDGET_S = 600

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="builds the Linux package"),
    pytest.mark.skipif(
        not hasattr(os, "geteuid") or os.geteuid() != 0,
        reason="installs a .deb with dpkg, which needs root (CI runs as root)",
    ),
    pytest.mark.skipif(
        shutil.which("dpkg") is None or shutil.which("dpkg-deb") is None,
        reason="dpkg and dpkg-deb are needed (a Debian-based system)",
    ),
]


@dataclass(frozen=True, slots=True)
class Built:
    deb: Path
    tarball: Path
    seconds: float


def _installed(package: str) -> bool:
    status = subprocess.run(
        ["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True, check=False
    ).stdout
    return "install ok installed" in status


def _bare_env(**extra: str) -> dict[str, str]:
    """No venv, no PYTHONPATH: only what a user's shell would have."""
    keep = ("HOME", "LANG", "LC_ALL", "TMPDIR", "DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR")
    env = {name: os.environ[name] for name in keep if name in os.environ}
    env["PATH"] = BARE_PATH
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    out = tmp_path_factory.mktemp("dist")
    started = time.monotonic()
    result = subprocess.run(
        ["bash", "build_spec/build_linux.sh"],
        cwd=ROOT,
        env={**os.environ, "OUT": str(out)},
        capture_output=True,
        text=True,
        timeout=BUILD_BUDGET_S,
        check=False,
    )
    seconds = time.monotonic() - started
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "linux-build.log").write_text(result.stdout + result.stderr, "utf-8")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    version = read_project().version
    debs = list(out.glob(f"portal-console_{debian_version(version)}_*.deb"))
    tarballs = list(out.glob(f"portal-console-{version}-linux-*.tar.gz"))
    assert len(debs) == 1 and len(tarballs) == 1, sorted(p.name for p in out.iterdir())
    return Built(debs[0], tarballs[0], seconds)


@pytest.fixture
def installed(built: Built) -> Iterator[Path]:
    if _installed("portal-console"):
        pytest.skip("a portal-console package is installed here already; not replacing it")
    depends = subprocess.run(
        ["dpkg-deb", "--field", str(built.deb), "Depends"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    # dpkg -i installs no dependencies: name the missing ones instead of dpkg's half-install.
    wanted = [relation.split()[0] for relation in depends.split(",")]
    missing = [package for package in wanted if not _installed(package)]
    assert not missing, f"install {' '.join(missing)} first (scripts/system_packages.sh)"
    subprocess.run(["dpkg", "-i", str(built.deb)], check=True, capture_output=True, timeout=120)
    try:
        yield Path("/usr/bin/portal-console")
    finally:
        subprocess.run(["dpkg", "--purge", "portal-console"], check=True, capture_output=True)
        assert not Path("/opt/portal-console").exists()
        assert not Path("/usr/bin/portal-console").exists()


@pytest.mark.timeout(900)
def test_the_deb_installs_runs_its_self_test_and_uninstalls(
    built: Built, installed: Path, tmp_path: Path
) -> None:
    version = read_project().version
    deb_mib = built.deb.stat().st_size / 2**20
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "linux.txt").write_text(
        f"build (bundle + .deb + tarball): {built.seconds:.0f} s\n"
        f"{built.deb.name}: {deb_mib:.0f} MiB\n"
        f"{built.tarball.name}: {built.tarball.stat().st_size / 2**20:.0f} MiB\n",
        "utf-8",
    )
    print(f"\nbuilt in {built.seconds:.0f} s; {built.deb.name} is {deb_mib:.0f} MiB")
    assert deb_mib < DEB_BUDGET_MIB, "the package grew: check build_spec/bundle_filter.py"

    # What the package says about itself and what it installs besides the program.
    fields = subprocess.run(
        ["dpkg-deb", "--field", str(built.deb), "Package", "Version", "Depends"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Package: portal-console" in fields
    assert f"Version: {debian_version(version)}" in fields
    assert "libc6 (>= " in fields and "libgl1" in fields
    desktop = Path("/usr/share/applications/portal-console.desktop").read_text("utf-8")
    assert "Exec=portal-console\n" in desktop and "Icon=portal-console\n" in desktop
    for size in (16, 32, 48, 128, 256, 512):
        assert Path(f"/usr/share/icons/hicolor/{size}x{size}/apps/portal-console.png").is_file()
    assert Path("/usr/share/icons/hicolor/scalable/apps/portal-console.svg").is_file()
    assert installed.resolve() == Path("/opt/portal-console/portal-console")

    shown = subprocess.run(
        [str(installed), "--version"],
        env=_bare_env(),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip() == f"portal-console {version}"

    shots = SCREENSHOTS / "installed-deb"
    checked = subprocess.run(
        [
            "sh",
            str(ROOT / "scripts" / "with_keyring.sh"),
            "portal-console",
            "--self-test",
            "--screenshots",
            str(shots),
        ],
        env=_bare_env(),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    lines = [
        line for line in checked.stdout.splitlines() if line[:5] in ("ok   ", "FAIL ", "warn ")
    ]
    assert checked.returncode == 0, "\n".join(lines) + checked.stderr[-3000:]
    assert lines[0] == f"ok   portal-console {version} (bundled)"
    assert "ok   system keyring: keyring.backends.SecretService.Keyring" in lines
    assert lines[-1] == "ok   self-test passed"
    assert not [line for line in lines if not line.startswith("ok")], lines
    assert (shots / "self-test-portal.png").is_file()


@pytest.mark.timeout(900)
@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="needs xvfb-run for an X display")
def test_the_installed_app_runs_on_an_x_display(installed: Path, tmp_path: Path) -> None:
    """On a desktop, Qt uses its xcb plugin and the system's X libraries, not offscreen."""
    shots = SCREENSHOTS / "installed-deb-x11"
    checked = subprocess.run(
        [
            "xvfb-run",
            "--auto-servernum",
            "--server-args=-screen 0 1280x800x24",
            "sh",
            str(ROOT / "scripts" / "with_keyring.sh"),
            "portal-console",
            "--self-test",
            "--screenshots",
            str(shots),
        ],
        env=_bare_env(),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    lines = [line for line in checked.stdout.splitlines() if line[:5] in ("ok   ", "FAIL ", "note")]
    assert checked.returncode == 0, "\n".join(lines) + checked.stderr[-3000:]
    assert "note no display: running offscreen" not in lines
    assert lines[-1] == "ok   self-test passed"
    assert (shots / "self-test-window.png").is_file()


@pytest.mark.timeout(900)
def test_a_damaged_install_fails_its_self_test_with_the_reason(
    installed: Path, tmp_path: Path
) -> None:
    """What a user sees when a file went missing: exit 1 and the step that failed, and why."""
    Path("/opt/portal-console/_internal/resources/portal/static/portal.css").unlink()
    checked = subprocess.run(
        ["sh", str(ROOT / "scripts" / "with_keyring.sh"), "portal-console", "--self-test"],
        env=_bare_env(),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert checked.returncode == 1, checked.stdout
    failures = [line for line in checked.stdout.splitlines() if line.startswith("FAIL")]
    assert failures == [
        "FAIL portal page rendered (German catalog, styles, customer): "
        "the page has no style rules from portal.css (missing?)"
    ]
    assert "self-test passed" not in checked.stdout


@pytest.mark.timeout(900)
def test_the_tarball_holds_the_program_desktop_entry_and_icons(built: Built) -> None:
    top = f"portal-console-{read_project().version}"
    with tarfile.open(built.tarball) as archive:
        members = archive.getmembers()
        program = archive.getmember(f"{top}/portal-console")
    names = {member.name for member in members}
    folders = {str(parent) for name in names for parent in PurePosixPath(name).parents}
    dangling = [
        member.name
        for member in members
        if member.issym()
        and posixpath.normpath(posixpath.join(posixpath.dirname(member.name), member.linkname))
        not in names | folders
    ]
    assert dangling == []
    assert program.isfile() and program.mode & 0o111
    assert f"{top}/_internal/resources/portal/templates/home.html" in names
    assert f"{top}/share/applications/portal-console.desktop" in names
    assert f"{top}/share/icons/hicolor/256x256/apps/portal-console.png" in names
    inside = f"{top}/_internal/"
    for needed in (
        "PySide6/Qt/libexec/QtWebEngineProcess",  # the in-app portal and branding preview
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/translations/qtbase_de.qm",  # Qt's own strings in the German UI
        "console/sandbox/facts/spec/openapi-subset.json",
        "resources/portal/locale/de_DE/LC_MESSAGES/messages.po",
        "resources/icons/128.png",
        "stripe/data/ca-certificates.crt",
    ):
        assert inside + needed in names, needed
    # Never a plain-text keyring; none of the Qt parts the app does not use.
    for unwanted in ("keyrings/alt", "/qml/", "libqgtk3", "libQt6Quick3D", "libQt6Multimedia"):
        assert not [name for name in names if unwanted in name], unwanted
