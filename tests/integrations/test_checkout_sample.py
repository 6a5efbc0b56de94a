"""Stripe's checkout-single-subscription sample, its Python server unmodified, against the
sandbox: a customer signs up through Checkout with a test card, the sample receives the signed
``checkout.session.completed`` webhook, opens the portal from its success page, and cancels
there; the sandbox's events show it all."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import stripe
from playwright.sync_api import Page, Route, expect

from console.sandbox import Sandbox
from tests import builders
from tests.conftest import make_client

SAMPLE = Path(__file__).resolve().parent / "checkout_sample"
SERVER = SAMPLE / "server" / "python" / "server.py"
ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Sample:
    """The running sample: its address, its output so far, and the sandbox behind it."""

    url: str
    output: Path
    client: stripe.StripeClient
    basic_price: str

    def printed(self) -> str:
        return self.output.read_text(encoding="utf-8", errors="replace")

    def wait_for_output(self, text: str, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.printed():
            if time.monotonic() > deadline:
                raise AssertionError(f"the sample never printed {text!r}:\n{self.printed()}")
            time.sleep(0.1)


def _catalogue(client: stripe.StripeClient) -> tuple[str, str]:
    """The sample's two plans ($12 and $18 a month) and a portal that cancels at period end."""
    starter = builders.price(client, 1200, product_name="Starter")
    professional = builders.price(client, 1800, product_name="Professional")
    features: Any = {
        "invoice_history": {"enabled": True},
        "payment_method_update": {"enabled": True},
        "subscription_cancel": {"enabled": True, "mode": "at_period_end"},
    }
    client.v1.billing_portal.configurations.create(params={"features": features})
    return starter.id, professional.id


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sample]:
    with Sandbox(":memory:", webhook_retry_base=0.2, sweep_interval=0.2) as sandbox:
        client = make_client(sandbox)
        basic, pro = _catalogue(client)
        endpoint = client.v1.webhook_endpoints.create(
            params={"url": "http://127.0.0.1:9/webhook", "enabled_events": ["*"]}
        )
        assert endpoint.secret is not None
        folder = tmp_path_factory.mktemp("checkout_sample")
        output = folder / "stdout.txt"
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "XDG_CONFIG_HOME": str(folder),  # stripe's telemetry id, were it written
            "SANDBOX_API_BASE": sandbox.url,
            "STRIPE_SECRET_KEY": sandbox.api_key,
            "STRIPE_PUBLISHABLE_KEY": "pk_test_sandbox",
            "STRIPE_WEBHOOK_SECRET": endpoint.secret,
            "BASIC_PRICE_ID": basic,
            "PRO_PRICE_ID": pro,
            "STATIC_DIR": "../../client",
        }
        with output.open("wb") as sink:
            process = subprocess.Popen(
                [sys.executable, "-u", "-m", "tests.integrations.sample_launcher", str(SERVER)],
                cwd=folder,
                env=env,
                stdout=sink,
                stderr=subprocess.STDOUT,
            )
            try:
                deadline = time.monotonic() + 30
                port = None
                while port is None:
                    found = re.search(r"listening (\d+)", output.read_text(errors="replace"))
                    port = found.group(1) if found else None
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise AssertionError(f"the sample did not start:\n{output.read_text()}")
                    time.sleep(0.1)
                url = f"http://127.0.0.1:{port}"
                client.v1.webhook_endpoints.update(endpoint.id, params={"url": f"{url}/webhook"})
                yield Sample(url, output, client, basic)
            finally:
                process.terminate()
                process.wait(timeout=10)


def _offline(route: Route) -> None:
    # The sample's index page loads Stripe.js from js.stripe.com, which it never uses (its
    # forms post to its own server); the test machine does not reach the internet.
    route.abort()


def test_sign_up_through_checkout_then_cancel_in_the_portal(
    page: Page, sample: Sample, screenshots: Path
) -> None:
    page.route(re.compile(r"^https://"), _offline)
    page.goto(f"{sample.url}/")
    expect(page.locator("#basicPrice")).to_have_value(sample.basic_price)
    page.locator("#basic-plan-btn").click()

    # Stripe's Checkout, as the sandbox serves it.
    expect(page).to_have_url(re.compile(r"/c/pay/"))
    expect(page.locator(".amount")).to_have_text("$12.00")
    page.get_by_label("Email").fill("jenny.rosen@example.com")
    page.get_by_label("Card number").fill("4242 4242 4242 4242")
    page.get_by_label("Expiry (MM/YY)").fill("12/34")
    page.get_by_label("CVC").fill("123")
    page.screenshot(path=str(screenshots / "checkout_sample_checkout.png"), full_page=True)
    page.get_by_role("button", name="Subscribe").click()

    # Back on the sample's success page, which retrieves the session through the API.
    expect(page).to_have_url(re.compile(r"/success\.html\?session_id=cs_test_"))
    session_id = page.url.rsplit("=", 1)[1]
    expect(page.locator("pre")).to_contain_text('"status": "complete"')
    sample.wait_for_output("event checkout.session.completed")
    assert "🔔 Payment succeeded!" in sample.printed()

    session = sample.client.v1.checkout.sessions.retrieve(session_id)
    assert (session.status, session.payment_status) == ("complete", "paid")
    assert session.customer is not None and session.subscription is not None
    customer = sample.client.v1.customers.retrieve(str(session.customer))
    assert customer.email == "jenny.rosen@example.com"
    subscription = sample.client.v1.subscriptions.retrieve(str(session.subscription))
    assert subscription.status == "active"
    assert subscription.items.data[0].price.id == sample.basic_price

    # "Manage Billing" opens the portal for the session's customer; cancel there.
    page.get_by_role("button", name="Manage Billing").click()
    expect(page).to_have_url(re.compile(r"/p/session/"))
    page.locator(f'li[data-subscription="{subscription.id}"] a').click()
    page.get_by_role("link", name="Cancel subscription").click()
    page.get_by_role("button", name="Cancel subscription").click()
    expect(page.get_by_role("status")).to_contain_text("canceled at the end of the billing period")
    sample.wait_for_output("event customer.subscription.updated")

    updated = builders.events(sample.client, "customer.subscription.updated", subscription.id)
    assert updated and updated[0].data.object["cancel_at_period_end"] is True
    previous = updated[0].data.previous_attributes
    assert previous is not None and previous["cancel_at_period_end"] is False
    order = builders.event_types(sample.client, session_id)
    assert order == ["checkout.session.completed"]
