"""The sandbox as a real process (``portal-console sandbox``), for tests that kill it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


class SandboxProcess:
    """``python -m console sandbox --db DB --port 0 --seed none``; ``url`` and ``key`` once up."""

    def __init__(self, db: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "console", "sandbox", "--db", str(db), "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            cwd=ROOT,
        )
        assert self.process.stdout is not None
        first = self.process.stdout.readline().strip()
        second = self.process.stdout.readline().strip()
        if not first.startswith("Sandbox listening on "):
            self.kill()
            raise RuntimeError(f"the sandbox did not start: {first!r}")
        self.url = first.removeprefix("Sandbox listening on ")
        self.key = second.removeprefix("API key: ")

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as when the machine loses power to the process."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(15)
        if self.process.stdout is not None:
            self.process.stdout.close()
