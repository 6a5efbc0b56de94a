"""The keyring check says plainly what is missing: real keyrings, each case as a desktop has it.

The suite runs inside scripts/with_keyring.sh (an unlocked GNOME Keyring); the missing and locked
cases run in subprocesses of their own: one with no D-Bus session at all (a server, a remote
shell), one with a private D-Bus session whose GNOME Keyring was started but never unlocked.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from keyring.backends import null

from console.keyring_check import probe_keyring, remedy_for

ROOT = Path(__file__).resolve().parents[3]
PROBE = (
    "import json; from console.keyring_check import probe_keyring; s = probe_keyring(); "
    "print(json.dumps({'backend': s.backend, 'problem': s.problem, 'message': s.message, "
    "'remedy': s.remedy}))"
)


def _probe_in(env: dict[str, str], *wrapper: str) -> dict[str, str | None]:
    result = subprocess.run(
        [*wrapper, sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        cwd=ROOT,
        env=env,
    )
    found: dict[str, str | None] = json.loads(result.stdout.strip().splitlines()[-1])
    return found


def _bare_env(home: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k != "DBUS_SESSION_BUS_ADDRESS" and not k.startswith("XDG_")
    }
    env["HOME"] = str(home)
    return env


def test_the_unlocked_keyring_of_the_session_is_usable() -> None:
    found = probe_keyring()
    assert found.usable
    assert found.problem is None
    assert found.backend == "keyring.backends.SecretService.Keyring"


def test_without_a_desktop_session_the_keyring_is_missing_and_the_fix_is_named(
    tmp_path: Path,
) -> None:
    found = _probe_in(_bare_env(tmp_path))
    assert found["problem"] == "missing"
    assert found["message"] == (
        "No keyring was found. Portal Console keeps API keys only in the system keyring."
    )
    assert "sudo apt install gnome-keyring" in str(found["remedy"])


def test_a_keyring_that_was_never_unlocked_is_called_locked(tmp_path: Path) -> None:
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    env = _bare_env(tmp_path)
    env["XDG_RUNTIME_DIR"] = str(runtime)
    # gnome-keyring-daemon started without --unlock: the first write asks for a password in a
    # prompt window; without a display the prompt is dismissed at once, as a user would cancel.
    found = _probe_in(
        env,
        "dbus-run-session",
        "--",
        "sh",
        "-c",
        'gnome-keyring-daemon --start --components=secrets >/dev/null 2>&1 && exec "$@"',
        "sh",
    )
    assert found["problem"] == "locked"
    assert found["backend"] == "keyring.backends.SecretService.Keyring"
    assert "Unlock the 'Login' keyring" in str(found["remedy"])


def test_a_keyring_that_keeps_nothing_is_not_used() -> None:
    found = probe_keyring(null.Keyring())  # type: ignore[no-untyped-call]  # keyring is untyped there
    assert (found.usable, found.problem) == (False, "unsafe")
    assert "plain file" in found.message


@pytest.mark.parametrize(
    ("platform", "words"),
    [("linux", "gnome-keyring"), ("darwin", "Keychain"), ("win32", "Credential Manager")],
)
def test_the_fix_for_a_missing_keyring_fits_the_system(platform: str, words: str) -> None:
    assert words in remedy_for("missing", platform)
