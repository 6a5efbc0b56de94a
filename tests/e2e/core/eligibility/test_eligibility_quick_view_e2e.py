"""Eligibility against the sandbox's own portal rules, and quick view in test and live mode."""

from __future__ import annotations

import http.server
import io
import threading
from collections.abc import Iterator

import httpx
import pytest

from console.cli import quick_view as cli
from console.configurations.model import configuration_from_stripe
from console.configurations.transfer import load_catalogue
from console.eligibility.rules import evaluate
from console.errors import LiveModeRefused, StripeApiError
from console.gateway.client import Gateway
from console.gateway.models import Customer, CustomerId, SubscriptionId
from console.portal_session.quick_view import open_portal_as_customer, subscription_update_flow

Verdict = tuple[CustomerId, SubscriptionId, bool, tuple[str, ...], bool, str]


async def verdicts(gateway: Gateway) -> list[Verdict]:
    """(customer, subscription, ours, our reasons, sandbox accepted, its message) for every
    subscription of every demo customer, with a subscription_update deep link."""
    page = await gateway.list_portal_configurations()
    config = configuration_from_stripe(next(r for r in page.data if r.is_default).raw)
    catalogue = await load_catalogue(gateway)
    customers: list[Customer] = []
    cursor: str | None = None
    while True:
        found = await gateway.list_customers(starting_after=cursor)
        customers.extend(found.data)
        cursor = found.next_cursor
        if cursor is None:
            break
    results: list[Verdict] = []
    for customer in customers:
        for sub in await gateway.list_subscriptions(customer.id):
            ours = evaluate(sub, config, catalogue.prices)
            try:
                await open_portal_as_customer(
                    gateway, customer.id, flow=subscription_update_flow(sub.id)
                )
                theirs, why = True, ""
            except StripeApiError as error:
                theirs, why = False, error.message
            results.append((customer.id, sub.id, ours.can_update, ours.reason_codes(), theirs, why))
    assert len(results) >= 30
    return results


@pytest.mark.asyncio
async def test_what_we_call_updatable_the_sandbox_lets_the_customer_update(
    gateway: Gateway,
) -> None:
    found = await verdicts(gateway)
    assert any(v[2] for v in found)
    refused = [v for v in found if v[2] and not v[4]]
    assert refused == [], "\n".join(map(str, refused))


@pytest.mark.asyncio
async def test_what_we_call_not_updatable_the_sandbox_refuses(gateway: Gateway) -> None:
    found = await verdicts(gateway)
    accepted = [v for v in found if not v[2] and v[4]]
    assert accepted == [], "\n".join(map(str, accepted))


@pytest.mark.asyncio
async def test_quick_view_in_test_mode_gives_a_working_url(gateway: Gateway) -> None:
    customer = (await gateway.list_customers(limit=1)).data[0]
    out = io.StringIO()
    assert await cli.quick_view(gateway, customer.id, locale="de", out=out) == 0
    url = out.getvalue().strip()
    async with httpx.AsyncClient() as browser:
        answer = await browser.get(url)
    assert answer.status_code in (200, 302)


class _Recorder(http.server.BaseHTTPRequestHandler):
    seen: list[str] = []

    def _record(self) -> None:
        self.seen.append(f"{self.command} {self.path}")
        self.send_response(500)
        self.end_headers()

    def do_GET(self) -> None:
        self._record()

    def do_POST(self) -> None:
        self._record()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def recording_server() -> Iterator[tuple[str, list[str]]]:
    seen: list[str] = []
    handler = type("Recorder", (_Recorder,), {"seen": seen})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.mark.asyncio
async def test_quick_view_in_live_mode_is_refused_before_any_request(
    recording_server: tuple[str, list[str]],
) -> None:
    url, seen = recording_server
    fake_live_key = "sk_live_" + "0" * 24
    async with Gateway(fake_live_key, base_url=url) as live:
        with pytest.raises(LiveModeRefused):
            await open_portal_as_customer(live, "cus_123", flow=subscription_update_flow("sub_1"))
        err = io.StringIO()
        out = io.StringIO()
        assert await cli.quick_view(live, "cus_123", out=out, err=err) == 1
    assert out.getvalue() == ""
    assert "test mode" in err.getvalue()
    assert fake_live_key not in err.getvalue()
    assert seen == []
