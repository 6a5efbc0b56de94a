"""The clock's work: act on every object whose ``due`` moment has passed, oldest first.

Runs from the server's catch-up: every second (wall time moving on) and as soon as a
test or user advances the sandbox clock, in batches so that requests are answered between them.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

from console.sandbox.state.context import Context
from console.sandbox.state.registry import DUE_HANDLERS
from console.sandbox.state.store import Store

MAX_ROUNDS = 10_000
ROUND_SIZE = 200


def run_due(
    store: Store,
    now: Callable[[], int],
    context_for: Callable[[str], Context],
    *,
    max_objects: int | None = None,
) -> list[Context]:
    """Call each due object's handler in its owner's scope; returns the contexts (their events).

    Each object is acted on in a transaction of its own. ``max_objects`` stops after that
    many, leaving the rest due for the next call (the server's catch-up, in batches).
    """
    used: list[Context] = []
    looked_at = 0
    for _ in range(MAX_ROUNDS):
        size = ROUND_SIZE if max_objects is None else min(ROUND_SIZE, max_objects - looked_at)
        if size <= 0:
            break
        due = store.due_before(now(), limit=size)
        if not due:
            break
        looked_at += len(due)
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
