"""What happens to subscriptions when the sandbox clock passes their ``due`` moment: renewals,
trial ends, period-end cancellations, expiring pending updates and incomplete subscriptions.
"""

from __future__ import annotations

from console.sandbox.billing import periods
from console.sandbox.facts.spec import JSON
from console.sandbox.resources.subscriptions import (
    ENDED,
    _bill,
    _current_period,
    _cycle_lines,
    _embed_items,
    _finish,
    _interval_of,
    _set_periods,
    _settle,
    _steps,
    cancel_now,
    next_due,
    trial_ends_without_payment_method,
)
from console.sandbox.state.context import Context, snapshot
from console.sandbox.state.registry import on_due

# -- the clock ----------------------------------------------------------------------------


def _end_trial(ctx: Context, sub: JSON, at: int) -> None:
    if not trial_ends_without_payment_method(ctx, sub, at):
        _bill_next_period(ctx, sub, at, billed_from=at)


def _renew(ctx: Context, sub: JSON, at: int) -> None:
    start, _ = _current_period(sub)
    _bill_next_period(ctx, sub, at, billed_from=start)


def _bill_next_period(ctx: Context, sub: JSON, at: int, *, billed_from: int) -> None:
    """Start the period that begins ``at`` and invoice it (a renewal, or the end of a trial)."""
    interval, count = _interval_of(sub["items"]["data"][0]["price"])
    end = periods.next_boundary(sub["billing_cycle_anchor"], interval, count, at)
    _set_periods(ctx, sub, at, end)
    invoice = _bill(
        ctx,
        sub,
        reason="subscription_cycle",
        lines=_cycle_lines(ctx, sub, at, end),
        period_start=billed_from,
        period_end=at,
    )
    _settle(sub, invoice, "past_due")


def _expire_pending(ctx: Context, sub: JSON) -> None:
    from console.sandbox.resources import invoices

    pending = sub.pop("_pending", None) or {}
    invoice = ctx.find(str(pending.get("invoice") or ""))
    if invoice is not None and invoice.get("status") == "open":
        invoices.void(ctx, invoice)
    sub["pending_update"] = None
    ctx.emit("customer.subscription.pending_update_expired", sub)


def _expire_incomplete(ctx: Context, sub: JSON, at: int) -> None:
    from console.sandbox.resources import invoices

    invoice = ctx.find(str(sub.get("latest_invoice") or ""))
    if invoice is not None and invoice.get("status") == "paid":
        sub["status"] = "active"
        return
    if invoice is not None and invoice.get("status") == "open":
        invoices.void(ctx, invoice)
    sub["status"] = "incomplete_expired"
    sub["ended_at"] = at


@on_due("subscription")
def run_clock(ctx: Context, subscription: JSON) -> None:
    """Do, in order, everything whose moment the clock has passed."""
    # A copy: the sweep compares what it passed in with what is stored afterwards.
    sub = snapshot(subscription)
    _embed_items(ctx, sub)
    for _ in range(10_000):
        steps = _steps(sub)
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
            from console.sandbox.resources import subscription_schedules

            subscription_schedules.advance_phase(ctx, sub, moment)
            if sub["status"] in ENDED:
                return
            _finish(ctx, sub, before)
            continue
        if kind == "cancel_at":
            cancel_now(ctx, sub, ended_at=moment)
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
        _finish(ctx, sub, before)
    ctx.save(sub, due=next_due(sub))
