"""Paying an invoice in the customer portal with a card that asks for 3-D Secure: the portal
sends the customer to the test page and back to the invoice, paid or still open."""

from __future__ import annotations

import httpx
import pytest
import stripe

from console.sandbox import Sandbox
from tests import builders
from tests.e2e.test_portal_http import configuration, csrf_of, path_of, session_for
from tests.e2e.three_d_secure.helpers import authenticate


@pytest.mark.parametrize(("outcome", "words"), [
    ("complete", "Thank you! Your payment was received."),
    ("fail", "We are unable to authenticate your payment method."),
])  # fmt: skip
def test_paying_an_invoice_with_a_3d_secure_card(
    client: stripe.StripeClient, sandbox: Sandbox, outcome: str, words: str
) -> None:
    customer = builders.customer(
        client, name="Ada Lovelace", payment_method="pm_card_authenticationRequired"
    )
    final = client.v1.invoices.finalize_invoice(
        builders.draft(client, customer.id, 2100).id, params={"auto_advance": False}
    )
    session = session_for(client, customer.id, configuration(client).id)
    base = path_of(session.url)
    with httpx.Client(base_url=sandbox.url, trust_env=False) as browser:
        token = csrf_of(browser.get(base).text)
        sent = browser.post(f"{base}/invoices/{final.id}/pay", data={"csrf_token": token})
        assert sent.status_code == 303 and "/3d_secure/pi_" in sent.headers["location"]

        back = authenticate(sent.headers["location"], outcome, http=browser)
        assert path_of(back.headers["location"]) == f"{base}/invoices/{final.id}"
        shown = browser.get(back.headers["location"])

    assert words in shown.text
    expected = "paid" if outcome == "complete" else "open"
    assert client.v1.invoices.retrieve(final.id).status == expected
