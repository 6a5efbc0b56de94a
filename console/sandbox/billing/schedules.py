"""Subscription schedules: phases that change a subscription's items at set moments.

``start_schedule`` creates the subscription of the first phase; ``advance_phase`` moves to the
next phase when the clock reaches it (or ends or releases the schedule after the last).
``subscription_ended`` listens for a subscription that ended outside its schedule.
"""

from __future__ import annotations

from console.sandbox.billing import cancellation, changes, lifecycle, subscription_state
from console.sandbox.billing.listeners import listens
from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context, changed, snapshot

LIVE = ("not_started", "active")


def set_current_phase(schedule: JSON, index: int | None) -> None:
    if index is None:
        schedule["current_phase"] = None
        return
    phase = schedule["phases"][index]
    schedule["current_phase"] = {"end_date": phase["end_date"], "start_date": phase["start_date"]}


def sync_subscription(ctx: Context, schedule: JSON, sub: JSON) -> None:
    """Tell the subscription when the schedule next needs it (the current phase's end)."""
    current = schedule.get("current_phase")
    sub["_schedule_next"] = (
        current["end_date"] if current and schedule["status"] == "active" else None
    )


def _subscription_params(schedule: JSON, phase: JSON) -> JSON:
    settings = schedule["default_settings"]
    params: JSON = {
        "customer": schedule["customer"],
        "items": [
            {k: item[k] for k in ("price", "quantity", "metadata") if k in item}
            for item in phase["items"]
        ],
        "collection_method": phase.get("collection_method") or settings["collection_method"],
        "proration_behavior": phase["proration_behavior"],
    }
    if params["collection_method"] == "send_invoice":
        params["days_until_due"] = (settings.get("invoice_settings") or {}).get(
            "days_until_due"
        ) or 30
    pm = phase.get("default_payment_method") or settings.get("default_payment_method")
    if pm:
        params["default_payment_method"] = pm
    description = phase.get("description") or settings.get("description")
    if description:
        params["description"] = description
    if phase.get("trial_end") and phase["trial_end"] > phase["start_date"]:
        params["trial_end"] = phase["trial_end"]
    if phase.get("metadata"):
        params["metadata"] = phase["metadata"]
    return params


def start_schedule(ctx: Context, schedule: JSON) -> None:
    """The first phase begins: create its subscription, attached to the schedule."""

    phase = schedule["phases"][0]
    params = _subscription_params(schedule, phase)
    if phase["start_date"] < ctx.now():
        params["backdate_start_date"] = phase["start_date"]
    sub = lifecycle.create_subscription(ctx, params, schedule=schedule["id"])
    schedule["status"] = "active"
    schedule["subscription"] = sub["id"]
    set_current_phase(schedule, 0)
    sync_subscription(ctx, schedule, sub)
    ctx.save(sub, due=subscription_state.next_due(sub))


def advance_phase(ctx: Context, sub: JSON, moment: int) -> None:
    """The subscription's current phase ends at ``moment``: next phase, or the schedule ends."""

    schedule = ctx.find(str(sub.get("schedule") or ""))
    if schedule is None or schedule["status"] != "active":
        sub["_schedule_next"] = None
        return
    before = snapshot(schedule)
    index = next((i for i, p in enumerate(schedule["phases"]) if p["start_date"] == moment), None)
    if index is not None:
        phase = schedule["phases"][index]
        changes.apply_phase_items(
            ctx, sub, phase["items"], behavior=phase["proration_behavior"], moment=moment
        )
        if phase.get("collection_method"):
            sub["collection_method"] = phase["collection_method"]
        if phase.get("default_payment_method"):
            sub["default_payment_method"] = phase["default_payment_method"]
        if phase.get("metadata"):
            sub["metadata"] = {**sub.get("metadata", {}), **phase["metadata"]}
        set_current_phase(schedule, index)
        sync_subscription(ctx, schedule, sub)
        ctx.save(schedule)
        ctx.emit("subscription_schedule.updated", schedule, changed(before, schedule))
        return
    # The last phase is over.
    schedule["status"] = "completed"
    schedule["completed_at"] = moment
    schedule["current_phase"] = None
    sub["_schedule_next"] = None
    if schedule["end_behavior"] == "cancel":
        ctx.save(schedule)
        cancellation.cancel_now(ctx, sub, ended_at=moment)
    else:
        schedule["released_at"] = moment
        schedule["released_subscription"] = sub["id"]
        sub["schedule"] = None
        ctx.save(schedule)
    ctx.emit("subscription_schedule.completed", schedule, changed(before, schedule))


@listens("subscription.ended")
def subscription_ended(ctx: Context, sub: JSON) -> None:
    """The subscription was canceled outside the schedule: the schedule is canceled too."""
    schedule = ctx.find(str(sub.get("schedule") or ""))
    if schedule is None or schedule["status"] not in LIVE:
        return
    before = snapshot(schedule)
    schedule["status"] = "canceled"
    schedule["canceled_at"] = ctx.now()
    schedule["current_phase"] = None
    ctx.save(schedule, due=None)
    ctx.emit("subscription_schedule.canceled", schedule, changed(before, schedule))
