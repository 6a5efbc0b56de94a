"""A missing object is a 404 when the URL names it and a 400 when a parameter does, as on
Stripe; both with code ``resource_missing`` and the parameter that named it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import stripe

from tests import builders

Send = Callable[[stripe.StripeClient], object]

NAMED_IN_A_PARAMETER: list[tuple[str, Send, str]] = [
    (
        "subscription for a missing customer",
        lambda c: builders.subscribe(c, "cus_missing", builders.price(c).id),
        "customer",
    ),
    (
        "subscription on a missing price",
        lambda c: builders.subscribe(
            c, builders.customer(c, email="billing@example.com").id, "price_missing"
        ),
        "items[0][price]",
    ),
    (
        "invoice for a missing customer",
        lambda c: c.v1.invoices.create(params={"customer": "cus_missing"}),
        "customer",
    ),
    (
        "payment intent with a missing payment method",
        lambda c: c.v1.payment_intents.create(
            params={"amount": 500, "currency": "usd", "payment_method": "pm_missing"}
        ),
        "payment_method",
    ),
    (
        "customer default payment method that does not exist",
        lambda c: c.v1.customers.update(
            builders.customer(c, email="billing@example.com").id,
            params={"invoice_settings": {"default_payment_method": "pm_missing"}},
        ),
        "invoice_settings[default_payment_method]",
    ),
]

NAMED_IN_THE_URL: list[tuple[str, Send]] = [
    ("customer", lambda c: c.v1.customers.retrieve("cus_missing")),
    ("subscription", lambda c: c.v1.subscriptions.retrieve("sub_missing")),
    ("invoice", lambda c: c.v1.invoices.retrieve("in_missing")),
    ("subscription update", lambda c: c.v1.subscriptions.update("sub_missing")),
]


def _refused(client: stripe.StripeClient, send: Send) -> stripe.InvalidRequestError:
    with pytest.raises(stripe.InvalidRequestError) as refused:
        send(client)
    assert refused.value.code == "resource_missing"
    assert "No such" in str(refused.value.user_message)
    return refused.value


@pytest.mark.parametrize(
    ("send", "param"),
    [case[1:] for case in NAMED_IN_A_PARAMETER],
    ids=[case[0] for case in NAMED_IN_A_PARAMETER],
)
def test_named_in_a_parameter_is_400(client: stripe.StripeClient, send: Send, param: str) -> None:
    error = _refused(client, send)
    assert (error.http_status, error.param) == (400, param)


@pytest.mark.parametrize(
    "send", [case[1] for case in NAMED_IN_THE_URL], ids=[case[0] for case in NAMED_IN_THE_URL]
)
def test_named_in_the_url_is_404(client: stripe.StripeClient, send: Send) -> None:
    assert _refused(client, send).http_status == 404


def test_an_idempotent_retry_replays_the_same_400(client: stripe.StripeClient) -> None:
    params: Any = {"customer": "cus_missing"}
    options: Any = {"idempotency_key": "missing-customer-invoice"}
    first = _refused(client, lambda c: c.v1.invoices.create(params=params, options=options))
    again = _refused(client, lambda c: c.v1.invoices.create(params=params, options=options))
    assert first.http_status == again.http_status == 400
