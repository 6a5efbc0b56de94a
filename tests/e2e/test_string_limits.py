"""Strings past Stripe's caps are refused as Stripe refuses them, naming the parameter.

Each case sends one over-long value through the real stripe library; the answer must be an
``invalid_request_error`` (HTTP 400) naming the parameter with Stripe's wording, and nothing may
be created or changed. A value at the cap is accepted.
"""

from __future__ import annotations

from typing import Any

import pytest
import stripe

from tests import builders

# (operation, the parameter as Stripe names it, its cap, how to send a value of a given length)
CustomerCase = tuple[str, int, Any]
CUSTOMER_CASES: list[CustomerCase] = [
    ("name", 256, lambda text: {"name": text}),
    ("phone", 20, lambda text: {"phone": text}),
    ("email", 512, lambda text: {"email": "a" * (len(text) - 12) + "@example.com"}),
    ("description", 5000, lambda text: {"description": text}),
    ("address[line1]", 5000, lambda text: {"address": {"line1": text, "country": "GB"}}),
    (
        "invoice_settings[custom_fields][0][value]",
        140,
        lambda text: {"invoice_settings": {"custom_fields": [{"name": "PO", "value": text}]}},
    ),
]


def _refused(error: stripe.InvalidRequestError, param: str, cap: int) -> None:
    assert error.http_status == 400
    assert error.param == param
    assert error.error is not None and error.error.type == "invalid_request_error"
    assert error.user_message is None or isinstance(error.user_message, str)
    assert f"must be at most {cap} characters" in str(error.user_message or error)
    assert "Invalid string: " in str(error)


@pytest.mark.parametrize(
    ("param", "cap", "params"), CUSTOMER_CASES, ids=[c[0] for c in CUSTOMER_CASES]
)
def test_a_customer_field_past_its_cap_is_refused_and_nothing_is_made(
    fresh_client: stripe.StripeClient, param: str, cap: int, params: Any
) -> None:
    with pytest.raises(stripe.InvalidRequestError) as refused:
        fresh_client.v1.customers.create(params=params("x" * (cap + 1)))
    _refused(refused.value, param, cap)
    assert fresh_client.v1.customers.list().data == []

    at_cap = fresh_client.v1.customers.create(params=params("x" * cap))
    assert at_cap.id.startswith("cus_")


def test_updating_a_customer_name_past_256_changes_nothing(client: stripe.StripeClient) -> None:
    customer = builders.customer(client, name="Cap Test").id
    with pytest.raises(stripe.InvalidRequestError) as refused:
        client.v1.customers.update(customer, params={"name": "n" * 100_000})
    _refused(refused.value, "name", 256)
    assert client.v1.customers.retrieve(customer).name == "Cap Test"


def test_the_message_shows_the_ends_of_the_value_as_stripe_does(
    client: stripe.StripeClient,
) -> None:
    with pytest.raises(stripe.InvalidRequestError) as refused:
        client.v1.customers.create(params={"phone": "+44 20 7946 0000 ext. 12345"})
    assert refused.value.user_message == (
        "Invalid string: +44 20 794...ext. 12345; must be at most 20 characters"
    )


def test_an_invoice_description_past_1500_is_refused(client: stripe.StripeClient) -> None:
    customer = builders.customer(client, name="Cap Test").id
    with pytest.raises(stripe.InvalidRequestError) as refused:
        client.v1.invoices.create(params={"customer": customer, "description": "d" * 1501})
    _refused(refused.value, "description", 1500)
    assert client.v1.invoices.list(params={"customer": customer}).data == []

    invoice = client.v1.invoices.create(params={"customer": customer, "description": "d" * 1500})
    with pytest.raises(stripe.InvalidRequestError) as refused:
        client.v1.invoices.update(invoice.id, params={"footer": "f" * 5001})
    _refused(refused.value, "footer", 5000)
    assert client.v1.invoices.retrieve(invoice.id).footer is None


def test_a_subscription_description_past_500_is_refused(client: stripe.StripeClient) -> None:
    customer = builders.customer(client, name="Cap Test").id
    product = client.v1.products.create(params={"name": "Capped"})
    price = builders.price(client, 500, product=product.id, interval="month")
    with pytest.raises(stripe.InvalidRequestError) as refused:
        client.v1.subscriptions.create(
            params={
                "customer": customer,
                "items": [{"price": price.id}],
                "description": "s" * 501,
            }
        )
    _refused(refused.value, "description", 500)
    assert client.v1.subscriptions.list(params={"customer": customer}).data == []


def test_metadata_keeps_its_own_caps(client: stripe.StripeClient) -> None:
    # Metadata is a map, not a parameter with a schema length: Stripe's 500-character value
    # rule answers, not the string cap.
    with pytest.raises(stripe.InvalidRequestError) as refused:
        client.v1.customers.create(params={"metadata": {"note": "m" * 6000}})
    assert "500" in str(refused.value)
