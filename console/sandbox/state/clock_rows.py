"""The store's ``clock`` column: which objects live on a Stripe test clock (``test_clocks.py``).

A mixin of ``Store``, kept apart so that the store stays about objects in general: the
column's migration for databases made before test clocks, and the queries that read or move
a clock's objects. The sweep's ``due_before`` reads the column too, in the store itself.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence

# The column's index, made once the column exists (in a database made before test clocks, after
# ``add_clock_column`` adds it).
_CLOCK_INDEX = """
CREATE INDEX IF NOT EXISTS objects_on_clock ON objects (clock, due) WHERE clock IS NOT NULL;
"""


class ClockRows:
    _db: sqlite3.Connection
    _lock: threading.RLock

    def add_clock_column(self) -> None:
        """A database made before test clocks has no ``clock`` column: add it (NULL for all)."""
        columns = {str(row[1]) for row in self._db.execute("PRAGMA table_info(objects)")}
        if "clock" not in columns:
            self._db.execute("ALTER TABLE objects ADD COLUMN clock TEXT")
        self._db.executescript(_CLOCK_INDEX)

    def clock_of(self, object_id: str) -> str | None:
        """The test clock an object lives on, None for the sandbox's own clock."""
        with self._lock:
            row = self._db.execute(
                "SELECT clock FROM objects WHERE id = ?", (object_id,)
            ).fetchone()
        return None if row is None or row[0] is None else str(row[0])

    def count_on_clock(self, clock: str, type_: str) -> int:
        with self._lock:
            row = self._db.execute(
                "SELECT COUNT(*) FROM objects WHERE clock = ? AND type = ?", (clock, type_)
            ).fetchone()
        return int(row[0])

    def move_to_clock(self, root: str, clock: str, *, skip_types: Sequence[str] = ()) -> int:
        """Put ``root`` and what it owns (its children by ``parent``, theirs, and so on, but
        none of ``skip_types`` nor below them) on ``clock``, with the ``test_clock`` field of
        each that has one; how many objects moved."""
        marks = ",".join("?" * len(skip_types)) or "''"
        with self._lock:
            cursor = self._db.execute(
                f"""
                WITH RECURSIVE owned(id) AS (
                    SELECT ?
                    UNION
                    SELECT o.id FROM objects AS o JOIN owned ON o.parent = owned.id
                    WHERE o.type NOT IN ({marks})
                )
                UPDATE objects SET clock = ?, data = CASE
                    WHEN json_type(data, '$.test_clock') IS NULL THEN data
                    ELSE json_set(data, '$.test_clock', ?) END
                WHERE id IN owned
                """,
                (root, *skip_types, clock, clock),
            )
        return int(cursor.rowcount)

    def remove_on_clock(self, clock: str, *, keep_types: Sequence[str] = ()) -> int:
        """Delete every object that lives on ``clock`` but those of ``keep_types``; how many."""
        marks = ",".join("?" * len(keep_types)) or "''"
        with self._lock:
            cursor = self._db.execute(
                f"DELETE FROM objects WHERE clock = ? AND type NOT IN ({marks})",
                (clock, *keep_types),
            )
        return int(cursor.rowcount)
