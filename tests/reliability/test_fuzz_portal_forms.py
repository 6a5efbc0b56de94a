"""The portal pages' forms fuzzed like a hostile browser would post them.

Every POST route of a live portal session gets generated forms: its own fields and unknown ones,
with markup, control characters, unicode and oversized values, with and without the CSRF token.
No answer may be a 5xx, typed markup never comes back unescaped, and a refused post (4xx)
changes nothing the customer owns.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

import httpx
import pytest
import stripe
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from console.sandbox import Sandbox
from console.sandbox.portal.session import MAX_FORM
from tests import builders
from tests.conftest import make_client

CSRF = re.compile(r'(?:name="csrf_token" value|name="csrf-token" content)="([^"]+)"')
MARKER = "<script>zz"
FIELDS = [
    "name", "email", "phone", "address_line1", "address_city", "address_country",
    "address_postal_code", "shipping_name", "shipping_phone", "shipping_line1", "tax_type",
    "tax_value", "cardholder", "number", "expiry", "cvc", "postal_code", "price", "quantity",
    "promotion_code", "flow_discounts", "reason", "comment", "method",
]  # fmt: skip
TALLY: Counter[str] = Counter()

values = st.one_of(
    st.sampled_from(
        [
            "",
            MARKER + "</script>",
            f'"><img src=x onerror=alert(1)>{MARKER}',
            "4242 4242 4242 4242",
            "12/40",
            "-1",
            "99999999999999999999999",
            "eu_vat",
            "too_expensive",
            "\x00",
            "x" * 20_000,
            "\u202e\ufeff\U0001f600",
        ]
    ),
    st.text(max_size=40),
)
forms = st.dictionaries(
    st.one_of(st.sampled_from(FIELDS), st.from_regex(r"\A[a-z_\[\]]{1,12}\Z")), values, max_size=6
)


@dataclass
class Portal:
    sandbox: Sandbox
    client: stripe.StripeClient
    browser: httpx.Client
    base: str
    customer: str
    routes: list[str]
    invoice_page: str
    update_page: str

    def snapshot(self) -> str:
        """Everything the customer owns, as the API shows it."""
        customer = self.customer
        parts: list[Any] = [
            self.client.v1.customers.retrieve(customer).to_dict(),
            [
                s.to_dict()
                for s in self.client.v1.subscriptions.list(
                    params={"customer": customer, "status": "all"}
                ).data
            ],
            [p.id for p in self.client.v1.customers.payment_methods.list(customer).data],
            [t.id for t in self.client.v1.customers.tax_ids.list(customer).data],
            [i.status for i in self.client.v1.invoices.list(params={"customer": customer}).data],
        ]
        return json.dumps(parts, sort_keys=True, default=str)

    def csrf(self) -> str:
        found = CSRF.search(self.browser.get(f"{self.base}/customer").text)
        assert found
        return found.group(1)


@pytest.fixture(scope="module")
def portal() -> Iterator[Portal]:
    with Sandbox(":memory:", webhook_retry_base=0.2, sweep_interval=0.5) as sandbox:
        client = make_client(sandbox)
        product = client.v1.products.create(params={"name": "Fuzz plan"})
        prices = [
            builders.price(client, amount, product=product.id, interval=interval).id
            for amount, interval in ((1000, "month"), (10000, "year"))
        ]
        config: Any = {
            "features": {
                "customer_update": {
                    "enabled": True,
                    "allowed_updates": ["address", "email", "name", "phone", "shipping", "tax_id"],
                },
                "invoice_history": {"enabled": True},
                "payment_method_update": {"enabled": True},
                "subscription_cancel": {"enabled": True, "mode": "at_period_end"},
                "subscription_update": {
                    "enabled": True,
                    "default_allowed_updates": ["price", "quantity"],
                    "products": [{"product": product.id, "prices": prices}],
                },
            },
            "business_profile": {"headline": "Fuzz"},
        }
        configuration = client.v1.billing_portal.configurations.create(params=config)
        customer = client.v1.customers.create(params={"name": "Fuzzy", "email": "f@example.com"})
        pm = client.v1.payment_methods.attach("pm_card_visa", params={"customer": customer.id})
        sub = client.v1.subscriptions.create(
            params={
                "customer": customer.id,
                "items": [{"price": prices[0]}],
                "default_payment_method": pm.id,
            }
        )
        session = client.v1.billing_portal.sessions.create(
            params={
                "customer": customer.id,
                "configuration": configuration.id,
                "return_url": "https://shop.example.com/account",
            }
        )
        base = httpx.URL(session.url).path
        routes = [
            "/customer",
            "/tax-ids",
            "/tax-ids/txi_zz/remove",
            "/payment-methods/new",
            f"/payment-methods/{pm.id}/default",
            f"/payment-methods/{pm.id}/remove",
            f"/invoices/{sub.latest_invoice}/pay",
            f"/subscriptions/{sub.id}/update",
            f"/subscriptions/{sub.id}/confirm",
            f"/subscriptions/{sub.id}/cancel",
            f"/subscriptions/{sub.id}/retention",
            f"/subscriptions/{sub.id}/renew",
        ]
        with httpx.Client(base_url=sandbox.url, trust_env=False, timeout=30) as browser:
            assert browser.get(base).status_code == 200  # the cookie
            yield Portal(
                sandbox,
                client,
                browser,
                base,
                customer.id,
                routes,
                f"/invoices/{sub.latest_invoice}",
                f"/subscriptions/{sub.id}/update",
            )


# Bounded for the suite; a nightly run may raise it.
EXAMPLES = int(os.environ.get("RELIABILITY_FUZZ_EXAMPLES_PORTAL", "120"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def test_fuzzed_forms_never_break_the_portal_or_change_on_refusal(portal: Portal) -> None:
    token = portal.csrf()

    @FUZZ
    @given(route=st.sampled_from(portal.routes), form=forms, with_token=st.booleans())
    def post(route: str, form: dict[str, str], with_token: bool) -> None:
        before = portal.snapshot()
        data = {**form, "csrf_token": token} if with_token else form
        response = portal.browser.post(portal.base + route, data=data)
        TALLY[f"answered {response.status_code}"] += 1
        assert response.status_code < 500, (route, form, response.text[:500])
        assert MARKER not in response.text, (route, form)
        if not with_token:
            # 413 when the form is larger than any portal form: refused before its token is read.
            too_large = len(urlencode(data).encode()) > MAX_FORM
            assert response.status_code == (413 if too_large else 403), (route, form)
        if response.status_code >= 400:
            assert portal.snapshot() == before, (route, form, response.status_code)

    post()


def test_fuzzed_query_strings_on_pages_never_break_them(portal: Portal) -> None:
    pages = ["", "/customer", "/payment-methods/new", portal.invoice_page, portal.update_page]

    @FUZZ
    @given(page=st.sampled_from(pages), query=forms)
    def get(page: str, query: dict[str, str]) -> None:
        response = portal.browser.get(portal.base + page, params=query)
        TALLY[f"answered {response.status_code}"] += 1
        assert response.status_code < 500, (page, query)
        assert MARKER not in response.text, (page, query)

    get()


def test_fuzzed_login_posts_never_break_the_page(portal: Portal) -> None:
    @FUZZ
    @given(token=st.text(max_size=60), form=forms)
    def login(token: str, form: dict[str, str]) -> None:
        path = "/p/login/" + quote(token, safe="")
        response = portal.browser.post(path, data=form)
        TALLY[f"login answered {response.status_code}"] += 1
        assert response.status_code < 500, (token, form)
        assert MARKER not in response.text

    login()


def test_a_get_on_a_post_only_form_route_is_405_not_500(portal: Portal) -> None:
    response = portal.browser.get(f"{portal.base}{portal.invoice_page}/pay")
    assert response.status_code == 405


def teardown_module() -> None:
    print("\nportal fuzz figures:", dict(sorted(TALLY.items())))
