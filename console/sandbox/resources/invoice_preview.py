"""``create_preview``: the next invoice as a change would make it, computed and never saved.

The real subscription change runs inside a rolled-back savepoint, so a preview bills exactly
what the change would.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from console.sandbox.billing import (
    cancellation,
    customer_balance,
    drafts,
    invoice_items,
    invoicing,
    lifecycle,
    subscription_invoices,
    subscription_items,
)
from console.sandbox.billing import periods as billing_periods
from console.sandbox.billing.invoice_math import (
    line_from_item,
    recompute,
)
from console.sandbox.facts.errors import StripeError, invalid, missing_param
from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context, snapshot
from console.sandbox.state.listing import embedded_list
from console.sandbox.state.registry import HANDLERS, operation

# -- preview --------------------------------------------------------------------------------
#
# A preview runs the real change (subscription update, cancellation or creation, pending
# items, discounts) inside a savepoint and rolls it back, so what the portal shows before a
# plan change is exactly what the change would bill, and nothing is saved.

UPDATE_SUBSCRIPTION = "PostSubscriptionsSubscriptionExposedId"
PREVIEW_UPDATE_KEYS = ("items", "proration_behavior", "proration_date", "billing_cycle_anchor",
                       "cancel_at", "cancel_at_period_end", "trial_end", "metadata",
                       "billing_mode")  # fmt: skip


@contextmanager
def _simulation(ctx: Context) -> Iterator[None]:
    """Everything done inside is undone: rows by a savepoint, events by truncation."""
    marker = len(ctx.events)
    try:
        with ctx.store.rolled_back():
            yield
    finally:
        del ctx.events[marker:]


def _nothing_upcoming(customer: str) -> StripeError:
    return invalid(f"No upcoming invoices for customer: {customer}", code="invoice_upcoming_none")


def _sub_invoices(ctx: Context, customer: str, subscription: str) -> list[JSON]:
    return [
        inv
        for inv in ctx.store.scan(account=ctx.account, type_="invoice", parent=customer)
        if invoicing.subscription_of(inv) == subscription
    ]


def _apply_details(ctx: Context, sub: JSON, details: JSON) -> None:

    behavior = details.get("proration_behavior", "create_prorations")
    if details.get("cancel_now"):
        cancellation.cancel_now(ctx, sub, prorate=behavior != "none", invoice_now=True)
        return
    if details.get("pause") or details.get("resume_at"):
        raise invalid(
            "The sandbox does not preview pauses or resumptions.",
            param="subscription_details[pause]",
        )
    update = {k: details[k] for k in PREVIEW_UPDATE_KEYS if k in details}
    if (update.get("billing_cycle_anchor") or {}).get("type") == "unchanged":
        update.pop("billing_cycle_anchor")
    update["payment_behavior"] = "allow_incomplete"
    try:
        # The update operation itself, as the API runs it (its parameter rules included).
        HANDLERS[UPDATE_SUBSCRIPTION](ctx, update, subscription_exposed_id=sub["id"])
    except StripeError as error:
        raise invoicing.prefixed_error(error, "subscription_details") from None


def _upcoming(ctx: Context, sub: JSON, customer: JSON, *, recurring_only: bool) -> JSON:
    """The subscription's next regular invoice: the coming period plus pending items."""
    items = subscription_items.items_of(ctx, sub["id"])
    if sub["status"] in ("canceled", "incomplete_expired") or not items:
        raise _nothing_upcoming(customer["id"])
    start, end = int(items[0]["current_period_start"]), int(items[0]["current_period_end"])
    trial_end = sub.get("trial_end")
    at = int(trial_end) if sub["status"] == "trialing" and trial_end else end
    if sub.get("cancel_at_period_end") or (sub.get("cancel_at") and sub["cancel_at"] <= at):
        raise _nothing_upcoming(customer["id"])
    interval, count = billing_periods.interval_of(items[0]["price"])
    anchor = int(sub.get("billing_cycle_anchor") or at)
    following = billing_periods.next_boundary(anchor, interval, count, at)
    # The renewal the clock would make at ``at``, from the same code (lines, discounts, items).
    invoice = subscription_invoices.draft_for_period(
        ctx,
        sub,
        customer,
        reason="upcoming",
        lines=subscription_invoices.cycle_lines(ctx, sub, at, following),
        period_start=start,
        period_end=at,
        include_pending=not recurring_only,
        discounts=subscription_invoices.live_discounts(ctx, sub, at),
    )
    invoice["created"] = at
    if invoice["collection_method"] == "charge_automatically":
        invoice["next_payment_attempt"] = at
    return invoice


def _new_subscription(ctx: Context, customer: JSON, params: JSON, details: JSON) -> JSON:

    create: JSON = {"customer": customer["id"], "payment_behavior": "default_incomplete"}
    kept = ("price", "price_data", "quantity", "metadata", "discounts")
    create["items"] = [
        {k: entry[k] for k in kept if k in entry} for entry in details.get("items") or []
    ]
    for key in ("trial_end", "proration_behavior", "metadata", "billing_mode"):
        if key in details:
            create[key] = details[key]
    if params.get("currency"):
        create["currency"] = params["currency"]
    try:
        sub: JSON = lifecycle.create_subscription(ctx, create)
    except StripeError as error:
        raise invoicing.prefixed_error(error, "subscription_details") from None
    return sub


def _extra_items(ctx: Context, invoice: JSON, entries: list[JSON]) -> None:
    """``invoice_items`` of the preview: one-off lines added to what is previewed."""

    for position, entry in enumerate(entries):
        where = f"invoice_items[{position}]"
        if entry.get("invoiceitem"):
            item = ctx.fetch(
                "invoiceitem", entry["invoiceitem"], param=f"{where}[invoiceitem]",
                kind="invoiceitem",
            )  # fmt: skip
            changes = {k: v for k, v in entry.items() if k not in ("invoiceitem", "price")}
            if entry.get("price"):
                changes["pricing"] = {"price": entry["price"]}
            invoice_items.apply_changes(ctx, item, changes)
        else:
            data = {k: v for k, v in entry.items() if k not in ("price",)}
            if entry.get("price"):
                data["pricing"] = {"price": entry["price"]}
            if not any(k in data for k in ("pricing", "price_data", "currency")):
                data["currency"] = invoice["currency"]
            charge_ = invoice_items.charge_from_params(ctx, data, prefix=where)
            item = invoice_items.item_for_line(
                ctx,
                invoice["customer"],
                charge_,
                entry,
                description=entry.get("description") or None,
            )
            if "discountable" in entry:
                item["discountable"] = bool(entry["discountable"])
        if item["currency"] != invoice["currency"]:
            raise invalid(
                f"The item's currency ({item['currency']}) must match the invoice's "
                f"({invoice['currency']}).",
                param=f"{where}[currency]",
            )
        line = line_from_item(drafts.new_line_id(ctx, temporary=True), invoice["id"], item)
        lines = drafts.lines_of(invoice)
        # An item already on the preview is updated in place (Stripe's ``invoiceitem``).
        same = [i for i, known in enumerate(lines) if invoicing.item_id_of(known) == item["id"]]
        if same:
            lines[same[0]] = line
        else:
            lines.append(line)


def _as_preview(ctx: Context, invoice: JSON, details: JSON) -> JSON:
    """A copy that reads as an unsaved draft: no number, no payments, temporary ids."""
    result = snapshot(invoice)
    result["id"] = ctx.new_id("upcoming_in", 24)
    result["status"] = "draft"
    for key in ("number", "hosted_invoice_url", "invoice_pdf", "effective_at",
                "automatically_finalizes_at", "ending_balance", "status_details",
                "amount_paid_off_stripe"):  # fmt: skip
        result[key] = None
    result["status_transitions"] = {k: None for k in result["status_transitions"]}
    result["attempt_count"] = 0
    result["attempted"] = False
    result["amount_paid"] = 0
    result["starting_balance"] = 0
    result["auto_advance"] = False
    for key in [k for k in result if k.startswith("_") and k != "_lines"]:
        result.pop(key)
    for line in drafts.lines_of(result):
        line["id"] = drafts.new_line_id(ctx, temporary=True)
        line["invoice"] = result["id"]
    parent = (result.get("parent") or {}).get("subscription_details")
    if parent is not None and details.get("proration_date"):
        parent["subscription_proration_date"] = details["proration_date"]
    return result


def preview(ctx: Context, params: JSON) -> JSON:
    """What the next invoice would be (``create_preview``); nothing is saved."""
    if params.get("schedule") or params.get("schedule_details"):
        raise invalid(
            "The sandbox previews subscriptions, not subscription schedules.", param="schedule"
        )
    sub = None
    if params.get("subscription"):
        sub = ctx.fetch("subscription", params["subscription"], param="subscription")
    customer_id = params.get("customer") or (sub or {}).get("customer")
    if not customer_id:
        raise missing_param("customer")
    if sub is not None and params.get("customer") and sub["customer"] != params["customer"]:
        raise invalid(
            f"The subscription {sub['id']} does not belong to customer {params['customer']}.",
            param="subscription",
        )
    customer = ctx.fetch("customer", customer_id, param="customer")
    details: JSON = params.get("subscription_details") or {}
    recurring_only = params.get("preview_mode") == "recurring"
    with _simulation(ctx):
        if sub is not None:
            known = {inv["id"] for inv in _sub_invoices(ctx, customer["id"], sub["id"])}
            if details:
                _apply_details(ctx, sub, details)
                sub = ctx.fetch("subscription", sub["id"], param="subscription")
            made = [
                i for i in _sub_invoices(ctx, customer["id"], sub["id"]) if i["id"] not in known
            ]
            if made and not recurring_only:
                invoice = max(made, key=lambda i: i["created"])
            else:
                invoice = _upcoming(ctx, sub, customer, recurring_only=recurring_only)
        elif details.get("items"):
            sub = _new_subscription(ctx, customer, params, details)
            latest = ctx.find(str(sub.get("latest_invoice") or ""))
            if recurring_only or latest is None:
                invoice = _upcoming(ctx, sub, customer, recurring_only=True)
            else:
                invoice = latest
        else:
            currency = str(
                params.get("currency") or invoicing.default_currency(ctx, customer)
            ).lower()
            invoice = invoicing.build_draft(
                ctx,
                customer,
                subscription=None,
                billing_reason="upcoming",
                collection_method="charge_automatically",
                days_until_due=None,
                period_start=ctx.now(),
                period_end=ctx.now(),
                include_pending_items=True,
                currency=currency,
                discounts=[{"id": d} for d in drafts.customer_discounts(ctx, customer)] or None,
            )
            if not drafts.lines_of(invoice) and not params.get("invoice_items"):
                raise _nothing_upcoming(customer["id"])
        result = _as_preview(ctx, invoice, details)
        _extra_items(ctx, result, list(params.get("invoice_items") or []))
        if "discounts" in params:
            value = params["discounts"]
            result["discounts"] = (
                []
                if value == ""
                else drafts.resolve_discounts(
                    ctx, value, customer=customer["id"], param="discounts"
                )
            )
        recompute(ctx, result, balance=customer_balance.balance_in(customer, result["currency"]))
        result["lines"] = embedded_list(
            drafts.lines_of(result), f"/v1/invoices/{result['id']}/lines", has_more=False
        )
        result.pop("_lines")
    return result


@operation("PostInvoicesCreatePreview")
def create_preview(ctx: Context, params: JSON) -> JSON:
    return preview(ctx, params)
