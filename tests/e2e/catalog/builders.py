"""Builders and lookups the catalogue tests share, through the stripe library."""

from __future__ import annotations

from typing import Any

import pytest
import stripe


def events(client: stripe.StripeClient, event_type: str, object_id: str) -> list[stripe.Event]:
    listed = client.v1.events.list(params={"type": event_type, "limit": 100})
    return [e for e in listed.data if e.data.object["id"] == object_id]


def product(client: stripe.StripeClient, **params: Any) -> stripe.Product:
    body: Any = {"name": "Plan", **params}
    return client.v1.products.create(params=body)


def price(client: stripe.StripeClient, product: str, **params: Any) -> stripe.Price:
    body: Any = {"product": product, "currency": "usd", "unit_amount": 1000, **params}
    return client.v1.prices.create(params=body)


def refused(call: Any) -> stripe.InvalidRequestError:
    with pytest.raises(stripe.InvalidRequestError) as raised:
        call()
    return raised.value
