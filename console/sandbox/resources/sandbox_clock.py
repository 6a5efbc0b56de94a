"""The sandbox clock, for tests and demos: read it, or move it forward.

Stripe's test clocks move time for the customers attached to each clock; the
sandbox has one clock for everything, which is simpler to drive and covers what
the console needs (renewals, trial ends, period-end cancellations, portal
session expiry). Moving it runs the due work before answering, so the answer
already reflects the new time.
"""

from __future__ import annotations

from console.sandbox.context import Context
from console.sandbox.errors import invalid
from console.sandbox.registry import extra
from console.sandbox.spec import JSON
from console.sandbox.sweep import run_due


def _clock(ctx: Context) -> JSON:
    return {
        "object": "sandbox.clock",
        "now": ctx.now(),
        "offset": ctx.clock.offset,
        "livemode": False,
    }


@extra("GetSandboxClock", "GET", "/v1/test_helpers/sandbox_clock")
def retrieve(ctx: Context, params: JSON) -> JSON:
    return _clock(ctx)


@extra(
    "PostSandboxClockAdvance",
    "POST",
    "/v1/test_helpers/sandbox_clock/advance",
    {"seconds": {"type": "integer"}, "frozen_time": {"type": "integer"}},
)
def advance(ctx: Context, params: JSON) -> JSON:
    if ("seconds" in params) == ("frozen_time" in params):
        raise invalid("Pass exactly one of seconds or frozen_time.", param="seconds")
    if "seconds" in params:
        if params["seconds"] < 0:
            raise invalid("The sandbox clock only moves forward.", param="seconds")
        target = ctx.now() + params["seconds"]
    else:
        target = params["frozen_time"]
        if target < ctx.now():
            raise invalid(
                "frozen_time is in the past; the sandbox clock only moves forward.",
                param="frozen_time",
            )
    ctx.clock.advance_to(target)

    def context_for(owner: str) -> Context:
        return Context(
            store=ctx.store,
            clock=ctx.clock,
            account=owner or ctx.platform,
            platform=ctx.platform,
            base_url=ctx.base_url,
            events=ctx.events,  # shared, so the request's webhooks are queued and woken
        )

    run_due(ctx.store, ctx.now, context_for)
    return _clock(ctx)
