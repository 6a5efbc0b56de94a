"""Builders for billing tests through the stripe library: a price, a customer, a subscription,
events about an object, the sandbox clock."""

from __future__ import annotations

from typing import Any

import stripe


def price(client: stripe.StripeClient, amount: int = 1000, interval: str = "month") -> str:
    product = client.v1.products.create(params={"name": f"Plan {amount}"})
    params: Any = {
        "product": product.id,
        "currency": "usd",
        "unit_amount": amount,
        "recurring": {"interval": interval},
    }
    return client.v1.prices.create(params=params).id


def customer(client: stripe.StripeClient, card: str | None = None, **params: Any) -> str:
    """A customer; with ``card`` (a pm_card_… token) attached as its invoice default."""
    body: Any = {"email": "billing@example.com", **params}
    made = client.v1.customers.create(params=body)
    if card is not None:
        pm = client.v1.payment_methods.attach(card, params={"customer": made.id})
        client.v1.customers.update(
            made.id, params={"invoice_settings": {"default_payment_method": pm.id}}
        )
    return made.id


def subscribe(
    client: stripe.StripeClient, customer_id: str, price_id: str, **params: Any
) -> stripe.Subscription:
    body: Any = {"customer": customer_id, "items": [{"price": price_id}], **params}
    return client.v1.subscriptions.create(params=body)


def events(client: stripe.StripeClient, event_type: str, object_id: str) -> list[stripe.Event]:
    """Events of this type about the object, newest first."""
    listed = client.v1.events.list(params={"type": event_type, "limit": 100})
    return [e for e in listed.data if e.data.object["id"] == object_id]


def now(client: stripe.StripeClient) -> int:
    clock = client.raw_request("get", "/v1/test_helpers/sandbox_clock")
    return int(client.deserialize(clock, api_mode="V1")["now"])


def advance(client: stripe.StripeClient, seconds: int) -> None:
    client.raw_request("post", "/v1/test_helpers/sandbox_clock/advance", seconds=seconds)
