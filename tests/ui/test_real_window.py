"""One run in a real window: the app under Xvfb (a real X server), every view photographed."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from tests.ui.conftest import SCREENSHOTS

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="xvfb-run is not installed")
@pytest.mark.timeout(180)
def test_every_view_shows_in_a_real_window_under_xvfb(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            "xvfb-run",
            "-a",
            "-s",
            "-screen 0 1280x800x24",
            sys.executable,
            "-m",
            "tests.ui.real_window",
            str(tmp_path),
            str(SCREENSHOTS),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=170,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    shots = [Path(line) for line in result.stdout.split() if line.endswith(".png")]
    assert len(shots) >= 1
    for shot in shots:
        image = QImage(str(shot))
        assert (image.width(), image.height()) == (1280, 800), shot
        # A real window on the screen: many colours, not an empty black X root.
        colours = {image.pixel(x, y) for x in range(0, 1280, 16) for y in range(0, 800, 16)}
        assert len(colours) > 20, f"{shot} looks empty"
