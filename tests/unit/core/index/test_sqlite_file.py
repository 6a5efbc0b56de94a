"""Closing an index while another thread still reads it waits for that read, instead of closing
the connection under it (which crashed the window when an account switch met a running sync)."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from console.index.sqlite_file import SqliteFile

SCHEMA = "CREATE TABLE IF NOT EXISTS sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);"


class Probe(SqliteFile):
    def read_while(self, inside: threading.Event, go_on: threading.Event) -> dict[str, str]:
        with self._connection() as db:
            inside.set()
            go_on.wait(timeout=10)
            return dict(db.execute("SELECT key, value FROM sync_state").fetchall())


def test_close_waits_for_a_read_in_another_thread(tmp_path: Path) -> None:
    store = Probe(tmp_path / "index.sqlite3", SCHEMA)
    store.set_state({"cursor": "cus_1"})
    inside, go_on = threading.Event(), threading.Event()
    seen: list[dict[str, str]] = []
    reader = threading.Thread(target=lambda: seen.append(store.read_while(inside, go_on)))
    reader.start()
    assert inside.wait(timeout=10)
    store.close()  # the reader is inside its read: its connection must stay open until it ends
    go_on.set()
    reader.join(timeout=10)
    assert seen == [{"cursor": "cus_1"}]
    # The reader's connection was closed once its read ended, the main thread's at once.
    assert not store._in_use
    assert not store._close_after_use


def test_an_idle_connection_is_closed_at_once(tmp_path: Path) -> None:
    store = Probe(tmp_path / "index.sqlite3", SCHEMA)
    with store._connection() as db:
        pass
    store.close()
    with pytest.raises(sqlite3.ProgrammingError):
        db.execute("SELECT 1")
    # And the file can be used again afterwards (a new connection), as the recovery does.
    assert store.state() == {}
