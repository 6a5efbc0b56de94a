"""The editor's catalogue through the real gateway: coupons and custom cancellation reasons
come with the prices, and the rules check a configuration's choices against them; the
retention coupon a configuration names is offered by the console's cancel links."""

from __future__ import annotations

import io

import httpx
import pytest
import stripe

from console.cli import quick_view as cli
from console.configurations.model import (
    CancellationReason,
    Features,
    PortalConfiguration,
    SubscriptionCancel,
)
from console.configurations.retention import (
    RETENTION_COUPON_KEY,
    coupon_label,
    with_retention_coupon,
)
from console.configurations.rules import validate
from console.configurations.transfer import load_catalogue
from console.gateway.catalogue import CouponId, FeedbackOptionId
from console.gateway.client import Gateway


@pytest.mark.asyncio
async def test_the_catalogue_has_the_accounts_coupons_and_reasons(
    gateway: Gateway, demo_client: stripe.StripeClient
) -> None:
    kept = demo_client.v1.billing.feedback_options.create({"description": "Moving abroad"})
    retired = demo_client.v1.billing.feedback_options.create({"description": "Too slow"})
    demo_client.v1.billing.feedback_options.deactivate(retired.id)

    catalogue = await load_catalogue(gateway)

    assert catalogue.coupons is not None and catalogue.feedback_options is not None
    retention = catalogue.coupons[CouponId("RETENTION25")]
    assert coupon_label(retention, "en_US") == "RETENTION25: 25% off for 3 months"
    options = catalogue.feedback_options
    mine = options[FeedbackOptionId(kept.id)]
    assert (mine.description, mine.active) == ("Moving abroad", True)
    assert options[FeedbackOptionId(retired.id)].active is False

    reason = CancellationReason(enabled=True, feedback_options=(kept.id, retired.id))
    config = with_retention_coupon(
        PortalConfiguration(
            features=Features(subscription_cancel=SubscriptionCancel(cancellation_reason=reason))
        ),
        CouponId("RETENTION25"),
    )
    assert [p.code for p in validate(config, catalogue)] == ["feedback_option_inactive"]


@pytest.mark.asyncio
async def test_the_command_lines_cancel_link_offers_the_configurations_retention_coupon(
    gateway: Gateway, demo_client: stripe.StripeClient
) -> None:
    default = next(
        c for c in demo_client.v1.billing_portal.configurations.list().data if c.is_default
    )
    demo_client.v1.billing_portal.configurations.update(
        default.id, {"metadata": {RETENTION_COUPON_KEY: "RETENTION25"}}
    )
    customer = next(
        c
        for c in demo_client.v1.customers.list({"limit": 100}).auto_paging_iter()
        if c.description == "Starter yearly"
    )
    subscription = demo_client.v1.subscriptions.list({"customer": customer.id}).data[0]
    out = io.StringIO()
    flow = f"subscription_cancel:{subscription.id}"
    assert await cli.quick_view(gateway, customer.id, locale="en", flow=flow, out=out) == 0
    async with httpx.AsyncClient(follow_redirects=True) as browser:
        page = await browser.get(out.getvalue().strip())
    assert page.status_code == 200
    assert "Accept offer" in page.text and "25%" in page.text
