"""The clock's work on subscriptions (``due.run_clock``): renewals on the period boundaries.

Stripe counts every boundary from the billing cycle anchor: a subscription anchored on the 31st
renews on the last day of shorter months and on the 31st again after them.
"""

from __future__ import annotations

import calendar
from datetime import UTC, datetime

from console.sandbox.billing import periods, subscription_state
from console.sandbox.state.opening import State
from tests.unit.sandbox.billing import builders


def test_renewals_fall_on_the_anchor_day_or_the_month_s_last_day(state: State) -> None:
    with builders.transaction(state) as ctx:
        owner = builders.customer(ctx, payment_method="pm_card_visa")
        sub = builders.subscribe(
            ctx,
            owner,
            builders.price(ctx, 1000),
            billing_cycle_anchor_config={"day_of_month": 31, "hour": 0, "minute": 0, "second": 0},
        )
    anchor = sub["billing_cycle_anchor"]
    assert subscription_state.current_period(sub)[1] == anchor

    for n in range(1, 5):
        previous_start, end = subscription_state.current_period(sub)
        builders.advance(state, end - state.clock.now())
        with builders.transaction(state) as ctx:
            sub = builders.stored(ctx, sub)
            subscription_state.embed_items(ctx, sub)
            renewal = builders.invoices_of(ctx, owner)[-1]
        start, new_end = subscription_state.current_period(sub)

        assert (start, new_end) == (end, periods.boundary(anchor, "month", 1, n))
        day = datetime.fromtimestamp(new_end, UTC)
        assert day.day == min(31, calendar.monthrange(day.year, day.month)[1])
        assert (renewal["billing_reason"], renewal["total"]) == ("subscription_cycle", 1000)
        # A renewal invoice's period is the one that just ended (its pending items' period).
        assert (renewal["period_start"], renewal["period_end"]) == (previous_start, end)
    assert sub["status"] == "active"
