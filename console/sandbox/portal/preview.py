"""Branding previews: the portal page a customer would see, for a configuration that may not exist.

``POST /v1/test_helpers/portal_previews`` (a sandbox-only test helper, authenticated like every
API call) takes a configuration in Stripe's shape (its ``business_profile``, ``features`` and
``default_return_url``, checked against the same schema as creating one), the account's branding
(business name, colours, icon and logo as ``data:`` URLs of the image bytes) and a ``locale``, and
answers with a short-lived ``url``. That page is rendered by the portal's own templates and page
code for a made-up customer (a subscription on the configuration's first product, a card, a paid
invoice), so what it shows is what the real portal would show.

Nothing is stored as an object and no event is emitted: a preview lives in memory next to the
sandbox's store for :data:`PREVIEW_LIFETIME` seconds of sandbox time. The pages under
``/p/preview/{token}`` answer GET only; every POST (the page's forms) gets the localized "not
available" page and changes nothing. The configuration's products live in whichever account
the preview is for, so their names and prices come in the request (``products``), never from
this sandbox's store.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from console.sandbox.facts import ids
from console.sandbox.facts import portal_rules as rules
from console.sandbox.facts.errors import invalid, missing_param
from console.sandbox.facts.spec import JSON, spec_operations
from console.sandbox.portal import pages, subscriptions
from console.sandbox.portal.app import route
from console.sandbox.portal.memory import PerStore, Recent
from console.sandbox.portal.render import page_locale, render, request_locale
from console.sandbox.portal.session import Brand, Portal, api_of, valid_color
from console.sandbox.resources.portal_configurations import new_configuration
from console.sandbox.state.context import Context
from console.sandbox.state.registry import extra
from resources import load_json

OBJECT = "sandbox.portal_preview"
PREVIEW_LIFETIME = 30 * 60
MAX_PREVIEWS = 200  # per sandbox; the oldest go first
MAX_IMAGE_BYTES = 512 * 1024  # Stripe's limit for a branding icon or logo
IMAGE_TYPES = {  # media type -> how its bytes begin
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
}
_DATA_URL = re.compile(r"^data:(image/[a-z]+);base64,([A-Za-z0-9+/=\s]+)$")

# The made-up customer every preview shows; nothing here is a stored object.
SAMPLE_CUSTOMER_ID = "cus_preview"
SAMPLE_SUBSCRIPTION_ID = "sub_preview"
SAMPLE_CARD_ID = "pm_preview"
SAMPLE_PRODUCT = {"id": "prod_preview", "name": "Premium"}
SAMPLE_PRICE = {
    "id": "price_preview",
    "unit_amount": 2000,
    "currency": "usd",
    "interval": "month",
    "interval_count": 1,
    "tax_behavior": "exclusive",
}
DAY = 24 * 3600


@cache
def portal_locales() -> tuple[str, ...]:
    """The 40 locales of Stripe's portal, as the session ``locale`` spells them."""
    table = load_json("stripe", "portal-locales.json")["portal_locales"]
    return tuple(str(entry["code"]) for entry in table)


def _configuration_schema() -> JSON:
    """What a configuration may carry here: the create operation's own parameter schemas."""
    create = next(
        o for o in spec_operations() if o.operation_id == "PostBillingPortalConfigurations"
    )
    known: JSON = create.params_schema["properties"]
    return {
        "type": "object",
        "properties": {
            key: known[key]
            for key in ("business_profile", "default_return_url", "features")
            if key in known
        },
    }


_PRICE_SCHEMA: JSON = {
    "type": "object",
    "required": ["id", "currency"],
    "properties": {
        "id": {"type": "string", "maxLength": 255},
        "unit_amount": {"type": "integer"},
        "currency": {"type": "string", "maxLength": 3},
        "interval": {"type": "string", "enum": ["day", "week", "month", "year"]},
        "interval_count": {"type": "integer"},
        "tax_behavior": {"type": "string", "enum": ["exclusive", "inclusive", "unspecified"]},
    },
}

PARAMS: JSON = {
    "locale": {"type": "string", "enum": list(portal_locales())},
    "configuration": _configuration_schema(),
    "branding": {
        "type": "object",
        "properties": {
            "business_name": {"type": "string", "maxLength": 200},
            "primary_color": {"type": "string", "maxLength": 7},
            "secondary_color": {"type": "string", "maxLength": 7},
            "icon": {"type": "string"},
            "logo": {"type": "string"},
        },
    },
    "products": {
        "type": "array",
        "maxItems": rules.MAX_PRODUCTS,
        "items": {
            "type": "object",
            "required": ["id"],
            "properties": {
                "id": {"type": "string", "maxLength": 255},
                "name": {"type": "string", "maxLength": 500},
                "prices": {"type": "array", "maxItems": 50, "items": _PRICE_SCHEMA},
            },
        },
    },
}


# -- what a preview keeps ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Preview:
    """One preview's inputs, checked; the pages are rendered from it on each request."""

    id: str
    token: str
    locale: str
    configuration: JSON
    brand: Brand
    products: dict[str, JSON]  # product id -> {"id", "name"}
    prices: dict[str, JSON]  # price id -> a Stripe-shaped price with its product id
    created: int
    expires_at: int


class _Previews(Recent[Preview]):
    """The previews of one sandbox, in memory (never in its store), oldest first."""

    def __init__(self) -> None:
        super().__init__(MAX_PREVIEWS)

    def find(self, token: str, now: int) -> Preview | None:
        found = self.get(token)
        if found is not None and now >= found.expires_at:
            self.pop(token)
            return None
        return found


previews_of = PerStore(_Previews)


# -- the test helper -----------------------------------------------------------------------------


def image_data_url(value: Any, param: str) -> str | None:
    """A branding image as a checked ``data:`` URL (the CSP allows ``data:`` images)."""
    if value is None:
        return None
    problem = (
        f"Invalid {param}: pass the image as a data URL of a PNG, JPEG or GIF file "
        f"(data:image/png;base64,...) of at most {MAX_IMAGE_BYTES // 1024} KB."
    )
    match = _DATA_URL.match(str(value))
    if match is None or match.group(1) not in IMAGE_TYPES:
        raise invalid(problem, param=param)
    try:
        data = base64.b64decode(re.sub(r"\s", "", match.group(2)), validate=True)
    except (binascii.Error, ValueError):
        raise invalid(problem, param=param) from None
    if not data or len(data) > MAX_IMAGE_BYTES:
        raise invalid(problem, param=param)
    if not data.startswith(IMAGE_TYPES[match.group(1)]):
        raise invalid(f"Invalid {param}: the data is not a {match.group(1)} image.", param=param)
    return f"data:{match.group(1)};base64,{base64.b64encode(data).decode()}"


def _color(value: Any, param: str) -> str | None:
    if value is None:
        return None
    color = valid_color(str(value))
    if color is None:
        raise invalid(f"Invalid {param}: use a hex colour such as #0a2540.", param=param)
    return color


def _configuration(params: JSON) -> JSON:
    """A configuration object: Stripe's defaults with what was sent laid over them."""
    config = new_configuration("bpc_preview", 0)
    sent = params.get("configuration") or {}
    profile = sent.get("business_profile") or {}
    for key in ("headline", "privacy_policy_url", "terms_of_service_url"):
        if profile.get(key):
            config["business_profile"][key] = profile[key]
    if sent.get("default_return_url"):
        config["default_return_url"] = sent["default_return_url"]
    for name, feature in (sent.get("features") or {}).items():
        target = config["features"].get(name)
        if isinstance(target, dict) and isinstance(feature, dict):
            _lay_over(target, feature)
    return config


def _lay_over(target: JSON, sent: JSON) -> None:
    """Copy sent values into ``target`` (nested), ``""`` meaning an emptied list or value."""
    for key, value in sent.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _lay_over(target[key], value)
        elif value == "":
            target[key] = [] if isinstance(target.get(key), list) else None
        else:
            target[key] = value


def _catalog(params: JSON) -> tuple[dict[str, JSON], dict[str, JSON]]:
    products: dict[str, JSON] = {}
    prices: dict[str, JSON] = {}
    for entry in params.get("products") or []:
        product = {"id": entry["id"], "name": entry.get("name") or entry["id"], "active": True}
        products[product["id"]] = product
        for price in entry.get("prices") or []:
            prices[price["id"]] = _price(price, product["id"])
    return products, prices


def _price(sent: JSON, product_id: str) -> JSON:
    return {
        "id": sent["id"],
        "object": "price",
        "active": True,
        "type": "recurring",
        "currency": str(sent["currency"]).lower(),
        "unit_amount": sent.get("unit_amount"),
        "product": product_id,
        "tax_behavior": sent.get("tax_behavior") or "unspecified",
        "recurring": {
            "interval": sent.get("interval") or "month",
            "interval_count": int(sent.get("interval_count") or 1),
            "usage_type": "licensed",
        },
    }


@extra("PostTestHelpersPortalPreviews", "POST", "/v1/test_helpers/portal_previews", PARAMS)
def create_preview(ctx: Context, params: JSON) -> JSON:
    if "locale" not in params:
        raise missing_param("locale")
    sent = params.get("branding") or {}
    config = _configuration(params)
    profile = config["business_profile"]
    icon = image_data_url(sent.get("icon"), "branding[icon]")
    logo = image_data_url(sent.get("logo"), "branding[logo]")
    brand = Brand(
        name=str(sent.get("business_name") or "Business"),
        headline=profile.get("headline"),
        icon=icon,
        logo=logo,
        primary_color=_color(sent.get("primary_color"), "branding[primary_color]"),
        secondary_color=_color(sent.get("secondary_color"), "branding[secondary_color]"),
        privacy_policy_url=profile.get("privacy_policy_url"),
        terms_of_service_url=profile.get("terms_of_service_url"),
        return_url=config.get("default_return_url"),
        icon_url=icon,
        logo_url=logo,
    )
    products, prices = _catalog(params)
    now = ctx.now()
    preview = Preview(
        id=ids.new_id("bpp", 24),
        token=ids.new_token(24),
        locale=params["locale"],
        configuration=config,
        brand=brand,
        products=products,
        prices=prices,
        created=now,
        expires_at=now + PREVIEW_LIFETIME,
    )
    previews_of(ctx.store).add(preview.token, preview)
    return {
        "id": preview.id,
        "object": OBJECT,
        "created": now,
        "expires_at": preview.expires_at,
        "livemode": False,
        "locale": preview.locale,
        "url": f"{ctx.base_url}/p/preview/{preview.token}",
    }


# -- the made-up customer ------------------------------------------------------------------------


class PreviewPortal(Portal):
    """A portal visit that belongs to no session: its links stay under the preview's path."""

    @property
    def base(self) -> str:
        return f"/p/preview/{self.token}"

    def call(self, operation_id: str, params: JSON | None = None, **path: str) -> JSON:
        # A preview reads and changes nothing in the sandbox: every object is made up.
        raise RuntimeError(f"a preview page tried to call {operation_id}")


def _sample_price(preview: Preview) -> tuple[JSON, JSON]:
    """The subscription's price and product: the configuration's first product, if any."""
    update = preview.configuration["features"]["subscription_update"]
    for entry in update.get("products") or []:
        for price_id in entry.get("prices") or []:
            price = preview.prices.get(price_id)
            if price is not None:
                product = preview.products.get(str(entry["product"])) or {
                    "id": entry["product"],
                    "name": entry["product"],
                }
                return price, product
    return _price(SAMPLE_PRICE, SAMPLE_PRODUCT["id"]), dict(SAMPLE_PRODUCT)


@dataclass(frozen=True, slots=True)
class SampleCustomer:
    customer: JSON
    subscription: JSON
    card: JSON
    invoices: list[JSON]


def sample_customer(preview: Preview, now: int) -> SampleCustomer:
    price, product = _sample_price(preview)
    period_end = now + 20 * DAY
    customer = {
        "id": SAMPLE_CUSTOMER_ID,
        "object": "customer",
        "name": "Jenny Rosen",
        "email": "jenny.rosen@example.com",
        "phone": "+1 415 555 0100",
        "address": {
            "line1": "510 Townsend St",
            "line2": None,
            "city": "San Francisco",
            "state": "CA",
            "postal_code": "94103",
            "country": "US",
        },
        "shipping": None,
        "preferred_locales": [preview.locale],
        "invoice_settings": {"default_payment_method": SAMPLE_CARD_ID},
    }
    subscription = {
        "id": SAMPLE_SUBSCRIPTION_ID,
        "object": "subscription",
        "customer": SAMPLE_CUSTOMER_ID,
        "status": "active",
        "currency": price["currency"],
        "collection_method": "charge_automatically",
        "cancel_at": None,
        "cancel_at_period_end": False,
        "schedule": None,
        "pending_update": None,
        "default_payment_method": None,
        "discounts": [],
        "items": {
            "object": "list",
            "data": [
                {
                    "id": "si_preview",
                    "price": {**price, "product": product},
                    "quantity": 1,
                    "current_period_start": period_end - 30 * DAY,
                    "current_period_end": period_end,
                }
            ],
        },
    }
    card = {
        "id": SAMPLE_CARD_ID,
        "object": "payment_method",
        "type": "card",
        "card": {"brand": "visa", "last4": "4242", "exp_month": 12, "exp_year": 2030},
    }
    amount = price.get("unit_amount") or 0
    invoices = [
        {
            "id": f"in_preview_{n}",
            "object": "invoice",
            "status": "paid",
            "number": f"PREVIEW-000{n}",
            "currency": price["currency"],
            "total": amount,
            "amount_remaining": 0,
            "created": now - (30 * n + 10) * DAY,
            "status_transitions": {"finalized_at": now - (30 * n + 10) * DAY},
            "invoice_pdf": None,
        }
        for n in (1, 2)
    ]
    return SampleCustomer(customer, subscription, card, invoices)


# -- the pages -----------------------------------------------------------------------------------


def _open(request: Request) -> tuple[PreviewPortal, SampleCustomer, Preview]:
    api = api_of(request)
    now = api.clock.now()
    preview = previews_of(api.store).find(request.path_params["token"][:128], now)
    if preview is None:
        raise PreviewGoneError
    sample = sample_customer(preview, now)
    portal = PreviewPortal(
        api=api,
        token=preview.token,
        account=api.platform,
        session={"id": preview.id, "object": "billing_portal.session", "flow": None},
        configuration=preview.configuration,
        customer=sample.customer,
        brand=preview.brand,
        locale=page_locale(preview.locale),
        csrf_token="",
    )
    request.state.portal = portal
    return portal, sample, preview


class PreviewGoneError(Exception):
    """The preview's token is unknown or its time is up."""


def _gone(request: Request) -> Response:
    context = {"reason": "expired", "return_url": None, "login_url": None}
    return render(request, "expired.html", context, status=410, locale=request_locale(request))


def home(request: Request) -> Response:
    try:
        portal, sample, _preview = _open(request)
    except PreviewGoneError:
        return _gone(request)
    sub = sample.subscription
    item = sub["items"]["data"][0]
    price = item["price"]
    allowed = portal.feature("customer_update").get("allowed_updates") or []
    row = pages.SubscriptionRow(
        id=sub["id"],
        url=portal.url("subscriptions", sub["id"]),
        status=sub["status"],
        names=[str(price["product"]["name"])],
        lines=[
            (
                price.get("unit_amount"),
                price["currency"],
                price["recurring"]["interval"],
                int(price["recurring"]["interval_count"]),
                item["quantity"],
            )
        ],
        current_period_end=item["current_period_end"],
        cancel_at=None,
        cancel_at_period_end=False,
        trial_end=None,
    )
    card = pages.MethodRow(
        id=sample.card["id"],
        type="card",
        label="Visa",
        detail="•••• 4242",
        expires="12/2030",
        is_default=True,
        supported=True,
        manageable=True,
    )
    context: JSON = {
        "notice": None,
        "subscriptions": [row],
        "show_payment_methods": portal.enabled("payment_method_update"),
        "show_invoices": portal.enabled("invoice_history"),
        "show_customer": portal.enabled("customer_update"),
        "allowed_updates": allowed,
        "payment_methods": [card],
        "invoices": sample.invoices,
        "tax_ids": [],
        "csrf_field": "csrf_token",
    }
    return render(request, "home.html", context)


def subscription(request: Request) -> Response:
    try:
        portal, sample, preview = _open(request)
    except PreviewGoneError:
        return _gone(request)
    if request.path_params["subscription"] != SAMPLE_SUBSCRIPTION_ID:
        return render(request, "error.html", {"reason": "not_found"}, status=404)
    sub = sample.subscription
    update = portal.feature("subscription_update")
    configured = {str(entry["product"]) for entry in update.get("products") or []}
    prices = {k: v for k, v in preview.prices.items() if v["product"] in configured}
    products = {k: v for k, v in preview.products.items() if k in configured}
    assessment = rules.assess(
        sub,
        sample.customer,
        portal.configuration,
        payment_method=sample.card,
        prices=prices,
        products=products,
    )
    view = subscriptions.View(sub, assessment, prices, products, [], sample.card)
    return subscriptions.subscription_page(request, portal, view)


def refuse_change(request: Request) -> Response:
    """Every form of a preview page: the "not available" page, nothing changed."""
    try:
        portal, _sample, _preview = _open(request)
    except PreviewGoneError:
        return _gone(request)
    return render(
        request, "error.html", {"reason": "forbidden", "home_url": portal.base}, status=403
    )


def not_in_preview(request: Request) -> Response:
    """Pages a preview doesn't show (forms to fill in): "not found", with a way back."""
    try:
        portal, _sample, _preview = _open(request)
    except PreviewGoneError:
        return _gone(request)
    return render(
        request, "error.html", {"reason": "not_found", "home_url": portal.base}, status=404
    )


route("/preview/{token}", home)
route("/preview/{token}/subscriptions/{subscription}", subscription)
route("/preview/{token}/{rest:path}", not_in_preview)
route("/preview/{token}/{rest:path}", refuse_change, methods=["POST"])
route("/preview/{token}", refuse_change, methods=["POST"])
