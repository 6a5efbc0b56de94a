"""A subscription's start: the request's checks, its items and settings, the trial, the billing
cycle anchor and first period, and the first invoice (``create_subscription``).

A subscription is stored with ``parent=<customer id>``; its items carry the billing periods.
The rest of its life is in ``subscription_state`` (the object), ``subscription_invoices``
(billing a period), ``changes`` (item changes and prorations), ``cancellation``, and ``due``
(the clock's work).
"""

from __future__ import annotations

from console.sandbox.billing import (
    cancellation,
    periods,
    prorations,
    subscription_invoices,
    subscription_items,
    subscription_state,
)
from console.sandbox.facts.errors import StripeError, invalid, missing_param
from console.sandbox.facts.fields import metadata, unset
from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context

MAX_TRIAL = 730 * 86_400


def check_payment_method(ctx: Context, customer_id: str, pm_id: str, param: str) -> None:
    pm = ctx.fetch("payment_method", pm_id, param=param, kind="PaymentMethod")
    if pm.get("customer") != customer_id:
        raise invalid(
            f"The customer does not have a payment method with the ID {pm_id}. The payment "
            "method must be attached to the customer.",
            param=param,
            code="resource_missing",
        )


def apply_collection_params(sub: JSON, params: JSON) -> None:
    method = params.get("collection_method", sub["collection_method"])
    days = params.get(
        "days_until_due", sub.get("days_until_due") if method == sub["collection_method"] else None
    )
    if method == "send_invoice" and days is None:
        raise missing_param("days_until_due")
    if method == "charge_automatically" and "days_until_due" in params:
        raise invalid(
            "Invalid days_until_due: this parameter can only be set when collection_method is "
            "send_invoice.",
            param="days_until_due",
        )
    sub["collection_method"] = method
    sub["days_until_due"] = days if method == "send_invoice" else None


def _trial_end_for(ctx: Context, params: JSON, prices: list[JSON], start: int) -> int | None:
    now = ctx.now()
    if "trial_end" in params and params.get("trial_from_plan"):
        raise invalid(
            "You cannot set trial_from_plan together with trial_end.", param="trial_from_plan"
        )
    if "trial_end" in params and "trial_period_days" in params:
        raise StripeError(
            "You may only specify one of these parameters: trial_end, trial_period_days.",
            param="trial_end",
            code="parameters_exclusive",
        )
    trial_end = params.get("trial_end")
    if trial_end == "now":
        return None
    if isinstance(trial_end, int):
        subscription_state.future_moment(ctx, trial_end, "trial_end")
        if trial_end - now > MAX_TRIAL:
            raise invalid(
                "Invalid trial_end: can be no more than 730 days in the future.",
                param="trial_end",
            )
        return trial_end
    days = params.get("trial_period_days")
    if days is None and params.get("trial_from_plan"):
        plan_days = [int((p.get("recurring") or {}).get("trial_period_days") or 0) for p in prices]
        days = max(plan_days) if plan_days else 0
    if days:
        if days > 730:
            raise invalid(
                "Invalid trial_period_days: can be no more than 730.", param="trial_period_days"
            )
        return max(start, now) + int(days) * periods.DAY
    return None


def _check_create_params(params: JSON) -> list[JSON]:
    """What a create request must carry before anything is looked up; returns its items."""
    if not params.get("customer"):
        if params.get("customer_account"):
            raise invalid(
                "The sandbox bills customers, not Accounts v2 customer accounts; pass customer.",
                param="customer_account",
            )
        raise missing_param("customer")
    entries: list[JSON] = params.get("items") or []
    if not entries:
        raise missing_param("items")
    if len(entries) > subscription_items.MAX_ITEMS:
        raise invalid(
            f"A subscription can have at most {subscription_items.MAX_ITEMS} items.", param="items"
        )
    if params.get("payment_behavior") == "pending_if_incomplete":
        raise invalid(
            "payment_behavior=pending_if_incomplete can only be used when updating a subscription.",
            param="payment_behavior",
        )
    if "billing_cycle_anchor" in params and "billing_cycle_anchor_config" in params:
        raise StripeError(
            "You may only specify one of these parameters: billing_cycle_anchor, "
            "billing_cycle_anchor_config.",
            param="billing_cycle_anchor",
            code="parameters_exclusive",
        )
    return entries


def _resolve_entries(ctx: Context, entries: list[JSON]) -> list[tuple[JSON, int | None, JSON]]:
    """Each item entry's price (looked up or made from ``price_data``) and checked quantity."""
    resolved: list[tuple[JSON, int | None, JSON]] = []
    for index, entry in enumerate(entries):
        where = f"items[{index}]"
        price = subscription_items.resolve_price(ctx, entry, where)
        assert price is not None
        resolved.append((price, subscription_items.check_quantity(price, entry, where), entry))
    return resolved


def _billing_mode(mode: JSON, now: int) -> JSON:
    flexible = mode["type"] == "flexible"
    discounts = (mode.get("flexible") or {}).get("proration_discounts", "included")
    return {
        "flexible": {"proration_discounts": discounts} if flexible else None,
        "type": mode["type"],
        "updated_at": now if flexible else None,
    }


def _apply_create_settings(ctx: Context, sub: JSON, customer: JSON, params: JSON) -> None:
    """The settings a new subscription takes as sent: collection, payment method, texts,
    billing mode, trial and invoice and payment settings."""
    apply_collection_params(sub, params)
    if params.get("default_payment_method"):
        check_payment_method(
            ctx, customer["id"], params["default_payment_method"], "default_payment_method"
        )
        sub["default_payment_method"] = params["default_payment_method"]
    if "description" in params:
        sub["description"] = unset(params["description"])
    if "metadata" in params:
        sub["metadata"] = metadata({}, params["metadata"])
    if params.get("billing_mode"):
        sub["billing_mode"] = _billing_mode(params["billing_mode"], ctx.now())
    if params.get("trial_settings"):
        end = params["trial_settings"]["end_behavior"]
        missing = end.get("missing_payment_method", "create_invoice")
        sub["trial_settings"] = {"end_behavior": {"missing_payment_method": missing}}
    for key in ("description", "footer"):
        if key in (params.get("invoice_settings") or {}):
            sub["invoice_settings"][key] = unset(params["invoice_settings"][key])
    save = (params.get("payment_settings") or {}).get("save_default_payment_method")
    if save:
        sub["payment_settings"]["save_default_payment_method"] = save


def _start_date(params: JSON, now: int) -> int:
    if "backdate_start_date" not in params:
        return now
    start = int(params["backdate_start_date"])
    if start > now:
        raise invalid("backdate_start_date must be in the past.", param="backdate_start_date")
    return start


def _anchor(
    sub: JSON,
    params: JSON,
    *,
    start: int,
    trial_end: int | None,
    now: int,
    interval: tuple[str, int],
) -> int:
    """The billing cycle anchor: as sent (within one natural period), from
    ``billing_cycle_anchor_config``, or the trial end or start."""
    base = trial_end or now
    if "billing_cycle_anchor" in params:
        anchor = int(params["billing_cycle_anchor"])
        if anchor < base:
            raise invalid(
                "billing_cycle_anchor cannot be earlier than the subscription's start (or "
                "trial end).",
                param="billing_cycle_anchor",
            )
        natural = periods.add_interval(base, *interval)
        if anchor > natural:
            raise invalid(
                f"billing_cycle_anchor cannot be later than next natural billing date ({natural}) "
                "for plan",
                param="billing_cycle_anchor",
            )
        return anchor
    config = params.get("billing_cycle_anchor_config")
    if not config:
        return trial_end or start
    sub["billing_cycle_anchor_config"] = {
        key: config.get(key) for key in ("day_of_month", "hour", "minute", "month", "second")
    }
    return periods.anchor_from_config(
        base,
        day_of_month=config["day_of_month"],
        month=config.get("month"),
        hour=config.get("hour"),
        minute=config.get("minute"),
        second=config.get("second"),
    )


def _first_period(
    *, start: int, anchor: int, trial_end: int | None, now: int, interval: tuple[str, int]
) -> tuple[int, int]:
    """The items' first period: the trial, or up to the next boundary from the anchor."""
    if trial_end is not None:
        return start, trial_end
    period_end = periods.next_boundary(anchor, *interval, now)
    if anchor > now:
        return start, period_end
    period_start = periods.period_containing(anchor, *interval, now)[0]
    return (max(period_start, start) if anchor <= start else period_start), period_end


def _first_invoice_lines(
    ctx: Context,
    sub: JSON,
    *,
    start: int,
    period_end: int,
    anchor: int,
    trial: bool,
    interval: tuple[str, int],
    prorate: bool,
) -> list[subscription_invoices.Line]:
    """The first invoice covers from the start to the end of the first period: whole periods at
    full price, a short first period (anchor in the future, backdating) prorated."""
    lines = subscription_invoices.cycle_lines(ctx, sub, start, period_end, trial=trial)
    if trial:
        return lines
    covered = periods.span_in_periods(start, period_end, anchor, *interval)
    if not prorate:
        covered = float(int(covered + 1e-9))
    for line in lines:
        line.amount = prorations.rounded(line.amount * covered)
    return lines


def create_subscription(ctx: Context, params: JSON, *, schedule: str | None = None) -> JSON:
    """``POST /v1/subscriptions`` (also used by schedules starting a subscription)."""
    entries = _check_create_params(params)
    customer = ctx.fetch("customer", params["customer"], param="customer")
    behavior = params.get("payment_behavior", "allow_incomplete")
    now = ctx.now()
    sub = subscription_state.new_subscription(ctx.new_id("sub", 24), customer["id"], now)
    sub["schedule"] = schedule
    resolved = _resolve_entries(ctx, entries)
    prices = [p for p, _, _ in resolved]
    currency = str(params["currency"]).lower() if params.get("currency") else None
    subscription_state.check_compatible(prices, currency, "items")
    sub["currency"] = prices[0]["currency"]
    interval = periods.interval_of(prices[0])
    _apply_create_settings(ctx, sub, customer, params)

    start = _start_date(params, now)
    sub["start_date"] = start
    trial_end = _trial_end_for(ctx, params, prices, start)
    anchor = _anchor(sub, params, start=start, trial_end=trial_end, now=now, interval=interval)
    sub["billing_cycle_anchor"] = anchor
    if trial_end is not None:
        sub["trial_start"], sub["trial_end"] = start, trial_end
    period_start, period_end = _first_period(
        start=start, anchor=anchor, trial_end=trial_end, now=now, interval=interval
    )
    ctx.insert(sub, parent=customer["id"])
    for price, quantity, entry in resolved:
        item = subscription_items.new_item(
            ctx,
            sub["id"],
            price,
            quantity,
            period_start=period_start,
            period_end=period_end,
            meta=metadata({}, entry.get("metadata"), param="items[][metadata]"),
        )
        ctx.insert(item, parent=sub["id"])
    subscription_state.embed_items(ctx, sub)
    if "discounts" in params:
        sub["discounts"] = subscription_invoices.parse_discounts(
            ctx, sub, params["discounts"], "discounts"
        )

    subscription_invoices.add_invoice_items(ctx, sub, params.get("add_invoice_items"))
    lines = _first_invoice_lines(
        ctx, sub, start=start, period_end=period_end, anchor=anchor,
        trial=trial_end is not None, interval=interval,
        prorate=params.get("proration_behavior", "create_prorations") != "none",
    )  # fmt: skip
    invoice = subscription_invoices.bill(
        ctx,
        sub,
        reason="subscription_create",
        lines=lines,
        period_start=start,
        period_end=start,
        include_pending=True,
        collect=behavior != "default_incomplete",
    )
    if trial_end is not None:
        sub["status"] = "trialing"
    else:
        subscription_state.settle(sub, invoice, "incomplete")
        if sub["status"] == "incomplete" and behavior == "error_if_incomplete":
            raise subscription_invoices.decline_error(ctx, sub)

    cancellation.apply_cancel_params(ctx, sub, params)
    ctx.save(sub, due=subscription_state.next_due(sub))
    ctx.emit("customer.subscription.created", sub)
    return sub
