"""Invoices: drafts, finalization, collection, the state machine, lines, and previews.

States: ``draft -> open -> paid | void | uncollectible``, and an uncollectible
invoice may still be paid or voided. Finalizing numbers the invoice from the
customer's prefix and sequence, gives it a hosted page and a PDF, and applies
the customer's balance. With ``auto_advance`` a draft finalizes an hour after
creation and collection follows; failed automatic charges are retried 3, 5
and 7 days after each failure, after which the invoice stays open (Stripe's
default setting "leave the invoice past due").
"""

from __future__ import annotations

from typing import Any

from console.sandbox.billing import drafts, invoicing
from console.sandbox.facts.errors import card_declined, invalid
from console.sandbox.facts.fields import address, metadata, unset
from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context, changed, snapshot
from console.sandbox.state.listing import in_range, list_objects
from console.sandbox.state.registry import operation

# -- the object -----------------------------------------------------------------------------


# -- discounts ----------------------------------------------------------------------------


# -- lines from items and subscriptions ----------------------------------------------------


# -- state changes -------------------------------------------------------------------------


# -- clock ------------------------------------------------------------------------------------


# -- handlers ---------------------------------------------------------------------------------


def _check_collection(invoice: JSON, params: JSON) -> None:
    method = invoice["collection_method"]
    if method == "send_invoice":
        if invoice.get("due_date") is None and invoice.get("_days_until_due") is None:
            raise invalid(
                "Invoices with collection_method=send_invoice must have a due_date or "
                "days_until_due.",
                param="days_until_due",
            )
    else:
        for name in ("days_until_due", "due_date"):
            if params.get(name) not in (None, ""):
                raise invalid(
                    f"{name} can only be set when collection_method is send_invoice.",
                    param=name,
                )
        invoice["_days_until_due"] = None
        invoice["due_date"] = None


def _apply_texts(invoice: JSON, params: JSON) -> None:
    """The fields taken as sent: texts, metadata, number, custom fields, auto advance."""
    for name in ("description", "footer", "statement_descriptor", "custom_fields", "number"):
        if name in params:
            invoice[name] = unset(params[name]) or None
    if "metadata" in params:
        invoice["metadata"] = metadata(invoice.get("metadata"), params["metadata"])
    if "auto_advance" in params:
        invoice["auto_advance"] = bool(params["auto_advance"])
    if "automatically_finalizes_at" in params:
        invoice["automatically_finalizes_at"] = params["automatically_finalizes_at"]
    if "effective_at" in params:
        invoice["effective_at"] = unset(params["effective_at"])


def _apply_collection(ctx: Context, invoice: JSON, params: JSON) -> None:
    """How and when the invoice is collected: method, days until due or due date, payment method."""
    if "collection_method" in params:
        invoice["collection_method"] = params["collection_method"]
    if "days_until_due" in params:
        days = params["days_until_due"]
        if days < 0 or days > 365 * 5:
            raise invalid("days_until_due must be between 0 and 1825.", param="days_until_due")
        invoice["_days_until_due"] = days
        invoice["due_date"] = None
    if "due_date" in params:
        if params["due_date"] < ctx.now():
            raise invalid("The due_date must be in the future.", param="due_date")
        invoice["due_date"] = params["due_date"]
    if "default_payment_method" in params:
        pm_id = unset(params["default_payment_method"])
        if pm_id:
            ctx.fetch("payment_method", pm_id, param="default_payment_method", kind="PaymentMethod")
        invoice["default_payment_method"] = pm_id


def _rendering(value: JSON) -> JSON:
    return {
        "amount_tax_display": unset(value.get("amount_tax_display")),
        "pdf": {"page_size": (value.get("pdf") or {}).get("page_size")},
        "template": value.get("template"),
        "template_version": unset(value.get("template_version")),
    }


def _shipping(value: Any) -> JSON | None:
    if value is None:
        return None
    return {
        "address": address(value.get("address")),
        "carrier": None,
        "name": value.get("name"),
        "phone": unset(value.get("phone")),
        "tracking_number": None,
    }


def _refuse_tax(params: JSON) -> None:
    if params.get("default_tax_rates"):
        raise invalid(
            "The sandbox has no tax engine; default_tax_rates is not supported.",
            param="default_tax_rates",
        )
    if (params.get("automatic_tax") or {}).get("enabled"):
        raise invalid(
            "The sandbox has no tax engine; automatic_tax cannot be enabled.",
            param="automatic_tax[enabled]",
        )


def _apply(ctx: Context, invoice: JSON, params: JSON) -> None:
    _apply_texts(invoice, params)
    _apply_collection(ctx, invoice, params)
    if params.get("rendering"):
        invoice["rendering"] = _rendering(params["rendering"])
    if "shipping_details" in params:
        invoice["shipping_details"] = _shipping(unset(params["shipping_details"]))
    if "discounts" in params:
        value = params["discounts"]
        invoice["discounts"] = (
            []
            if value == ""
            else drafts.resolve_discounts(
                ctx, value, customer=invoice["customer"], param="discounts", invoice=invoice["id"]
            )
        )
    _refuse_tax(params)


def _due_for(invoice: JSON) -> int | None:
    if invoice["status"] == "draft" and invoice.get("auto_advance"):
        moment = invoice.get("automatically_finalizes_at")
        if moment is None:
            moment = invoice["created"] + invoicing.AUTO_FINALIZE_DELAY
            invoice["automatically_finalizes_at"] = moment
        return int(moment)
    if invoice["status"] == "draft":
        invoice["automatically_finalizes_at"] = None
    return None


@operation("PostInvoices")
def create(ctx: Context, params: JSON) -> JSON:
    customer = drafts.billed_customer(ctx, params)
    subscription: JSON | None = None
    if params.get("subscription"):
        subscription = ctx.fetch("subscription", params["subscription"], param="subscription")
        if subscription.get("customer") != customer["id"]:
            raise invalid(
                f"The subscription {subscription['id']} belongs to another customer.",
                param="subscription",
            )
    currency = str(params.get("currency") or invoicing.default_currency(ctx, customer)).lower()
    invoice = invoicing.new_invoice(ctx, customer, currency=currency)
    if subscription is not None:
        invoice["parent"] = invoicing.subscription_parent(subscription)
        invoice["billing_reason"] = "manual"
    if "discounts" not in params:
        invoice["discounts"] = drafts.customer_discounts(ctx, customer)
    ctx.insert(invoice, parent=customer["id"])
    _apply(ctx, invoice, params)
    _check_collection(invoice, params)
    if invoice["collection_method"] == "send_invoice" and invoice.get("due_date") is None:
        days = invoice.get("_days_until_due")
        if days is not None:
            invoice["due_date"] = invoice["created"] + int(days) * invoicing.DAY
    if params.get("pending_invoice_items_behavior") == "include":
        invoicing.pull_pending_items(
            ctx, invoice, subscription=subscription["id"] if subscription else None
        )
    drafts.save_invoice(ctx, invoice, due=_due_for(invoice))
    ctx.emit("invoice.created", invoice)
    return invoice


@operation("GetInvoicesInvoice")
def retrieve(ctx: Context, params: JSON, invoice: str) -> JSON:
    return invoicing.fetch_invoice(ctx, invoice)


# What may still change once an invoice is final (Stripe freezes amounts and collection).
FINAL_EDITABLE = {
    "open": {"metadata", "auto_advance", "description", "footer", "custom_fields",
             "default_payment_method", "statement_descriptor", "rendering", "expand"},
    "uncollectible": {"metadata", "description", "footer", "custom_fields", "rendering", "expand"},
    "paid": {"metadata", "expand"},
    "void": {"metadata", "expand"},
}  # fmt: skip


@operation("PostInvoicesInvoice")
def update(ctx: Context, params: JSON, invoice: str) -> JSON:
    found = invoicing.fetch_invoice(ctx, invoice)
    status = found["status"]
    if status != "draft":
        allowed = FINAL_EDITABLE.get(status, {"expand"})
        refused = next((k for k in params if k not in allowed), None)
        if refused is not None:
            raise invalid(
                f"You can't update {refused} on an invoice that is {status}; only drafts can "
                "change that.",
                param=refused,
                code="invoice_not_editable",
            )
    before = snapshot(found)
    _apply(ctx, found, params)
    if status == "draft":
        _check_collection(found, params)
        if found["collection_method"] == "send_invoice" and found.get("due_date") is None:
            found["due_date"] = (
                found["created"] + int(found.get("_days_until_due") or 0) * invoicing.DAY
            )
        drafts.save_invoice(ctx, found, due=_due_for(found))
    else:
        ctx.save(found)
    previous = changed(before, found)
    if previous:
        ctx.emit("invoice.updated", found, previous)
    return found


@operation("DeleteInvoicesInvoice")
def delete(ctx: Context, params: JSON, invoice: str) -> JSON:
    found = invoicing.fetch_invoice(ctx, invoice)
    if found["status"] != "draft":
        raise invalid(
            "You can only delete draft invoices. Void an invoice that has been finalized.",
            code="invoice_not_editable",
        )
    if invoicing.subscription_of(found) and found["billing_reason"] != "manual":
        raise invalid(
            "A subscription's draft invoice cannot be deleted; void it after finalizing.",
            code="invoice_not_editable",
        )
    for item in list(
        ctx.store.scan(account=ctx.account, type_="invoiceitem", parent=found["customer"])
    ):
        if item.get("invoice") == found["id"]:
            item["invoice"] = None
            ctx.store.remove(item["id"])
            ctx.emit("invoiceitem.deleted", item)
    ctx.store.remove(found["id"])
    ctx.emit("invoice.deleted", found)
    return {"id": found["id"], "object": "invoice", "deleted": True}


@operation("GetInvoices")
def list_invoices(ctx: Context, params: JSON) -> JSON:
    where: list[tuple[str, Any]] = []
    if params.get("status"):
        where.append(("$.status", params["status"]))
    if params.get("collection_method"):
        where.append(("$.collection_method", params["collection_method"]))
    if params.get("subscription"):
        where.append(("$.parent.subscription_details.subscription", params["subscription"]))
    predicate = None
    due = params.get("due_date")
    if due not in (None, ""):

        def predicate(invoice: JSON) -> bool:
            value = invoice.get("due_date")
            return value is not None and in_range(int(value), due)

    return list_objects(
        ctx,
        params,
        object_type="invoice",
        url="/v1/invoices",
        parent=params.get("customer") or None,
        where=where,
        predicate=predicate,
    )


@operation("PostInvoicesInvoiceFinalize")
def finalize_invoice(ctx: Context, params: JSON, invoice: str) -> JSON:
    found = invoicing.fetch_invoice(ctx, invoice)
    if found["status"] != "draft":
        raise invoicing.wrong_state(found, "finalize", "a draft")
    if "auto_advance" in params:
        found["auto_advance"] = bool(params["auto_advance"])
    invoicing.finalize(ctx, found)
    automatic = found["collection_method"] == "charge_automatically"
    if found["status"] == "open" and automatic and found.get("auto_advance"):
        # Stripe attempts payment about an hour after an auto-advancing invoice is finalized.
        found["next_payment_attempt"] = ctx.now() + invoicing.AUTO_FINALIZE_DELAY
        ctx.save(found, due=found["next_payment_attempt"])
    elif found["status"] == "open" and found.get("auto_advance"):
        invoicing.mark_sent(ctx, found)
    return found


@operation("PostInvoicesInvoicePay")
def pay_invoice(ctx: Context, params: JSON, invoice: str) -> JSON:
    found = invoicing.fetch_invoice(ctx, invoice)
    if params.get("source"):
        raise invalid(
            "The sandbox supports PaymentMethods, not legacy sources; pass payment_method.",
            param="source",
        )
    _, failure = invoicing.pay(
        ctx,
        found,
        payment_method=params.get("payment_method"),
        paid_out_of_band=bool(params.get("paid_out_of_band")),
    )
    if failure is not None:
        # Stripe keeps the declined attempt (attempt_count, the PaymentIntent, the events)
        # and still answers 402.
        raise card_declined(
            failure["message"],
            code=failure["code"],
            decline_code=failure["decline_code"] or failure["code"],
            payment_intent={"id": failure["payment_intent"], "object": "payment_intent"},
            keep_changes=True,
        )
    return found


@operation("PostInvoicesInvoiceVoid")
def void_invoice(ctx: Context, params: JSON, invoice: str) -> JSON:
    return invoicing.void(ctx, invoicing.fetch_invoice(ctx, invoice))


@operation("PostInvoicesInvoiceMarkUncollectible")
def mark_uncollectible_invoice(ctx: Context, params: JSON, invoice: str) -> JSON:
    return invoicing.mark_uncollectible(ctx, invoicing.fetch_invoice(ctx, invoice))


@operation("PostInvoicesInvoiceSend")
def send_invoice(ctx: Context, params: JSON, invoice: str) -> JSON:
    found = invoicing.fetch_invoice(ctx, invoice)
    if found["collection_method"] != "send_invoice":
        raise invalid(
            "You can only manually send an invoice if its collection method is 'send_invoice'.",
            code="invoice_not_editable",
        )
    if found["status"] == "draft":
        invoicing.finalize(ctx, found)
    if found["status"] == "void":
        raise invoicing.wrong_state(found, "send", "open, paid or uncollectible")
    return invoicing.mark_sent(ctx, found)


# -- shared by lines and previews --------------------------------------------------------
