"""The sandbox's clock: wall time plus an offset that tests (and users) can move forward.

Moving it is how renewals, trial ends, scheduled cancellations and portal
session expiry are made to happen on demand. The offset is stored in the
database, so a restarted sandbox keeps its time.
"""

from __future__ import annotations

import time

from console.sandbox.state.store import Store


class Clock:
    def __init__(self, store: Store) -> None:
        self._store = store
        self._offset = int(store.meta("clock_offset") or 0)

    def now(self) -> int:
        return int(time.time()) + self._offset

    def now_float(self) -> float:
        return time.time() + self._offset

    @property
    def offset(self) -> int:
        return self._offset

    def advance_to(self, moment: int) -> int:
        """Move forward to ``moment`` (never back: Stripe's test clocks only go forward).

        Returns the new offset. The stored offset is written in the caller's transaction, and
        this clock moves only once that transaction commits: a write that fails (full disk,
        read-only file) leaves the time unchanged here as on disk, so later objects are not
        dated ahead of a clock that a restart would bring back.
        """
        target_offset = moment - int(time.time())
        if target_offset <= self._offset:
            return self._offset
        self._store.set_meta("clock_offset", str(target_offset))
        self._store.after_commit(lambda: self._moved_to(target_offset))
        return target_offset

    def _moved_to(self, offset: int) -> None:
        self._offset = max(self._offset, offset)
