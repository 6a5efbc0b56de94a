"""Ending a subscription: ``cancel_at_period_end`` and ``cancel_at`` as sent, cancellation at
once with its final prorations, and a trial that ends with no way to pay (cancel or pause, as
``trial_settings`` say). A schedule hears of an ending through ``listeners``.
"""

from __future__ import annotations

from typing import Any

from console.sandbox.billing import (
    catalog,
    invoice_items,
    listeners,
    prorations,
    subscription_invoices,
    subscription_items,
    subscription_state,
)
from console.sandbox.facts.errors import StripeError
from console.sandbox.facts.fields import unset
from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context


def trial_ends_without_payment_method(ctx: Context, sub: JSON, at: int) -> bool:
    """Stripe's ``trial_settings.end_behavior.missing_payment_method`` at a trial's end.

    With no payment method to charge, ``cancel`` ends the subscription and ``pause`` pauses it
    (``customer.subscription.paused``) instead of billing; True when it did either, False when
    the trial ends as usual (``create_invoice``, or there is a way to pay).
    """
    if (
        subscription_invoices.payment_method_of(ctx, sub) is not None
        or sub["collection_method"] != "charge_automatically"
    ):
        return False
    missing = sub["trial_settings"]["end_behavior"]["missing_payment_method"]
    if missing == "cancel":
        cancel_now(ctx, sub, ended_at=at)
        return True
    if missing == "pause":
        subscription_state.mark_paused(sub, "trial_end_without_payment_method", at)
        ctx.emit("customer.subscription.paused", sub)
        return True
    return False


def apply_cancel_params(ctx: Context, sub: JSON, params: JSON) -> None:
    now = ctx.now()
    _, period_end = subscription_state.current_period(sub)
    if params.get("cancel_at_period_end") and params.get("cancel_at") not in (None, ""):
        raise StripeError(
            "You may only specify one of these parameters: cancel_at, cancel_at_period_end.",
            param="cancel_at",
            code="parameters_exclusive",
        )
    if "cancel_at_period_end" in params:
        if params["cancel_at_period_end"]:
            sub["cancel_at_period_end"] = True
            sub["cancel_at"] = period_end
            sub["canceled_at"] = now
            sub["cancellation_details"]["reason"] = "cancellation_requested"
        elif sub["cancel_at_period_end"] or sub.get("cancel_at"):
            _undo_cancel(sub)
    if "cancel_at" in params:
        value = params["cancel_at"]
        if value == "":
            _undo_cancel(sub)
        else:
            if value in ("min_period_end", "max_period_end", "max_billed_until"):
                value = period_end
            else:
                subscription_state.future_moment(ctx, value, "cancel_at")
            sub["cancel_at"] = value
            sub["cancel_at_period_end"] = False
            sub["canceled_at"] = now
            sub["cancellation_details"]["reason"] = "cancellation_requested"


def _undo_cancel(sub: JSON) -> None:
    sub["cancel_at_period_end"] = False
    sub["cancel_at"] = None
    sub["canceled_at"] = None
    sub["cancellation_details"] = {"comment": None, "feedback": None, "reason": None}


def set_cancellation_details(sub: JSON, details: Any) -> None:
    if not details:
        return
    current = sub["cancellation_details"]
    for key in ("comment", "feedback"):
        if key in details:
            current[key] = unset(details[key])
    if details.get("feedback_option"):
        current["feedback_option"] = details["feedback_option"]


def cancel_now(
    ctx: Context,
    subscription: JSON,
    *,
    invoice_now: bool = False,
    prorate: bool = False,
    details: JSON | None = None,
    ended_at: int | None = None,
    reason: str = "cancellation_requested",
) -> JSON:
    """End ``subscription`` now (or at ``ended_at``, a moment the clock just passed)."""
    sub = subscription
    now = ctx.now()
    subscription_state.embed_items(ctx, sub)
    start, end = subscription_state.current_period(sub)
    at = ended_at if ended_at is not None else now
    if prorate and sub["status"] != "trialing":
        changes = [
            prorations.ItemChange(
                item_id=item["id"],
                old_price=item["price"],
                old_quantity=subscription_items.quantity_of(item),
                old_amount=catalog.amount_for(item["price"], subscription_items.quantity_of(item)),
                new_price=None,
                new_quantity=0,
                new_amount=0,
            )
            for item in sub["items"]["data"]
        ]
        lines = prorations.lines_for(ctx, changes, period_start=start, period_end=end, at=at)
        invoice_items.create_pending_items(ctx, sub, lines)
    if invoice_now:
        subscription_invoices.bill(
            ctx,
            sub,
            reason="subscription_cycle",
            lines=[],
            period_start=start,
            period_end=at,
            include_pending=True,
        )
    sub["status"] = "canceled"
    sub["ended_at"] = at
    # A scheduled cancellation keeps the moment it was requested, as Stripe does.
    sub["canceled_at"] = now if ended_at is None else sub.get("canceled_at") or at
    sub["cancellation_details"]["reason"] = reason
    set_cancellation_details(sub, details)
    sub["pending_update"] = None
    if sub.get("schedule"):
        listeners.notify("subscription.ended", ctx, sub)
    ctx.save(sub, due=None)
    ctx.emit("customer.subscription.deleted", sub)
    return sub
