"""Stripe's rules for a portal configuration, checked before anything is sent.

``validate(config, catalogue)`` returns every problem at once, each naming its field in Stripe's
bracket form (``features[subscription_update][products][0][prices]``) so a form can mark it.
The rules come from billing-portal.md §1-2 and the product spec's limitations; where Stripe's
own error would name a parameter, the problem names the same one (the e2e tests compare the two).

The catalogue is the account's prices (with their products), loaded through the gateway and
passed in, so this module stays pure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from console.configurations.model import (
    BillingCycleAnchor,
    CancellationReasonOption,
    CancelMode,
    CustomerUpdateField,
    Interval,
    PauseDurationType,
    PortalConfiguration,
    ProrationBehavior,
    ScheduleCondition,
    SubscriptionUpdateKind,
    TrialUpdateBehavior,
    UpdatableProduct,
    literal_values,
)
from console.configurations.retention import retention_problems
from console.errors import ValidationProblem
from console.gateway.catalogue import Coupon, CouponId, FeedbackOption, FeedbackOptionId
from console.gateway.models import Price, PriceId, ProductId
from console.i18n import N_, _, formatting_locale
from console.money import format_amount

MAX_PRODUCTS = 10
MAX_HEADLINE = 60
MAX_NAME = 256
MAX_METADATA_KEYS = 50
MAX_METADATA_KEY = 40
MAX_METADATA_VALUE = 500
# Stripe caps a pause offered in the portal at three years, whatever the unit.
_MAX_PAUSE_COUNT = {"day": 3 * 365, "week": 3 * 52, "month": 36, "year": 3}

UPDATE = "features[subscription_update]"
CANCEL = "features[subscription_cancel]"
PAUSE = "features[subscription_pause][duration]"


@dataclass(frozen=True, slots=True)
class Catalogue:
    """The account's prices by id, and the products they belong to (id -> name); its coupons
    and custom cancellation reasons, by id (None: they could not be read, e.g. a restricted
    key without the permission, so nothing is said about them)."""

    prices: Mapping[PriceId, Price] = field(default_factory=dict)
    products: Mapping[ProductId, str | None] = field(default_factory=dict)
    coupons: Mapping[CouponId, Coupon] | None = None
    feedback_options: Mapping[FeedbackOptionId, FeedbackOption] | None = None

    @classmethod
    def from_prices(
        cls, prices: Iterable[Price], products: Mapping[ProductId, str | None] | None = None
    ) -> Catalogue:
        """Products default to those the prices name (with the names the prices carry)."""
        listed = tuple(prices)
        known: dict[ProductId, str | None] = {p.product_id: p.product_name for p in listed}
        known.update(products or {})
        return cls(prices={p.id: p for p in listed}, products=known)

    def prices_of(self, product: ProductId) -> tuple[Price, ...]:
        return tuple(p for p in self.prices.values() if p.product_id == product)


def validate(config: PortalConfiguration, catalogue: Catalogue) -> list[ValidationProblem]:
    """Every rule ``config`` breaks, in field order; empty when Stripe should accept it."""
    problems: list[ValidationProblem] = []
    problems += _check_texts(config)
    problems += _check_urls(config)
    problems += _check_enums(config)
    problems += _check_subscription_update(config, catalogue)
    problems += _check_subscription_cancel(config)
    problems += _check_feedback_options(config, catalogue)
    problems += retention_problems(config, catalogue.coupons)
    problems += _check_pause(config)
    problems += _check_metadata(config.metadata or {})
    return problems


def _problem(param: str, code: str, message: str) -> ValidationProblem:
    return ValidationProblem(param=param, code=code, message=message)


def _check_texts(config: PortalConfiguration) -> list[ValidationProblem]:
    problems = []
    headline = config.business_profile.headline
    if headline is not None and len(headline) > MAX_HEADLINE:
        problems.append(
            _problem(
                "business_profile[headline]",
                "string_too_long",
                _("The headline is %(length)s characters; Stripe allows at most %(limit)s.")
                % {"length": len(headline), "limit": MAX_HEADLINE},
            )
        )
    if config.name is not None and len(config.name) > MAX_NAME:
        problems.append(
            _problem(
                "name",
                "string_too_long",
                _("The name is %(length)s characters; Stripe allows at most %(limit)s.")
                % {"length": len(config.name), "limit": MAX_NAME},
            )
        )
    return problems


def is_web_url(value: str) -> bool:
    """An absolute http(s) URL with a host and no spaces: what Stripe takes for portal links."""
    if any(ch.isspace() for ch in value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in {"http", "https"} and bool(parts.hostname)


def _check_urls(config: PortalConfiguration) -> list[ValidationProblem]:
    problems = []
    fields = (
        ("business_profile[privacy_policy_url]", config.business_profile.privacy_policy_url),
        ("business_profile[terms_of_service_url]", config.business_profile.terms_of_service_url),
        ("default_return_url", config.default_return_url),
    )
    for param, value in fields:
        if value is not None and not is_web_url(value):
            problems.append(
                _problem(
                    param,
                    "url_invalid",
                    _(
                        "%(value)s is not a web address: it must start with https:// (or "
                        "http://) and name a host."
                    )
                    % {"value": repr(value)},
                )
            )
    return problems


def _enum_problem(param: str, value: Any, kind: Any) -> ValidationProblem | None:
    allowed = literal_values(kind)
    if value in allowed:
        return None
    return _problem(
        param,
        "value_unknown",
        _("%(value)s is not one of %(allowed)s.")
        % {"value": repr(value), "allowed": ", ".join(sorted(allowed))},
    )


def _check_enums(config: PortalConfiguration) -> list[ValidationProblem]:
    """Values an import could carry that Stripe's enums do not have."""
    features = config.features
    cancel = features.subscription_cancel
    update = features.subscription_update
    checks: list[tuple[str, Any, Any]] = [
        (f"{CANCEL}[mode]", cancel.mode, CancelMode),
        (f"{CANCEL}[proration_behavior]", cancel.proration_behavior, ProrationBehavior),
        (f"{UPDATE}[proration_behavior]", update.proration_behavior, ProrationBehavior),
        (f"{UPDATE}[trial_update_behavior]", update.trial_update_behavior, TrialUpdateBehavior),
        (f"{PAUSE}[type]", features.subscription_pause.duration.type, PauseDurationType),
    ]
    if update.billing_cycle_anchor is not None:
        checks.append(
            (f"{UPDATE}[billing_cycle_anchor]", update.billing_cycle_anchor, BillingCycleAnchor)
        )
    checks += [
        ("features[customer_update][allowed_updates]", value, CustomerUpdateField)
        for value in features.customer_update.allowed_updates
    ]
    checks += [
        (f"{CANCEL}[cancellation_reason][options]", value, CancellationReasonOption)
        for value in cancel.cancellation_reason.options
    ]
    checks += [
        (f"{UPDATE}[default_allowed_updates]", value, SubscriptionUpdateKind)
        for value in update.default_allowed_updates
    ]
    checks += [
        (f"{UPDATE}[schedule_at_period_end][conditions][{i}][type]", value, ScheduleCondition)
        for i, value in enumerate(update.schedule_at_period_end)
    ]
    checks += [
        (f"{PAUSE}[interval_options][{i}][interval]", option.interval, Interval)
        for i, option in enumerate(features.subscription_pause.duration.interval_options)
    ]
    return [p for p in (_enum_problem(*check) for check in checks) if p is not None]


def _check_subscription_update(
    config: PortalConfiguration, catalogue: Catalogue
) -> list[ValidationProblem]:
    update = config.features.subscription_update
    products = update.products or ()
    problems = []
    if update.enabled and not update.default_allowed_updates:
        problems.append(
            _problem(
                f"{UPDATE}[default_allowed_updates]",
                "parameter_missing",
                _(
                    "Subscription updates are on: choose what customers may change (price, "
                    "quantity, promotion code)."
                ),
            )
        )
    if update.enabled and not products:
        problems.append(
            _problem(
                f"{UPDATE}[products]",
                "parameter_missing",
                _(
                    "Subscription updates are on: list at least one product customers may "
                    "switch to."
                ),
            )
        )
    if len(products) > MAX_PRODUCTS:
        problems.append(
            _problem(
                f"{UPDATE}[products]",
                "too_many_products",
                _("%(count)s products are listed; the portal offers at most %(limit)s.")
                % {"count": len(products), "limit": MAX_PRODUCTS},
            )
        )
    seen: set[str] = set()
    for index, entry in enumerate(products):
        base = f"{UPDATE}[products][{index}]"
        if entry.product in seen:
            problems.append(
                _problem(
                    f"{base}[product]",
                    "duplicate_product",
                    _("Product %(product)s is listed twice; list it once with all its prices.")
                    % {"product": catalogue.products.get(entry.product) or entry.product},
                )
            )
        seen.add(entry.product)
        if entry.product not in catalogue.products:
            problems.append(
                _problem(
                    f"{base}[product]",
                    "resource_missing",
                    _("No product %(product)s on this account.") % {"product": entry.product},
                )
            )
        problems += _check_prices(f"{base}[prices]", entry.product, entry.prices, catalogue)
        problems += _check_quantity(f"{base}[adjustable_quantity]", entry)
    return problems


# A length of time in words, singular and plural (one rule for English and German: 1 is singular).
_UNITS = {
    "day": (N_("%(count)s day"), N_("%(count)s days")),
    "week": (N_("%(count)s week"), N_("%(count)s weeks")),
    "month": (N_("%(count)s month"), N_("%(count)s months")),
    "year": (N_("%(count)s year"), N_("%(count)s years")),
}
_EVERY = {
    "day": N_("every day"),
    "week": N_("every week"),
    "month": N_("every month"),
    "year": N_("every year"),
}


def _length(count: int, unit: str) -> str:
    """``3 months``, ``1 year`` in the user's language (an unknown unit as Stripe spells it)."""
    forms = _UNITS.get(unit)
    if forms is None:
        return f"{count} {unit}"
    return _(forms[0] if count == 1 else forms[1]) % {"count": count}


def _interval_label(price: Price) -> str:
    count = price.recurring_interval_count or 1
    unit = price.recurring_interval or "?"
    if count == 1 and unit in _EVERY:
        return _(_EVERY[unit])
    return _("every %(length)s") % {"length": _length(count, unit)}


def _price_name(price: Price) -> str:
    """``$29.00 (price_…)``: the amount a merchant recognises, the id to find it by."""
    return f"{format_amount(price.unit_amount, price.currency, formatting_locale())} ({price.id})"


def _check_prices(
    param: str, product: ProductId, prices: tuple[PriceId, ...], catalogue: Catalogue
) -> list[ValidationProblem]:
    problems = []
    if not prices:
        problems.append(
            _problem(
                param,
                "parameter_missing",
                _("Product %(product)s needs at least one price.")
                % {"product": catalogue.products.get(product) or product},
            )
        )
    by_interval: dict[tuple[str | None, int], str] = {}
    for index, price_id in enumerate(prices):
        # Problems of one price name it by index; the interval clash is about the list.
        one = f"{param}[{index}]"
        price = catalogue.prices.get(price_id)
        if price is None:
            problems.append(
                _problem(
                    one,
                    "resource_missing",
                    _("No price %(price)s on this account.") % {"price": price_id},
                )
            )
            continue
        if price.product_id != product:
            problems.append(
                _problem(
                    one,
                    "price_of_other_product",
                    _("Price %(price)s belongs to product %(owner)s, not %(product)s.")
                    % {
                        "price": _price_name(price),
                        "owner": catalogue.products.get(price.product_id) or price.product_id,
                        "product": catalogue.products.get(product) or product,
                    },
                )
            )
        if price.type != "recurring":
            problems.append(
                _problem(
                    one,
                    "price_not_recurring",
                    _(
                        "Price %(price)s is a one-time price; the portal switches between "
                        "recurring prices only."
                    )
                    % {"price": _price_name(price)},
                )
            )
            continue
        if not price.active:
            problems.append(
                _problem(
                    one,
                    "price_inactive",
                    _("Price %(price)s is archived (inactive) on Stripe.")
                    % {"price": _price_name(price)},
                )
            )
        key = (price.recurring_interval, price.recurring_interval_count or 1)
        if key in by_interval:
            problems.append(
                _problem(
                    param,
                    "duplicate_interval",
                    _(
                        "Prices %(first)s and %(second)s both bill %(interval)s; a product may "
                        "offer one price per interval (make a separate product for the other)."
                    )
                    % {
                        "first": by_interval[key],
                        "second": _price_name(price),
                        "interval": _interval_label(price),
                    },
                )
            )
        else:
            by_interval[key] = _price_name(price)
    return problems


def _check_quantity(param: str, entry: UpdatableProduct) -> list[ValidationProblem]:
    quantity = entry.adjustable_quantity
    if not quantity.enabled:
        return []
    problems = []
    if quantity.minimum < 0:
        problems.append(
            _problem(
                f"{param}[minimum]",
                "quantity_bounds_invalid",
                _("The minimum quantity (%(minimum)s) cannot be negative.")
                % {"minimum": quantity.minimum},
            )
        )
    if quantity.maximum is not None and (
        quantity.maximum < 1 or quantity.maximum < quantity.minimum
    ):
        problems.append(
            _problem(
                f"{param}[maximum]",
                "quantity_bounds_invalid",
                _(
                    "The maximum quantity (%(maximum)s) must be at least 1 and not below the "
                    "minimum (%(minimum)s)."
                )
                % {"maximum": quantity.maximum, "minimum": quantity.minimum},
            )
        )
    return problems


def _check_subscription_cancel(config: PortalConfiguration) -> list[ValidationProblem]:
    cancel = config.features.subscription_cancel
    reason = cancel.cancellation_reason
    problems = []
    if reason.enabled and not reason.options and not reason.feedback_options:
        problems.append(
            _problem(
                f"{CANCEL}[cancellation_reason][options]",
                "parameter_missing",
                _("Cancellation reasons are on: choose at least one reason to offer."),
            )
        )
    if cancel.proration_behavior == "always_invoice":
        problems.append(
            _problem(
                f"{CANCEL}[proration_behavior]",
                "proration_not_allowed",
                _(
                    "Cancellations cannot invoice prorations at once (always_invoice); choose "
                    "create_prorations or none."
                ),
            )
        )
    elif cancel.proration_behavior == "create_prorations" and cancel.mode != "immediately":
        problems.append(
            _problem(
                f"{CANCEL}[proration_behavior]",
                "proration_requires_immediate_cancel",
                _(
                    "Prorations on cancellation need cancellations to happen immediately; at "
                    "the end of the period there is nothing to prorate."
                ),
            )
        )
    return problems


def _check_feedback_options(
    config: PortalConfiguration, catalogue: Catalogue
) -> list[ValidationProblem]:
    """Custom reasons the account does not have, or has deactivated (Stripe refuses both)."""
    known = catalogue.feedback_options
    chosen = config.features.subscription_cancel.cancellation_reason.feedback_options or ()
    if known is None:
        return []  # not readable with this key: Stripe will say
    problems = []
    for index, option_id in enumerate(chosen):
        param = f"{CANCEL}[cancellation_reason][feedback_options][{index}]"
        option = known.get(FeedbackOptionId(option_id))
        if option is None:
            problems.append(
                _problem(
                    param,
                    "resource_missing",
                    _("There is no custom reason %(id)s on this account.") % {"id": option_id},
                )
            )
        elif not option.active:
            problems.append(
                _problem(
                    param,
                    "feedback_option_inactive",
                    _(
                        "The custom reason “%(description)s” is deactivated: the portal can no "
                        "longer offer it."
                    )
                    % {"description": option.description},
                )
            )
    return problems


def _check_pause(config: PortalConfiguration) -> list[ValidationProblem]:
    duration = config.features.subscription_pause.duration
    if duration.type != "interval_options":
        return []
    problems = []
    if config.features.subscription_pause.enabled and not duration.interval_options:
        problems.append(
            _problem(
                f"{PAUSE}[interval_options]",
                "parameter_missing",
                _("Pausing offers fixed durations: add at least one."),
            )
        )
    for index, option in enumerate(duration.interval_options):
        param = f"{PAUSE}[interval_options][{index}][interval_count]"
        limit = _MAX_PAUSE_COUNT.get(option.interval)
        if option.interval_count < 1:
            problems.append(
                _problem(
                    param,
                    "parameter_invalid_integer",
                    _("A pause of %(length)s is not a duration; use 1 or more.")
                    % {"length": _length(option.interval_count, option.interval)},
                )
            )
        elif limit is not None and option.interval_count > limit:
            problems.append(
                _problem(
                    param,
                    "pause_too_long",
                    _("A pause of %(length)s is longer than 3 years (at most %(limit)s).")
                    % {
                        "length": _length(option.interval_count, option.interval),
                        "limit": _length(limit, option.interval),
                    },
                )
            )
    return problems


def _check_metadata(metadata: Mapping[str, str]) -> list[ValidationProblem]:
    problems = []
    if len(metadata) > MAX_METADATA_KEYS:
        problems.append(
            _problem(
                "metadata",
                "metadata_too_many_keys",
                _("%(count)s metadata keys; Stripe keeps at most %(limit)s.")
                % {"count": len(metadata), "limit": MAX_METADATA_KEYS},
            )
        )
    for key, value in metadata.items():
        if not key:
            problems.append(
                _problem(
                    "metadata", "parameter_invalid_string_empty", _("A metadata key is empty.")
                )
            )
        elif len(key) > MAX_METADATA_KEY:
            problems.append(
                _problem(
                    f"metadata[{key}]",
                    "metadata_key_too_long",
                    _("The key %(key)s… is %(length)s characters; at most %(limit)s.")
                    % {"key": repr(key[:20]), "length": len(key), "limit": MAX_METADATA_KEY},
                )
            )
        if len(value) > MAX_METADATA_VALUE:
            problems.append(
                _problem(
                    f"metadata[{key}]",
                    "metadata_value_too_long",
                    _("The value of %(key)s is %(length)s characters; at most %(limit)s.")
                    % {"key": repr(key), "length": len(value), "limit": MAX_METADATA_VALUE},
                )
            )
    return problems
