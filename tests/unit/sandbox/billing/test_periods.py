"""Calendar arithmetic of billing periods: month ends, leap years, anchors, spans."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from console.sandbox.billing import periods as bp


def ts(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> int:
    return int(datetime(year, month, day, hour, minute, tzinfo=UTC).timestamp())


def test_jan_31_plus_one_month_clamps_to_feb_28_or_29() -> None:
    assert bp.add_interval(ts(2026, 1, 31, 12), "month") == ts(2026, 2, 28, 12)
    assert bp.add_interval(ts(2028, 1, 31, 12), "month") == ts(2028, 2, 29, 12)


def test_boundaries_remember_the_anchor_day_after_a_short_month() -> None:
    anchor = ts(2026, 1, 31, 9, 30)
    ends = [bp.boundary(anchor, "month", 1, n) for n in range(1, 5)]
    assert ends == [
        ts(2026, 2, 28, 9, 30),
        ts(2026, 3, 31, 9, 30),
        ts(2026, 4, 30, 9, 30),
        ts(2026, 5, 31, 9, 30),
    ]


def test_yearly_anchor_on_feb_29() -> None:
    anchor = ts(2028, 2, 29)
    assert bp.boundary(anchor, "year", 1, 1) == ts(2029, 2, 28)
    assert bp.boundary(anchor, "year", 1, 4) == ts(2032, 2, 29)


def test_day_and_week_intervals_are_plain_seconds() -> None:
    start = ts(2026, 3, 1)
    assert bp.add_interval(start, "day", 3) == start + 3 * 86_400
    assert bp.add_interval(start, "week", 2) == start + 14 * 86_400


def test_interval_count_and_december_rollover() -> None:
    assert bp.add_interval(ts(2026, 11, 30), "month", 3) == ts(2027, 2, 28)
    assert bp.add_interval(ts(2026, 12, 15), "month") == ts(2027, 1, 15)


def test_next_boundary_and_period_containing() -> None:
    anchor = ts(2026, 1, 31)
    assert bp.next_boundary(anchor, "month", 1, ts(2026, 3, 5)) == ts(2026, 3, 31)
    assert bp.next_boundary(anchor, "month", 1, ts(2026, 3, 31)) == ts(2026, 4, 30)
    assert bp.period_containing(anchor, "month", 1, ts(2026, 3, 5)) == (
        ts(2026, 2, 28),
        ts(2026, 3, 31),
    )
    # An anchor in the future ends the first (short) period.
    assert bp.next_boundary(ts(2026, 6, 1), "month", 1, ts(2026, 5, 20)) == ts(2026, 6, 1)
    # Periods before the anchor are counted backwards from it.
    assert bp.period_containing(ts(2026, 6, 1), "month", 1, ts(2026, 5, 20)) == (
        ts(2026, 5, 1),
        ts(2026, 6, 1),
    )


def test_anchor_from_config_picks_next_matching_day() -> None:
    now = ts(2026, 2, 10, 8)
    assert bp.anchor_from_config(now, day_of_month=31) == ts(2026, 2, 28, 8)
    assert bp.anchor_from_config(now, day_of_month=5, hour=0, minute=0, second=0) == ts(2026, 3, 5)
    assert bp.anchor_from_config(now, day_of_month=1, month=1, hour=0, minute=0, second=0) == ts(
        2027, 1, 1
    )


def test_remaining_fraction() -> None:
    assert bp.remaining_fraction(0, 100, 25) == pytest.approx(0.75)
    assert bp.remaining_fraction(0, 100, 150) == 0.0
    assert bp.remaining_fraction(0, 100, -10) == 1.0
    assert bp.remaining_fraction(5, 5, 5) == 0.0


def test_span_in_periods_counts_partial_periods_by_their_own_length() -> None:
    anchor = ts(2026, 1, 1)
    assert bp.span_in_periods(ts(2026, 1, 1), ts(2026, 3, 1), anchor, "month", 1) == (
        pytest.approx(2.0)
    )
    # Half of February (28 days) plus all of March.
    half = bp.span_in_periods(ts(2026, 2, 15), ts(2026, 4, 1), anchor, "month", 1)
    assert half == pytest.approx(14 / 28 + 1.0)
    assert bp.span_in_periods(10, 10, anchor, "month", 1) == 0.0


def test_unknown_interval_is_refused() -> None:
    with pytest.raises(ValueError):
        bp.boundary(0, "fortnight", 1, 1)


# -- a price's interval -------------------------------------------------------------------------


def test_interval_of_reads_the_price_s_recurring_interval_and_count() -> None:
    assert bp.interval_of({"recurring": {"interval": "week", "interval_count": 2}}) == ("week", 2)
    assert bp.interval_of({"recurring": {"interval": "year", "interval_count": 1}}) == ("year", 1)


def test_interval_of_defaults_to_one_month() -> None:
    assert bp.interval_of({"recurring": {"interval": "month", "interval_count": None}}) == (
        "month",
        1,
    )
    assert bp.interval_of({"recurring": None}) == ("month", 1)
    assert bp.interval_of({}) == ("month", 1)


def test_quarterly_boundaries_remember_the_anchor_day() -> None:
    anchor = ts(2026, 1, 31)
    ends = [bp.boundary(anchor, "month", 3, n) for n in range(1, 5)]
    assert ends == [ts(2026, 4, 30), ts(2026, 7, 31), ts(2026, 10, 31), ts(2027, 1, 31)]


def test_backdated_spans_follow_stripe_s_examples() -> None:
    """Stripe's "Backdate subscriptions": billed monthly on the 1st, a start backdated to
    February 15 (non-leap year) is half a month (14 of 28 days); one backdated to January 15 is
    17/31 of a month."""
    anchor = ts(2026, 3, 1)
    assert bp.span_in_periods(ts(2026, 2, 15), ts(2026, 3, 1), anchor, "month", 1) == (
        pytest.approx(0.5)
    )
    assert bp.span_in_periods(ts(2026, 1, 15), ts(2026, 2, 1), anchor, "month", 1) == (
        pytest.approx(17 / 31)
    )
