"""Report periods (whole UTC days), monthly regrouping, and what a bad custom period says."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from console.errors import ValidationError
from console.report.cancellations import buckets_to_csv
from console.report.period import (
    MAX_DAYS,
    build_report,
    custom_period,
    export_file_names,
    last_days,
    suggested_grouping,
)
from tests.unit.core.report.test_cancellations import (
    CONFIGS,
    DAY,
    EVENTS,
    details,
    event,
    sub,
)

LATE_EVENING = datetime(2026, 11, 25, 23, 30, tzinfo=UTC).timestamp()


def test_last_days_ends_with_today_and_covers_whole_days() -> None:
    period = last_days(30, LATE_EVENING)
    assert (period.first, period.last, period.days) == (date(2026, 10, 27), date(2026, 11, 25), 30)
    assert period.since == int(datetime(2026, 10, 27, tzinfo=UTC).timestamp())
    assert period.until == int(datetime(2026, 11, 26, tzinfo=UTC).timestamp())
    assert period.since <= LATE_EVENING < period.until


def test_custom_period_includes_both_dates() -> None:
    period = custom_period(date(2026, 2, 27), date(2026, 3, 1))
    assert period.days == 3
    assert period.until - period.since == 3 * DAY


def test_a_reversed_custom_period_is_a_clear_error_on_the_end_date() -> None:
    with pytest.raises(ValidationError) as raised:
        custom_period(date(2026, 3, 2), date(2026, 3, 1))
    assert (raised.value.param, raised.value.code) == ("until", "period_reversed")
    assert "before the start date" in raised.value.message


def test_an_overlong_custom_period_is_refused() -> None:
    with pytest.raises(ValidationError) as raised:
        custom_period(date(2020, 1, 1), date(2026, 1, 1))
    assert raised.value.code == "period_too_long" and str(MAX_DAYS) in raised.value.message


def test_suggested_grouping_keeps_bars_few() -> None:
    assert suggested_grouping(last_days(30, LATE_EVENING)) == "day"
    assert suggested_grouping(last_days(90, LATE_EVENING)) == "week"
    assert suggested_grouping(last_days(365, LATE_EVENING)) == "month"


def test_months_regroup_the_same_cancellations_across_a_month_boundary() -> None:
    late_october = int(datetime(2026, 10, 30, 12, tzinfo=UTC).timestamp())
    october_exit = event(
        "customer.subscription.deleted",
        late_october,
        sub("sub_9", status="canceled", cancellation_details=details("too_complex")),
    )
    period = custom_period(date(2026, 10, 15), date(2026, 11, 20))
    report = build_report([october_exit, *EVENTS], period, CONFIGS, "month")
    starts = [datetime.fromtimestamp(b.start, UTC).date() for b in report.buckets]
    assert starts == [date(2026, 10, 1), date(2026, 11, 1)]
    assert [b.cancellations for b in report.buckets] == [1, 3]
    assert report.buckets[0].by_feedback == {"too_complex": 1}
    assert report.buckets[1].by_feedback == {"too_expensive": 1, "none": 1, "unused": 1}
    assert [(b.offers, b.offers_accepted) for b in report.buckets] == [(0, 0), (2, 1)]
    daily = build_report([october_exit, *EVENTS], period, CONFIGS, "day")
    assert sum(b.cancellations for b in daily.buckets) == 4
    assert len(daily.buckets) == period.days
    assert buckets_to_csv(report).splitlines()[1:] == [
        "2026-10-01,1,0,1,0,0,0,0",
        "2026-11-01,3,1,0,1,1,2,1",
    ]


def test_december_rolls_over_into_january() -> None:
    period = custom_period(date(2026, 12, 20), date(2027, 1, 3))
    report = build_report([], period, (), "month")
    assert [datetime.fromtimestamp(b.start, UTC).date() for b in report.buckets] == [
        date(2026, 12, 1),
        date(2027, 1, 1),
    ]
    assert report.buckets[-1].end == int(datetime(2027, 2, 1, tzinfo=UTC).timestamp())


def test_export_names_say_the_period() -> None:
    assert export_file_names(custom_period(date(2026, 1, 1), date(2026, 1, 31))) == (
        "cancellations-2026-01-01-to-2026-01-31.csv",
        "cancellations-2026-01-01-to-2026-01-31-totals.csv",
    )
