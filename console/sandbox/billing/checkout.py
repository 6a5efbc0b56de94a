"""Checkout: a session's line items and totals, its completion and its expiry.

Used by the Checkout Sessions and Payment Links resources (line items, totals) and by the
hosted checkout page (completion). A session's line items are stored with it as ``item``
objects under the hidden ``_line_items`` (the API shows them only through the line-items list
or ``expand[]=line_items``, as Stripe does).

What completing a session creates is the page's business (it goes through the API: a
customer, the payment method attached, the subscription, PaymentIntent or SetupIntent);
this module records the outcome on the session and emits ``checkout.session.completed``.
"""

from __future__ import annotations

import copy

from console.sandbox.billing import catalog, discounts, subscription_items
from console.sandbox.facts.errors import invalid
from console.sandbox.facts.spec import JSON
from console.sandbox.state import hidden_fields
from console.sandbox.state.context import Context, changed, snapshot
from console.sandbox.state.listing import embedded_list
from console.sandbox.state.registry import on_due

OBJECT = "checkout.session"
PAGE_LOOKUP = "checkout_page"
# Stripe: a session expires 24 hours after it is made unless ``expires_at`` says sooner (at
# least 30 minutes, https://docs.stripe.com/api/checkout/sessions/create#expires_at).
LIFETIME = 24 * 3600
SHORTEST_LIFETIME = 30 * 60
MAX_LINE_ITEMS = 100


# -- line items ----------------------------------------------------------------------------------


def _price_of(ctx: Context, entry: JSON, where: str) -> JSON:
    given = [key for key in ("price", "price_data") if entry.get(key) not in (None, "")]
    if len(given) > 1:
        raise invalid(
            "You may only specify one of these parameters: price, price_data.",
            param=f"{where}[price_data]",
        )
    if not given:
        raise invalid(
            "You must specify either `price` or `price_data` for each line item.",
            param=f"{where}[price]",
            code="parameter_missing",
        )
    if given[0] == "price":
        return catalog.fetch_price(
            ctx, entry["price"], param=f"{where}[price]", require_active=True
        )
    data = dict(entry["price_data"])
    if "unit_amount" not in data and "unit_amount_decimal" not in data:
        raise invalid(
            "Missing required param: unit_amount.",
            param=f"{where}[price_data][unit_amount]",
            code="parameter_missing",
        )
    # As for subscription items: a real but inactive Price, made for this purchase only.
    price: JSON = catalog.create_price(
        ctx, {**data, "active": False}, prefix=f"{where}[price_data]"
    )
    return price


def line_items_from(ctx: Context, entries: list[JSON], *, param: str = "line_items") -> list[JSON]:
    """``line_items[]`` as ``item`` objects: each price (looked up or made) and quantity."""
    if len(entries) > MAX_LINE_ITEMS:
        raise invalid(f"You may only specify up to {MAX_LINE_ITEMS} line items.", param=param)
    items: list[JSON] = []
    for index, entry in enumerate(entries):
        where = f"{param}[{index}]"
        price = _price_of(ctx, entry, where)
        if catalog.is_metered(price):
            quantity = None
        else:
            quantity = subscription_items.check_quantity(price, entry, where)
            if quantity is None or quantity < 1:
                raise invalid(
                    "Quantity is required and must be at least 1.", param=f"{where}[quantity]"
                )
        items.append(new_item(ctx, price, quantity))
    currencies = {item["currency"] for item in items}
    if len(currencies) > 1:
        raise invalid(
            f"All line items must have the same currency; got {', '.join(sorted(currencies))}.",
            param=param,
        )
    return items


def new_item(ctx: Context, price: JSON, quantity: int | None) -> JSON:
    """One ``item`` (a line of a session or link); its amounts before discounts."""
    product = ctx.find(str(price.get("product") or "")) or {}
    amount = catalog.amount_for(price, quantity or 0) if quantity is not None else 0
    return {
        "id": ctx.new_id("li", 24),
        "object": "item",
        "adjustable_quantity": None,
        "amount_discount": 0,
        "amount_subtotal": amount,
        "amount_tax": 0,
        "amount_total": amount,
        "currency": price["currency"],
        "description": product.get("name") or price.get("nickname"),
        "discounts": [],
        "metadata": {},
        "price": hidden_fields.public(copy.deepcopy(price)),
        "quantity": quantity,
        "taxes": [],
    }


def priced(item: JSON, quantity: int) -> JSON:
    """An item's amounts for another quantity (a payment link's line, updated)."""
    amount = catalog.amount_for(item["price"], quantity)
    return {
        "quantity": quantity,
        "amount_subtotal": amount,
        "amount_discount": 0,
        "amount_total": amount,
    }


def page_of_items(items: list[JSON], params: JSON, url: str) -> JSON:
    """A list page over stored line items (``limit``, ``starting_after``, ``ending_before``)."""
    limit = int(params.get("limit", 10))
    if not 1 <= limit <= 100:
        raise invalid("Invalid limit: must be an integer between 1 and 100.", param="limit")
    known = [item["id"] for item in items]
    start, end = 0, len(items)
    for name in ("starting_after", "ending_before"):
        if params.get(name) and params[name] not in known:
            raise invalid(f"No such line item: '{params[name]}'", param=name)
    if params.get("starting_after"):
        start = known.index(params["starting_after"]) + 1
    if params.get("ending_before"):
        end = known.index(params["ending_before"])
        start = max(0, end - limit)
    chosen = items[start:end][:limit]
    return embedded_list(chosen, url, has_more=start + len(chosen) < end)


def recurring(items: list[JSON]) -> list[JSON]:
    return [item for item in items if (item["price"] or {}).get("type") == "recurring"]


# -- totals --------------------------------------------------------------------------------------


def coupon_of(ctx: Context, discount: JSON) -> JSON | None:
    """The coupon behind one entry of a session's ``discounts`` (a coupon or promotion code)."""
    if discount.get("coupon"):
        return ctx.find(str(discount["coupon"]))
    if discount.get("promotion_code"):
        code = ctx.find(str(discount["promotion_code"])) or {}
        return ctx.find(str((code.get("promotion") or {}).get("coupon") or ""))
    return None


def apply_totals(ctx: Context, session: JSON) -> None:
    """The session's (and each line's) subtotal, discount and total.

    Certain: ``amount_subtotal`` is before discounts and tax, ``amount_total`` after
    (https://docs.stripe.com/api/checkout/sessions/object). Assumed: a coupon limited to
    products (``applies_to``) takes off only those lines, and a trial makes the first payment
    nothing (the session's ``amount_total`` is 0 then, as the first invoice is).
    """
    items: list[JSON] = session["_line_items"]
    coupons = [c for c in (coupon_of(ctx, d) for d in session.get("discounts") or []) if c]
    currency = session["currency"] or "usd"
    trial = bool((session.get("_subscription_data") or {}).get("trial_period_days"))
    for item in items:
        amount = item["amount_subtotal"]
        product = (item["price"] or {}).get("product")
        off = sum(discounts.discount_amount(c, amount, currency, product) for c in coupons)
        item["amount_discount"] = min(off, amount)
        item["amount_total"] = amount - item["amount_discount"]
    subtotal = sum(item["amount_subtotal"] for item in items)
    off = sum(item["amount_discount"] for item in items)
    if trial and session["mode"] == "subscription":
        # The first invoice of a trial is for nothing; the later ones are the recurring prices.
        subtotal = sum(i["amount_subtotal"] for i in items if i not in recurring(items))
        off = 0
    session["amount_subtotal"] = subtotal if session["mode"] != "setup" else None
    session["amount_total"] = subtotal - off if session["mode"] != "setup" else None
    if session["mode"] != "setup":
        session["total_details"] = {"amount_discount": off, "amount_shipping": 0, "amount_tax": 0}


def check_discount_choice(params: JSON) -> None:
    if params.get("allow_promotion_codes") and params.get("discounts"):
        raise invalid(
            "You may only specify one of these parameters: allow_promotion_codes, discounts.",
            param="discounts",
        )


def parse_discounts(ctx: Context, value: list[JSON], *, customer: str | None) -> list[JSON]:
    """``discounts[]``: at most one coupon or promotion code, checked usable now."""
    if len(value) > 1:
        raise invalid("You may only apply one discount to a Checkout Session.", param="discounts")
    parsed: list[JSON] = []
    for index, entry in enumerate(value):
        where = f"discounts[{index}]"
        if entry.get("coupon") and entry.get("promotion_code"):
            raise invalid(
                "You may only specify one of these parameters: coupon, promotion_code.",
                param=where,
            )
        if entry.get("coupon"):
            coupon = discounts.fetch_coupon(ctx, entry["coupon"], param=f"{where}[coupon]")
            discounts.check_usable(ctx, coupon, param=f"{where}[coupon]")
            parsed.append({"coupon": coupon["id"], "promotion_code": None})
        elif entry.get("promotion_code"):
            code = discounts.resolve(
                ctx, entry["promotion_code"], customer=customer, param=f"{where}[promotion_code]"
            )
            parsed.append({"coupon": None, "promotion_code": code["id"]})
    return parsed


# -- the end of a session ------------------------------------------------------------------------


def require_open(session: JSON) -> None:
    if session["status"] != "open":
        raise invalid(
            f'Only Checkout Sessions with a status in ["open"] can be expired. This Checkout '
            f"Session has a status of {session['status']}.",
            param="session",
        )


def expire(ctx: Context, session: JSON) -> JSON:
    """An open session ends unused: ``expired``, its page gone, ``checkout.session.expired``."""
    before = snapshot(session)
    session["status"] = "expired"
    session["url"] = None  # Stripe shows the page's link only while the session is open
    ctx.save(session, due=None)
    ctx.emit("checkout.session.expired", session, changed(before, session))
    return session


@on_due(OBJECT)
def expire_when_due(ctx: Context, session: JSON) -> None:
    """The clock passed ``expires_at``: an open session expires (by the sandbox clock)."""
    if session.get("status") == "open":
        expire(ctx, session)
    else:
        ctx.save(session, due=None)


def complete(
    ctx: Context,
    session: JSON,
    *,
    customer: JSON | None,
    email: str | None,
    payment_status: str,
    outcome: JSON,
) -> JSON:
    """Record a finished checkout: what it made (``outcome``: ``subscription``, ``invoice``,
    ``payment_intent``, ``setup_intent`` ids), who paid, and ``checkout.session.completed``."""
    before = snapshot(session)
    session["status"] = "complete"
    session["url"] = None
    session["payment_status"] = payment_status
    session["customer"] = customer["id"] if customer else None
    for key in ("subscription", "invoice", "payment_intent", "setup_intent"):
        if outcome.get(key):
            session[key] = outcome[key]
    session["customer_details"] = {
        "address": copy.deepcopy((customer or {}).get("address")),
        "business_name": None,
        "email": (customer or {}).get("email") or email,
        "individual_name": None,
        "name": (customer or {}).get("name"),
        "phone": (customer or {}).get("phone"),
        "tax_exempt": (customer or {}).get("tax_exempt", "none"),
        "tax_ids": [],
    }
    session["collected_information"] = {
        "business_name": None,
        "individual_name": None,
        "shipping_details": None,
    }
    if session["mode"] == "payment":
        _redeem(ctx, session)
    ctx.save(session, due=None)
    ctx.emit("checkout.session.completed", session, changed(before, session))
    return session


def _redeem(ctx: Context, session: JSON) -> None:
    """A paid session's discount counts as used (a subscription's redeems its own)."""
    for discount in session.get("discounts") or []:
        if discount.get("promotion_code"):
            code = ctx.find(str(discount["promotion_code"]))
            if code is not None:
                discounts.redeem_promotion_code(ctx, code)
        elif discount.get("coupon"):
            discounts.redeem_coupon(ctx, str(discount["coupon"]), param="discounts")
