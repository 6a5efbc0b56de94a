"""Stripe's test clocks as the state sees them: which clock a piece of work happens on, and when.

A customer made with ``test_clock`` lives on that clock for good, and so does everything made
for it (subscriptions and their items, invoices, invoice items, schedules, payment intents):
the store keeps the clock's id in its ``clock`` column, ``Context.insert`` puts it there, and
the work on those objects sees the clock's time as now (``Context.on_test_clock``).

The sandbox's own clock (``state/clock.py``) does not move them: the sweep that follows it
skips objects on test clocks (``Store.due_before``), and only their clock's advance acts on
them (``state/sweep.py``, ``step_clock``). Stripe's test clocks work the same way: a clock's
customers are frozen at its ``frozen_time`` until it is advanced, whatever real time does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context
from console.sandbox.state.store import Store

OBJECT = "test_helpers.test_clock"

# Requests under these paths act for one customer, named by the request: the object in the
# path, or a parameter naming the customer, a subscription or an invoice. Portal sessions are
# left out on purpose: a session's lifetime runs on the sandbox's own clock (it expires in real
# time, checked by the portal's pages), while the changes its pages make go through these paths.
_CUSTOMER_PATHS = (
    "/v1/customers",
    "/v1/subscriptions",
    "/v1/subscription_items",
    "/v1/subscription_schedules",
    "/v1/invoices",
    "/v1/invoiceitems",
    "/v1/payment_intents",
    "/v1/setup_intents",
    "/v1/payment_methods",
)
_NAMING_PARAMS = ("customer", "subscription", "from_subscription", "invoice")


def moment_of(clock: JSON) -> int:
    """Where a clock's objects are in time: its ``frozen_time``, or as far as an advance has
    got (each object is acted on at its own moment on the way to the target)."""
    return int(clock.get("_reached") or clock["frozen_time"])


def clock_named(store: Store, clock_id: str | None) -> JSON | None:
    """The clock with this id, if there is one (None for None)."""
    if not clock_id:
        return None
    found = store.get(clock_id)
    return found if found is not None and found.get("object") == OBJECT else None


def enter_request_clock(
    ctx: Context, path: str, params: JSON, path_params: Mapping[str, str]
) -> None:
    """Put a request about a test-clock customer's objects on that clock's time.

    The customer is found through the first id the request names that lives on a clock: the
    path's object first, then the ``customer``, ``subscription`` or ``invoice`` parameter.
    """
    if not path.startswith(_CUSTOMER_PATHS):
        return
    named: list[Any] = [*path_params.values(), *(params.get(key) for key in _NAMING_PARAMS)]
    for value in named:
        if not isinstance(value, str) or not value:
            continue
        clock = clock_named(ctx.store, ctx.store.clock_of(value))
        if clock is not None:
            ctx.on_test_clock(clock["id"], moment_of(clock))
            return
