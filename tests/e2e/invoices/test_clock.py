"""Invoices and the sandbox clock: auto-advance and payment retries."""

from __future__ import annotations

import stripe

from tests import builders

# -- the clock: auto-advance and retries ----------------------------------------------------------


def test_auto_advance_finalizes_after_an_hour_and_collects(
    fresh_client: stripe.StripeClient,
) -> None:
    client = fresh_client
    customer = builders.customer(client, name="Ada Lovelace", card_number="4242424242424242")
    draft = builders.draft(client, customer.id, 2500, auto_advance=True)
    assert draft.automatically_finalizes_at == draft.created + 3600
    builders.advance(client, 1800)
    assert client.v1.invoices.retrieve(draft.id).status == "draft"
    builders.advance(client, 1801)
    after = client.v1.invoices.retrieve(draft.id)
    assert after.status == "paid"
    assert after.number is not None
    assert after.amount_paid == 2500
    events = builders.event_types(client, draft.id)
    assert events.index("invoice.finalized") < events.index("invoice.paid")


def test_failed_automatic_payments_retry_on_schedule_then_stay_open(
    fresh_client: stripe.StripeClient,
) -> None:
    client = fresh_client
    customer = builders.customer(client, name="Ada Lovelace", card_number="4000000000000341")
    draft = builders.draft(client, customer.id, 1000, auto_advance=True)
    now = builders.advance(client, 3601)
    invoice = client.v1.invoices.retrieve(draft.id)
    assert invoice.status == "open" and invoice.attempt_count == 1
    assert invoice.next_payment_attempt is not None
    assert now <= invoice.next_payment_attempt <= now + 3 * builders.DAY + 5
    for attempts, days in ((2, 3), (3, 5), (4, 7)):
        now = builders.advance(client, days * builders.DAY + 1)
        invoice = client.v1.invoices.retrieve(draft.id)
        assert invoice.attempt_count == attempts
    assert invoice.status == "open"
    assert invoice.next_payment_attempt is None
    assert builders.event_types(client, draft.id).count("invoice.payment_failed") == 4
    builders.advance(client, 30 * builders.DAY)
    assert client.v1.invoices.retrieve(draft.id).attempt_count == 4


def test_a_retry_succeeds_once_the_card_is_replaced(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    customer = builders.customer(client, name="Ada Lovelace", card_number="4000000000000341")
    draft = builders.draft(client, customer.id, 1000, auto_advance=True)
    builders.advance(client, 3601)
    good = builders.card(client, "4242424242424242")
    client.v1.payment_methods.attach(good.id, params={"customer": customer.id})
    client.v1.customers.update(
        customer.id, params={"invoice_settings": {"default_payment_method": good.id}}
    )
    builders.advance(client, 3 * builders.DAY + 1)
    invoice = client.v1.invoices.retrieve(draft.id)
    assert invoice.status == "paid" and invoice.attempt_count == 2
