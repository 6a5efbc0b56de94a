"""The no-code login link over HTTP: an email, a one-time code, then the portal, as on Stripe."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import stripe

from console.sandbox import Sandbox
from console.sandbox.portal import login as login_page
from tests import builders
from tests.e2e.test_portal_http import assert_secure, configuration, csrf_of, path_of

CODE = re.compile(r"The code we would have emailed is (\d{6})")
ATTEMPT = re.compile(r'name="attempt" value="([^"]+)"')


@pytest.fixture
def browser(sandbox: Sandbox) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sandbox.url, follow_redirects=False, trust_env=False) as http:
        yield http


@pytest.fixture
def login(client: stripe.StripeClient) -> str:
    config = configuration(client, login_page={"enabled": True})
    return path_of(config.login_page.url)


def ask_code(browser: httpx.Client, login: str, address: str) -> httpx.Response:
    page = browser.get(login)
    assert page.status_code == 200
    return browser.post(login, data={"email": address, "csrf_token": csrf_of(page.text)})


def code_of(page: httpx.Response) -> str:
    found = CODE.search(page.text)
    assert found, page.text
    return found.group(1)


def send_code(browser: httpx.Client, login: str, page: httpx.Response, code: str) -> httpx.Response:
    attempt = ATTEMPT.search(page.text)
    assert attempt, page.text
    form = {"csrf_token": csrf_of(page.text), "attempt": attempt.group(1), "code": code}
    return browser.post(login, data=form)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def trialing(client: stripe.StripeClient, customer: str) -> None:
    product = builders.product(client, name="Plan")
    price = builders.price(client, 1000, product=product.id, interval="month")
    builders.subscribe(client, customer, price.id, trial_period_days=14)


def test_the_login_link_answers_every_email_alike_and_gives_no_portal_link(
    client: stripe.StripeClient, browser: httpx.Client, login: str
) -> None:
    known = client.v1.customers.create(params={"email": builders.unique_email()})
    for address in (known.email, "nobody@example.com"):
        assert address is not None
        page = ask_code(browser, login, address)
        assert page.status_code == 200
        assert_secure(page)
        assert f"If {address} belongs to a customer, we sent a sign-in code to it." in page.text
        assert "Test mode" in page.text and code_of(page)
        assert "/p/session/" not in page.text


def test_the_code_opens_the_portal_once_and_the_email_cannot_be_changed_there(
    client: stripe.StripeClient, browser: httpx.Client, login: str
) -> None:
    customer = client.v1.customers.create(params={"name": "Ada", "email": builders.unique_email()})
    assert customer.email is not None
    page = ask_code(browser, login, customer.email)
    code = code_of(page)
    opened = send_code(browser, login, page, code)
    assert opened.status_code == 303
    portal = opened.headers["location"]
    assert portal.startswith("/p/session/")
    details = browser.get(portal + "/customer")
    assert details.status_code == 200
    assert 'value="Ada"' in details.text
    assert 'name="email"' not in details.text
    assert 'name="name"' in details.text
    forged = browser.post(
        portal + "/customer",
        data={"email": "thief@example.com", "csrf_token": csrf_of(details.text)},
    )
    assert forged.status_code == 403
    assert client.v1.customers.retrieve(customer.id).email == customer.email
    again = send_code(browser, login, page, code)
    assert again.status_code == 400
    assert "This code has expired" in again.text


def test_no_code_opens_a_portal_for_an_unknown_email(browser: httpx.Client, login: str) -> None:
    page = ask_code(browser, login, "nobody@example.com")
    answer = send_code(browser, login, page, code_of(page))
    assert answer.status_code == 400
    assert "That code is not right" in answer.text
    assert "/p/session/" not in answer.text and "location" not in answer.headers


def test_wrong_codes_are_limited_then_a_new_code_replaces_the_old(
    client: stripe.StripeClient, browser: httpx.Client, login: str
) -> None:
    customer = client.v1.customers.create(params={"email": builders.unique_email()})
    assert customer.email is not None
    page = ask_code(browser, login, customer.email)
    first = code_of(page)
    for _ in range(login_page.MAX_TRIES - 1):
        page = send_code(browser, login, page, wrong(first))
        assert page.status_code == 400
        assert "That code is not right" in page.text
    page = send_code(browser, login, page, wrong(first))
    assert "Too many wrong codes. We sent a new code." in page.text
    renewed = code_of(page)
    if renewed != first:  # one in a million: the new code drew the same digits
        assert send_code(browser, login, page, first).status_code == 400
    assert send_code(browser, login, page, renewed).status_code == 303


def test_codes_expire_by_real_time(
    client: stripe.StripeClient,
    browser: httpx.Client,
    login: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(login_page, "CODE_TTL", 0.0)
    customer = client.v1.customers.create(params={"email": builders.unique_email()})
    assert customer.email is not None
    page = ask_code(browser, login, customer.email)
    answer = send_code(browser, login, page, code_of(page))
    assert answer.status_code == 400
    assert "This code has expired. Enter your email to get a new one." in answer.text
    assert 'name="email"' in answer.text


def test_a_code_works_only_in_the_browser_that_asked_for_it(
    client: stripe.StripeClient, browser: httpx.Client, login: str, sandbox: Sandbox
) -> None:
    customer = client.v1.customers.create(params={"email": builders.unique_email()})
    assert customer.email is not None
    page = ask_code(browser, login, customer.email)
    with httpx.Client(base_url=sandbox.url, trust_env=False) as other:
        mine = other.get(login)
        attempt = ATTEMPT.search(page.text)
        assert attempt
        form = {"csrf_token": csrf_of(mine.text), "attempt": attempt.group(1)}
        stolen = other.post(login, data={**form, "code": code_of(page)})
    assert stolen.status_code == 400
    assert "/p/session/" not in stolen.headers.get("location", "")


def test_a_shared_email_signs_in_as_the_newest_customer_with_a_subscription(
    client: stripe.StripeClient, browser: httpx.Client, login: str
) -> None:
    shared = builders.unique_email()
    subscribed = client.v1.customers.create(params={"name": "Subscribed", "email": shared})
    trialing(client, subscribed.id)
    client.v1.customers.create(params={"name": "Newer, no plan", "email": shared})
    page = ask_code(browser, login, shared)
    portal = send_code(browser, login, page, code_of(page)).headers["location"]
    details = browser.get(portal + "/customer")
    assert 'value="Subscribed"' in details.text


def test_without_subscriptions_a_shared_email_signs_in_as_the_newest_customer(
    client: stripe.StripeClient, browser: httpx.Client, login: str
) -> None:
    shared = builders.unique_email()
    client.v1.customers.create(params={"name": "Older", "email": shared})
    client.v1.customers.create(params={"name": "Newest", "email": shared})
    page = ask_code(browser, login, shared)
    portal = send_code(browser, login, page, code_of(page)).headers["location"]
    assert 'value="Newest"' in browser.get(portal + "/customer").text


def test_the_login_page_refuses_a_form_from_another_browser(
    client: stripe.StripeClient, browser: httpx.Client, login: str, sandbox: Sandbox
) -> None:
    customer: Any = client.v1.customers.create(params={"email": builders.unique_email()})
    token = csrf_of(browser.get(login).text)
    with httpx.Client(base_url=sandbox.url, trust_env=False) as other:
        forged = other.post(login, data={"email": customer.email, "csrf_token": token})
    assert forged.status_code == 403
    assert CODE.search(forged.text) is None
    assert browser.get("/p/login/" + secrets.token_urlsafe(16)).status_code == 404
