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
    """The file at ``path``, made with ``schema`` (which must create ``sync_state``, the
    ``rebuild_seen`` ids of a rebuild in place, and the ``ROWS`` table they are ids of)."""

    ROWS = ""  # the table a rebuild in place refills (customers, subscriptions)

    def __init__(self, path: Path, schema: str) -> None:
        self.path = path
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        # Connections a thread is using now (how many uses deep), and those close() found in
        # use: closing a connection while another thread runs a query on it crashes the process.
        self._in_use: dict[sqlite3.Connection, int] = {}
        self._close_after_use: set[sqlite3.Connection] = set()
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
        with self._using() as db:
            yield db

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._using() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    @contextmanager
    def _using(self) -> Iterator[sqlite3.Connection]:
        db = self._connect()
        with self._lock:
            self._in_use[db] = self._in_use.get(db, 0) + 1
        try:
            yield db
        finally:
            with self._lock:
                left = self._in_use.pop(db) - 1
                if left:
                    self._in_use[db] = left
                elif db in self._close_after_use:
                    self._close_after_use.discard(db)
                    db.close()

    def close(self) -> None:
        """Closes every thread's connection: now if idle, else when its thread is done with it
        (a window closing while a worker still reads must not pull the file from under it)."""
        with self._lock:
            for db in self._all:
                if db in self._in_use:
                    self._close_after_use.add(db)
                else:
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

    def begin_rebuild(self, state: Mapping[str, str]) -> None:
        """A rebuild in place starts: nothing seen yet; the rows stay searchable meanwhile."""
        with self._transaction() as db:
            db.execute("DELETE FROM rebuild_seen")
            db.executemany("INSERT OR REPLACE INTO sync_state VALUES (?, ?)", state.items())

    def finish_rebuild(self, state: Mapping[str, str | None]) -> int:
        """Removes the rows the rebuild did not see and writes ``state``, in one transaction;
        returns how many rows were removed."""
        with self._transaction() as db:
            gone = db.execute(
                f"DELETE FROM {self.ROWS} WHERE id NOT IN (SELECT id FROM rebuild_seen)"
            ).rowcount
            db.execute("DELETE FROM rebuild_seen")
            self._write_state(db, state)
        return int(gone)

    def set_state(self, state: Mapping[str, str | None]) -> None:
        """Sets the sync state's keys in a transaction of their own; None removes a key."""
        with self._transaction() as db:
            self._write_state(db, state)

    def state(self) -> dict[str, str]:
        with self._connection() as db:
            return dict(db.execute("SELECT key, value FROM sync_state").fetchall())
