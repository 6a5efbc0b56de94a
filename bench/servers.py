"""Starting the servers under test as processes of their own, on loopback, and stopping them."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench.report import CACHE, ROOT


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    """A server process: its base URL, the API key it takes, the process."""

    name: str
    url: str
    api_key: str = field(repr=False)
    process: subprocess.Popen[str] = field(repr=False)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def _read_line(process: subprocess.Popen[str], prefix: str, deadline: float) -> str:
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            raise RuntimeError(f"server exited ({process.wait()}) before it said {prefix!r}")
        if line.startswith(prefix):
            return line[len(prefix) :].strip()
    raise TimeoutError(f"server did not say {prefix!r} in time")


def start_sandbox(
    db: Path | str,
    *,
    seed: str = "none",
    timeout: float = 1800,
    extra_args: Sequence[str] = (),
) -> Server:
    """``portal-console sandbox`` on ``db`` (seeded on its first start, which can take minutes);
    ``extra_args`` such as ``--network stripe-test``."""
    # What it says if it cannot start, for the message; open as long as the server runs.
    errors = tempfile.TemporaryFile("w+")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "console", "sandbox", "--db", str(db), "--seed", seed, *extra_args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=errors,
        text=True,
    )
    deadline = time.monotonic() + timeout
    try:
        url = _read_line(process, "Sandbox listening on ", deadline)
        key = _read_line(process, "API key: ", deadline)
    except BaseException as failed:
        process.kill()
        process.wait()
        errors.seek(0)
        said = errors.read()[-2000:].strip()
        if said:
            raise RuntimeError(f"{failed}; the sandbox said: {said}") from failed
        raise
    return Server("sandbox", url, key, process)


def start_localstripe(timeout: float = 60) -> Server:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.peer_localstripe", "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=os.environ | {"PYTHONUNBUFFERED": "1"},
    )
    try:
        url = _read_line(process, "localstripe listening on ", time.monotonic() + timeout)
    except BaseException:
        process.kill()
        raise
    # localstripe takes any key that looks like one.
    return Server("localstripe", url, "sk_test_bench_peer", process)


def seeded_db(count: int, log: bool = True) -> Path:
    """A sandbox database with ``count`` scale customers, seeded once and kept in the cache."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"scale-{count}.sqlite3"
    if path.exists():
        return path
    partial = path.with_suffix(".partial")
    for leftover in CACHE.glob(partial.name + "*"):
        leftover.unlink()
    started = time.perf_counter()
    if log:
        print(f"seeding {count:,} customers into {path} (once; 1M takes minutes)", flush=True)
    start_sandbox(partial, seed=f"scale:{count}").stop()
    partial.rename(path)
    if log:
        print(f"  seeded in {time.perf_counter() - started:.0f} s", flush=True)
    return path
