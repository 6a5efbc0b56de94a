"""The clock's work: act on every object whose ``due`` moment has passed, oldest first.

Runs from the server's background sweeper (wall time moving on) and straight
away when a test or user advances the sandbox clock.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

from console.sandbox.context import Context
from console.sandbox.registry import DUE_HANDLERS
from console.sandbox.store import Store

MAX_ROUNDS = 10_000


def run_due(
    store: Store, now: Callable[[], int], context_for: Callable[[str], Context]
) -> list[Context]:
    """Call each due object's handler in its owner's scope; returns the contexts (their events)."""
    used: list[Context] = []
    for _ in range(MAX_ROUNDS):
        due = store.due_before(now(), limit=200)
        if not due:
            break
        for obj in due:
            ctx = context_for(store.owner(obj["id"]) or "")
            with store.transaction():
                current = store.get(obj["id"])
                if current is None:
                    continue
                handler = DUE_HANDLERS.get(str(current.get("object")))
                if handler is None:
                    store.save(current, due=None)
                    continue
                before = (copy.deepcopy(current), store.due_of(current["id"]))
                handler(ctx, current)
                after = store.get(current["id"])
                if after is not None and (after, store.due_of(current["id"])) == before:
                    # A handler that changed nothing must not run again for the same
                    # moment, or the sweep would never end.
                    store.save(after, due=None)
            used.append(ctx)
    return used
