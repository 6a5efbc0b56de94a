"""Fixtures of the reliability suite: a file-backed sandbox whose database a test may read."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from console.sandbox import Sandbox


def objects_digest(db: Path) -> str:
    """A hash of every stored object (and unique key), read through a read-only connection.

    WAL lets this second connection read while the sandbox serves; a refused request must
    leave this hash as it was.
    """
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        digest = hashlib.sha256()
        for row in connection.execute("SELECT id, account, data FROM objects ORDER BY seq"):
            digest.update(repr(row).encode())
        for row in connection.execute("SELECT * FROM lookup ORDER BY account, kind, value"):
            digest.update(repr(row).encode())
        return digest.hexdigest()
    finally:
        connection.close()


@pytest.fixture(scope="module")
def file_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    db = tmp_path_factory.mktemp("reliability") / "sandbox.sqlite3"
    with Sandbox(str(db), webhook_retry_base=0.2, sweep_interval=0.5) as running:
        yield running
