"""Why customers cancel, and which retention offers kept them, from Stripe's events.

Definitions (events read: ``customer.subscription.updated``, ``customer.subscription.deleted``,
``billing_portal.session.created``):

- A **cancellation** is a subscription being set to end (an ``updated`` event whose
  ``previous_attributes`` show ``cancel_at_period_end`` turning true or ``cancel_at`` being set:
  mode ``at_period_end``) or ending at once (a ``deleted`` event with no earlier scheduled
  cancellation in the events read: mode ``immediately``). A subscription counts once: the
  ``deleted`` event that carries out a scheduled cancellation is not a second one. Its reason,
  feedback, custom feedback option and comment come from ``cancellation_details``.
- A **retention offer** is a portal session made with a ``subscription_cancel`` flow carrying a
  ``coupon_offer``. It is **accepted** when, within ``ATTRIBUTION_WINDOW`` after the session, an
  ``updated`` event of that subscription adds a discount (a discount in the object that the
  ``previous_attributes.discounts`` did not hold; when discounts are expanded, one whose coupon
  is the offered coupon) and leaves the subscription neither canceled nor set to end. It is
  **declined** when the subscription is cancelled within the window instead; otherwise its
  outcome is ``unknown``.
- The **configuration** of a cancellation is that of the latest portal session of the same
  customer within ``ATTRIBUTION_WINDOW`` before it (Stripe records no link; cancellations
  not made through the portal, e.g. after failed payments, stay unattributed).
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, Protocol

from console.gateway.models import Event, Page, PortalConfigurationRecord

# A used portal session lives one hour after the last activity (product spec).
ATTRIBUTION_WINDOW = 3600
EVENT_TYPES = (
    "customer.subscription.updated",
    "customer.subscription.deleted",
    "billing_portal.session.created",
)
Bucketing = Literal["day", "week"]
Outcome = Literal["accepted", "declined", "unknown"]


@dataclass(frozen=True, slots=True)
class Cancellation:
    at: int
    subscription_id: str
    customer_id: str
    mode: Literal["immediately", "at_period_end"]
    reason: str | None  # cancellation_details.reason (cancellation_requested, payment_failed…)
    feedback: str | None  # one of the portal's eight reasons
    feedback_option: str | None  # a custom billing.feedback_option id
    comment: str | None
    configuration_id: str | None
    event_id: str


@dataclass(frozen=True, slots=True)
class RetentionOffer:
    at: int  # when the session was made
    subscription_id: str
    customer_id: str
    coupon: str
    configuration_id: str | None
    outcome: Outcome
    decided_at: int | None
    session_id: str


@dataclass(frozen=True, slots=True)
class Bucket:
    start: int  # unix seconds, UTC midnight (weeks start on Monday)
    end: int
    cancellations: int
    by_feedback: Mapping[str, int]
    offers: int
    offers_accepted: int


@dataclass(frozen=True, slots=True)
class Report:
    since: int
    until: int
    bucketing: Bucketing
    cancellations: tuple[Cancellation, ...]
    offers: tuple[RetentionOffer, ...]
    buckets: tuple[Bucket, ...]
    configuration_names: Mapping[str, str]

    @property
    def by_feedback(self) -> Counter[str]:
        return Counter(c.feedback or "none" for c in self.cancellations)

    @property
    def by_configuration(self) -> Counter[str]:
        return Counter(c.configuration_id or "unknown" for c in self.cancellations)

    @property
    def comments(self) -> tuple[str, ...]:
        return tuple(c.comment for c in self.cancellations if c.comment)

    @property
    def offers_accepted(self) -> int:
        return sum(1 for o in self.offers if o.outcome == "accepted")


class EventLister(Protocol):
    async def list_events(
        self,
        *,
        types: Sequence[str] = (),
        created_gte: int | None = None,
        starting_after: str | None = None,
        ending_before: str | None = None,
        limit: int = 100,
    ) -> Page[Event]: ...


async def fetch_events(gateway: EventLister, since: int, until: int) -> tuple[Event, ...]:
    """The events the report reads, oldest first, from ``since`` (minus the window) on."""
    found: list[Event] = []
    cursor: str | None = None
    while True:
        page = await gateway.list_events(
            types=EVENT_TYPES, created_gte=since - ATTRIBUTION_WINDOW, starting_after=cursor
        )
        found.extend(e for e in page.data if e.created <= until + ATTRIBUTION_WINDOW)
        cursor = page.next_cursor
        if cursor is None:
            break
    return tuple(sorted(found, key=lambda e: (e.created, e.id)))


def _id(value: Any) -> str | None:
    if isinstance(value, Mapping):
        return str(value.get("id")) if value.get("id") else None
    return str(value) if value else None


def _sets_end(event: Event) -> bool:
    """Whether an ``updated`` event set the subscription to end."""
    obj, before = event.data_object, event.previous_attributes or {}
    turned_on = "cancel_at_period_end" in before and obj.get("cancel_at_period_end") is True
    set_at = "cancel_at" in before and before.get("cancel_at") is None and obj.get("cancel_at")
    return bool(turned_on or set_at)


def _cancellation(event: Event, mode: Any, configuration: str | None) -> Cancellation:
    obj = event.data_object
    details = obj.get("cancellation_details") or {}
    return Cancellation(
        at=event.created,
        subscription_id=str(obj.get("id")),
        customer_id=_id(obj.get("customer")) or "",
        mode=mode,
        reason=details.get("reason"),
        feedback=details.get("feedback"),
        feedback_option=_id(details.get("feedback_option")),
        comment=details.get("comment"),
        configuration_id=configuration,
        event_id=event.id,
    )


def _added_discounts(event: Event) -> list[Any]:
    before = event.previous_attributes or {}
    if "discounts" not in before:
        return []
    old = {_id(d) for d in before.get("discounts") or ()}
    return [d for d in event.data_object.get("discounts") or () if _id(d) not in old]


def _discount_coupon(discount: Any) -> str | None:
    if not isinstance(discount, Mapping):
        return None
    source = discount.get("source") or {}
    return _id(discount.get("coupon")) or _id(source.get("coupon"))


def build(
    events: Iterable[Event],
    since: int,
    until: int,
    configurations: Sequence[PortalConfigurationRecord] = (),
    *,
    bucketing: Bucketing = "day",
) -> Report:
    """The report for ``since <= created < until`` (unix seconds); events in any order."""
    ordered = sorted(events, key=lambda e: (e.created, e.id))
    sessions: list[Event] = [e for e in ordered if e.type == "billing_portal.session.created"]
    cancellations: dict[str, Cancellation] = {}
    ended: dict[str, int] = {}  # subscription -> first moment it was cancelled (any time)
    for event in ordered:
        if event.type == "customer.subscription.updated" and _sets_end(event):
            mode = "at_period_end"
        elif event.type == "customer.subscription.deleted":
            mode = "immediately"
        else:
            continue
        subscription = str(event.data_object.get("id"))
        ended.setdefault(subscription, event.created)
        if subscription in cancellations or not since <= event.created < until:
            continue
        if mode == "immediately" and ended[subscription] < event.created:
            continue  # carries out a cancellation scheduled before the window
        customer = _id(event.data_object.get("customer")) or ""
        configuration = _session_before(sessions, customer, event.created)
        cancellations[subscription] = _cancellation(event, mode, configuration)

    offers = [
        _offer(session, ordered)
        for session in sessions
        if since <= session.created < until and _offered_coupon(session) is not None
    ]
    found = tuple(sorted(cancellations.values(), key=lambda c: (c.at, c.subscription_id)))
    return Report(
        since=since,
        until=until,
        bucketing=bucketing,
        cancellations=found,
        offers=tuple(offers),
        buckets=_buckets(found, offers, since, until, bucketing),
        configuration_names={r.id: r.name or r.id for r in configurations},
    )


def _session_before(sessions: Sequence[Event], customer: str, moment: int) -> str | None:
    chosen = None
    for session in sessions:
        if session.created > moment:
            break
        obj = session.data_object
        if _id(obj.get("customer")) == customer and moment - session.created <= ATTRIBUTION_WINDOW:
            chosen = _id(obj.get("configuration"))
    return chosen


def _offered_coupon(session: Event) -> tuple[str, str] | None:
    """(subscription, coupon) of a subscription_cancel flow with a coupon offer."""
    flow = session.data_object.get("flow") or {}
    if flow.get("type") != "subscription_cancel":
        return None
    cancel = flow.get("subscription_cancel") or {}
    retention = cancel.get("retention") or {}
    coupon = _id((retention.get("coupon_offer") or {}).get("coupon"))
    subscription = _id(cancel.get("subscription"))
    if retention.get("type") != "coupon_offer" or not coupon or not subscription:
        return None
    return subscription, coupon


def _offer(session: Event, ordered: Sequence[Event]) -> RetentionOffer:
    offered = _offered_coupon(session)
    assert offered is not None
    subscription, coupon = offered
    outcome: Outcome = "unknown"
    decided: int | None = None
    window_end = session.created + ATTRIBUTION_WINDOW
    for event in ordered:
        if event.created < session.created or event.created > window_end:
            continue
        if str(event.data_object.get("id")) != subscription:
            continue
        if event.type == "customer.subscription.deleted" or (
            event.type == "customer.subscription.updated" and _sets_end(event)
        ):
            outcome, decided = "declined", event.created
            break
        if event.type != "customer.subscription.updated":
            continue
        added = _added_discounts(event)
        coupons = {_discount_coupon(d) for d in added}
        still_on = not event.data_object.get("cancel_at_period_end") and not (
            event.data_object.get("cancel_at")
        )
        if added and still_on and (coupon in coupons or coupons == {None}):
            outcome, decided = "accepted", event.created
            break
    obj = session.data_object
    return RetentionOffer(
        at=session.created,
        subscription_id=subscription,
        customer_id=_id(obj.get("customer")) or "",
        coupon=coupon,
        configuration_id=_id(obj.get("configuration")),
        outcome=outcome,
        decided_at=decided,
        session_id=str(obj.get("id") or session.id),
    )


def bucket_start(moment: int, bucketing: Bucketing) -> int:
    """UTC midnight of the day (or of the Monday of the week) holding ``moment``."""
    day = datetime.fromtimestamp(moment, UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    if bucketing == "week":
        day -= timedelta(days=day.weekday())
    return int(day.timestamp())


def _buckets(
    cancellations: Sequence[Cancellation],
    offers: Sequence[RetentionOffer],
    since: int,
    until: int,
    bucketing: Bucketing,
) -> tuple[Bucket, ...]:
    """Every bucket from ``since`` to ``until``, empty ones included (a chart needs them)."""
    step = timedelta(days=7 if bucketing == "week" else 1)
    buckets = []
    start = datetime.fromtimestamp(bucket_start(since, bucketing), UTC)
    while int(start.timestamp()) < until:
        lo, hi = int(start.timestamp()), int((start + step).timestamp())
        inside = [c for c in cancellations if lo <= c.at < hi]
        offered = [o for o in offers if lo <= o.at < hi]
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
        start += step
    return tuple(buckets)


def _iso(moment: int | None) -> str:
    if moment is None:
        return ""
    return datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


CSV_COLUMNS = (
    "kind",
    "at",
    "subscription",
    "customer",
    "configuration",
    "configuration_name",
    "mode",
    "reason",
    "feedback",
    "feedback_option",
    "comment",
    "coupon",
    "outcome",
)


def to_csv(report: Report) -> str:
    """One row per cancellation and per retention offer, oldest first (UTC ISO times)."""
    rows: list[tuple[int, dict[str, str]]] = []
    names = report.configuration_names
    for c in report.cancellations:
        rows.append(
            (
                c.at,
                {
                    "kind": "cancellation",
                    "at": _iso(c.at),
                    "subscription": c.subscription_id,
                    "customer": c.customer_id,
                    "configuration": c.configuration_id or "",
                    "configuration_name": names.get(c.configuration_id or "", ""),
                    "mode": c.mode,
                    "reason": c.reason or "",
                    "feedback": c.feedback or "",
                    "feedback_option": c.feedback_option or "",
                    "comment": c.comment or "",
                },
            )
        )
    for o in report.offers:
        rows.append(
            (
                o.at,
                {
                    "kind": "retention_offer",
                    "at": _iso(o.at),
                    "subscription": o.subscription_id,
                    "customer": o.customer_id,
                    "configuration": o.configuration_id or "",
                    "configuration_name": names.get(o.configuration_id or "", ""),
                    "coupon": o.coupon,
                    "outcome": o.outcome,
                },
            )
        )
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, restval="", lineterminator="\n")
    writer.writeheader()
    for _, row in sorted(rows, key=lambda r: r[0]):
        writer.writerow(row)
    return out.getvalue()


def buckets_to_csv(report: Report) -> str:
    """The chart's data: one row per day/week, a column per feedback value seen."""
    reasons = sorted({k for b in report.buckets for k in b.by_feedback})
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["start", "cancellations", *reasons, "offers", "offers_accepted"])
    for b in report.buckets:
        writer.writerow(
            [
                _iso(b.start)[:10],
                b.cancellations,
                *(b.by_feedback.get(r, 0) for r in reasons),
                b.offers,
                b.offers_accepted,
            ]
        )
    return out.getvalue()
