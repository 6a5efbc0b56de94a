"""``POST /v1/customers`` with ``source=tok_visa`` keeps the card, as Stripe does: it becomes
the customer's default source, and subscriptions charge it instead of ending incomplete."""

from __future__ import annotations

import pytest
import stripe

from tests import builders


def test_a_source_token_becomes_the_default_source(client: stripe.StripeClient) -> None:
    customer = client.v1.customers.create(params={"source": "tok_visa", "expand": ["sources"]})
    assert customer.default_source is not None
    card_id = str(customer.default_source)
    assert card_id.startswith("card_")
    card = client.v1.payment_methods.retrieve(card_id)
    assert card.customer == customer.id
    assert card.card is not None and card.card.last4 == "4242"
    assert customer.sources is not None
    assert [source.id for source in customer.sources.data] == [card_id]


def test_a_subscription_charges_the_source(client: stripe.StripeClient) -> None:
    customer = client.v1.customers.create(params={"source": "tok_visa"})
    sub = builders.subscribe(
        client, customer.id, builders.price(client, 2000).id, expand=["latest_invoice"]
    )
    assert sub.status == "active"
    invoice = sub.latest_invoice
    assert isinstance(invoice, stripe.Invoice)
    assert invoice.status == "paid" and invoice.amount_paid == 2000


def test_a_source_added_by_update_is_charged_too(client: stripe.StripeClient) -> None:
    customer = client.v1.customers.create(params={"email": "later@example.com"})
    updated = client.v1.customers.update(customer.id, params={"source": "tok_mastercard"})
    assert str(updated.default_source).startswith("card_")
    sub = builders.subscribe(client, customer.id, builders.price(client, 700).id)
    assert sub.status == "active"


def test_an_unknown_token_is_refused_and_nothing_is_made(
    fresh_client: stripe.StripeClient,
) -> None:
    with pytest.raises(stripe.InvalidRequestError) as refused:
        fresh_client.v1.customers.create(params={"source": "tok_nonesuch"})
    assert refused.value.http_status == 400
    assert refused.value.code == "resource_missing"
    assert refused.value.param == "source"
    assert fresh_client.v1.customers.list().data == []


def test_a_declining_card_token_is_refused_as_stripe_refuses_it(
    fresh_client: stripe.StripeClient,
) -> None:
    with pytest.raises(stripe.CardError) as refused:
        fresh_client.v1.customers.create(params={"source": "tok_chargeDeclined"})
    assert refused.value.code == "card_declined"
    assert fresh_client.v1.customers.list().data == []


def test_detaching_the_card_clears_the_default_source(client: stripe.StripeClient) -> None:
    customer = client.v1.customers.create(params={"source": "tok_visa"})
    card = str(customer.default_source)
    client.v1.payment_methods.detach(card)
    assert client.v1.customers.retrieve(customer.id).default_source is None
    sub = builders.subscribe(client, customer.id, builders.price(client, 700).id)
    assert sub.status == "incomplete"
