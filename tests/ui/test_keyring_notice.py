"""Without a keyring the window says what is missing and how to fix it, in the user's language.

The first two tests run the real app in a process of its own with no D-Bus session (as on a
server, a remote shell or a desktop without GNOME Keyring/KWallet): nothing can open, so the
views give way to the notice, and nothing waits on "Connecting…". The last drives the notice's
"Try again" in this process, whose keyring works (scripts/with_keyring.sh).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from console.keyring_check import KeyringStatus
from tests.ui.conftest import SCREENSHOTS
from ui.app import wait_for_keyring
from ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]


def _app_without_keyring(tmp_path: Path, language: str, screenshot: Path) -> dict[str, Any]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DBUS_SESSION_BUS_ADDRESS", "LANGUAGE", "LC_ALL", "LC_MESSAGES")
        and not k.startswith("XDG_")
    }
    env["HOME"] = str(tmp_path / "home")
    env["LANG"] = language
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.ui.keyring_missing_app",
            str(tmp_path / "data"),
            str(screenshot),
        ],
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
        cwd=ROOT,
        env=env,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert lines, result.stdout[-2000:] + result.stderr[-2000:]
    shown: dict[str, Any] = json.loads(lines[-1])
    return shown


@pytest.mark.slow
def test_without_a_keyring_the_window_says_what_is_missing_and_how_to_fix_it(
    tmp_path: Path,
) -> None:
    shown = _app_without_keyring(tmp_path, "en_US.UTF-8", SCREENSHOTS / "keyring-missing-en.png")
    assert shown["notice_shown"] and not shown["views_shown"]
    assert shown["banner"] == "No keyring to keep API keys"
    assert shown["problem"].startswith("No keyring was found on this desktop.")
    assert "sudo apt install gnome-keyring" in shown["remedy"]
    assert (shown["button"], shown["button_enabled"]) == ("Try again", True)
    assert not (tmp_path / "data" / "sandbox.sqlite3").exists()  # nothing started without keys


@pytest.mark.slow
def test_the_keyring_notice_speaks_german(tmp_path: Path) -> None:
    shown = _app_without_keyring(tmp_path, "de_DE.UTF-8", SCREENSHOTS / "keyring-missing-de.png")
    assert shown["heading"] == "Portal Console braucht den Schlüsselbund des Systems"
    assert shown["problem"].startswith("Auf diesem Desktop wurde kein Schlüsselbund gefunden.")
    assert "sudo apt install gnome-keyring" in shown["remedy"]
    assert shown["button"] == "Erneut versuchen"


def test_try_again_checks_anew_and_opens_the_views_once_the_keyring_works(
    qtbot: Any, run: Callable[..., Any]
) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    # As start-up leaves it after a failed check: a locked keyring, the notice in place of views.
    window.show_keyring_problem(KeyringStatus("keyring.backends.SecretService.Keyring", "locked"))
    assert window.keyring_notice.problem.text() == (
        "The keyring is locked, or its password prompt was closed."
    )
    assert "Unlock the “Login” keyring" in window.keyring_notice.remedy.text()
    assert not window.body.isVisible()
    # This process's keyring works: the first check passes, and the views come back.
    run(wait_for_keyring(window), timeout=30)
    assert not window.keyring_notice.isVisible()
    assert window.body.isVisible()
