"""Invoice previews through the stripe library, and line parameter errors."""

from __future__ import annotations

from typing import Any

import pytest
import stripe

from tests import builders

# -- previews -------------------------------------------------------------------------------------


def _subscribed(client: stripe.StripeClient) -> tuple[stripe.Subscription, dict[str, str]]:
    customer = builders.customer(client, name="Ada Lovelace", card_number="4242424242424242")
    product = builders.product(client, name="Pro")
    prices = {
        name: builders.price(client, amount, product=product.id, interval=interval).id
        for name, amount, interval in (
            ("basic", 1000, "month"),
            ("plus", 3000, "month"),
            ("yearly", 10000, "year"),
        )
    }
    sub = builders.subscribe(client, customer.id, prices["basic"])
    return sub, prices


def _counts(client: stripe.StripeClient, customer: str) -> tuple[int, int, int]:
    return (
        len(client.v1.invoices.list(params={"customer": customer, "limit": 100}).data),
        len(client.v1.invoice_items.list(params={"customer": customer, "limit": 100}).data),
        len(client.v1.events.list(params={"limit": 100}).data),
    )


def test_preview_of_the_next_renewal(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    sub, _prices = _subscribed(client)
    item = sub["items"].data[0]
    customer = str(sub.customer)
    before = _counts(client, customer)
    preview = client.v1.invoices.create_preview(params={"subscription": sub.id})
    assert preview.id.startswith("upcoming_in_")
    assert preview.status == "draft" and preview.number is None
    assert preview.total == 1000 and preview.amount_due == 1000
    assert preview.parent is not None and preview.parent.subscription_details is not None
    assert preview.parent.subscription_details.subscription == sub.id
    line = preview.lines.data[0]
    assert line.period.start == item.current_period_end
    assert line.description == "1 × Pro (at $10.00 / month)"  # noqa: RUF001 (Stripe's text)
    assert _counts(client, customer) == before


def test_the_renewal_preview_is_the_invoice_the_renewal_then_makes(
    fresh_client: stripe.StripeClient,
) -> None:
    """Stripe's upcoming invoice is the next renewal as it will be: same lines, same total.

    A one-month repeating coupon runs out at the renewal, so the renewal is charged in full;
    the preview must say so too, and carry the pending item the renewal will take."""
    client = fresh_client
    customer = builders.customer(client, name="Ada Lovelace", card_number="4242424242424242")
    product = builders.product(client, name="Team")
    price = builders.price(client, 1500, product=product.id)
    coupon = client.v1.coupons.create(
        params={"percent_off": 20, "duration": "repeating", "duration_in_months": 1}
    )
    sub = builders.subscribe(
        client,
        customer.id,
        items=[{"price": price, "quantity": 3}],
        discounts=[{"coupon": coupon.id}],
    )
    client.v1.invoice_items.create(
        params={"customer": customer.id, "amount": 250, "currency": "usd", "description": "Setup"}
    )

    preview = client.v1.invoices.create_preview(params={"subscription": sub.id})
    builders.advance_to(client, sub["items"].data[0].current_period_end)
    renewal = client.v1.invoices.list(params={"subscription": sub.id, "limit": 1}).data[0]

    assert renewal.billing_reason == "subscription_cycle"
    assert (preview.subtotal, preview.total) == (renewal.subtotal, renewal.total) == (4750, 4750)

    def lines(invoice: stripe.Invoice) -> list[tuple[str | None, int, int, int]]:
        return sorted(
            (line.description, line.amount, line.period.start, line.period.end)
            for line in invoice.lines.data
        )

    assert lines(preview) == lines(renewal)


def test_preview_of_a_mid_period_upgrade_prorates(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    sub, prices = _subscribed(client)
    item = sub["items"].data[0]
    start, end = item.current_period_start, item.current_period_end
    moment = start + 10 * builders.DAY
    builders.advance(client, 10 * builders.DAY)
    before = _counts(client, str(sub.customer))
    details: Any = {"items": [{"id": item.id, "price": prices["plus"]}], "proration_date": moment}
    preview = client.v1.invoices.create_preview(
        params={"subscription": sub.id, "subscription_details": details}
    )
    share = (end - moment) / (end - start)
    credit, charge = -round(1000 * share), round(3000 * share)
    amounts = [line.amount for line in preview.lines.data]
    assert amounts == [credit, charge, 3000]
    assert preview.total == credit + charge + 3000
    assert preview.parent is not None and preview.parent.subscription_details is not None
    assert preview.parent.subscription_details.subscription_proration_date == moment
    flags = [
        line.parent.subscription_item_details.proration
        for line in preview.lines.data
        if line.parent and line.parent.subscription_item_details
    ]
    assert flags == [True, True, False]

    immediate: Any = {
        "subscription": sub.id,
        "subscription_details": {**details, "proration_behavior": "always_invoice"},
    }
    now = client.v1.invoices.create_preview(params=immediate)
    assert [line.amount for line in now.lines.data] == [credit, charge]
    assert _counts(client, str(sub.customer)) == before
    kept = client.v1.subscriptions.retrieve(sub.id)
    assert kept["items"].data[0].price.id == prices["basic"]


def test_preview_of_cancel_now_credits_unused_time(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    sub, _prices = _subscribed(client)
    builders.advance(client, 15 * builders.DAY)
    preview = client.v1.invoices.create_preview(
        params={"subscription": sub.id, "subscription_details": {"cancel_now": True}}
    )
    assert preview.total < 0
    assert preview.amount_due == 0
    assert preview.ending_balance == preview.total
    assert client.v1.subscriptions.retrieve(sub.id).status == "active"


def test_preview_of_a_new_subscription(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    sub, prices = _subscribed(client)
    before = _counts(client, str(sub.customer))
    preview = client.v1.invoices.create_preview(
        params={
            "customer": str(sub.customer),
            "subscription_details": {"items": [{"price": prices["plus"], "quantity": 2}]},
        }
    )
    assert preview.total == 6000
    assert preview.lines.data[0].quantity == 2
    assert _counts(client, str(sub.customer)) == before
    assert len(client.v1.subscriptions.list(params={"customer": str(sub.customer)}).data) == 1


def test_preview_errors_name_the_preview_parameter(client: stripe.StripeClient) -> None:
    sub, _prices = _subscribed(client)
    item = sub["items"].data[0]
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.invoices.create_preview(
            params={
                "subscription": sub.id,
                "subscription_details": {"items": [{"id": item.id, "price": "price_missing"}]},
            }
        )
    assert raised.value.param == "subscription_details[items][0][price]"
    lonely = builders.customer(client, name="Ada Lovelace")
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.invoices.create_preview(params={"customer": lonely.id})
    assert raised.value.code == "invoice_upcoming_none"


def test_preview_of_pending_items_and_extra_items(client: stripe.StripeClient) -> None:
    customer = builders.customer(client, name="Ada Lovelace", balance=-200)
    client.v1.invoice_items.create(
        params={"customer": customer.id, "amount": 700, "currency": "usd"}
    )
    preview = client.v1.invoices.create_preview(
        params={
            "customer": customer.id,
            "invoice_items": [{"amount": 300, "currency": "usd", "description": "Extra"}],
        }
    )
    assert [line.amount for line in preview.lines.data] == [700, 300]
    assert preview.total == 1000 and preview.amount_due == 800
    assert preview.starting_balance == -200
    pending = client.v1.invoice_items.list(params={"customer": customer.id})
    assert [item.amount for item in pending.data] == [700]
    assert pending.data[0].invoice is None

    changed = client.v1.invoices.create_preview(
        params={
            "customer": customer.id,
            "invoice_items": [{"invoiceitem": pending.data[0].id, "amount": 900}],
        }
    )
    assert [line.amount for line in changed.lines.data] == [900]
    assert client.v1.invoice_items.retrieve(pending.data[0].id).amount == 700


def test_line_errors_name_the_line_parameter(client: stripe.StripeClient) -> None:
    customer = builders.customer(client, name="Ada Lovelace")
    draft = builders.draft(client, customer.id, 500)
    line = draft.lines.data[0]
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.invoices.update_lines(
            draft.id, params={"lines": [{"id": line.id, "pricing": {"price": "price_gone"}}]}
        )
    assert raised.value.param == "lines[0][pricing][price]"
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.invoices.line_items.update(
            draft.id, line.id, params={"pricing": {"price": "price_gone"}}
        )
    assert raised.value.param == "pricing[price]"
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.invoices.update_lines(draft.id, params={"lines": [{"id": "il_unknown"}]})
    assert raised.value.param == "lines[0][id]"
    assert client.v1.invoices.retrieve(draft.id).total == 500
