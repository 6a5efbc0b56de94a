"""Subscription actions the portal doesn't offer, posted by hand: refused, explained, no change.

Each test opens a real portal session (the API's link, its cookie and CSRF
token), posts what a customer could forge, and checks through the ``stripe``
library that the subscription, its invoices and the event stream are exactly as
before.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import stripe

from console.sandbox import Sandbox
from tests import builders
from tests.conftest import make_client

# The email of the customers the tests make.
FORGER = "forger@example.com"
# How a usage-billed price recurs (billed by the API-calls meter).
METERED = {"usage_type": "metered", "meter": "mtr_api_calls"}
# The shop's prices: name -> (product, amount in cents, what else the price is made with).
PRICES: dict[str, tuple[str, int, dict[str, Any]]] = {
    "basic_m": ("Basic", 1000, {"tax_behavior": "exclusive"}),
    "basic_y": ("Basic", 10000, {"interval": "year", "tax_behavior": "exclusive"}),
    "pro_m": ("Pro", 3000, {"tax_behavior": "exclusive"}),
    "incl_m": ("Inclusive", 3000, {"tax_behavior": "inclusive"}),
    "unspec_m": ("Basic", 900, {"interval": "week", "tax_behavior": "unspecified"}),
    "other_m": ("Other", 500, {"tax_behavior": "exclusive"}),
    "metered": ("Metered", 5, {"recurring": METERED, "tax_behavior": "exclusive"}),
}


@dataclass
class World:
    sandbox: Sandbox
    client: stripe.StripeClient
    prices: dict[str, str]
    products: dict[str, str]
    config: str

    def items(self, *names: str) -> list[dict[str, Any]]:
        """Subscription items for these prices by name: one each (metered ones take no quantity)."""
        return [
            {"price": self.prices[n]}
            if n == "metered"
            else {"price": self.prices[n], "quantity": 1}
            for n in names
        ]


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    with Sandbox(":memory:", sweep_interval=0.2) as sandbox:
        client = make_client(sandbox)
        products = {
            name: client.v1.products.create(params={"name": name}).id
            for name in ("Basic", "Pro", "Inclusive", "Other", "Metered")
        }
        prices = {
            name: builders.price(client, amount, product=products[product], **options).id
            for name, (product, amount, options) in PRICES.items()
        }
        config = client.v1.billing_portal.configurations.create(
            params={
                "default_return_url": "https://merchant.example/account",
                "features": {
                    "payment_method_update": {"enabled": True},
                    "subscription_update": {
                        "enabled": True,
                        "default_allowed_updates": ["price", "quantity"],
                        "proration_behavior": "create_prorations",
                        "products": [
                            {
                                "product": products["Basic"],
                                "prices": [prices["basic_m"], prices["basic_y"]],
                                "adjustable_quantity": {"enabled": True, "maximum": 5},
                            },
                            {"product": products["Pro"], "prices": [prices["pro_m"]]},
                            {"product": products["Inclusive"], "prices": [prices["incl_m"]]},
                        ],
                    },
                    "subscription_cancel": {
                        "enabled": True,
                        "mode": "at_period_end",
                        "cancellation_reason": {
                            "enabled": True,
                            "options": ["too_expensive", "other"],
                        },
                    },
                },
            }
        ).id
        yield World(sandbox, client, prices, products, config)


class PortalBrowser:
    """A customer's HTTP client on one portal session: cookie and CSRF token like a browser."""

    def __init__(self, world: World, customer: str, **session: Any) -> None:
        params: dict[str, Any] = {"customer": customer, "configuration": world.config, **session}
        self.session = world.client.v1.billing_portal.sessions.create(params=params)  # type: ignore[arg-type]
        self.http = httpx.Client(follow_redirects=False, timeout=10)
        first = self.http.get(self.session.url)
        assert first.status_code in (200, 303)
        # One token per session, on every page with a form: the card form always has one.
        self.csrf = self._csrf(self.get("/payment-methods/new").text)
        assert self.csrf

    @staticmethod
    def _csrf(page: str) -> str:
        found = re.search(r'name="csrf_token" value="([^"]+)"', page)
        return found.group(1) if found else ""

    def get(self, path: str) -> httpx.Response:
        return self.http.get(self.session.url + path)

    def post(self, path: str, **data: str) -> httpx.Response:
        return self.http.post(self.session.url + path, data={"csrf_token": self.csrf, **data})

    def close(self) -> None:
        self.http.close()


@pytest.fixture
def browse(world: World) -> Iterator[Any]:
    opened: list[PortalBrowser] = []

    def open_portal(customer: str, **session: Any) -> PortalBrowser:
        browser = PortalBrowser(world, customer, **session)
        opened.append(browser)
        return browser

    yield open_portal
    for browser in opened:
        browser.close()


def _state(world: World, sub_id: str, customer: str) -> tuple[Any, ...]:
    client = world.client
    sub = client.v1.subscriptions.retrieve(sub_id)
    invoices = [i.id for i in client.v1.invoices.list(params={"customer": customer, "limit": 100})]
    events = client.v1.events.list(params={"limit": 1}).data
    return (sub.to_dict(), invoices, events[0].id if events else None)


@contextmanager
def unchanged(world: World, sub_id: str, customer: str) -> Iterator[None]:
    before = _state(world, sub_id, customer)
    yield
    assert _state(world, sub_id, customer) == before


def _text(response: httpx.Response) -> str:
    return html.unescape(re.sub(r"\s+", " ", response.text))


def _refused(response: httpx.Response, status: int, *phrases: str) -> None:
    assert response.status_code == status, response.text[-2000:]
    text = _text(response)
    for phrase in phrases:
        assert phrase in text, text[-1500:]


# -- cancel-only subscriptions ------------------------------------------------------------------

CANCEL_ONLY = {
    "several_products": (("basic_m", "pro_m"), {}, "pm_card_visa", "several products"),
    "metered": (("metered",), {}, "pm_card_visa", "billed by usage"),
    "send_invoice": (
        ("basic_m",),
        {"collection_method": "send_invoice", "days_until_due": 30},
        "pm_card_visa",
        "paid by invoice",
    ),
}


@pytest.mark.parametrize("case", sorted(CANCEL_ONLY))
def test_cancel_only_subscriptions_refuse_every_change(
    world: World, browse: Any, case: str
) -> None:
    prices, extra, pm, phrase = CANCEL_ONLY[case]
    customer = builders.customer(world.client, email=FORGER, payment_method=pm).id
    sub = builders.subscribe(world.client, customer, items=world.items(*prices), **extra).id
    portal = browse(customer)
    page = portal.get(f"/subscriptions/{sub}")
    assert page.status_code == 200
    assert phrase in _text(page) and "Update subscription" not in _text(page)
    assert "Cancel subscription" in _text(page)
    with unchanged(world, sub, customer):
        for path in ("update", "confirm"):
            response = portal.post(f"/subscriptions/{sub}/{path}", price=world.prices["basic_y"])
            _refused(response, 403, phrase)
        _refused(portal.get(f"/subscriptions/{sub}/update"), 403, phrase)


def test_unsupported_payment_method_refuses_changes(world: World, browse: Any) -> None:
    client = world.client
    customer = client.v1.customers.create(params={"email": "ideal@example.com"}).id
    ideal = client.v1.payment_methods.create(
        params={
            "type": "ideal",
            "ideal": {"bank": "abn_amro"},
            "billing_details": {"name": "Ida Eal"},
        }
    )
    client.v1.payment_methods.attach(ideal.id, params={"customer": customer})
    sub = builders.subscribe(
        world.client,
        customer,
        items=world.items("basic_m"),
        default_payment_method=ideal.id,
        collection_method="charge_automatically",
    ).id
    portal = browse(customer)
    assert "payment method the portal can't manage" in _text(portal.get(f"/subscriptions/{sub}"))
    with unchanged(world, sub, customer):
        _refused(
            portal.post(f"/subscriptions/{sub}/confirm", quantity="3"),
            403,
            "payment method the portal can't manage",
        )


def test_pending_schedule_refuses_update_and_cancel(world: World, browse: Any) -> None:
    customer = builders.customer(world.client, email=FORGER, payment_method="pm_card_visa").id
    schedule = world.client.v1.subscription_schedules.create(
        params={
            "customer": customer,
            "start_date": "now",
            "end_behavior": "release",
            "phases": [
                {
                    "items": [{"price": world.prices["basic_m"], "quantity": 1}],
                    "duration": {"interval": "month", "interval_count": 1},
                },
                {"items": [{"price": world.prices["pro_m"], "quantity": 1}]},
            ],
        }
    )
    sub = str(schedule.subscription)
    portal = browse(customer)
    page = _text(portal.get(f"/subscriptions/{sub}"))
    assert "scheduled change is waiting" in page
    assert "Update subscription" not in page and "Cancel subscription" not in page
    with unchanged(world, sub, customer):
        _refused(portal.post(f"/subscriptions/{sub}/confirm", quantity="2"), 403, "scheduled")
        _refused(portal.post(f"/subscriptions/{sub}/cancel", reason="other"), 403, "scheduled")


# -- changes outside the configuration ------------------------------------------------------------


@pytest.mark.parametrize(
    ("form", "status", "phrase"),
    [
        ({"price": "other_m"}, 403, "isn't available for this subscription"),
        ({"price": "price_doesnotexist"}, 403, "isn't available for this subscription"),
        ({"price": "incl_m"}, 403, "taxed differently"),
        ({"quantity": "6"}, 400, "from 1 to 5"),
        ({"quantity": "0"}, 400, "from 1 to 5"),
        ({"quantity": "two"}, 400, "whole number"),
        ({"price": "pro_m", "quantity": "2"}, 403, "quantity of this plan can't be changed"),
        ({"promotion_code": "ANYTHING"}, 403, "Promotion codes can't be applied"),
        ({}, 400, "Choose a different plan"),
        ({"flow_discounts": "1"}, 403, "Promotion codes can't be applied"),
    ],
)
def test_changes_outside_the_configuration_are_refused(
    world: World, browse: Any, form: dict[str, str], status: int, phrase: str
) -> None:
    customer = builders.customer(world.client, email=FORGER, payment_method="pm_card_visa").id
    sub = builders.subscribe(world.client, customer, items=world.items("basic_m")).id
    portal = browse(customer)
    data = {k: world.prices.get(v, v) if k == "price" else v for k, v in form.items()}
    with unchanged(world, sub, customer):
        for path in ("update", "confirm"):
            _refused(portal.post(f"/subscriptions/{sub}/{path}", **data), status, phrase)


def test_unspecified_tax_behavior_refuses_price_changes(world: World, browse: Any) -> None:
    customer = builders.customer(world.client, email=FORGER, payment_method="pm_card_visa").id
    sub = builders.subscribe(world.client, customer, items=world.items("unspec_m")).id
    portal = browse(customer)
    assert "tax treatment isn't set" in _text(portal.get(f"/subscriptions/{sub}/update"))
    with unchanged(world, sub, customer):
        _refused(
            portal.post(f"/subscriptions/{sub}/confirm", price=world.prices["basic_m"]),
            403,
            "tax treatment isn't set",
        )


def test_disabled_update_and_cancel_are_refused(world: World, browse: Any) -> None:
    client = world.client
    config = client.v1.billing_portal.configurations.create(
        params={
            "default_return_url": "https://merchant.example/account",
            "features": {
                "invoice_history": {"enabled": True},
                "payment_method_update": {"enabled": True},
            },
        }
    )
    customer = builders.customer(world.client, email=FORGER, payment_method="pm_card_visa").id
    sub = builders.subscribe(world.client, customer, items=world.items("basic_m")).id
    portal = browse(customer, configuration=config.id)
    page = _text(portal.get(f"/subscriptions/{sub}"))
    assert "Update subscription" not in page and "Cancel subscription" not in page
    with unchanged(world, sub, customer):
        _refused(
            portal.post(f"/subscriptions/{sub}/confirm", quantity="2"), 403, "aren't available"
        )
        _refused(portal.post(f"/subscriptions/{sub}/cancel"), 403, "Canceling this subscription")
        _refused(portal.get(f"/subscriptions/{sub}/cancel"), 403, "Canceling this subscription")


def test_cancel_with_a_reason_not_offered_is_refused(world: World, browse: Any) -> None:
    customer = builders.customer(world.client, email=FORGER, payment_method="pm_card_visa").id
    sub = builders.subscribe(world.client, customer, items=world.items("basic_m")).id
    portal = browse(customer)
    with unchanged(world, sub, customer):
        _refused(
            portal.post(f"/subscriptions/{sub}/cancel", reason="unused"), 403, "reasons listed"
        )
        _refused(
            portal.post(f"/subscriptions/{sub}/cancel", reason="option:bfo_madeup"),
            403,
            "reasons listed",
        )


def test_renew_and_retention_without_cause_are_refused(world: World, browse: Any) -> None:
    customer = builders.customer(world.client, email=FORGER, payment_method="pm_card_visa").id
    sub = builders.subscribe(world.client, customer, items=world.items("basic_m")).id
    portal = browse(customer)
    with unchanged(world, sub, customer):
        _refused(portal.post(f"/subscriptions/{sub}/renew"), 403, "isn't set to be canceled")
        _refused(portal.post(f"/subscriptions/{sub}/retention"), 403)


def test_a_second_cancel_is_refused(world: World, browse: Any) -> None:
    customer = builders.customer(world.client, email=FORGER, payment_method="pm_card_visa").id
    sub = builders.subscribe(
        world.client, customer, items=world.items("basic_m"), cancel_at_period_end=True
    ).id
    portal = browse(customer)
    page = _text(portal.get(f"/subscriptions/{sub}"))
    assert "Renew subscription" in page and "Update subscription" not in page
    with unchanged(world, sub, customer):
        _refused(portal.post(f"/subscriptions/{sub}/cancel"), 403, "set to be canceled")
        _refused(portal.post(f"/subscriptions/{sub}/confirm", quantity="2"), 403, "Renew it")


def test_someone_elses_subscription_is_not_found(world: World, browse: Any) -> None:
    owner = builders.customer(world.client, email=FORGER, payment_method="pm_card_visa").id
    sub = builders.subscribe(world.client, owner, items=world.items("basic_m")).id
    intruder = builders.customer(world.client, email=FORGER, payment_method="pm_card_visa").id
    portal = browse(intruder)
    with unchanged(world, sub, owner):
        assert portal.get(f"/subscriptions/{sub}").status_code == 404
        for path in ("update", "confirm", "cancel", "renew", "retention"):
            assert portal.post(f"/subscriptions/{sub}/{path}", quantity="2").status_code == 404
        assert portal.get("/subscriptions/sub_missing").status_code == 404


def test_a_post_without_the_csrf_token_changes_nothing(world: World, browse: Any) -> None:
    customer = builders.customer(world.client, email=FORGER, payment_method="pm_card_visa").id
    sub = builders.subscribe(world.client, customer, items=world.items("basic_m")).id
    portal = browse(customer)
    url = portal.session.url + f"/subscriptions/{sub}/cancel"
    with unchanged(world, sub, customer):
        assert portal.http.post(url, data={"reason": "other"}).status_code == 403
        with httpx.Client() as stranger:  # the token without the session's cookie
            response = stranger.post(url, data={"csrf_token": portal.csrf})
            assert response.status_code == 403


def test_the_same_change_goes_through_when_offered(world: World, browse: Any) -> None:
    """The refusals above are the rules, not a broken page: an offered change is made."""
    customer = builders.customer(world.client, email=FORGER, payment_method="pm_card_visa").id
    sub = builders.subscribe(world.client, customer, items=world.items("basic_m")).id
    portal = browse(customer)
    response = portal.post(f"/subscriptions/{sub}/confirm", quantity="3")
    assert response.status_code == 303
    item = world.client.v1.subscriptions.retrieve(sub)["items"].data[0]
    assert item.quantity == 3


def test_the_preview_says_its_proration_lines_in_the_customers_language(
    world: World, browse: Any
) -> None:
    """The invoice's proration lines read "Unused time on Basic after …" in Stripe's English; a
    German customer's preview says the same in German, with the date written the German way."""
    customer = builders.customer(world.client, email=FORGER, payment_method="pm_card_visa").id
    sub = builders.subscribe(world.client, customer, items=world.items("basic_m")).id
    builders.advance(world.client, 10 * builders.DAY)
    portal = browse(customer, locale="de")
    page = _text(portal.post(f"/subscriptions/{sub}/update", price=world.prices["pro_m"]))
    assert "Nicht genutzte Zeit für Basic nach dem " in page
    assert "Verbleibende Zeit für Pro nach dem " in page
    assert "Unused time" not in page and "Remaining time" not in page
    assert re.search(r"nach dem \d\d\.\d\d\.\d{4}", page)
