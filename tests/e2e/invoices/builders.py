"""Builders and lookups the invoice tests share: cards, customers with a default payment method,
drafts, events and the sandbox clock, all through the stripe library."""

from __future__ import annotations

from typing import Any

import stripe

DAY = 86400


def payment_method(client: stripe.StripeClient, number: str) -> stripe.PaymentMethod:
    return client.v1.payment_methods.create(
        params={
            "type": "card",
            "card": {"number": number, "exp_month": 12, "exp_year": 2040, "cvc": "123"},
        }
    )


def customer(
    client: stripe.StripeClient, card: str | None = "4242424242424242", **fields: Any
) -> stripe.Customer:
    params: Any = {"name": "Ada Lovelace", **fields}
    customer = client.v1.customers.create(params=params)
    if card is not None:
        pm = payment_method(client, card)
        client.v1.payment_methods.attach(pm.id, params={"customer": customer.id})
        customer = client.v1.customers.update(
            customer.id, params={"invoice_settings": {"default_payment_method": pm.id}}
        )
    return customer


def draft(
    client: stripe.StripeClient, customer: str, *amounts: int, **params: Any
) -> stripe.Invoice:
    for amount in amounts:
        client.v1.invoice_items.create(
            params={"customer": customer, "amount": amount, "currency": "usd"}
        )
    create: Any = {"customer": customer, "pending_invoice_items_behavior": "include", **params}
    return client.v1.invoices.create(params=create)


def events(client: stripe.StripeClient, object_id: str) -> list[str]:
    """Types of the events about ``object_id``, oldest first."""
    found = client.v1.events.list(params={"limit": 100})
    return [e.type for e in reversed(found.data) if e.data.object.to_dict().get("id") == object_id]


def advance(client: stripe.StripeClient, seconds: int) -> int:
    """Move the sandbox clock on (due work runs before it answers); returns the new now."""
    response = client.raw_request("post", "/v1/test_helpers/sandbox_clock/advance", seconds=seconds)
    return int(client.deserialize(response, api_mode="V1")["now"])


def open_invoice(
    client: stripe.StripeClient, amount: int, currency: str, **customer_fields: Any
) -> stripe.Invoice:
    """A finalized one-line invoice in ``currency`` for a new customer (no card on file)."""
    payer = customer(client, card=None, **customer_fields)
    client.v1.invoice_items.create(
        params={"customer": payer.id, "amount": amount, "currency": currency, "description": "Fee"}
    )
    created = client.v1.invoices.create(
        params={
            "customer": payer.id,
            "currency": currency,
            "pending_invoice_items_behavior": "include",
        }
    )
    return client.v1.invoices.finalize_invoice(created.id)
