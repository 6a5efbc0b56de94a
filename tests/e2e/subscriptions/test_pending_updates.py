"""Pending updates and late payments: pending_if_incomplete, their expiry, paying a past
due invoice, a deleted customer, once coupons, add_invoice_items, an overdue sent invoice."""

from __future__ import annotations

import pytest
import stripe

from tests import builders


def _failing_default(client: stripe.StripeClient, sub: stripe.Subscription, customer: str) -> None:
    failing = client.v1.payment_methods.attach(
        "pm_card_chargeCustomerFail", params={"customer": customer}
    )
    client.v1.subscriptions.update(sub.id, params={"default_payment_method": failing.id})


def test_pending_if_incomplete_keeps_items_until_paid(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = builders.customer(client, email="sub@example.com", payment_method="pm_card_visa")
    cheap, dear = builders.price(client, 1000), builders.price(client, 2000)
    sub = builders.subscribe(client, customer.id, cheap.id, expand=["latest_invoice"])
    _failing_default(client, sub, customer.id)
    item = sub["items"].data[0]
    pending = client.v1.subscriptions.update(
        sub.id,
        params={
            "items": [{"id": item.id, "price": dear.id}],
            "payment_behavior": "pending_if_incomplete",
            "proration_behavior": "always_invoice",
        },
    )
    assert pending.status == "active"
    assert pending["items"].data[0].price.id == cheap.id
    assert pending.pending_update is not None
    proposed = pending.pending_update.subscription_items
    assert proposed is not None and proposed[0].price.id == dear.id
    invoice = client.v1.invoices.retrieve(str(pending.latest_invoice))
    assert invoice.status == "open"
    good = client.v1.payment_methods.attach("pm_card_visa", params={"customer": customer.id})
    client.v1.invoices.pay(invoice.id, params={"payment_method": good.id})
    applied = client.v1.subscriptions.retrieve(sub.id)
    assert applied.pending_update is None
    assert applied["items"].data[0].price.id == dear.id
    assert builders.events(client, "customer.subscription.pending_update_applied", sub.id)
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.subscriptions.update(
            sub.id, params={"payment_behavior": "pending_if_incomplete", "description": "x"}
        )
    assert raised.value.param == "description"


def test_pending_update_expires_after_23_hours(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = builders.customer(client, email="sub@example.com", payment_method="pm_card_visa")
    sub = builders.subscribe(
        client, customer.id, builders.price(client, 1000).id, expand=["latest_invoice"]
    )
    _failing_default(client, sub, customer.id)
    pending = client.v1.subscriptions.update(
        sub.id,
        params={
            "items": [{"id": sub["items"].data[0].id, "quantity": 4}],
            "payment_behavior": "pending_if_incomplete",
            "proration_behavior": "always_invoice",
        },
    )
    assert pending.pending_update is not None
    builders.advance_to(client, pending.pending_update.expires_at + 1)
    expired = client.v1.subscriptions.retrieve(sub.id)
    assert expired.pending_update is None
    assert expired["items"].data[0].quantity == 1
    assert client.v1.invoices.retrieve(str(pending.latest_invoice)).status == "void"
    assert builders.events(client, "customer.subscription.pending_update_expired", sub.id)


def test_paying_a_past_due_invoice_makes_it_active_again(
    fresh_client: stripe.StripeClient,
) -> None:
    client = fresh_client
    customer = builders.customer(client, email="sub@example.com", payment_method="pm_card_visa")
    sub = builders.subscribe(
        client, customer.id, builders.price(client).id, expand=["latest_invoice"]
    )
    _failing_default(client, sub, customer.id)
    builders.advance_to(client, builders.period(sub)[1] + 60)
    overdue = client.v1.subscriptions.retrieve(sub.id)
    assert overdue.status == "past_due"
    good = client.v1.payment_methods.attach("pm_card_visa", params={"customer": customer.id})
    client.v1.invoices.pay(str(overdue.latest_invoice), params={"payment_method": good.id})
    assert client.v1.subscriptions.retrieve(sub.id).status == "active"


def test_deleting_the_customer_cancels_its_subscriptions(
    fresh_client: stripe.StripeClient,
) -> None:
    client = fresh_client
    customer = builders.customer(client, email="sub@example.com", payment_method="pm_card_visa")
    sub = builders.subscribe(
        client, customer.id, builders.price(client).id, expand=["latest_invoice"]
    )
    client.v1.customers.delete(customer.id)
    assert client.v1.subscriptions.retrieve(sub.id).status == "canceled"
    assert builders.events(client, "customer.subscription.deleted", sub.id)


def test_a_once_coupon_covers_only_the_first_invoice(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = builders.customer(client, email="sub@example.com", payment_method="pm_card_visa")
    once = client.v1.coupons.create(
        params={"amount_off": 400, "currency": "usd", "duration": "once"}
    )
    sub = builders.subscribe(
        client,
        customer.id,
        builders.price(client, 1000).id,
        discounts=[{"coupon": once.id}],
        expand=["latest_invoice"],
    )
    assert builders.latest_invoice(sub).total == 600
    assert len(sub.discounts) == 1  # shown until the next invoice leaves it out
    builders.advance_to(client, builders.period(sub)[1] + 60)
    renewal = builders.invoices(client, customer.id)[-1]
    assert renewal.billing_reason == "subscription_cycle" and renewal.total == 1000
    assert client.v1.subscriptions.retrieve(sub.id).discounts == []


def test_add_invoice_items_join_the_first_invoice(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = builders.customer(client, email="sub@example.com", payment_method="pm_card_visa")
    product = client.v1.products.create(params={"name": "Setup fee"})
    fee = builders.price(client, 2500, product=product.id, interval=None)
    sub = builders.subscribe(
        client,
        customer.id,
        builders.price(client, 1000).id,
        add_invoice_items=[{"price": fee.id, "quantity": 2}],
        expand=["latest_invoice"],
    )
    assert builders.latest_invoice(sub).total == 1000 + 2 * 2500
    with pytest.raises(stripe.InvalidRequestError) as raised:
        builders.subscribe(
            client,
            customer.id,
            builders.price(client, 1000).id,
            add_invoice_items=[{"price": builders.price(client, 5).id}],
            expand=["latest_invoice"],
        )
    assert raised.value.param == "add_invoice_items[0][price]"


def test_an_overdue_sent_invoice_makes_the_subscription_past_due(
    fresh_client: stripe.StripeClient,
) -> None:
    client = fresh_client
    customer = builders.customer(client, email="sub@example.com")
    sub = builders.subscribe(
        client,
        customer.id,
        builders.price(client).id,
        collection_method="send_invoice",
        days_until_due=7,
        expand=["latest_invoice"],
    )
    due = builders.present(builders.latest_invoice(sub).due_date)
    builders.advance_to(client, due - 60)
    assert client.v1.subscriptions.retrieve(sub.id).status == "active"
    builders.advance_to(client, due + 60)
    assert client.v1.subscriptions.retrieve(sub.id).status == "past_due"
    client.v1.invoices.pay(builders.latest_invoice(sub).id, params={"paid_out_of_band": True})
    assert client.v1.subscriptions.retrieve(sub.id).status == "active"
