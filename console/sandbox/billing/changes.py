"""Changing a subscription's items: ``reprice`` reads the item entries, stores them, and starts
a trial, restarts the billing cycle or prorates within it, as the request and the subscription's
state say; an unpaid change may wait as a pending update. Schedules apply their phases here too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from console.sandbox.billing import (
    catalog,
    invoice_items,
    periods,
    prorations,
    subscription_invoices,
    subscription_items,
    subscription_state,
)
from console.sandbox.facts.errors import invalid, missing_param, no_such
from console.sandbox.facts.fields import metadata
from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context, snapshot


def _param(prefix: str, key: str) -> str:
    return f"{prefix}[{key}]" if prefix else key


@dataclass
class ItemEdit:
    """What a list of item entries does to a subscription's items, before anything is stored."""

    touched: list[JSON]
    removed: list[JSON]
    added: list[JSON]
    final: list[JSON]


def _edit_existing(ctx: Context, item: JSON, entry: JSON, where: str) -> None:
    """An entry with an ``id``: a new price, quantity or metadata on that item (in memory)."""
    price = subscription_items.resolve_price(ctx, entry, where, required=False) or item["price"]
    if "quantity" in entry or catalog.is_metered(price) != catalog.is_metered(item["price"]):
        quantity = subscription_items.check_quantity(price, entry, where)
    else:
        quantity = None if catalog.is_metered(price) else subscription_items.quantity_of(item)
    subscription_items.set_price(item, price, quantity)
    if "metadata" in entry:
        subscription_items.apply_metadata(item, entry["metadata"], _param(where, "metadata"))


def _edit_items(
    ctx: Context, sub: JSON, current: list[JSON], entries: list[JSON], prefix: str
) -> ItemEdit:
    """Read ``items[]`` entries against the current items: which change, go or come, and the
    list that results (checked: at least one, at most ``MAX_ITEMS``, one currency and interval).
    """
    by_id = {i["id"]: i for i in current}
    start, end = subscription_state.current_period(sub)
    edit = ItemEdit(touched=[], removed=[], added=[], final=[])
    for index, entry in enumerate(entries):
        where = f"{prefix}[{index}]" if prefix else ""
        item_id = entry.get("id")
        if item_id:
            item = by_id.get(item_id)
            if item is None:
                raise no_such("subscription item", item_id, param=_param(where, "id"))
            if entry.get("deleted"):
                edit.removed.append(item)
                continue
            _edit_existing(ctx, item, entry, where)
            edit.touched.append(item)
            continue
        if entry.get("deleted"):
            raise missing_param(_param(where, "id"))
        price = subscription_items.resolve_price(ctx, entry, where)
        assert price is not None
        quantity = subscription_items.check_quantity(price, entry, where)
        meta = metadata({}, entry.get("metadata"), param=_param(where, "metadata"))
        edit.added.append(
            subscription_items.new_item(
                ctx, sub["id"], price, quantity, period_start=start, period_end=end, meta=meta
            )
        )
    removed_ids = {i["id"] for i in edit.removed}
    edit.final = [i for i in current if i["id"] not in removed_ids] + edit.added
    if not edit.final:
        raise invalid(
            "A subscription must have at least one item; cancel the subscription instead.",
            param=prefix or "subscription",
        )
    if len(edit.final) > subscription_items.MAX_ITEMS:
        raise invalid(
            f"A subscription can have at most {subscription_items.MAX_ITEMS} items.",
            param=prefix or None,
        )
    subscription_state.check_compatible(
        [i["price"] for i in edit.final], sub["currency"], prefix or "price"
    )
    return edit


def _store_edit(ctx: Context, sub: JSON, edit: ItemEdit) -> None:
    for item in edit.touched:
        ctx.save(item)
    for item in edit.removed:
        ctx.store.remove(item["id"])
    for item in edit.added:
        ctx.insert(item, parent=sub["id"])


def _item_changes(edit: ItemEdit, old: dict[str, tuple[JSON, int]]) -> list[prorations.ItemChange]:
    """Each item's price, quantity and period amount before and after, for the prorations."""
    changes: list[prorations.ItemChange] = []
    for item in edit.final:
        before = old.get(item["id"])
        new_qty = subscription_items.quantity_of(item)
        changes.append(
            prorations.ItemChange(
                item_id=item["id"],
                old_price=before[0] if before else None,
                old_quantity=before[1] if before else 0,
                old_amount=catalog.amount_for(before[0], before[1]) if before else 0,
                new_price=item["price"],
                new_quantity=new_qty,
                new_amount=catalog.amount_for(item["price"], new_qty),
            )
        )
    for item in edit.removed:
        price, qty = old[item["id"]]
        changes.append(
            prorations.ItemChange(
                item["id"], price, qty, catalog.amount_for(price, qty), None, 0, 0
            )
        )
    return changes


def _plan_trial_end(final: list[JSON], now: int) -> int | None:
    """``trial_from_plan``: the longest ``trial_period_days`` of the new prices, from now."""
    days = max(
        int((i["price"].get("recurring") or {}).get("trial_period_days") or 0) for i in final
    )
    return now + days * periods.DAY if days else None


def _start_trial(
    ctx: Context, sub: JSON, trial_end: int, *, start: int, now: int, was_trialing: bool
) -> None:
    subscription_state.future_moment(ctx, trial_end, "trial_end")
    sub["status"] = "trialing"
    if sub.get("trial_start") is None or not was_trialing:
        sub["trial_start"] = now
    sub["trial_end"] = trial_end
    sub["billing_cycle_anchor"] = trial_end
    subscription_state.set_periods(ctx, sub, start if was_trialing else now, trial_end)


def _restart_cycle(
    ctx: Context,
    sub: JSON,
    changes: list[prorations.ItemChange],
    interval: tuple[str, int],
    *,
    period: tuple[int, int],
    now: int,
    at: int,
    credit: bool,
    ending_trial: bool,
    collect: bool,
) -> JSON:
    """A new billing cycle from now (new interval, anchor reset, trial ended): the unused time
    of the old items is credited (unless told not to prorate) and the new period billed."""
    start, end = period
    if credit:
        credits = [
            prorations.ItemChange(c.item_id, c.old_price, c.old_quantity, c.old_amount, None, 0, 0)
            for c in changes
            if c.old_price is not None
        ]
        invoice_items.create_pending_items(
            ctx, sub, prorations.lines_for(ctx, credits, period_start=start, period_end=end, at=at)
        )
    new_end = periods.add_interval(now, *interval)
    sub["billing_cycle_anchor"] = now
    if ending_trial:
        sub["trial_end"] = now
    subscription_state.set_periods(ctx, sub, now, new_end)
    return subscription_invoices.bill(
        ctx,
        sub,
        reason="subscription_update",
        lines=subscription_invoices.cycle_lines(ctx, sub, now, new_end),
        period_start=now,
        period_end=now,
        collect=collect,
    )


def _prorate_in_cycle(
    ctx: Context,
    sub: JSON,
    changes: list[prorations.ItemChange],
    *,
    period: tuple[int, int],
    now: int,
    at: int,
    invoice_now: bool,
    collect: bool,
) -> JSON | None:
    """Within the cycle: prorations become pending items, invoiced at once when asked to."""
    start, end = period
    lines = prorations.lines_for(ctx, changes, period_start=start, period_end=end, at=at)
    invoice_items.create_pending_items(ctx, sub, lines)
    if not (invoice_now and lines):
        return None
    return subscription_invoices.bill(
        ctx,
        sub,
        reason="subscription_update",
        lines=[],
        period_start=now,
        period_end=now,
        collect=collect,
    )


PENDING_FIELDS = ("billing_cycle_anchor", "trial_end", "trial_start", "status")


def _hold_as_pending_update(
    ctx: Context,
    sub: JSON,
    invoice: JSON,
    *,
    saved_items: list[JSON],
    saved_sub: JSON,
    now: int,
) -> None:
    """``pending_if_incomplete`` with an unpaid invoice: the change waits for the payment, and
    the subscription stays as it was until then (or until the update expires)."""
    proposed = [snapshot(i) for i in subscription_items.items_of(ctx, sub["id"])]
    target = {key: sub[key] for key in PENDING_FIELDS}
    subscription_state.restore_items(ctx, sub, saved_items)
    for key in PENDING_FIELDS:
        sub[key] = saved_sub[key]

    def changed_or_none(key: str) -> Any:
        return target[key] if target[key] != saved_sub[key] else None

    sub["pending_update"] = {
        "billing_cycle_anchor": changed_or_none("billing_cycle_anchor"),
        "expires_at": now + subscription_state.INCOMPLETE_WINDOW,
        "subscription_items": proposed,
        "trial_end": changed_or_none("trial_end"),
        "trial_from_plan": None,
    }
    sub["_pending"] = {"invoice": invoice["id"], "items": proposed, "fields": target}


def reprice(
    ctx: Context,
    sub: JSON,
    entries: list[JSON],
    *,
    prefix: str,
    behavior: str,
    proration_date: int | None,
    payment_behavior: str,
    reset_anchor: bool = False,
    trial_end: Any = None,
    trial_from_plan: bool = False,
    moment: int | None = None,
) -> None:
    """Apply item changes (and trial or anchor changes), prorating and invoicing as asked.

    ``moment`` replaces the clock's time when the change belongs to an earlier instant the
    clock just passed (a schedule's phase boundary).
    """
    now = ctx.now() if moment is None else moment
    at = proration_date if proration_date is not None else now
    if proration_date is not None:
        start, end = subscription_state.current_period(sub)
        if not start <= proration_date <= end:
            raise invalid(
                "Cannot specify proration date outside of current subscription period.",
                param="proration_date",
            )
    current = subscription_items.items_of(ctx, sub["id"])
    saved_items = [snapshot(i) for i in current]
    saved_sub = snapshot(sub)
    old = {i["id"]: (snapshot(i["price"]), subscription_items.quantity_of(i)) for i in current}
    period = subscription_state.current_period(sub)
    edit = _edit_items(ctx, sub, current, entries, prefix)
    new_interval = periods.interval_of(edit.final[0]["price"])
    old_interval = periods.interval_of(old[current[0]["id"]][0]) if current else new_interval
    _store_edit(ctx, sub, edit)

    was_trialing = sub["status"] == "trialing"
    ending_trial = was_trialing and trial_end == "now"
    if trial_from_plan and trial_end is None and not was_trialing:
        trial_end = _plan_trial_end(edit.final, now)
    changes = _item_changes(edit, old)
    prorate = not was_trialing and behavior != "none"
    collect = payment_behavior != "default_incomplete"
    invoice: JSON | None = None
    if isinstance(trial_end, int):
        _start_trial(ctx, sub, trial_end, start=period[0], now=now, was_trialing=was_trialing)
    elif reset_anchor or ending_trial or new_interval != old_interval:
        invoice = _restart_cycle(
            ctx, sub, changes, new_interval, period=period, now=now, at=at, credit=prorate,
            ending_trial=ending_trial, collect=collect,
        )  # fmt: skip
    elif prorate:
        invoice = _prorate_in_cycle(
            ctx, sub, changes, period=period, now=now, at=at,
            invoice_now=behavior == "always_invoice", collect=collect,
        )  # fmt: skip
    subscription_state.embed_items(ctx, sub)
    if invoice is None:
        return
    if subscription_state.is_paid(invoice) or sub["collection_method"] == "send_invoice":
        if sub["status"] in ("trialing", "incomplete", "past_due", "unpaid"):
            sub["status"] = "active"
        return
    if payment_behavior == "error_if_incomplete":
        raise subscription_invoices.decline_error(ctx, sub)
    if payment_behavior == "pending_if_incomplete":
        _hold_as_pending_update(
            ctx, sub, invoice, saved_items=saved_items, saved_sub=saved_sub, now=now
        )
        return
    sub["status"] = "past_due"


def apply_phase_items(
    ctx: Context, sub: JSON, phase_items: list[JSON], *, behavior: str, moment: int
) -> None:
    """Make the subscription's items those of a schedule phase starting at ``moment``."""
    current = subscription_items.items_of(ctx, sub["id"])
    by_price = {i["price"]["id"]: i for i in current}
    wanted = {str(e["price"]) for e in phase_items}
    entries: list[JSON] = []
    for entry in phase_items:
        kept = by_price.get(str(entry["price"]))
        change: JSON = {"price": entry["price"]}
        if "quantity" in entry:
            change["quantity"] = entry["quantity"]
        if entry.get("metadata"):
            change["metadata"] = entry["metadata"]
        if kept is not None:
            change["id"] = kept["id"]
        entries.append(change)
    entries.extend(
        {"id": i["id"], "deleted": True} for i in current if i["price"]["id"] not in wanted
    )
    subscription_state.embed_items(ctx, sub)
    reprice(
        ctx,
        sub,
        entries,
        prefix="phases[0][items]",
        behavior=behavior,
        proration_date=moment,
        payment_behavior="allow_incomplete",
        moment=moment,
    )
    subscription_state.embed_items(ctx, sub)


def change_items(
    ctx: Context,
    subscription: JSON,
    entries: list[JSON],
    options: JSON,
    *,
    param_prefix: str = "items",
    single: bool = False,
) -> JSON:
    """Items added, changed or deleted through ``/v1/subscription_items``: a subscription update."""
    sub = subscription
    subscription_state.refuse_if_ended(sub)
    before = snapshot(sub)
    subscription_state.embed_items(ctx, sub)
    reprice(
        ctx,
        sub,
        entries,
        prefix="" if single else param_prefix,
        behavior=options.get("proration_behavior", "create_prorations"),
        proration_date=options.get("proration_date"),
        payment_behavior=options.get("payment_behavior", "allow_incomplete"),
    )
    subscription_state.finish_change(ctx, sub, before)
    return sub
