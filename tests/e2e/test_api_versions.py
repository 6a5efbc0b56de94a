"""Stripe-Version: the versions the sandbox speaks are answered in their shape, others refused.

The legacy version's differences are checked against what Stripe's changelog says moved in
2025-03-31.basil (current_period_* to subscription items; invoice.subscription to
parent.subscription_details, invoice.paid removed), not against the sandbox's own table.
"""

from __future__ import annotations

import httpx
import pytest
import stripe

from console.sandbox import Sandbox
from tests import builders
from tests.conftest import make_client

PINNED = "2026-10-28.endive"  # the stripe library 16.1 pins it too
LEGACY = "2020-08-27"


def _get(sandbox: Sandbox, path: str, version: str | None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {sandbox.api_key}"}
    if version is not None:
        headers["Stripe-Version"] = version
    return httpx.get(f"{sandbox.url}{path}", headers=headers)


@pytest.fixture(scope="module")
def paid_subscription(sandbox: Sandbox) -> stripe.Subscription:
    client = make_client(sandbox)
    _, monthly, _ = builders.product_with_prices(client, "Versioned")
    who = builders.customer(client, payment_method="pm_card_visa")
    return builders.subscribe(client, who.id, monthly)


def test_no_version_and_the_pinned_version_answer_alike(
    sandbox: Sandbox, paid_subscription: stripe.Subscription
) -> None:
    path = f"/v1/subscriptions/{paid_subscription.id}"
    plain = _get(sandbox, path, None)
    pinned = _get(sandbox, path, PINNED)
    assert plain.status_code == pinned.status_code == 200
    assert plain.headers["Stripe-Version"] == pinned.headers["Stripe-Version"] == PINNED
    assert "current_period_end" not in plain.json()
    assert plain.json() == pinned.json()


def test_the_legacy_version_gets_the_pre_basil_shapes(
    sandbox: Sandbox, paid_subscription: stripe.Subscription
) -> None:
    sub = _get(sandbox, f"/v1/subscriptions/{paid_subscription.id}", LEGACY)
    assert sub.status_code == 200
    assert sub.headers["Stripe-Version"] == LEGACY
    body = sub.json()
    item = body["items"]["data"][0]
    assert body["current_period_start"] == item["current_period_start"]
    assert body["current_period_end"] == item["current_period_end"] > body["current_period_start"]

    invoice_id = body["latest_invoice"]
    invoice = _get(sandbox, f"/v1/invoices/{invoice_id}", LEGACY).json()
    assert invoice["subscription"] == paid_subscription.id
    assert invoice["paid"] is True
    # The same invoice in the pinned version has neither.
    pinned = _get(sandbox, f"/v1/invoices/{invoice_id}", None).json()
    assert "subscription" not in pinned
    assert "paid" not in pinned


def test_the_legacy_shape_reaches_lists_and_expansions(
    sandbox: Sandbox, paid_subscription: stripe.Subscription
) -> None:
    customer = str(paid_subscription.customer)
    listed = _get(sandbox, f"/v1/subscriptions?customer={customer}", LEGACY).json()
    assert all("current_period_end" in sub for sub in listed["data"])
    expanded = _get(
        sandbox,
        f"/v1/subscriptions/{paid_subscription.id}?expand[]=latest_invoice",
        LEGACY,
    ).json()
    assert expanded["latest_invoice"]["subscription"] == paid_subscription.id


def test_the_official_library_pinned_to_the_legacy_version_is_answered(
    sandbox: Sandbox, paid_subscription: stripe.Subscription
) -> None:
    client = make_client(sandbox, stripe_version=LEGACY)
    sub = client.v1.subscriptions.retrieve(paid_subscription.id)
    assert sub["current_period_end"] > 0


@pytest.mark.parametrize("value", ["2020-13-45", "yesterday", "2026-10-28.endive, 2020-08-27"])
def test_a_value_that_is_no_version_is_refused_as_stripe_refuses_it(
    sandbox: Sandbox, value: str
) -> None:
    client = make_client(sandbox, stripe_version=value)
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.customers.list()
    assert raised.value.http_status == 400
    assert str(raised.value.user_message) == f"Invalid Stripe API version: {value}"


def test_a_version_the_sandbox_does_not_speak_is_refused_naming_those_it_does(
    sandbox: Sandbox,
) -> None:
    client = make_client(sandbox, stripe_version="2024-06-20")
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.customers.list()
    message = str(raised.value.user_message)
    assert "does not speak Stripe API version 2024-06-20" in message
    assert PINNED in message
    assert LEGACY in message


def test_the_versions_spoken_are_listed_with_their_differences(sandbox: Sandbox) -> None:
    listed = _get(sandbox, "/v1/test_helpers/sandbox_api_versions", None).json()
    by_id = {version["id"]: version for version in listed["data"]}
    assert set(by_id) == {PINNED, LEGACY}
    assert by_id[PINNED]["default"] is True
    assert by_id[PINNED]["differences"] == []
    assert any("current_period_end" in line for line in by_id[LEGACY]["differences"])
