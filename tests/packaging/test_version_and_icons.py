"""One version (pyproject.toml) everywhere, and an icon set drawn from one SVG."""

from __future__ import annotations

import io
import subprocess
import sys

import make_icons
from bundle_filter import keep_in_bundle, without_dangling_symlinks
from make_linux_packages import debian_version
from PIL import Image
from project_info import ProjectInfo, read_project

from tests.packaging.conftest import ROOT


def test_portal_console_version_prints_the_pyproject_version() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ui", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"portal-console {read_project().version}"


def test_the_committed_icons_are_the_ones_the_svg_makes() -> None:
    made = make_icons.icon_files()
    stale = [name for name, data in made.items() if (make_icons.ICONS / name).read_bytes() != data]
    assert not stale, f"run build_spec/make_icons.py: {stale} differ from the SVG's rendering"
    for size in make_icons.PNG_SIZES:
        with Image.open(make_icons.ICONS / f"{size}.png") as png:
            assert png.size == (size, size)
            assert png.mode == "RGBA"
            # Drawn, not blank: the corner is transparent, the middle (the doorway) is opaque.
            corner, doorway = png.getpixel((0, 0)), png.getpixel((size // 2, size * 3 // 4))
            assert isinstance(corner, tuple) and corner[3] == 0
            assert isinstance(doorway, tuple) and doorway[3] == 255


def test_the_windows_and_macos_icons_hold_every_size() -> None:
    with Image.open(io.BytesIO((make_icons.ICONS / "portal-console.ico").read_bytes())) as ico:
        assert set(ico.info["sizes"]) == {(s, s) for s in make_icons.ICO_SIZES}
    with Image.open(io.BytesIO((make_icons.ICONS / "portal-console.icns").read_bytes())) as icns:
        assert icns.size == (1024, 1024)  # 512 @2x, the size the Finder and Dock use
        # (size, size, scale): the retina pairs macOS picks from, up to 512 @2x.
        wanted = {(16, 16, 2), (32, 32, 2), (128, 128, 1), (128, 128, 2), (256, 256, 1)}
        assert wanted | {(256, 256, 2), (512, 512, 1), (512, 512, 2)} <= set(icns.info["sizes"])


def test_versions_become_debian_and_windows_versions() -> None:
    assert debian_version("0.1.0") == "0.1.0"
    assert debian_version("1.2.0rc1") == "1.2.0~rc1"  # sorts before 1.2.0, as in PEP 440
    assert debian_version("1.2.0.dev3") == "1.2.0~dev3"
    assert ProjectInfo("p", "1.2", "d").numeric_version == (1, 2, 0, 0)
    assert ProjectInfo("p", "2.0.1rc1", "d").numeric_version == (2, 0, 1, 0)


def test_the_windows_version_file_carries_the_version() -> None:
    from windows_version import version_file_text  # noqa: PLC0415  # a build_spec script, found through mypy_path; imported where tested

    text = version_file_text(ProjectInfo("portal-console", "1.4.2", "d"))
    assert "filevers=(1, 4, 2, 0)" in text
    assert "StringStruct('ProductVersion', '1.4.2')" in text
    assert "StringStruct('OriginalFilename', 'portal-console.exe')" in text
    # PyInstaller reads the file by evaluating it with its version-info classes: it must parse.
    compile(text, "version-info.txt", "eval")


def test_the_bundle_leaves_out_unused_qt_parts_only() -> None:
    kept = [
        "PySide6/Qt/lib/libQt6WebEngineCore.so.6",
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/plugins/platforms/libqoffscreen.so",
        "PySide6/Qt/plugins/imageformats/libqsvg.so",
        "PySide6/Qt/translations/qtbase_de.qm",
        "PySide6/Qt/translations/qtwebengine_locales/de.pak",
        "PySide6/Qt/resources/qtwebengine_resources.pak",
        "resources/portal/templates/home.html",
        "console/sandbox/facts/spec/openapi-subset.json",
        "PySide6\\plugins\\platforms\\qwindows.dll",
    ]
    dropped = [
        "PySide6/Qt/qml/QtQuick3D/libqquick3dplugin.so",
        "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
        "PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so",
        "PySide6/Qt/plugins/sqldrivers/libqsqlite.so",
        "PySide6/Qt/translations/designer_de.qm",
        "PySide6/Qt/translations/qtwebengine_locales/ja.pak",
        "PySide6\\plugins\\multimedia\\ffmpegmediaplugin.dll",
    ]
    assert [p for p in kept if not keep_in_bundle(p)] == []
    assert [p for p in dropped if keep_in_bundle(p)] == []


def test_links_to_left_out_libraries_go_too() -> None:
    lib = "PySide6/Qt/lib"
    framework = f"{lib}/QtCore.framework"
    binaries = [
        (f"{lib}/libQt6Core.so.6", "/venv/libQt6Core.so.6", "BINARY"),
        (f"{framework}/Versions/A/QtCore", "/venv/QtCore", "BINARY"),
    ]
    datas = [
        ("libQt6Core.so.6", f"{lib}/libQt6Core.so.6", "SYMLINK"),
        ("libQt6Quick3D.so.6", f"{lib}/libQt6Quick3D.so.6", "SYMLINK"),  # library left out
        (f"{framework}/Versions/Current", "A", "SYMLINK"),  # a folder of kept files
        (f"{framework}/QtCore", "Versions/Current/QtCore", "SYMLINK"),  # through another link
    ]
    kept_binaries, kept_datas = without_dangling_symlinks(binaries, datas)
    assert kept_binaries == binaries
    assert [name for name, _, _ in kept_datas] == [
        "libQt6Core.so.6",
        f"{framework}/Versions/Current",
        f"{framework}/QtCore",
    ]
