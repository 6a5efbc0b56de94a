"""The local customer index: one SQLite file per account and mode, searched as you type.

``customers`` holds what a lookup shows; ``customers_fts`` (FTS5, external content,
kept in step by triggers) indexes name, email, phone (also digits only), id and metadata
values, with prefix indexes for 2 and 3 characters. A customer's rowid is made from its
``created`` time, so "newest first" is FTS5's own rowid order and a first page needs no
sort, even when a prefix matches a hundred thousand customers.

Blocking: call it from a worker thread (``asyncio.to_thread``); ``SqliteFile`` gives each
thread its own connection.
"""

from __future__ import annotations

import json
import re
import sqlite3
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from console.index.sqlite_file import SqliteFile

SCHEMA = """
PRAGMA journal_mode = WAL;
CREATE TABLE IF NOT EXISTS customers (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    name TEXT,
    email TEXT,
    phone TEXT,
    phone_digits TEXT,
    metadata_values TEXT,
    created INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS customers_email ON customers (lower(email));
CREATE INDEX IF NOT EXISTS customers_name ON customers (lower(name));
CREATE INDEX IF NOT EXISTS customers_phone ON customers (phone_digits);
CREATE VIRTUAL TABLE IF NOT EXISTS customers_fts USING fts5 (
    id, name, email, phone, phone_digits, metadata_values,
    content = 'customers', content_rowid = 'rowid', prefix = '2 3',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER IF NOT EXISTS customers_ai AFTER INSERT ON customers BEGIN
    INSERT INTO customers_fts (rowid, id, name, email, phone, phone_digits, metadata_values)
    VALUES (new.rowid, new.id, new.name, new.email, new.phone, new.phone_digits,
            new.metadata_values);
END;
CREATE TRIGGER IF NOT EXISTS customers_ad AFTER DELETE ON customers BEGIN
    INSERT INTO customers_fts (customers_fts, rowid, id, name, email, phone, phone_digits,
                               metadata_values)
    VALUES ('delete', old.rowid, old.id, old.name, old.email, old.phone, old.phone_digits,
            old.metadata_values);
END;
CREATE TABLE IF NOT EXISTS sync_state (key TEXT PRIMARY KEY, value TEXT);
-- While the index is rebuilt in place (the old rows stay searchable), the customers the rebuild
-- has written; those it never wrote are gone from Stripe and are removed at its end.
CREATE TABLE IF NOT EXISTS rebuild_seen (id TEXT PRIMARY KEY) WITHOUT ROWID;
"""

# Low bits of a rowid that tell apart customers created in the same second.
_SLOT_BITS = 20
_TOKEN = re.compile(r"\w+", re.UNICODE)
_PHONE_LIKE = re.compile(r"^\+?[\d\s().-]+$")
_ID_PREFIX = re.compile(r"^cus_\w*$")


@dataclass(frozen=True, slots=True)
class IndexedCustomer:
    """What a search result shows."""

    id: str
    name: str | None
    email: str | None
    phone: str | None
    created: int


@dataclass(frozen=True, slots=True)
class IndexPage:
    """One page of customers; pass ``next_cursor`` as ``after`` for the next (None: no more).

    The cursor is the key the scan stopped at (a rowid, or an email/id for prefix ranges),
    so the next page starts there: fetching more costs one page, however deep.
    """

    customers: tuple[IndexedCustomer, ...]
    next_cursor: str | None


@dataclass(frozen=True, slots=True)
class CustomerRow:
    """One customer as the index stores it (from a Stripe customer's JSON)."""

    id: str
    name: str | None
    email: str | None
    phone: str | None
    metadata: Mapping[str, str]
    created: int

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CustomerRow:
        return cls(
            id=str(data["id"]),
            name=data.get("name"),
            email=data.get("email"),
            phone=data.get("phone"),
            metadata={str(k): str(v) for k, v in (data.get("metadata") or {}).items()},
            created=int(data.get("created") or 0),
        )


def _digits(text: str | None) -> str | None:
    found = "".join(ch for ch in text or "" if ch.isdigit())
    return found or None


def match_expression(query: str) -> str | None:
    """FTS5 query for what was typed: every word, the last one as a prefix.

    "jenny@exa" becomes ``"jenny" "exa"*``. Words are ANDed, not a phrase: a phrase needs
    position lists, which costs tens of milliseconds for common words at a million rows.
    A trailing one-letter word is left out (there is no one-letter prefix index, and
    expanding it means merging a fifth of the index): it narrows on the next keystroke.
    Something that looks like a phone number matches the phone's digits as one prefix.
    None when nothing is left to match.
    """
    text = query.strip()
    digits = _digits(text) or ""
    if _PHONE_LIKE.match(text) and len(digits) >= 3:
        return f'phone_digits : "{digits}"*'
    words = _TOKEN.findall(text)
    if len(words) > 1 and len(words[-1]) == 1:
        words = words[:-1]
    if not words or (len(words[-1]) < 2 and len(words) == 1):
        return None
    return " ".join([f'"{w}"' for w in words[:-1]] + [f'"{words[-1]}"*'])


class IndexStore(SqliteFile):
    """The index file of one account and mode."""

    ROWS = "customers"

    def __init__(self, path: Path) -> None:
        super().__init__(path, SCHEMA)

    # --- writing -----------------------------------------------------------------------------

    def _upsert_all(self, db: sqlite3.Connection, rows: Iterable[CustomerRow]) -> None:
        """Writes ``rows`` (a page: up to a few hundred) with a handful of statements.

        While a full sync runs, this runs in a worker thread beside the event loop's. SQLite
        works without the GIL, Python loops hold it: so the rows are prepared in one
        comprehension and written with ``executemany``, and a statement per row happens only
        for the rare customer whose rowid slot is taken.
        """
        latest = {row.id: row for row in rows}  # the same id twice: the last one wins
        if not latest:
            return
        ids = [(customer_id,) for customer_id in latest]
        db.executemany("DELETE FROM customers WHERE id = ?", ids)
        values = [
            (
                _slot(row),
                row.id,
                row.name,
                row.email,
                row.phone,
                _digits(row.phone),
                " ".join(row.metadata.values()) or None,
                row.created,
            )
            for row in latest.values()
        ]
        # A slot already taken (two customers of the same second on one slot) is left out
        # here, found below by its missing id, and written on the next free slot.
        inserted = db.executemany(
            f"INSERT OR IGNORE INTO customers ({_WRITTEN}) VALUES ({_PLACES})", values
        ).rowcount
        if inserted == len(values):
            return
        written = {
            found
            for (found,) in db.execute(
                "SELECT id FROM customers WHERE id IN (SELECT value FROM json_each(?))",
                (json.dumps(list(latest)),),
            )
        }
        for first_try, *rest in values:
            if rest[0] in written:
                continue
            slot = first_try
            while db.execute("SELECT 1 FROM customers WHERE rowid = ?", (slot,)).fetchone():
                slot += 1
            db.execute(f"INSERT INTO customers ({_WRITTEN}) VALUES ({_PLACES})", (slot, *rest))

    def apply(
        self,
        upserts: Iterable[CustomerRow] = (),
        deletions: Iterable[str] = (),
        state: Mapping[str, str | None] | None = None,
        *,
        rebuilding: bool = False,
    ) -> None:
        """Changes customers and the sync state in one transaction: all or nothing.

        ``rebuilding``: the upserts come from a rebuild in place and are remembered as seen.
        """
        upserts = list(upserts)
        with self._transaction() as db:
            self._upsert_all(db, upserts)
            if rebuilding:
                db.executemany(
                    "INSERT OR IGNORE INTO rebuild_seen VALUES (?)", [(row.id,) for row in upserts]
                )
            db.executemany(
                "DELETE FROM customers WHERE id = ?", [(customer_id,) for customer_id in deletions]
            )
            self._write_state(db, state or {})

    def clear(self) -> None:
        with self._transaction() as db:
            db.execute("DELETE FROM customers")
            db.execute("DELETE FROM sync_state")
            db.execute("DELETE FROM rebuild_seen")

    # --- reading -----------------------------------------------------------------------------

    def count(self) -> int:
        with self._connection() as db:
            return int(db.execute("SELECT count(*) FROM customers").fetchone()[0])

    def get(self, customer_id: str) -> IndexedCustomer | None:
        with self._connection() as db:
            row = db.execute(
                "SELECT id, name, email, phone, created FROM customers WHERE id = ?",
                (customer_id,),
            ).fetchone()
        return IndexedCustomer(*row) if row else None

    def search(self, query: str, limit: int = 50) -> tuple[IndexedCustomer, ...]:
        """The first page of ``search_page``: exact matches first, then prefix matches."""
        return self.search_page(query, limit).customers

    def recent(self, limit: int = 50, after: str | None = None) -> IndexPage:
        """The newest customers, a page at a time (what an empty search shows)."""
        if limit <= 0:
            return IndexPage((), None)
        # The bound is written into the SQL only when there is one: "? IS NULL OR rowid < ?"
        # would keep SQLite from using it as a range on the rowid.
        bound, where = (int(after), "WHERE c.rowid < ?") if after else (None, "")
        with self._connection() as db:
            rows = db.execute(
                f"SELECT c.rowid, {_COLUMNS} FROM customers c {where}"
                " ORDER BY c.rowid DESC LIMIT ?",
                (bound, limit + 1) if bound is not None else (limit + 1,),
            ).fetchall()
        page = rows[:limit]
        more = len(rows) > limit
        return IndexPage(
            tuple(IndexedCustomer(*row[1:]) for row in page),
            str(page[-1][0]) if more else None,
        )

    def search_page(self, query: str, limit: int = 50, after: str | None = None) -> IndexPage:
        """Exact matches (id, email, name, phone) first, then prefix matches, newest first.

        The first page (``after`` None) leads with the exact matches; every page continues
        the prefix scan from the cursor with a keyset bound (never an OFFSET), and leaves
        out the exact matches the first page already showed.
        """
        text = query.strip()
        if not text or limit <= 0:
            return IndexPage((), None)
        with self._connection() as db:
            exact = db.execute(
                f"SELECT {_COLUMNS} FROM customers c WHERE c.id = ?1 UNION "
                f"SELECT {_COLUMNS} FROM customers c WHERE lower(c.email) = lower(?1) UNION "
                f"SELECT {_COLUMNS} FROM customers c WHERE lower(c.name) = lower(?1) UNION "
                f"SELECT {_COLUMNS} FROM customers c WHERE c.phone_digits = ?2 "
                "ORDER BY 5 DESC LIMIT ?3",
                (text, _digits(text) or "\x00", limit),
            ).fetchall()
            shown = [IndexedCustomer(*row) for row in exact] if after is None else []
            skip = {row[0] for row in exact}
            room = limit - len(shown)
            # Ids and emails are typed from their start: a range on their B-tree index is
            # exact and takes microseconds, where full text would match their parts anywhere.
            if _ID_PREFIX.match(text) or "@" in text:
                column, start = ("c.id", text) if text.startswith("cus_") else (
                    "lower(c.email)", text.lower()
                )  # fmt: skip
                rows = db.execute(
                    f"SELECT {column}, {_COLUMNS} FROM customers c"
                    f" WHERE {column} >= ?1 AND {column} < ?2 AND {column} > ?3"
                    f" ORDER BY {column} LIMIT ?4",
                    (start, start + "\U0010ffff", after or "", room + len(skip) + 1),
                ).fetchall()
                taken, cursor = _take(rows, room, skip)
                # Within a page, newest first (the order people expect of a result list).
                shown += sorted(taken, key=lambda customer: -customer.created)
                return IndexPage(tuple(shown), cursor)
            expression = match_expression(text)
            if expression is None:
                return IndexPage(tuple(shown), None)
            # FTS5 walks its rowids backwards and stops at the limit: no sort.
            bounded = " AND rowid < ?" if after else ""
            wanted = room + len(skip) + 1
            rows = db.execute(
                f"SELECT f.rowid, {_COLUMNS} FROM (SELECT rowid FROM customers_fts"
                f" WHERE customers_fts MATCH ?{bounded} ORDER BY rowid DESC LIMIT ?) f"
                " JOIN customers c ON c.rowid = f.rowid ORDER BY f.rowid DESC",
                (expression, int(after), wanted) if after else (expression, wanted),
            ).fetchall()
            taken, cursor = _take(rows, room, skip)
            return IndexPage(tuple(shown + taken), cursor)


_COLUMNS = "c.id, c.name, c.email, c.phone, c.created"
_WRITTEN = "rowid, id, name, email, phone, phone_digits, metadata_values, created"
_PLACES = ", ".join("?" * 8)


def _slot(row: CustomerRow) -> int:
    """The rowid a customer is first tried on: its ``created`` second, then bits of its id."""
    return (row.created << _SLOT_BITS) | (zlib.crc32(row.id.encode()) & ((1 << _SLOT_BITS) - 1))


def _take(
    rows: list[tuple[Any, ...]], room: int, skip: set[str]
) -> tuple[list[IndexedCustomer], str | None]:
    """Up to ``room`` customers from ``(key, *customer)`` rows, leaving out ``skip``.

    The cursor is the key of the last one taken (``""`` when none fitted: start of the
    scan), or None when the scan has nothing after it.
    """
    taken: list[IndexedCustomer] = []
    last_key = ""
    for position, row in enumerate(rows):
        if row[1] in skip:
            continue
        if len(taken) == room:
            more = any(later[1] not in skip for later in rows[position:])
            return taken, (last_key if more else None)
        taken.append(IndexedCustomer(*row[1:]))
        last_key = str(row[0])
    return taken, None
