"""Invoice items: one-off charges (or credits) that wait for a customer's next invoice.

An item is *pending* while ``invoice`` is null; the next invoice that takes
pending items (a subscription's renewal, or a manual invoice created with
``pending_invoice_items_behavior=include``) pulls it in as a line. Items on a
draft invoice may still change; once the invoice is finalized they are frozen.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from console.sandbox.billing.invoice_math import decimal_text, pricing, round_amount
from console.sandbox.facts.errors import StripeError, invalid, missing_param
from console.sandbox.facts.fields import metadata
from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context, changed, snapshot
from console.sandbox.state.listing import list_objects
from console.sandbox.state.registry import operation


def new_item(
    ctx: Context,
    customer: str,
    *,
    amount: int,
    currency: str,
    quantity: int,
    period_start: int,
    period_end: int,
    price: JSON | None = None,
    unit_amount_decimal: str | None = None,
    description: str | None = None,
    proration: bool = False,
    subscription: str | None = None,
    subscription_item: str | None = None,
) -> JSON:
    parent = None
    if subscription:
        parent = {
            "type": "subscription_details",
            "subscription_details": {
                "subscription": subscription,
                "subscription_item": subscription_item,
            },
        }
    return {
        "id": ctx.new_id("ii", 24),
        "object": "invoiceitem",
        "amount": amount,
        "currency": currency,
        "customer": customer,
        "customer_account": None,
        "date": ctx.now(),
        "description": description,
        # Stripe's default: prorations and credits are not discounted again.
        "discountable": not proration and amount >= 0,
        "discounts": [],
        "invoice": None,
        "livemode": False,
        "metadata": {},
        "net_amount": amount,
        "parent": parent,
        "period": {"end": period_end, "start": period_start},
        "pricing": pricing(price, unit_amount_decimal),
        "proration": proration,
        "proration_details": {"credited_items": None, "discount_amounts": []},
        "quantity": quantity,
        "quantity_decimal": str(quantity),
        "tax_rates": [],
        "test_clock": None,
    }


def create_pending(
    ctx: Context,
    customer: str,
    *,
    amount: int,
    currency: str,
    description: str,
    price: JSON | None,
    quantity: int,
    period_start: int,
    period_end: int,
    proration: bool,
    subscription: str | None,
    subscription_item: str | None,
) -> JSON:
    """A pending item that the subscription's next invoice picks up (prorations, one-offs)."""
    unit = None
    if price is not None:
        unit = price.get("unit_amount_decimal")
    elif quantity:
        unit = decimal_text(Decimal(amount) / quantity)
    item = new_item(
        ctx,
        customer,
        amount=amount,
        currency=currency,
        quantity=quantity,
        period_start=period_start,
        period_end=period_end,
        price=price,
        unit_amount_decimal=unit,
        description=description,
        proration=proration,
        subscription=subscription,
        subscription_item=subscription_item,
    )
    ctx.insert(item, parent=customer)
    ctx.emit("invoiceitem.created", item)
    return item


def pending_for(ctx: Context, customer: str, *, subscription: str | None) -> list[JSON]:
    """The customer's pending items, oldest first; for a subscription, its own and untied ones."""
    found: list[JSON] = []
    for item in ctx.store.scan(account=ctx.account, type_="invoiceitem", parent=customer):
        if item.get("invoice") is not None:
            continue
        tied = ((item.get("parent") or {}).get("subscription_details") or {}).get("subscription")
        if subscription is not None and tied not in (None, subscription):
            continue
        found.append(item)
    found.reverse()
    return found


# -- amounts from parameters ------------------------------------------------------------------


def _decimal(value: Any, param: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise invalid(f"Invalid decimal: {value}", param=param) from None
    if not number.is_finite():
        raise invalid(f"Invalid decimal: {value}", param=param)
    return number


def _inline_price(ctx: Context, data: JSON, param: str) -> JSON:
    from console.sandbox.resources import prices

    fields: JSON = {
        key: data[key]
        for key in ("currency", "product", "tax_behavior", "unit_amount", "unit_amount_decimal")
        if key in data
    }
    if "unit_amount" not in fields and "unit_amount_decimal" not in fields:
        raise missing_param(f"{param}[unit_amount]")
    price: JSON = prices.create_price(ctx, {**fields, "active": False}, prefix=param)
    return price


def _price_amount(price: JSON, quantity: int, param: str) -> int:
    if price.get("billing_scheme") == "tiered":
        from console.sandbox.resources import subscription_items

        return int(subscription_items.amount_for(price, quantity))
    if price.get("unit_amount_decimal") in (None, "") and price.get("unit_amount") is None:
        raise invalid(
            f"The price {price['id']} has no unit amount and cannot be invoiced.", param=param
        )
    unit = _decimal(price.get("unit_amount_decimal") or price.get("unit_amount"), param)
    return round_amount(unit * quantity)


def item_for_line(
    ctx: Context, customer: str, charge: JSON, entry: JSON, *, description: str | None
) -> JSON:
    """An invoice item (not stored) for a line given on an invoice: ``charge`` is what
    ``charge_from_params`` made of it, ``entry`` the line's own parameters (its period)."""
    period = entry.get("period") or {"start": ctx.now(), "end": ctx.now()}
    return new_item(
        ctx,
        customer,
        amount=charge["amount"],
        currency=charge["currency"],
        quantity=charge["quantity"],
        period_start=period["start"],
        period_end=period["end"],
        price=charge["price"],
        unit_amount_decimal=charge["unit_amount_decimal"],
        description=description,
    )


def charge_from_params(ctx: Context, params: JSON, *, prefix: str = "") -> JSON:
    """Amount, currency, quantity and price from ``pricing``/``price_data``/``amount``/decimal."""

    def name(key: str, *deeper: str) -> str:
        head = f"{prefix}[{key}]" if prefix else key
        return head + "".join(f"[{d}]" for d in deeper)

    quantity = params.get("quantity", 1)
    if "quantity_decimal" in params:
        qd = _decimal(params["quantity_decimal"], name("quantity_decimal"))
        if qd != qd.to_integral_value():
            raise invalid(
                "The sandbox supports whole quantities only.", param=name("quantity_decimal")
            )
        quantity = int(qd)
    if not isinstance(quantity, int) or quantity < 0:
        raise invalid("Quantity must be a non-negative integer.", param=name("quantity"))
    given = [
        key
        for key in ("pricing", "price_data", "amount", "unit_amount_decimal")
        if params.get(key) not in (None, "")
    ]
    if "pricing" in given and not (params["pricing"] or {}).get("price"):
        given.remove("pricing")
    if len(given) > 1:
        raise StripeError(
            f"You may only specify one of these parameters: {', '.join(given)}.",
            param=name(given[1]),
            code="parameters_exclusive",
        )
    if not given:
        raise invalid(
            "You must specify either `amount`, `pricing[price]`, `price_data` or "
            "`unit_amount_decimal`.",
            param=name("amount"),
            code="parameter_missing",
        )
    source = given[0]
    price: JSON | None = None
    unit: str | None
    if source == "pricing":
        from console.sandbox.resources import prices

        price = prices.fetch_price(ctx, params["pricing"]["price"], param=name("pricing", "price"))
        amount = _price_amount(price, quantity, name("pricing", "price"))
        currency = price["currency"]
        unit = price.get("unit_amount_decimal")
    elif source == "price_data":
        price = _inline_price(ctx, params["price_data"], name("price_data"))
        amount = _price_amount(price, quantity, name("price_data"))
        currency = price["currency"]
        unit = price.get("unit_amount_decimal")
    else:
        currency = str(params.get("currency") or "").lower()
        if not currency:
            raise missing_param(name("currency"))
        if source == "amount":
            amount = int(params["amount"])
            unit = decimal_text(Decimal(amount) / quantity) if quantity else str(amount)
        else:
            decimal = _decimal(params["unit_amount_decimal"], name("unit_amount_decimal"))
            amount = round_amount(decimal * quantity)
            unit = decimal_text(decimal)
    if params.get("currency") and str(params["currency"]).lower() != currency:
        raise invalid(
            f"The currency {params['currency']} does not match the price's currency {currency}.",
            param=name("currency"),
        )
    return {"amount": amount, "currency": currency, "quantity": quantity, "price": price,
            "unit_amount_decimal": unit}  # fmt: skip


def default_description(ctx: Context, price: JSON | None) -> str | None:
    """Stripe names a price-based item after its product when no description is given."""
    if price is None:
        return None
    product = ctx.find(str(price.get("product") or "")) or {}
    name = product.get("name")
    return str(name) if name else None


def _apply_charge(item: JSON, charge: JSON) -> None:
    item["amount"] = charge["amount"]
    item["currency"] = charge["currency"]
    item["quantity"] = charge["quantity"]
    item["quantity_decimal"] = str(charge["quantity"])
    item["pricing"] = pricing(charge["price"], charge["unit_amount_decimal"])


def _period(ctx: Context, value: Any) -> tuple[int, int]:
    if not value:
        now = ctx.now()
        return now, now
    if value["end"] < value["start"]:
        raise invalid("The period end must be after its start.", param="period[end]")
    return int(value["start"]), int(value["end"])


def apply_discounts(ctx: Context, item: JSON, value: Any, *, param: str = "discounts") -> None:
    from console.sandbox.resources import invoices

    if value in (None, ""):
        item["discounts"] = []
    else:
        item["discounts"] = invoices.resolve_discounts(
            ctx, value, customer=item["customer"], param=param, invoice_item=item["id"]
        )


def _editable(ctx: Context, item: JSON, param: str | None) -> JSON | None:
    """The draft invoice the item sits on (or None when pending); refuses finalized ones."""
    if item.get("invoice") is None:
        return None
    invoice = ctx.find(item["invoice"])
    if invoice is None:
        return None
    if invoice["status"] != "draft":
        raise invalid(
            f"You cannot modify the invoice item {item['id']}: it is on invoice "
            f"{invoice['id']}, which is no longer a draft.",
            param=param,
            code="invoice_not_editable",
        )
    return invoice


def apply_changes(ctx: Context, item: JSON, params: JSON) -> None:
    """Apply update parameters (amount or price, quantity, description, period, metadata...)."""
    if any(k in params for k in ("pricing", "price_data", "amount", "unit_amount_decimal")):
        merged = {k: v for k, v in params.items()}
        if "currency" not in merged and not any(k in params for k in ("pricing", "price_data")):
            merged["currency"] = item["currency"]
        _apply_charge(item, charge_from_params(ctx, merged))
    elif "quantity" in params:
        price_id = ((item.get("pricing") or {}).get("price_details") or {}).get("price")
        merged = {"quantity": params["quantity"]}
        if price_id:
            merged["pricing"] = {"price": price_id}
        else:
            merged["unit_amount_decimal"] = (item.get("pricing") or {}).get(
                "unit_amount_decimal"
            ) or str(item["amount"])
            merged["currency"] = item["currency"]
        _apply_charge(item, charge_from_params(ctx, merged))
    if "description" in params:
        item["description"] = params["description"] or None
    if "discountable" in params:
        item["discountable"] = bool(params["discountable"])
    if "period" in params:
        start, end = _period(ctx, params["period"])
        item["period"] = {"end": end, "start": start}
    if "metadata" in params:
        item["metadata"] = metadata(item.get("metadata"), params["metadata"])
    if "discounts" in params:
        apply_discounts(ctx, item, params["discounts"])
    if params.get("tax_rates"):
        raise invalid("The sandbox has no tax rates; leave tax_rates out.", param="tax_rates")
    item["net_amount"] = item["amount"]


def _attach(ctx: Context, item: JSON, invoice: JSON) -> None:
    from console.sandbox.resources import invoices

    invoices.attach_item(ctx, invoice, item)


@operation("PostInvoiceitems")
def create(ctx: Context, params: JSON) -> JSON:
    from console.sandbox.resources import invoices

    customer = invoices.billed_customer(ctx, params)
    invoice: JSON | None = None
    if params.get("invoice"):
        invoice = ctx.fetch("invoice", params["invoice"], param="invoice")
        if invoice["customer"] != customer["id"]:
            raise invalid(
                f"The invoice {invoice['id']} belongs to another customer.", param="invoice"
            )
        invoices.require_draft(invoice, param="invoice")
    subscription: JSON | None = None
    if params.get("subscription"):
        subscription = ctx.fetch("subscription", params["subscription"], param="subscription")
        if subscription.get("customer") != customer["id"]:
            raise invalid(
                f"The subscription {subscription['id']} belongs to another customer.",
                param="subscription",
            )
    charge = charge_from_params(ctx, params)
    if invoice is not None and invoice["currency"] != charge["currency"]:
        raise invalid(
            f"The invoice item's currency ({charge['currency']}) must match the invoice's "
            f"({invoice['currency']}).",
            param="currency",
        )
    start, end = _period(ctx, params.get("period"))
    item = new_item(
        ctx,
        customer["id"],
        amount=charge["amount"],
        currency=charge["currency"],
        quantity=charge["quantity"],
        period_start=start,
        period_end=end,
        price=charge["price"],
        unit_amount_decimal=charge["unit_amount_decimal"],
        description=params.get("description") or default_description(ctx, charge["price"]),
        subscription=subscription["id"] if subscription else None,
    )
    ctx.insert(item, parent=customer["id"])
    rest = {k: v for k, v in params.items() if k in ("discountable", "metadata", "discounts")}
    apply_changes(ctx, item, rest)
    ctx.save(item)
    if invoice is not None:
        _attach(ctx, item, invoice)
    ctx.emit("invoiceitem.created", item)
    return item


@operation("GetInvoiceitemsInvoiceitem")
def retrieve(ctx: Context, params: JSON, invoiceitem: str) -> JSON:
    return ctx.fetch("invoiceitem", invoiceitem, kind="invoiceitem")


@operation("PostInvoiceitemsInvoiceitem")
def update(ctx: Context, params: JSON, invoiceitem: str) -> JSON:
    from console.sandbox.resources import invoices

    item = ctx.fetch("invoiceitem", invoiceitem, kind="invoiceitem")
    first = next((k for k in params if k != "expand"), None)
    invoice = _editable(ctx, item, first)
    before = snapshot(item)
    apply_changes(ctx, item, {k: v for k, v in params.items() if k != "expand"})
    ctx.save(item)
    if invoice is not None:
        invoices.sync_item(ctx, invoice, item)
    previous = changed(before, item)
    if previous:
        ctx.emit("invoiceitem.updated", item, previous)
    return item


def remove(ctx: Context, item: JSON) -> JSON:
    """Delete ``item`` (pending or on a draft), taking its line off the invoice."""
    from console.sandbox.resources import invoices

    invoice = _editable(ctx, item, None)
    if invoice is not None:
        invoices.detach_item(ctx, invoice, item)
    ctx.store.remove(item["id"])
    ctx.emit("invoiceitem.deleted", item)
    return {"id": item["id"], "object": "invoiceitem", "deleted": True}


@operation("DeleteInvoiceitemsInvoiceitem")
def delete(ctx: Context, params: JSON, invoiceitem: str) -> JSON:
    return remove(ctx, ctx.fetch("invoiceitem", invoiceitem, kind="invoiceitem"))


@operation("GetInvoiceitems")
def list_items(ctx: Context, params: JSON) -> JSON:
    where: list[tuple[str, Any]] = []
    if params.get("invoice"):
        where.append(("$.invoice", params["invoice"]))
    if params.get("pending") is True:
        where.append(("$.invoice", None))
    predicate = None
    if params.get("pending") is False:
        predicate = _not_pending
    return list_objects(
        ctx,
        params,
        object_type="invoiceitem",
        url="/v1/invoiceitems",
        parent=params.get("customer") or None,
        where=where,
        predicate=predicate,
    )


def _not_pending(item: JSON) -> bool:
    return item.get("invoice") is not None
