"""A typed model of Stripe's ``billing_portal.configuration`` and the parameters that change it.

``configuration_from_stripe`` reads the JSON Stripe sends (every field of the 2026-10-28 API
version, billing-portal.md §1), ``configuration_to_stripe`` writes the same shape back (for export
and round trips), ``create_params`` is what a new configuration is created with, and
``update_params(before, after)`` is the minimal update: only fields that changed, ``""`` where
Stripe unsets a value, ``metadata[key]=""`` for each removed key.

Values are frozen; edit with ``dataclasses.replace`` or the helpers at the end (``edit``,
``with_product``, ``without_product``, ``with_metadata``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal, TypeVar, cast, get_args

from console.gateway.models import PortalConfigurationId, PriceId, ProductId

CustomerUpdateField = Literal["address", "email", "name", "phone", "shipping", "tax_id"]
CancelMode = Literal["at_period_end", "immediately"]
ProrationBehavior = Literal["always_invoice", "create_prorations", "none"]
CancellationReasonOption = Literal[
    "customer_service",
    "low_quality",
    "missing_features",
    "other",
    "switched_service",
    "too_complex",
    "too_expensive",
    "unused",
]
PauseDurationType = Literal["indefinite", "interval_options"]
Interval = Literal["day", "week", "month", "year"]
SubscriptionUpdateKind = Literal["price", "promotion_code", "quantity"]
BillingCycleAnchor = Literal["now", "unchanged"]
ScheduleCondition = Literal["decreasing_item_amount", "shortening_interval"]
TrialUpdateBehavior = Literal["continue_trial", "end_trial"]

Params = dict[str, Any]


@dataclass(frozen=True, slots=True)
class BusinessProfile:
    headline: str | None = None
    privacy_policy_url: str | None = None
    terms_of_service_url: str | None = None


@dataclass(frozen=True, slots=True)
class CustomerUpdate:
    enabled: bool = False
    allowed_updates: tuple[CustomerUpdateField, ...] = ()


@dataclass(frozen=True, slots=True)
class InvoiceHistory:
    enabled: bool = False


@dataclass(frozen=True, slots=True)
class PaymentMethodUpdate:
    enabled: bool = False
    payment_method_configuration: str | None = None  # pmc_…


@dataclass(frozen=True, slots=True)
class CancellationReason:
    enabled: bool = False
    options: tuple[CancellationReasonOption, ...] = ()
    # Custom reasons (billing.feedback_option ids); Stripe sends null when none were ever set.
    feedback_options: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class SubscriptionCancel:
    enabled: bool = False
    mode: CancelMode = "at_period_end"
    proration_behavior: ProrationBehavior = "none"
    cancellation_reason: CancellationReason = CancellationReason()


@dataclass(frozen=True, slots=True)
class PauseInterval:
    interval: Interval
    interval_count: int = 1


@dataclass(frozen=True, slots=True)
class PauseDuration:
    type: PauseDurationType = "interval_options"
    interval_options: tuple[PauseInterval, ...] = (PauseInterval("month", 1),)


@dataclass(frozen=True, slots=True)
class SubscriptionPause:
    enabled: bool = False
    duration: PauseDuration = PauseDuration()


@dataclass(frozen=True, slots=True)
class AdjustableQuantity:
    enabled: bool = False
    minimum: int = 1
    maximum: int | None = None


@dataclass(frozen=True, slots=True)
class UpdatableProduct:
    """One product customers may switch to, with the prices offered for it."""

    product: ProductId
    prices: tuple[PriceId, ...]
    adjustable_quantity: AdjustableQuantity = AdjustableQuantity()


@dataclass(frozen=True, slots=True)
class SubscriptionUpdate:
    enabled: bool = False
    default_allowed_updates: tuple[SubscriptionUpdateKind, ...] = ()
    products: tuple[UpdatableProduct, ...] | None = None
    proration_behavior: ProrationBehavior = "none"
    billing_cycle_anchor: BillingCycleAnchor | None = None
    schedule_at_period_end: tuple[ScheduleCondition, ...] = ()
    trial_update_behavior: TrialUpdateBehavior = "end_trial"


@dataclass(frozen=True, slots=True)
class Features:
    customer_update: CustomerUpdate = CustomerUpdate()
    invoice_history: InvoiceHistory = InvoiceHistory()
    payment_method_update: PaymentMethodUpdate = PaymentMethodUpdate()
    subscription_cancel: SubscriptionCancel = SubscriptionCancel()
    subscription_pause: SubscriptionPause = SubscriptionPause()
    subscription_update: SubscriptionUpdate = SubscriptionUpdate()


@dataclass(frozen=True, slots=True)
class LoginPage:
    enabled: bool = False
    url: str | None = None  # Stripe's shareable link; read-only


@dataclass(frozen=True, slots=True)
class PortalConfiguration:
    """A whole configuration. ``id`` is None for one not yet created on Stripe."""

    id: PortalConfigurationId | None = None
    name: str | None = None
    active: bool = True
    is_default: bool = False
    business_profile: BusinessProfile = BusinessProfile()
    default_return_url: str | None = None
    features: Features = Features()
    login_page: LoginPage = LoginPage()
    # Stripe sends null for a configuration that never had metadata; {} and null mean the same.
    metadata: Mapping[str, str] | None = None
    # Read-only facts Stripe keeps; carried so an export round-trips.
    livemode: bool = False
    created: int | None = None
    updated: int | None = None
    application: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)


# --- from Stripe's JSON ---------------------------------------------------------------------

_L = TypeVar("_L")


def _or(value: Any, default: _L) -> _L:
    """``value``, or ``default`` when Stripe left it out.

    Unknown enum values are kept as they are (a newer API version may add some), so that
    ``config_rules`` reports them instead of this parser hiding them.
    """
    if value is None:
        return default
    return cast(_L, value)


def _id_of(value: Any) -> str:
    if isinstance(value, Mapping):
        return str(value["id"])
    return str(value)


def _strings(values: Any) -> tuple[Any, ...]:
    return tuple(str(v) for v in values or ())


_KNOWN_KEYS = frozenset(
    {
        "id",
        "object",
        "active",
        "application",
        "business_profile",
        "created",
        "default_return_url",
        "features",
        "is_default",
        "livemode",
        "login_page",
        "metadata",
        "name",
        "updated",
    }
)


def configuration_from_stripe(raw: Mapping[str, Any]) -> PortalConfiguration:
    """The model of a configuration as Stripe sends it (a plain JSON dict)."""
    profile = raw.get("business_profile") or {}
    features = raw.get("features") or {}
    login = raw.get("login_page") or {}
    metadata = raw.get("metadata")
    application = raw.get("application")
    return PortalConfiguration(
        id=PortalConfigurationId(raw["id"]) if raw.get("id") else None,
        name=raw.get("name"),
        active=bool(raw.get("active", True)),
        is_default=bool(raw.get("is_default", False)),
        business_profile=BusinessProfile(
            headline=profile.get("headline"),
            privacy_policy_url=profile.get("privacy_policy_url"),
            terms_of_service_url=profile.get("terms_of_service_url"),
        ),
        default_return_url=raw.get("default_return_url"),
        features=_features_from_stripe(features),
        login_page=LoginPage(enabled=bool(login.get("enabled")), url=login.get("url")),
        metadata=None
        if metadata is None
        else MappingProxyType({str(k): str(v) for k, v in metadata.items()}),
        livemode=bool(raw.get("livemode", False)),
        created=raw.get("created"),
        updated=raw.get("updated"),
        application=None if application is None else _id_of(application),
        extra=MappingProxyType({k: v for k, v in raw.items() if k not in _KNOWN_KEYS}),
    )


def _features_from_stripe(raw: Mapping[str, Any]) -> Features:
    customer = raw.get("customer_update") or {}
    invoices = raw.get("invoice_history") or {}
    methods = raw.get("payment_method_update") or {}
    cancel = raw.get("subscription_cancel") or {}
    reason = cancel.get("cancellation_reason") or {}
    pause = raw.get("subscription_pause") or {}
    duration = pause.get("duration") or {}
    update = raw.get("subscription_update") or {}
    products = update.get("products")
    schedule = update.get("schedule_at_period_end") or {}
    feedback = reason.get("feedback_options")
    return Features(
        customer_update=CustomerUpdate(
            enabled=bool(customer.get("enabled")),
            allowed_updates=_strings(customer.get("allowed_updates")),
        ),
        invoice_history=InvoiceHistory(enabled=bool(invoices.get("enabled"))),
        payment_method_update=PaymentMethodUpdate(
            enabled=bool(methods.get("enabled")),
            payment_method_configuration=methods.get("payment_method_configuration"),
        ),
        subscription_cancel=SubscriptionCancel(
            enabled=bool(cancel.get("enabled")),
            mode=_or(cancel.get("mode"), "at_period_end"),
            proration_behavior=_or(cancel.get("proration_behavior"), "none"),
            cancellation_reason=CancellationReason(
                enabled=bool(reason.get("enabled")),
                options=_strings(reason.get("options")),
                feedback_options=None
                if feedback is None
                else tuple(_id_of(option) for option in feedback),
            ),
        ),
        subscription_pause=SubscriptionPause(
            enabled=bool(pause.get("enabled")),
            duration=PauseDuration(
                type=_or(duration.get("type"), "interval_options"),
                interval_options=tuple(
                    PauseInterval(
                        interval=option["interval"],
                        interval_count=int(option.get("interval_count") or 1),
                    )
                    for option in duration.get("interval_options") or ()
                )
                if duration
                else PauseDuration().interval_options,
            ),
        ),
        subscription_update=SubscriptionUpdate(
            enabled=bool(update.get("enabled")),
            default_allowed_updates=_strings(update.get("default_allowed_updates")),
            products=None
            if products is None
            else tuple(_product_from_stripe(product) for product in products),
            proration_behavior=_or(update.get("proration_behavior"), "none"),
            billing_cycle_anchor=update.get("billing_cycle_anchor"),
            schedule_at_period_end=tuple(
                condition["type"] for condition in schedule.get("conditions") or ()
            ),
            trial_update_behavior=_or(update.get("trial_update_behavior"), "end_trial"),
        ),
    )


def _product_from_stripe(raw: Mapping[str, Any]) -> UpdatableProduct:
    quantity = raw.get("adjustable_quantity") or {}
    return UpdatableProduct(
        product=ProductId(_id_of(raw["product"])),
        prices=tuple(PriceId(_id_of(price)) for price in raw.get("prices") or ()),
        adjustable_quantity=AdjustableQuantity(
            enabled=bool(quantity.get("enabled")),
            minimum=int(quantity.get("minimum", 1)),
            maximum=quantity.get("maximum"),
        ),
    )


# --- back to Stripe's JSON ----------------------------------------------------------------


def configuration_to_stripe(config: PortalConfiguration) -> dict[str, Any]:
    """The configuration in Stripe's object shape (what ``configuration_from_stripe`` reads)."""
    features = config.features
    cancel = features.subscription_cancel
    reason = cancel.cancellation_reason
    pause = features.subscription_pause
    update = features.subscription_update
    return {
        "id": config.id,
        "object": "billing_portal.configuration",
        "active": config.active,
        "application": config.application,
        "business_profile": {
            "headline": config.business_profile.headline,
            "privacy_policy_url": config.business_profile.privacy_policy_url,
            "terms_of_service_url": config.business_profile.terms_of_service_url,
        },
        "created": config.created,
        "default_return_url": config.default_return_url,
        "features": {
            "customer_update": {
                "allowed_updates": list(features.customer_update.allowed_updates),
                "enabled": features.customer_update.enabled,
            },
            "invoice_history": {"enabled": features.invoice_history.enabled},
            "payment_method_update": {
                "enabled": features.payment_method_update.enabled,
                "payment_method_configuration": (
                    features.payment_method_update.payment_method_configuration
                ),
            },
            "subscription_cancel": {
                "cancellation_reason": {
                    "enabled": reason.enabled,
                    "feedback_options": None
                    if reason.feedback_options is None
                    else list(reason.feedback_options),
                    "options": list(reason.options),
                },
                "enabled": cancel.enabled,
                "mode": cancel.mode,
                "proration_behavior": cancel.proration_behavior,
            },
            "subscription_pause": {
                "duration": {
                    "interval_options": [
                        {"interval": o.interval, "interval_count": o.interval_count}
                        for o in pause.duration.interval_options
                    ],
                    "type": pause.duration.type,
                },
                "enabled": pause.enabled,
            },
            "subscription_update": {
                "billing_cycle_anchor": update.billing_cycle_anchor,
                "default_allowed_updates": list(update.default_allowed_updates),
                "enabled": update.enabled,
                "products": None
                if update.products is None
                else [_product_to_stripe(product) for product in update.products],
                "proration_behavior": update.proration_behavior,
                "schedule_at_period_end": {
                    "conditions": [{"type": kind} for kind in update.schedule_at_period_end]
                },
                "trial_update_behavior": update.trial_update_behavior,
            },
        },
        "is_default": config.is_default,
        "livemode": config.livemode,
        "login_page": {"enabled": config.login_page.enabled, "url": config.login_page.url},
        "metadata": None if config.metadata is None else dict(config.metadata),
        "name": config.name,
        "updated": config.updated,
        **config.extra,
    }


def _product_to_stripe(product: UpdatableProduct) -> dict[str, Any]:
    quantity = product.adjustable_quantity
    return {
        "adjustable_quantity": {
            "enabled": quantity.enabled,
            "maximum": quantity.maximum,
            "minimum": quantity.minimum,
        },
        "prices": list(product.prices),
        "product": product.product,
    }


# --- parameters for create and update -------------------------------------------------------


def _product_params(product: UpdatableProduct) -> Params:
    quantity: Params = {"enabled": product.adjustable_quantity.enabled}
    if product.adjustable_quantity.enabled:
        quantity["minimum"] = product.adjustable_quantity.minimum
        if product.adjustable_quantity.maximum is not None:
            quantity["maximum"] = product.adjustable_quantity.maximum
    return {
        "product": product.product,
        "prices": list(product.prices),
        "adjustable_quantity": quantity,
    }


def _list_or_unset(values: Sequence[Any]) -> list[Any] | str:
    # An empty list would be dropped by the form encoding; "" is how Stripe empties a list.
    return list(values) if values else ""


def _pause_duration_params(duration: PauseDuration) -> Params:
    params: Params = {"type": duration.type}
    if duration.type == "interval_options":
        params["interval_options"] = _list_or_unset(
            [
                {"interval": o.interval, "interval_count": o.interval_count}
                for o in duration.interval_options
            ]
        )
    return params


def create_params(config: PortalConfiguration) -> Params:
    """Everything a new configuration needs, leaving out what Stripe would default anyway."""
    features = config.features
    cancel = features.subscription_cancel
    reason = cancel.cancellation_reason
    update = features.subscription_update
    methods = features.payment_method_update
    profile: Params = {
        key: value
        for key, value in (
            ("headline", config.business_profile.headline),
            ("privacy_policy_url", config.business_profile.privacy_policy_url),
            ("terms_of_service_url", config.business_profile.terms_of_service_url),
        )
        if value is not None
    }
    reason_params: Params = {"enabled": reason.enabled, "options": _list_or_unset(reason.options)}
    if reason.feedback_options:
        reason_params["feedback_options"] = list(reason.feedback_options)
    update_params_: Params = {
        "enabled": update.enabled,
        "proration_behavior": update.proration_behavior,
        "trial_update_behavior": update.trial_update_behavior,
    }
    if update.default_allowed_updates:
        update_params_["default_allowed_updates"] = list(update.default_allowed_updates)
    if update.products:
        update_params_["products"] = [_product_params(p) for p in update.products]
    if update.billing_cycle_anchor is not None:
        update_params_["billing_cycle_anchor"] = update.billing_cycle_anchor
    if update.schedule_at_period_end:
        update_params_["schedule_at_period_end"] = {
            "conditions": [{"type": kind} for kind in update.schedule_at_period_end]
        }
    method_params: Params = {"enabled": methods.enabled}
    if methods.payment_method_configuration:
        method_params["payment_method_configuration"] = methods.payment_method_configuration
    params: Params = {
        "features": {
            "customer_update": {
                "enabled": features.customer_update.enabled,
                "allowed_updates": _list_or_unset(features.customer_update.allowed_updates),
            },
            "invoice_history": {"enabled": features.invoice_history.enabled},
            "payment_method_update": method_params,
            "subscription_cancel": {
                "enabled": cancel.enabled,
                "mode": cancel.mode,
                "proration_behavior": cancel.proration_behavior,
                "cancellation_reason": reason_params,
            },
            "subscription_pause": {
                "enabled": features.subscription_pause.enabled,
                "duration": _pause_duration_params(features.subscription_pause.duration),
            },
            "subscription_update": update_params_,
        },
        "login_page": {"enabled": config.login_page.enabled},
    }
    if profile:
        params["business_profile"] = profile
    if config.default_return_url is not None:
        params["default_return_url"] = config.default_return_url
    if config.name is not None:
        params["name"] = config.name
    if config.metadata:
        params["metadata"] = dict(config.metadata)
    return params


def _unset_if_none(value: Any) -> Any:
    return "" if value is None else value


def _same_set(before: Sequence[Any], after: Sequence[Any]) -> bool:
    """Enum lists are sets to Stripe's portal: a new order alone is no change."""
    return sorted(before) == sorted(after)


def update_params(before: PortalConfiguration, after: PortalConfiguration) -> Params:
    """The smallest update that turns ``before`` (what Stripe has) into ``after`` (the edits).

    Empty when nothing changed. Sub-objects whose ``enabled`` Stripe requires whenever the
    object is sent (payment_method_update, cancellation_reason, login_page, products'
    adjustable_quantity) carry it even when only a sibling changed. A ``billing_cycle_anchor``
    edited back to None is sent as ``unchanged``, Stripe's default, since it cannot be unset.
    """
    params: Params = {}
    if before.active != after.active:
        params["active"] = after.active
    if before.name != after.name:
        params["name"] = _unset_if_none(after.name)
    if before.default_return_url != after.default_return_url:
        params["default_return_url"] = _unset_if_none(after.default_return_url)
    profile = {
        name: _unset_if_none(getattr(after.business_profile, name))
        for name in ("headline", "privacy_policy_url", "terms_of_service_url")
        if getattr(before.business_profile, name) != getattr(after.business_profile, name)
    }
    if profile:
        params["business_profile"] = profile
    if before.login_page.enabled != after.login_page.enabled:
        params["login_page"] = {"enabled": after.login_page.enabled}
    metadata = _metadata_changes(before.metadata or {}, after.metadata or {})
    if metadata:
        params["metadata"] = metadata
    features = _features_changes(before.features, after.features)
    if features:
        params["features"] = features
    return params


def _metadata_changes(before: Mapping[str, str], after: Mapping[str, str]) -> Params:
    changes: Params = {key: value for key, value in after.items() if before.get(key) != value}
    changes.update({key: "" for key in before if key not in after})
    return changes


def _features_changes(before: Features, after: Features) -> Params:
    changes: Params = {}
    b_customer, a_customer = before.customer_update, after.customer_update
    customer: Params = {}
    if b_customer.enabled != a_customer.enabled:
        customer["enabled"] = a_customer.enabled
    if not _same_set(b_customer.allowed_updates, a_customer.allowed_updates):
        customer["allowed_updates"] = _list_or_unset(a_customer.allowed_updates)
    if customer:
        changes["customer_update"] = customer

    if before.invoice_history != after.invoice_history:
        changes["invoice_history"] = {"enabled": after.invoice_history.enabled}

    b_methods, a_methods = before.payment_method_update, after.payment_method_update
    if b_methods != a_methods:
        methods: Params = {"enabled": a_methods.enabled}
        if b_methods.payment_method_configuration != a_methods.payment_method_configuration:
            methods["payment_method_configuration"] = _unset_if_none(
                a_methods.payment_method_configuration
            )
        changes["payment_method_update"] = methods

    cancel = _cancel_changes(before.subscription_cancel, after.subscription_cancel)
    if cancel:
        changes["subscription_cancel"] = cancel

    b_pause, a_pause = before.subscription_pause, after.subscription_pause
    pause: Params = {}
    if b_pause.enabled != a_pause.enabled:
        pause["enabled"] = a_pause.enabled
    if b_pause.duration != a_pause.duration:
        pause["duration"] = _pause_duration_params(a_pause.duration)
    if pause:
        changes["subscription_pause"] = pause

    update = _update_changes(before.subscription_update, after.subscription_update)
    if update:
        changes["subscription_update"] = update
    return changes


def _cancel_changes(before: SubscriptionCancel, after: SubscriptionCancel) -> Params:
    changes: Params = {}
    for name in ("enabled", "mode", "proration_behavior"):
        if getattr(before, name) != getattr(after, name):
            changes[name] = getattr(after, name)
    b_reason, a_reason = before.cancellation_reason, after.cancellation_reason
    reason: Params = {}
    if not _same_set(b_reason.options, a_reason.options):
        reason["options"] = _list_or_unset(a_reason.options)
    if (b_reason.feedback_options or ()) != (a_reason.feedback_options or ()):
        reason["feedback_options"] = _list_or_unset(a_reason.feedback_options or ())
    if reason or b_reason.enabled != a_reason.enabled:
        changes["cancellation_reason"] = {"enabled": a_reason.enabled, **reason}
    return changes


def _update_changes(before: SubscriptionUpdate, after: SubscriptionUpdate) -> Params:
    changes: Params = {}
    for name in ("enabled", "proration_behavior", "trial_update_behavior"):
        if getattr(before, name) != getattr(after, name):
            changes[name] = getattr(after, name)
    if before.billing_cycle_anchor != after.billing_cycle_anchor:
        changes["billing_cycle_anchor"] = after.billing_cycle_anchor or "unchanged"
    if not _same_set(before.default_allowed_updates, after.default_allowed_updates):
        changes["default_allowed_updates"] = _list_or_unset(after.default_allowed_updates)
    if (before.products or ()) != (after.products or ()):
        # A list is replaced whole: Stripe has no way to change one element of it.
        changes["products"] = _list_or_unset([_product_params(p) for p in after.products or ()])
    if not _same_set(before.schedule_at_period_end, after.schedule_at_period_end):
        changes["schedule_at_period_end"] = {
            "conditions": _list_or_unset([{"type": kind} for kind in after.schedule_at_period_end])
        }
    return changes


# --- editing --------------------------------------------------------------------------------

_T = TypeVar("_T")


def edit(value: _T, path: str, new: Any) -> _T:
    """A copy of ``value`` with the field at dotted ``path`` replaced, e.g.
    ``edit(config, "features.subscription_cancel.mode", "immediately")``."""
    head, _, rest = path.partition(".")
    if not dataclasses.is_dataclass(value) or isinstance(value, type):
        raise TypeError(f"cannot edit {path!r} inside {type(value).__name__}")
    if head not in {f.name for f in dataclasses.fields(value)}:
        raise AttributeError(f"{type(value).__name__} has no field {head!r}")
    inner = edit(getattr(value, head), rest, new) if rest else new
    return cast(_T, dataclasses.replace(value, **{head: inner}))


def with_product(config: PortalConfiguration, product: UpdatableProduct) -> PortalConfiguration:
    """``product`` offered for switching: replaces the entry of the same product, else appended."""
    current = config.features.subscription_update.products or ()
    if any(p.product == product.product for p in current):
        products = tuple(product if p.product == product.product else p for p in current)
    else:
        products = (*current, product)
    return edit(config, "features.subscription_update.products", products)


def without_product(config: PortalConfiguration, product_id: str) -> PortalConfiguration:
    current = config.features.subscription_update.products or ()
    return edit(
        config,
        "features.subscription_update.products",
        tuple(p for p in current if p.product != product_id),
    )


def with_metadata(config: PortalConfiguration, key: str, value: str | None) -> PortalConfiguration:
    """Metadata with ``key`` set to ``value``, or removed when ``value`` is None."""
    metadata = dict(config.metadata or {})
    if value is None:
        metadata.pop(key, None)
    else:
        metadata[key] = value
    return dataclasses.replace(config, metadata=MappingProxyType(metadata))


def literal_values(kind: Any) -> frozenset[str]:
    """The allowed strings of one of this module's Literal types."""
    return frozenset(get_args(kind))
