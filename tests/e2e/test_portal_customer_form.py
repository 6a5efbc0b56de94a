"""The customer-information form as a browser posts it: every field shown, changed or not."""

from __future__ import annotations

import httpx
import stripe

from console.sandbox import Sandbox
from tests.e2e.test_portal_http import configuration, csrf_of, path_of, session_for


def test_a_customer_without_a_phone_number_can_change_their_name(
    client: stripe.StripeClient, sandbox: Sandbox
) -> None:
    config = configuration(client)
    customer = client.v1.customers.create(params={"name": "Ada", "email": "ada@example.com"})
    base = path_of(session_for(client, customer.id, config.id).url)
    with httpx.Client(base_url=sandbox.url, trust_env=False) as browser:
        token = csrf_of(browser.get(f"{base}/customer").text)
        form = {"name": "Ada King", "email": "ada@example.com", "phone": "", "csrf_token": token}
        saved = browser.post(f"{base}/customer", data=form)
    assert saved.status_code == 303
    after = client.v1.customers.retrieve(customer.id)
    assert (after.name, after.email, after.phone) == ("Ada King", "ada@example.com", None)
