"""A subscription payment that needs 3-D Secure tells the merchant with
``invoice.payment_action_required``, as Stripe does, besides ``invoice.payment_failed``."""

from __future__ import annotations

import stripe

from tests import builders


def test_first_invoice_needing_authentication_asks_for_action(
    fresh_client: stripe.StripeClient,
) -> None:
    client = fresh_client
    customer = builders.customer(
        client, email="billing@example.com", payment_method="pm_card_authenticationRequired"
    ).id
    sub = builders.subscribe(client, customer, builders.price(client, 1200).id)

    assert sub.status == "incomplete"
    invoice = str(sub.latest_invoice)
    asked = builders.events(client, "invoice.payment_action_required", invoice)
    assert len(asked) == 1
    assert asked[0].data.object["status"] == "open"
    assert builders.events(client, "invoice.payment_failed", invoice)


def test_renewal_needing_authentication_asks_for_action(
    fresh_client: stripe.StripeClient,
) -> None:
    client = fresh_client
    customer = builders.customer(
        client, email="billing@example.com", payment_method="pm_card_visa"
    ).id
    sub = builders.subscribe(client, customer, builders.price(client, 1200).id)
    assert sub.status == "active"
    strict = client.v1.payment_methods.attach(
        "pm_card_authenticationRequired", params={"customer": customer}
    )
    client.v1.customers.update(
        customer, params={"invoice_settings": {"default_payment_method": strict.id}}
    )

    builders.advance(client, 32 * builders.DAY)

    renewed = client.v1.subscriptions.retrieve(sub.id)
    assert renewed.status == "past_due"
    invoice = str(renewed.latest_invoice)
    assert invoice != sub.latest_invoice
    assert len(builders.events(client, "invoice.payment_action_required", invoice)) == 1


def test_a_plain_decline_asks_for_no_action(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = builders.customer(
        client, email="billing@example.com", payment_method="pm_card_chargeCustomerFail"
    ).id
    sub = builders.subscribe(client, customer, builders.price(client, 1200).id)
    invoice = str(sub.latest_invoice)
    assert builders.events(client, "invoice.payment_failed", invoice)
    assert not builders.events(client, "invoice.payment_action_required", invoice)
