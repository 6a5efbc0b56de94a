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

from console.sandbox.billing import periods as billing_periods
from console.sandbox.state.store import Store

# The intervals prices have (few, even in a sandbox of a million customers: the scale seed's
# copies share their template's prices).
_PRICE_INTERVALS = """
SELECT DISTINCT json_extract(data, '$.recurring.interval'),
                json_extract(data, '$.recurring.interval_count')
FROM objects WHERE account = ? AND type = 'price'
  AND json_extract(data, '$.recurring.interval') IS NOT NULL
"""
# Is any live subscription billed on this interval? Stops at the first item found, so the
# common case (monthly subscriptions by the thousand) costs a few rows, not a scan. An item
# carries its price; its subscription, the status.
_LIVE_SUBSCRIPTION_ON = """
SELECT 1 FROM objects AS i
WHERE i.account = ? AND i.type = 'subscription_item'
  AND json_extract(i.data, '$.price.recurring.interval') = ?
  AND coalesce(json_extract(i.data, '$.price.recurring.interval_count'), 1) = ?
  AND coalesce(json_extract(i.data, '$.deleted'), 0) = 0
  AND {on_clock}
  AND EXISTS (
    SELECT 1 FROM objects AS s WHERE s.id = i.parent AND s.type = 'subscription'
      AND json_extract(s.data, '$.status') NOT IN ('canceled', 'incomplete_expired'))
LIMIT 1
"""


@dataclass(frozen=True, slots=True)
class AdvanceLimit:
    latest: int
    """The furthest moment one advance may reach."""
    reason: str
    """Why, for the error message: "two years (no subscriptions)", "two intervals of ..."."""


def advance_limit(
    store: Store, platform: str, now: int, *, test_clock: str | None = None
) -> AdvanceLimit:
    """How far the clock may move from ``now`` in one advance: the sandbox's own clock, or with
    ``test_clock`` that test clock (``platform`` is then the account the clock belongs to)."""
    accounts = [platform]
    if test_clock is None:
        accounts += [
            str(row[0])
            for row in store.query(
                "SELECT id FROM objects WHERE account = ? AND type = 'account'", (platform,)
            )
        ]
    on_clock = "i.clock IS NULL" if test_clock is None else "i.clock = ?"
    live_on = _LIVE_SUBSCRIPTION_ON.format(on_clock=on_clock)
    clock_args = () if test_clock is None else (test_clock,)
    candidates: set[tuple[int, str, int, str]] = set()
    for account in accounts:
        for interval, count in store.query(_PRICE_INTERVALS, (account,)):
            if interval in billing_periods.INTERVALS:
                reach = billing_periods.boundary(now, str(interval), int(count or 1), 2)
                candidates.add((reach, str(interval), int(count or 1), account))
    # Shortest first: the first interval some live subscription is billed on is the bound.
    for reach, interval, count, account in sorted(candidates):
        if store.query(live_on, (account, interval, count, *clock_args)):
            every = interval if count == 1 else f"{count} {interval}s"
            return AdvanceLimit(
                reach, f"two billing intervals of the shortest subscription (every {every})"
            )
    return AdvanceLimit(
        billing_periods.boundary(now, "year", 1, 2), "two years (there are no subscriptions)"
    )
