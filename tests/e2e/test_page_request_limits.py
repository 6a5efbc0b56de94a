"""Hosted pages read a posted body only for a known link, and never more than a form needs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import stripe

from console.sandbox import Sandbox
from console.sandbox.pages.hosted import MAX_FORM
from tests.e2e.test_portal_http import configuration, path_of, session_for

HUGE = 300 * 1024 * 1024
CHUNK = b"a" * 65536
# What loopback socket buffers can take before the sender blocks, with room to spare.
UNREAD = 32 * 1024 * 1024


class Upload:
    """A 300 MB form body, counting what the server let us send."""

    def __init__(self) -> None:
        self.sent = 0

    def __iter__(self) -> Iterator[bytes]:
        while self.sent < HUGE:
            self.sent += len(CHUNK)
            yield CHUNK


def post_huge(sandbox: Sandbox, path: str, *, declared: bool) -> tuple[httpx.Response, int]:
    upload = Upload()
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if declared:
        headers["Content-Length"] = str(HUGE)
    with httpx.Client(base_url=sandbox.url, trust_env=False, timeout=30) as http:
        response = http.post(path, content=upload, headers=headers)
    return response, upload.sent


@pytest.fixture
def portal_base(client: stripe.StripeClient) -> str:
    config = configuration(client)
    customer = client.v1.customers.create(params={"name": "Ada"})
    return path_of(session_for(client, customer.id, config.id).url)


@pytest.fixture
def invoice_page(client: stripe.StripeClient) -> str:
    customer = client.v1.customers.create(params={"name": "Ada"})
    client.v1.invoice_items.create(
        params={"customer": customer.id, "amount": 1500, "currency": "usd"}
    )
    invoice: Any = client.v1.invoices.create(
        params={"customer": customer.id, "pending_invoice_items_behavior": "include"}
    )
    finalized = client.v1.invoices.finalize_invoice(invoice.id)
    assert finalized.hosted_invoice_url
    return path_of(finalized.hosted_invoice_url)


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
def test_a_huge_post_to_an_unknown_portal_link_is_refused_unread(
    sandbox: Sandbox, declared: bool
) -> None:
    response, sent = post_huge(sandbox, "/p/session/no-such-link/customer", declared=declared)
    assert response.status_code == 404
    assert sent < UNREAD


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
def test_a_huge_post_to_a_portal_page_is_refused_after_a_form_s_worth(
    sandbox: Sandbox, portal_base: str, declared: bool
) -> None:
    response, sent = post_huge(sandbox, portal_base + "/customer", declared=declared)
    assert response.status_code == 413
    assert sent < UNREAD


def test_a_huge_post_to_an_unknown_invoice_link_is_refused_unread(sandbox: Sandbox) -> None:
    response, sent = post_huge(sandbox, "/i/no-such-invoice/pay", declared=False)
    assert response.status_code == 404
    assert sent < UNREAD


def test_a_huge_payment_form_is_refused_and_the_page_still_works(
    sandbox: Sandbox, invoice_page: str
) -> None:
    response, sent = post_huge(sandbox, invoice_page + "/pay", declared=False)
    assert response.status_code == 413
    assert "too large" in response.text
    assert sent < UNREAD
    with httpx.Client(base_url=sandbox.url, trust_env=False) as http:
        page = http.get(invoice_page)
        assert page.status_code == 200
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert csrf
        small = "x" * (MAX_FORM // 2)
        answer = http.post(
            invoice_page + "/pay",
            data={"csrf_token": csrf.group(1), "number": "4242424242424242", "expiry": "12/40",
                  "cvc": "123", "note": small},
        )  # fmt: skip
    assert answer.status_code == 303
