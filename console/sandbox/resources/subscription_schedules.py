"""Subscription schedules: phases that change a subscription's items at set moments.

A schedule is stored with ``parent=<customer id>``. Before it starts it waits on
its own ``due`` column (its start date), then creates the subscription of its
first phase. From then on the subscription drives it: the subscription keeps
the moment of the next phase boundary in ``_schedule_next``, and its due handler
calls :func:`advance_phase` at that moment, before any renewal due at the same
instant, so the period that starts there is billed at the new phase's prices.
"""

from __future__ import annotations

from typing import Any

from console.sandbox.billing import (
    cancellation,
    catalog,
    changes,
    lifecycle,
    periods,
    schedules,
    subscription_items,
    subscription_state,
)
from console.sandbox.facts.errors import invalid, missing_param
from console.sandbox.facts.fields import metadata, unset
from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context, changed, snapshot
from console.sandbox.state.listing import in_range, list_objects
from console.sandbox.state.registry import operation

MAX_PHASES = 10


def _default_settings() -> JSON:
    return {
        "application_fee_percent": None,
        "automatic_tax": {"disabled_reason": None, "enabled": False, "liability": None},
        "billing_cycle_anchor": "automatic",
        "billing_thresholds": None,
        "collection_method": "charge_automatically",
        "default_payment_method": None,
        "description": None,
        "invoice_settings": {
            "account_tax_ids": None,
            "custom_fields": None,
            "days_until_due": None,
            "description": None,
            "footer": None,
            "issuer": {"type": "self"},
        },
        "on_behalf_of": None,
        "transfer_data": None,
    }


def new_schedule(schedule_id: str, customer_id: str, now: int) -> JSON:
    return {
        "id": schedule_id,
        "object": "subscription_schedule",
        "application": None,
        "billing_mode": {
            "flexible": {"proration_discounts": "included"},
            "type": "flexible",
            "updated_at": now,
        },
        "canceled_at": None,
        "completed_at": None,
        "created": now,
        "current_phase": None,
        "customer": customer_id,
        "customer_account": None,
        "default_settings": _default_settings(),
        "end_behavior": "release",
        "livemode": False,
        "metadata": {},
        "pause_schedules": [],
        "phases": [],
        "released_at": None,
        "released_subscription": None,
        "status": "not_started",
        "subscription": None,
        "test_clock": None,
    }


def _phase_item(price: JSON, quantity: int | None, meta: JSON) -> JSON:
    item: JSON = {
        "billing_thresholds": None,
        "discounts": [],
        "metadata": meta,
        "plan": price["id"],
        "price": price["id"],
        "tax_rates": [],
    }
    if quantity is not None:
        item["quantity"] = quantity
    return item


def _new_phase(start: int, end: int, currency: str, items: list[JSON]) -> JSON:
    return {
        "add_invoice_items": [],
        "application_fee_percent": None,
        "automatic_tax": None,
        "billing_cycle_anchor": None,
        "billing_thresholds": None,
        "collection_method": None,
        "currency": currency,
        "default_payment_method": None,
        "default_tax_rates": [],
        "description": None,
        "discounts": [],
        "end_date": end,
        "invoice_settings": None,
        "items": items,
        "metadata": {},
        "on_behalf_of": None,
        "proration_behavior": "create_prorations",
        "start_date": start,
        "transfer_data": None,
        "trial_end": None,
    }


def _phase_items(ctx: Context, raw: JSON, where: str) -> tuple[list[JSON], list[JSON]]:
    """A phase's ``items[]``: each price looked up (or made) and quantity checked."""
    entries = raw.get("items") or []
    if not entries:
        raise missing_param(f"{where}[items]")
    items: list[JSON] = []
    prices: list[JSON] = []
    for position, entry in enumerate(entries):
        item_where = f"{where}[items][{position}]"
        price = subscription_items.resolve_price(ctx, entry, item_where)
        assert price is not None
        quantity = subscription_items.check_quantity(price, entry, item_where)
        meta = metadata({}, entry.get("metadata"), param=f"{item_where}[metadata]")
        items.append(_phase_item(price, quantity, meta))
        prices.append(price)
    return items, prices


def _phase_end(ctx: Context, raw: JSON, where: str, cursor: int, first_price: JSON) -> int:
    """Where a phase ends: its ``end_date``, its ``duration``, or one interval of its price."""
    if "end_date" in raw and "duration" in raw:
        raise invalid(
            "You may only specify one of these parameters: duration, end_date.",
            param=f"{where}[end_date]",
        )
    end = raw.get("end_date")
    if end == "now":
        end = ctx.now()
    if isinstance(end, int):
        if end <= cursor:
            raise invalid(
                "The phase's end_date must be after its start_date.", param=f"{where}[end_date]"
            )
        return end
    duration = raw.get("duration")
    if duration:
        return periods.add_interval(cursor, duration["interval"], duration.get("interval_count", 1))
    return periods.add_interval(cursor, *periods.interval_of(first_price))


def _phase_settings(phase: JSON, raw: JSON, where: str, end: int) -> None:
    phase["proration_behavior"] = raw.get("proration_behavior", "create_prorations")
    for key in ("collection_method", "default_payment_method", "description"):
        if key in raw:
            phase[key] = unset(raw[key])
    if raw.get("metadata"):
        phase["metadata"] = metadata({}, raw["metadata"], param=f"{where}[metadata]")
    if isinstance(raw.get("trial_end"), int):
        phase["trial_end"] = raw["trial_end"]
    elif raw.get("trial"):
        phase["trial_end"] = end


def _phase_start(raw: JSON, index: int, where: str, cursor: int, keep_first: JSON | None) -> int:
    """Phases run back to back; the current phase of a live schedule keeps its start."""
    if index == 0 and keep_first is not None:
        wanted = raw.get("start_date")
        if wanted not in (None, "now") and wanted != keep_first["start_date"]:
            raise invalid(
                "You cannot change the start date of the current phase.",
                param=f"{where}[start_date]",
            )
        return int(keep_first["start_date"])
    if isinstance(raw.get("start_date"), int) and index > 0 and raw["start_date"] != cursor:
        raise invalid(
            "Each phase must start when the previous one ends.", param=f"{where}[start_date]"
        )
    return cursor


def _phases(
    ctx: Context, customer_id: str, given: list[JSON], start: int, *, keep_first: JSON | None
) -> list[JSON]:
    """Phases from ``phases[]`` params, back to back from ``start``."""
    if not given:
        raise missing_param("phases")
    if len(given) > MAX_PHASES:
        raise invalid(f"A schedule can have at most {MAX_PHASES} phases.", param="phases")
    made: list[JSON] = []
    cursor = start
    currency: str | None = None
    for index, raw in enumerate(given):
        where = f"phases[{index}]"
        cursor = _phase_start(raw, index, where, cursor, keep_first)
        items, prices = _phase_items(ctx, raw, where)
        subscription_state.check_compatible(prices, currency, f"{where}[items]")
        currency = prices[0]["currency"]
        end = _phase_end(ctx, raw, where, cursor, prices[0])
        phase = _new_phase(cursor, end, currency, items)
        _phase_settings(phase, raw, where, end)
        made.append(phase)
        cursor = end
    return made


def _current(schedule: JSON, moment: int) -> int | None:
    for index, phase in enumerate(schedule["phases"]):
        if phase["start_date"] <= moment < phase["end_date"]:
            return index
    return None


# -- handlers ---------------------------------------------------------------------------


@operation("PostSubscriptionSchedules")
def create(ctx: Context, params: JSON) -> JSON:
    now = ctx.now()
    if params.get("from_subscription"):
        extra = sorted(set(params) - {"from_subscription", "expand", "metadata"})
        if extra:
            raise invalid(
                "You cannot set `from_subscription` together with other parameters; create the "
                "schedule from the subscription first, then update it.",
                param=extra[0],
            )
        return _from_subscription(ctx, params)
    if not params.get("customer"):
        raise missing_param("customer")
    customer = ctx.fetch("customer", params["customer"], param="customer")
    schedule = new_schedule(ctx.new_id("sub_sched", 24), customer["id"], now)
    start_param = params.get("start_date", "now")
    start = now if start_param == "now" else int(start_param)
    schedule["phases"] = _phases(
        ctx, customer["id"], params.get("phases") or [], start, keep_first=None
    )
    _settings(ctx, schedule, params.get("default_settings"), customer["id"])
    if "end_behavior" in params:
        schedule["end_behavior"] = params["end_behavior"]
    if "metadata" in params:
        schedule["metadata"] = metadata({}, params["metadata"])
    if params.get("billing_mode"):
        mode = params["billing_mode"]
        schedule["billing_mode"] = {
            "flexible": {"proration_discounts": "included"} if mode["type"] == "flexible" else None,
            "type": mode["type"],
            "updated_at": now if mode["type"] == "flexible" else None,
        }
    ctx.insert(schedule, parent=customer["id"])
    if start <= now:
        schedules.start_schedule(ctx, schedule)
        ctx.save(schedule, due=None)
    else:
        ctx.save(schedule, due=start)
    ctx.emit("subscription_schedule.created", schedule)
    return schedule


def _settings(ctx: Context, schedule: JSON, value: Any, customer_id: str) -> None:
    if not value:
        return
    settings = schedule["default_settings"]
    if "collection_method" in value:
        settings["collection_method"] = value["collection_method"]
    if "billing_cycle_anchor" in value:
        settings["billing_cycle_anchor"] = value["billing_cycle_anchor"]
    if "description" in value:
        settings["description"] = unset(value["description"])
    if value.get("default_payment_method"):
        lifecycle.check_payment_method(
            ctx,
            customer_id,
            value["default_payment_method"],
            "default_settings[default_payment_method]",
        )
        settings["default_payment_method"] = value["default_payment_method"]
    invoice_settings = value.get("invoice_settings")
    if invoice_settings and "days_until_due" in invoice_settings:
        settings["invoice_settings"]["days_until_due"] = invoice_settings["days_until_due"]


def _from_subscription(ctx: Context, params: JSON) -> JSON:

    sub = ctx.fetch("subscription", params["from_subscription"], param="from_subscription")
    if sub["status"] in subscription_state.ENDED:
        raise invalid(
            "You cannot attach a schedule to a canceled subscription.",
            param="from_subscription",
        )
    if sub.get("schedule"):
        raise invalid(
            f"You cannot migrate a subscription that is already attached to a schedule: "
            f"`{sub['schedule']}`.",
            param="from_subscription",
        )
    now = ctx.now()
    before = snapshot(sub)
    items = subscription_items.items_of(ctx, sub["id"])
    start = int(items[0]["current_period_start"])
    end = int(items[0]["current_period_end"])
    schedule = new_schedule(ctx.new_id("sub_sched", 24), sub["customer"], now)
    phase = _new_phase(
        start,
        end,
        sub["currency"],
        [
            _phase_item(
                i["price"],
                None if catalog.is_metered(i["price"]) else subscription_items.quantity_of(i),
                dict(i.get("metadata") or {}),
            )
            for i in items
        ],
    )
    if sub["status"] == "trialing" and sub.get("trial_end"):
        phase["trial_end"] = sub["trial_end"]
    phase["collection_method"] = sub["collection_method"]
    phase["default_payment_method"] = sub.get("default_payment_method")
    schedule["phases"] = [phase]
    schedule["billing_mode"] = dict(sub["billing_mode"])
    schedule["default_settings"]["collection_method"] = sub["collection_method"]
    schedule["default_settings"]["default_payment_method"] = sub.get("default_payment_method")
    schedule["status"] = "active"
    schedule["subscription"] = sub["id"]
    if "metadata" in params:
        schedule["metadata"] = metadata({}, params["metadata"])
    schedules.set_current_phase(schedule, 0)
    ctx.insert(schedule, parent=sub["customer"])
    sub["schedule"] = schedule["id"]
    schedules.sync_subscription(ctx, schedule, sub)
    ctx.save(sub, due=subscription_state.next_due(sub))
    ctx.emit("subscription_schedule.created", schedule)
    ctx.emit("customer.subscription.updated", sub, changed(before, sub))
    return schedule


@operation("GetSubscriptionSchedulesSchedule")
def retrieve(ctx: Context, params: JSON, schedule: str) -> JSON:
    return ctx.fetch("subscription_schedule", schedule, param="schedule")


def _refuse_unless_live(schedule: JSON, action: str) -> None:
    if schedule["status"] not in schedules.LIVE:
        raise invalid(
            f"You cannot {action} a subscription schedule with status `{schedule['status']}`; "
            "only `not_started` and `active` schedules can change.",
        )


@operation("PostSubscriptionSchedulesSchedule")
def update(ctx: Context, params: JSON, schedule: str) -> JSON:

    found = ctx.fetch("subscription_schedule", schedule, param="schedule")
    _refuse_unless_live(found, "update")
    before = snapshot(found)
    now = ctx.now()
    if "end_behavior" in params:
        found["end_behavior"] = params["end_behavior"]
    if "metadata" in params:
        found["metadata"] = metadata(found.get("metadata"), params["metadata"])
    _settings(ctx, found, params.get("default_settings"), found["customer"])
    if "phases" in params:
        active = found["status"] == "active"
        index = _current(found, now) if active else None
        keep = found["phases"][index] if index is not None else None
        first = params["phases"][0] if params["phases"] else {}
        start_param = first.get("start_date", "now")
        start = (
            keep["start_date"]
            if keep is not None
            else (now if start_param == "now" else int(start_param))
        )
        old_items = keep["items"] if keep is not None else None
        found["phases"] = _phases(
            ctx, found["customer"], list(params["phases"]), start, keep_first=keep
        )
        if active:
            schedules.set_current_phase(found, 0)
            sub = ctx.fetch("subscription", found["subscription"], param="schedule")
            sub_before = snapshot(sub)
            new_items = found["phases"][0]["items"]
            if old_items != new_items:
                changes.apply_phase_items(
                    ctx,
                    sub,
                    new_items,
                    behavior=params.get("proration_behavior", "create_prorations"),
                    moment=now,
                )
            schedules.sync_subscription(ctx, found, sub)
            ctx.save(sub, due=subscription_state.next_due(sub))
            sub_previous = changed(sub_before, sub)
            if sub_previous:
                ctx.emit("customer.subscription.updated", sub, sub_previous)
        else:
            ctx.save(found, due=found["phases"][0]["start_date"])
    ctx.save(found)
    previous = changed(before, found)
    if previous:
        ctx.emit("subscription_schedule.updated", found, previous)
    return found


@operation("GetSubscriptionSchedules")
def list_schedules(ctx: Context, params: JSON) -> JSON:

    def keep(schedule: JSON) -> bool:
        if params.get("scheduled") and schedule["status"] != "not_started":
            return False
        for key in ("canceled_at", "completed_at", "released_at"):
            bound = params.get(key)
            if bound not in (None, ""):
                value = schedule.get(key)
                if value is None or not in_range(value, bound):
                    return False
        return True

    parent = None
    if params.get("customer"):
        parent = ctx.fetch("customer", params["customer"], param="customer")["id"]
    return list_objects(
        ctx,
        params,
        object_type="subscription_schedule",
        url="/v1/subscription_schedules",
        parent=parent,
        predicate=keep,
    )


def _detach(ctx: Context, schedule: JSON, *, event: str | None) -> JSON | None:
    """The schedule lets go of its subscription (``schedule`` back to null)."""
    sub = ctx.find(str(schedule.get("subscription") or ""))
    if sub is None:
        return None

    before = snapshot(sub)
    sub["schedule"] = None
    sub["_schedule_next"] = None
    ctx.save(sub, due=subscription_state.next_due(sub))
    if event:
        ctx.emit(event, sub, changed(before, sub))
    return sub


@operation("PostSubscriptionSchedulesScheduleRelease")
def release(ctx: Context, params: JSON, schedule: str) -> JSON:
    found = ctx.fetch("subscription_schedule", schedule, param="schedule")
    _refuse_unless_live(found, "release")
    before = snapshot(found)
    sub_id = found.get("subscription")
    _detach(ctx, found, event="customer.subscription.updated")
    found["status"] = "released"
    found["released_at"] = ctx.now()
    found["released_subscription"] = sub_id
    found["subscription"] = None
    found["current_phase"] = None
    ctx.save(found, due=None)
    ctx.emit("subscription_schedule.released", found, changed(before, found))
    return found


@operation("PostSubscriptionSchedulesScheduleCancel")
def cancel(ctx: Context, params: JSON, schedule: str) -> JSON:

    found = ctx.fetch("subscription_schedule", schedule, param="schedule")
    _refuse_unless_live(found, "cancel")
    before = snapshot(found)
    found["status"] = "canceled"
    found["canceled_at"] = ctx.now()
    found["current_phase"] = None
    ctx.save(found, due=None)
    sub = ctx.find(str(found.get("subscription") or ""))
    if sub is not None and sub["status"] not in subscription_state.ENDED:
        cancellation.cancel_now(
            ctx,
            sub,
            invoice_now=params.get("invoice_now", True),
            prorate=params.get("prorate", True),
        )
    ctx.emit("subscription_schedule.canceled", found, changed(before, found))
    return found


# -- the clock and the subscription ----------------------------------------------------
