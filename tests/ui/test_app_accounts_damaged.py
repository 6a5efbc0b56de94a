"""Start-up on a damaged account list: the window names the file, where it was moved and what
to do, and still opens on the built-in sandbox, instead of ending in a traceback."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from console.paths import app_dirs
from ui.app import _run
from ui.main_window import MainWindow


def test_a_damaged_account_list_is_said_and_the_sandbox_opens(
    qtbot: Any, qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    dirs = app_dirs(tmp_path)
    dirs.registry_file.parent.mkdir(parents=True, exist_ok=True)
    dirs.registry_file.write_text('{"accounts": [{"id": ', "utf-8")
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    closed = asyncio.Event()
    running = qloop.create_task(_run(window, dirs, closed))
    try:
        qtbot.waitUntil(
            lambda: window.workspace is not None and window.workspace.context is not None,
            timeout=30_000,
        )
        assert window.error_bar.isVisible()
        shown = window.error_bar.message.text()
        assert f"The account list {dirs.registry_file} was damaged" in shown
        assert "still in the keyring" in shown
        (aside,) = dirs.registry_file.parent.glob("accounts.damaged-*.json")
        assert aside.read_text("utf-8") == '{"accounts": [{"id": '
    finally:
        closed.set()
        qtbot.waitUntil(running.done, timeout=10_000)
    running.result()
