"""Stripe's test clocks (``/v1/test_helpers/test_clocks``): create, retrieve, list, advance, delete.

These endpoints are outside the spec subset's paths, so they are served as extras with
parameter schemas written from the ``stripe`` library's types
(``stripe/params/test_helpers/_test_clock_*_params.py``); the object follows the subset's
``test_helpers.test_clock`` schema. What living on a clock means for a customer's objects is
in ``state/test_clocks.py``.

An advance answers at once with ``status: advancing`` and the target in ``status_details``,
as Stripe's does; the work runs in the background, in the server's catch-up: the clock is
due at once on the sandbox's own clock, and each time the sweep reaches it, it acts on its
soonest due object (``sweep.step_clock``), each in its own moment and oldest first, until
none is due by the target; then it stands at the target, ``ready``. A step that fails leaves
the clock ``internal_failure`` (what the step did is undone) and further advances are refused.

Stripe's documented limits: one advance reaches at most two intervals of the shortest
subscription on the clock, two years without one (``billing/clock_bounds.py``); a clock
deletes itself ``deletes_after`` (Stripe's guide says 30 days after it is made; its API
reference's example shows 7), counted on the sandbox's own clock, which stands for real time.
A clock holds at most three customers (Stripe's guide); Stripe's wording for that refusal and
for the other refusals here is not documented, so these messages are the sandbox's.

``customer`` at creation (API versions from 2026-05-27.dahlia) puts an existing customer on the
new clock for good, with everything it owns; its objects keep the moments they have (a renewal
due in a month stays due then, reached when the clock passes it). What Stripe requires of such a
customer (no subscriptions yet? a frozen_time not before its objects?) is not documented, and
the sandbox asks nothing of it but that it is on no clock yet.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from console.sandbox.billing.clock_bounds import advance_limit
from console.sandbox.facts.errors import invalid, missing_param
from console.sandbox.facts.spec import JSON
from console.sandbox.state import sweep
from console.sandbox.state.context import Context, snapshot
from console.sandbox.state.listing import list_objects
from console.sandbox.state.registry import WAKES_SWEEPER, extra, on_due
from console.sandbox.state.test_clocks import OBJECT

log = logging.getLogger(__name__)

PATH = "/v1/test_helpers/test_clocks"
LIFETIME = 30 * 86_400
MAX_NAME = 300
# What a deleted clock takes with it: everything on it but the events, which stay in the
# account's log as Stripe's do.
_KEPT_ON_DELETE = ("event",)
# What an existing customer does not take onto its new clock: its events (the account's log) and
# its portal sessions (whose lifetime runs on the sandbox's own clock).
_STAY_OFF_CLOCK = ("event", "billing_portal.session")

_LIST_PARAMS: JSON = {
    "limit": {"type": "integer"},
    "starting_after": {"type": "string"},
    "ending_before": {"type": "string"},
}


def _fetch(ctx: Context, clock_id: str) -> JSON:
    return ctx.fetch(OBJECT, clock_id, param="test_clock", kind="test clock")


def _iso(moment: int) -> str:
    return datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


@extra(
    "PostTestHelpersTestClocks",
    "POST",
    PATH,
    {
        "customer": {"type": "string"},
        "frozen_time": {"type": "integer"},
        "name": {"type": "string"},
    },
)
def create(ctx: Context, params: JSON) -> JSON:
    if "frozen_time" not in params:
        raise missing_param("frozen_time")
    customer = None
    if params.get("customer"):
        customer = ctx.fetch("customer", params["customer"], param="customer")
        if customer.get("test_clock"):
            raise invalid(
                f"The customer {customer['id']} is already on the test clock "
                f"{customer['test_clock']}; a customer cannot leave its test clock.",
                param="customer",
            )
    name = params.get("name")
    if name is not None and len(name) > MAX_NAME:
        raise invalid(f"Invalid name: must be at most {MAX_NAME} characters", param="name")
    now = ctx.sandbox_now()
    clock: JSON = {
        "id": ctx.new_id("clock", 24),
        "object": OBJECT,
        "created": now,
        "deletes_after": now + LIFETIME,
        "frozen_time": params["frozen_time"],
        "livemode": False,
        "name": name or None,
        "status": "ready",
        "status_details": {},
    }
    ctx.insert(clock, due=clock["deletes_after"])
    ctx.emit("test_helpers.test_clock.created", clock)
    if customer is not None:
        ctx.store.move_to_clock(customer["id"], clock["id"], skip_types=_STAY_OFF_CLOCK)
    return clock


@extra("GetTestHelpersTestClocksTestClock", "GET", PATH + "/{test_clock}")
def retrieve(ctx: Context, params: JSON, test_clock: str) -> JSON:
    return _fetch(ctx, test_clock)


@extra("GetTestHelpersTestClocks", "GET", PATH, _LIST_PARAMS)
def list_clocks(ctx: Context, params: JSON) -> JSON:
    return list_objects(ctx, params, object_type=OBJECT, url=PATH)


@extra(
    "PostTestHelpersTestClocksTestClockAdvance",
    "POST",
    PATH + "/{test_clock}/advance",
    {"frozen_time": {"type": "integer"}},
)
def advance(ctx: Context, params: JSON, test_clock: str) -> JSON:
    clock = _fetch(ctx, test_clock)
    if "frozen_time" not in params:
        raise missing_param("frozen_time")
    if clock["status"] == "advancing":
        target = clock["status_details"]["advancing"]["target_frozen_time"]
        raise invalid(
            f"The test clock {clock['id']} is still advancing to {_iso(target)} (frozen_time "
            f"{target}); advance it again once its status is ready.",
            param="test_clock",
        )
    if clock["status"] == "internal_failure":
        raise invalid(
            f"The test clock {clock['id']} failed while advancing and cannot be advanced any "
            "more; delete it and make a new one.",
            param="test_clock",
        )
    now, target = clock["frozen_time"], params["frozen_time"]
    if target <= now:
        raise invalid(
            f"The frozen_time must be after the test clock's current frozen_time ({now}, "
            f"{_iso(now)}): test clocks only move forward.",
            param="frozen_time",
        )
    limit = advance_limit(ctx.store, ctx.account, now, test_clock=clock["id"])
    if target > limit.latest:
        raise invalid(
            f"The test clock cannot advance more than {limit.reason} at once: from "
            f"{_iso(now)} it can reach {_iso(limit.latest)} (frozen_time {limit.latest}) at "
            "most. Advance it in smaller steps.",
            param="frozen_time",
        )
    clock["status"] = "advancing"
    clock["status_details"] = {"advancing": {"target_frozen_time": target}}
    clock["_steps"] = 0
    ctx.save(clock, due=ctx.sandbox_now())
    ctx.emit("test_helpers.test_clock.advancing", clock)
    return clock


WAKES_SWEEPER.add("PostTestHelpersTestClocksTestClockAdvance")


@extra("DeleteTestHelpersTestClocksTestClock", "DELETE", PATH + "/{test_clock}")
def delete(ctx: Context, params: JSON, test_clock: str) -> JSON:
    clock = _fetch(ctx, test_clock)
    _delete(ctx, clock)
    return {"id": clock["id"], "object": OBJECT, "deleted": True}


def _delete(ctx: Context, clock: JSON) -> None:
    """The clock goes, and its customers with everything made for them."""
    ctx.store.remove_on_clock(clock["id"], keep_types=_KEPT_ON_DELETE)
    ctx.store.remove(clock["id"])
    ctx.emit("test_helpers.test_clock.deleted", clock)


@on_due(OBJECT)
def run_clock(ctx: Context, found: JSON) -> None:
    """An advancing clock's next step; a ready clock past ``deletes_after`` deletes itself."""
    clock = snapshot(found)
    if clock["status"] != "advancing":
        if clock["deletes_after"] <= ctx.sandbox_now():
            _delete(ctx, clock)
        else:
            ctx.save(clock, due=clock["deletes_after"])
        return
    target = int(clock["status_details"]["advancing"]["target_frozen_time"])
    try:
        with ctx.store.savepoint():
            stepped = sweep.step_clock(ctx, clock, target)
    except Exception:  # any failure of a step: Stripe's internal_failure, with the traceback logged
        log.exception("test clock %s failed while advancing", clock["id"])
        _settle(ctx, clock, "internal_failure")
        return
    if stepped:
        # A step at the same moment as the last still changes the clock, so that the sweep
        # does not take it for a handler that did nothing.
        clock["_steps"] = int(clock.get("_steps") or 0) + 1
        ctx.save(clock, due=ctx.sandbox_now())
        return
    clock["frozen_time"] = target
    _settle(ctx, clock, "ready")


def _settle(ctx: Context, clock: JSON, status: str) -> None:
    for internal in ("_reached", "_steps"):
        clock.pop(internal, None)
    clock["status"] = status
    clock["status_details"] = {}
    ctx.save(clock, due=clock["deletes_after"])
    ctx.emit(f"test_helpers.test_clock.{status}", clock)
