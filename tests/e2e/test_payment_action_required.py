"""A subscription payment that needs 3-D Secure tells the merchant with
``invoice.payment_action_required``, as Stripe does, besides ``invoice.payment_failed``."""

from __future__ import annotations

import stripe

from tests.e2e import billing

DAY = 86_400


def test_first_invoice_needing_authentication_asks_for_action(
    fresh_client: stripe.StripeClient,
) -> None:
    client = fresh_client
    customer = billing.customer(client, card="pm_card_authenticationRequired")
    sub = billing.subscribe(client, customer, billing.price(client, 1200))

    assert sub.status == "incomplete"
    invoice = str(sub.latest_invoice)
    asked = billing.events(client, "invoice.payment_action_required", invoice)
    assert len(asked) == 1
    assert asked[0].data.object["status"] == "open"
    assert billing.events(client, "invoice.payment_failed", invoice)


def test_renewal_needing_authentication_asks_for_action(
    fresh_client: stripe.StripeClient,
) -> None:
    client = fresh_client
    customer = billing.customer(client, card="pm_card_visa")
    sub = billing.subscribe(client, customer, billing.price(client, 1200))
    assert sub.status == "active"
    strict = client.v1.payment_methods.attach(
        "pm_card_authenticationRequired", params={"customer": customer}
    )
    client.v1.customers.update(
        customer, params={"invoice_settings": {"default_payment_method": strict.id}}
    )

    billing.advance(client, 32 * DAY)

    renewed = client.v1.subscriptions.retrieve(sub.id)
    assert renewed.status == "past_due"
    invoice = str(renewed.latest_invoice)
    assert invoice != sub.latest_invoice
    assert len(billing.events(client, "invoice.payment_action_required", invoice)) == 1


def test_a_plain_decline_asks_for_no_action(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = billing.customer(client, card="pm_card_chargeCustomerFail")
    sub = billing.subscribe(client, customer, billing.price(client, 1200))
    invoice = str(sub.latest_invoice)
    assert billing.events(client, "invoice.payment_failed", invoice)
    assert not billing.events(client, "invoice.payment_action_required", invoice)
