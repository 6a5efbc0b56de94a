"""Builders and lookups the portal configuration tests share, through the stripe library."""

from __future__ import annotations

from typing import Any

import stripe

JSON = dict[str, Any]


def product_with_prices(client: stripe.StripeClient, name: str = "Pro") -> tuple[str, str, str]:
    product = client.v1.products.create(params={"name": name})
    monthly = client.v1.prices.create(
        params={
            "product": product.id,
            "currency": "usd",
            "unit_amount": 1000,
            "recurring": {"interval": "month"},
        }
    )
    yearly = client.v1.prices.create(
        params={
            "product": product.id,
            "currency": "usd",
            "unit_amount": 10000,
            "recurring": {"interval": "year"},
        }
    )
    return product.id, monthly.id, yearly.id


def configurations(client: stripe.StripeClient, **filters: Any) -> list[str]:
    params: Any = {"limit": 100, **filters}
    listed = client.v1.billing_portal.configurations.list(params=params)
    return [c.id for c in listed.data]
