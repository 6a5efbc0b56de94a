"""After the last retry of a renewal fails, the subscription and its invoice end as the
account's "manage failed payments" setting says (cancel, mark unpaid or leave past due;
uncollectible or left open), as on Stripe. Stripe keeps that setting in its Dashboard only,
so the sandbox serves it as its own test helper, /v1/test_helpers/billing_settings."""

from __future__ import annotations

from typing import Any

import pytest
import stripe

from tests import builders


def _settings(client: stripe.StripeClient, **chosen: str) -> dict[str, Any]:
    if chosen:
        answer = client.raw_request("post", "/v1/test_helpers/billing_settings", **chosen)
    else:
        answer = client.raw_request("get", "/v1/test_helpers/billing_settings")
    settings: dict[str, Any] = client.deserialize(answer, api_mode="V1").to_dict()
    return settings


def _renewal_that_keeps_failing(client: stripe.StripeClient) -> tuple[str, str]:
    """A subscription whose renewal was refused and every retry with it; (sub, invoice)."""
    customer = builders.customer(
        client, email="billing@example.com", payment_method="pm_card_visa"
    ).id
    sub = builders.subscribe(client, customer, builders.price(client, 1500).id)
    failing = client.v1.payment_methods.attach(
        "pm_card_chargeCustomerFail", params={"customer": customer}
    )
    client.v1.customers.update(
        customer, params={"invoice_settings": {"default_payment_method": failing.id}}
    )
    builders.advance(client, 31 * builders.DAY + 60)  # the renewal fails
    renewal = str(client.v1.subscriptions.retrieve(sub.id).latest_invoice)
    assert client.v1.subscriptions.retrieve(sub.id).status == "past_due"
    for days in (3, 5, 7):  # Stripe's retry schedule here: 3, 5, then 7 days apart
        builders.advance(client, days * builders.DAY + 60)
    assert client.v1.invoices.retrieve(renewal).attempt_count == 4
    return sub.id, renewal


def test_by_default_the_subscription_stays_past_due(fresh_client: stripe.StripeClient) -> None:
    settings = _settings(fresh_client)
    assert settings["subscription_after_final_failure"] == "leave_past_due"
    assert settings["invoice_after_final_failure"] == "leave_past_due"
    sub, invoice = _renewal_that_keeps_failing(fresh_client)
    assert fresh_client.v1.subscriptions.retrieve(sub).status == "past_due"
    assert fresh_client.v1.invoices.retrieve(invoice).status == "open"


def test_cancel_after_the_last_retry(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    _settings(client, subscription_after_final_failure="cancel")
    sub_id, _invoice = _renewal_that_keeps_failing(client)
    sub = client.v1.subscriptions.retrieve(sub_id)
    assert sub.status == "canceled"
    assert sub.cancellation_details is not None
    assert sub.cancellation_details.reason == "payment_failed"
    assert builders.events(client, "customer.subscription.deleted", sub_id)


def test_mark_unpaid_and_the_invoice_uncollectible(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    _settings(
        client,
        subscription_after_final_failure="mark_unpaid",
        invoice_after_final_failure="mark_uncollectible",
    )
    sub, invoice = _renewal_that_keeps_failing(client)
    assert client.v1.subscriptions.retrieve(sub).status == "unpaid"
    assert client.v1.invoices.retrieve(invoice).status == "uncollectible"


def test_an_unknown_choice_is_refused(client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.InvalidRequestError) as refused:
        _settings(client, subscription_after_final_failure="forgive")
    assert refused.value.param == "subscription_after_final_failure"
    assert _settings(client)["subscription_after_final_failure"] == "leave_past_due"
