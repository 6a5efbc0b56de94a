"""Subscriptions reacting to their invoices' payments: paid invoices activate, failed ones make
the subscription past due. Registered with ``listeners.listens``: invoicing notifies, never imports.
"""

from __future__ import annotations

from console.sandbox.billing import cancellation, invoicing, payments, subscription_state
from console.sandbox.billing.listeners import listens
from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context, changed, snapshot


@listens("invoice.paid")
def on_invoice_paid(ctx: Context, invoice: JSON) -> None:
    """A subscription's invoice got paid after the fact.

    An incomplete or past-due subscription becomes active; a pending update
    waiting for this invoice is applied.
    """
    parent = invoice.get("parent") or {}
    sub_id = (parent.get("subscription_details") or {}).get("subscription")
    sub = ctx.find(str(sub_id or ""))
    if (
        sub is None
        or sub.get("object") != "subscription"
        or sub["status"] in subscription_state.ENDED
    ):
        return
    if sub.get("_billing"):
        return
    before = snapshot(sub)
    subscription_state.embed_items(ctx, sub)
    pending = sub.get("_pending")
    if pending and pending.get("invoice") == invoice["id"]:
        saved = [snapshot(i) for i in pending["items"]]
        subscription_state.restore_items(ctx, sub, saved)
        for key, value in pending["fields"].items():
            sub[key] = value
        sub["pending_update"] = None
        sub.pop("_pending", None)
        ctx.emit("customer.subscription.pending_update_applied", sub, changed(before, sub))
    if (sub.get("_invoice_due") or {}).get("invoice") == invoice["id"]:
        sub.pop("_invoice_due", None)
    if sub["status"] in ("incomplete", "past_due", "unpaid") and (
        sub.get("latest_invoice") == invoice["id"] or not _other_open(ctx, sub, invoice["id"])
    ):
        sub["status"] = "active"
    subscription_state.finish_change(ctx, sub, before)


@listens("invoice.payment_failed")
def on_invoice_payment_failed(ctx: Context, invoice: JSON) -> None:
    """A later attempt (an automatic retry) failed: an active subscription falls past due."""
    sub_id = ((invoice.get("parent") or {}).get("subscription_details") or {}).get("subscription")
    sub = ctx.find(str(sub_id or ""))
    if sub is None or sub.get("object") != "subscription" or sub.get("_billing"):
        return
    if sub["status"] == "active" and sub.get("latest_invoice") == invoice["id"]:
        before = snapshot(sub)
        sub["status"] = "past_due"
        subscription_state.finish_change(ctx, sub, before)


@listens("invoice.retries_exhausted")
def on_final_payment_failure(ctx: Context, invoice: JSON) -> None:
    """The last retry of a subscription's invoice failed: do what the account's setting says
    (``billing_settings``: cancel, mark unpaid or leave past due; the invoice uncollectible or
    left open)."""

    sub_id = ((invoice.get("parent") or {}).get("subscription_details") or {}).get("subscription")
    sub = ctx.find(str(sub_id or ""))
    if (
        sub is None
        or sub.get("object") != "subscription"
        or sub["status"] in subscription_state.ENDED
    ):
        return
    settings = payments.settings_of(ctx)
    if settings["invoice_after_final_failure"] == "mark_uncollectible":
        invoicing.mark_uncollectible(ctx, invoice)
    outcome = settings["subscription_after_final_failure"]
    if outcome == "cancel":
        # Stripe records a dunning cancellation as reason payment_failed.
        cancellation.cancel_now(ctx, sub, reason="payment_failed")
    elif outcome == "mark_unpaid" and sub["status"] == "past_due":
        before = snapshot(sub)
        sub["status"] = "unpaid"
        subscription_state.finish_change(ctx, sub, before)


def _other_open(ctx: Context, sub: JSON, paid_id: str) -> bool:
    for inv in ctx.store.scan(account=ctx.account, type_="invoice", parent=sub["customer"]):
        details = (inv.get("parent") or {}).get("subscription_details") or {}
        if (
            details.get("subscription") == sub["id"]
            and inv["id"] != paid_id
            and inv.get("status") == "open"
        ):
            return True
    return False
