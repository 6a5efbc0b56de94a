"""The portal pages over plain HTTP: headers, cookies, CSRF, expiry, refusals, escaping."""

from __future__ import annotations

import asyncio
import re
import secrets
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import stripe
from starlette.routing import Route

from console.sandbox import Sandbox
from console.sandbox.portal.app import PortalApp
from tests import builders
from tests.conftest import make_client

CSRF = re.compile(r'(?:name="csrf_token" value|name="csrf-token" content)="([^"]+)"')
RETURN_URL = "https://shop.example.com/account"
ALL_UPDATES = ["address", "email", "name", "phone", "shipping", "tax_id"]


def configuration(client: stripe.StripeClient, **overrides: Any) -> Any:
    features: dict[str, Any] = {
        "customer_update": {"enabled": True, "allowed_updates": ALL_UPDATES},
        "invoice_history": {"enabled": True},
        "payment_method_update": {"enabled": True},
        "subscription_cancel": {"enabled": False},
        "subscription_update": {"enabled": False},
    }
    features.update(overrides.pop("features", {}))
    params: Any = {
        "features": features,
        "business_profile": {"headline": "Billing made simple"},
        **overrides,
    }
    return client.v1.billing_portal.configurations.create(params=params)


def session_for(client: stripe.StripeClient, customer: str, config: str, **params: Any) -> Any:
    create: Any = {
        "customer": customer,
        "configuration": config,
        "return_url": RETURN_URL,
        **params,
    }
    return client.v1.billing_portal.sessions.create(params=create)


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def assert_secure(response: httpx.Response) -> None:
    headers = response.headers
    assert headers["x-frame-options"] == "DENY"
    csp = headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp
    assert "default-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert headers["referrer-policy"] == "no-referrer"


@pytest.fixture
def browser(sandbox: Sandbox) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sandbox.url, follow_redirects=False, trust_env=False) as http:
        yield http


@pytest.fixture
def portal(client: stripe.StripeClient) -> Any:
    config = configuration(client)
    customer = client.v1.customers.create(
        params={"name": "Ada Lovelace", "email": builders.unique_email()}
    )
    return config, customer


def path_of(url: str) -> str:
    return httpx.URL(url).path


def test_every_portal_response_has_the_security_headers(
    client: stripe.StripeClient, browser: httpx.Client, portal: Any
) -> None:
    config, customer = portal
    session = session_for(client, customer.id, config.id)
    base = path_of(session.url)
    home = browser.get(base)
    assert home.status_code == 200
    pages = [
        home,
        browser.get(f"{base}/payment-methods/new"),
        browser.get(f"{base}/customer"),
        browser.get("/p/session/" + secrets.token_urlsafe(24)),
        browser.get("/p/no/such/page"),
        browser.get("/p/static/portal.css"),
        browser.get("/p/brand.css?primary=ff0000"),
        browser.post(f"{base}/customer", data={"name": "x"}),
    ]
    for response in pages:
        assert_secure(response)
    assert [r.status_code for r in pages[1:]] == [200, 200, 404, 404, 200, 200, 403]
    assert "Traceback" not in pages[4].text


def test_first_visit_sets_an_http_only_lax_cookie_scoped_to_the_portal(
    client: stripe.StripeClient, browser: httpx.Client, portal: Any
) -> None:
    config, customer = portal
    session = session_for(client, customer.id, config.id)
    response = browser.get(path_of(session.url))
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("portal_session_")
    flags = [part.strip().lower() for part in cookie.split(";")]
    assert "httponly" in flags
    assert "samesite=lax" in flags
    assert "path=/p/" in flags
    # The cookie is a server-side id, not the link's token.
    assert path_of(session.url).rsplit("/", 1)[1] not in cookie
    again = browser.get(path_of(session.url))
    assert "set-cookie" not in again.headers


def test_posts_without_or_with_a_wrong_csrf_token_are_refused(
    client: stripe.StripeClient, sandbox: Sandbox, browser: httpx.Client, portal: Any
) -> None:
    config, customer = portal
    session = session_for(client, customer.id, config.id)
    base = path_of(session.url)
    token = csrf_of(browser.get(f"{base}/customer").text)
    refused = [
        browser.post(f"{base}/customer", data={"name": "No token"}),
        browser.post(f"{base}/customer", data={"name": "Wrong", "csrf_token": token[:-2] + "xx"}),
    ]
    # The right token without the session's cookie (another browser, another site) is refused too.
    with httpx.Client(base_url=sandbox.url, trust_env=False) as stranger:
        refused.append(
            stranger.post(f"{base}/customer", data={"name": "Stranger", "csrf_token": token})
        )
    assert [r.status_code for r in refused] == [403, 403, 403]
    assert client.v1.customers.retrieve(customer.id).name == "Ada Lovelace"
    accepted = browser.post(f"{base}/customer", data={"name": "Ada King", "csrf_token": token})
    assert accepted.status_code == 303
    assert client.v1.customers.retrieve(customer.id).name == "Ada King"
    events = client.v1.events.list(params={"type": "customer.updated", "limit": 20})
    updates = [e for e in events.data if e.data.object["id"] == customer.id]
    assert len(updates) == 1
    previous: Any = updates[0].data.previous_attributes
    assert previous.to_dict() == {"name": "Ada Lovelace"}


def test_links_lapse_unused_after_5_minutes_and_idle_after_an_hour(
    fresh_sandbox: Sandbox, fresh_client: stripe.StripeClient
) -> None:
    client = fresh_client
    config = configuration(client)
    customer = client.v1.customers.create(params={"name": "Clock Watcher"})
    used = session_for(client, customer.id, config.id)
    unused = session_for(client, customer.id, config.id)

    with httpx.Client(base_url=fresh_sandbox.url, trust_env=False) as http:
        builders.advance(client, 240)
        assert http.get(path_of(used.url)).status_code == 200
        builders.advance(client, 70)  # 310 s after creation
        lapsed = http.get(path_of(unused.url))
        assert lapsed.status_code == 410
        assert RETURN_URL in lapsed.text
        assert "Clock Watcher" not in lapsed.text
        assert_secure(lapsed)
        assert http.get(path_of(used.url)).status_code == 200  # used 70 s ago
        builders.advance(client, 3590)
        assert http.get(path_of(used.url)).status_code == 200  # idle 3590 s: still alive
        builders.advance(client, 3601)
        idle = http.get(path_of(used.url))
        assert idle.status_code == 410
        assert "expired" in idle.text.lower()
        assert "Traceback" not in idle.text


def test_guessed_tokens_and_other_customers_objects_reveal_nothing(
    client: stripe.StripeClient, sandbox: Sandbox, browser: httpx.Client, portal: Any
) -> None:
    config, customer = portal
    other = client.v1.customers.create(params={"name": "Grace Hopper"})
    item = client.v1.invoice_items.create(
        params={"customer": other.id, "amount": 1500, "currency": "usd"}
    )
    invoice = client.v1.invoices.create(
        params={"customer": other.id, "pending_invoice_items_behavior": "include"}
    )
    client.v1.invoices.finalize_invoice(invoice.id, params={"auto_advance": False})
    assert item.invoice is None
    for guess in (secrets.token_urlsafe(24), "x", "a" * 300, "%2e%2e"):
        response = browser.get(f"/p/session/{guess}")
        assert response.status_code == 404
        assert "Grace" not in response.text and "Ada" not in response.text
    session = session_for(client, customer.id, config.id)
    base = path_of(session.url)
    token = csrf_of(browser.get(base).text)
    seen = browser.get(f"{base}/invoices/{invoice.id}")
    assert seen.status_code == 403
    assert "Grace" not in seen.text
    paid = browser.post(f"{base}/invoices/{invoice.id}/pay", data={"csrf_token": token})
    assert paid.status_code == 403
    assert client.v1.invoices.retrieve(invoice.id).status == "open"
    # The other customer's own session: this browser's cookie and token don't work there.
    foreign = session_for(client, other.id, config.id)
    with httpx.Client(base_url=sandbox.url, trust_env=False) as other_browser:
        other_browser.get(path_of(foreign.url))
    stolen = browser.post(
        f"{path_of(foreign.url)}/customer", data={"name": "Hijacked", "csrf_token": token}
    )
    assert stolen.status_code == 403
    assert client.v1.customers.retrieve(other.id).name == "Grace Hopper"


def test_actions_the_configuration_disallows_are_refused_when_posted_by_hand(
    client: stripe.StripeClient, browser: httpx.Client
) -> None:
    closed = configuration(
        client,
        features={
            "customer_update": {"enabled": False},
            "payment_method_update": {"enabled": False},
        },
    )
    name_only = configuration(
        client, features={"customer_update": {"enabled": True, "allowed_updates": ["name"]}}
    )
    customer = client.v1.customers.create(params={"name": "Locked", "email": "l@example.com"})
    base = path_of(session_for(client, customer.id, closed.id).url)
    home = browser.get(base)
    assert "/customer" not in home.text and "payment-methods/new" not in home.text
    assert browser.get(f"{base}/customer").status_code == 403
    assert browser.get(f"{base}/payment-methods/new").status_code == 403
    # Every page of the session carries its token (a hand-made POST can have it).
    token = csrf_of(home.text)
    refused = [
        browser.post(f"{base}/customer", data={"name": "Changed", "csrf_token": token}),
        browser.post(
            f"{base}/payment-methods/new",
            data={"number": "4242424242424242", "expiry": "12/34", "csrf_token": token},
        ),
    ]
    assert [r.status_code for r in refused] == [403, 403]
    assert client.v1.payment_methods.list(params={"customer": customer.id}).data == []

    base = path_of(session_for(client, customer.id, name_only.id).url)
    page = browser.get(f"{base}/customer").text
    assert 'name="name"' in page and 'name="email"' not in page
    token = csrf_of(page)
    refused_email = browser.post(
        f"{base}/customer", data={"email": "new@example.com", "csrf_token": token}
    )
    assert refused_email.status_code == 403
    assert (
        browser.post(
            f"{base}/tax-ids",
            data={"tax_type": "eu_vat", "tax_value": "DE123456789", "csrf_token": token},
        ).status_code
        == 403
    )
    after = client.v1.customers.retrieve(customer.id)
    assert (after.name, after.email) == ("Locked", "l@example.com")


def test_a_customer_name_with_markup_is_shown_as_text(
    client: stripe.StripeClient, browser: httpx.Client, portal: Any
) -> None:
    config, _ = portal
    customer = client.v1.customers.create(
        params={"name": '<script>alert("x")</script>', "email": "xss@example.com"}
    )
    response = browser.get(path_of(session_for(client, customer.id, config.id).url))
    assert response.status_code == 200
    assert "<script>" not in response.text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in response.text


def test_page_language_follows_session_then_customer_then_browser(
    client: stripe.StripeClient, browser: httpx.Client, portal: Any
) -> None:
    config, customer = portal
    german = browser.get(path_of(session_for(client, customer.id, config.id, locale="de").url))
    assert '<html lang="de-DE">' in german.text
    australian = session_for(client, customer.id, config.id, locale="en-AU")
    assert '<html lang="en-US">' in browser.get(path_of(australian.url)).text
    french = client.v1.customers.create(params={"preferred_locales": ["fr-FR"]})
    auto = session_for(client, french.id, config.id, locale="auto")
    assert '<html lang="fr-FR">' in browser.get(path_of(auto.url)).text
    plain = client.v1.customers.create(params={"name": "No preference"})
    by_browser = browser.get(
        path_of(session_for(client, plain.id, config.id).url),
        headers={"Accept-Language": "ja-JP,ja;q=0.9,en;q=0.5"},
    )
    assert '<html lang="ja-JP">' in by_browser.text


def test_sessions_of_a_connected_account_open_with_its_branding(
    client: stripe.StripeClient, sandbox: Sandbox, browser: httpx.Client
) -> None:
    connected = client.v1.accounts.create(
        params={"type": "standard", "business_profile": {"name": "Connected Bakery"}}
    )
    scoped = make_client(sandbox, stripe_account=connected.id)
    config = configuration(scoped)
    customer = scoped.v1.customers.create(params={"name": "Bread Lover"})
    response = browser.get(path_of(session_for(scoped, customer.id, config.id).url))
    assert response.status_code == 200
    assert "Connected Bakery" in response.text
    assert "Bread Lover" in response.text


def test_other_payment_method_types_are_shown_read_only_even_as_the_default(
    client: stripe.StripeClient, browser: httpx.Client, portal: Any
) -> None:
    config, customer = portal
    sepa: Any = client.v1.payment_methods.create(
        params={
            "type": "sepa_debit",
            "sepa_debit": {"iban": "DE89370400440532013000"},
            "billing_details": {"name": "Ada Lovelace", "email": "ada@example.com"},
        }
    )
    ideal: Any = client.v1.payment_methods.create(
        params={"type": "ideal", "ideal": {"bank": "abn_amro"}}
    )
    for pm in (sepa, ideal):
        client.v1.payment_methods.attach(pm.id, params={"customer": customer.id})
    client.v1.customers.update(
        customer.id, params={"invoice_settings": {"default_payment_method": ideal.id}}
    )
    base = path_of(session_for(client, customer.id, config.id).url)
    page = browser.get(base).text
    assert "Payment methods" in page
    assert "SEPA Direct Debit •••• 3000" in page
    assert f'data-payment-method="{ideal.id}"' in page
    assert "Not supported here" in page
    assert f"/payment-methods/{sepa.id}/remove" not in page
    assert f"/payment-methods/{ideal.id}/default" not in page
    token = csrf_of(page)
    refused = browser.post(f"{base}/payment-methods/{sepa.id}/remove", data={"csrf_token": token})
    assert refused.status_code == 403
    attached = client.v1.payment_methods.list(params={"customer": customer.id}).data
    assert {pm.id for pm in attached} == {sepa.id, ideal.id}


# The bug is logged with its traceback (for the developer), the customer sees the error page.
@pytest.mark.expect_log("ERROR", "console.sandbox.portal.app", r"portal page /boom failed")
def test_an_exception_in_a_page_shows_the_error_page_not_a_trace() -> None:
    def broken(request: Any) -> Any:
        raise RuntimeError("secret internals")

    app = PortalApp()
    app.add([Route("/boom", broken)])
    transport = httpx.ASGITransport(app=app)

    async def fetch() -> httpx.Response:
        async with httpx.AsyncClient(transport=transport, base_url="http://portal") as http:
            return await http.get("/boom", headers={"Accept-Language": "de"})

    response = asyncio.run(fetch())
    assert response.status_code == 500
    assert_secure(response)
    assert "secret internals" not in response.text
    assert "Traceback" not in response.text
    assert '<html lang="de-DE">' in response.text
