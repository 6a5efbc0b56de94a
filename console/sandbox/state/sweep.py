"""The clock's work: act on every object whose ``due`` moment has passed, oldest first.

Runs from the server's catch-up: every second (wall time moving on) and as soon as a
test or user advances the sandbox clock, in batches so that requests are answered between them.
Objects on a Stripe test clock are not the sandbox clock's: only their clock's advance acts on
them, one object at a time and each at its own moment (``step_clock``).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import replace

from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context
from console.sandbox.state.registry import DUE_HANDLERS
from console.sandbox.state.store import Store
from console.sandbox.state.test_clocks import moment_of

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
                _act_on(ctx, obj["id"])
            used.append(ctx)
    return used


def step_clock(ctx: Context, clock: JSON, target: int) -> bool:
    """Act on the test clock's soonest object due by ``target``, at that object's moment.

    Called inside the transaction that stores the clock; the clock's ``_reached`` moves to
    the moment acted at. Returns False when nothing on the clock is due by ``target``.
    """
    due = ctx.store.due_before(target, limit=1, clock=clock["id"])
    if not due:
        return False
    object_id = due[0]["id"]
    moment = max(moment_of(clock), ctx.store.due_of(object_id) or 0)
    clock["_reached"] = moment
    work = replace(ctx, account=ctx.store.owner(object_id) or ctx.platform)
    work.on_test_clock(clock["id"], moment)
    _act_on(work, object_id)
    return True


def _act_on(ctx: Context, object_id: str) -> None:
    store = ctx.store
    current = store.get(object_id)
    if current is None:
        return
    handler = DUE_HANDLERS.get(str(current.get("object")))
    if handler is None:
        store.save(current, due=None)
        return
    before = (copy.deepcopy(current), store.due_of(object_id))
    handler(ctx, current)
    after = store.get(object_id)
    if after is not None and (after, store.due_of(object_id)) == before:
        # A handler that changed nothing must not run again for the same
        # moment, or the sweep would never end.
        store.save(after, due=None)
