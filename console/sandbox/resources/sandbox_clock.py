"""The sandbox clock, for tests and demos: read it, or move it forward.

This clock is the sandbox's own, not Stripe's: it stands for real time, and moving it moves
everything that is not on one of Stripe's test clocks (``test_clocks.py``), whose customers
stay at their clock's ``frozen_time``. It drives renewals, trial ends and period-end
cancellations of those objects, the portal's session expiry, and test clocks' own
``deletes_after``.

An advance is bounded as Stripe bounds a test clock's (``clock_bounds``). This
handler only moves the clock: its transaction stores the new time, and the due
work that follows is done once it commits, in batches, by the server's catch-up
(``CLOCK_MOVERS``), which answers the advance only when that work is done but
serves other requests between batches. Stripe answers an advance at once with
``status: advancing`` and works in the background; the sandbox keeps answering
after the work so that callers (tests, the demo seed) see its results at once.
"""

from __future__ import annotations

from datetime import UTC, datetime

from console.sandbox.billing.clock_bounds import advance_limit
from console.sandbox.facts.errors import invalid
from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context
from console.sandbox.state.registry import CLOCK_MOVERS, extra


def _clock(now: int, offset: int) -> JSON:
    return {"object": "sandbox.clock", "now": now, "offset": offset, "livemode": False}


@extra("GetSandboxClock", "GET", "/v1/test_helpers/sandbox_clock")
def retrieve(ctx: Context, params: JSON) -> JSON:
    return _clock(ctx.now(), ctx.clock.offset)


@extra(
    "PostSandboxClockAdvance",
    "POST",
    "/v1/test_helpers/sandbox_clock/advance",
    {"seconds": {"type": "integer"}, "frozen_time": {"type": "integer"}},
)
def advance(ctx: Context, params: JSON) -> JSON:
    if ("seconds" in params) == ("frozen_time" in params):
        raise invalid("Pass exactly one of seconds or frozen_time.", param="seconds")
    now = ctx.now()
    if "seconds" in params:
        param = "seconds"
        if params["seconds"] < 0:
            raise invalid("The sandbox clock only moves forward.", param=param)
        target = now + params["seconds"]
    else:
        param = "frozen_time"
        target = params["frozen_time"]
        if target < now:
            raise invalid(
                "frozen_time is in the past; the sandbox clock only moves forward.", param=param
            )
    limit = advance_limit(ctx.store, ctx.platform, now)
    if target > limit.latest:
        # Stripe's own wording for this refusal is not documented; this names the bound.
        raise invalid(
            f"The sandbox clock cannot move more than {limit.reason} at once: from "
            f"{_iso(now)} it can reach {_iso(limit.latest)} (frozen_time {limit.latest}) "
            "at most. Advance in smaller steps.",
            param=param,
        )
    offset = ctx.clock.advance_to(target)
    return _clock(max(now, target), offset)


CLOCK_MOVERS.add("PostSandboxClockAdvance")


def _iso(moment: int) -> str:
    return datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
