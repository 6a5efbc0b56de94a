"""One SQLite file used from several threads: a connection per thread, transactions, sync state.

The customer index and the subscriptions index are both caches of Stripe in a file of their
own, written by a sync in a worker thread and read by the window's: each thread gets its own
connection (SQLite connections stay on the thread that opened them), and ``close`` ends them
all. Both keep their sync's progress in a ``sync_state`` table of keys and values, so one sync
(``console.index.sync``) can drive either.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path


class SqliteFile:
    """The file at ``path``, made with ``schema`` (which must create ``sync_state``)."""

    def __init__(self, path: Path, schema: str) -> None:
        self.path = path
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connection() as db:
            db.executescript(schema)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.path})"

    def _connect(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            # Used by its own thread only; check_same_thread=False lets close() end them all.
            db = sqlite3.connect(
                self.path, timeout=30, isolation_level=None, check_same_thread=False
            )
            db.execute("PRAGMA synchronous = NORMAL")
            self._local.db = db
            with self._lock:
                self._all.append(db)
        return db

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        yield self._connect()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        db = self._connect()
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def close(self) -> None:
        """Closes every thread's connection (call when no worker uses the store any more)."""
        with self._lock:
            for db in self._all:
                db.close()
            self._all.clear()
        self._local = threading.local()

    @staticmethod
    def _write_state(db: sqlite3.Connection, state: Mapping[str, str | None]) -> None:
        """Sets the sync state's keys; None removes a key."""
        changes = state.items()
        db.executemany(
            "DELETE FROM sync_state WHERE key = ?",
            [(key,) for key, value in changes if value is None],
        )
        db.executemany(
            "INSERT OR REPLACE INTO sync_state VALUES (?, ?)",
            [(key, value) for key, value in changes if value is not None],
        )

    def set_state(self, state: Mapping[str, str | None]) -> None:
        """Sets the sync state's keys in a transaction of their own; None removes a key."""
        with self._transaction() as db:
            self._write_state(db, state)

    def state(self) -> dict[str, str]:
        with self._connection() as db:
            return dict(db.execute("SELECT key, value FROM sync_state").fetchall())
