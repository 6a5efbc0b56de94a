"""What happens to subscriptions when the sandbox clock passes their ``due`` moment: renewals,
trial ends, period-end cancellations, expiring pending updates and incomplete subscriptions.
"""

from __future__ import annotations

from console.sandbox.billing import (
    cancellation,
    invoicing,
    periods,
    schedules,
    subscription_invoices,
    subscription_state,
)
from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context, changed, snapshot
from console.sandbox.state.registry import on_due


def _end_trial(ctx: Context, sub: JSON, at: int) -> None:
    if not cancellation.trial_ends_without_payment_method(ctx, sub, at):
        _bill_next_period(ctx, sub, at, billed_from=at)


def _renew(ctx: Context, sub: JSON, at: int) -> None:
    start, _ = subscription_state.current_period(sub)
    _bill_next_period(ctx, sub, at, billed_from=start)


def _bill_next_period(ctx: Context, sub: JSON, at: int, *, billed_from: int) -> None:
    """Start the period that begins ``at`` and invoice it (a renewal, or the end of a trial)."""
    interval, count = periods.interval_of(sub["items"]["data"][0]["price"])
    end = periods.next_boundary(sub["billing_cycle_anchor"], interval, count, at)
    subscription_state.set_periods(ctx, sub, at, end)
    invoice = subscription_invoices.bill(
        ctx,
        sub,
        reason="subscription_cycle",
        lines=subscription_invoices.cycle_lines(ctx, sub, at, end),
        period_start=billed_from,
        period_end=at,
    )
    subscription_state.settle(sub, invoice, "past_due")


def _expire_pending(ctx: Context, sub: JSON) -> None:

    pending = sub.pop("_pending", None) or {}
    invoice = ctx.find(str(pending.get("invoice") or ""))
    if invoice is not None and invoice.get("status") == "open":
        invoicing.void(ctx, invoice)
    sub["pending_update"] = None
    ctx.emit("customer.subscription.pending_update_expired", sub)


def _expire_incomplete(ctx: Context, sub: JSON, at: int) -> None:

    invoice = ctx.find(str(sub.get("latest_invoice") or ""))
    if invoice is not None and invoice.get("status") == "paid":
        sub["status"] = "active"
        return
    if invoice is not None and invoice.get("status") == "open":
        invoicing.void(ctx, invoice)
    sub["status"] = "incomplete_expired"
    sub["ended_at"] = at


@on_due("subscription")
def run_clock(ctx: Context, subscription: JSON) -> None:
    """Do, in order, everything whose moment the clock has passed."""
    # A copy: the sweep compares what it passed in with what is stored afterwards.
    sub = snapshot(subscription)
    subscription_state.embed_items(ctx, sub)
    for _ in range(10_000):
        steps = subscription_state.due_steps(sub)
        if not steps or steps[0][0] > ctx.now():
            break
        moment, _, kind = steps[0]
        before = snapshot(sub)
        if kind == "trial_will_end":
            sub["_trial_notice"] = sub["trial_end"]
            ctx.save(sub)
            ctx.emit("customer.subscription.trial_will_end", sub)
            continue
        if kind == "phase":
            schedules.advance_phase(ctx, sub, moment)
            if sub["status"] in subscription_state.ENDED:
                return
            subscription_state.finish_change(ctx, sub, before)
            continue
        if kind == "cancel_at":
            cancellation.cancel_now(ctx, sub, ended_at=moment)
            return
        if kind == "trial_end":
            _end_trial(ctx, sub, moment)
            if sub["status"] == "canceled":
                return
        elif kind == "period_end":
            _renew(ctx, sub, moment)
        elif kind == "pending_update_expired":
            _expire_pending(ctx, sub)
        elif kind == "invoice_overdue":
            waiting = sub.pop("_invoice_due", None) or {}
            invoice = ctx.find(str(waiting.get("invoice") or ""))
            if invoice is not None and invoice.get("status") == "open":
                sub["status"] = "past_due"
        elif kind == "resume_collection":
            sub["pause_collection"] = None
        elif kind == "incomplete_expired":
            _expire_incomplete(ctx, sub, moment)
        subscription_state.finish_change(ctx, sub, before)
    ctx.save(sub, due=subscription_state.next_due(sub))


@on_due("invoice")
def advance_invoice(ctx: Context, invoice: JSON) -> None:
    """Auto-advance: finalize a draft, then collect; retry failed charges on schedule."""
    # Work on a copy: the sweep compares what is stored afterwards with the object it passed
    # in to notice a handler that did nothing, and in-place changes would look like nothing.
    invoice = snapshot(invoice)
    if not invoice.get("auto_advance"):
        ctx.save(invoice, due=None)
        return
    if invoice["status"] == "draft":
        if invoicing.kept_as_draft(ctx, invoice):
            ctx.save(invoice, due=None)
            return
        invoicing.finalize(ctx, invoice)
        invoicing.attempt_collection(ctx, invoice)
        return
    if invoice["status"] == "open" and invoice["collection_method"] == "charge_automatically":
        attempt = invoice.get("next_payment_attempt")
        if attempt is not None and attempt <= ctx.now():
            invoicing.attempt_collection(ctx, invoice)
            return
    ctx.save(invoice, due=None)


@on_due("subscription_schedule")
def start_when_due(ctx: Context, schedule: JSON) -> None:
    """A not-yet-started schedule reaches its start date."""
    found = snapshot(schedule)
    if found["status"] != "not_started" or found["phases"][0]["start_date"] > ctx.now():
        ctx.save(
            found,
            due=None if found["status"] != "not_started" else found["phases"][0]["start_date"],
        )
        return
    before = snapshot(found)
    schedules.start_schedule(ctx, found)
    ctx.save(found, due=None)
    ctx.emit("subscription_schedule.updated", found, changed(before, found))
