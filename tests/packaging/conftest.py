"""Packaging tests: the version, the icons, the About box, the self-test, the Linux package.

Qt runs offscreen here too (these tests may run without tests/ui's conftest).
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
# The build scripts' helpers (project_info, make_icons, ...) live in build_spec/, not a package.
sys.path.insert(0, str(ROOT / "build_spec"))


def save_screenshot(widget: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    assert widget.grab().save(str(path))
    return path
