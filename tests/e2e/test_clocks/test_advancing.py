"""Advancing a Stripe test clock moves its own customers' billing and nobody else's.

Each test makes its clocks at a fixed moment (1 January 2026, UTC) and checks what a merchant's
billing test would: which invoices exist and when, where a subscription's period stands, and
the clock's status and events. The sandbox's own clock never moves a test clock's customers.
"""

from __future__ import annotations

import stripe

from tests import builders

DAY = builders.DAY
T0 = 1_767_225_600  # 2026-01-01 00:00:00 UTC


def _subscriber(
    client: stripe.StripeClient, clock: str, price: str, **params: object
) -> stripe.Subscription:
    customer = builders.customer(
        client,
        email=builders.unique_email("clock"),
        test_clock=clock,
        payment_method="pm_card_visa",
    )
    return builders.subscribe(client, customer.id, price, **params)


def _reasons(client: stripe.StripeClient, sub: stripe.Subscription) -> list[tuple[str, int]]:
    """(billing reason, created) of the customer's invoices, oldest first."""
    return [
        (str(i.billing_reason), i.created) for i in builders.invoices(client, str(sub.customer))
    ]


def test_objects_of_a_clock_customer_live_at_its_frozen_time(client: stripe.StripeClient) -> None:
    clock = builders.test_clock(client, T0)
    sub = _subscriber(client, clock.id, builders.price(client, 1200).id, expand=["latest_invoice"])

    customer = client.v1.customers.retrieve(str(sub.customer))
    invoice = builders.latest_invoice(sub)
    assert (customer.created, customer.test_clock) == (T0, clock.id)
    assert (sub.created, sub.start_date, sub.test_clock) == (T0, T0, clock.id)
    assert builders.period(sub) == (T0, T0 + 31 * DAY)
    assert (invoice.created, invoice.test_clock, invoice.status) == (T0, clock.id, "paid")
    created = builders.events(client, "customer.subscription.created", sub.id)
    assert [e.created for e in created] == [T0]


def test_two_clocks_advance_independently(client: stripe.StripeClient) -> None:
    price = builders.price(client, 1500).id
    clock_a, clock_b = builders.test_clock(client, T0), builders.test_clock(client, T0)
    on_a, on_b = _subscriber(client, clock_a.id, price), _subscriber(client, clock_b.id, price)

    answer = client.v1.test_helpers.test_clocks.advance(
        clock_a.id, params={"frozen_time": T0 + 32 * DAY}
    )
    assert answer.status == "advancing"
    assert answer.frozen_time == T0
    assert answer.status_details.advancing is not None
    assert answer.status_details.advancing.target_frozen_time == T0 + 32 * DAY
    done = builders.ready(client, clock_a.id)

    assert (done.status, done.frozen_time) == ("ready", T0 + 32 * DAY)
    renewed = client.v1.subscriptions.retrieve(on_a.id)
    assert builders.period(renewed) == (T0 + 31 * DAY, T0 + 59 * DAY)
    assert _reasons(client, on_a) == [
        ("subscription_create", T0),
        ("subscription_cycle", T0 + 31 * DAY),
    ]
    untouched = client.v1.subscriptions.retrieve(on_b.id)
    assert builders.period(untouched) == (T0, T0 + 31 * DAY)
    assert _reasons(client, on_b) == [("subscription_create", T0)]
    assert client.v1.test_helpers.test_clocks.retrieve(clock_b.id).frozen_time == T0
    assert builders.event_types(client, clock_a.id, "test_helpers.test_clock.*") == [
        "test_helpers.test_clock.created",
        "test_helpers.test_clock.advancing",
        "test_helpers.test_clock.ready",
    ]


def test_each_renewal_happens_at_its_own_moment(client: stripe.StripeClient) -> None:
    clock = builders.test_clock(client, T0)
    weekly = builders.price(client, 300, interval="week").id
    sub = _subscriber(client, clock.id, weekly)

    builders.advance_test_clock(client, clock.id, T0 + 14 * DAY)

    assert _reasons(client, sub) == [
        ("subscription_create", T0),
        ("subscription_cycle", T0 + 7 * DAY),
        ("subscription_cycle", T0 + 14 * DAY),
    ]
    newest = builders.invoices(client, str(sub.customer))[-1]
    paid = builders.events(client, "invoice.paid", newest.id)
    assert [e.created for e in paid] == [T0 + 14 * DAY]


def test_a_trial_ends_when_its_clock_passes_it(client: stripe.StripeClient) -> None:
    clock = builders.test_clock(client, T0)
    sub = _subscriber(client, clock.id, builders.price(client, 900).id, trial_period_days=7)
    assert (sub.status, sub.trial_end) == ("trialing", T0 + 7 * DAY)

    builders.advance_test_clock(client, clock.id, T0 + 6 * DAY)
    assert client.v1.subscriptions.retrieve(sub.id).status == "trialing"
    builders.advance_test_clock(client, clock.id, T0 + 8 * DAY)

    ended = client.v1.subscriptions.retrieve(sub.id)
    assert ended.status == "active"
    assert builders.period(ended) == (T0 + 7 * DAY, T0 + 38 * DAY)
    assert _reasons(client, sub)[-1] == ("subscription_cycle", T0 + 7 * DAY)
    assert builders.event_types(client, sub.id, "customer.subscription.trial_will_end")


def test_a_cancellation_at_period_end_happens_on_advance(client: stripe.StripeClient) -> None:
    clock = builders.test_clock(client, T0)
    sub = _subscriber(client, clock.id, builders.price(client, 700).id)
    client.v1.subscriptions.update(sub.id, params={"cancel_at_period_end": True})

    builders.advance_test_clock(client, clock.id, T0 + 40 * DAY)

    ended = client.v1.subscriptions.retrieve(sub.id)
    assert (ended.status, ended.ended_at) == ("canceled", T0 + 31 * DAY)
    assert _reasons(client, sub) == [("subscription_create", T0)]


def test_the_sandbox_clock_does_not_move_clock_customers(
    fresh_client: stripe.StripeClient,
) -> None:
    client = fresh_client
    start = builders.now(client)
    price = builders.price(client, 1000, interval="week").id
    clock = builders.test_clock(client, start)
    on_clock = _subscriber(client, clock.id, price)
    customer = builders.customer(client, email="real@example.com", payment_method="pm_card_visa")
    off_clock = builders.subscribe(client, customer.id, price)

    builders.advance(client, 8 * DAY)

    assert builders.period(client.v1.subscriptions.retrieve(off_clock.id))[0] > start
    assert builders.period(client.v1.subscriptions.retrieve(on_clock.id))[0] == start
    assert _reasons(client, on_clock) == [("subscription_create", start)]
    assert client.v1.test_helpers.test_clocks.retrieve(clock.id).frozen_time == start
    # A clock customer's changes happen at its clock's time, whatever the sandbox clock says.
    updated = client.v1.customers.update(str(on_clock.customer), params={"name": "Frozen"})
    assert builders.events(client, "customer.updated", updated.id)[0].created == start
