"""Demo data (``--seed demo``): a small merchant whose customers cover every portal case.

"Northwind Cloud" sells three plans (monthly and yearly), an add-on, a metered
API product and a legacy plan; it has a retention coupon, three portal
configurations, two connected accounts and about fifty customers. Each
customer stands for a case the portal (and the console) must handle: every
supported payment-method type, an unsupported one, trials, several products,
metered billing, invoices sent for manual payment, a pending schedule,
cancellations, a past-due renewal, invoice-only customers, tax IDs, and the
portal's forty locales.

Everything is made through :meth:`Api.call`, so the demo runs the sandbox's
real rules and events; a refused call stops the seed with the step's name and
Stripe's message. Names, emails and amounts come from fixed tables and a
seeded random generator, so two demo sandboxes hold the same people.
"""

from __future__ import annotations

import random
import struct
import time
import unicodedata
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from console.sandbox.facts.errors import StripeError
from console.sandbox.facts.spec import JSON
from console.sandbox.facts.upload import Upload
from console.sandbox.http.app import Api
from console.sandbox.state.registry import HANDLERS
from resources import load_json

Progress = Callable[[str], None]

SEED = 20_261_028
BUSINESS = "Northwind Cloud"
SITE = "https://northwind.example"

# The portal's forty locales and payment-method types: Stripe facts stored once, in resources/.
LOCALES = tuple(
    entry["code"] for entry in load_json("stripe", "portal-locales.json")["portal_locales"]
)
PORTAL_PAYMENT_METHODS = tuple(
    entry["type"]
    for entry in load_json("stripe", "portal-payment-methods.json")["portal_payment_methods"]
)

# A type Stripe has but the portal cannot manage: its subscriptions are cancel-only.
UNSUPPORTED_PAYMENT_METHOD = "ideal"

# One person per locale: (first name, last name, country, city, postal code).
PEOPLE: dict[str, tuple[str, str, str, str, str]] = {
    "bg": ("Ivan", "Petrov", "BG", "Sofia", "1000"),
    "zh": ("Wei", "Zhang", "CN", "Shanghai", "200000"),
    "zh-HK": ("Ka Yan", "Chan", "HK", "Hong Kong", "999077"),
    "zh-TW": ("Yu-Ting", "Lin", "TW", "Taipei", "100"),
    "hr": ("Ana", "Horvat", "HR", "Zagreb", "10000"),
    "cs": ("Tomáš", "Novák", "CZ", "Prague", "11000"),
    "da": ("Freja", "Nielsen", "DK", "Copenhagen", "1050"),
    "nl": ("Daan", "de Vries", "NL", "Utrecht", "3511"),
    "en": ("Emily", "Carter", "US", "Portland", "97201"),
    "en-GB": ("Oliver", "Bennett", "GB", "Leeds", "LS1 4AP"),
    "et": ("Kristjan", "Tamm", "EE", "Tallinn", "10111"),
    "fil": ("Maria", "Santos", "PH", "Quezon City", "1100"),
    "fi": ("Aino", "Virtanen", "FI", "Tampere", "33100"),
    "fr": ("Camille", "Dubois", "FR", "Lyon", "69002"),
    "fr-CA": ("Gabriel", "Tremblay", "CA", "Montréal", "H2X 1Y4"),
    "de": ("Lukas", "Schneider", "DE", "Hamburg", "20095"),
    "el": ("Eleni", "Papadopoulou", "GR", "Athens", "10557"),
    "hu": ("Bence", "Nagy", "HU", "Budapest", "1051"),
    "id": ("Putri", "Wijaya", "ID", "Bandung", "40111"),
    "it": ("Giulia", "Romano", "IT", "Bologna", "40121"),
    "ja": ("Haruto", "Sato", "JP", "Osaka", "530-0001"),
    "ko": ("Ji-woo", "Kim", "KR", "Seoul", "04524"),
    "lv": ("Elza", "Bērziņa", "LV", "Riga", "LV-1050"),
    "lt": ("Lukas", "Kazlauskas", "LT", "Vilnius", "01103"),
    "ms": ("Aisyah", "Rahman", "MY", "Kuala Lumpur", "50450"),
    "mt": ("Luke", "Borg", "MT", "Valletta", "VLT 1010"),
    "nb": ("Ingrid", "Hansen", "NO", "Bergen", "5003"),
    "pl": ("Zofia", "Kowalska", "PL", "Kraków", "31-001"),
    "pt": ("João", "Silva", "PT", "Porto", "4000-322"),
    "pt-BR": ("Ana Clara", "Oliveira", "BR", "São Paulo", "01310-100"),
    "ro": ("Andrei", "Popescu", "RO", "Cluj-Napoca", "400001"),
    "ru": ("Dmitri", "Ivanov", "RU", "Kazan", "420111"),
    "sk": ("Martin", "Kováč", "SK", "Bratislava", "81101"),
    "sl": ("Nika", "Kranjc", "SI", "Ljubljana", "1000"),
    "es": ("Lucía", "García", "ES", "Valencia", "46002"),
    "es-419": ("Mateo", "Hernández", "MX", "Guadalajara", "44100"),
    "sv": ("Elsa", "Lindqvist", "SE", "Gothenburg", "41103"),
    "th": ("Somchai", "Srisuk", "TH", "Chiang Mai", "50200"),
    "tr": ("Elif", "Y\u0131lmaz", "TR", "Izmir", "35210"),  # dotless i, as Turkish spells it
    "vi": ("Minh", "Nguyen", "VN", "Hanoi", "100000"),
}
# Ten more, for cases where the locale does not matter.
MORE_PEOPLE = (
    ("Noah", "Brooks", "US", "Austin", "78701"),
    ("Ava", "Mitchell", "US", "Denver", "80202"),
    ("Liam", "Foster", "US", "Chicago", "60601"),
    ("Chloe", "Reid", "AU", "Melbourne", "3000"),
    ("Jack", "Wilson", "NZ", "Wellington", "6011"),
    ("Sophie", "Clarke", "GB", "Bristol", "BS1 4DJ"),
    ("Ethan", "Walker", "US", "Seattle", "98101"),
    ("Mia", "Keller", "CH", "Zürich", "8001"),
    ("Leo", "Martin", "FR", "Nantes", "44000"),
    ("Isla", "Murphy", "IE", "Cork", "T12 X70A"),
)
STATES = {
    "Portland": "OR", "Austin": "TX", "Denver": "CO", "Chicago": "IL", "Seattle": "WA",
    "São Paulo": "SP", "Montréal": "QC", "Melbourne": "VIC", "Osaka": "Osaka",
    "Guadalajara": "JAL", "Kuala Lumpur": "Kuala Lumpur",
}  # fmt: skip
STREETS = ("Market Street", "High Street", "Station Road", "Park Avenue", "Main Street",
           "Harbour Lane", "Church Road", "Mill Lane", "King Street", "Victoria Road")  # fmt: skip
DOMAINS = ("example.com", "example.org", "example.net", "mail.example", "inbox.example")

# Payment details Stripe's test mode accepts, per type (Stripe's "Testing" docs).
PAYMENT_DETAILS: dict[str, JSON] = {
    "card": {"card": {"token": "tok_visa"}},
    "us_bank_account": {
        "us_bank_account": {
            "routing_number": "110000000",
            "account_number": "000123456789",
            "account_holder_type": "individual",
        }
    },
    "amazon_pay": {"amazon_pay": {}},
    "au_becs_debit": {"au_becs_debit": {"bsb_number": "000000", "account_number": "000123456"}},
    "boleto": {"boleto": {"tax_id": "000.000.000-00"}},
    "cashapp": {"cashapp": {}},
    "link": {"link": {}},
    "nz_bank_account": {
        "nz_bank_account": {
            "bank_code": "11",
            "branch_code": "1111",
            "account_number": "0000000",
            "suffix": "00",
        }
    },
    "paypal": {"paypal": {}},
    "acss_debit": {
        "acss_debit": {
            "institution_number": "000",
            "transit_number": "11000",
            "account_number": "000123456789",
        }
    },
    "sepa_debit": {"sepa_debit": {"iban": "DE89370400440532013000"}},
    "bacs_debit": {"bacs_debit": {"sort_code": "108800", "account_number": "00012345"}},
    "ideal": {"ideal": {"bank": "abn_amro"}},
}

# Debits settle only in their own currency: such customers pay in it.
LOCAL_CURRENCIES = ("eur", "gbp", "aud", "nzd", "brl")
CURRENCY_OF_PAYMENT_METHOD = {
    "au_becs_debit": "aud",
    "boleto": "brl",
    "nz_bank_account": "nzd",
    "sepa_debit": "eur",
    "bacs_debit": "gbp",
}

# Plans the portal lets customers switch between (same tax behaviour, monthly and yearly).
PLANS = (
    ("starter", "Starter", "For individuals getting started.", 900),
    ("team", "Team", "Collaboration for growing teams.", 2900),
    ("business", "Business", "Advanced controls and priority support.", 7900),
)


class DemoError(RuntimeError):
    """A demo step failed: the message names the step and Stripe's reason."""


@dataclass(frozen=True)
class Case:
    """What one demo customer stands for."""

    label: str
    payment_method: str | None = "card"
    items: tuple[tuple[str, int], ...] = ()  # (lookup key, quantity)
    subscription: JSON = field(default_factory=dict)  # extra PostSubscriptions params
    after: str = ""  # cancel | cancel_at_period_end | schedule | past_due
    invoices: tuple[str, ...] = ()  # invoice-only: open | paid | void | uncollectible
    tax_id: tuple[str, str] | None = None

    @property
    def country(self) -> str | None:
        """Where a customer of this case would live (its bank account or tax ID says so)."""
        by_tax = {"au_abn": "AU", "br_cpf": "BR", "nz_gst": "NZ", "ca_bn": "CA", "gb_vat": "GB",
                  "jp_cn": "JP", "ch_vat": "CH", "us_ein": "US"}  # fmt: skip
        if self.tax_id is not None:
            if self.tax_id[0] == "eu_vat":
                return self.tax_id[1][:2]
            return by_tax.get(self.tax_id[0])
        return {"au_becs_debit": "AU", "boleto": "BR", "nz_bank_account": "NZ",
                "acss_debit": "CA", "bacs_debit": "GB", "us_bank_account": "US",
                "ideal": "NL"}.get(self.payment_method or "")  # fmt: skip


CASES: tuple[Case, ...] = (
    # Every portal payment-method type, each on a plain subscription.
    Case("card, Starter monthly", "card", (("starter_monthly", 1),)),
    Case("US bank account, Team yearly", "us_bank_account", (("team_yearly", 1),)),
    Case("Amazon Pay, Team monthly", "amazon_pay", (("team_monthly", 1),)),
    Case("BECS debit, Starter monthly", "au_becs_debit", (("starter_monthly", 1),),
         tax_id=("au_abn", "51824753556")),
    Case("Boleto, Business yearly", "boleto", (("business_yearly", 1),),
         tax_id=("br_cpf", "123.456.789-09")),
    Case("Cash App Pay, Starter monthly", "cashapp", (("starter_monthly", 1),)),
    Case("Link, Team monthly", "link", (("team_monthly", 1),)),
    Case("NZ bank account, Starter yearly", "nz_bank_account", (("starter_yearly", 1),),
         tax_id=("nz_gst", "123-456-789")),
    Case("PayPal, Business monthly", "paypal", (("business_monthly", 1),),
         tax_id=("eu_vat", "FRAB123456789")),
    Case("pre-authorized debit, Team monthly", "acss_debit", (("team_monthly", 1),),
         tax_id=("ca_bn", "123456789")),
    Case("SEPA debit, Business monthly", "sepa_debit", (("business_monthly", 1),),
         tax_id=("eu_vat", "DE123456789")),
    Case("Bacs debit, Team monthly", "bacs_debit", (("team_monthly", 1),),
         tax_id=("gb_vat", "GB123456789")),
    # What makes a subscription cancel-only, or not updatable, in the portal.
    Case("several products (Team + Priority Support)", "card",
         (("team_monthly", 1), ("support_monthly", 1))),
    Case("metered API usage", "card", (("api_calls_metered", 1),)),
    Case("invoices sent for manual payment", None, (("business_yearly", 1),),
         {"collection_method": "send_invoice", "days_until_due": 30},
         tax_id=("eu_vat", "NL123456789B01")),
    Case("pending schedule (Starter now, Team next month)", "card",
         (("starter_monthly", 1),), after="schedule"),
    Case("unsupported payment method (iDEAL)", UNSUPPORTED_PAYMENT_METHOD,
         (("starter_monthly", 1),)),
    Case("legacy plan, tax behaviour unspecified", "card", (("legacy_monthly", 1),)),
    Case("Priority Support alone, tax inclusive", "card", (("support_yearly", 1),)),
    # Lifecycle states.
    Case("trialing Team (14 days)", "card", (("team_monthly", 1),), {"trial_period_days": 14}),
    Case("trialing Business yearly (30 days)", "card", (("business_yearly", 1),),
         {"trial_period_days": 30}),
    Case("canceled Team subscription", "card", (("team_monthly", 1),), after="cancel"),
    Case("set to cancel at period end", "card", (("starter_yearly", 1),),
         after="cancel_at_period_end"),
    Case("past due after a declined renewal", "card_declines_later",
         (("team_monthly", 1),), after="past_due"),
    Case("retention coupon applied", "card", (("team_monthly", 1),),
         {"discounts": [{"promotion_code": "@STAYWITHUS"}]}),
    Case("five seats of Team", "card", (("team_monthly", 5),)),
    Case("Business yearly, Swiss VAT", "card", (("business_yearly", 1),),
         tax_id=("ch_vat", "CHE-123.456.789 MWST")),
    # Invoice-only customers: no subscription, invoices in every state the portal shows.
    Case("invoice-only, one open invoice", None, invoices=("open",)),
    Case("invoice-only, paid and open invoices", "card", invoices=("paid", "open")),
    Case("invoice-only, paid invoices", "card", invoices=("paid", "paid")),
    Case("invoice-only, void and uncollectible", None, invoices=("void", "uncollectible", "open")),
    # Ordinary subscribers, so lists look like a real business.
    Case("Starter yearly", "card", (("starter_yearly", 1),)),
    Case("Team yearly", "sepa_debit", (("team_yearly", 1),)),
    Case("Business monthly", "card", (("business_monthly", 1),)),
    Case("Team monthly, three seats", "us_bank_account", (("team_monthly", 3),)),
    Case("Starter monthly", "card", (("starter_monthly", 1),)),
    Case("Business yearly", "bacs_debit", (("business_yearly", 1),)),
    Case("Team monthly", "card", (("team_monthly", 1),)),
    Case("Starter monthly, Japan", "card", (("starter_monthly", 1),),
         tax_id=("jp_cn", "1234567891234")),
    Case("Team yearly", "card", (("team_yearly", 1),)),
    Case("Business monthly", "acss_debit", (("business_monthly", 1),)),
    Case("Starter yearly", "card", (("starter_yearly", 1),)),
    # Customers without a subscription (signed up, never bought), some with a card on file.
    Case("no subscription, card on file", "card"),
    Case("no subscription, nothing on file", None),
    Case("no subscription, SEPA on file", "sepa_debit"),
    Case("no subscription, US tax ID", None, tax_id=("us_ein", "12-3456789")),
    Case("no subscription, card on file", "card"),
    Case("no subscription, nothing on file", None),
    Case("no subscription, PayPal on file", "paypal"),
    Case("no subscription, nothing on file", None),
)  # fmt: skip


class Demo:
    """Runs the demo's steps; every API call goes through :meth:`call`."""

    def __init__(self, api: Api, progress: Progress | None) -> None:
        self.api = api
        self.progress = progress or (lambda _msg: None)
        self.rng = random.Random(SEED)
        self.current = "start"
        self.prices: dict[str, str] = {}
        self.products: dict[str, str] = {}
        self.promotion_codes: dict[str, str] = {}

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        self.current = name
        self.progress(f"demo: {name}")
        yield

    def call(
        self, operation_id: str, params: JSON, *, scope: str | None = None, **path: str
    ) -> JSON:
        if operation_id not in HANDLERS:
            raise DemoError(
                f"demo step '{self.current}': {operation_id} is not served by this sandbox"
            )
        try:
            return self.api.call(operation_id, params, scope=scope, **path)
        except StripeError as error:
            where = f" (param {error.param})" if error.param else ""
            raise DemoError(
                f"demo step '{self.current}': {operation_id} was refused: {error.message}{where}"
            ) from error


# -- steps ----------------------------------------------------------------------------------


def _branding(demo: Demo) -> None:
    with demo.step("platform branding"):
        demo.call(
            "PostAccountsAccount",
            {
                "business_profile": {
                    "name": BUSINESS,
                    "url": SITE,
                    "support_email": "support@northwind.example",
                    "support_url": f"{SITE}/support",
                    "support_phone": "+14155550100",
                    "product_description": "Cloud workspaces for teams",
                },
                "settings": {
                    "branding": {"primary_color": "#1f6feb", "secondary_color": "#f6f8fa"},
                },
            },
            account=demo.api.platform,
        )
    # An icon only: a logo replaces the business name in the portal's header, and a logo drawn
    # pixel by pixel cannot carry the name as a wordmark would.
    with demo.step("platform icon"):
        icon = demo.call(
            "PostFiles",
            {
                "purpose": "business_icon",
                "file": Upload("northwind-icon.png", "image/png", icon_png()),
            },
        )
        demo.call(
            "PostAccountsAccount",
            {"settings": {"branding": {"icon": icon["id"]}}},
            account=demo.api.platform,
        )


# -- brand images: drawn pixel by pixel so the demo needs no image library or asset files --

BRAND_BLUE = (31, 111, 235, 255)
WHITE = (255, 255, 255, 255)
CLEAR = (0, 0, 0, 0)
Pixel = tuple[int, int, int, int]


def png_image(width: int, height: int, pixel: Callable[[int, int], Pixel]) -> bytes:
    """An RGBA PNG whose colour at (x, y) is ``pixel(x, y)``."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(
        b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(width)) for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            chunk(b"IHDR", header),
            chunk(b"IDAT", zlib.compress(rows, 9)),
            chunk(b"IEND", b""),
        )
    )


def _in_rounded_square(x: int, y: int, size: int, radius: int) -> bool:
    cx = min(max(x, radius), size - 1 - radius)
    cy = min(max(y, radius), size - 1 - radius)
    return (x - cx) ** 2 + (y - cy) ** 2 <= radius**2


def _on_n(x: int, y: int, size: int) -> bool:
    """The "N" mark: two uprights joined by a diagonal, inset a quarter of the tile."""
    left, right, top, bottom = size * 0.28, size * 0.72, size * 0.25, size * 0.75
    stroke = size * 0.11
    if not top <= y <= bottom:
        return False
    if left <= x <= left + stroke or right - stroke <= x <= right:
        return True
    along = left + (right - stroke - left) * (y - top) / (bottom - top)
    return along <= x <= along + stroke


def _tile(x: int, y: int, size: int) -> Pixel:
    if not _in_rounded_square(x, y, size, size // 5):
        return CLEAR
    return WHITE if _on_n(x, y, size) else BRAND_BLUE


def icon_png(size: int = 64) -> bytes:
    return png_image(size, size, lambda x, y: _tile(x, y, size))


def _catalog(demo: Demo) -> None:
    with demo.step("products and prices"):
        for key, name, description, monthly in PLANS:
            product = demo.call(
                "PostProducts",
                {"name": name, "description": description, "metadata": {"plan": key},
                 "tax_code": "txcd_10103001", "url": f"{SITE}/pricing#{key}"},
            )  # fmt: skip
            demo.products[key] = product["id"]
            _price(demo, key, f"{key}_monthly", monthly, "month", "exclusive")
            _price(demo, key, f"{key}_yearly", monthly * 10, "year", "exclusive")
            for currency in LOCAL_CURRENCIES:
                amount = monthly * (5 if currency == "brl" else 1)
                _price(demo, key, f"{key}_monthly_{currency}", amount, "month", "exclusive",
                       currency)  # fmt: skip
                _price(demo, key, f"{key}_yearly_{currency}", amount * 10, "year", "exclusive",
                       currency)  # fmt: skip
        support = demo.call(
            "PostProducts",
            {"name": "Priority Support", "description": "A named engineer, 4-hour response."},
        )
        demo.products["support"] = support["id"]
        _price(demo, "support", "support_monthly", 1500, "month", "inclusive")
        _price(demo, "support", "support_yearly", 15000, "year", "inclusive")
        api_calls = demo.call(
            "PostProducts",
            {"name": "API Calls", "description": "Usage-based: per 1,000 requests.",
             "unit_label": "1k requests"},
        )  # fmt: skip
        demo.products["api_calls"] = api_calls["id"]
        demo.prices["api_calls_metered"] = demo.call(
            "PostPrices",
            {
                "product": api_calls["id"],
                "currency": "usd",
                "unit_amount": 20,
                "recurring": {
                    "interval": "month",
                    "usage_type": "metered",
                    "meter": "mtr_northwind_api_calls",
                },
                "tax_behavior": "exclusive",
                "lookup_key": "api_calls_metered",
                "nickname": "API calls, per 1k",
            },
        )["id"]
        legacy = demo.call(
            "PostProducts", {"name": "Legacy Plan", "description": "The 2023 plan, closed."}
        )
        demo.products["legacy"] = legacy["id"]
        _price(demo, "legacy", "legacy_monthly", 1900, "month", "unspecified")
        onboarding = demo.call("PostProducts", {"name": "Onboarding workshop"})
        demo.products["onboarding"] = onboarding["id"]
        demo.prices["onboarding_once"] = demo.call(
            "PostPrices",
            {"product": onboarding["id"], "currency": "usd", "unit_amount": 49900,
             "lookup_key": "onboarding_once"},
        )["id"]  # fmt: skip


def _price(
    demo: Demo,
    product: str,
    lookup_key: str,
    amount: int,
    interval: str,
    tax: str,
    currency: str = "usd",
) -> None:
    price = demo.call(
        "PostPrices",
        {
            "product": demo.products[product],
            "currency": currency,
            "unit_amount": amount,
            "recurring": {"interval": interval},
            "tax_behavior": tax,
            "lookup_key": lookup_key,
            "nickname": lookup_key.replace("_", " ").title(),
        },
    )
    demo.prices[lookup_key] = price["id"]


def _retention(demo: Demo) -> None:
    with demo.step("retention coupon and promotion code"):
        coupon = demo.call(
            "PostCoupons",
            {
                "id": "RETENTION25",
                "name": "25% off for 3 months",
                "percent_off": 25,
                "duration": "repeating",
                "duration_in_months": 3,
            },
        )
        code = demo.call(
            "PostPromotionCodes",
            {"promotion": {"type": "coupon", "coupon": coupon["id"]}, "code": "STAYWITHUS"},
        )
        demo.promotion_codes["STAYWITHUS"] = code["id"]
        demo.call("PostCoupons", {"name": "Launch week", "percent_off": 10, "duration": "once"})


def _portal_configurations(demo: Demo) -> None:
    with demo.step("portal configuration: default"):
        demo.call(
            "PostBillingPortalConfigurations",
            {
                "name": "Default: everything on",
                "business_profile": {
                    "headline": f"{BUSINESS} partners with Stripe for simplified billing.",
                    "privacy_policy_url": f"{SITE}/privacy",
                    "terms_of_service_url": f"{SITE}/terms",
                },
                "default_return_url": f"{SITE}/account",
                "features": {
                    "customer_update": {
                        "enabled": True,
                        "allowed_updates": [
                            "email",
                            "address",
                            "shipping",
                            "phone",
                            "tax_id",
                            "name",
                        ],
                    },
                    "invoice_history": {"enabled": True},
                    "payment_method_update": {"enabled": True},
                    "subscription_cancel": {
                        "enabled": True,
                        "mode": "at_period_end",
                        "proration_behavior": "none",
                        "cancellation_reason": {
                            "enabled": True,
                            "options": [
                                "too_expensive",
                                "missing_features",
                                "switched_service",
                                "unused",
                                "customer_service",
                                "too_complex",
                                "low_quality",
                                "other",
                            ],
                        },
                    },
                    "subscription_update": {
                        "enabled": True,
                        "default_allowed_updates": ["price", "quantity", "promotion_code"],
                        "proration_behavior": "create_prorations",
                        "products": [
                            {
                                "product": demo.products[key],
                                "prices": [
                                    demo.prices[f"{key}_monthly"],
                                    demo.prices[f"{key}_yearly"],
                                ],
                            }
                            for key, *_ in PLANS
                        ],
                    },
                },
                "metadata": {"demo": "default"},
            },
        )
    with demo.step("portal configuration: invoices only"):
        demo.call(
            "PostBillingPortalConfigurations",
            {
                "name": "Invoices only",
                "features": {
                    "invoice_history": {"enabled": True},
                    "customer_update": {"enabled": True, "allowed_updates": ["email", "address"]},
                },
                "metadata": {"demo": "invoices_only"},
            },
        )
    with demo.step("portal configuration: cancel immediately"):
        demo.call(
            "PostBillingPortalConfigurations",
            {
                "name": "Cancel immediately",
                "features": {
                    "invoice_history": {"enabled": True},
                    "payment_method_update": {"enabled": True},
                    "subscription_cancel": {
                        "enabled": True,
                        "mode": "immediately",
                        "proration_behavior": "create_prorations",
                        "cancellation_reason": {"enabled": False, "options": []},
                    },
                },
                "metadata": {"demo": "cancel_immediately"},
            },
        )


CONNECTED = (
    ("Fjord Analytics", "GB", "billing@fjord-analytics.example",
     (("Harriet", "Lowe"), ("Callum", "Price"), ("Priya", "Shah"))),
    ("Bergwerk Studio", "DE", "rechnung@bergwerk.example",
     (("Jonas", "Weber"), ("Lea", "Fischer"), ("Max", "Wagner"), ("Hannah", "Becker"))),
)  # fmt: skip


def _connected_accounts(demo: Demo) -> None:
    for business, country, email, people in CONNECTED:
        with demo.step(f"connected account {business}"):
            account = demo.call(
                "PostAccounts",
                {
                    "type": "standard",
                    "country": country,
                    "email": email,
                    "business_profile": {"name": business},
                },
            )
            acct = account["id"]
            currency = "gbp" if country == "GB" else "eur"
            product = demo.call("PostProducts", {"name": f"{business} Pro"}, scope=acct)
            price = demo.call(
                "PostPrices",
                {"product": product["id"], "currency": currency, "unit_amount": 1200,
                 "recurring": {"interval": "month"}, "tax_behavior": "exclusive"},
                scope=acct,
            )  # fmt: skip
            for index, (first, last) in enumerate(people):
                customer = demo.call(
                    "PostCustomers",
                    {
                        "name": f"{first} {last}",
                        "email": f"{first}.{last}@{DOMAINS[index % len(DOMAINS)]}".lower(),
                        "preferred_locales": ["en-GB" if country == "GB" else "de"],
                    },
                    scope=acct,
                )
                if index % 2 == 0:
                    pm = _payment_method(demo, "card", customer, account=acct)
                    demo.call(
                        "PostSubscriptions",
                        {"customer": customer["id"], "items": [{"price": price["id"]}],
                         "default_payment_method": pm},
                        scope=acct,
                    )  # fmt: skip


def _people() -> Iterator[tuple[str, str, str, str, str, str]]:
    """(locale, first, last, country, city, postal code): the forty locales, then ten more."""
    for locale, person in PEOPLE.items():
        yield (locale, *person)
    for person in MORE_PEOPLE:
        yield ("en-GB" if person[2] in ("GB", "IE") else "en", *person)


def _casting() -> list[tuple[Case, tuple[str, str, str, str, str, str]]]:
    """Each case with a person, preferring one who lives where the case's bank or tax ID is."""
    free = list(_people())
    cast: list[tuple[Case, tuple[str, str, str, str, str, str]]] = []
    for case in sorted(CASES, key=lambda c: c.country is None):
        person = next((p for p in free if p[3] == case.country), free[0])
        free.remove(person)
        cast.append((case, person))
    order = {id(case): index for index, case in enumerate(CASES)}
    cast.sort(key=lambda pair: order[id(pair[0])])
    return cast


def _customers(demo: Demo) -> None:
    for case, person in _casting():
        locale, first, last, country, city, postal = person
        with demo.step(f"customer {first} {last}: {case.label}"):
            _customer(demo, case, locale, first, last, country, city, postal)


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in folded.lower() if c.isalnum() or c in ".-")


def _customer(
    demo: Demo, case: Case, locale: str, first: str, last: str, country: str, city: str,
    postal: str,
) -> None:  # fmt: skip
    rng = demo.rng
    domain = rng.choice(DOMAINS)
    email = f"{_ascii(first)}.{_ascii(last.replace(' ', ''))}@{domain}"
    address = {
        "line1": f"{rng.randint(1, 240)} {rng.choice(STREETS)}",
        "city": city,
        "postal_code": postal,
        "country": country,
    }
    if city in STATES:
        address["state"] = STATES[city]
    params: JSON = {
        "name": f"{first} {last}",
        "email": email,
        "phone": f"+1555{rng.randint(1000000, 9999999)}",
        "address": address,
        "preferred_locales": [locale],
        "metadata": {"demo_case": case.label},
        "description": case.label,
    }
    if case.tax_id is not None:
        params["tax_id_data"] = [{"type": case.tax_id[0], "value": case.tax_id[1]}]
    customer = demo.call("PostCustomers", params)
    pm: str | None = None
    if case.payment_method is not None:
        pm = _payment_method(demo, case.payment_method, customer)
        demo.call(
            "PostCustomersCustomer",
            {"invoice_settings": {"default_payment_method": pm}},
            customer=customer["id"],
        )
    if case.items:
        _subscribe(demo, case, customer)
    for state in case.invoices:
        _invoice(demo, customer, state, pm)


def _payment_method(demo: Demo, type_: str, customer: JSON, *, account: str | None = None) -> str:
    card_fails_later = type_ == "card_declines_later"
    details = (
        {"card": {"token": "tok_chargeCustomerFail"}}
        if card_fails_later
        else PAYMENT_DETAILS[type_]
    )
    pm = demo.call(
        "PostPaymentMethods",
        {
            "type": "card" if card_fails_later else type_,
            **details,
            "billing_details": {
                "name": customer.get("name"),
                "email": customer.get("email"),
                "address": customer.get("address")
                or {
                    "line1": "1 Demo Street",
                    "city": "Dublin",
                    "postal_code": "D02 X285",
                    "country": "IE",
                },
            },
        },
        scope=account,
    )
    demo.call(
        "PostPaymentMethodsPaymentMethodAttach",
        {"customer": customer["id"]},
        scope=account,
        payment_method=pm["id"],
    )
    return str(pm["id"])


def _subscribe(demo: Demo, case: Case, customer: JSON) -> None:
    extra = dict(case.subscription)
    if "discounts" in extra:
        extra["discounts"] = [
            {"promotion_code": demo.promotion_codes[d["promotion_code"].lstrip("@")]}
            for d in extra["discounts"]
        ]
    currency = CURRENCY_OF_PAYMENT_METHOD.get(case.payment_method or "")
    suffix = f"_{currency}" if currency else ""
    # Metered items take no quantity: usage decides what is billed.
    items = [
        {
            "price": demo.prices[key + suffix],
            **({} if key.endswith("_metered") else {"quantity": qty}),
        }
        for key, qty in case.items
    ]
    if case.after == "past_due":
        # The trial ends a few seconds from now; moving the sandbox clock past it renews the
        # subscription with a card that attaches fine but declines every charge.
        extra["trial_end"] = demo.api.clock.now() + 2
    if case.after == "schedule":
        schedule = demo.call(
            "PostSubscriptionSchedules",
            {
                "customer": customer["id"],
                "start_date": "now",
                "end_behavior": "release",
                "phases": [
                    {"items": items, "duration": {"interval": "month", "interval_count": 1}},
                    {"items": [{"price": demo.prices["team_monthly"], "quantity": 1}]},
                ],
            },
        )
        _ = schedule
        return
    subscription = demo.call(
        "PostSubscriptions",
        {"customer": customer["id"], "items": items, "metadata": {"demo_case": case.label},
         **extra},
    )  # fmt: skip
    sub_id = subscription["id"]
    if case.after == "cancel":
        demo.call(
            "DeleteSubscriptionsSubscriptionExposedId",
            {"cancellation_details": {"comment": "Moved to another tool.",
                                      "feedback": "switched_service"}},
            subscription_exposed_id=sub_id,
        )  # fmt: skip
    elif case.after == "cancel_at_period_end":
        demo.call(
            "PostSubscriptionsSubscriptionExposedId",
            {"cancel_at_period_end": True,
             "cancellation_details": {"feedback": "too_expensive"}},
            subscription_exposed_id=sub_id,
        )  # fmt: skip


def _invoice(demo: Demo, customer: JSON, state: str, pm: str | None) -> None:
    amount = demo.rng.choice((4900, 12000, 25000, 49900, 7500))
    demo.call(
        "PostInvoiceitems",
        {
            "customer": customer["id"],
            "amount": amount,
            "currency": "usd",
            "description": demo.rng.choice(
                (
                    "Onboarding workshop",
                    "Custom integration",
                    "Data migration",
                    "Extra storage (1 TB)",
                    "Training session",
                )
            ),
        },
    )
    manual = state != "paid" or pm is None
    params: JSON = {
        "customer": customer["id"],
        "pending_invoice_items_behavior": "include",
        "collection_method": "send_invoice" if manual else "charge_automatically",
        "auto_advance": False,
    }
    if manual:
        params["days_until_due"] = 30
    invoice = demo.call("PostInvoices", params)
    invoice_id = invoice["id"]
    demo.call("PostInvoicesInvoiceFinalize", {"auto_advance": False}, invoice=invoice_id)
    if state == "paid":
        pay: JSON = {"paid_out_of_band": True} if manual else {"payment_method": pm}
        demo.call("PostInvoicesInvoicePay", pay, invoice=invoice_id)
    elif state == "void":
        demo.call("PostInvoicesInvoiceVoid", {}, invoice=invoice_id)
    elif state == "uncollectible":
        demo.call("PostInvoicesInvoiceMarkUncollectible", {}, invoice=invoice_id)


def _settle_clock(demo: Demo) -> None:
    """Move the clock a few seconds so trials that end now renew (and the declining card
    turns its subscription past_due), as they would a moment later at Stripe."""
    with demo.step("renewals due in the next seconds"):
        demo.call("PostSandboxClockAdvance", {"seconds": 5})


def seed_demo(api: Api, progress: Progress | None = None) -> None:
    """Fill a new sandbox with the demo merchant; raises :class:`DemoError` naming the step."""
    started = time.monotonic()
    demo = Demo(api, progress)
    _branding(demo)
    _catalog(demo)
    _retention(demo)
    _portal_configurations(demo)
    _connected_accounts(demo)
    _customers(demo)
    _settle_clock(demo)
    demo.progress(f"demo: done in {time.monotonic() - started:.1f} s")
