"""Customer portal sessions: a one-time link that opens the portal for one customer.

Only ``POST /v1/billing_portal/sessions`` exists; a session is never listed or
retrieved through the API. What makes the link work is stored with it, hidden:
``_token`` (the secret part of ``url``), ``_expires_unused_at`` (an unused link
lapses five minutes after creation), ``_used_at`` and ``_idle_timeout`` (a used
one lapses after an hour without activity). The portal pages enforce those.

Token lookups are kept twice: under the session's account (``portal_session``,
as every lookup is per account) and under the pseudo-account ``"*"``, because
the pages get only the token and must find the session whatever its account.
"""

from __future__ import annotations

from typing import Any

from console.sandbox.facts import ids
from console.sandbox.facts.errors import StripeError, invalid, missing_param, no_such
from console.sandbox.facts.spec import JSON
from console.sandbox.facts.urls import check_url
from console.sandbox.state.context import Context
from console.sandbox.state.registry import operation
from console.sandbox.state.store import Store

OBJECT = "billing_portal.session"
TOKEN_KIND = "portal_session"
ANY_ACCOUNT = "*"
UNUSED_LIFETIME = 300
IDLE_TIMEOUT = 3600
ENDED = ("canceled", "incomplete_expired")

# flow type -> the configuration feature that must be enabled for it
FLOW_FEATURES = {
    "customer_update": "customer_update",
    "payment_method_update": "payment_method_update",
    "subscription_cancel": "subscription_cancel",
    "subscription_pause": "subscription_pause",
    "subscription_update": "subscription_update",
    "subscription_update_confirm": "subscription_update",
}
COMPANIONS = (
    "customer_update",
    "subscription_cancel",
    "subscription_pause",
    "subscription_update",
    "subscription_update_confirm",
)
NO_PORTAL_SETTINGS = (
    "You can't create a portal session in test mode until you save your customer portal "
    "settings in test mode at https://dashboard.stripe.com/test/settings/billing/portal."
)


def portal_url(ctx: Context, token: str) -> str:
    return f"{ctx.base_url}/p/session/{token}"


def resolve_token(store: Store, account: str | None, token: str) -> JSON | None:
    """The session behind a portal link; ``account=None`` looks across every account."""
    session_id = store.lookup(ANY_ACCOUNT if account is None else account, TOKEN_KIND, token)
    if session_id is None:
        return None
    session = store.get(session_id) if account is None else store.get(session_id, account=account)
    if session is None or session.get("object") != OBJECT or session.get("_token") != token:
        return None
    return session


# -- checks ---------------------------------------------------------------------------------


def _configuration(ctx: Context, params: JSON) -> JSON:
    from console.sandbox.resources import portal_configurations

    if "configuration" in params:
        config = ctx.fetch(
            portal_configurations.OBJECT,
            params["configuration"],
            param="configuration",
            kind="configuration",
        )
    else:
        found = portal_configurations.default_configuration(ctx)
        if found is None:
            raise StripeError(NO_PORTAL_SETTINGS)
        config = found
    if not config["active"]:
        raise invalid(
            f"The configuration {config['id']} is inactive; activate it or use another "
            "configuration to create portal sessions.",
            param="configuration",
        )
    return config


def _customer(ctx: Context, params: JSON) -> JSON:
    if "customer" in params and "customer_account" in params:
        raise StripeError(
            "You may only specify one of these parameters: customer, customer_account.",
            param="customer_account",
            code="parameters_exclusive",
        )
    if "customer_account" in params:
        raise invalid(
            "The sandbox doesn't implement Accounts v2, so customer_account can't be used; "
            "pass a customer (cus_...) instead.",
            param="customer_account",
        )
    if "customer" not in params:
        raise missing_param("customer")
    return ctx.fetch("customer", params["customer"], param="customer")


def _on_behalf_of(ctx: Context, account_id: str) -> str:
    account = ctx.store.get(account_id, account=ctx.platform)
    if (
        account is None
        or account.get("object") != "account"
        or account.get("deleted")
        or account_id == ctx.platform
    ):
        raise no_such("account", account_id, param="on_behalf_of")
    return account_id


def _url(value: str, param: str) -> str:
    check_url(value, param)
    return value


def _subscription(ctx: Context, customer: JSON, subscription_id: str, param: str) -> JSON:
    subscription = ctx.fetch("subscription", subscription_id, param=param)
    owner = subscription.get("customer")
    owner_id = owner.get("id") if isinstance(owner, dict) else owner
    if owner_id != customer["id"]:
        raise invalid(
            f"The subscription {subscription_id} does not belong to the customer {customer['id']}.",
            param=param,
        )
    if subscription.get("status") in ENDED:
        raise invalid(
            f"The subscription {subscription_id} has ended (status "
            f"{subscription.get('status')}) and can't be managed in the portal.",
            param=param,
        )
    return subscription


def _retention(ctx: Context, retention: JSON | None) -> JSON | None:
    if retention is None:
        return None
    param = "flow_data[subscription_cancel][retention][coupon_offer][coupon]"
    coupon_id = retention["coupon_offer"]["coupon"]
    coupon = ctx.fetch("coupon", coupon_id, param=param)
    if coupon.get("valid") is False:
        raise invalid(
            f"The coupon {coupon_id} is no longer valid and can't be offered.",
            param=param,
            code="coupon_expired",
        )
    return {"coupon_offer": {"coupon": coupon_id}, "type": retention["type"]}


def _product_of(item: JSON) -> str | None:
    price = item.get("price")
    product = price.get("product") if isinstance(price, dict) else None
    if isinstance(product, dict):
        return str(product.get("id"))
    return None if product is None else str(product)


def _confirm_item(ctx: Context, subscription: JSON, config: JSON, item: JSON, param: str) -> JSON:
    update = config["features"]["subscription_update"]
    items = subscription.get("items", {}).get("data", [])
    current = next((i for i in items if i.get("id") == item["id"]), None)
    if current is None:
        # The embedded list may be a first page only; the item itself knows its subscription.
        found = ctx.find(item["id"])
        if (
            found is not None
            and found.get("object") == "subscription_item"
            and found.get("subscription") == subscription["id"]
        ):
            current = found
    if current is None:
        raise invalid(
            f"The subscription item {item['id']} is not an item of the subscription "
            f"{subscription['id']}.",
            param=f"{param}[id]",
        )
    product_id = _product_of(current)
    current_price = current.get("price")
    current_price_id = current_price.get("id") if isinstance(current_price, dict) else None
    target_product = product_id
    if "price" in item and item["price"] != current_price_id:
        allowed = {p: entry for entry in update["products"] or [] for p in entry["prices"]}
        if "price" not in update["default_allowed_updates"] or item["price"] not in allowed:
            raise invalid(
                f"The price {item['price']} is not one the configuration {config['id']} lets "
                "customers switch to; add it to features[subscription_update][products].",
                param=f"{param}[price]",
            )
        target_product = allowed[item["price"]]["product"]
    if "quantity" in item and item["quantity"] != current.get("quantity"):
        entry = next((e for e in update["products"] or [] if e["product"] == target_product), None)
        adjustable = entry["adjustable_quantity"] if entry else None
        if (
            "quantity" not in update["default_allowed_updates"]
            or adjustable is None
            or not adjustable["enabled"]
        ):
            raise invalid(
                f"The configuration {config['id']} doesn't let customers change the quantity "
                f"of the product {target_product}.",
                param=f"{param}[quantity]",
            )
        low = max(1, adjustable["minimum"])
        high = adjustable["maximum"] or 99
        if not low <= item["quantity"] <= high:
            raise invalid(
                f"The quantity must be between {low} and {high}.", param=f"{param}[quantity]"
            )
    return {
        "id": item["id"],
        "price": item.get("price"),
        "quantity": item.get("quantity"),
    }


def _discounts(ctx: Context, discounts: list[JSON] | None, param: str) -> list[JSON] | None:
    if discounts is None:
        return None
    if len(discounts) > 1:
        raise invalid("Only one discount can be applied in this flow.", param=param)
    result: list[JSON] = []
    for position, discount in enumerate(discounts):
        where = f"{param}[{position}]"
        if ("coupon" in discount) == ("promotion_code" in discount):
            raise invalid(
                "Give exactly one of coupon or promotion_code for each discount.", param=where
            )
        if "coupon" in discount:
            coupon = ctx.fetch("coupon", discount["coupon"], param=f"{where}[coupon]")
            if coupon.get("valid") is False:
                raise invalid(
                    f"The coupon {coupon['id']} is no longer valid.",
                    param=f"{where}[coupon]",
                    code="coupon_expired",
                )
        else:
            code = ctx.fetch(
                "promotion_code",
                discount["promotion_code"],
                param=f"{where}[promotion_code]",
            )
            if code.get("active") is False:
                raise invalid(
                    f"The promotion code {code['id']} is inactive.",
                    param=f"{where}[promotion_code]",
                )
        result.append(
            {"coupon": discount.get("coupon"), "promotion_code": discount.get("promotion_code")}
        )
    return result


def _after_completion(value: JSON | None) -> JSON:
    if value is None:
        return {"hosted_confirmation": None, "redirect": None, "type": "portal_homepage"}
    kind = value["type"]
    param = "flow_data[after_completion]"
    for companion in ("hosted_confirmation", "redirect"):
        if companion in value and kind != companion:
            raise invalid(
                f"{param}[{companion}] can only be given when {param}[type] is {companion}.",
                param=f"{param}[{companion}]",
            )
    redirect = None
    confirmation = None
    if kind == "redirect":
        if "redirect" not in value:
            raise missing_param(f"{param}[redirect]")
        redirect = {
            "return_url": _url(value["redirect"]["return_url"], f"{param}[redirect][return_url]")
        }
    if kind == "hosted_confirmation":
        message = (value.get("hosted_confirmation") or {}).get("custom_message")
        confirmation = {"custom_message": message or None}
    return {"hosted_confirmation": confirmation, "redirect": redirect, "type": kind}


def _flow(ctx: Context, customer: JSON, config: JSON, value: JSON) -> JSON:
    kind = value["type"]
    for companion in COMPANIONS:
        if companion in value and companion != kind:
            raise invalid(
                f"flow_data[{companion}] can only be given when flow_data[type] is {companion}.",
                param=f"flow_data[{companion}]",
            )
    feature = FLOW_FEATURES.get(kind)
    if feature is None:
        raise invalid(
            f"Invalid flow_data[type]: {kind} is not a portal flow.", param="flow_data[type]"
        )
    if not config["features"][feature]["enabled"]:
        raise invalid(
            f"The {kind} flow needs features[{feature}][enabled] in the configuration "
            f"{config['id']}, which is disabled.",
            param="flow_data[type]",
        )
    flow: JSON = {
        "after_completion": _after_completion(value.get("after_completion")),
        "customer_update": {} if kind == "customer_update" else None,
        "subscription_cancel": None,
        "subscription_pause": None,
        "subscription_update": None,
        "subscription_update_confirm": None,
        "type": kind,
    }
    if kind in ("customer_update", "payment_method_update"):
        return flow
    if kind not in value:
        raise missing_param(f"flow_data[{kind}]")
    body: JSON = value[kind]
    param = f"flow_data[{kind}][subscription]"
    subscription = _subscription(ctx, customer, body["subscription"], param)
    if kind == "subscription_cancel":
        if subscription.get("cancel_at_period_end") or subscription.get("cancel_at"):
            raise invalid(
                f"The subscription {subscription['id']} is already set to cancel.", param=param
            )
        flow[kind] = {
            "retention": _retention(ctx, body.get("retention")),
            "subscription": subscription["id"],
        }
    elif kind == "subscription_pause":
        if subscription.get("status") == "paused" or subscription.get("pause_collection"):
            raise invalid(f"The subscription {subscription['id']} is already paused.", param=param)
        flow[kind] = {"subscription": subscription["id"]}
    elif kind == "subscription_update":
        _require_updatable(ctx, customer, config, subscription, param)
        flow[kind] = {"subscription": subscription["id"]}
    else:
        _require_updatable(ctx, customer, config, subscription, param)
        items_param = f"flow_data[{kind}][items]"
        if len(body["items"]) != 1:
            raise invalid(
                "Exactly one subscription item can be updated in this flow.", param=items_param
            )
        items = [
            _confirm_item(ctx, subscription, config, item, f"{items_param}[{position}]")
            for position, item in enumerate(body["items"])
        ]
        flow[kind] = {
            "discounts": _discounts(ctx, body.get("discounts"), f"flow_data[{kind}][discounts]"),
            "items": items,
            "subscription": subscription["id"],
        }
    return flow


def _require_updatable(
    ctx: Context, customer: JSON, config: JSON, subscription: JSON, param: str
) -> None:
    """An update deep link only for a subscription the portal can update (not cancel-only)."""
    from console.sandbox.facts import portal_rules as rules

    prices: dict[str, JSON] = {}
    products: dict[str, JSON] = {}
    for entry in config["features"]["subscription_update"].get("products") or []:
        if (product := ctx.find(str(entry["product"]))) is not None:
            products[product["id"]] = product
        for price_id in entry.get("prices") or []:
            if (price := ctx.find(str(price_id))) is not None:
                prices[price["id"]] = price
    pm_id = rules.default_payment_method_id(subscription, customer)
    assessment = rules.assess(
        subscription,
        customer,
        config,
        payment_method=ctx.find(pm_id) if pm_id else None,
        prices=prices,
        products=products,
    )
    if not assessment.can_update:
        reasons = ", ".join(limit.code for limit in assessment.update_limits)
        raise invalid(
            f"The customer portal cannot update the subscription {subscription['id']} "
            f"({reasons}); it can only be cancelled there.",
            param=param,
        )


def _after_expiration(ctx: Context, value: JSON | None) -> JSON | None:
    if value is None:
        return None
    expires_at = (value.get("customer_login") or {}).get("expires_at")
    if expires_at is not None and expires_at <= ctx.now():
        raise invalid(
            "after_expiration[customer_login][expires_at] must be in the future.",
            param="after_expiration[customer_login][expires_at]",
        )
    return {"customer_login": {"expires_at": expires_at}, "type": value["type"]}


# -- handler --------------------------------------------------------------------------------


@operation("PostBillingPortalSessions")
def create(ctx: Context, params: JSON) -> JSON:
    customer = _customer(ctx, params)
    config = _configuration(ctx, params)
    return_url: Any = params.get("return_url") or config.get("default_return_url")
    if not return_url:
        raise StripeError(
            "Missing required param: return_url. Pass return_url, or set default_return_url "
            f"on the configuration {config['id']}.",
            param="return_url",
            code="parameter_missing",
        )
    _url(return_url, "return_url")
    on_behalf_of = params.get("on_behalf_of")
    if on_behalf_of is not None:
        _on_behalf_of(ctx, on_behalf_of)
    flow_value = params.get("flow_data")
    flow = _flow(ctx, customer, config, flow_value) if flow_value is not None else None
    token = ids.new_token()
    now = ctx.now()
    session: JSON = {
        "id": ctx.new_id("bps", 24),
        "object": OBJECT,
        "after_expiration": _after_expiration(ctx, params.get("after_expiration")),
        "configuration": config["id"],
        "created": now,
        "customer": customer["id"],
        "customer_account": None,
        "flow": flow,
        "livemode": False,
        "locale": params.get("locale"),
        "on_behalf_of": on_behalf_of,
        "return_url": return_url,
        "url": portal_url(ctx, token),
        "_token": token,
        "_expires_unused_at": now + UNUSED_LIFETIME,
        "_used_at": None,
        "_idle_timeout": IDLE_TIMEOUT,
    }
    ctx.insert(session, parent=customer["id"])
    ctx.store.set_lookup(ctx.account, TOKEN_KIND, token, session["id"])
    ctx.store.set_lookup(ANY_ACCOUNT, TOKEN_KIND, token, session["id"])
    ctx.emit("billing_portal.session.created", session)
    return session
