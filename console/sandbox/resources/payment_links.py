"""Payment Links (``/v1/payment_links``): create, retrieve, update, list, line items.

A link's ``url`` is the sandbox's page ``/b/{token}`` (:mod:`console.sandbox.pages.payment_link`),
which makes a Checkout Session from the link at each visit and sends the buyer to it. A link
buys its prices in ``subscription`` mode when one of them is recurring, else in ``payment``
mode. Its line items are fixed once made: an update may change a line's quantity (named by its
id), never add, remove or reprice one, as at Stripe.
"""

from __future__ import annotations

import copy
from typing import Any

from console.sandbox.billing import checkout
from console.sandbox.facts import ids
from console.sandbox.facts.errors import invalid, missing_param
from console.sandbox.facts.fields import metadata, unset
from console.sandbox.facts.spec import JSON
from console.sandbox.facts.urls import check_url
from console.sandbox.state.context import Context, changed, snapshot
from console.sandbox.state.listing import embedded_list, list_objects
from console.sandbox.state.registry import includable, operation

OBJECT = "payment_link"
URL = "/v1/payment_links"
PAGE_LOOKUP = "payment_link_page"


def _after_completion(value: Any) -> JSON:
    if not value:
        return {"hosted_confirmation": {"custom_message": None}, "type": "hosted_confirmation"}
    kind = value.get("type")
    if kind == "redirect":
        url = (value.get("redirect") or {}).get("url")
        if not url:
            raise missing_param("after_completion[redirect][url]")
        check_url(url, "after_completion[redirect][url]")
        return {"redirect": {"url": url}, "type": "redirect"}
    message = (value.get("hosted_confirmation") or {}).get("custom_message")
    return {"hosted_confirmation": {"custom_message": message}, "type": "hosted_confirmation"}


def _entries(params: JSON) -> list[JSON]:
    entries: list[JSON] = params.get("line_items") or []
    if not entries:
        raise missing_param("line_items")
    for index, entry in enumerate(entries):
        if not entry.get("price"):
            # Payment links sell existing prices only (Stripe: price_data is for sessions).
            raise missing_param(f"line_items[{index}][price]")
        if entry.get("quantity") is None:
            raise missing_param(f"line_items[{index}][quantity]")
    return entries


def _subscription_data(value: Any, recurring: bool) -> JSON | None:
    if not recurring:
        if value:
            raise invalid(
                "subscription_data can only be used with recurring prices.",
                param="subscription_data",
            )
        return None
    data = value or {}
    return {
        "description": data.get("description"),
        "invoice_settings": {"issuer": {"type": "self"}},
        "metadata": dict(data.get("metadata") or {}),
        "trial_period_days": data.get("trial_period_days"),
        "trial_settings": None,
    }


def _payment_intent_data(value: Any, recurring: bool) -> JSON | None:
    if recurring:
        if value:
            raise invalid(
                "payment_intent_data cannot be used with recurring prices.",
                param="payment_intent_data",
            )
        return None
    data = value or {}
    return {
        "capture_method": data.get("capture_method"),
        "description": data.get("description"),
        "metadata": dict(data.get("metadata") or {}),
        "setup_future_usage": data.get("setup_future_usage"),
        "statement_descriptor": data.get("statement_descriptor"),
        "statement_descriptor_suffix": data.get("statement_descriptor_suffix"),
        "transfer_group": data.get("transfer_group"),
    }


@operation("PostPaymentLinks")
def create(ctx: Context, params: JSON) -> JSON:
    items = checkout.line_items_from(ctx, _entries(params))
    for item, entry in zip(items, params["line_items"], strict=True):
        item["adjustable_quantity"] = _adjustable(entry.get("adjustable_quantity"))
    recurring = bool(checkout.recurring(items))
    if recurring and "customer_creation" in params:
        raise invalid(
            "customer_creation can only be used with one-time prices: a subscription always "
            "makes a customer.",
            param="customer_creation",
        )
    token = ids.new_token()
    link: JSON = {
        "id": ctx.new_id("plink", 24),
        "object": OBJECT,
        "active": True,
        "after_completion": _after_completion(params.get("after_completion")),
        "allow_promotion_codes": bool(params.get("allow_promotion_codes", False)),
        "application": None,
        "application_fee_amount": params.get("application_fee_amount"),
        "application_fee_percent": params.get("application_fee_percent"),
        "automatic_tax": {"enabled": False, "liability": None},
        "billing_address_collection": params.get("billing_address_collection", "auto"),
        "consent_collection": None,
        "currency": items[0]["currency"],
        "custom_fields": [],
        "custom_text": {
            "after_submit": None,
            "shipping_address": None,
            "submit": None,
            "terms_of_service_acceptance": None,
        },
        "customer_creation": params.get("customer_creation", "if_required"),
        "inactive_message": unset(params.get("inactive_message")),
        "invoice_creation": None
        if recurring
        else {"enabled": bool((params.get("invoice_creation") or {}).get("enabled")),
              "invoice_data": None},
        "livemode": False,
        "metadata": metadata({}, params.get("metadata")),
        "name_collection": None,
        "on_behalf_of": params.get("on_behalf_of"),
        "optional_items": None,
        "payment_intent_data": _payment_intent_data(params.get("payment_intent_data"), recurring),
        "payment_method_collection": params.get("payment_method_collection", "always"),
        "payment_method_options": None,
        "payment_method_types": None,
        "phone_number_collection": {
            "enabled": bool((params.get("phone_number_collection") or {}).get("enabled"))
        },
        "restrictions": None,
        "shipping_address_collection": None,
        "shipping_options": [],
        "submit_type": params.get("submit_type", "auto"),
        "subscription_data": _subscription_data(params.get("subscription_data"), recurring),
        "tax_id_collection": {"enabled": False, "required": "never"},
        "transfer_data": None,
        "url": f"{ctx.base_url}/b/{token}",
        "_token": token,
        "_line_items": items,
    }  # fmt: skip
    ctx.insert(link)
    ctx.store.set_lookup(ctx.platform, PAGE_LOOKUP, token, link["id"])
    ctx.emit("payment_link.created", link)
    return link


def _adjustable(value: Any) -> JSON | None:
    if not value:
        return None
    return {
        "enabled": bool(value.get("enabled")),
        "maximum": value.get("maximum"),
        "minimum": value.get("minimum"),
    }


@operation("GetPaymentLinksPaymentLink")
def retrieve(ctx: Context, params: JSON, payment_link: str) -> JSON:
    return _fetch(ctx, payment_link)


@operation("PostPaymentLinksPaymentLink")
def update(ctx: Context, params: JSON, payment_link: str) -> JSON:
    link = _fetch(ctx, payment_link)
    before = snapshot(link)
    items_before = copy.deepcopy(link["_line_items"])
    if "active" in params:
        link["active"] = bool(params["active"])
    if "metadata" in params:
        link["metadata"] = metadata(link.get("metadata"), params["metadata"])
    if "allow_promotion_codes" in params:
        link["allow_promotion_codes"] = bool(params["allow_promotion_codes"])
    if "after_completion" in params:
        link["after_completion"] = _after_completion(params["after_completion"])
    if "inactive_message" in params:
        link["inactive_message"] = unset(params["inactive_message"])
    if "line_items" in params:
        _update_quantities(link, params["line_items"])
    # The line items are hidden fields, which previous_attributes leaves out.
    if changed(before, link) or link["_line_items"] != items_before:
        ctx.save(link)
        ctx.emit("payment_link.updated", link, changed(before, link))
    return link


def _update_quantities(link: JSON, entries: list[JSON]) -> None:
    """A line's quantity or adjustable quantity, by its id; the lines themselves stay."""
    by_id = {item["id"]: item for item in link["_line_items"]}
    for index, entry in enumerate(entries):
        item = by_id.get(entry.get("id", ""))
        if item is None:
            raise invalid(
                f"The line item {entry.get('id')!r} is not on this payment link: a payment "
                "link's line items cannot be added or replaced, only their quantities changed. "
                "Create a new payment link to sell other prices.",
                param=f"line_items[{index}][id]",
            )
        if "quantity" in entry:
            quantity = int(entry["quantity"])
            if quantity < 1:
                raise invalid(
                    "Quantity must be at least 1.", param=f"line_items[{index}][quantity]"
                )
            replacement = checkout.priced(item, quantity)
            item.update(replacement)
        if "adjustable_quantity" in entry:
            item["adjustable_quantity"] = _adjustable(entry["adjustable_quantity"])


@operation("GetPaymentLinks")
def list_links(ctx: Context, params: JSON) -> JSON:
    predicate = None
    if "active" in params:
        wanted = bool(params["active"])

        def predicate(link: JSON) -> bool:
            return bool(link["active"]) == wanted

    return list_objects(ctx, params, object_type=OBJECT, url=URL, predicate=predicate)


@operation("GetPaymentLinksPaymentLinkLineItems")
def line_items(ctx: Context, params: JSON, payment_link: str) -> JSON:
    link = _fetch(ctx, payment_link)
    url = f"{URL}/{link['id']}/line_items"
    return checkout.page_of_items(link["_line_items"], params, url)


@includable(OBJECT, "line_items")
def line_items_of(ctx: Context, link: JSON) -> JSON:
    return embedded_list(copy.deepcopy(link["_line_items"]), f"{URL}/{link['id']}/line_items")


def _fetch(ctx: Context, link_id: str) -> JSON:
    found: JSON = ctx.fetch(OBJECT, link_id, param="payment_link", kind="payment link")
    return found
