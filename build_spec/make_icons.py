"""Renders the app's icon set from its one source, resources/icons/portal-console.svg.

    .venv/bin/python build_spec/make_icons.py            # write the PNG sizes, .ico and .icns
    .venv/bin/python build_spec/make_icons.py --check    # fail if a committed file is stale

Qt's SVG renderer (PySide6.QtSvg, offscreen) draws each PNG size from the vector, so small
sizes are drawn, not scaled down; Pillow (already there through fpdf2) packs the Windows .ico
and the macOS .icns from those PNGs. The outputs are committed, so a build needs no step of its
own; ``--check`` (and tests/packaging) keep them in line with the SVG.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterable
from pathlib import Path

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SOURCE = ICONS / "portal-console.svg"
# Linux hicolor sizes (the .desktop entry's icon), which are also the .ico's and .icns's sources.
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)  # 256 is Windows' largest
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)  # 1024: the 512 @2x entry


def render_png(size: int, source: Path = SOURCE) -> bytes:
    """The SVG drawn at ``size`` x ``size`` pixels on a transparent background, as PNG bytes."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt  # noqa: PLC0415  # Qt and Pillow load only when icons are drawn
    from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: PLC0415  # Qt and Pillow load only when icons are drawn
    from PySide6.QtSvg import QSvgRenderer  # noqa: PLC0415  # Qt and Pillow load only when icons are drawn

    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    renderer = QSvgRenderer(str(source))
    if not renderer.isValid():
        raise SystemExit(f"{source} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def _pack(images: dict[int, bytes], sizes: Iterable[int], kind: str) -> bytes:
    from PIL import Image  # noqa: PLC0415  # Qt and Pillow load only when icons are drawn

    ordered = [Image.open(io.BytesIO(images[size])).convert("RGBA") for size in sizes]
    largest = ordered[-1]
    out = io.BytesIO()
    if kind == "ICO":
        largest.save(out, "ICO", sizes=[im.size for im in ordered], append_images=ordered[:-1])
    else:
        largest.save(out, "ICNS", append_images=ordered[:-1])
    return out.getvalue()


def icon_files(source: Path = SOURCE) -> dict[str, bytes]:
    """Every generated file's name (in resources/icons/) and contents."""
    images = {size: render_png(size, source) for size in sorted({*PNG_SIZES, *ICNS_SIZES})}
    files = {f"{size}.png": images[size] for size in PNG_SIZES}
    files["portal-console.ico"] = _pack(images, ICO_SIZES, "ICO")
    files["portal-console.icns"] = _pack(images, ICNS_SIZES, "ICNS")
    return files


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for name, data in icon_files().items():
        target = ICONS / name
        if target.is_file() and target.read_bytes() == data:
            continue
        if check:
            stale.append(name)
        else:
            target.write_bytes(data)
            print(f"wrote {target.relative_to(ICONS.parent.parent)} ({len(data):,} bytes)")
    if stale:
        print(f"stale icons (run build_spec/make_icons.py): {', '.join(stale)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
