"""The cancellation report: what counts as a cancellation, retention offers, buckets, CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any

from console.gateway.models import Event, EventId, PortalConfigurationId, PortalConfigurationRecord
from console.report.cancellations import buckets_to_csv, build, to_csv

MON = int(datetime(2026, 11, 2, tzinfo=UTC).timestamp())  # a Monday
DAY = 86400
_seq = iter(range(10_000))


def event(kind: str, at: int, obj: dict[str, Any], previous: dict[str, Any] | None = None) -> Event:
    return Event(EventId(f"evt_{next(_seq):04d}"), kind, at, obj, previous)


def sub(sub_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "id": sub_id,
        "customer": "cus_" + sub_id[4:],
        "cancel_at_period_end": False,
        "cancel_at": None,
        "discounts": [],
        "cancellation_details": {},
        **fields,
    }


def details(
    feedback: str | None, comment: str | None = None, reason: str = "cancellation_requested"
) -> dict[str, Any]:
    return {"reason": reason, "feedback": feedback, "comment": comment, "feedback_option": None}


def session(
    at: int, sub_id: str, *, coupon: str | None = None, configuration: str = "bpc_a"
) -> Event:
    flow = None
    if coupon:
        flow = {
            "type": "subscription_cancel",
            "subscription_cancel": {
                "subscription": sub_id,
                "retention": {"type": "coupon_offer", "coupon_offer": {"coupon": coupon}},
            },
        }
    return event(
        "billing_portal.session.created",
        at,
        {
            "id": f"bps_{at}",
            "customer": "cus_" + sub_id[4:],
            "configuration": configuration,
            "flow": flow,
        },
    )


EVENTS = [
    # 1: scheduled at period end through the portal (bpc_a), later carried out: counted once.
    session(MON + 100, "sub_1"),
    event(
        "customer.subscription.updated",
        MON + 200,
        sub(
            "sub_1",
            cancel_at_period_end=True,
            cancellation_details=details("too_expensive", "Too pricey"),
        ),
        {"cancel_at_period_end": False},
    ),
    event(
        "customer.subscription.deleted",
        MON + 9 * DAY,
        sub(
            "sub_1", status="canceled", cancellation_details=details("too_expensive", "Too pricey")
        ),
    ),
    # 2: canceled at once on Tuesday after failed payments: no portal session, no configuration.
    event(
        "customer.subscription.deleted",
        MON + DAY + 50,
        sub(
            "sub_2", status="canceled", cancellation_details=details(None, reason="payment_failed")
        ),
    ),
    # 3: offered a coupon, accepted it (a discount appears, subscription stays on).
    session(MON + 2 * DAY, "sub_3", coupon="STAY20", configuration="bpc_b"),
    event(
        "customer.subscription.updated",
        MON + 2 * DAY + 60,
        sub("sub_3", discounts=["di_new"]),
        {"discounts": []},
    ),
    # 4: offered a coupon, cancelled anyway.
    session(MON + 8 * DAY, "sub_4", coupon="STAY20", configuration="bpc_b"),
    event(
        "customer.subscription.deleted",
        MON + 8 * DAY + 30,
        sub("sub_4", status="canceled", cancellation_details=details("unused")),
    ),
    # Unrelated change: not a cancellation.
    event("customer.subscription.updated", MON + 3 * DAY, sub("sub_5"), {"metadata": {}}),
]
CONFIGS = [
    PortalConfigurationRecord(PortalConfigurationId("bpc_a"), "Main", True, True, {}),
    PortalConfigurationRecord(PortalConfigurationId("bpc_b"), None, False, True, {}),
]


def test_cancellations_are_counted_once_with_reason_comment_and_configuration() -> None:
    report = build(reversed(EVENTS), MON, MON + 14 * DAY, CONFIGS)
    got = [
        (c.subscription_id, c.mode, c.feedback, c.reason, c.configuration_id)
        for c in report.cancellations
    ]
    assert got == [
        ("sub_1", "at_period_end", "too_expensive", "cancellation_requested", "bpc_a"),
        ("sub_2", "immediately", None, "payment_failed", None),
        ("sub_4", "immediately", "unused", "cancellation_requested", "bpc_b"),
    ]
    assert report.comments == ("Too pricey",)
    assert report.by_feedback == {"too_expensive": 1, "none": 1, "unused": 1}
    assert report.by_configuration == {"bpc_a": 1, "unknown": 1, "bpc_b": 1}


def test_retention_offers_accepted_and_declined() -> None:
    report = build(EVENTS, MON, MON + 14 * DAY, CONFIGS)
    assert [(o.subscription_id, o.coupon, o.outcome) for o in report.offers] == [
        ("sub_3", "STAY20", "accepted"),
        ("sub_4", "STAY20", "declined"),
    ]
    assert report.offers_accepted == 1


def test_a_discount_of_another_coupon_is_not_an_accepted_offer() -> None:
    events = [
        session(MON, "sub_3", coupon="STAY20"),
        event(
            "customer.subscription.updated",
            MON + 60,
            sub("sub_3", discounts=[{"id": "di_x", "source": {"coupon": "OTHER"}}]),
            {"discounts": []},
        ),
    ]
    assert build(events, MON, MON + DAY).offers[0].outcome == "unknown"


def test_daily_and_weekly_buckets_cover_the_whole_range() -> None:
    daily = build(EVENTS, MON, MON + 14 * DAY, CONFIGS)
    assert len(daily.buckets) == 14
    assert [b.cancellations for b in daily.buckets[:3]] == [1, 1, 0]
    assert daily.buckets[2].offers == 1 and daily.buckets[2].offers_accepted == 1
    weekly = build(EVENTS, MON + 3 * DAY, MON + 14 * DAY, CONFIGS, bucketing="week")
    assert [b.start for b in weekly.buckets] == [MON, MON + 7 * DAY]
    assert [b.cancellations for b in weekly.buckets] == [0, 1]
    assert weekly.buckets[1].by_feedback == {"unused": 1}


def test_csv_has_a_row_per_cancellation_and_offer() -> None:
    rows = list(csv.DictReader(io.StringIO(to_csv(build(EVENTS, MON, MON + 14 * DAY, CONFIGS)))))
    assert [(r["kind"], r["subscription"]) for r in rows] == [
        ("cancellation", "sub_1"),
        ("cancellation", "sub_2"),
        ("retention_offer", "sub_3"),
        ("retention_offer", "sub_4"),
        ("cancellation", "sub_4"),
    ]
    assert rows[0]["at"] == "2026-11-02T00:03:20Z"
    assert rows[0]["configuration_name"] == "Main" and rows[0]["comment"] == "Too pricey"
    assert rows[2]["outcome"] == "accepted"


def test_bucket_csv_is_chart_data() -> None:
    text = buckets_to_csv(build(EVENTS, MON, MON + 2 * DAY, CONFIGS))
    assert text.splitlines() == [
        "start,cancellations,none,too_expensive,offers,offers_accepted",
        "2026-11-02,1,0,1,0,0",
        "2026-11-03,1,1,0,0,0",
    ]
