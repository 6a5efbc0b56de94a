"""Subscription schedules through the stripe library: phases on the clock, release, cancel."""

from __future__ import annotations

from typing import Any

import pytest
import stripe

from tests import builders


def _two_phases(
    client: stripe.StripeClient, customer: str, first: str, second: str, **params: Any
) -> stripe.SubscriptionSchedule:
    body: Any = {
        "customer": customer,
        "start_date": "now",
        "phases": [
            {"items": [{"price": first, "quantity": 1}], "duration": {"interval": "month"}},
            {"items": [{"price": second, "quantity": 2}], "duration": {"interval": "month"}},
        ],
        **params,
    }
    return client.v1.subscription_schedules.create(params=body)


def _sub(client: stripe.StripeClient, schedule: stripe.SubscriptionSchedule) -> stripe.Subscription:
    assert schedule.subscription is not None
    return client.v1.subscriptions.retrieve(str(schedule.subscription))


def test_schedule_starts_now_and_moves_to_the_next_phase_on_the_clock(
    fresh_client: stripe.StripeClient,
) -> None:
    client = fresh_client
    customer = builders.customer(client, email="sched@example.com", payment_method="pm_card_visa")
    basic, plus = (
        builders.price(client, 1000, product_name="Tier"),
        builders.price(client, 3000, product_name="Tier"),
    )
    schedule = _two_phases(client, customer.id, basic.id, plus.id)
    assert schedule.status == "active"
    assert schedule.end_behavior == "release"
    phases = schedule.phases
    assert len(phases) == 2
    assert phases[0].end_date == phases[1].start_date
    assert phases[0].items[0].price == basic.id
    assert schedule.current_phase is not None
    assert schedule.current_phase.start_date == phases[0].start_date
    sub = _sub(client, schedule)
    assert sub.schedule == schedule.id
    assert sub.status == "active"
    assert sub["items"].data[0].price.id == basic.id
    assert sub["items"].data[0].current_period_end == phases[0].end_date
    assert builders.events(client, "subscription_schedule.created", schedule.id)

    builders.advance_to(client, phases[0].end_date + 60)
    moved = client.v1.subscriptions.retrieve(sub.id)
    assert [(i.price.id, i.quantity) for i in moved["items"].data] == [(plus.id, 2)]
    assert moved.schedule == schedule.id
    renewal = client.v1.invoices.retrieve(str(moved.latest_invoice))
    assert renewal.billing_reason == "subscription_cycle"
    assert renewal.total == 2 * 3000  # the new phase's prices, no prorations at the boundary
    current = client.v1.subscription_schedules.retrieve(schedule.id)
    assert current.current_phase is not None
    assert current.current_phase.start_date == phases[1].start_date

    builders.advance_to(client, phases[1].end_date + 60)
    done = client.v1.subscription_schedules.retrieve(schedule.id)
    assert done.status == "completed"
    assert done.completed_at == phases[1].end_date
    assert done.released_subscription == sub.id
    kept = client.v1.subscriptions.retrieve(sub.id)
    assert kept.schedule is None and kept.status == "active"
    assert builders.events(client, "subscription_schedule.completed", schedule.id)


def test_end_behavior_cancel_cancels_the_subscription(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = builders.customer(client, email="sched@example.com", payment_method="pm_card_visa")
    price = builders.price(client, 1000, product_name="Tier")
    schedule = client.v1.subscription_schedules.create(
        params={
            "customer": customer.id,
            "end_behavior": "cancel",
            "phases": [{"items": [{"price": price.id}], "duration": {"interval": "month"}}],
        }
    )
    end = schedule.phases[0].end_date
    builders.advance_to(client, end + 60)
    sub = _sub(client, schedule)
    assert sub.status == "canceled" and sub.ended_at == end
    assert client.v1.subscription_schedules.retrieve(schedule.id).status == "completed"


def test_future_schedule_waits_then_creates_its_subscription(
    fresh_client: stripe.StripeClient,
) -> None:
    client = fresh_client
    customer = builders.customer(client, email="sched@example.com", payment_method="pm_card_visa")
    price = builders.price(client, 1000, product_name="Tier")
    start = builders.now(client) + 5 * builders.DAY
    schedule = client.v1.subscription_schedules.create(
        params={
            "customer": customer.id,
            "start_date": start,
            "phases": [{"items": [{"price": price.id}]}],
        }
    )
    assert schedule.status == "not_started"
    assert schedule.subscription is None and schedule.current_phase is None
    scheduled = client.v1.subscription_schedules.list(
        params={"customer": customer.id, "scheduled": True}
    )
    assert [s.id for s in scheduled.data] == [schedule.id]
    builders.advance_to(client, start + 60)
    started = client.v1.subscription_schedules.retrieve(schedule.id)
    assert started.status == "active"
    sub = _sub(client, started)
    assert sub.start_date == start
    assert sub.schedule == schedule.id


def test_from_subscription_then_release(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = builders.customer(client, email="sched@example.com", payment_method="pm_card_visa")
    price = builders.price(client, 1000, product_name="Tier")
    sub = client.v1.subscriptions.create(
        params={"customer": customer.id, "items": [{"price": price.id, "quantity": 3}]}
    )
    schedule = client.v1.subscription_schedules.create(params={"from_subscription": sub.id})
    assert schedule.status == "active" and schedule.subscription == sub.id
    item = sub["items"].data[0]
    assert schedule.phases[0].start_date == item.current_period_start
    assert schedule.phases[0].end_date == item.current_period_end
    assert schedule.phases[0].items[0].quantity == 3
    attached = client.v1.subscriptions.retrieve(sub.id)
    assert attached.schedule == schedule.id
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.subscriptions.update(sub.id, params={"cancel_at_period_end": True})
    assert "managed by the subscription schedule" in str(raised.value.user_message)
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.subscription_schedules.create(params={"from_subscription": sub.id})
    assert raised.value.param == "from_subscription"

    released = client.v1.subscription_schedules.release(schedule.id)
    assert released.status == "released"
    assert released.released_subscription == sub.id and released.subscription is None
    assert client.v1.subscriptions.retrieve(sub.id).schedule is None
    assert builders.events(client, "subscription_schedule.released", schedule.id)
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.subscription_schedules.release(schedule.id)
    # The released subscription can be canceled at period end again.
    freed = client.v1.subscriptions.update(sub.id, params={"cancel_at_period_end": True})
    assert freed.cancel_at_period_end is True


def test_update_phases_of_an_active_schedule(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = builders.customer(client, email="sched@example.com", payment_method="pm_card_visa")
    basic, plus = (
        builders.price(client, 1000, product_name="Tier"),
        builders.price(client, 2500, product_name="Tier"),
    )
    sub = client.v1.subscriptions.create(
        params={"customer": customer.id, "items": [{"price": basic.id}]}
    )
    schedule = client.v1.subscription_schedules.create(params={"from_subscription": sub.id})
    phase = schedule.phases[0]
    updated = client.v1.subscription_schedules.update(
        schedule.id,
        params={
            "end_behavior": "cancel",
            "phases": [
                {
                    "items": [{"price": basic.id, "quantity": 1}],
                    "start_date": phase.start_date,
                    "end_date": phase.end_date,
                },
                {"items": [{"price": plus.id}], "duration": {"interval": "month"}},
            ],
        },
    )
    assert len(updated.phases) == 2 and updated.end_behavior == "cancel"
    assert updated.phases[1].start_date == phase.end_date
    assert builders.events(client, "subscription_schedule.updated", schedule.id)
    builders.advance_to(client, phase.end_date + 60)
    moved = client.v1.subscriptions.retrieve(sub.id)
    assert moved["items"].data[0].price.id == plus.id
    renewal = client.v1.invoices.retrieve(str(moved.latest_invoice))
    assert renewal.total == 2500
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.subscription_schedules.update(
            schedule.id,
            params={
                "phases": [
                    {"items": [{"price": plus.id}], "start_date": phase.start_date + 5},
                ]
            },
        )
    assert raised.value.param == "phases[0][start_date]"


def test_cancel_schedule_cancels_both(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = builders.customer(client, email="sched@example.com", payment_method="pm_card_visa")
    basic, plus = (
        builders.price(client, 1000, product_name="Tier"),
        builders.price(client, 3000, product_name="Tier"),
    )
    schedule = _two_phases(client, customer.id, basic.id, plus.id)
    canceled = client.v1.subscription_schedules.cancel(
        schedule.id, params={"invoice_now": False, "prorate": False}
    )
    assert canceled.status == "canceled" and canceled.canceled_at is not None
    sub = _sub(client, canceled)
    assert sub.status == "canceled"
    assert builders.events(client, "subscription_schedule.canceled", schedule.id)
    assert builders.events(client, "customer.subscription.deleted", sub.id)
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.subscription_schedules.cancel(schedule.id)


def test_canceling_the_subscription_cancels_its_schedule(
    fresh_client: stripe.StripeClient,
) -> None:
    client = fresh_client
    customer = builders.customer(client, email="sched@example.com", payment_method="pm_card_visa")
    schedule = _two_phases(
        client,
        customer.id,
        builders.price(client, 100, product_name="Tier").id,
        builders.price(client, 200, product_name="Tier").id,
    )
    client.v1.subscriptions.cancel(str(schedule.subscription))
    assert client.v1.subscription_schedules.retrieve(schedule.id).status == "canceled"


def test_schedule_refusals(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = builders.customer(client, email="sched@example.com", payment_method="pm_card_visa")
    price = builders.price(client, 100, product_name="Tier")
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.subscription_schedules.create(params={"customer": customer.id})
    assert raised.value.param == "phases"
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.subscription_schedules.create(
            params={"customer": customer.id, "phases": [{"items": [{"price": "price_nope"}]}]}
        )
    assert raised.value.code == "resource_missing"
    assert raised.value.param == "phases[0][items][0][price]"
    sub = client.v1.subscriptions.create(
        params={"customer": customer.id, "items": [{"price": price.id}]}
    )
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.subscription_schedules.create(
            params={"from_subscription": sub.id, "end_behavior": "cancel"}
        )
    assert raised.value.param == "end_behavior"
    assert client.v1.subscription_schedules.list(params={"customer": customer.id}).data == []
