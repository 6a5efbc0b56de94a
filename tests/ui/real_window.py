"""Drives the app in a real X window (run under Xvfb by test_real_window.py) and photographs it.

Not offscreen: the xcb platform, a real X server, the whole screen grabbed as a person
would see it. Usage: ``python -m tests.ui.real_window <data dir> <screenshot dir>``.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "xcb"
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox --disable-gpu")

import qasync
from PySide6.QtWidgets import QApplication

from console.paths import app_dirs
from ui.app import open_on_sandbox
from ui.main_window import MainWindow

SETTLE_SECONDS = 2.5  # long enough for a view's first load on a busy 2-core machine


async def photograph(window: MainWindow, data: Path, out: Path) -> list[Path]:
    workspace = await open_on_sandbox(window, app_dirs(data))
    saved = []
    try:
        for _ in range(200):
            if "up to date" in window.customers.sync_label.text():
                break
            await asyncio.sleep(0.1)
        window.customers.search.setText("Emily")  # a demo customer: the detail pane fills
        for _ in range(50):
            await asyncio.sleep(0.1)
            if window.customers.model.rowCount() > 0:
                window.customers.select_row(0)
                break
        for row, view in enumerate(window.views):
            window.show_view(row)
            await asyncio.sleep(SETTLE_SECONDS)
            screen = QApplication.primaryScreen()
            path = out / f"real-window-{row + 1}-{view.objectName()}.png"
            if not screen.grabWindow(0).save(str(path)):
                raise RuntimeError(f"could not save {path}")
            saved.append(path)
    finally:
        window.shutdown()
        await workspace.aclose()
    return saved


def main() -> int:
    data, out = Path(sys.argv[1]), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(["portal-console"])
    app.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    window = MainWindow()
    window.resize(1280, 800)
    window.show()
    with loop:
        saved = loop.run_until_complete(photograph(window, data, out))
    print("\n".join(str(path) for path in saved))
    return 0


if __name__ == "__main__":
    sys.exit(main())
