"""Checkout Sessions (``/v1/checkout/sessions``): create, retrieve, update, list, expire, items.

A session's ``url`` is the sandbox's hosted checkout page (``/c/pay/{token}``,
:mod:`console.sandbox.pages.checkout`), a 192-bit token looked up like the hosted invoice
page's, present only while the session is open (Stripe nulls it after). The session expires
at ``expires_at`` (24 hours by the sandbox clock unless sooner) through the clock's sweep.

Parameters the sandbox keeps and shows but does not act on (no tax engine, no shipping, no
custom fields) are stored as sent; the README lists them.
"""

from __future__ import annotations

import copy
from typing import Any

from console.sandbox.billing import checkout
from console.sandbox.facts import ids
from console.sandbox.facts.errors import StripeError, invalid, missing_param
from console.sandbox.facts.fields import metadata
from console.sandbox.facts.spec import JSON
from console.sandbox.facts.urls import check_url
from console.sandbox.state.context import Context, changed, snapshot
from console.sandbox.state.listing import embedded_list, list_objects
from console.sandbox.state.registry import includable, operation

OBJECT = checkout.OBJECT
URL = "/v1/checkout/sessions"
MODES = ("payment", "setup", "subscription")


def _check_mode_params(params: JSON) -> str:
    mode = params.get("mode")
    if not mode:
        raise missing_param("mode")
    if params.get("customer") and params.get("customer_email"):
        raise StripeError(
            "You may only specify one of these parameters: customer, customer_email.",
            param="customer_email",
            code="parameters_exclusive",
        )
    if "customer_creation" in params:
        if mode == "subscription":
            raise invalid(
                "`customer_creation` can only be used in `payment` and `setup` mode.",
                param="customer_creation",
            )
        if params.get("customer"):
            raise StripeError(
                "You may only specify one of these parameters: customer, customer_creation.",
                param="customer_creation",
                code="parameters_exclusive",
            )
    if params.get("subscription_data") and mode != "subscription":
        raise invalid(
            "You can only specify `subscription_data` in `subscription` mode.",
            param="subscription_data",
        )
    if params.get("payment_intent_data") and mode != "payment":
        raise invalid(
            "You can only specify `payment_intent_data` in `payment` mode.",
            param="payment_intent_data",
        )
    if mode != "setup" and not params.get("line_items"):
        raise missing_param("line_items")
    if mode == "setup" and params.get("line_items"):
        raise invalid("You cannot pass `line_items` in `setup` mode.", param="line_items")
    allowed = params.get("allowed_payment_method_types")
    if mode == "setup" and not params.get("currency") and not allowed:
        # Stripe: with dynamic payment methods, setup mode needs the currency to choose them.
        raise missing_param("currency")
    for name in ("success_url", "cancel_url", "return_url"):
        check_url(params.get(name), name)
    checkout.check_discount_choice(params)
    return str(mode)


def _check_entries(entries: list[JSON]) -> None:
    for index, entry in enumerate(entries):
        if entry.get("quantity") is None and not (entry.get("adjustable_quantity") or {}).get(
            "enabled"
        ):
            raise missing_param(f"line_items[{index}][quantity]")


def _check_prices(mode: str, items: list[JSON]) -> None:
    recurring = checkout.recurring(items)
    if mode == "subscription" and not recurring:
        raise invalid(
            "You must provide at least one recurring price in `subscription` mode when using "
            "prices.",
            param="line_items",
        )
    if mode == "payment" and recurring:
        raise invalid(
            "You specified `payment` mode but passed a recurring price. Either switch to "
            "`subscription` mode or use only one-time prices.",
            param="line_items",
        )
    intervals = {
        (r["price"]["recurring"]["interval"], r["price"]["recurring"]["interval_count"])
        for r in recurring
    }
    if len(intervals) > 1:
        raise invalid(
            "Checkout does not support multiple prices with different billing intervals.",
            param="line_items",
        )


def _expires_at(ctx: Context, params: JSON) -> int:
    now = ctx.now()
    if "expires_at" not in params:
        return now + checkout.LIFETIME
    moment = int(params["expires_at"])
    if not now + checkout.SHORTEST_LIFETIME <= moment <= now + checkout.LIFETIME:
        raise invalid(
            "The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout "
            "Session creation.",
            param="expires_at",
        )
    return moment


def _customer_creation(mode: str, params: JSON) -> str | None:
    if mode == "subscription":
        return None
    if params.get("customer"):
        return None
    return str(params.get("customer_creation", "if_required"))


def new_session(ctx: Context, params: JSON, *, payment_link: str | None = None) -> JSON:
    """A session from checked create parameters (also what a payment link's page makes)."""
    mode = _check_mode_params(params)
    entries: list[JSON] = params.get("line_items") or []
    _check_entries(entries)
    customer = None
    if params.get("customer"):
        customer = ctx.fetch("customer", params["customer"], param="customer")
    items = checkout.line_items_from(ctx, entries)
    _check_prices(mode, items)
    currency = items[0]["currency"] if items else str(params.get("currency") or "").lower() or None
    session_id = ctx.new_id("cs_test", 58)
    token = ids.new_token()
    session: JSON = {
        "id": session_id,
        "object": OBJECT,
        "adaptive_pricing": {"enabled": False} if mode == "payment" else None,
        "after_expiration": None,
        "allow_promotion_codes": params.get("allow_promotion_codes"),
        "allowed_payment_method_types": params.get("allowed_payment_method_types"),
        "amount_subtotal": None,
        "amount_total": None,
        "automatic_tax": {"enabled": False, "liability": None, "provider": None, "status": None},
        "billing_address_collection": params.get("billing_address_collection"),
        "branding_settings": None,
        "cancel_url": params.get("cancel_url"),
        "client_reference_id": params.get("client_reference_id"),
        "client_secret": None,
        "collected_information": None,
        "consent": None,
        "consent_collection": None,
        "created": ctx.now(),
        "currency": currency,
        "currency_conversion": None,
        "custom_fields": [],
        "custom_text": {
            "after_submit": None,
            "shipping_address": None,
            "submit": None,
            "terms_of_service_acceptance": None,
        },
        "customer": customer["id"] if customer else None,
        "customer_account": None,
        "customer_creation": _customer_creation(mode, params),
        "customer_details": None,
        "customer_email": params.get("customer_email"),
        "discounts": [],
        "excluded_payment_method_types": [],
        "expires_at": _expires_at(ctx, params),
        "integration_identifier": params.get("integration_identifier"),
        "invoice": None,
        "invoice_creation": None,
        "livemode": False,
        "locale": params.get("locale"),
        "managed_payments": None,
        "metadata": metadata({}, params.get("metadata")),
        "mode": mode,
        "name_collection": None,
        "optional_items": None,
        "origin_context": params.get("origin_context"),
        "payment_intent": None,
        "payment_link": payment_link,
        "payment_method_collection": "always" if mode != "payment" else None,
        "payment_method_configuration_details": None,
        "payment_method_options": {"card": {"request_three_d_secure": "automatic"}},
        # Cards are what the hosted page takes; other allowed types are shown but not offered.
        "payment_method_types": list(params.get("allowed_payment_method_types") or ["card"]),
        "payment_status": "no_payment_required" if mode == "setup" else "unpaid",
        "permissions": None,
        "phone_number_collection": {
            "enabled": bool((params.get("phone_number_collection") or {}).get("enabled"))
        },
        "presentment_details": None,
        "recovered_from": None,
        "redirect_on_completion": None,
        "return_url": params.get("return_url"),
        "saved_payment_method_options": None,
        "setup_intent": None,
        "shipping_address_collection": None,
        "shipping_cost": None,
        "shipping_options": [],
        "status": "open",
        "submit_type": params.get("submit_type"),
        "subscription": None,
        "success_url": params.get("success_url"),
        "tax_id_collection": {"enabled": False, "required": "never"},
        "total_details": None,
        "ui_mode": "hosted_page",
        "url": f"{ctx.base_url}/c/pay/{token}",
        "wallet_options": None,
        "_token": token,
        "_line_items": items,
        "_subscription_data": copy.deepcopy(params.get("subscription_data") or {}),
        "_payment_intent_data": copy.deepcopy(params.get("payment_intent_data") or {}),
        "_setup_intent_data": copy.deepcopy(params.get("setup_intent_data") or {}),
    }
    if mode == "payment":
        session["invoice_creation"] = _invoice_creation(params.get("invoice_creation"))
    if params.get("discounts"):
        session["discounts"] = checkout.parse_discounts(
            ctx, params["discounts"], customer=session["customer"]
        )
    if items or mode != "setup":
        checkout.apply_totals(ctx, session)
    ctx.insert(session, parent=session["customer"], due=session["expires_at"])
    ctx.store.set_lookup(ctx.platform, checkout.PAGE_LOOKUP, token, session_id)
    return session


def _invoice_creation(value: Any) -> JSON:
    data = (value or {}).get("invoice_data") or {}
    return {
        "enabled": bool((value or {}).get("enabled")),
        "invoice_data": {
            "account_tax_ids": None,
            "custom_fields": None,
            "description": data.get("description"),
            "footer": data.get("footer"),
            "issuer": None,
            "metadata": dict(data.get("metadata") or {}),
            "rendering_options": None,
        },
    }


@operation("PostCheckoutSessions")
def create(ctx: Context, params: JSON) -> JSON:
    return new_session(ctx, params)


@operation("GetCheckoutSessionsSession")
def retrieve(ctx: Context, params: JSON, session: str) -> JSON:
    return _fetch(ctx, session)


@operation("PostCheckoutSessionsSession")
def update(ctx: Context, params: JSON, session: str) -> JSON:
    found = _fetch(ctx, session)
    if (
        params.get("line_items")
        or params.get("shipping_options")
        or params.get("collected_information")
    ):
        # Our reading of Stripe's docs (not verified against Stripe): line items, shipping
        # options and collected information are updatable only on embedded/custom sessions
        # whose ``permissions`` let the server do it; a hosted page's session takes metadata.
        raise invalid(
            "Only `metadata` can be updated on a Checkout Session with ui_mode=hosted_page.",
            param="line_items" if params.get("line_items") else "shipping_options",
        )
    before = snapshot(found)
    if "metadata" in params:
        found["metadata"] = metadata(found.get("metadata"), params["metadata"])
    if changed(before, found):
        ctx.save(found)
    return found


@operation("PostCheckoutSessionsSessionExpire")
def expire(ctx: Context, params: JSON, session: str) -> JSON:
    found = _fetch(ctx, session)
    checkout.require_open(found)
    return checkout.expire(ctx, found)


@operation("GetCheckoutSessions")
def list_sessions(ctx: Context, params: JSON) -> JSON:
    wanted = {
        key: params[key]
        for key in ("customer", "payment_intent", "payment_link", "status", "subscription")
        if params.get(key)
    }
    email = (params.get("customer_details") or {}).get("email")

    def matches(session: JSON) -> bool:
        if any(session.get(key) != value for key, value in wanted.items()):
            return False
        if email is not None:
            found = (session.get("customer_details") or {}).get("email")
            return str(found or "").lower() == str(email).lower()
        return True

    predicate = matches if wanted or email is not None else None
    return list_objects(ctx, params, object_type=OBJECT, url=URL, predicate=predicate)


@operation("GetCheckoutSessionsSessionLineItems")
def line_items(ctx: Context, params: JSON, session: str) -> JSON:
    found = _fetch(ctx, session)
    return checkout.page_of_items(found["_line_items"], params, f"{URL}/{found['id']}/line_items")


@includable(OBJECT, "line_items")
def line_items_of(ctx: Context, session: JSON) -> JSON:
    items = session.get("_line_items") or []
    return embedded_list(items, f"{URL}/{session['id']}/line_items")


def _fetch(ctx: Context, session_id: str) -> JSON:
    found: JSON = ctx.fetch(OBJECT, session_id, param="session", kind="checkout.session")
    return found
