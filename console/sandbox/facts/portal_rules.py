"""What the sandbox's portal lets a customer do with one subscription, as Stripe's portal does.

Pure functions over the stored Stripe objects (a subscription with its items and
prices, its customer, the portal configuration, the configured prices and
products, the default payment method): no store, no clock, no HTML. The pages
(``subscriptions.py``) show what :func:`assess` offers, explain every
:class:`Limit` it reports, and refuse with :func:`check_change` and
:func:`check_cancel` anything posted by hand that the assessment does not offer.

These are the sandbox's own rules, written from Stripe's documentation; the
console has rules of its own, and tests compare the two, so nothing is shared.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from console.sandbox.facts.spec import JSON
from resources import load_json

# Limits: why an action is not offered. Each names one rule of Stripe's portal.
SEVERAL_PRODUCTS = "several_products"
SEVERAL_ITEMS = "several_items"
METERED = "metered"
SEND_INVOICE = "send_invoice"
UNSUPPORTED_PAYMENT_METHOD = "unsupported_payment_method"
SCHEDULE = "schedule"
PENDING_UPDATE = "pending_update"
CANCEL_SCHEDULED = "cancel_scheduled"
ENDED = "ended"
PAUSED = "paused"
INCOMPLETE = "incomplete"
UPDATE_DISABLED = "update_disabled"
NOTHING_OFFERED = "nothing_offered"
PRODUCT_NOT_OFFERED = "product_not_offered"
TAX_BEHAVIOR_UNSPECIFIED = "tax_behavior_unspecified"
TAX_BEHAVIOR_DIFFERS = "tax_behavior_differs"
CANCEL_DISABLED = "cancel_disabled"
NOT_SCHEDULED_TO_CANCEL = "not_scheduled_to_cancel"
# Refusals of a hand-posted change.
PRICE_NOT_OFFERED = "price_not_offered"
QUANTITY_NOT_ADJUSTABLE = "quantity_not_adjustable"
QUANTITY_OUT_OF_RANGE = "quantity_out_of_range"
PROMOTION_CODE_NOT_ALLOWED = "promotion_code_not_allowed"
NO_CHANGE = "no_change"
FEEDBACK_NOT_OFFERED = "feedback_not_offered"

# The four "can only be canceled" rules of the portal, in the order they are explained.
CANCEL_ONLY = (SEVERAL_PRODUCTS, SEVERAL_ITEMS, METERED, SEND_INVOICE, UNSUPPORTED_PAYMENT_METHOD)

ENDED_STATUSES = ("canceled", "incomplete_expired")
MAX_PRODUCTS = 10
# Stripe's portal caps an adjustable quantity at 99 when the configuration sets no maximum.
DEFAULT_MAX_QUANTITY = 99
INTERVAL_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}


@cache
def portal_payment_method_types() -> frozenset[str]:
    """The twelve payment-method types the portal can manage (resources/stripe)."""
    table = load_json("stripe", "portal-payment-methods.json")["portal_payment_methods"]
    return frozenset(str(entry["type"]) for entry in table)


@dataclass(frozen=True)
class Limit:
    """One reason an action is not offered; ``value`` names what is at fault (a type, an id)."""

    code: str
    value: str | None = None


@dataclass(frozen=True)
class QuantityRange:
    minimum: int
    maximum: int

    def __contains__(self, quantity: object) -> bool:
        return isinstance(quantity, int) and self.minimum <= quantity <= self.maximum


@dataclass(frozen=True)
class Assessment:
    """What the portal offers for one subscription, and why it offers no more."""

    subscription: JSON
    item: JSON | None
    cancel_only: tuple[Limit, ...]
    update_limits: tuple[Limit, ...]
    price_limits: tuple[Limit, ...]
    prices: tuple[JSON, ...]
    excluded_prices: tuple[tuple[str, Limit], ...]
    quantities: Mapping[str, QuantityRange]
    promotion_code: bool
    cancel_limits: tuple[Limit, ...]
    can_renew: bool
    trial_behavior: str | None
    feedback: tuple[str, ...] = field(default=())
    feedback_options: tuple[str, ...] = field(default=())

    @property
    def can_update(self) -> bool:
        return not self.update_limits

    @property
    def can_cancel(self) -> bool:
        return not self.cancel_limits

    @property
    def current_price(self) -> JSON | None:
        return None if self.item is None else _price_of(self.item)

    @property
    def current_product(self) -> str | None:
        price = self.current_price
        return None if price is None else product_id(price)

    def quantity_range(self, product: str | None) -> QuantityRange | None:
        return None if product is None else self.quantities.get(product)


# -- reading the objects ------------------------------------------------------------------------


def object_id(value: Any) -> str | None:
    """The id of an expandable field, whether it holds the id or the object."""
    if isinstance(value, dict):
        found = value.get("id")
        return None if found is None else str(found)
    return None if value is None else str(value)


def product_id(price: JSON) -> str | None:
    return object_id(price.get("product"))


def _price_of(item: JSON) -> JSON:
    price = item.get("price")
    return price if isinstance(price, dict) else {}


def items(subscription: JSON) -> list[JSON]:
    found = (subscription.get("items") or {}).get("data") or []
    return [i for i in found if not i.get("deleted")]


def is_metered(price: JSON) -> bool:
    return (price.get("recurring") or {}).get("usage_type") == "metered"


def interval_of(price: JSON) -> tuple[str, int]:
    recurring = price.get("recurring") or {}
    return str(recurring.get("interval") or "month"), int(recurring.get("interval_count") or 1)


def default_payment_method_id(subscription: JSON, customer: JSON | None) -> str | None:
    """What the subscription charges: its own default, else the customer's invoice default."""
    own = object_id(subscription.get("default_payment_method"))
    if own:
        return own
    settings = (customer or {}).get("invoice_settings") or {}
    return object_id(settings.get("default_payment_method"))


def scheduled_to_cancel(subscription: JSON) -> bool:
    return bool(subscription.get("cancel_at_period_end") or subscription.get("cancel_at"))


# -- the rules ----------------------------------------------------------------------------------


def cancel_only_limits(subscription: JSON, payment_method: JSON | None) -> list[Limit]:
    """The portal's rules that leave a subscription only a cancel button."""
    found: list[Limit] = []
    live = items(subscription)
    products = {product_id(_price_of(i)) for i in live}
    if len(products) > 1:
        found.append(Limit(SEVERAL_PRODUCTS, str(len(products))))
    elif len(live) > 1:
        found.append(Limit(SEVERAL_ITEMS, str(len(live))))
    if any(is_metered(_price_of(i)) for i in live):
        found.append(Limit(METERED))
    if subscription.get("collection_method") == "send_invoice":
        found.append(Limit(SEND_INVOICE))
    if payment_method is not None:
        kind = str(payment_method.get("type") or "")
        if kind not in portal_payment_method_types():
            found.append(Limit(UNSUPPORTED_PAYMENT_METHOD, kind))
    return found


def _state_limits(subscription: JSON) -> list[Limit]:
    """What the subscription's own state forbids for an update, whatever is configured."""
    status = subscription.get("status")
    if status in ENDED_STATUSES:
        return [Limit(ENDED, str(status))]
    found: list[Limit] = []
    schedule = object_id(subscription.get("schedule"))
    if schedule:
        found.append(Limit(SCHEDULE, schedule))
    if subscription.get("pending_update"):
        found.append(Limit(PENDING_UPDATE))
    if scheduled_to_cancel(subscription):
        found.append(Limit(CANCEL_SCHEDULED))
    if status == "paused":
        found.append(Limit(PAUSED))
    if status == "incomplete":
        found.append(Limit(INCOMPLETE))
    return found


def _quantities(update: JSON) -> dict[str, QuantityRange]:
    if "quantity" not in (update.get("default_allowed_updates") or []):
        return {}
    ranges: dict[str, QuantityRange] = {}
    for entry in (update.get("products") or [])[:MAX_PRODUCTS]:
        adjustable = entry.get("adjustable_quantity") or {}
        if not adjustable.get("enabled"):
            continue
        low = max(1, int(adjustable.get("minimum") or 0))
        high = int(adjustable.get("maximum") or DEFAULT_MAX_QUANTITY)
        ranges[str(entry["product"])] = QuantityRange(low, max(low, high))
    return ranges


def _switchable(
    current: JSON,
    update: JSON,
    currency: str | None,
    prices: Mapping[str, JSON],
    products: Mapping[str, JSON],
) -> tuple[list[JSON], list[tuple[str, Limit]]]:
    """The configured prices a customer on ``current`` may switch to, and those left out."""
    offered: list[JSON] = []
    excluded: list[tuple[str, Limit]] = []
    tax = current.get("tax_behavior") or "unspecified"
    for entry in (update.get("products") or [])[:MAX_PRODUCTS]:
        product = products.get(str(entry["product"]))
        if product is not None and (product.get("deleted") or product.get("active") is False):
            continue
        for price_id in entry.get("prices") or []:
            price = prices.get(price_id)
            if price is None or price_id == current.get("id"):
                continue
            if (
                price.get("active") is False
                or price.get("type") != "recurring"
                or is_metered(price)
                or (currency is not None and price.get("currency") != currency)
            ):
                continue
            if (price.get("tax_behavior") or "unspecified") != tax:
                excluded.append((price_id, Limit(TAX_BEHAVIOR_DIFFERS, price.get("tax_behavior"))))
                continue
            offered.append(price)
    return offered, excluded


def assess(
    subscription: JSON,
    customer: JSON | None,
    configuration: JSON,
    *,
    payment_method: JSON | None,
    prices: Mapping[str, JSON],
    products: Mapping[str, JSON] | None = None,
) -> Assessment:
    """Everything the portal offers for ``subscription`` under ``configuration``.

    ``prices`` holds (at least) the configuration's listed prices by id, ``products``
    their products; ``payment_method`` is the default one (:func:`default_payment_method_id`).
    """
    features = configuration.get("features") or {}
    update: JSON = features.get("subscription_update") or {}
    cancel: JSON = features.get("subscription_cancel") or {}
    live = items(subscription)
    item = live[0] if len(live) == 1 else None
    cancel_only = cancel_only_limits(subscription, payment_method)
    state = _state_limits(subscription)
    allowed = update.get("default_allowed_updates") or []

    update_limits: list[Limit] = [*cancel_only, *state]
    if not update.get("enabled") or not allowed:
        update_limits.append(Limit(UPDATE_DISABLED))

    price_limits: list[Limit] = []
    offered: list[JSON] = []
    excluded: list[tuple[str, Limit]] = []
    current = _price_of(item) if item is not None else None
    if current is not None and "price" in allowed:
        if (current.get("tax_behavior") or "unspecified") == "unspecified":
            price_limits.append(Limit(TAX_BEHAVIOR_UNSPECIFIED))
        else:
            offered, excluded = _switchable(
                current, update, subscription.get("currency"), prices, products or {}
            )
    quantities = _quantities(update)
    promotion = "promotion_code" in allowed
    current_product = product_id(current) if current is not None else None
    configured = {str(entry.get("product")) for entry in update.get("products") or []}
    if not update_limits and current_product is not None and current_product not in configured:
        # The portal changes only subscriptions whose product it offers (billing-portal.md §8).
        update_limits.append(Limit(PRODUCT_NOT_OFFERED, current_product))
    if not update_limits and not offered and current_product not in quantities and not promotion:
        update_limits.append(Limit(NOTHING_OFFERED))

    cancel_limits: list[Limit] = []
    if not cancel.get("enabled"):
        cancel_limits.append(Limit(CANCEL_DISABLED))
    if subscription.get("status") in ENDED_STATUSES:
        cancel_limits.append(Limit(ENDED, str(subscription.get("status"))))
    elif scheduled_to_cancel(subscription):
        cancel_limits.append(Limit(CANCEL_SCHEDULED))
    if object_id(subscription.get("schedule")):
        cancel_limits.append(Limit(SCHEDULE, object_id(subscription.get("schedule"))))

    reason: JSON = cancel.get("cancellation_reason") or {}
    trial = None
    if subscription.get("status") == "trialing":
        trial = str(update.get("trial_update_behavior") or "end_trial")
    return Assessment(
        subscription=subscription,
        item=item,
        cancel_only=tuple(cancel_only),
        update_limits=tuple(update_limits),
        price_limits=tuple(price_limits),
        prices=tuple(offered),
        excluded_prices=tuple(excluded),
        quantities=quantities,
        promotion_code=promotion,
        cancel_limits=tuple(cancel_limits),
        can_renew=(
            scheduled_to_cancel(subscription)
            and subscription.get("status") not in ENDED_STATUSES
            and not object_id(subscription.get("schedule"))
        ),
        trial_behavior=trial,
        feedback=tuple(reason.get("options") or []) if reason.get("enabled") else (),
        feedback_options=(
            tuple(reason.get("feedback_options") or []) if reason.get("enabled") else ()
        ),
    )


# -- checking what is posted --------------------------------------------------------------------


def target_product(assessment: Assessment, price_id: str | None) -> str | None:
    if price_id is None or price_id == (assessment.current_price or {}).get("id"):
        return assessment.current_product
    chosen = next((p for p in assessment.prices if p.get("id") == price_id), None)
    return None if chosen is None else product_id(chosen)


def check_change(
    assessment: Assessment,
    *,
    price: str | None,
    quantity: int | None,
    promotion_code: bool,
    merchant_discount: bool = False,
) -> Limit | None:
    """Why the portal refuses this change, or None when it offers it.

    ``merchant_discount`` is a discount the merchant put in a ``subscription_update_confirm``
    deep link: a change of its own, not subject to ``default_allowed_updates``.
    """
    if assessment.update_limits:
        return assessment.update_limits[0]
    current = assessment.current_price or {}
    item = assessment.item or {}
    new_price = price if price not in (None, current.get("id")) else None
    if new_price is not None:
        if assessment.price_limits:
            return assessment.price_limits[0]
        if not any(p.get("id") == new_price for p in assessment.prices):
            refused = dict(assessment.excluded_prices).get(new_price)
            return refused or Limit(PRICE_NOT_OFFERED, new_price)
    new_quantity = quantity if quantity not in (None, item.get("quantity")) else None
    product = target_product(assessment, new_price)
    quantity_range = assessment.quantity_range(product)
    if new_quantity is not None:
        if quantity_range is None:
            return Limit(QUANTITY_NOT_ADJUSTABLE, product)
        if new_quantity not in quantity_range:
            return Limit(
                QUANTITY_OUT_OF_RANGE, f"{quantity_range.minimum}-{quantity_range.maximum}"
            )
    elif new_price is not None and quantity_range is not None:
        # Switching product keeps the quantity, which must fit the new product's range.
        kept = int(item.get("quantity") or 1)
        if kept not in quantity_range:
            return Limit(
                QUANTITY_OUT_OF_RANGE, f"{quantity_range.minimum}-{quantity_range.maximum}"
            )
    if promotion_code and not assessment.promotion_code:
        return Limit(PROMOTION_CODE_NOT_ALLOWED)
    if new_price is None and new_quantity is None and not promotion_code and not merchant_discount:
        return Limit(NO_CHANGE)
    return None


def check_cancel(
    assessment: Assessment, *, feedback: str | None = None, feedback_option: str | None = None
) -> Limit | None:
    """Why the portal refuses this cancellation, or None."""
    if assessment.cancel_limits:
        return assessment.cancel_limits[0]
    if feedback and feedback not in assessment.feedback:
        return Limit(FEEDBACK_NOT_OFFERED, feedback)
    if feedback_option and feedback_option not in assessment.feedback_options:
        return Limit(FEEDBACK_NOT_OFFERED, feedback_option)
    return None


def check_renew(assessment: Assessment) -> Limit | None:
    if assessment.subscription.get("status") in ENDED_STATUSES:
        return Limit(ENDED, str(assessment.subscription.get("status")))
    if object_id(assessment.subscription.get("schedule")):
        return Limit(SCHEDULE, object_id(assessment.subscription.get("schedule")))
    if not assessment.can_renew:
        return Limit(NOT_SCHEDULED_TO_CANCEL)
    return None


# -- what the change is, as API parameters ------------------------------------------------------


def _period_rate(price: JSON, quantity: int) -> float:
    """A price's cost per day, so that amounts of different intervals compare."""
    from console.sandbox.resources import subscription_items

    interval, count = interval_of(price)
    days = INTERVAL_DAYS.get(interval, 30) * count
    return subscription_items.amount_for(price, quantity) / days


def deferred_to_period_end(
    configuration: JSON, current: JSON, quantity: int, new: JSON, new_quantity: int
) -> bool:
    """Whether the configuration's ``schedule_at_period_end`` conditions defer this change."""
    update = (configuration.get("features") or {}).get("subscription_update") or {}
    conditions = {
        c.get("type") for c in (update.get("schedule_at_period_end") or {}).get("conditions") or []
    }
    if "decreasing_item_amount" in conditions and _period_rate(new, new_quantity) < _period_rate(
        current, quantity
    ):
        return True
    if "shortening_interval" in conditions:
        old_interval, old_count = interval_of(current)
        new_interval, new_count = interval_of(new)
        old_days = INTERVAL_DAYS.get(old_interval, 30) * old_count
        if INTERVAL_DAYS.get(new_interval, 30) * new_count < old_days:
            return True
    return False


def update_params(
    assessment: Assessment,
    configuration: JSON,
    *,
    price: str | None,
    quantity: int | None,
    promotion_code: str | None = None,
    discounts: list[JSON] | None = None,
) -> JSON:
    """``POST /v1/subscriptions/{id}`` parameters for a change :func:`check_change` accepted.

    ``promotion_code`` is the id of a code the customer entered; ``discounts`` those of a
    deep link (``coupon`` or ``promotion_code`` entries).
    """
    update = (configuration.get("features") or {}).get("subscription_update") or {}
    item = assessment.item or {}
    entry: JSON = {"id": item.get("id")}
    if price is not None:
        entry["price"] = price
    if quantity is not None:
        entry["quantity"] = quantity
    params: JSON = {
        "items": [entry],
        "proration_behavior": update.get("proration_behavior") or "none",
    }
    if update.get("billing_cycle_anchor") == "now":
        params["billing_cycle_anchor"] = {"type": "now"}
    if assessment.trial_behavior == "end_trial":
        params["trial_end"] = "now"
    if promotion_code is not None:
        params["discounts"] = [{"promotion_code": promotion_code}]
    elif discounts:
        params["discounts"] = [{k: v for k, v in d.items() if v} for d in discounts]
    return params


def preview_params(assessment: Assessment, configuration: JSON, change: JSON) -> JSON:
    """``create_preview`` parameters showing what ``change`` (from :func:`update_params`) bills."""
    subscription = assessment.subscription
    details = {k: v for k, v in change.items() if k != "discounts"}
    params: JSON = {
        "customer": object_id(subscription.get("customer")),
        "subscription": subscription.get("id"),
        "subscription_details": details,
    }
    if "discounts" in change:
        params["discounts"] = change["discounts"]
    return params


def cancel_request(
    assessment: Assessment,
    configuration: JSON,
    *,
    feedback: str | None,
    feedback_option: str | None,
    comment: str | None,
) -> tuple[str, JSON]:
    """The operation and parameters of a portal cancellation, per the configuration's mode."""
    cancel = (configuration.get("features") or {}).get("subscription_cancel") or {}
    details: JSON = {}
    if feedback:
        details["feedback"] = feedback
    if feedback_option:
        details["feedback_option"] = feedback_option
    if comment:
        details["comment"] = comment
    if cancel.get("mode") == "immediately":
        params: JSON = {"prorate": cancel.get("proration_behavior") == "create_prorations"}
        if details:
            params["cancellation_details"] = details
        return "DeleteSubscriptionsSubscriptionExposedId", params
    params = {"cancel_at_period_end": True}
    if details:
        params["cancellation_details"] = details
    return "PostSubscriptionsSubscriptionExposedId", params


def renew_params() -> JSON:
    return {"cancel_at_period_end": False}


def schedule_params(assessment: Assessment, *, price: str | None, quantity: int | None) -> JSON:
    """Phases that keep the current plan to the period's end, then switch (a deferred change).

    For ``POST /v1/subscription_schedules/{id}`` on a schedule made ``from_subscription``; the
    schedule releases the subscription once the new plan has started.
    """
    item = assessment.item or {}
    current = assessment.current_price or {}
    end = int(item.get("current_period_end") or 0)
    kept = int(item.get("quantity") or 1)
    return {
        "end_behavior": "release",
        "phases": [
            {"items": [{"price": current.get("id"), "quantity": kept}], "end_date": end},
            {
                "items": [
                    {
                        "price": price or current.get("id"),
                        "quantity": quantity if quantity is not None else kept,
                    }
                ],
                "proration_behavior": "none",
            },
        ],
    }
