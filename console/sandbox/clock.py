"""The sandbox's clock: wall time plus an offset that tests (and users) can move forward.

Moving it is how renewals, trial ends, scheduled cancellations and portal
session expiry are made to happen on demand. The offset is stored in the
database, so a restarted sandbox keeps its time.
"""

from __future__ import annotations

import time

from console.sandbox.store import Store


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

    def advance_to(self, moment: int) -> None:
        """Move forward to ``moment`` (never back: Stripe's test clocks only go forward)."""
        target_offset = moment - int(time.time())
        if target_offset > self._offset:
            self._offset = target_offset
            self._store.set_meta("clock_offset", str(self._offset))
