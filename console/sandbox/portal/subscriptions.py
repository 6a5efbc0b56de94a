"""The portal's subscription pages: details, plan change with its preview, cancel, renew.

What is offered comes from :mod:`console.sandbox.billing.portal_rules`; every
limit it reports is explained on the page, and a change it does not offer, if
posted by hand, is refused with the same explanation (403) before anything is
called. Changes go through the API (``portal.call``), so the subscription, its
invoices and its events are exactly what the API would make; the preview is the
API's ``create_preview`` of the very parameters the confirmation sends.

Deep links (``flow_data``) open here: ``subscription_update`` on the plan form,
``subscription_update_confirm`` straight on the preview of its items and
discounts, ``subscription_cancel`` on the cancel page (its retention coupon offered
first); completing one hands over to the framework's ``finish_flow``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from babel.numbers import format_percent
from starlette.requests import Request
from starlette.responses import Response

from console.sandbox.billing import periods
from console.sandbox.billing import portal_rules as rules
from console.sandbox.facts.errors import StripeError
from console.sandbox.facts.spec import JSON
from console.sandbox.portal import i18n, pages
from console.sandbox.portal.app import redirect, session_route
from console.sandbox.portal.render import N_, date, gettext, money, render
from console.sandbox.portal.session import Portal, PortalExit

SUBSCRIPTION_FLOWS = ("subscription_cancel", "subscription_update", "subscription_update_confirm")
MAX_COMMENT = 500
MAX_CODE = 200


# Why something is not offered, by rules' limit code; %(value)s is what the limit names.
EXPLANATIONS = {
    rules.SEVERAL_PRODUCTS: N_(
        "This subscription includes several products, so it can only be canceled here."
    ),
    rules.SEVERAL_ITEMS: N_(
        "This subscription includes several prices, so it can only be canceled here."
    ),
    rules.METERED: N_("This subscription is billed by usage, so it can only be canceled here."),
    rules.SEND_INVOICE: N_(
        "This subscription is paid by invoice, so it can only be canceled here."
    ),
    rules.UNSUPPORTED_PAYMENT_METHOD: N_(
        "This subscription is paid with a payment method the portal can't manage, so it can "
        "only be canceled here."
    ),
    rules.SCHEDULE: N_(
        "A scheduled change is waiting to take effect on this subscription, so it can't be "
        "changed or canceled here."
    ),
    rules.PENDING_UPDATE: N_(
        "A change to this subscription is waiting for a payment, so it can't be changed now."
    ),
    rules.CANCEL_SCHEDULED: N_(
        "This subscription is set to be canceled. Renew it to make changes."
    ),
    rules.ENDED: N_("This subscription has ended."),
    rules.PAUSED: N_("This subscription is paused, so it can't be changed now."),
    rules.INCOMPLETE: N_(
        "This subscription is waiting for its first payment, so it can't be changed now."
    ),
    rules.UPDATE_DISABLED: N_("Changes to this subscription aren't available here."),
    rules.NOTHING_OFFERED: N_("There are no other plans or options to switch to."),
    rules.PRODUCT_NOT_OFFERED: N_("This plan can't be changed here."),
    rules.TAX_BEHAVIOR_UNSPECIFIED: N_(
        "The price of this subscription can't be changed here because its tax treatment isn't set."
    ),
    rules.TAX_BEHAVIOR_DIFFERS: N_(
        "That price is taxed differently from your current price, so you can't switch to it."
    ),
    rules.CANCEL_DISABLED: N_("Canceling this subscription isn't available here."),
    rules.NOT_SCHEDULED_TO_CANCEL: N_("This subscription isn't set to be canceled."),
    rules.PRICE_NOT_OFFERED: N_("That price isn't available for this subscription."),
    rules.QUANTITY_NOT_ADJUSTABLE: N_("The quantity of this plan can't be changed."),
    rules.QUANTITY_OUT_OF_RANGE: N_("Choose a quantity from %(minimum)s to %(maximum)s."),
    rules.PROMOTION_CODE_NOT_ALLOWED: N_("Promotion codes can't be applied here."),
    rules.NO_CHANGE: N_("Choose a different plan or quantity, or enter a promotion code."),
    rules.FEEDBACK_NOT_OFFERED: N_("Choose one of the reasons listed."),
}
CHANGE_FAILED = N_("The change couldn't be made: %(reason)s")
CARD_DECLINED = N_(
    "Your payment method was declined, so the change wasn't made. Update your payment method "
    "and try again."
)
INVALID_CODE = N_("This promotion code is invalid or can't be applied to this subscription.")
INVALID_QUANTITY = N_("Enter a whole number for the quantity.")

pages.NOTICES.update(
    {
        "subscription_updated": N_("Your subscription was updated."),
        "subscription_canceled": N_("Your subscription was canceled."),
        "subscription_cancel_scheduled": N_(
            "Your subscription will be canceled at the end of the billing period."
        ),
        "subscription_renewed": N_("Your subscription was renewed."),
        "retention_accepted": N_("The offer was applied. Your subscription continues."),
    }
)


def explain(portal: Portal, limit: rules.Limit) -> str:
    message = EXPLANATIONS.get(limit.code, EXPLANATIONS[rules.UPDATE_DISABLED])
    if limit.code == rules.QUANTITY_OUT_OF_RANGE:
        low, _, high = (limit.value or "").partition("-")
        return gettext(portal.locale, message, minimum=low, maximum=high)
    return gettext(portal.locale, message)


def coupon_terms(portal: Portal, coupon: JSON) -> str:
    """What a coupon gives, as one sentence: "50% off for 3 months", "$5.00 off once"."""
    if coupon.get("percent_off"):
        value = format_percent(
            float(coupon["percent_off"]) / 100,
            locale=portal.locale.babel,
            decimal_quantization=False,
        )
    else:
        value = money(coupon.get("amount_off"), coupon.get("currency"), portal.locale)
    if coupon.get("duration") == "once":
        return gettext(portal.locale, N_("%(value)s off your next invoice"), value=value)
    if coupon.get("duration") == "repeating":
        months = int(coupon.get("duration_in_months") or 1)
        text: str = i18n.translations_for(portal.locale.code).ngettext(
            "%(value)s off for %(num)s month", "%(value)s off for %(num)s months", months
        )
        return text % {"value": value, "num": months}
    return gettext(portal.locale, N_("%(value)s off for as long as you're subscribed"), value=value)


# -- what a page needs ---------------------------------------------------------------------------


@dataclass
class View:
    """One subscription as the portal sees it: the objects and what the rules offer."""

    subscription: JSON
    assessment: rules.Assessment
    prices: dict[str, JSON]
    products: dict[str, JSON]
    discounts: list[JSON]
    payment_method: JSON | None
    scheduled: JSON | None = None

    @property
    def item(self) -> JSON | None:
        return self.assessment.item

    def product_name(self, price: JSON) -> str:
        product = price.get("product")
        if isinstance(product, dict):
            return str(product.get("name") or product.get("id"))
        found = self.products.get(str(product))
        return str((found or {}).get("name") or product)


def _try(portal: Portal, operation: str, params: JSON | None = None, **path: str) -> JSON | None:
    try:
        return portal.call(operation, params or {}, **path)
    except StripeError:
        return None


def _not_found(request: Request) -> PortalExit:
    return PortalExit(render(request, "error.html", {"reason": "not_found"}, status=404))


def load(request: Request, portal: Portal, subscription_id: str) -> View:
    """The customer's own subscription (visible in this session), or a 404 page."""
    subscription = _try(
        portal,
        "GetSubscriptionsSubscriptionExposedId",
        {"expand": ["items.data.price.product", "discounts"]},
        subscription_exposed_id=subscription_id,
    )
    if (
        subscription is None
        or rules.object_id(subscription.get("customer")) != portal.customer["id"]
        or (
            portal.on_behalf_of is not None
            and rules.object_id(subscription.get("on_behalf_of")) != portal.on_behalf_of
        )
    ):
        raise _not_found(request)
    update = portal.feature("subscription_update")
    prices: dict[str, JSON] = {}
    products: dict[str, JSON] = {}
    for entry in (update.get("products") or [])[: rules.MAX_PRODUCTS]:
        product = _try(portal, "GetProductsId", id=str(entry["product"]))
        if product is not None:
            products[product["id"]] = product
        for price_id in entry.get("prices") or []:
            price = _try(portal, "GetPricesPrice", price=str(price_id))
            if price is not None:
                prices[price["id"]] = price
    for item in rules.items(subscription):
        product = item["price"].get("product")
        if isinstance(product, dict):
            products.setdefault(str(product["id"]), product)
    pm_id = rules.default_payment_method_id(subscription, portal.customer)
    payment_method = (
        _try(portal, "GetPaymentMethodsPaymentMethod", payment_method=pm_id) if pm_id else None
    )
    discounts: list[JSON] = []
    for discount in subscription.get("discounts") or []:
        coupon_id = ((discount if isinstance(discount, dict) else {}).get("source") or {}).get(
            "coupon"
        )
        coupon = _try(portal, "GetCouponsCoupon", coupon=str(coupon_id)) if coupon_id else None
        if coupon is not None:
            discounts.append({"discount": discount, "coupon": coupon})
    scheduled = _scheduled_change(portal, subscription)
    assessment = rules.assess(
        subscription,
        portal.customer,
        portal.configuration,
        payment_method=payment_method,
        prices=prices,
        products=products,
    )
    return View(subscription, assessment, prices, products, discounts, payment_method, scheduled)


def _scheduled_change(portal: Portal, subscription: JSON) -> JSON | None:
    """The next phase of the subscription's schedule: ``{date, price, quantity}``, if any."""
    schedule_id = rules.object_id(subscription.get("schedule"))
    if not schedule_id:
        return None
    schedule = _try(portal, "GetSubscriptionSchedulesSchedule", schedule=schedule_id)
    if schedule is None:
        return None
    current = (schedule.get("current_phase") or {}).get("end_date")
    upcoming = [p for p in schedule.get("phases") or [] if p.get("start_date") == current]
    if not upcoming or not upcoming[0].get("items"):
        return None
    entry = upcoming[0]["items"][0]
    price = _try(
        portal,
        "GetPricesPrice",
        {"expand": ["product"]},
        price=str(rules.object_id(entry["price"])),
    )
    if price is None:
        return None
    return {"date": current, "price": price, "quantity": entry.get("quantity")}


def _flow_for(portal: Portal, subscription_id: str, *kinds: str) -> JSON | None:
    """The pending deep-link flow of one of ``kinds`` on this subscription, if any."""
    flow = portal.flow
    if not portal.flow_pending or flow is None or flow.get("type") not in kinds:
        return None
    body = flow.get(str(flow["type"])) or {}
    return flow if body.get("subscription") == subscription_id else None


def _feedback_labels(portal: Portal, view: View) -> list[tuple[str, str, str]]:
    """(form value, label, kind) for each reason the customer may give."""
    labels = {
        "customer_service": N_("Customer service was less than expected"),
        "low_quality": N_("Quality was less than expected"),
        "missing_features": N_("Some features are missing"),
        "other": N_("Other reason"),
        "switched_service": N_("I'm switching to a different service"),
        "too_complex": N_("Ease of use was less than expected"),
        "too_expensive": N_("It's too expensive"),
        "unused": N_("I don't use the service enough"),
    }
    found: list[tuple[str, str, str]] = []
    for option in view.assessment.feedback:
        found.append((option, gettext(portal.locale, labels.get(option, option)), "feedback"))
    for option_id in view.assessment.feedback_options:
        custom = _try(portal, "GetBillingFeedbackOptionsId", id=option_id)
        if custom is not None and custom.get("status") == "active":
            found.append((f"option:{option_id}", str(custom["description"]), "feedback_option"))
    return found


def _context(portal: Portal, view: View, **extra: Any) -> JSON:
    assessment = view.assessment
    item = view.item
    current = assessment.current_price
    return {
        "view": view,
        "subscription": view.subscription,
        "assessment": assessment,
        "item": item,
        "current_price": current,
        "items": rules.items(view.subscription),
        "period_end": max(
            (int(i.get("current_period_end") or 0) for i in rules.items(view.subscription)),
            default=None,
        ),
        "update_explanations": [explain(portal, limit) for limit in assessment.update_limits],
        "price_explanations": [explain(portal, limit) for limit in assessment.price_limits],
        "excluded_explanation": (
            explain(portal, assessment.excluded_prices[0][1])
            if assessment.excluded_prices
            else None
        ),
        "cancel_explanations": [
            explain(portal, limit)
            for limit in assessment.cancel_limits
            if limit.code not in (rules.CANCEL_SCHEDULED, rules.ENDED)
        ],
        "quantity_range": assessment.quantity_range(assessment.current_product),
        "can_change_price": bool(assessment.prices),
        "cancel_mode": portal.feature("subscription_cancel").get("mode"),
        "sub_url": portal.url("subscriptions", view.subscription["id"]),
        "coupon_terms": lambda coupon: coupon_terms(portal, coupon),
        **extra,
    }


# -- the subscription page ----------------------------------------------------------------------


def subscription_page(
    request: Request,
    portal: Portal,
    view: View | None = None,
    *,
    error: str | None = None,
    status: int = 200,
) -> Response:
    if view is None:
        view = load(request, portal, request.path_params["subscription"])
    return render(
        request,
        "subscription_detail.html",
        _context(portal, view, error=error),
        status=status,
    )


def _refused(request: Request, portal: Portal, view: View, limit: rules.Limit) -> PortalExit:
    return PortalExit(
        subscription_page(request, portal, view, error=explain(portal, limit), status=403)
    )


# -- plan change --------------------------------------------------------------------------------


@dataclass
class Change:
    """A change as posted (``price``/``quantity`` only when they differ from the current)."""

    price: str | None
    quantity: int | None
    code: str
    flow_discounts: list[JSON] | None

    def hidden_fields(self, view: View) -> list[tuple[str, str]]:
        fields: list[tuple[str, str]] = []
        if self.price is not None:
            fields.append(("price", self.price))
        if self.quantity is not None:
            fields.append(("quantity", str(self.quantity)))
        if self.code:
            fields.append(("promotion_code", self.code))
        if self.flow_discounts:
            fields.append(("flow_discounts", "1"))
        return fields


def _posted_change(request: Request, portal: Portal, view: View) -> Change:
    form = portal.form
    item = view.item or {}
    current = view.assessment.current_price or {}
    price = form.get("price", "").strip() or None
    if price == current.get("id"):
        price = None
    quantity: int | None = None
    raw = form.get("quantity", "").strip()
    if raw:
        if not raw.isdigit() or len(raw) > 6:
            raise PortalExit(
                update_page(
                    request,
                    portal,
                    view,
                    error=gettext(portal.locale, INVALID_QUANTITY),
                    status=400,
                )
            )
        quantity = int(raw)
        if quantity == item.get("quantity"):
            quantity = None
    code = form.get("promotion_code", "").strip()[:MAX_CODE]
    flow_discounts = None
    if form.get("flow_discounts") == "1":
        flow = _flow_for(portal, view.subscription["id"], "subscription_update_confirm")
        flow_discounts = ((flow or {}).get("subscription_update_confirm") or {}).get("discounts")
        if flow is None or not flow_discounts:
            raise _refused(request, portal, view, rules.Limit(rules.PROMOTION_CODE_NOT_ALLOWED))
    return Change(price, quantity, code, flow_discounts)


def _checked(request: Request, portal: Portal, view: View, change: Change) -> None:
    refused = rules.check_change(
        view.assessment,
        price=change.price,
        quantity=change.quantity,
        promotion_code=bool(change.code),
        merchant_discount=bool(change.flow_discounts),
    )
    if refused is None:
        return
    if not view.assessment.can_update:
        raise _refused(request, portal, view, refused)
    # The subscription may change, just not this way: the form again, with why.
    status = 400 if refused.code in (rules.NO_CHANGE, rules.QUANTITY_OUT_OF_RANGE) else 403
    raise PortalExit(
        update_page(request, portal, view, error=explain(portal, refused), status=status)
    )


def _promotion_code_id(request: Request, portal: Portal, view: View, code: str) -> str | None:
    if not code:
        return None
    found = _try(portal, "GetPromotionCodes", {"code": code, "active": True, "limit": 1})
    if not found or not found["data"]:
        raise PortalExit(
            update_page(
                request, portal, view, error=gettext(portal.locale, INVALID_CODE), status=400
            )
        )
    return str(found["data"][0]["id"])


def _params(request: Request, portal: Portal, view: View, change: Change) -> JSON:
    return rules.update_params(
        view.assessment,
        portal.configuration,
        price=change.price,
        quantity=change.quantity,
        promotion_code=_promotion_code_id(request, portal, view, change.code),
        discounts=change.flow_discounts,
    )


def _price_choices(view: View) -> list[JSON]:
    """The current price first, then what may be switched to, grouped by product."""
    current = view.assessment.current_price
    choices = [current] if current else []
    choices.extend(view.assessment.prices)
    return choices


def update_page(
    request: Request,
    portal: Portal,
    view: View | None = None,
    *,
    error: str | None = None,
    status: int = 200,
) -> Response:
    if view is None:
        view = load(request, portal, request.path_params["subscription"])
    if not view.assessment.can_update:
        raise _refused(request, portal, view, view.assessment.update_limits[0])
    return render(
        request,
        "subscription_update.html",
        _context(
            portal,
            view,
            error=error,
            choices=_price_choices(view),
            form_values=portal.form,
            back_url=_back_url(portal, view),
        ),
        status=status,
    )


def _back_url(portal: Portal, view: View) -> str:
    if _flow_for(portal, view.subscription["id"], *SUBSCRIPTION_FLOWS) and portal.brand.return_url:
        return portal.brand.return_url
    return portal.url("subscriptions", view.subscription["id"])


def _new_price(view: View, change: Change) -> JSON:
    current = view.assessment.current_price or {}
    if change.price is None:
        return current
    return next((p for p in view.assessment.prices if p["id"] == change.price), current)


def _deferred(portal: Portal, view: View, change: Change) -> bool:
    """Whether ``schedule_at_period_end`` puts this change off to the period's end."""
    if (change.price is None and change.quantity is None) or view.assessment.trial_behavior:
        return False
    item = view.item or {}
    quantity = int(item.get("quantity") or 1)
    return rules.deferred_to_period_end(
        portal.configuration,
        view.assessment.current_price or {},
        quantity,
        _new_price(view, change),
        change.quantity if change.quantity is not None else quantity,
    )


def _preview(request: Request, portal: Portal, view: View, change: Change) -> Response:
    params = _params(request, portal, view, change)
    deferred = _deferred(portal, view, change)
    if deferred:
        # Nothing is billed now; the invoice after the period's end carries the new plan.
        params = {**params, "proration_behavior": "none"}
        params.pop("billing_cycle_anchor", None)
        current = view.assessment.current_price or {}
        if periods.interval_of(_new_price(view, change)) != periods.interval_of(current):
            return _preview_page(request, portal, view, change, None, deferred=True)
    try:
        invoice = portal.call(
            "PostInvoicesCreatePreview",
            rules.preview_params(view.assessment, portal.configuration, params),
        )
    except StripeError as error:
        if change.code and error.param and "discounts" in error.param:
            message = gettext(portal.locale, INVALID_CODE)
        else:
            message = gettext(portal.locale, CHANGE_FAILED, reason=error.message)
        return update_page(request, portal, view, error=message, status=400)
    return _preview_page(request, portal, view, change, invoice, deferred=deferred)


def _preview_page(
    request: Request,
    portal: Portal,
    view: View,
    change: Change,
    invoice: JSON | None,
    *,
    deferred: bool = False,
    error: str | None = None,
    status: int = 200,
) -> Response:
    current = view.assessment.current_price or {}
    new_price = _new_price(view, change)
    item = view.item or {}
    lines = (invoice or {}).get("lines", {}).get("data", [])
    due_now = invoice is not None and invoice.get("billing_reason") != "upcoming"
    return render(
        request,
        "subscription_preview.html",
        _context(
            portal,
            view,
            change=change,
            hidden_fields=change.hidden_fields(view),
            new_price=new_price,
            new_quantity=change.quantity or item.get("quantity"),
            invoice=invoice,
            lines=lines,
            line_texts=[line_text(portal, view, line) for line in lines],
            prorations=[line for line in lines if _is_proration(line)],
            due_now=due_now,
            next_date=(invoice or {}).get("next_payment_attempt")
            or (invoice or {}).get("period_end"),
            deferred=deferred,
            takes_effect=item.get("current_period_end"),
            proration_behavior=portal.feature("subscription_update").get("proration_behavior"),
            resets_cycle=not deferred
            and (
                portal.feature("subscription_update").get("billing_cycle_anchor") == "now"
                or periods.interval_of(new_price) != periods.interval_of(current)
            ),
            error=error,
            back_url=_back_url(portal, view),
            edit_url=portal.url("subscriptions", view.subscription["id"], "update"),
            in_confirm_flow=_flow_for(
                portal, view.subscription["id"], "subscription_update_confirm"
            )
            is not None,
        ),
        status=status,
    )


UNUSED_TIME = N_("Unused time on %(item)s after %(date)s")
REMAINING_TIME = N_("Remaining time on %(item)s after %(date)s")


def line_text(portal: Portal, view: View, line: JSON) -> str:
    """A preview line in the customer's language. The invoice's own descriptions are Stripe's
    English ("Unused time on Pro after 6 Dec 2026"); the page says the same in the page's
    language, from the line's price, quantity and period, and keeps any other text as it is."""
    if not _is_proration(line):
        return str(line.get("description") or "")
    details = ((line.get("pricing") or {}).get("price_details")) or {}
    price = view.prices.get(str(details.get("price"))) or {"product": details.get("product")}
    name = view.product_name(price) if price.get("product") else str(line.get("description"))
    quantity = int(line.get("quantity") or 1)
    item = f"{quantity} × {name}" if quantity != 1 else name  # noqa: RUF001 (Stripe's sign)
    moment = int((line.get("period") or {}).get("start") or 0)
    message = UNUSED_TIME if int(line.get("amount") or 0) < 0 else REMAINING_TIME
    return gettext(portal.locale, message, item=item, date=date(moment, portal.locale))


def _is_proration(line: JSON) -> bool:
    parent = line.get("parent") or {}
    details = parent.get("subscription_item_details") or parent.get("invoice_item_details") or {}
    return bool(details.get("proration"))


def preview_change(request: Request, portal: Portal) -> Response:
    view = load(request, portal, request.path_params["subscription"])
    change = _posted_change(request, portal, view)
    _checked(request, portal, view, change)
    return _preview(request, portal, view, change)


def confirm_flow_page(request: Request, portal: Portal) -> Response:
    """``subscription_update_confirm``: the preview of the deep link's items and discounts."""
    view = load(request, portal, request.path_params["subscription"])
    flow = _flow_for(portal, view.subscription["id"], "subscription_update_confirm")
    if flow is None:
        return redirect(portal.url("subscriptions", view.subscription["id"], "update"))
    body = flow["subscription_update_confirm"]
    entry = (body.get("items") or [{}])[0]
    item = view.item or {}
    current = view.assessment.current_price or {}
    price = entry.get("price")
    quantity = entry.get("quantity")
    change = Change(
        price=None if price in (None, current.get("id")) else str(price),
        quantity=None if quantity in (None, item.get("quantity")) else int(quantity),
        code="",
        flow_discounts=body.get("discounts") or None,
    )
    _checked(request, portal, view, change)
    return _preview(request, portal, view, change)


def confirm_change(request: Request, portal: Portal) -> Response:
    view = load(request, portal, request.path_params["subscription"])
    change = _posted_change(request, portal, view)
    _checked(request, portal, view, change)
    params = _params(request, portal, view, change)
    try:
        if _deferred(portal, view, change):
            _schedule_change(portal, view, change, params)
        else:
            portal.call(
                "PostSubscriptionsSubscriptionExposedId",
                params,
                subscription_exposed_id=view.subscription["id"],
            )
    except StripeError as error:
        if error.status == 402:
            message = gettext(portal.locale, CARD_DECLINED)
        else:
            message = gettext(portal.locale, CHANGE_FAILED, reason=error.message)
        fresh = load(request, portal, view.subscription["id"])
        status = 402 if error.status == 402 else 400
        return update_page(request, portal, fresh, error=message, status=status)
    return pages.finish_flow(request, portal, "subscription_updated")


def _schedule_change(portal: Portal, view: View, change: Change, params: JSON) -> None:
    """A deferred change: a schedule that switches plans when the current period ends.

    A discount takes effect now, as Stripe's portal applies it; if the schedule can't be
    set up, the one just made is released so that the subscription is as it was.
    """
    sub_id = view.subscription["id"]
    if "discounts" in params:
        portal.call(
            "PostSubscriptionsSubscriptionExposedId",
            {"discounts": params["discounts"]},
            subscription_exposed_id=sub_id,
        )
    schedule = portal.call("PostSubscriptionSchedules", {"from_subscription": sub_id})
    try:
        portal.call(
            "PostSubscriptionSchedulesSchedule",
            rules.schedule_params(view.assessment, price=change.price, quantity=change.quantity),
            schedule=str(schedule["id"]),
        )
    except StripeError:
        portal.call("PostSubscriptionSchedulesScheduleRelease", {}, schedule=str(schedule["id"]))
        raise


# -- cancel -------------------------------------------------------------------------------------


def _retention(portal: Portal, view: View) -> JSON | None:
    """The coupon a ``subscription_cancel`` deep link offers before canceling, if any."""
    flow = _flow_for(portal, view.subscription["id"], "subscription_cancel")
    retention = ((flow or {}).get("subscription_cancel") or {}).get("retention")
    coupon_id = ((retention or {}).get("coupon_offer") or {}).get("coupon")
    if not coupon_id:
        return None
    return _try(portal, "GetCouponsCoupon", coupon=str(coupon_id))


def cancel_page(
    request: Request,
    portal: Portal,
    view: View | None = None,
    *,
    error: str | None = None,
    status: int = 200,
) -> Response:
    if view is None:
        view = load(request, portal, request.path_params["subscription"])
    if not view.assessment.can_cancel:
        raise _refused(request, portal, view, view.assessment.cancel_limits[0])
    coupon = _retention(portal, view)
    offer = coupon is not None and request.query_params.get("offer") != "declined" and not error
    return render(
        request,
        "subscription_cancel.html",
        _context(
            portal,
            view,
            error=error,
            offer=coupon if offer else None,
            decline_url=portal.url("subscriptions", view.subscription["id"], "cancel")
            + "?offer=declined",
            reasons=_feedback_labels(portal, view),
            form_values=portal.form,
            back_url=_back_url(portal, view),
            proration=portal.feature("subscription_cancel").get("proration_behavior"),
        ),
        status=status,
    )


def cancel(request: Request, portal: Portal) -> Response:
    view = load(request, portal, request.path_params["subscription"])
    form = portal.form
    reason = form.get("reason", "")
    feedback: str | None = None
    feedback_option: str | None = None
    if reason.startswith("option:"):
        feedback_option = reason.removeprefix("option:")
    elif reason:
        feedback = reason
    refused = rules.check_cancel(
        view.assessment, feedback=feedback, feedback_option=feedback_option
    )
    if refused is not None:
        raise _refused(request, portal, view, refused)
    comment = form.get("comment", "").strip()[:MAX_COMMENT] or None
    if not (view.assessment.feedback or view.assessment.feedback_options):
        comment = None
    operation, params = rules.cancel_request(
        view.assessment,
        portal.configuration,
        feedback=feedback,
        feedback_option=feedback_option,
        comment=comment,
    )
    try:
        portal.call(operation, params, subscription_exposed_id=view.subscription["id"])
    except StripeError as error:
        message = gettext(portal.locale, CHANGE_FAILED, reason=error.message)
        return cancel_page(request, portal, view, error=message, status=400)
    notice = (
        "subscription_canceled"
        if operation.startswith("Delete")
        else "subscription_cancel_scheduled"
    )
    return pages.finish_flow(request, portal, notice)


def accept_retention(request: Request, portal: Portal) -> Response:
    view = load(request, portal, request.path_params["subscription"])
    coupon = _retention(portal, view)
    if coupon is None:
        raise _refused(request, portal, view, rules.Limit(rules.PROMOTION_CODE_NOT_ALLOWED))
    if not view.assessment.can_cancel:
        raise _refused(request, portal, view, view.assessment.cancel_limits[0])
    try:
        portal.call(
            "PostSubscriptionsSubscriptionExposedId",
            {"discounts": [{"coupon": coupon["id"]}]},
            subscription_exposed_id=view.subscription["id"],
        )
    except StripeError as error:
        message = gettext(portal.locale, CHANGE_FAILED, reason=error.message)
        return cancel_page(request, portal, view, error=message, status=400)
    return pages.finish_flow(request, portal, "retention_accepted")


# -- renew --------------------------------------------------------------------------------------


def renew(request: Request, portal: Portal) -> Response:
    view = load(request, portal, request.path_params["subscription"])
    refused = rules.check_renew(view.assessment)
    if refused is not None:
        raise _refused(request, portal, view, refused)
    portal.call(
        "PostSubscriptionsSubscriptionExposedId",
        rules.renew_params(),
        subscription_exposed_id=view.subscription["id"],
    )
    return pages.finish_flow(request, portal, "subscription_renewed")


# -- deep links and routes ----------------------------------------------------------------------


def _flow_subscription(portal: Portal) -> str:
    flow = portal.flow or {}
    return str((flow.get(str(flow.get("type"))) or {}).get("subscription"))


pages.FLOW_ENTRIES.update(
    {
        "subscription_cancel": lambda portal: portal.url(
            "subscriptions", _flow_subscription(portal), "cancel"
        ),
        "subscription_update": lambda portal: portal.url(
            "subscriptions", _flow_subscription(portal), "update"
        ),
        "subscription_update_confirm": lambda portal: portal.url(
            "subscriptions", _flow_subscription(portal), "confirm"
        ),
    }
)

session_route("/subscriptions/{subscription}", subscription_page)
session_route("/subscriptions/{subscription}/update", update_page)
session_route("/subscriptions/{subscription}/update", preview_change, methods=["POST"])
session_route("/subscriptions/{subscription}/confirm", confirm_flow_page)
session_route("/subscriptions/{subscription}/confirm", confirm_change, methods=["POST"])
session_route("/subscriptions/{subscription}/cancel", cancel_page)
session_route("/subscriptions/{subscription}/cancel", cancel, methods=["POST"])
session_route("/subscriptions/{subscription}/retention", accept_retention, methods=["POST"])
session_route("/subscriptions/{subscription}/renew", renew, methods=["POST"])
