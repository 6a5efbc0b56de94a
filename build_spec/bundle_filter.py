"""What of Qt stays out of the bundle: plugins and files for features the app does not use.

PyInstaller's Qt hooks collect plugin folders wholesale, and some plugins drag in big libraries
(the virtual keyboard pulls Qt Quick's controls, the PDF image plugin Qt Pdf, the sql drivers
their client libraries). The app uses Widgets, WebEngine (branding preview, in-app portal),
Charts and Svg: those and their dependencies stay. Paths are the bundle's destination names,
with "/" as the separator on every platform.
"""

from __future__ import annotations

import posixpath
import re
import subprocess
from pathlib import PurePath, PurePosixPath

_QT_DIRS = ("PySide6/Qt/", "PySide6/")  # Linux/macOS: PySide6/Qt/plugins; Windows: PySide6/plugins

# Plugin folders the app never loads.
_UNUSED_PLUGIN_DIRS = frozenset(
    {
        "assetimporters",
        "canbus",
        "designer",
        "geometryloaders",
        "geoservices",
        "multimedia",
        "position",
        "qmltooling",
        "renderers",
        "renderplugins",
        "sceneparsers",
        "scxmldatamodel",
        "sensors",
        "sqldrivers",
        "texttospeech",
        "webview",
    }
)
# Single plugins whose libraries the app would not otherwise need.
_UNUSED_PLUGIN_STEMS = (
    "libqtvirtualkeyboardplugin",
    "qtvirtualkeyboardplugin",
    "libqpdf",
    "qpdf",
    # GTK3 theme: bundling the build machine's GTK clashes with the user's GTK and its themes;
    # without it Qt uses its own Fusion look or the desktop portal's settings.
    "libqgtk3",
)
# Translations of Qt's own tools and of modules the app leaves out; qtbase_*, qt_* and
# qtwebengine_* (context menus, dialogs in the German UI later) stay.
_UNUSED_TRANSLATION_PREFIXES = (
    "assistant_",
    "designer_",
    "linguist_",
    "qt_help_",
    "qtconnectivity_",
    "qtlocation_",
    "qtmultimedia_",
    "qtserialport_",
    "qtwebsockets_",
    "qtdeclarative_",
)

_WEBENGINE_LOCALES = frozenset({"en-US.pak", "de.pak"})


def keep_in_bundle(destination: str) -> bool:
    """False for a file under Qt that the app does not need (see the module's notes)."""
    path = destination.replace("\\", "/")
    for prefix in _QT_DIRS:
        if not path.startswith(prefix):
            continue
        rest = PurePath(path[len(prefix) :]).parts
        if len(rest) >= 2 and rest[0] == "plugins":
            if rest[1] in _UNUSED_PLUGIN_DIRS:
                return False
            if PurePath(rest[-1]).name.startswith(_UNUSED_PLUGIN_STEMS):
                return False
        if rest and rest[0] == "qml":
            return False  # the app has no QML; WebEngine's widgets need none of these modules
        if len(rest) >= 2 and rest[0] == "translations":
            if rest[-1].startswith(_UNUSED_TRANSLATION_PREFIXES):
                return False
            # Chromium's own UI strings (WebEngine's context menus): the app speaks English and
            # German; any other system language falls back to en-US.
            if rest[1] == "qtwebengine_locales" and rest[-1] not in _WEBENGINE_LOCALES:
                return False
        break
    return True


# Loaded with dlopen, not listed as NEEDED anywhere: the bootloader's libpython, and NSS's
# modules that Chromium (Qt WebEngine) opens for certificates and crypto.
_DLOPENED = ("libpython", "libnssckbi", "libnssdbm3", "libsoftokn3", "libfreebl")


def _needed(library: str) -> list[str]:
    """The sonames an ELF file lists as NEEDED (readelf, from binutils, which PyInstaller needs)."""
    shown = subprocess.run(
        ["readelf", "--dynamic", library], capture_output=True, text=True, check=False
    ).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[(.+?)\]", shown)


def _is_library(destination: str) -> bool:
    name = PurePath(destination).name
    return name.startswith("lib") and ".so" in name and "/plugins/" not in destination


def reachable_binaries(
    binaries: list[tuple[str, str, str]],
) -> list[tuple[str, str, str]]:
    """Linux: the binaries that something kept needs, following NEEDED from every program,
    extension module and plugin. The rest came in only through plugins or QML modules left
    out by ``keep_in_bundle`` (Qt Quick 3D, Qt Multimedia with its codecs, GTK for the GTK
    theme plugin, which would also clash with the user's own GTK).
    """
    by_soname: dict[str, list[tuple[str, str, str]]] = {}
    for entry in binaries:
        by_soname.setdefault(PurePath(entry[0]).name, []).append(entry)
    roots = [
        entry
        for entry in binaries
        if not _is_library(entry[0]) or PurePath(entry[0]).name.startswith(_DLOPENED)
    ]
    kept: set[tuple[str, str, str]] = set()
    pending = list(roots)
    while pending:
        entry = pending.pop()
        if entry in kept:
            continue
        kept.add(entry)
        for soname in _needed(entry[1]):
            pending.extend(by_soname.get(soname, []))
    return [entry for entry in binaries if entry in kept]


def without_dangling_symlinks(
    binaries: list[tuple[str, str, str]], datas: list[tuple[str, str, str]]
) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    """Drops PyInstaller's SYMLINK entries whose target is no longer in the bundle (the
    top-level aliases of pruned Qt libraries). A target is a destination name relative to the
    link's folder; it may be a kept file, a folder holding kept files (macOS frameworks'
    ``Versions/Current``) or another kept link.
    """
    entries = binaries + datas
    present: set[str] = set()
    for name, _, kind in entries:
        if kind != "SYMLINK":
            path = _slashes(name)
            present.add(path)
            present.update(str(parent) for parent in PurePosixPath(path).parents)
    links = {
        _slashes(name): _link_target(name, target)
        for name, target, kind in entries
        if kind == "SYMLINK"
    }

    def resolve(path: str) -> str:
        """``path`` with every link along it replaced by its target (as the OS would)."""
        for _ in range(40):  # deeper chains than this are loops
            parts = path.split("/")
            for end in range(len(parts), 0, -1):
                prefix = "/".join(parts[:end])
                if prefix in links:
                    path = posixpath.normpath("/".join([links[prefix], *parts[end:]]))
                    break
            else:
                return path
        return path

    valid = {link for link in links if resolve(link) in present}

    def keep(entry: tuple[str, str, str]) -> bool:
        return entry[2] != "SYMLINK" or _slashes(entry[0]) in valid

    return [e for e in binaries if keep(e)], [e for e in datas if keep(e)]


def _link_target(name: str, target: str) -> str:
    return posixpath.normpath(posixpath.join(posixpath.dirname(_slashes(name)), _slashes(target)))


def _slashes(name: str) -> str:
    return name.replace("\\", "/")
