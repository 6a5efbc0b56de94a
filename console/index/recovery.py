"""Opening the customer index when its file may be damaged.

The index is a cache of the account's customers on Stripe: nothing in it is lost by deleting
it, only the time to read the customers again. So a file SQLite calls damaged ("file is not a
database", "database disk image is malformed") is deleted with its journal files and made anew,
and the caller gets a sentence to show, since the next search waits for a full sync. A file
that cannot be opened for another reason (permissions, a full disk, locked by another process)
is not touched: that error goes to the caller as it is.

Only damage SQLite notices on opening is caught here (a damaged header or schema); a full
integrity check reads the whole file, seconds for a million customers, too slow for start-up.
"""

from __future__ import annotations

import logging
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from console.index.store import IndexStore
from console.index.subscriptions_store import SubscriptionStore

log = logging.getLogger(__name__)

_JOURNALS = ("-wal", "-shm", "-journal")


@dataclass(frozen=True, slots=True)
class OpenedIndex:
    store: IndexStore
    rebuilt_because: str | None  # what to tell the user when the damaged file was replaced


def _damage(path: Path) -> sqlite3.DatabaseError | None:
    """What SQLite says is wrong with the file on opening it, or None."""
    if not path.exists():
        return None
    try:
        with closing(sqlite3.connect(path, timeout=30)) as db:
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
            db.execute("PRAGMA schema_version").fetchone()
    except sqlite3.OperationalError:
        return None  # locked, unreadable, disk full: not damage; IndexStore reports it
    except sqlite3.DatabaseError as error:
        return error
    return None


def _remove_if_damaged(path: Path, what: str) -> sqlite3.DatabaseError | None:
    """Deletes the file at ``path`` and its journals when SQLite finds it damaged."""
    damage = _damage(path)
    if damage is not None:
        log.info("%s %s is damaged (%s); making a new one", what, path, damage)
        for name in (path.name, *(path.name + suffix for suffix in _JOURNALS)):
            path.with_name(name).unlink(missing_ok=True)
    return damage


def open_subscriptions_index(path: Path) -> tuple[SubscriptionStore, str | None]:
    """The subscriptions index at ``path``, made anew when damaged (with what to tell the user).

    Blocking: call it from a worker thread.
    """
    damage = _remove_if_damaged(path, "subscriptions index")
    if damage is None:
        return SubscriptionStore(path), None
    return SubscriptionStore(path), (
        f"The subscriptions index {path} was damaged ({damage}); it is only a copy of the "
        "subscriptions on Stripe, so it was deleted and is being rebuilt."
    )


def open_index(path: Path) -> OpenedIndex:
    """The index at ``path``; a damaged file is replaced by an empty one (to be synced).

    Blocking: call it from a worker thread, like ``IndexStore``.
    """
    damage = _remove_if_damaged(path, "customer index")
    if damage is None:
        return OpenedIndex(IndexStore(path), None)
    return OpenedIndex(
        IndexStore(path),
        f"The customer index {path} was damaged ({damage}); it is only a copy of the "
        "customers on Stripe, so it was deleted and is being rebuilt. Searches are complete "
        "again once the customers are read.",
    )
