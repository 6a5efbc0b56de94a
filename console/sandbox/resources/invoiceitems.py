"""Invoice items: one-off charges (or credits) that wait for a customer's next invoice.

An item is *pending* while ``invoice`` is null; the next invoice that takes
pending items (a subscription's renewal, or a manual invoice created with
``pending_invoice_items_behavior=include``) pulls it in as a line. Items on a
draft invoice may still change; once the invoice is finalized they are frozen.
"""

from __future__ import annotations

from typing import Any

from console.sandbox.billing import drafts, invoice_items
from console.sandbox.facts.errors import invalid
from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context, changed, snapshot
from console.sandbox.state.listing import list_objects
from console.sandbox.state.registry import operation

# -- amounts from parameters ------------------------------------------------------------------


def _attach(ctx: Context, item: JSON, invoice: JSON) -> None:

    drafts.attach_item(ctx, invoice, item)


@operation("PostInvoiceitems")
def create(ctx: Context, params: JSON) -> JSON:

    customer = drafts.billed_customer(ctx, params)
    invoice: JSON | None = None
    if params.get("invoice"):
        invoice = ctx.fetch("invoice", params["invoice"], param="invoice")
        if invoice["customer"] != customer["id"]:
            raise invalid(
                f"The invoice {invoice['id']} belongs to another customer.", param="invoice"
            )
        drafts.require_draft(invoice, param="invoice")
    subscription: JSON | None = None
    if params.get("subscription"):
        subscription = ctx.fetch("subscription", params["subscription"], param="subscription")
        if subscription.get("customer") != customer["id"]:
            raise invalid(
                f"The subscription {subscription['id']} belongs to another customer.",
                param="subscription",
            )
    charge = invoice_items.charge_from_params(ctx, params)
    if invoice is not None and invoice["currency"] != charge["currency"]:
        raise invalid(
            f"The invoice item's currency ({charge['currency']}) must match the invoice's "
            f"({invoice['currency']}).",
            param="currency",
        )
    start, end = invoice_items.parse_period(ctx, params.get("period"))
    item = invoice_items.new_item(
        ctx,
        customer["id"],
        amount=charge["amount"],
        currency=charge["currency"],
        quantity=charge["quantity"],
        period_start=start,
        period_end=end,
        price=charge["price"],
        unit_amount_decimal=charge["unit_amount_decimal"],
        description=params.get("description")
        or invoice_items.default_description(ctx, charge["price"]),
        subscription=subscription["id"] if subscription else None,
    )
    ctx.insert(item, parent=customer["id"])
    rest = {k: v for k, v in params.items() if k in ("discountable", "metadata", "discounts")}
    invoice_items.apply_changes(ctx, item, rest)
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

    item = ctx.fetch("invoiceitem", invoiceitem, kind="invoiceitem")
    first = next((k for k in params if k != "expand"), None)
    invoice = invoice_items.editable_item(ctx, item, first)
    before = snapshot(item)
    invoice_items.apply_changes(ctx, item, {k: v for k, v in params.items() if k != "expand"})
    ctx.save(item)
    if invoice is not None:
        drafts.sync_item(ctx, invoice, item)
    previous = changed(before, item)
    if previous:
        ctx.emit("invoiceitem.updated", item, previous)
    return item


@operation("DeleteInvoiceitemsInvoiceitem")
def delete(ctx: Context, params: JSON, invoiceitem: str) -> JSON:
    return invoice_items.remove(ctx, ctx.fetch("invoiceitem", invoiceitem, kind="invoiceitem"))


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
