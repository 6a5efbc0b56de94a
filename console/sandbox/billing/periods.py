"""Calendar arithmetic for billing: intervals, anchors and month-end clamping, all in UTC.

Stripe counts every period boundary from the billing cycle anchor rather than
from the previous boundary, so a subscription anchored on January 31 renews on
February 28 (or 29), then March 31, April 30: the anchor's day is remembered
even in months too short for it. Day and week intervals are plain seconds.
"""

from __future__ import annotations

import calendar
from datetime import UTC, datetime

from console.sandbox.facts.spec import JSON


def interval_of(price: JSON) -> tuple[str, int]:
    """A recurring price's interval and count: ``("month", 1)`` unless it says otherwise."""
    recurring = price.get("recurring") or {}
    return str(recurring.get("interval") or "month"), int(recurring.get("interval_count") or 1)


DAY = 86_400
INTERVAL_MONTHS = {"month": 1, "year": 12}
INTERVAL_DAYS = {"day": 1, "week": 7}
INTERVALS = (*INTERVAL_DAYS, *INTERVAL_MONTHS)


def _utc(moment: int) -> datetime:
    return datetime.fromtimestamp(moment, UTC)


def add_months(moment: int, months: int, *, day: int | None = None) -> int:
    """``moment`` moved by whole months, on ``day`` (default: its own) clamped to month end."""
    start = _utc(moment)
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    wanted = day if day is not None else start.day
    last = calendar.monthrange(year, month)[1]
    moved = start.replace(year=year, month=month, day=min(wanted, last))
    return int(moved.timestamp())


def boundary(anchor: int, interval: str, count: int, n: int) -> int:
    """The ``n``-th period boundary counted from ``anchor`` (``n`` may be negative)."""
    if interval in INTERVAL_DAYS:
        return anchor + n * count * INTERVAL_DAYS[interval] * DAY
    if interval in INTERVAL_MONTHS:
        return add_months(anchor, n * count * INTERVAL_MONTHS[interval], day=_utc(anchor).day)
    raise ValueError(f"unknown interval {interval!r}")


def add_interval(moment: int, interval: str, count: int = 1) -> int:
    """One period of ``count`` intervals after ``moment`` (clamped at month ends)."""
    return boundary(moment, interval, count, 1)


def _approx_length(interval: str, count: int) -> int:
    if interval in INTERVAL_DAYS:
        return count * INTERVAL_DAYS[interval] * DAY
    return count * INTERVAL_MONTHS[interval] * 30 * DAY


def _index_at_or_before(anchor: int, interval: str, count: int, moment: int) -> int:
    """The largest ``n`` whose boundary is at or before ``moment``."""
    n = (moment - anchor) // _approx_length(interval, count)
    while boundary(anchor, interval, count, n) > moment:
        n -= 1
    while boundary(anchor, interval, count, n + 1) <= moment:
        n += 1
    return n


def next_boundary(anchor: int, interval: str, count: int, after: int) -> int:
    """The first boundary strictly after ``after``: when the current period ends."""
    if anchor > after:
        return anchor
    return boundary(
        anchor, interval, count, _index_at_or_before(anchor, interval, count, after) + 1
    )


def period_containing(anchor: int, interval: str, count: int, moment: int) -> tuple[int, int]:
    """The ``[start, end)`` period, counted from ``anchor``, that holds ``moment``."""
    n = _index_at_or_before(anchor, interval, count, moment)
    return boundary(anchor, interval, count, n), boundary(anchor, interval, count, n + 1)


def anchor_from_config(
    now: int,
    *,
    day_of_month: int,
    month: int | None = None,
    hour: int | None = None,
    minute: int | None = None,
    second: int | None = None,
) -> int:
    """The first moment after ``now`` matching ``billing_cycle_anchor_config``."""
    base = _utc(now)
    hh = base.hour if hour is None else hour
    mm = base.minute if minute is None else minute
    ss = base.second if second is None else second
    year, mon = base.year, base.month if month is None else month
    for _ in range(30):
        last = calendar.monthrange(year, mon)[1]
        candidate = datetime(year, mon, min(day_of_month, last), hh, mm, ss, tzinfo=UTC)
        stamp = int(candidate.timestamp())
        if stamp > now:
            return stamp
        if month is None:
            year, mon = (year + 1, 1) if mon == 12 else (year, mon + 1)
        else:
            year += 1
    raise ValueError("no matching anchor")


def remaining_fraction(start: int, end: int, at: int) -> float:
    """Share of ``[start, end)`` still ahead at ``at``, in ``[0, 1]``; Stripe prorates by second."""
    if end <= start:
        return 0.0
    return min(1.0, max(0.0, (end - at) / (end - start)))


def span_in_periods(start: int, end: int, anchor: int, interval: str, count: int) -> float:
    """How many billing periods ``[start, end)`` covers, each partial period by its own length.

    Used for backdated starts and anchors away from the start date: a charge of
    one period's price times this number.
    """
    if end <= start:
        return 0.0
    total = 0.0
    cursor = start
    for _ in range(10_000):
        if cursor >= end:
            break
        low, high = period_containing(anchor, interval, count, cursor)
        stop = min(high, end)
        total += (stop - cursor) / (high - low)
        cursor = stop
    return total
