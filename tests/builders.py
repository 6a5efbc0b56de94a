"""Builders and lookups the tests share, all through the real ``stripe`` library against the
sandbox: catalogue, customers and cards, subscriptions and invoices, events, the sandbox clock.

Each builder sends exactly what its caller asks for: what a test's objects are made with (a
customer's email, a price's interval, an expanded field) is written at the call site as a
keyword option, so a builder's defaults are only the values every caller shares.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from typing import Any

import pytest
import stripe

DAY = 86_400
JSON = dict[str, Any]


# -- catalogue ----------------------------------------------------------------------------------


def product(client: stripe.StripeClient, name: str = "Plan", **params: Any) -> stripe.Product:
    body: Any = {"name": name, **params}
    return client.v1.products.create(params=body)


def price(
    client: stripe.StripeClient,
    amount: int = 1000,
    *,
    product: str | None = None,
    product_name: str = "Plan",
    currency: str = "usd",
    interval: str | None = "month",
    **params: Any,
) -> stripe.Price:
    """A price of ``amount`` for ``product`` (or for a new product "``product_name`` amount").

    Recurring every ``interval`` (a ``recurring`` dict in ``params`` adds to it or overrides it);
    with ``interval=None`` only a ``recurring`` in ``params`` makes it recurring.
    """
    if product is None:
        product = client.v1.products.create(params={"name": f"{product_name} {amount}"}).id
    recurring: JSON = dict(params.pop("recurring", {}))
    if interval is not None:
        recurring = {"interval": interval, **recurring}
    body: Any = {"product": product, "currency": currency, "unit_amount": amount}
    if recurring:
        body["recurring"] = recurring
    body.update(params)
    return client.v1.prices.create(params=body)


def product_with_prices(client: stripe.StripeClient, name: str = "Pro") -> tuple[str, str, str]:
    """A product with a monthly (1000) and a yearly (10000) USD price: their three ids."""
    made = client.v1.products.create(params={"name": name})
    monthly = price(client, 1000, product=made.id, interval="month")
    yearly = price(client, 10000, product=made.id, interval="year")
    return made.id, monthly.id, yearly.id


def configurations(client: stripe.StripeClient, **filters: Any) -> list[str]:
    """Ids of the portal configurations the list answers with these filters, newest first."""
    params: Any = {"limit": 100, **filters}
    listed = client.v1.billing_portal.configurations.list(params=params)
    return [c.id for c in listed.data]


# -- customers and cards ------------------------------------------------------------------------


def card(
    client: stripe.StripeClient,
    number: str,
    *,
    exp_month: int = 12,
    exp_year: int = 2040,
    cvc: str = "123",
) -> stripe.PaymentMethod:
    """A card payment method from a card number (one of Stripe's test numbers)."""
    details: Any = {"number": number, "exp_month": exp_month, "exp_year": exp_year, "cvc": cvc}
    return client.v1.payment_methods.create(params={"type": "card", "card": details})


def unique_email(name: str = "ada") -> str:
    """An address no other test uses: ``name-<8 hex digits>@example.com``."""
    return f"{name}-{secrets.token_hex(4)}@example.com"


def customer(
    client: stripe.StripeClient,
    *,
    payment_method: str | None = None,
    card_number: str | None = None,
    **params: Any,
) -> stripe.Customer:
    """A customer made with ``params``; as it is after a payment method is attached and made its
    invoice default when one is given: ``payment_method`` (an id or a test token such as
    ``pm_card_visa``) or ``card_number`` (a card made from it after the customer)."""
    body: Any = params
    made = client.v1.customers.create(params=body)
    if card_number is not None:
        payment_method = card(client, card_number).id
    if payment_method is not None:
        attached = client.v1.payment_methods.attach(payment_method, params={"customer": made.id})
        made = client.v1.customers.update(
            made.id, params={"invoice_settings": {"default_payment_method": attached.id}}
        )
    return made


# -- subscriptions and invoices -----------------------------------------------------------------


def subscribe(
    client: stripe.StripeClient, customer: str, *prices: str, **params: Any
) -> stripe.Subscription:
    """A subscription to one item per price (``items`` in ``params`` replaces them)."""
    body: Any = {"customer": customer, "items": [{"price": p} for p in prices], **params}
    return client.v1.subscriptions.create(params=body)


def draft(
    client: stripe.StripeClient, customer: str, *amounts: int, **params: Any
) -> stripe.Invoice:
    """A draft invoice holding one pending USD invoice item per amount."""
    for amount in amounts:
        client.v1.invoice_items.create(
            params={"customer": customer, "amount": amount, "currency": "usd"}
        )
    create: Any = {"customer": customer, "pending_invoice_items_behavior": "include", **params}
    return client.v1.invoices.create(params=create)


def open_invoice(
    client: stripe.StripeClient, amount: int, currency: str, **customer_params: Any
) -> stripe.Invoice:
    """A finalized one-line invoice in ``currency`` for a new customer with no card on file."""
    payer = customer(client, name="Ada Lovelace", **customer_params)
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


def invoices(client: stripe.StripeClient, customer: str) -> list[stripe.Invoice]:
    """The customer's invoices, oldest first."""
    listed = client.v1.invoices.list(params={"customer": customer, "limit": 100})
    return list(reversed(listed.data))


def pending(client: stripe.StripeClient, customer: str) -> list[stripe.InvoiceItem]:
    """The customer's pending invoice items."""
    listed = client.v1.invoice_items.list(
        params={"customer": customer, "pending": True, "limit": 100}
    )
    return list(listed.data)


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


def period(sub: stripe.Subscription) -> tuple[int, int]:
    """The current period of the subscription's first item."""
    item = sub["items"].data[0]
    return item.current_period_start, item.current_period_end


def subscription_of(invoice: stripe.Invoice) -> str | None:
    parent = invoice.parent
    if parent is None or parent.subscription_details is None:
        return None
    return str(parent.subscription_details.subscription)


# -- events -------------------------------------------------------------------------------------


def events(client: stripe.StripeClient, event_type: str, object_id: str) -> list[stripe.Event]:
    """Events of this type (Stripe's ``*`` patterns allowed) about the object, newest first,
    among the 100 newest of that type."""
    listed = client.v1.events.list(params={"type": event_type, "limit": 100})
    return [e for e in listed.data if e.data.object["id"] == object_id]


def event_types(
    client: stripe.StripeClient, object_id: str, event_type: str | None = None
) -> list[str]:
    """Types of the events about the object among the 100 newest (of ``event_type`` when given,
    ``*`` patterns allowed), oldest first."""
    params: Any = {"limit": 100} if event_type is None else {"type": event_type, "limit": 100}
    found = client.v1.events.list(params=params)
    return [e.type for e in reversed(found.data) if e.data.object.to_dict().get("id") == object_id]


def previous(client: stripe.StripeClient, event_type: str, object_id: str) -> dict[str, Any]:
    """previous_attributes of the newest event of this type about the object."""
    previous = events(client, event_type, object_id)[0].data.previous_attributes
    assert previous is not None
    return dict(previous.to_dict())


# -- the sandbox clock --------------------------------------------------------------------------


def clock(client: stripe.StripeClient) -> stripe.StripeObject:
    """The sandbox clock as it answers: ``now`` and its ``offset`` from real time."""
    answer = client.raw_request("get", "/v1/test_helpers/sandbox_clock")
    return client.deserialize(answer, api_mode="V1")


def now(client: stripe.StripeClient) -> int:
    return int(clock(client)["now"])


def advance(client: stripe.StripeClient, seconds: int) -> int:
    """Move the sandbox clock on (due work runs before it answers); returns the new now."""
    response = client.raw_request("post", "/v1/test_helpers/sandbox_clock/advance", seconds=seconds)
    return int(client.deserialize(response, api_mode="V1")["now"])


def advance_to(client: stripe.StripeClient, moment: int) -> int:
    """Move the sandbox clock to ``moment`` (due work runs before it answers); returns it."""
    response = client.raw_request(
        "post", "/v1/test_helpers/sandbox_clock/advance", frozen_time=moment
    )
    return int(client.deserialize(response, api_mode="V1")["now"])


def halfway(client: stripe.StripeClient, sub: stripe.Subscription) -> float:
    """Move to the middle of the current period; returns the share of it left."""
    start, end = period(sub)
    middle = start + (end - start) // 2
    advance_to(client, middle)
    return (end - now(client)) / (end - start)


# -- Stripe's test clocks -----------------------------------------------------------------------


def test_clock(
    client: stripe.StripeClient, frozen_time: int, **params: Any
) -> stripe.test_helpers.TestClock:
    """A test clock standing at ``frozen_time``."""
    body: Any = {"frozen_time": frozen_time, **params}
    return client.v1.test_helpers.test_clocks.create(params=body)


def advance_test_clock(
    client: stripe.StripeClient, clock_id: str, frozen_time: int
) -> stripe.test_helpers.TestClock:
    """Advance the clock to ``frozen_time`` and wait until it is ready again (at most 20 s,
    polling as Stripe's docs advise); returns the clock as it then is."""
    client.v1.test_helpers.test_clocks.advance(clock_id, params={"frozen_time": frozen_time})
    return ready(client, clock_id)


def ready(client: stripe.StripeClient, clock_id: str) -> stripe.test_helpers.TestClock:
    """The clock once its status is no longer ``advancing`` (the test fails after 20 s)."""
    deadline = time.monotonic() + 20
    while True:
        found = client.v1.test_helpers.test_clocks.retrieve(clock_id)
        if found.status != "advancing":
            return found
        assert time.monotonic() < deadline, f"test clock {clock_id} still advancing after 20 s"
        time.sleep(0.05)


# -- errors -------------------------------------------------------------------------------------


def refused(call: Callable[[], object]) -> stripe.InvalidRequestError:
    """The InvalidRequestError the call raises (the test fails if it raises none)."""
    with pytest.raises(stripe.InvalidRequestError) as raised:
        call()
    return raised.value
