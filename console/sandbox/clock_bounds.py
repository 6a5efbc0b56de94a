"""How far one advance may move the sandbox clock: Stripe's bound on test clocks.

Stripe's reference for advancing a test clock (https://docs.stripe.com/api/test_clocks/advance,
``frozen_time``): "Cannot be more than two intervals in the future from the shortest
subscription in this test clock. If there are no subscriptions in this test clock, it cannot
be more than two years in the future." The sandbox has one clock for all its data, so its
shortest subscription is the shortest live one of any account. Unbounded, one advance of
10^12 seconds renewed every subscription for millennia in one go and wedged the server.

Which subscriptions Stripe counts is not documented; ended ones (canceled,
incomplete_expired) are left out here, since the clock has nothing left to do for them.
"""

from __future__ import annotations

from dataclasses import dataclass

from console.sandbox import billing_periods
from console.sandbox.store import Store

# The JSON the subscription resources store: an item carries its price, a subscription its status.
_INTERVALS_OF_LIVE_SUBSCRIPTIONS = """
SELECT DISTINCT json_extract(i.data, '$.price.recurring.interval'),
                json_extract(i.data, '$.price.recurring.interval_count')
FROM objects AS s JOIN objects AS i
  ON i.account = s.account AND i.type = 'subscription_item' AND i.parent = s.id
WHERE s.account = ? AND s.type = 'subscription'
  AND json_extract(s.data, '$.status') NOT IN ('canceled', 'incomplete_expired')
  AND coalesce(json_extract(i.data, '$.deleted'), 0) = 0
"""


@dataclass(frozen=True, slots=True)
class AdvanceLimit:
    latest: int
    """The furthest moment one advance may reach."""
    reason: str
    """Why, for the error message: "two years (no subscriptions)", "two intervals of ..."."""


def advance_limit(store: Store, platform: str, now: int) -> AdvanceLimit:
    """How far the clock may move from ``now`` in one advance."""
    accounts = [platform] + [
        str(row[0])
        for row in store.query(
            "SELECT id FROM objects WHERE account = ? AND type = 'account'", (platform,)
        )
    ]
    intervals: set[tuple[str, int]] = set()
    for account in accounts:
        for interval, count in store.query(_INTERVALS_OF_LIVE_SUBSCRIPTIONS, (account,)):
            if interval in billing_periods.INTERVALS:
                intervals.add((str(interval), int(count or 1)))
    if not intervals:
        return AdvanceLimit(
            billing_periods.boundary(now, "year", 1, 2), "two years (there are no subscriptions)"
        )
    latest, interval, count = min(
        (billing_periods.boundary(now, interval, count, 2), interval, count)
        for interval, count in intervals
    )
    every = interval if count == 1 else f"{count} {interval}s"
    return AdvanceLimit(
        latest, f"two billing intervals of the shortest subscription (every {every})"
    )
