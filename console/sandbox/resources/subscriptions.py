"""Subscriptions: the billing engine of the sandbox.

A subscription is stored with ``parent=<customer id>``; its items (their own
rows, ``parent=<subscription id>``) carry the billing periods, as in this API
generation. Every change that costs money goes through the invoices module:
a draft built for the subscription, lines added, finalized, collected. The
``due`` column always holds the next moment the clock must act on (a period
end, a trial end, ``cancel_at``, the three-day trial notice, the 23-hour
windows of incomplete subscriptions and pending updates), and the due handler
replays everything that became due in order, one renewal per period.
"""

from __future__ import annotations

from typing import Any

from console.sandbox.billing import (
    cancellation,
    catalog,
    changes,
    invoice_items,
    lifecycle,
    periods,
    prorations,
    subscription_invoices,
    subscription_items,
    subscription_state,
)
from console.sandbox.facts.errors import invalid, no_such
from console.sandbox.facts.fields import metadata, unset
from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context, changed, snapshot
from console.sandbox.state.listing import in_range, list_objects
from console.sandbox.state.registry import operation

BILLED = ("active", "past_due", "unpaid", "trialing")
PENDING_ALLOWED = {
    "items",
    "proration_behavior",
    "proration_date",
    "trial_end",
    "trial_from_plan",
    "billing_cycle_anchor",
    "payment_behavior",
    "expand",
    "off_session",
    "add_invoice_items",
}


# -- the object ---------------------------------------------------------------------------


# -- invoicing ----------------------------------------------------------------------------


# -- discounts ----------------------------------------------------------------------------


def _remove_discounts(ctx: Context, sub: JSON) -> None:
    for discount_id in sub.get("discounts") or []:
        if ctx.find(discount_id) is not None:
            ctx.store.remove(discount_id)
    sub["discounts"] = []


# -- checks -------------------------------------------------------------------------------


# -- create -------------------------------------------------------------------------------


@operation("PostSubscriptions")
def create(ctx: Context, params: JSON) -> JSON:
    return lifecycle.create_subscription(ctx, params)


# -- cancellation ---------------------------------------------------------------------------


@operation("DeleteSubscriptionsSubscriptionExposedId")
def cancel(ctx: Context, params: JSON, subscription_exposed_id: str) -> JSON:
    sub = ctx.fetch("subscription", subscription_exposed_id, param="subscription_exposed_id")
    if sub["status"] in subscription_state.ENDED:
        raise invalid(
            f"This subscription has already been canceled ({sub['status']}); there is nothing "
            "left to cancel.",
            param="subscription_exposed_id",
        )
    return cancellation.cancel_now(
        ctx,
        sub,
        invoice_now=bool(params.get("invoice_now")),
        prorate=bool(params.get("prorate")),
        details=params.get("cancellation_details"),
    )


# -- reads --------------------------------------------------------------------------------


@operation("GetSubscriptionsSubscriptionExposedId")
def retrieve(ctx: Context, params: JSON, subscription_exposed_id: str) -> JSON:
    return ctx.fetch("subscription", subscription_exposed_id, param="subscription_exposed_id")


@operation("GetSubscriptions")
def list_subscriptions(ctx: Context, params: JSON) -> JSON:
    status = params.get("status")
    price = params.get("price") or params.get("plan")

    def keep(sub: JSON) -> bool:
        if status in (None, ""):
            if sub["status"] in subscription_state.ENDED:
                return False
        elif status == "ended":
            if sub["status"] not in subscription_state.ENDED:
                return False
        elif status != "all" and sub["status"] != status:
            return False
        if (
            params.get("collection_method")
            and sub["collection_method"] != params["collection_method"]
        ):
            return False
        if params.get("test_clock") and sub.get("test_clock") != params["test_clock"]:
            return False
        data = sub["items"]["data"]
        if price and not any(i["price"]["id"] == price for i in data):
            return False
        start, end = subscription_state.current_period(sub)
        return in_range(start, params.get("current_period_start")) and in_range(
            end, params.get("current_period_end")
        )

    parent = None
    if params.get("customer"):
        parent = ctx.fetch("customer", params["customer"], param="customer")["id"]
    return list_objects(
        ctx,
        params,
        object_type="subscription",
        url="/v1/subscriptions",
        parent=parent,
        predicate=keep,
    )


# -- changes to items, trial and anchor -------------------------------------------------


# -- update -------------------------------------------------------------------------------


def _refuse_update(sub: JSON, params: JSON, payment_behavior: str) -> None:
    """What Stripe refuses before changing anything: most fields of an ended subscription,
    cancel settings of a scheduled one, and extra fields with ``pending_if_incomplete``."""
    if sub["status"] in subscription_state.ENDED:
        extra = sorted(set(params) - {"metadata", "cancellation_details", "expand"})
        if extra:
            raise invalid(
                "A canceled subscription can only update its cancellation_details and metadata.",
                param=extra[0],
            )
    if sub.get("schedule") and ("cancel_at_period_end" in params or "cancel_at" in params):
        raise invalid(
            f"The subscription is managed by the subscription schedule `{sub['schedule']}`, "
            "and updating any cancelation behavior directly is not allowed. Please update the "
            "schedule instead.",
            param="cancel_at_period_end" if "cancel_at_period_end" in params else "cancel_at",
        )
    if payment_behavior == "pending_if_incomplete":
        extra = sorted(set(params) - PENDING_ALLOWED)
        if extra:
            raise invalid(
                "When payment_behavior is `pending_if_incomplete`, you may only update "
                "items, proration_behavior, proration_date, trial_end, trial_from_plan and "
                f"billing_cycle_anchor; `{extra[0]}` is not allowed.",
                param=extra[0],
            )
    if "trial_end" in params and params.get("trial_from_plan"):
        raise invalid(
            "You cannot set trial_from_plan together with trial_end.", param="trial_from_plan"
        )


def _pause_collection(ctx: Context, value: Any) -> JSON | None:
    if value == "":
        return None
    resumes = value.get("resumes_at")
    if resumes is not None:
        subscription_state.future_moment(ctx, resumes, "pause_collection[resumes_at]")
    return {"behavior": value["behavior"], "resumes_at": resumes}


def _apply_settings(ctx: Context, sub: JSON, params: JSON) -> None:
    """The fields an update sets as sent, with no billing of their own."""
    if "description" in params:
        sub["description"] = unset(params["description"])
    if "metadata" in params:
        sub["metadata"] = metadata(sub.get("metadata"), params["metadata"])
    if "default_payment_method" in params:
        pm_id = params["default_payment_method"]
        if pm_id:
            lifecycle.check_payment_method(ctx, sub["customer"], pm_id, "default_payment_method")
        sub["default_payment_method"] = pm_id or None
    if "collection_method" in params or "days_until_due" in params:
        lifecycle.apply_collection_params(sub, params)
    if "cancellation_details" in params:
        cancellation.set_cancellation_details(sub, params["cancellation_details"])
    if "pause_collection" in params:
        sub["pause_collection"] = _pause_collection(ctx, params["pause_collection"])
    for key in ("description", "footer"):
        if key in (params.get("invoice_settings") or {}):
            sub["invoice_settings"][key] = unset(params["invoice_settings"][key])
    end = ((params.get("trial_settings") or {}).get("end_behavior")) or {}
    if "missing_payment_method" in end:
        behavior = sub["trial_settings"]["end_behavior"]
        behavior["missing_payment_method"] = end["missing_payment_method"]
    if "discounts" in params:
        _remove_discounts(ctx, sub)
        sub["discounts"] = subscription_invoices.parse_discounts(
            ctx, sub, params["discounts"], "discounts"
        )


def _trial_end_now(ctx: Context, sub: JSON, before: JSON) -> str | None:
    """``trial_end=now`` on a trialing subscription. Ending the trial early is a trial end like
    the clock's: with no way to pay, the subscription pauses or cancels as ``trial_settings``
    say rather than going past due (Stripe documents the setting for "when the trial ends";
    that an early end follows it too is our reading, not a documented statement). Returns
    ``"now"`` when the change still has to bill, None when the trial end was handled here."""
    now = ctx.now()
    sub["trial_end"] = now
    if cancellation.trial_ends_without_payment_method(ctx, sub, now):
        if sub["status"] != "canceled":
            subscription_state.set_periods(ctx, sub, subscription_state.current_period(sub)[0], now)
        return None
    sub["trial_end"] = before["trial_end"]
    return "now"


@operation("PostSubscriptionsSubscriptionExposedId")
def update(ctx: Context, params: JSON, subscription_exposed_id: str) -> JSON:
    sub = ctx.fetch("subscription", subscription_exposed_id, param="subscription_exposed_id")
    before = snapshot(sub)
    payment_behavior = params.get("payment_behavior", "allow_incomplete")
    _refuse_update(sub, params, payment_behavior)
    subscription_state.embed_items(ctx, sub)
    _apply_settings(ctx, sub, params)
    if params.get("add_invoice_items"):
        subscription_invoices.add_invoice_items(ctx, sub, params["add_invoice_items"])
    reset_anchor = (params.get("billing_cycle_anchor") or {}).get("type") == "now"
    trial_end = params.get("trial_end")
    if trial_end == "now":
        # No trial to end: Stripe accepts it and changes nothing.
        trial_end = _trial_end_now(ctx, sub, before) if sub["status"] == "trialing" else None
        if sub["status"] == "canceled":
            return sub
    if "items" in params or reset_anchor or trial_end is not None or params.get("trial_from_plan"):
        changes.reprice(
            ctx,
            sub,
            list(params.get("items") or []),
            prefix="items",
            behavior=params.get("proration_behavior", "create_prorations"),
            proration_date=params.get("proration_date"),
            payment_behavior=payment_behavior,
            reset_anchor=reset_anchor,
            trial_end=trial_end,
            trial_from_plan=bool(params.get("trial_from_plan")),
        )
    cancellation.apply_cancel_params(ctx, sub, params)
    subscription_state.finish_change(ctx, sub, before)
    return sub


@operation("DeleteSubscriptionsSubscriptionExposedIdDiscount")
def delete_discount(ctx: Context, params: JSON, subscription_exposed_id: str) -> JSON:
    sub = ctx.fetch("subscription", subscription_exposed_id, param="subscription_exposed_id")
    ids = list(sub.get("discounts") or [])
    if not ids:
        raise no_such("discount", f"for subscription {sub['id']}", param="subscription_exposed_id")
    before = snapshot(sub)
    _remove_discounts(ctx, sub)
    subscription_state.finish_change(ctx, sub, before)
    # The spec's deleted_discount carries only these three fields.
    return {"id": ids[0], "object": "discount", "deleted": True}


@operation("PostSubscriptionsSubscriptionMigrate")
def migrate(ctx: Context, params: JSON, subscription: str) -> JSON:
    sub = ctx.fetch("subscription", subscription, param="subscription")
    subscription_state.refuse_if_ended(sub)
    if sub["billing_mode"]["type"] == "flexible":
        raise invalid(
            "The subscription already uses billing_mode `flexible`.", param="billing_mode[type]"
        )
    before = snapshot(sub)
    flexible = params["billing_mode"].get("flexible") or {}
    sub["billing_mode"] = {
        "flexible": {"proration_discounts": flexible.get("proration_discounts", "included")},
        "type": "flexible",
        "updated_at": ctx.now(),
    }
    subscription_state.finish_change(ctx, sub, before)
    return sub


# -- pause and resume ---------------------------------------------------------------------


@operation("PostSubscriptionsSubscriptionPause")
def pause(ctx: Context, params: JSON, subscription: str) -> JSON:
    sub = ctx.fetch("subscription", subscription, param="subscription")
    if sub["status"] not in ("active", "trialing", "past_due", "unpaid"):
        raise invalid(f"A subscription with status `{sub['status']}` cannot be paused.")
    if sub["billing_mode"]["type"] != "flexible":
        raise invalid(
            "Pausing a subscription requires billing_mode `flexible`; migrate it first.",
        )
    before = snapshot(sub)
    subscription_state.embed_items(ctx, sub)
    now = ctx.now()
    start, end = subscription_state.current_period(sub)
    unused = ((params.get("bill_for") or {}).get("unused_time_from") or {}).get("type", "none")
    if unused != "none" and sub["status"] != "trialing":
        since = now if unused == "now" else start
        credits = [
            prorations.ItemChange(
                i["id"],
                i["price"],
                subscription_items.quantity_of(i),
                catalog.amount_for(i["price"], subscription_items.quantity_of(i)),
                None,
                0,
                0,
            )
            for i in sub["items"]["data"]
        ]
        lines = prorations.lines_for(ctx, credits, period_start=start, period_end=end, at=since)
        invoice_items.create_pending_items(ctx, sub, lines)
        if lines and params.get("invoicing_behavior", "invoice") == "invoice":
            subscription_invoices.bill(
                ctx, sub, reason="subscription_update", lines=[], period_start=now, period_end=now
            )
    subscription_state.mark_paused(sub, "pause_requested", now)
    ctx.save(sub, due=subscription_state.next_due(sub))
    ctx.emit("customer.subscription.paused", sub)
    previous = changed(before, sub)
    if previous:
        ctx.emit("customer.subscription.updated", sub, previous)
    return sub


@operation("PostSubscriptionsSubscriptionResume")
def resume(ctx: Context, params: JSON, subscription: str) -> JSON:
    sub = ctx.fetch("subscription", subscription, param="subscription")
    if sub["status"] != "paused":
        raise invalid(
            "Only a subscription with status `paused` can be resumed.",
        )
    before = snapshot(sub)
    subscription_state.embed_items(ctx, sub)
    now = ctx.now()
    behavior = params.get("proration_behavior", "create_prorations")
    anchor_type = (params.get("billing_cycle_anchor") or {}).get("type", "now")
    interval, count = periods.interval_of(sub["items"]["data"][0]["price"])
    if anchor_type == "now":
        end = periods.add_interval(now, interval, count)
        sub["billing_cycle_anchor"] = now
        subscription_state.set_periods(ctx, sub, now, end)
        lines = subscription_invoices.cycle_lines(ctx, sub, now, end)
    else:
        start, end = periods.period_containing(sub["billing_cycle_anchor"], interval, count, now)
        subscription_state.set_periods(ctx, sub, start, end)
        lines = []
        if behavior != "none":
            at = params.get("proration_date", now)
            charges = [
                prorations.ItemChange(
                    i["id"],
                    None,
                    0,
                    0,
                    i["price"],
                    subscription_items.quantity_of(i),
                    catalog.amount_for(i["price"], subscription_items.quantity_of(i)),
                )
                for i in sub["items"]["data"]
            ]
            invoice_items.create_pending_items(
                ctx,
                sub,
                prorations.lines_for(ctx, charges, period_start=start, period_end=end, at=at),
            )
    sub["status"] = "active"
    sub["status_details"] = None
    if lines or behavior == "always_invoice":
        start, _ = subscription_state.current_period(sub)
        invoice = subscription_invoices.bill(
            ctx, sub, reason="subscription_update", lines=lines, period_start=now, period_end=now
        )
        if (
            not subscription_state.is_paid(invoice)
            and sub["collection_method"] == "charge_automatically"
        ):
            if params.get("payment_behavior") == "resume_on_payment_success":
                sub["status"] = "paused"
                sub["status_details"] = before.get("status_details")
            else:
                sub["status"] = "past_due"
    ctx.save(sub, due=subscription_state.next_due(sub))
    if sub["status"] != "paused":
        ctx.emit("customer.subscription.resumed", sub)
    previous = changed(before, sub)
    if previous:
        ctx.emit("customer.subscription.updated", sub, previous)
    return sub


# -- the next moment the clock must act ----------------------------------------------------
