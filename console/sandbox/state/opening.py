"""Opening a sandbox database: its key, its platform account, its clock."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field

import platformdirs

from console.sandbox.facts import ids
from console.sandbox.state.clock import Clock
from console.sandbox.state.database_file import describe
from console.sandbox.state.store import Store

KEY_PREFIX = "sk_test_"


def default_db_path() -> str:
    return os.path.join(platformdirs.user_data_dir("portal-console"), "sandbox.sqlite3")


@dataclass(frozen=True, slots=True)
class State:
    store: Store
    clock: Clock
    # The secret key stays out of repr(): a traceback or a log that shows a State shows no key.
    api_key: str = field(repr=False)
    platform: str
    created_now: bool


class BadKeyError(ValueError):
    pass


def open_state(db: str, api_key: str | None = None) -> State:
    """Open ``db``; :class:`DatabaseUnusableError` (a message for the user) if it is unusable."""
    if api_key is not None and not api_key.startswith(KEY_PREFIX):
        raise BadKeyError("the sandbox runs in test mode only: its key must start with sk_test_")
    store = Store(db)
    try:
        stored_key = store.meta("api_key")
        created_now = stored_key is None
        key = api_key or stored_key or KEY_PREFIX + "51" + ids.random_chars(46)
        if key != stored_key:
            store.set_meta("api_key", key)
        platform = store.meta("platform_account")
        if platform is None:
            platform = ids.new_id("acct", 16)
            store.set_meta("platform_account", platform)
        return State(store, Clock(store), key, platform, created_now)
    except sqlite3.Error as error:
        store.close()
        raise describe(db, error) from None
