"""scripts/with_keyring.sh: a private keyring for one command, and nothing of it left afterwards."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.packaging.conftest import ROOT


def _processes_with_home(home: str) -> list[int]:
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            variables = environ.read_bytes().split(b"\0")
        except OSError:  # ended meanwhile, or not ours to read
            continue
        if f"HOME={home}".encode() in variables:
            found.append(int(environ.parent.name))
    return found


def test_the_command_gets_a_working_keyring_and_its_home_is_removed_afterwards() -> None:
    probe = (
        "import keyring, os; keyring.set_password('probe', 'u', 's'); "
        "print(os.environ['HOME']); print(keyring.get_password('probe', 'u'))"
    )
    result = subprocess.run(
        ["sh", str(ROOT / "scripts" / "with_keyring.sh"), sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    home, secret = result.stdout.split()
    assert secret == "s"
    assert not Path(home).exists(), "the throwaway HOME was left behind"
    assert _processes_with_home(home) == [], "a keyring daemon outlived the command"


def test_the_commands_exit_status_is_passed_on() -> None:
    result = subprocess.run(
        ["sh", str(ROOT / "scripts" / "with_keyring.sh"), "sh", "-c", "echo $HOME; exit 3"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 3
    assert not Path(result.stdout.strip()).exists()
