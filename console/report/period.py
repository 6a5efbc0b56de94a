"""The period and grouping a cancellation report is asked for, and the chart's monthly buckets.

Periods are whole UTC days, like the report's buckets (``cancellation_report.bucket_start``),
so a bar never covers half a day. "Last N days" ends with today and includes it. The core
report groups by day or week; months (calendar months, UTC) are regrouped here from the
report's cancellations and offers, so nothing is fetched or counted twice.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from console.errors import ValidationError, ValidationProblem
from console.gateway.models import Event, PortalConfigurationRecord
from console.i18n import _
from console.report.cancellations import Bucket, Report, build

Grouping = Literal["day", "week", "month"]
GROUPINGS: tuple[Grouping, ...] = ("day", "week", "month")
PRESET_DAYS = (30, 90, 365)
# Longer custom periods would make a report nobody can read and a fetch nobody waits for.
MAX_DAYS = 3 * 366


@dataclass(frozen=True, slots=True)
class Period:
    """``since <= created < until``, unix seconds at UTC midnights; ``first``/``last`` inclusive."""

    first: date
    last: date

    @property
    def since(self) -> int:
        return _midnight(self.first)

    @property
    def until(self) -> int:
        return _midnight(self.last + timedelta(days=1))

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def _midnight(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())


def utc_today(now: float) -> date:
    return datetime.fromtimestamp(now, UTC).date()


def last_days(days: int, now: float) -> Period:
    """The ``days`` days up to and including today (UTC)."""
    if days < 1:
        raise ValueError("a period has at least one day")
    today = utc_today(now)
    return Period(first=today - timedelta(days=days - 1), last=today)


def custom_period(first: date, last: date) -> Period:
    """The days from ``first`` to ``last``, both included; a clear error when they make none."""
    if last < first:
        raise ValidationError(
            (
                ValidationProblem(
                    "until", "period_reversed", _("The end date is before the start date.")
                ),
            )
        )
    if (last - first).days + 1 > MAX_DAYS:
        raise ValidationError(
            (
                ValidationProblem(
                    "until",
                    "period_too_long",
                    _("A report covers at most %(max_days)s days; choose a shorter period.")
                    % {"max_days": MAX_DAYS},
                ),
            )
        )
    return Period(first=first, last=last)


def suggested_grouping(period: Period) -> Grouping:
    """A grouping that keeps the chart readable: about a month of bars or fewer."""
    if period.days <= 45:
        return "day"
    if period.days <= 200:
        return "week"
    return "month"


def build_report(
    events: Sequence[Event],
    period: Period,
    configurations: Sequence[PortalConfigurationRecord],
    grouping: Grouping,
) -> Report:
    """The core report with buckets of ``grouping`` (months regrouped from days).

    For months the returned report's ``bucketing`` field still says "day" (the core knows no
    months); its ``buckets`` are the months. Callers keep the grouping they asked for.
    """
    core = build(
        events,
        period.since,
        period.until,
        configurations,
        bucketing="day" if grouping == "month" else grouping,
    )
    if grouping != "month":
        return core
    return dataclasses.replace(core, buckets=month_buckets(core))


def _month_start(moment: int) -> datetime:
    day = datetime.fromtimestamp(moment, UTC)
    return day.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _next_month(start: datetime) -> datetime:
    return (
        start.replace(year=start.year + 1, month=1)
        if start.month == 12
        else start.replace(month=start.month + 1)
    )


def month_buckets(report: Report) -> tuple[Bucket, ...]:
    """One bucket per calendar month (UTC) touched by the report's period, empty ones included."""
    buckets = []
    start = _month_start(report.since)
    while int(start.timestamp()) < report.until:
        end = _next_month(start)
        lo, hi = int(start.timestamp()), int(end.timestamp())
        inside = [c for c in report.cancellations if lo <= c.at < hi]
        offered = [o for o in report.offers if lo <= o.at < hi]
        buckets.append(
            Bucket(
                start=lo,
                end=hi,
                cancellations=len(inside),
                by_feedback=dict(Counter(c.feedback or "none" for c in inside)),
                offers=len(offered),
                offers_accepted=sum(1 for o in offered if o.outcome == "accepted"),
            )
        )
        start = end
    return tuple(buckets)


def export_file_names(period: Period) -> tuple[str, str]:
    """Default names of the per-cancellation and the per-bucket CSV files."""
    stem = f"cancellations-{period.first.isoformat()}-to-{period.last.isoformat()}"
    return f"{stem}.csv", f"{stem}-totals.csv"


__all__ = [
    "GROUPINGS",
    "MAX_DAYS",
    "PRESET_DAYS",
    "Grouping",
    "Period",
    "build_report",
    "custom_period",
    "export_file_names",
    "last_days",
    "month_buckets",
    "suggested_grouping",
    "utc_today",
]
