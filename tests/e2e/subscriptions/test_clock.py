"""Renewals and trials on the sandbox clock: periods, failed renewals, trial ends,
incomplete expiry."""

from __future__ import annotations

import stripe

from tests import builders


def test_renewal_after_one_period(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = builders.customer(client, email="sub@example.com", payment_method="pm_card_visa")
    sub = builders.subscribe(
        client, customer.id, builders.price(client, 1200).id, expand=["latest_invoice"]
    )
    start, end = builders.period(sub)
    builders.advance_to(client, end + 60)
    renewed = client.v1.subscriptions.retrieve(sub.id)
    assert renewed.status == "active"
    assert builders.period(renewed)[0] == end
    invoices = builders.invoices(client, customer.id)
    assert [i.billing_reason for i in invoices] == ["subscription_create", "subscription_cycle"]
    cycle = invoices[-1]
    assert cycle.status == "paid" and cycle.total == 1200
    assert renewed.latest_invoice == cycle.id
    assert (cycle.period_start, cycle.period_end) == (start, end)
    assert cycle.lines.data[0].period.start == end


def test_two_periods_at_once_make_two_renewals_in_order(
    fresh_client: stripe.StripeClient,
) -> None:
    # Two periods is as far as one advance may go (Stripe's bound on test clocks: two
    # intervals of the shortest subscription); weekly, so that both periods are equal.
    client = fresh_client
    customer = builders.customer(client, email="sub@example.com", payment_method="pm_card_visa")
    sub = builders.subscribe(
        client,
        customer.id,
        builders.price(client, 1000, interval="week").id,
        expand=["latest_invoice"],
    )
    start, end = builders.period(sub)
    builders.advance_to(client, end + (end - start))
    invoices = builders.invoices(client, customer.id)
    cycles = [i for i in invoices if i.billing_reason == "subscription_cycle"]
    assert len(cycles) == 2
    assert all(i.status == "paid" and i.total == 1000 for i in cycles)
    starts = [i.lines.data[0].period.start for i in cycles]
    assert starts == sorted(starts) and starts[0] == end
    fetched = client.v1.subscriptions.retrieve(sub.id)
    assert builders.period(fetched)[0] == starts[-1]
    assert fetched.latest_invoice == cycles[-1].id


def test_failed_renewal_makes_the_subscription_past_due(
    fresh_client: stripe.StripeClient,
) -> None:
    client = fresh_client
    customer = builders.customer(client, email="sub@example.com", payment_method="pm_card_visa")
    sub = builders.subscribe(
        client, customer.id, builders.price(client).id, expand=["latest_invoice"]
    )
    failing = client.v1.payment_methods.attach(
        "pm_card_chargeCustomerFail", params={"customer": customer.id}
    )
    client.v1.subscriptions.update(sub.id, params={"default_payment_method": failing.id})
    builders.advance_to(client, builders.period(sub)[1] + 60)
    overdue = client.v1.subscriptions.retrieve(sub.id)
    assert overdue.status == "past_due"
    latest = client.v1.invoices.retrieve(str(overdue.latest_invoice))
    assert latest.status == "open" and latest.billing_reason == "subscription_cycle"
    previous = builders.previous(client, "customer.subscription.updated", sub.id)
    assert previous["status"] == "active"


def test_trial_ends_on_the_clock(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = builders.customer(client, email="sub@example.com", payment_method="pm_card_visa")
    sub = builders.subscribe(
        client,
        customer.id,
        builders.price(client, 900).id,
        trial_period_days=7,
        expand=["latest_invoice"],
    )
    builders.advance_to(client, builders.present(sub.trial_end) - 3 * builders.DAY + 60)
    assert builders.events(client, "customer.subscription.trial_will_end", sub.id)
    assert client.v1.subscriptions.retrieve(sub.id).status == "trialing"
    builders.advance_to(client, builders.present(sub.trial_end) + 60)
    active = client.v1.subscriptions.retrieve(sub.id)
    assert active.status == "active"
    start, end = builders.period(active)
    assert start == sub.trial_end and 28 * builders.DAY <= end - start <= 31 * builders.DAY
    invoice = client.v1.invoices.retrieve(str(active.latest_invoice))
    assert invoice.total == 900 and invoice.status == "paid"
    assert len(builders.events(client, "customer.subscription.trial_will_end", sub.id)) == 1


def test_trial_end_without_a_payment_method_can_cancel(
    fresh_client: stripe.StripeClient,
) -> None:
    client = fresh_client
    customer = builders.customer(client, email="sub@example.com")
    sub = builders.subscribe(
        client,
        customer.id,
        builders.price(client).id,
        trial_period_days=3,
        trial_settings={"end_behavior": {"missing_payment_method": "cancel"}},
        expand=["latest_invoice"],
    )
    builders.advance_to(client, builders.present(sub.trial_end) + 60)
    ended = client.v1.subscriptions.retrieve(sub.id)
    assert ended.status == "canceled" and ended.ended_at == sub.trial_end


def test_incomplete_expires_after_23_hours(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = builders.customer(client, email="sub@example.com")
    sub = builders.subscribe(
        client, customer.id, builders.price(client).id, expand=["latest_invoice"]
    )
    builders.advance_to(client, sub.created + 23 * 3600 + 60)
    expired = client.v1.subscriptions.retrieve(sub.id)
    assert expired.status == "incomplete_expired"
    assert client.v1.invoices.retrieve(builders.latest_invoice(sub).id).status == "void"


def test_paying_the_open_first_invoice_activates(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = builders.customer(client, email="sub@example.com")
    sub = builders.subscribe(
        client, customer.id, builders.price(client).id, expand=["latest_invoice"]
    )
    pm = client.v1.payment_methods.attach("pm_card_visa", params={"customer": customer.id})
    client.v1.invoices.pay(builders.latest_invoice(sub).id, params={"payment_method": pm.id})
    assert client.v1.subscriptions.retrieve(sub.id).status == "active"
