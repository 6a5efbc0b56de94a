"""The first window is centred and sized for its screen; icons are drawn for the screen's
pixel density.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QSize

from ui.placement import first_window_geometry

REPO = Path(__file__).resolve().parents[2]
FRAME = 4  # pixels: the offscreen platform's window frame, both sides


# --- the first window ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("available", "expected"),
    [
        # A small laptop: as much as there is.
        (QRect(0, 0, 800, 600), QRect(0, 0, 800, 600)),
        (QRect(0, 0, 1366, 740), QRect(136, 20, 1093, 700)),
        # A common screen: four fifths of it, centred.
        (QRect(0, 0, 1920, 1050), QRect(192, 105, 1536, 840)),
        # A large screen: a comfortable size, not a wall of empty space.
        (QRect(0, 0, 3840, 2100), QRect(1120, 550, 1600, 1000)),
        # A second screen to the right, with a panel at its top.
        (QRect(1920, 32, 1280, 992), QRect(2048, 131, 1024, 794)),
    ],
)
def test_the_first_window_is_sized_for_its_screen_and_centred(
    available: QRect, expected: QRect
) -> None:
    assert first_window_geometry(available, QSize(0, 0)) == expected


PROBE = """
import json
from PySide6.QtWidgets import QApplication
from ui.about import AboutDialog, app_icon
from ui.main_window import MainWindow
app = QApplication([])
window = MainWindow()
window.show()
app.processEvents()
dialog = AboutDialog(window)
frame, screen = window.frameGeometry(), window.screen().availableGeometry()
print(json.dumps({
    "frame": frame.getRect(),
    "screen": screen.getRect(),
    "logo_dpr": dialog.logo.pixmap().devicePixelRatio(),
    "logo_pixels": dialog.logo.pixmap().width(),
    "icon_pixels": app_icon().pixmap(32, 32).width(),
}))
"""


@pytest.mark.parametrize(("width", "height", "dpr"), [(1920, 1080, 1.0), (1440, 900, 2.0)])
def test_a_window_with_nothing_remembered_opens_centred_and_crisp(
    tmp_path: Path, width: int, height: int, dpr: float
) -> None:
    # A fresh process: the offscreen screen's size and density are fixed when Qt starts.
    screen = {"name": "probe", "x": 0, "y": 0, "width": width, "height": height, "dpr": dpr}
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [screen]}), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=REPO,
        env={
            **{k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"},
            "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
        },
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.splitlines()[-1])
    x, y, w, h = seen["frame"]
    sx, sy, sw, sh = seen["screen"]
    assert (sw, sh) == (width, height)
    # As much room left as right, and above as below (give or take a frame's width).
    assert abs((x - sx) - (sx + sw - x - w)) <= FRAME, seen
    assert abs((y - sy) - (sy + sh - y - h)) <= FRAME, seen
    assert w <= sw and h <= sh and w >= 0.75 * sw, seen
    # Icons from the sizes drawn for this density: twice the pixels on a 2x screen.
    assert seen["logo_dpr"] == dpr
    assert seen["logo_pixels"] == 128 * dpr
    assert seen["icon_pixels"] == 32 * dpr
