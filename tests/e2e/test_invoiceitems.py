"""Invoice items through the stripe library: amounts, pending items, editing rules, events."""

from __future__ import annotations

from typing import Any

import pytest
import stripe

from tests import builders


def _item(client: stripe.StripeClient, customer: str, **params: Any) -> stripe.InvoiceItem:
    create: Any = {"customer": customer, **params}
    return client.v1.invoice_items.create(params=create)


def test_amount_item_is_pending_with_stripes_defaults(client: stripe.StripeClient) -> None:
    customer = builders.customer(client, name="Grace Hopper")
    item = _item(client, customer.id, amount=1999, currency="usd", description="Setup fee")
    assert item.id.startswith("ii_")
    assert item.invoice is None
    assert item.amount == 1999 and item.currency == "usd"
    assert item.quantity == 1 and str(item.quantity_decimal) == "1"
    assert item.discountable is True and item.proration is False
    assert item.period.start == item.period.end == item.date
    assert item.pricing is not None and str(item.pricing.unit_amount_decimal) == "1999"
    assert item.parent is None
    assert (
        builders.events(client, "invoiceitem.created", item.id)[0].data.object.to_dict()["amount"]
        == 1999
    )


def test_price_item_multiplies_unit_amount_by_quantity(client: stripe.StripeClient) -> None:
    customer = builders.customer(client, name="Grace Hopper")
    product = client.v1.products.create(params={"name": "Seat"})
    price = builders.price(client, 1250, product=product.id, currency="eur", interval=None)
    item = _item(client, customer.id, pricing={"price": price.id}, quantity=3)
    assert item.amount == 3750 and item.currency == "eur"
    assert item.pricing is not None and item.pricing.price_details is not None
    assert item.pricing.price_details.price == price.id
    assert item.pricing.price_details.product == product.id
    assert item.description == "Seat"  # named after the product when no description is given

    inline = _item(
        client,
        customer.id,
        price_data={"product": product.id, "currency": "eur", "unit_amount_decimal": "33.5"},
        quantity=3,
    )
    assert inline.amount == 101  # 100.5 rounds half up
    decimal = _item(client, customer.id, unit_amount_decimal="0.4", currency="usd", quantity=5)
    assert decimal.amount == 2


def test_negative_item_is_a_credit_and_not_discountable(client: stripe.StripeClient) -> None:
    customer = builders.customer(client, name="Grace Hopper")
    credit = _item(client, customer.id, amount=-500, currency="usd")
    assert credit.amount == -500 and credit.discountable is False


def test_bad_requests_name_the_parameter(client: stripe.StripeClient) -> None:
    customer = builders.customer(client, name="Grace Hopper")
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.invoice_items.create(params={"amount": 100, "currency": "usd"})
    assert raised.value.code == "parameter_missing" and raised.value.param == "customer"
    with pytest.raises(stripe.InvalidRequestError) as raised:
        _item(client, customer.id, currency="usd")
    assert raised.value.code == "parameter_missing" and raised.value.param == "amount"
    with pytest.raises(stripe.InvalidRequestError) as raised:
        _item(client, customer.id, amount=100)
    assert raised.value.code == "parameter_missing" and raised.value.param == "currency"
    with pytest.raises(stripe.InvalidRequestError) as raised:
        _item(client, customer.id, amount=100, currency="usd", unit_amount_decimal="1")
    assert raised.value.code == "parameters_exclusive"
    with pytest.raises(stripe.InvalidRequestError) as raised:
        _item(client, customer.id, pricing={"price": "price_missing"})
    assert raised.value.code == "resource_missing" and raised.value.param == "pricing[price]"
    with pytest.raises(stripe.InvalidRequestError) as raised:
        _item(client, "cus_missing", amount=100, currency="usd")
    assert raised.value.code == "resource_missing" and raised.value.param == "customer"
    listed = client.v1.invoice_items.list(params={"customer": customer.id})
    assert listed.data == []


def test_pending_items_wait_unless_the_invoice_includes_them(
    client: stripe.StripeClient,
) -> None:
    customer = builders.customer(client, name="Grace Hopper")
    item = _item(client, customer.id, amount=800, currency="usd")
    excluded = client.v1.invoices.create(params={"customer": customer.id})
    assert excluded.lines.data == [] and excluded.total == 0
    assert client.v1.invoice_items.retrieve(item.id).invoice is None

    included = client.v1.invoices.create(
        params={"customer": customer.id, "pending_invoice_items_behavior": "include"}
    )
    assert included.total == 800
    line = included.lines.data[0]
    assert line.parent is not None and line.parent.invoice_item_details is not None
    assert line.parent.invoice_item_details.invoice_item == item.id
    assert client.v1.invoice_items.retrieve(item.id).invoice == included.id

    pending = client.v1.invoice_items.list(params={"customer": customer.id, "pending": True})
    assert pending.data == []
    on_invoice = client.v1.invoice_items.list(params={"invoice": included.id})
    assert [i.id for i in on_invoice.data] == [item.id]


def test_item_added_to_a_draft_changes_its_total(client: stripe.StripeClient) -> None:
    customer = builders.customer(client, name="Grace Hopper")
    draft = client.v1.invoices.create(params={"customer": customer.id})
    item = _item(client, customer.id, amount=1200, currency="usd", invoice=draft.id)
    assert item.invoice == draft.id
    assert client.v1.invoices.retrieve(draft.id).total == 1200

    updated = client.v1.invoice_items.update(item.id, params={"amount": 1500})
    assert updated.amount == 1500
    assert client.v1.invoices.retrieve(draft.id).total == 1500
    event = builders.events(client, "invoiceitem.updated", item.id)[0]
    assert event.data.previous_attributes is not None
    assert event.data.previous_attributes.to_dict()["amount"] == 1200

    deleted = client.v1.invoice_items.delete(item.id)
    assert deleted.deleted is True
    after = client.v1.invoices.retrieve(draft.id)
    assert after.total == 0 and after.lines.data == []
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.invoice_items.retrieve(item.id)
    assert raised.value.http_status == 404
    builders.events(client, "invoiceitem.deleted", item.id)[0]


def test_items_of_finalized_invoices_are_frozen(client: stripe.StripeClient) -> None:
    customer = builders.customer(client, name="Grace Hopper")
    draft = client.v1.invoices.create(params={"customer": customer.id})
    item = _item(client, customer.id, amount=600, currency="usd", invoice=draft.id)
    client.v1.invoices.finalize_invoice(draft.id)
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.invoice_items.update(item.id, params={"amount": 1})
    assert raised.value.code == "invoice_not_editable" and raised.value.param == "amount"
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.invoice_items.delete(item.id)
    assert raised.value.code == "invoice_not_editable"
    with pytest.raises(stripe.InvalidRequestError) as raised:
        _item(client, customer.id, amount=5, currency="usd", invoice=draft.id)
    assert raised.value.code == "invoice_not_editable" and raised.value.param == "invoice"
    assert client.v1.invoice_items.retrieve(item.id).amount == 600
    assert client.v1.invoices.retrieve(draft.id).total == 600


def test_item_discount_applies_to_its_line_only(client: stripe.StripeClient) -> None:
    customer = builders.customer(client, name="Grace Hopper")
    half = client.v1.coupons.create(params={"percent_off": 50, "duration": "once"})
    discounted = _item(
        client, customer.id, amount=1000, currency="usd", discounts=[{"coupon": half.id}]
    )
    assert discounted.discounts is not None and len(discounted.discounts) == 1
    _item(client, customer.id, amount=400, currency="usd")
    invoice = client.v1.invoices.create(
        params={"customer": customer.id, "pending_invoice_items_behavior": "include"}
    )
    assert invoice.subtotal == 1400
    assert invoice.total == 900
    amounts = {
        line.amount: [a.amount for a in line.discount_amounts or []] for line in invoice.lines.data
    }
    assert amounts == {1000: [500], 400: []}


def test_metadata_and_period_are_kept(client: stripe.StripeClient) -> None:
    customer = builders.customer(client, name="Grace Hopper")
    item = _item(
        client,
        customer.id,
        amount=100,
        currency="usd",
        metadata={"order": "A-1", "note": "x"},
        period={"start": 1_700_000_000, "end": 1_700_086_400},
    )
    assert item.period.start == 1_700_000_000 and item.period.end == 1_700_086_400
    updated = client.v1.invoice_items.update(item.id, params={"metadata": {"note": ""}})
    assert updated.metadata is not None and updated.metadata.to_dict() == {"order": "A-1"}
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.invoice_items.update(
            item.id, params={"period": {"start": 1_700_086_400, "end": 1_700_000_000}}
        )
    assert raised.value.param == "period[end]"


def test_list_pages_newest_first(fresh_client: stripe.StripeClient) -> None:
    customer = builders.customer(fresh_client, name="Grace Hopper")
    made = [_item(fresh_client, customer.id, amount=100 + i, currency="usd").id for i in range(12)]
    first = fresh_client.v1.invoice_items.list(params={"limit": 5})
    assert [i.id for i in first.data] == made[::-1][:5] and first.has_more is True
    assert [i.id for i in first.auto_paging_iter()] == made[::-1]
