"""A subscription as stored, and the small facts the rest of its life reads and writes.

The object's shape (``new_subscription``), its items embedded in it, its current period, its
status after a payment (``settle``), what the clock must do next (``due_steps``/``next_due``),
and the checks every change shares (``check_compatible``, ``future_moment``,
``refuse_if_ended``).
"""

from __future__ import annotations

from console.sandbox.billing import periods, subscription_items
from console.sandbox.facts.errors import invalid
from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context, changed

ENDED = ("canceled", "incomplete_expired")


INCOMPLETE_WINDOW = 23 * 3600


TRIAL_NOTICE = 3 * 86_400


def new_subscription(sub_id: str, customer_id: str, now: int) -> JSON:
    return {
        "id": sub_id,
        "object": "subscription",
        "application": None,
        "application_fee_percent": None,
        "automatic_tax": {"disabled_reason": None, "enabled": False, "liability": None},
        "billing_cycle_anchor": now,
        "billing_cycle_anchor_config": None,
        "billing_mode": {
            "flexible": {"proration_discounts": "included"},
            "type": "flexible",
            "updated_at": now,
        },
        "billing_schedules": [],
        "billing_thresholds": None,
        "cancel_at": None,
        "cancel_at_period_end": False,
        "canceled_at": None,
        "cancellation_details": {"comment": None, "feedback": None, "reason": None},
        "collection_method": "charge_automatically",
        "created": now,
        "currency": "usd",
        "customer": customer_id,
        "customer_account": None,
        "days_until_due": None,
        "default_payment_method": None,
        "default_source": None,
        "default_tax_rates": [],
        "description": None,
        "discounts": [],
        "ended_at": None,
        "invoice_settings": {
            "account_tax_ids": None,
            "custom_fields": None,
            "description": None,
            "footer": None,
            "issuer": {"type": "self"},
        },
        "items": {
            "object": "list",
            "data": [],
            "has_more": False,
            "url": f"/v1/subscription_items?subscription={sub_id}",
        },
        "latest_invoice": None,
        "livemode": False,
        "metadata": {},
        "next_pending_invoice_item_invoice": None,
        "on_behalf_of": None,
        "pause_collection": None,
        "payment_settings": {
            "payment_method_options": None,
            "payment_method_types": None,
            "save_default_payment_method": "off",
        },
        "pending_invoice_item_interval": None,
        "pending_setup_intent": None,
        "pending_update": None,
        "schedule": None,
        "start_date": now,
        "status": "incomplete",
        "status_details": None,
        "test_clock": None,
        "transfer_data": None,
        "trial_end": None,
        "trial_settings": {"end_behavior": {"missing_payment_method": "create_invoice"}},
        "trial_start": None,
    }


def embed_items(ctx: Context, sub: JSON) -> list[JSON]:
    found = subscription_items.items_of(ctx, sub["id"])
    sub["items"] = {
        "object": "list",
        "data": found,
        "has_more": False,
        "url": f"/v1/subscription_items?subscription={sub['id']}",
    }
    return found


def current_period(sub: JSON) -> tuple[int, int]:
    data = sub["items"]["data"]
    if not data:
        return sub["start_date"], sub["start_date"]
    return int(data[0]["current_period_start"]), int(data[0]["current_period_end"])


def set_periods(ctx: Context, sub: JSON, start: int, end: int) -> None:
    for item in subscription_items.items_of(ctx, sub["id"]):
        item["current_period_start"] = start
        item["current_period_end"] = end
        ctx.save(item)
    embed_items(ctx, sub)


def mark_paused(sub: JSON, why: str, at: int) -> None:
    """Status ``paused``, with Stripe's ``status_details`` saying why and since when."""
    sub["status"] = "paused"
    sub["status_details"] = {
        "paused": {"subscription": {"type": why}, "transitioned_at": at, "type": "subscription"}
    }


def is_paid(invoice: JSON) -> bool:
    return invoice.get("status") == "paid"


def settle(sub: JSON, invoice: JSON, failure: str) -> None:
    """The subscription's status after an invoice was (or was not) paid."""
    if is_paid(invoice) or sub["collection_method"] == "send_invoice":
        sub["status"] = "active"
    elif invoice.get("status") == "open":
        sub["status"] = failure
    elif invoice.get("status") in ("draft", "void", "uncollectible"):
        sub["status"] = "active" if sub["status"] in ("trialing", "incomplete") else sub["status"]


def check_compatible(prices: list[JSON], currency: str | None, param: str) -> None:
    if len({p["currency"] for p in prices} | ({currency} if currency else set())) > 1:
        raise invalid(
            "Currency and interval fields must match across all plans on this subscription. "
            "Found mismatch in currency field.",
            param=param,
        )
    if len({periods.interval_of(p) for p in prices}) > 1:
        raise invalid(
            "Currency and interval fields must match across all plans on this subscription. "
            "Found mismatch in interval field.",
            param=param,
        )
    seen: set[str] = set()
    for price in prices:
        if price["id"] in seen:
            raise invalid(
                f"Cannot add multiple subscription items with the same price: {price['id']}",
                param=param,
            )
        seen.add(price["id"])


def future_moment(ctx: Context, value: int, param: str) -> int:
    if value <= ctx.now():
        raise invalid(
            "Invalid timestamp: must be an integer Unix timestamp in the future.", param=param
        )
    return value


def restore_items(ctx: Context, sub: JSON, saved_items: list[JSON]) -> None:
    """Put the items back as they were (a pending update waits for its payment)."""
    saved_ids = {i["id"] for i in saved_items}
    for item in subscription_items.items_of(ctx, sub["id"]):
        if item["id"] not in saved_ids:
            ctx.store.remove(item["id"])
    for item in saved_items:
        if ctx.find(item["id"]) is None:
            ctx.insert(item, parent=sub["id"])
        else:
            ctx.save(item)
    embed_items(ctx, sub)


def refuse_if_ended(sub: JSON) -> None:
    if sub["status"] in ENDED:
        raise invalid(
            "A canceled subscription can only update its cancellation_details and metadata.",
        )


def finish_change(ctx: Context, sub: JSON, before: JSON) -> None:
    embed_items(ctx, sub)
    ctx.save(sub, due=next_due(sub))
    previous = changed(before, sub)
    if previous:
        ctx.emit("customer.subscription.updated", sub, previous)


def due_steps(sub: JSON) -> list[tuple[int, int, str]]:
    """(moment, priority, kind) of everything the clock will have to do for ``sub``."""
    status = sub["status"]
    if status in ENDED:
        return []
    found: list[tuple[int, int, str]] = []
    if status == "trialing" and sub.get("trial_end") is not None:
        notice = max(sub["trial_end"] - TRIAL_NOTICE, sub["created"])
        if sub.get("_trial_notice") != sub["trial_end"]:
            found.append((notice, 0, "trial_will_end"))
        found.append((sub["trial_end"], 5, "trial_end"))
    if sub.get("pending_update"):
        found.append((sub["pending_update"]["expires_at"], 1, "pending_update_expired"))
    pause = sub.get("pause_collection")
    if pause and pause.get("resumes_at"):
        found.append((pause["resumes_at"], 2, "resume_collection"))
    if status == "incomplete":
        found.append((sub["created"] + INCOMPLETE_WINDOW, 3, "incomplete_expired"))
    if sub.get("_schedule_next") is not None:
        found.append((sub["_schedule_next"], -1, "phase"))
    if sub.get("cancel_at") is not None and status != "incomplete":
        found.append((sub["cancel_at"], 4, "cancel_at"))
    overdue = sub.get("_invoice_due")
    if overdue and status == "active":
        found.append((overdue["at"], 2, "invoice_overdue"))
    data = sub["items"]["data"]
    if status in ("active", "past_due", "unpaid") and data:
        found.append((int(data[0]["current_period_end"]), 6, "period_end"))
    return sorted(found)


def next_due(sub: JSON) -> int | None:
    steps = due_steps(sub)
    return steps[0][0] if steps else None
