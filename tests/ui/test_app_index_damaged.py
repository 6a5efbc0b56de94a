"""Opening an account whose customer index file is damaged: the index is rebuilt (it is only a
copy of Stripe's customers) and the window says so in its error bar, instead of a traceback."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from console.paths import app_dirs
from ui.app import _run
from ui.main_window import MainWindow


def _start(qtbot: Any, qloop: asyncio.AbstractEventLoop, dirs: Any) -> tuple[MainWindow, Any]:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    closed = asyncio.Event()
    running = qloop.create_task(_run(window, dirs, closed))
    return window, (closed, running)


def _stop(qtbot: Any, handle: Any) -> None:
    closed, running = handle
    closed.set()
    qtbot.waitUntil(running.done, timeout=10_000)
    running.result()


def test_a_damaged_index_is_rebuilt_and_said(
    qtbot: Any, qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    dirs = app_dirs(tmp_path)
    window, handle = _start(qtbot, qloop, dirs)
    try:
        qtbot.waitUntil(
            lambda: window.workspace is not None and window.workspace.context is not None,
            timeout=30_000,
        )
        assert window.workspace is not None and window.workspace.context is not None
        index = window.workspace.context.index.path
        assert not window.error_bar.isVisible()
    finally:
        _stop(qtbot, handle)

    index.write_bytes(b"\0" * max(index.stat().st_size, 4096))
    # The whole database is damaged: SQLite would otherwise read page 1 back from a write-ahead
    # log left by a connection still open in this process, and find nothing wrong.
    for companion in ("-wal", "-shm"):
        index.with_name(index.name + companion).unlink(missing_ok=True)

    window, handle = _start(qtbot, qloop, dirs)
    try:
        qtbot.waitUntil(window.error_bar.isVisible, timeout=30_000)
        shown = window.error_bar.message.text()
        assert f"The customer index {index} was damaged" in shown
        assert "rebuilt" in shown
        assert window.workspace is not None and window.workspace.context is not None
    finally:
        _stop(qtbot, handle)
