"""Start-up on a sandbox database the sandbox cannot use: the window says which file and what
to do, in its error bar, instead of the app ending in a traceback."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from console.paths import app_dirs
from ui.app import _run
from ui.main_window import MainWindow


def test_a_damaged_sandbox_database_is_reported_in_the_window(
    qtbot: Any, qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    dirs = app_dirs(tmp_path)
    dirs.data.mkdir(parents=True, exist_ok=True)
    db = dirs.data / "sandbox.sqlite3"
    db.write_bytes(b"Not a database any more. " * 300)
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    closed = asyncio.Event()
    running = qloop.create_task(_run(window, dirs, closed))
    try:
        qtbot.waitUntil(window.error_bar.isVisible, timeout=30_000)
        shown = window.error_bar.message.text()
        assert str(db) in shown
        assert "damaged or is not a SQLite database" in shown
        assert "Move it aside" in shown
    finally:
        closed.set()
        qtbot.waitUntil(running.done, timeout=10_000)
    running.result()
