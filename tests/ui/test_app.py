"""Start-up: the app starts the built-in sandbox, registers it, and opens the window on it."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from console.accounts import AccountStore
from console.paths import app_dirs
from ui.app import open_on_sandbox
from ui.main_window import MainWindow


def test_the_app_opens_on_the_built_in_sandbox(
    qtbot: Any, run: Callable[..., Any], tmp_path: Path
) -> None:
    dirs = app_dirs(tmp_path)
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    started = time.monotonic()
    session = run(open_on_sandbox(window, dirs), timeout=30)
    try:
        took = time.monotonic() - started
        assert took < 5, f"the window took {took:.1f} s to open on the sandbox"
        assert window.banner.mode.text().strip() == "TEST MODE"
        assert window.banner.account_name.text().startswith("Sandbox")
        assert (dirs.data / "sandbox.sqlite3").is_file()  # demo data kept for next start
        accounts = run(AccountStore(dirs).list_accounts())
        assert [(a.name, a.mode, a.sandbox) for a in accounts] == [("Sandbox", "test", True)]
        qtbot.waitUntil(lambda: "up to date" in window.customers.sync_label.text(), timeout=20_000)
    finally:
        window.shutdown()
        qtbot.waitUntil(lambda: not window.customers.busy(), timeout=10_000)
        run(session.aclose())


def test_the_command_line_does_not_load_qt() -> None:
    """``portal-console sandbox`` must work where Qt cannot load (servers, CI)."""
    code = (
        "import sys\n"
        "from ui import launch\n"
        "try:\n"
        "    launch.main(['customers', '--help'])\n"
        "except SystemExit as done:\n"
        "    assert done.code == 0\n"
        "assert 'PySide6' not in sys.modules, 'the command line imported Qt'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "search" in result.stdout
