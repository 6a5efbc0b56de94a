"""A support agent's view of demo customers, and the cancellation report from real events."""

from __future__ import annotations

import time

import pytest
import stripe
from stripe.params import SubscriptionUpdateParamsCancellationDetails

from console.customers.support_view import load_customer_view
from console.errors import StripeApiError
from console.gateway.client import Gateway
from console.report import cancellations as cancellation_report
from tests import builders


async def _subscription_customers(
    gateway: Gateway, demo_client: stripe.StripeClient
) -> dict[str, str]:
    """customer id by a trait of their subscription: send_invoice, several products, plain."""
    found: dict[str, str] = {}
    for sub in demo_client.v1.subscriptions.list(params={"limit": 100}).auto_paging_iter():
        products = {item.price.product for item in sub["items"].data}
        if sub.collection_method == "send_invoice":
            found.setdefault("send_invoice", str(sub.customer))
        elif len(products) > 1:
            found.setdefault("several_products", str(sub.customer))
        elif sub.status == "active" and not sub.cancel_at_period_end and not sub.schedule:
            found.setdefault("plain", str(sub.customer))
    return found


@pytest.mark.asyncio
async def test_each_subscription_says_what_the_portal_allows_and_why_not(
    gateway: Gateway, demo_client: stripe.StripeClient
) -> None:
    customers = await _subscription_customers(gateway, demo_client)

    invoiced = await load_customer_view(gateway, customers["send_invoice"])
    assert invoiced.configuration is not None and invoiced.configuration.is_default
    (view,) = [
        v for v in invoiced.subscriptions if v.subscription.collection_method == "send_invoice"
    ]
    assert view.eligibility is not None
    assert not view.eligibility.can_update
    assert "send_invoice" in view.eligibility.reason_codes()
    assert all(reason.message for reason in view.eligibility.reasons)

    several = await load_customer_view(gateway, customers["several_products"])
    assert any(
        v.eligibility is not None and "several_products" in v.eligibility.reason_codes()
        for v in several.subscriptions
    )

    plain = await load_customer_view(gateway, customers["plain"])
    assert plain.detail.customer.id == customers["plain"]
    assert plain.detail.invoices and plain.detail.payment_methods
    assert any(v.eligibility is not None and v.eligibility.can_update for v in plain.subscriptions)


@pytest.mark.asyncio
async def test_unknown_customer_is_one_clear_error(gateway: Gateway) -> None:
    with pytest.raises(StripeApiError) as raised:
        await load_customer_view(gateway, "cus_nobody")
    assert raised.value.code == "resource_missing"


@pytest.mark.asyncio
async def test_report_counts_reasons_comments_and_exports_csv(
    gateway: Gateway, demo_client: stripe.StripeClient
) -> None:
    since = builders.now(demo_client) - 1
    price = demo_client.v1.prices.list(params={"limit": 1, "type": "recurring"}).data[0]
    cancelled: list[str] = []
    for feedback, comment in (("too_expensive", "Budget cut"), ("unused", None)):
        customer = demo_client.v1.customers.create(
            params={"name": f"Leaving {feedback}", "payment_method": "pm_card_visa",
                    "invoice_settings": {"default_payment_method": "pm_card_visa"}}
        )  # fmt: skip
        sub = demo_client.v1.subscriptions.create(
            params={"customer": customer.id, "items": [{"price": price.id}]}
        )
        details: SubscriptionUpdateParamsCancellationDetails = {"feedback": feedback}
        if comment:
            details["comment"] = comment
        demo_client.v1.subscriptions.update(
            sub.id, params={"cancel_at_period_end": True, "cancellation_details": details}
        )
        cancelled.append(sub.id)
    until = int(time.time()) + 10**6
    events = await cancellation_report.fetch_events(gateway, since, until)
    report = cancellation_report.build(events, since, until)
    mine = [c for c in report.cancellations if c.subscription_id in cancelled]
    assert {c.feedback for c in mine} == {"too_expensive", "unused"}
    assert "Budget cut" in report.comments
    assert report.by_feedback["too_expensive"] >= 1
    csv = cancellation_report.to_csv(report)
    assert csv.splitlines()[0].startswith(tuple("abcdefghijklmnopqrstuvwxyz"))
    assert "Budget cut" in csv and cancelled[0] in csv
