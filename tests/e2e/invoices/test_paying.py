"""Paying invoices through the stripe library: default payment method, declines, out of band."""

from __future__ import annotations

import pytest
import stripe

from tests import builders

# -- paying ---------------------------------------------------------------------------------------


def test_pay_with_the_customers_default_payment_method(client: stripe.StripeClient) -> None:
    customer = builders.customer(client, name="Ada Lovelace", card_number="4242424242424242")
    final = client.v1.invoices.finalize_invoice(builders.draft(client, customer.id, 4200).id)
    paid = client.v1.invoices.pay(final.id)
    assert paid.status == "paid"
    assert paid.amount_paid == 4200 and paid.amount_remaining == 0
    assert paid.attempted is True and paid.attempt_count == 1
    assert paid.status_transitions.paid_at is not None
    with_payments = client.v1.invoices.retrieve(final.id, params={"expand": ["payments"]})
    assert with_payments.payments is not None
    payment = with_payments.payments.data[0]
    assert payment.status == "paid" and payment.amount_paid == 4200
    intent = client.v1.payment_intents.retrieve(str(payment.payment.payment_intent))
    assert intent.status == "succeeded" and intent.amount == 4200
    events = builders.event_types(client, final.id)
    assert "invoice.paid" in events and "invoice.payment_succeeded" in events
    recent = client.v1.events.list(params={"type": "invoice_payment.paid", "limit": 5})
    assert payment.id in [e.data.object.to_dict().get("id") for e in recent.data]

    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.invoices.pay(final.id)
    assert raised.value.code == "invoice_not_editable"
    assert "already paid" in str(raised.value.user_message)


def test_decline_is_a_card_error_and_the_attempt_is_kept(client: stripe.StripeClient) -> None:
    customer = builders.customer(client, name="Ada Lovelace", card_number="4242424242424242")
    final = client.v1.invoices.finalize_invoice(builders.draft(client, customer.id, 900).id)
    poor = builders.card(client, "4000000000009995")
    with pytest.raises(stripe.CardError) as raised:
        client.v1.invoices.pay(final.id, params={"payment_method": poor.id})
    assert raised.value.code == "card_declined"
    assert raised.value.error is not None
    assert raised.value.error.decline_code == "insufficient_funds"
    assert "insufficient funds" in str(raised.value.user_message)
    after = client.v1.invoices.retrieve(final.id)
    assert after.status == "open"
    assert after.attempt_count == 1 and after.attempted is True
    assert after.amount_paid == 0 and after.amount_remaining == 900
    assert "invoice.payment_failed" in builders.event_types(client, final.id)

    paid = client.v1.invoices.pay(final.id)
    assert paid.status == "paid" and paid.attempt_count == 2


def test_pay_without_any_payment_method_is_refused(client: stripe.StripeClient) -> None:
    customer = builders.customer(client, name="Ada Lovelace")
    final = client.v1.invoices.finalize_invoice(builders.draft(client, customer.id, 900).id)
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.invoices.pay(final.id)
    assert raised.value.param == "payment_method"
    assert "no attached payment source or default payment method" in str(raised.value.user_message)
    after = client.v1.invoices.retrieve(final.id)
    assert after.status == "open" and after.attempt_count == 0


def test_paid_out_of_band_marks_paid_without_charging(client: stripe.StripeClient) -> None:
    customer = builders.customer(client, name="Ada Lovelace")
    final = client.v1.invoices.finalize_invoice(builders.draft(client, customer.id, 1500).id)
    paid = client.v1.invoices.pay(final.id, params={"paid_out_of_band": True})
    assert paid.status == "paid"
    assert paid.amount_paid == 1500 and paid.amount_paid_off_stripe == 1500
    assert paid.attempt_count == 0
    events = builders.event_types(client, final.id)
    assert "invoice.paid" in events and "invoice.payment_succeeded" not in events
    expanded = client.v1.invoices.retrieve(final.id, params={"expand": ["payments"]})
    assert expanded.payments is not None and expanded.payments.data == []
