"""The sandbox's state: Stripe objects as JSON rows in SQLite.

Every object is one row, scoped to the account that owns it (the platform or a
connected account). A few columns are lifted out of the JSON so that lists,
cursors and the clock's sweep use indexes: ``created`` and ``seq`` order lists
newest first, ``parent`` is the owning customer (or product, or subscription),
and ``due`` is the next moment the clock must act on the object, and ``clock`` the test clock the
object lives on (a test-clock customer's objects; NULL for everything on the sandbox's own clock).

One connection, used from the server's thread only; each request runs in one
``BEGIN IMMEDIATE`` transaction, so it is applied whole or not at all, and WAL
lets another process (a second sandbox, a backup) read meanwhile.
"""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from console.sandbox.state import database_file
from console.sandbox.state.clock_rows import ClockRows
from console.sandbox.state.database_file import DatabaseLock, DatabaseUnusableError

JSON = dict[str, Any]

_TYPE_NAME = re.compile(r"^[a-z_.]+$")
# Filters on these paths match few rows: sort the matches rather than walk the whole type in
# created order looking for them (an email filter over a million customers).
_SELECTIVE_PATHS = frozenset({"$.email"})
_JSON_PATH = re.compile(r"^\$(\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\])+$")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS objects (
    seq      INTEGER PRIMARY KEY,
    id       TEXT NOT NULL UNIQUE,
    account  TEXT NOT NULL,
    type     TEXT NOT NULL,
    created  INTEGER NOT NULL,
    parent   TEXT,
    due      INTEGER,
    data     TEXT NOT NULL,
    clock    TEXT
);
CREATE INDEX IF NOT EXISTS objects_by_type ON objects (account, type, created DESC, seq DESC);
CREATE INDEX IF NOT EXISTS objects_by_parent
    ON objects (account, type, parent, created DESC, seq DESC) WHERE parent IS NOT NULL;
CREATE INDEX IF NOT EXISTS objects_due ON objects (due) WHERE due IS NOT NULL;
CREATE INDEX IF NOT EXISTS customers_by_email
    ON objects (account, json_extract(data, '$.email')) WHERE type = 'customer';
CREATE INDEX IF NOT EXISTS customers_by_email_nocase
    ON objects (account, lower(json_extract(data, '$.email'))) WHERE type = 'customer';
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS idempotency (
    account  TEXT NOT NULL,
    key      TEXT NOT NULL,
    request  TEXT NOT NULL,
    status   INTEGER NOT NULL,
    body     TEXT NOT NULL,
    created  INTEGER NOT NULL,
    PRIMARY KEY (account, key)
);
CREATE TABLE IF NOT EXISTS lookup (
    account TEXT NOT NULL,
    kind    TEXT NOT NULL,
    value   TEXT NOT NULL,
    id      TEXT NOT NULL,
    PRIMARY KEY (account, kind, value)
);
CREATE TABLE IF NOT EXISTS deliveries (
    id           INTEGER PRIMARY KEY,
    endpoint     TEXT NOT NULL,
    event        TEXT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_attempt REAL NOT NULL,
    status       TEXT NOT NULL DEFAULT 'pending',
    last_error   TEXT
);
CREATE INDEX IF NOT EXISTS deliveries_pending ON deliveries (status, next_attempt);
"""


@dataclass(frozen=True, slots=True)
class Page:
    items: list[JSON]
    has_more: bool


class Store(ClockRows):
    """Objects by id, lists by account and type, in one SQLite database."""

    def __init__(self, path: str) -> None:
        """Open (or make) the database; :class:`DatabaseUnusableError` says why it is unusable."""
        self.path = path
        self._file_lock: DatabaseLock | None = None
        if path != ":memory:":
            try:
                database_file.prepare(path)
                self._file_lock = DatabaseLock(path)
            except OSError as error:
                raise DatabaseUnusableError(
                    f"The sandbox database {path} cannot be made or opened ({error.strerror}). "
                    "Make its folder writable for you, or give the sandbox another database file."
                ) from None
        try:
            self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            self._open()
        except (sqlite3.Error, DatabaseUnusableError) as error:
            with contextlib.suppress(AttributeError, sqlite3.Error):
                self._db.close()
            if self._file_lock is not None:
                self._file_lock.release()
            if isinstance(error, DatabaseUnusableError):
                raise
            raise database_file.describe(path, error) from None
        if path != ":memory:":
            database_file.narrow_modes(path)
        self._lock = threading.RLock()
        self._depth = 0
        # Work that may only happen once the open transaction is stored (the clock's move).
        self._on_commit: list[Callable[[], None]] = []

    def _open(self) -> None:
        # Another program's database is left as it is: no tables added, no WAL switched on.
        tables = {
            str(row[0])
            for row in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        if tables and not {"objects", "meta"} <= tables:
            raise database_file.not_a_sandbox_database(self.path, tables)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._db.executescript(_SCHEMA)
        self.add_clock_column()
        # A read-only file opens and reads fine and would fail at the first change: find out
        # now, with a write that is rolled back.
        self._db.execute("BEGIN IMMEDIATE")
        try:
            self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('opened', '')")
        finally:
            self._db.execute("ROLLBACK")

    def close(self) -> None:
        with self._lock:
            self._db.close()
            if self._file_lock is not None:
                self._file_lock.release()

    # -- transactions -------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Apply everything inside whole or not at all; nested calls join the outer one."""
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            self._db.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield
                # A COMMIT can fail too (disk full, I/O error): the transaction is then still
                # open and must be rolled back, or the next BEGIN fails and nothing ever commits.
                self._db.execute("COMMIT")
            except BaseException:
                self._on_commit.clear()
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise
            finally:
                self._depth = 0
            committed, self._on_commit = self._on_commit, []
            for callback in committed:
                callback()

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` once the open transaction is stored, never if it is rolled back.

        Outside a transaction each statement commits on its own, so it runs at once.
        """
        with self._lock:
            if self._depth:
                self._on_commit.append(callback)
                return
        callback()

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """Work inside is kept if it succeeds and undone if it raises, the rest of the open
        transaction going on either way (one object's step in a test clock's advance)."""
        with self._lock:
            if not self._depth:
                raise RuntimeError("savepoint() needs an open transaction")
            self._db.execute("SAVEPOINT step")
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK TO step")
                self._db.execute("RELEASE step")
                raise
            self._db.execute("RELEASE step")

    @contextmanager
    def rolled_back(self) -> Iterator[None]:
        """Work inside is undone at the end, whatever happens (previews of a change)."""
        with self._lock:
            if not self._depth:
                raise RuntimeError("rolled_back() needs an open transaction")
            self._db.execute("SAVEPOINT rolled_back")
            try:
                yield
            finally:
                self._db.execute("ROLLBACK TO rolled_back")
                self._db.execute("RELEASE rolled_back")

    # -- objects ------------------------------------------------------------

    def insert(
        self,
        obj: JSON,
        *,
        account: str,
        parent: str | None = None,
        due: int | None = None,
        clock: str | None = None,
    ) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO objects (id, account, type, created, parent, due, data, clock)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    obj["id"],
                    account,
                    obj["object"],
                    int(obj.get("created") or 0),
                    parent,
                    due,
                    json.dumps(obj, separators=(",", ":")),
                    clock,
                ),
            )

    def insert_many(self, rows: Sequence[tuple[JSON, str, str | None, int | None]]) -> None:
        """Bulk insert for seeding: (object, account, parent, due) rows."""
        with self._lock:
            self._db.executemany(
                "INSERT INTO objects (id, account, type, created, parent, due, data)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    (
                        o["id"],
                        a,
                        o["object"],
                        int(o.get("created") or 0),
                        p,
                        d,
                        json.dumps(o, separators=(",", ":")),
                    )
                    for o, a, p, d in rows
                ),
            )

    def insert_serialized(
        self,
        rows: Sequence[tuple[str, str, str, int, str | None, int | None, str]],
        lookups: Sequence[tuple[str, str, str, str]] = (),
    ) -> None:
        """Bulk insert of rows whose JSON is already serialised (the scale seed's copies):
        (id, account, type, created, parent, due, data), and (account, kind, value, id) lookups.
        """
        with self._lock:
            self._db.executemany(
                "INSERT INTO objects (id, account, type, created, parent, due, data)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            self._db.executemany(
                "INSERT OR REPLACE INTO lookup (account, kind, value, id) VALUES (?, ?, ?, ?)",
                lookups,
            )

    def query(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """A read-only SQL query for callers that build their own (search, the scale seed).

        Values are always bound; only the SELECT statement's shape comes from the caller.
        """
        head = sql.lstrip().upper()
        if not head.startswith(("SELECT", "EXPLAIN QUERY PLAN SELECT")):
            raise ValueError("Store.query is for SELECT statements")
        with self._lock:
            return [tuple(row) for row in self._db.execute(sql, args).fetchall()]

    def save(self, obj: JSON, *, due: int | bool | None = False) -> None:
        """Write back a changed object; ``due`` False leaves the clock column as it was."""
        data = json.dumps(obj, separators=(",", ":"))
        with self._lock:
            if due is False:
                self._db.execute("UPDATE objects SET data = ? WHERE id = ?", (data, obj["id"]))
            else:
                self._db.execute(
                    "UPDATE objects SET data = ?, due = ? WHERE id = ?", (data, due, obj["id"])
                )

    def set_parent(self, object_id: str, parent: str | None) -> None:
        """Move an object under another owner (a payment method attached or detached)."""
        with self._lock:
            self._db.execute("UPDATE objects SET parent = ? WHERE id = ?", (parent, object_id))

    def replace_type(self, object_id: str, new_type: str, data: JSON) -> None:
        with self._lock:
            self._db.execute(
                "UPDATE objects SET type = ?, data = ?, due = NULL WHERE id = ?",
                (new_type, json.dumps(data, separators=(",", ":")), object_id),
            )

    def remove(self, object_id: str) -> None:
        with self._lock:
            self._db.execute("DELETE FROM objects WHERE id = ?", (object_id,))

    def get(self, object_id: str, *, account: str | None = None) -> JSON | None:
        with self._lock:
            if account is None:
                row = self._db.execute(
                    "SELECT data FROM objects WHERE id = ?", (object_id,)
                ).fetchone()
            else:
                row = self._db.execute(
                    "SELECT data FROM objects WHERE id = ? AND account = ?", (object_id, account)
                ).fetchone()
        if row is None:
            return None
        obj: JSON = json.loads(row[0])
        return obj

    def due_of(self, object_id: str) -> int | None:
        with self._lock:
            row = self._db.execute("SELECT due FROM objects WHERE id = ?", (object_id,)).fetchone()
        return None if row is None or row[0] is None else int(row[0])

    def owner(self, object_id: str) -> str | None:
        with self._lock:
            row = self._db.execute(
                "SELECT account FROM objects WHERE id = ?", (object_id,)
            ).fetchone()
        return None if row is None else str(row[0])

    def cursor_of(self, object_id: str, account: str, type_: str) -> tuple[int, int] | None:
        with self._lock:
            row = self._db.execute(
                "SELECT created, seq FROM objects WHERE id = ? AND account = ? AND type = ?",
                (object_id, account, type_),
            ).fetchone()
        return None if row is None else (int(row[0]), int(row[1]))

    def page(
        self,
        *,
        account: str,
        type_: str,
        parent: str | None = None,
        where: Sequence[tuple[str, Any]] = (),
        created: JSON | None = None,
        limit: int = 10,
        after: tuple[int, int] | None = None,
        before: tuple[int, int] | None = None,
    ) -> Page:
        """Newest first. ``where`` holds (json path, value) equality filters on the JSON."""
        if not _TYPE_NAME.match(type_):
            raise ValueError(f"not an object type: {type_!r}")
        # The type is written into the SQL (handlers pass constants) so that partial indexes
        # such as customers_by_email (WHERE type = 'customer') can serve the query.
        sql = [f"SELECT data FROM objects WHERE account = ? AND type = '{type_}'"]
        args: list[Any] = [account]
        if parent is not None:
            sql.append("AND parent = ?")
            args.append(parent)
        for path, value in where:
            # The path is written into the SQL (never user input: handlers pass constants) so
            # that SQLite can use expression indexes such as customers_by_email.
            if not _JSON_PATH.match(path):
                raise ValueError(f"not a JSON path: {path!r}")
            column = f"json_extract(data, '{path}')"
            if isinstance(value, (list, tuple)):
                marks = ",".join("?" * len(value))
                sql.append(f"AND {column} IN ({marks})")
                args.extend(value)
            elif value is None:
                sql.append(f"AND {column} IS NULL")
            else:
                sql.append(f"AND {column} = ?")
                args.append(int(value) if isinstance(value, bool) else value)
        for op, symbol in (("gt", ">"), ("gte", ">="), ("lt", "<"), ("lte", "<=")):
            if created and op in created:
                sql.append(f"AND created {symbol} ?")
                args.append(created[op])
        if created and "eq" in created:
            sql.append("AND created = ?")
            args.append(created["eq"])
        if after is not None:
            sql.append("AND (created < ? OR (created = ? AND seq < ?))")
            args.extend([after[0], after[0], after[1]])
            order = "ORDER BY created DESC, seq DESC"
        elif before is not None:
            sql.append("AND (created > ? OR (created = ? AND seq > ?))")
            args.extend([before[0], before[0], before[1]])
            order = "ORDER BY created ASC, seq ASC"
        else:
            order = "ORDER BY created DESC, seq DESC"
        if any(path in _SELECTIVE_PATHS for path, _value in where):
            order = order.replace("created", "created + 0", 1)
        sql.append(order)
        sql.append("LIMIT ?")
        args.append(limit + 1)
        with self._lock:
            rows = self._db.execute(" ".join(sql), args).fetchall()
        items = [json.loads(r[0]) for r in rows[:limit]]
        if before is not None:
            items.reverse()
        return Page(items=items, has_more=len(rows) > limit)

    def scan(self, *, account: str, type_: str, parent: str | None = None) -> Iterator[JSON]:
        """Every object of a type, newest first, fetched in batches (for search and sweeps)."""
        after: tuple[int, int] | None = None
        while True:
            sql = "SELECT data, created, seq FROM objects WHERE account = ? AND type = ?"
            args: list[Any] = [account, type_]
            if parent is not None:
                sql += " AND parent = ?"
                args.append(parent)
            if after is not None:
                sql += " AND (created < ? OR (created = ? AND seq < ?))"
                args.extend([after[0], after[0], after[1]])
            sql += " ORDER BY created DESC, seq DESC LIMIT 500"
            with self._lock:
                rows = self._db.execute(sql, args).fetchall()
            for data, _created, _seq in rows:
                yield json.loads(data)
            if len(rows) < 500:
                return
            after = (int(rows[-1][1]), int(rows[-1][2]))

    def count(self, *, account: str, type_: str, parent: str | None = None) -> int:
        sql = "SELECT COUNT(*) FROM objects WHERE account = ? AND type = ?"
        args: list[Any] = [account, type_]
        if parent is not None:
            sql += " AND parent = ?"
            args.append(parent)
        with self._lock:
            return int(self._db.execute(sql, args).fetchone()[0])

    def due_before(self, moment: int, limit: int = 500, *, clock: str | None = None) -> list[JSON]:
        """Objects due by ``moment``, soonest first: those on the sandbox's own clock, or with
        ``clock`` those on that test clock (which only its advance acts on)."""
        on_clock = "clock IS NULL" if clock is None else "clock = ?"
        args: list[Any] = [] if clock is None else [clock]
        with self._lock:
            rows = self._db.execute(
                f"SELECT data FROM objects WHERE {on_clock} AND due IS NOT NULL AND due <= ?"
                " ORDER BY due LIMIT ?",
                (*args, moment, limit),
            ).fetchall()
        return [json.loads(r[0]) for r in rows]

    def account_of(self, object_id: str) -> str | None:
        return self.owner(object_id)

    # -- lookups (unique secondary keys: lookup_key, promotion code, portal tokens) -----------

    def lookup(self, account: str, kind: str, value: str) -> str | None:
        with self._lock:
            row = self._db.execute(
                "SELECT id FROM lookup WHERE account = ? AND kind = ? AND value = ?",
                (account, kind, value),
            ).fetchone()
        return None if row is None else str(row[0])

    def set_lookup(self, account: str, kind: str, value: str, object_id: str | None) -> None:
        with self._lock:
            if object_id is None:
                self._db.execute(
                    "DELETE FROM lookup WHERE account = ? AND kind = ? AND value = ?",
                    (account, kind, value),
                )
            else:
                self._db.execute(
                    "INSERT OR REPLACE INTO lookup (account, kind, value, id) VALUES (?, ?, ?, ?)",
                    (account, kind, value, object_id),
                )

    # -- meta -----------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    # -- idempotency ----------------------------------------------------------

    def idempotent_result(self, account: str, key: str) -> tuple[str, int, str] | None:
        with self._lock:
            row = self._db.execute(
                "SELECT request, status, body FROM idempotency WHERE account = ? AND key = ?",
                (account, key),
            ).fetchone()
        return None if row is None else (str(row[0]), int(row[1]), str(row[2]))

    def remember_result(
        self, account: str, key: str, request: str, status: int, body: str, created: int
    ) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO idempotency (account, key, request, status, body, created)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (account, key, request, status, body, created),
            )

    def forget_results_before(self, moment: int) -> None:
        with self._lock:
            self._db.execute("DELETE FROM idempotency WHERE created < ?", (moment,))

    # -- webhook deliveries ----------------------------------------------------

    def queue_delivery(self, endpoint: str, event: str, at: float) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO deliveries (endpoint, event, next_attempt) VALUES (?, ?, ?)",
                (endpoint, event, at),
            )

    def due_deliveries(self, moment: float, limit: int = 100) -> list[tuple[int, str, str, int]]:
        with self._lock:
            rows = self._db.execute(
                "SELECT id, endpoint, event, attempts FROM deliveries"
                " WHERE status = 'pending' AND next_attempt <= ? ORDER BY next_attempt LIMIT ?",
                (moment, limit),
            ).fetchall()
        return [(int(r[0]), str(r[1]), str(r[2]), int(r[3])) for r in rows]

    def next_delivery_at(self) -> float | None:
        with self._lock:
            row = self._db.execute(
                "SELECT MIN(next_attempt) FROM deliveries WHERE status = 'pending'"
            ).fetchone()
        return None if row is None or row[0] is None else float(row[0])

    def finish_delivery(
        self, delivery: int, *, status: str, attempts: int, next_attempt: float, error: str | None
    ) -> None:
        with self._lock:
            self._db.execute(
                "UPDATE deliveries SET status = ?, attempts = ?, next_attempt = ?, last_error = ?"
                " WHERE id = ?",
                (status, attempts, next_attempt, error, delivery),
            )

    def integrity_ok(self) -> bool:
        with self._lock:
            row = self._db.execute("PRAGMA integrity_check").fetchone()
        return bool(row and row[0] == "ok")
