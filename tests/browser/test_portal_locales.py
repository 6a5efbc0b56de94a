"""The portal's main page in every one of its 40 languages, in a real browser.

A page fails its language when any English interface string shows on it (as text or as an
accessible name): found by matching every text against the English msgids of the catalog
template, and by comparing it with the same page rendered in English. Merchant and customer
data (names, product, headline, numbers) is the same in every language and is allowed; so is a
short string a catalog deliberately keeps identical (``Status`` in German). Amounts and dates
must be written as Babel writes them for the language, and ``<html lang>`` must name it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import stripe
from babel import Locale
from babel.dates import format_date
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from babel.numbers import format_currency
from playwright.sync_api import Browser, Page

from console.sandbox.portal import i18n
from resources import load_json
from tests import builders

CODES = [entry["code"] for entry in load_json("stripe", "portal-locales.json")["portal_locales"]]
ENGLISH = ("en", "en-GB")
SCREENSHOT_LOCALES = ("de", "ja", "zh", "th", "el", "ru")
BUSINESS_HEADLINE = "Northwind Coffee Club"
PRODUCT = "Roastery Pro"
PRICE = 2900
# A translation may keep the English word on purpose (German "Status", Spanish "Total") but
# only for short strings: a sentence left in English is untranslated whatever the catalog says.
SHORT = 3

# Every text node and every accessible name or hint the page gives, with where it is.
COLLECT = """
() => {
  const found = [];
  const walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || ["SCRIPT", "STYLE"].includes(parent.tagName)) continue;
    const text = node.textContent.trim();
    if (text) found.push([parent.tagName.toLowerCase(), text]);
  }
  for (const el of document.querySelectorAll("[aria-label],[title],[placeholder],[alt]")) {
    for (const attr of ["aria-label", "title", "placeholder", "alt"]) {
      const value = el.getAttribute(attr);
      if (value && value.trim()) found.push([el.tagName.toLowerCase() + "@" + attr, value.trim()]);
    }
  }
  return found;
}
"""


def normal(text: str) -> str:
    """Whitespace as a reader sees it: CLDR formats use no-break and narrow no-break spaces."""
    text = unicodedata.normalize("NFC", text)
    return re.sub(r"[\s\u00a0\u202f\u2009]+", " ", text).strip()


@dataclass(frozen=True)
class Shown:
    html_lang: str
    texts: list[tuple[str, str]]
    body: str


def show(page: Page, url: str) -> Shown:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    return Shown(
        html_lang=page.locator("html").get_attribute("lang") or "",
        texts=[(where, normal(text)) for where, text in page.evaluate(COLLECT)],
        body=normal(page.locator("body").inner_text()),
    )


# -- the merchant, the customer and what they have ----------------------------------------------


@dataclass(frozen=True)
class Demo:
    client: stripe.StripeClient
    customer: str
    configuration: str
    data: frozenset[str]
    invoice_dates: tuple[int, ...]


@pytest.fixture(scope="module")
def demo(stripe_client: stripe.StripeClient) -> Demo:
    client = stripe_client
    config = client.v1.billing_portal.configurations.create(
        params={
            "business_profile": {
                "headline": BUSINESS_HEADLINE,
                "privacy_policy_url": "https://shop.example.com/privacy",
                "terms_of_service_url": "https://shop.example.com/terms",
            },
            "features": {
                "customer_update": {
                    "enabled": True,
                    "allowed_updates": ["address", "email", "name", "phone", "shipping", "tax_id"],
                },
                "invoice_history": {"enabled": True},
                "payment_method_update": {"enabled": True},
                "subscription_cancel": {"enabled": True, "mode": "at_period_end"},
            },
        }
    )
    address: dict[str, str] = {
        "line1": "Königstraße 12",
        "city": "Stuttgart",
        "postal_code": "70173",
        "country": "DE",
    }
    profile: Any = {
        "name": "Grace Hopper",
        "email": "grace@example.com",
        "phone": "+49 711 123456",
        "address": address,
        "shipping": {"name": "Grace Hopper", "address": address},
    }
    customer = client.v1.customers.create(params=profile)
    client.v1.customers.tax_ids.create(
        customer.id, params={"type": "eu_vat", "value": "DE123456789"}
    )
    card = client.v1.payment_methods.attach("pm_card_visa", params={"customer": customer.id})
    client.v1.payment_methods.attach("pm_card_mastercard", params={"customer": customer.id})
    client.v1.customers.update(
        customer.id, params={"invoice_settings": {"default_payment_method": card.id}}
    )
    product = client.v1.products.create(params={"name": PRODUCT})
    price = builders.price(client, PRICE, product=product.id, interval="month")
    client.v1.subscriptions.create(params={"customer": customer.id, "items": [{"price": price.id}]})
    client.v1.invoice_items.create(
        params={"customer": customer.id, "amount": 1250, "currency": "usd", "description": "Beans"}
    )
    extra = client.v1.invoices.create(
        params={
            "customer": customer.id,
            "pending_invoice_items_behavior": "include",
            "auto_advance": False,
        }
    )
    client.v1.invoices.finalize_invoice(extra.id, params={"auto_advance": False})
    invoices = client.v1.invoices.list(params={"customer": customer.id}).data
    assert len(invoices) == 2
    dates = tuple(
        (inv.status_transitions.finalized_at if inv.status_transitions else None) or inv.created
        for inv in invoices
    )
    account = client.v1.accounts.retrieve_current()
    data = {
        BUSINESS_HEADLINE,
        PRODUCT,
        "Grace Hopper",
        "grace@example.com",
        "+49 711 123456",
        "DE123456789",
        "PDF",
        # The tax ID's type is shown as Stripe's code ("EU VAT"), like its value.
        "(EU VAT)",
        f"{address['postal_code']} {address['city']}",
        *address.values(),
        # The country is named in each page's language; some languages (Filipino) use the
        # English name, which is their word, not an untranslated string.
        *(Locale.parse(i18n.cldr_of(code)).territories["DE"] for code in i18n.portal_locales()),
        *(inv.number or "" for inv in invoices),
    }
    if account.settings and account.settings.dashboard and account.settings.dashboard.display_name:
        data.add(account.settings.dashboard.display_name)
    if account.business_profile and account.business_profile.name:
        data.add(account.business_profile.name)
    return Demo(client, customer.id, config.id, frozenset(data), dates)


def session_url(demo: Demo, locale: str) -> str:
    made = demo.client.v1.billing_portal.sessions.create(
        params={
            "customer": demo.customer,
            "configuration": demo.configuration,
            "locale": locale,
            "return_url": "https://shop.example.com/account",
        }
    )
    return str(made.url)


# -- what English looks like ---------------------------------------------------------------------


@dataclass(frozen=True)
class English:
    patterns: list[tuple[str, re.Pattern[str]]]
    page: Shown


def _pattern(msgid: str) -> re.Pattern[str]:
    placeholder = r"%\([A-Za-z_][A-Za-z0-9_]*\)[sd]|\{[A-Za-z_][A-Za-z0-9_]*\}"
    parts = re.split(placeholder, re.sub(r"\s+", " ", msgid).strip())
    return re.compile(".+?".join(re.escape(part.replace("%%", "%")) for part in parts))


def _template() -> Catalog:
    with i18n.locale_dir().joinpath("messages.pot").open("rb") as handle:
        return read_po(handle)


@pytest.fixture(scope="module")
def english(browser: Browser, demo: Demo) -> Iterator[English]:
    patterns = []
    for message in _template():
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        patterns += [(msgid, _pattern(msgid)) for msgid in ids if msgid]
    page = browser.new_page()
    try:
        shown = show(page, session_url(demo, "en"))
    finally:
        page.close()
    assert shown.html_lang.lower() == "en" or shown.html_lang.lower().startswith("en-")
    # The English page must itself be made of catalog strings, or comparing against it proves
    # nothing.
    matched = {text for _, text in shown.texts if any(p.fullmatch(text) for _, p in patterns)}
    assert len(matched) >= 20, sorted(matched)
    yield English(patterns, shown)


def kept_identical(code: str) -> set[str]:
    """Short msgids the language's catalog translates as themselves, by decision."""
    with i18n.catalog_path(code).open("rb") as handle:
        catalog = read_po(handle, locale=i18n.cldr_of(code))
    kept = set()
    for message in catalog:
        msgid = message.id
        short = isinstance(msgid, str) and 0 < len(msgid.split()) <= SHORT
        if short and message.string == msgid:
            kept.add(normal(str(msgid)))
    return kept


def is_data(text: str, demo: Demo) -> bool:
    if not re.search(r"[^\W\d_]", text):
        return True  # numbers, amounts' digits, punctuation, "•••• 4242"
    return text in demo.data or any(text == f"{part} •••• 4242" for part in ("Visa",))


def untranslated(
    shown: Shown, code: str, english: English, demo: Demo, *, main_page: bool = True
) -> list[str]:
    kept = kept_identical(code)
    english_texts = {text for _, text in english.page.texts} if main_page else set()
    found = []
    for where, text in shown.texts:
        if is_data(text, demo) or text in kept:
            continue
        for msgid, pattern in english.patterns:
            if pattern.fullmatch(text):
                found.append(f"{where}: {text!r} (msgid {msgid!r})")
                break
        else:
            if text in english_texts and not re.fullmatch(r"[A-Z][a-z]+ •••• \d{4}", text):
                found.append(f"{where}: {text!r} (as on the English page)")
    return found


# -- the tests -----------------------------------------------------------------------------------


@pytest.mark.parametrize("code", CODES)
def test_main_page_speaks_the_sessions_language(
    page: Page, code: str, demo: Demo, english: English, screenshots: Path
) -> None:
    assert i18n.has_catalog(code), f"no catalog for {code}"
    shown = show(page, session_url(demo, code))
    cldr = i18n.cldr_of(code)

    assert shown.html_lang.lower() in {code.lower(), i18n.html_lang(code).lower()}

    price = normal(str(format_currency(PRICE / 100, "USD", locale=cldr)))
    assert price in shown.body, f"{code}: the price as {cldr} writes it ({price!r})"
    for moment in demo.invoice_dates:
        written = normal(
            str(format_date(datetime.fromtimestamp(moment, UTC), "medium", locale=cldr))
        )
        assert written in shown.body, f"{code}: invoice date as {cldr} writes it ({written!r})"

    if code not in ENGLISH:
        problems = untranslated(shown, code, english, demo)
        assert not problems, f"{code}: English on the page:\n" + "\n".join(problems)
        assert shown.body != english.page.body

    if code in SCREENSHOT_LOCALES:
        page.screenshot(path=str(screenshots / f"portal-locale-{code}.png"), full_page=True)


@pytest.mark.parametrize("code", [c for c in CODES if c not in ENGLISH])
def test_every_page_linked_from_the_main_page_speaks_the_language(
    page: Page, code: str, demo: Demo, english: English
) -> None:
    page.goto(session_url(demo, code))
    links = page.eval_on_selector_all("main a[href]", "found => found.map(a => a.href)")
    pages = [link for link in dict.fromkeys(links) if "/p/session/" in link]
    # subscription, add a payment method, customer information, two invoices
    assert len(pages) >= 4, pages
    problems = []
    for link in pages:
        shown = show(page, link)
        assert shown.html_lang.lower() in {code.lower(), i18n.html_lang(code).lower()}
        problems += [
            f"{link.rsplit('/', 2)[-2:]}: {problem}"
            for problem in untranslated(shown, code, english, demo, main_page=False)
        ]
    assert not problems, f"{code}: English on the pages:\n" + "\n".join(problems)


@pytest.mark.parametrize("code", [c for c in CODES if c not in ENGLISH])
def test_a_link_that_isnt_valid_answers_in_the_browsers_language(
    browser: Browser, code: str, demo: Demo, english: English
) -> None:
    context = browser.new_context(extra_http_headers={"Accept-Language": f"{code};q=0.9,en;q=0.5"})
    try:
        page = context.new_page()
        base = session_url(demo, "en").split("/p/session/")[0]
        response = page.goto(f"{base}/p/session/not-a-real-token")
        assert response is not None and response.status in (404, 410)
        shown = Shown(
            html_lang=page.locator("html").get_attribute("lang") or "",
            texts=[(where, normal(text)) for where, text in page.evaluate(COLLECT)],
            body=normal(page.locator("body").inner_text()),
        )
    finally:
        context.close()
    assert shown.html_lang.lower() in {code.lower(), i18n.html_lang(code).lower()}
    assert len(shown.body) > 20
    problems = untranslated(shown, code, english, demo, main_page=False)
    assert not problems, f"{code}: English on the page:\n" + "\n".join(problems)


def test_british_english_spells_as_britain_does(page: Page, demo: Demo) -> None:
    shown = show(page, session_url(demo, "en-GB"))
    assert shown.html_lang.lower() in {"en-gb"}
    # en_GB writes day before month; the US page writes month first.
    moment = demo.invoice_dates[0]
    written = normal(format_date(datetime.fromtimestamp(moment, UTC), "medium", locale="en_GB"))
    assert written in shown.body


@pytest.mark.parametrize("code", ["en-AU", "en-IN", "en-SG"])
def test_regional_english_api_locales_show_english(
    page: Page, code: str, demo: Demo, english: English
) -> None:
    shown = show(page, session_url(demo, code))
    assert shown.html_lang.lower().startswith("en")
    texts = {text for _, text in shown.texts}
    assert {"Invoice history", "Payment methods", "Billing information"} <= texts


def test_auto_follows_the_browsers_accept_language(browser: Browser, demo: Demo) -> None:
    context = browser.new_context(
        locale="pt-BR", extra_http_headers={"Accept-Language": "pt-BR,pt;q=0.9"}
    )
    try:
        page = context.new_page()
        shown = show(page, session_url(demo, "auto"))
    finally:
        context.close()
    assert shown.html_lang.lower() in {"pt-br"}
    assert "Histórico de faturas" in {text for _, text in shown.texts}


def test_auto_prefers_the_customers_preferred_locales(browser: Browser, demo: Demo) -> None:
    demo.client.v1.customers.update(demo.customer, params={"preferred_locales": ["ja-JP", "en"]})
    context = browser.new_context(extra_http_headers={"Accept-Language": "de-DE,de;q=0.9"})
    try:
        page = context.new_page()
        shown = show(page, session_url(demo, "auto"))
    finally:
        context.close()
        demo.client.v1.customers.update(demo.customer, params={"preferred_locales": []})
    assert shown.html_lang.lower() in {"ja", "ja-jp"}


@pytest.mark.parametrize(("code", "country"), [("en", "Germany"), ("de", "Deutschland")])
def test_the_address_is_written_as_its_country_writes_it_and_named_in_the_pages_language(
    browser: Browser, demo: Demo, code: str, country: str
) -> None:
    page = browser.new_page()
    try:
        shown = show(page, session_url(demo, code))
    finally:
        page.close()
    texts = [text for _, text in shown.texts]
    assert "70173 Stuttgart" in texts
    assert country in texts
    assert "DE" not in texts
