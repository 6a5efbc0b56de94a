"""Builders and lookups the subscription tests share: prices, customers, subscriptions, the
sandbox clock, invoices and events, all through the stripe library."""

from __future__ import annotations

from typing import Any

import stripe

DAY = 86_400


def advance_to(client: stripe.StripeClient, moment: int) -> None:
    client.raw_request("post", "/v1/test_helpers/sandbox_clock/advance", frozen_time=moment)


def now(client: stripe.StripeClient) -> int:
    clock = client.raw_request("get", "/v1/test_helpers/sandbox_clock")
    return int(client.deserialize(clock, api_mode="V1")["now"])


def price(
    client: stripe.StripeClient,
    amount: int = 1000,
    *,
    interval: str = "month",
    currency: str = "usd",
    product: str | None = None,
    **extra: Any,
) -> stripe.Price:
    if product is None:
        product = client.v1.products.create(params={"name": f"Plan {amount}"}).id
    params: Any = {
        "product": product,
        "currency": currency,
        "unit_amount": amount,
        "recurring": {"interval": interval, **extra.pop("recurring", {})},
        **extra,
    }
    return client.v1.prices.create(params=params)


def customer(client: stripe.StripeClient, card: str | None = "pm_card_visa") -> stripe.Customer:
    customer = client.v1.customers.create(params={"email": "sub@example.com"})
    if card is not None:
        pm = client.v1.payment_methods.attach(card, params={"customer": customer.id})
        customer = client.v1.customers.update(
            customer.id, params={"invoice_settings": {"default_payment_method": pm.id}}
        )
    return customer


def subscribe(
    client: stripe.StripeClient, customer: str, *prices: str, **params: Any
) -> stripe.Subscription:
    body: Any = {
        "customer": customer,
        "items": [{"price": p} for p in prices],
        "expand": ["latest_invoice"],
        **params,
    }
    return client.v1.subscriptions.create(params=body)


def invoices(client: stripe.StripeClient, customer: str) -> list[stripe.Invoice]:
    """The customer's invoices, oldest first."""
    listed = client.v1.invoices.list(params={"customer": customer, "limit": 100})
    return list(reversed(listed.data))


def pending(client: stripe.StripeClient, customer: str) -> list[stripe.InvoiceItem]:
    listed = client.v1.invoice_items.list(
        params={"customer": customer, "pending": True, "limit": 100}
    )
    return list(listed.data)


def events(client: stripe.StripeClient, event_type: str, object_id: str) -> list[stripe.Event]:
    listed = client.v1.events.list(params={"type": event_type, "limit": 100})
    return [e for e in listed.data if e.data.object["id"] == object_id]


def latest_invoice(sub: stripe.Subscription) -> stripe.Invoice:
    invoice = sub.latest_invoice
    assert isinstance(invoice, stripe.Invoice), "expand latest_invoice"
    return invoice


def details(sub: stripe.Subscription) -> stripe.Subscription.CancellationDetails:
    details = sub.cancellation_details
    assert details is not None
    return details


def present(value: int | None) -> int:
    assert value is not None
    return value


def previous(client: stripe.StripeClient, event_type: str, object_id: str) -> dict[str, Any]:
    """previous_attributes of the newest event of this type about the object."""
    previous = events(client, event_type, object_id)[0].data.previous_attributes
    assert previous is not None
    return dict(previous.to_dict())


def period(sub: stripe.Subscription) -> tuple[int, int]:
    item = sub["items"].data[0]
    return item.current_period_start, item.current_period_end


def subscription_of(invoice: stripe.Invoice) -> str | None:
    parent = invoice.parent
    if parent is None or parent.subscription_details is None:
        return None
    return str(parent.subscription_details.subscription)


def halfway(client: stripe.StripeClient, sub: stripe.Subscription) -> float:
    """Move to the middle of the current period; returns the share of it left."""
    start, end = period(sub)
    middle = start + (end - start) // 2
    advance_to(client, middle)
    return (end - now(client)) / (end - start)
