"""Customer portal configurations: what the portal lets a customer do, per account.

The first configuration an account saves becomes its default (what sessions use
when they name none); later ones never take that place through the API, and the
default can't be deactivated, so an account always has exactly one default once
it has any. Configurations made with ``Stripe-Account`` live in that connected
account's scope, like everything else it owns.

The hosted login page link (``login_page.url``) carries a token that is made
once per configuration and kept while the page is switched off, so switching it
back on restores the same link. ``resolve_login_token`` finds the configuration
behind a link from any account (the portal pages don't know the account).
"""

from __future__ import annotations

from typing import Any

from console.sandbox.facts import ids
from console.sandbox.facts.errors import invalid, missing_param, no_such
from console.sandbox.facts.fields import metadata, unset
from console.sandbox.facts.spec import JSON
from console.sandbox.facts.urls import check_url
from console.sandbox.state.context import Context, changed, snapshot
from console.sandbox.state.listing import list_objects
from console.sandbox.state.registry import operation
from console.sandbox.state.store import Store

OBJECT = "billing_portal.configuration"
LOGIN_KIND = "portal_login"
# Lookups are unique per account; this pseudo-account holds the tokens of every account so that
# a link can be resolved without knowing whose it is.
ANY_ACCOUNT = "*"

MAX_PRODUCTS = 10
MAX_QUANTITY = 99
# The longest pause Stripe offers is three years, in each interval's own unit.
MAX_PAUSE = {"day": 365 * 3, "week": 52 * 3, "month": 12 * 3, "year": 3}

FEATURES = "features"
SUB_UPDATE = "features[subscription_update]"
SUB_CANCEL = "features[subscription_cancel]"


def login_url(ctx: Context, token: str) -> str:
    return f"{ctx.base_url}/p/login/{token}"


def resolve_login_token(store: Store, token: str) -> JSON | None:
    """The configuration whose enabled login page has this token, in whichever account."""
    config_id = store.lookup(ANY_ACCOUNT, LOGIN_KIND, token)
    if config_id is None:
        return None
    config = store.get(config_id)
    if config is None or config.get("object") != OBJECT:
        return None
    if not config["login_page"]["enabled"] or config.get("_login_token") != token:
        return None
    return config


def default_configuration(ctx: Context) -> JSON | None:
    """The account's default configuration, or None before its portal settings are saved."""
    page = ctx.store.page(
        account=ctx.account, type_=OBJECT, where=[("$.is_default", True)], limit=1
    )
    return page.items[0] if page.items else None


def new_configuration(config_id: str, created: int) -> JSON:
    """A configuration with Stripe's values for every feature that was not sent."""
    return {
        "id": config_id,
        "object": OBJECT,
        "active": True,
        "application": None,
        "business_profile": {
            "headline": None,
            "privacy_policy_url": None,
            "terms_of_service_url": None,
        },
        "created": created,
        "default_return_url": None,
        "features": {
            "customer_update": {"allowed_updates": [], "enabled": False},
            "invoice_history": {"enabled": False},
            "payment_method_update": {"enabled": False, "payment_method_configuration": None},
            "subscription_cancel": {
                "cancellation_reason": {"enabled": False, "feedback_options": None, "options": []},
                "enabled": False,
                "mode": "at_period_end",
                "proration_behavior": "none",
            },
            "subscription_pause": {
                "duration": {
                    "interval_options": [{"interval": "month", "interval_count": 1}],
                    "type": "interval_options",
                },
                "enabled": False,
            },
            "subscription_update": {
                # null behaves as ``unchanged``, Stripe's documented default
                "billing_cycle_anchor": None,
                "default_allowed_updates": [],
                "enabled": False,
                "products": [],
                "proration_behavior": "none",
                "schedule_at_period_end": {"conditions": []},
                "trial_update_behavior": "end_trial",
            },
        },
        "is_default": False,
        "livemode": False,
        "login_page": {"enabled": False, "url": None},
        "metadata": {},
        "name": None,
        "updated": created,
    }


# -- applying parameters ------------------------------------------------------------------


def _unique(values: Any) -> list[Any]:
    seen: list[Any] = []
    for value in values or []:
        if value not in seen:
            seen.append(value)
    return seen


def _business_profile(config: JSON, value: JSON) -> None:
    profile = config["business_profile"]
    for key in ("privacy_policy_url", "terms_of_service_url"):
        if key in value:
            check_url(value[key], f"business_profile[{key}]")
            profile[key] = unset(value[key])
    if "headline" in value:
        profile["headline"] = unset(value["headline"])


def _customer_update(feature: JSON, value: JSON) -> None:
    if "enabled" in value:
        feature["enabled"] = value["enabled"]
    if "allowed_updates" in value:
        feature["allowed_updates"] = _unique(value["allowed_updates"] or [])


def _payment_method_update(feature: JSON, value: JSON) -> None:
    feature["enabled"] = value["enabled"]
    if "payment_method_configuration" in value:
        pmc = unset(value["payment_method_configuration"])
        if pmc is not None and not pmc.startswith("pmc_"):
            raise no_such(
                "payment method configuration",
                pmc,
                param="features[payment_method_update][payment_method_configuration]",
            )
        feature["payment_method_configuration"] = pmc


def _feedback_options(ctx: Context, value: Any, param: str) -> list[str] | None:
    if value == "":
        return None
    chosen: list[str] = []
    for position, option_id in enumerate(value):
        option = ctx.fetch(
            "billing.feedback_option",
            option_id,
            param=f"{param}[{position}]",
            kind="feedback option",
        )
        if option.get("status") != "active":
            raise invalid(
                f"The feedback option {option_id} is inactive; only active feedback options "
                "can be offered to customers.",
                param=f"{param}[{position}]",
            )
        if option_id not in chosen:
            chosen.append(option_id)
    return chosen


def _subscription_cancel(ctx: Context, feature: JSON, value: JSON) -> None:
    for key in ("enabled", "mode", "proration_behavior"):
        if key in value:
            feature[key] = value[key]
    reason_value = value.get("cancellation_reason")
    if isinstance(reason_value, dict):
        reason = feature["cancellation_reason"]
        reason["enabled"] = reason_value["enabled"]
        if "options" in reason_value:
            reason["options"] = _unique(reason_value["options"] or [])
        if "feedback_options" in reason_value:
            reason["feedback_options"] = _feedback_options(
                ctx,
                reason_value["feedback_options"],
                f"{SUB_CANCEL}[cancellation_reason][feedback_options]",
            )


def _subscription_pause(feature: JSON, value: JSON) -> None:
    if "enabled" in value:
        feature["enabled"] = value["enabled"]
    duration_value = value.get("duration")
    if not isinstance(duration_value, dict):
        return
    param = "features[subscription_pause][duration]"
    kind = duration_value["type"]
    raw_options = duration_value.get("interval_options")
    options: list[JSON] = []
    for position, option in enumerate(raw_options or []):
        count = option.get("interval_count", 1)
        interval = option["interval"]
        if count < 1 or count > MAX_PAUSE[interval]:
            raise invalid(
                f"Invalid pause duration: {count} {interval}(s). A pause lasts at least one "
                "interval and at most three years.",
                param=f"{param}[interval_options][{position}][interval_count]",
            )
        entry = {"interval": interval, "interval_count": count}
        if entry not in options:
            options.append(entry)
    if kind == "interval_options" and not options:
        raise missing_param(f"{param}[interval_options]")
    if kind == "indefinite" and options:
        raise invalid(
            "interval_options can only be given when the pause duration type is interval_options.",
            param=f"{param}[interval_options]",
        )
    feature["duration"] = {"interval_options": options, "type": kind}


def _adjustable_quantity(value: Any, param: str) -> JSON:
    if not isinstance(value, dict):
        return {"enabled": False, "maximum": None, "minimum": 0}
    minimum = value.get("minimum", 0)
    maximum = value.get("maximum")
    if minimum < 0 or minimum > MAX_QUANTITY:
        raise invalid(
            f"The minimum quantity must be between 0 and {MAX_QUANTITY}.",
            param=f"{param}[minimum]",
        )
    if maximum is not None and (maximum < 1 or maximum > MAX_QUANTITY):
        raise invalid(
            f"The maximum quantity must be between 1 and {MAX_QUANTITY}.",
            param=f"{param}[maximum]",
        )
    if maximum is not None and maximum < minimum:
        raise invalid(
            "The maximum quantity must be greater than or equal to the minimum quantity.",
            param=f"{param}[maximum]",
        )
    return {"enabled": value["enabled"], "maximum": maximum, "minimum": minimum}


def _product_entry(ctx: Context, entry: JSON, param: str) -> JSON:
    product_id = entry["product"]
    ctx.fetch("product", product_id, param=f"{param}[product]")
    prices: list[str] = []
    intervals: dict[tuple[str, int], str] = {}
    if not entry["prices"]:
        raise invalid(
            f"Product {product_id} needs at least one price customers can switch to.",
            param=f"{param}[prices]",
        )
    for position, price_id in enumerate(entry["prices"]):
        price_param = f"{param}[prices][{position}]"
        price = ctx.fetch("price", price_id, param=price_param)
        owner = price.get("product")
        owner_id = owner.get("id") if isinstance(owner, dict) else owner
        if owner_id != product_id:
            raise invalid(
                f"The price {price_id} does not belong to the product {product_id}.",
                param=price_param,
            )
        recurring = price.get("recurring")
        if price.get("type") != "recurring" or not isinstance(recurring, dict):
            raise invalid(
                f"The price {price_id} is not a recurring price; only recurring prices can be "
                "offered for subscription updates.",
                param=price_param,
            )
        if not price.get("active", True):
            raise invalid(
                f"The price {price_id} is not active; only active prices can be offered.",
                param=price_param,
            )
        interval = (str(recurring.get("interval")), int(recurring.get("interval_count") or 1))
        if interval in intervals and intervals[interval] != price_id:
            raise invalid(
                f"The prices {intervals[interval]} and {price_id} of product {product_id} have "
                "the same billing interval; each price of a product must have a distinct "
                "interval.",
                param=f"{param}[prices]",
            )
        intervals[interval] = price_id
        if price_id not in prices:
            prices.append(price_id)
    return {
        "adjustable_quantity": _adjustable_quantity(
            entry.get("adjustable_quantity"), f"{param}[adjustable_quantity]"
        ),
        "prices": prices,
        "product": product_id,
    }


def _products(ctx: Context, value: Any) -> list[JSON]:
    if value == "":
        return []
    param = f"{SUB_UPDATE}[products]"
    if len(value) > MAX_PRODUCTS:
        raise invalid(
            f"You can offer at most {MAX_PRODUCTS} products for subscription updates.",
            param=param,
        )
    result: list[JSON] = []
    seen: set[str] = set()
    for position, entry in enumerate(value):
        if entry["product"] in seen:
            raise invalid(
                f"The product {entry['product']} is listed more than once.",
                param=f"{param}[{position}][product]",
            )
        seen.add(entry["product"])
        result.append(_product_entry(ctx, entry, f"{param}[{position}]"))
    return result


def _subscription_update(ctx: Context, feature: JSON, value: JSON) -> None:
    for key in ("enabled", "proration_behavior", "trial_update_behavior", "billing_cycle_anchor"):
        if key in value:
            feature[key] = value[key]
    if "default_allowed_updates" in value:
        feature["default_allowed_updates"] = _unique(value["default_allowed_updates"] or [])
    if "products" in value:
        feature["products"] = _products(ctx, value["products"])
    schedule = value.get("schedule_at_period_end")
    if isinstance(schedule, dict) and "conditions" in schedule:
        conditions = schedule["conditions"] or []
        feature["schedule_at_period_end"] = {
            "conditions": _unique({"type": c["type"]} for c in conditions)
        }


def _check_features(features: JSON) -> None:
    """Rules across fields, checked on the result so that an update can't break them either."""
    cancel = features["subscription_cancel"]
    if cancel["proration_behavior"] == "always_invoice":
        raise invalid(
            "features[subscription_cancel][proration_behavior] can't be always_invoice; use "
            "none or create_prorations.",
            param=f"{SUB_CANCEL}[proration_behavior]",
        )
    if cancel["proration_behavior"] == "create_prorations" and cancel["mode"] != "immediately":
        raise invalid(
            "Prorations can only be created when subscriptions are canceled immediately; set "
            "features[subscription_cancel][mode] to immediately or proration_behavior to none.",
            param=f"{SUB_CANCEL}[proration_behavior]",
        )
    reason = cancel["cancellation_reason"]
    if reason["enabled"] and not reason["options"] and not reason["feedback_options"]:
        raise invalid(
            "Give at least one cancellation reason option when cancellation reasons are enabled.",
            param=f"{SUB_CANCEL}[cancellation_reason][options]",
        )
    update = features["subscription_update"]
    if update["enabled"]:
        if not update["default_allowed_updates"]:
            raise missing_param(f"{SUB_UPDATE}[default_allowed_updates]")
        if not update["products"]:
            raise missing_param(f"{SUB_UPDATE}[products]")


def _apply(ctx: Context, config: JSON, params: JSON) -> None:
    if "business_profile" in params:
        _business_profile(config, params["business_profile"])
    if "default_return_url" in params:
        check_url(params["default_return_url"], "default_return_url")
        config["default_return_url"] = unset(params["default_return_url"])
    if "name" in params:
        config["name"] = unset(params["name"])
    if "metadata" in params:
        config["metadata"] = metadata(config.get("metadata"), params["metadata"])
    features_value: JSON = params.get("features") or {}
    features = config["features"]
    if "customer_update" in features_value:
        _customer_update(features["customer_update"], features_value["customer_update"])
    if "invoice_history" in features_value:
        features["invoice_history"]["enabled"] = features_value["invoice_history"]["enabled"]
    if "payment_method_update" in features_value:
        _payment_method_update(
            features["payment_method_update"], features_value["payment_method_update"]
        )
    if "subscription_cancel" in features_value:
        _subscription_cancel(
            ctx, features["subscription_cancel"], features_value["subscription_cancel"]
        )
    if "subscription_pause" in features_value:
        _subscription_pause(features["subscription_pause"], features_value["subscription_pause"])
    if "subscription_update" in features_value:
        _subscription_update(
            ctx, features["subscription_update"], features_value["subscription_update"]
        )
    _check_features(features)
    if "login_page" in params:
        _login_page(ctx, config, params["login_page"]["enabled"])
    if "active" in params:
        if not params["active"] and config["is_default"]:
            raise invalid(
                "The default configuration can't be deactivated. Make another configuration the "
                "default in the Dashboard first.",
                param="active",
            )
        config["active"] = params["active"]


def _login_page(ctx: Context, config: JSON, enabled: bool) -> None:
    token = config.get("_login_token")
    if enabled and not token:
        token = ids.new_token()
        config["_login_token"] = token
        ctx.store.set_lookup(ctx.account, LOGIN_KIND, token, config["id"])
        ctx.store.set_lookup(ANY_ACCOUNT, LOGIN_KIND, token, config["id"])
    config["login_page"] = {
        "enabled": enabled,
        "url": login_url(ctx, str(token)) if enabled else None,
    }


# -- handlers -----------------------------------------------------------------------------


@operation("PostBillingPortalConfigurations")
def create(ctx: Context, params: JSON) -> JSON:
    config = new_configuration(ctx.new_id("bpc", 24), ctx.now())
    _apply(ctx, config, params)
    config["is_default"] = default_configuration(ctx) is None
    ctx.insert(config)
    ctx.emit("billing_portal.configuration.created", config)
    return config


@operation("GetBillingPortalConfigurationsConfiguration")
def retrieve(ctx: Context, params: JSON, configuration: str) -> JSON:
    return _fetch(ctx, configuration)


@operation("PostBillingPortalConfigurationsConfiguration")
def update(ctx: Context, params: JSON, configuration: str) -> JSON:
    config = _fetch(ctx, configuration)
    before = snapshot(config)
    _apply(ctx, config, params)
    previous = changed(before, config)
    if previous:
        config["updated"] = ctx.now()
    ctx.save(config)
    if previous:
        ctx.emit("billing_portal.configuration.updated", config, previous)
    return config


@operation("GetBillingPortalConfigurations")
def list_configurations(ctx: Context, params: JSON) -> JSON:
    where: list[tuple[str, Any]] = []
    for key in ("active", "is_default"):
        if key in params:
            where.append((f"$.{key}", params[key]))
    return list_objects(
        ctx, params, object_type=OBJECT, url="/v1/billing_portal/configurations", where=where
    )


def _fetch(ctx: Context, configuration: str) -> JSON:
    return ctx.fetch(OBJECT, configuration, param="configuration", kind="configuration")
