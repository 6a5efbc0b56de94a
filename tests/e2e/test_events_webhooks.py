"""The events API and webhook deliveries to a real local receiver, through the stripe library."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import stripe

from console.sandbox import Sandbox

JSON = dict[str, Any]
DEADLINE = 5.0


class Receiver:
    """An HTTP server on a free loopback port that records every POST it gets."""

    def __init__(self, fail_first: int = 0) -> None:
        self.requests: list[tuple[dict[str, str], str]] = []
        self.fail_first = fail_first
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with receiver._lock:
                    receiver.requests.append((dict(self.headers.items()), body.decode()))
                    failing = receiver.fail_first > 0
                    if failing:
                        receiver.fail_first -= 1
                self.send_response(500 if failing else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}/hooks"

    def received(self) -> list[tuple[dict[str, str], str]]:
        with self._lock:
            return list(self.requests)

    def wait_for(self, count: int, timeout: float = DEADLINE) -> list[tuple[dict[str, str], str]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            got = self.received()
            if len(got) >= count:
                return got
            time.sleep(0.02)
        raise AssertionError(f"expected {count} deliveries, got {len(self.received())}")

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


@pytest.fixture
def receivers() -> Iterator[Callable[..., Receiver]]:
    made: list[Receiver] = []

    def make(fail_first: int = 0) -> Receiver:
        receiver = Receiver(fail_first)
        made.append(receiver)
        return receiver

    yield make
    for receiver in made:
        receiver.close()


def _endpoint(client: stripe.StripeClient, url: str, events: list[str], **extra: Any) -> Any:
    params: Any = {"url": url, "enabled_events": events, **extra}
    return client.v1.webhook_endpoints.create(params=params)


def _events(client: stripe.StripeClient, **params: Any) -> list[str]:
    sent: Any = {"limit": 100, **params}
    return [e.id for e in client.v1.events.list(params=sent).data]


def _object_ids(client: stripe.StripeClient, **params: Any) -> list[str]:
    sent: Any = {"limit": 100, **params}
    return [e.data.object["id"] for e in client.v1.events.list(params=sent).data]


def _customers_delivered(receiver: Receiver) -> list[str]:
    return [
        json.loads(payload)["data"]["object"]["id"] for _headers, payload in receiver.received()
    ]


def _delivered_through_a_marker(
    client: stripe.StripeClient, receiver: Receiver, options: stripe.RequestOptions | None = None
) -> str:
    """Creates a customer (the marker) and waits until the receiver has its customer.created.

    The sandbox sends deliveries one at a time, in the order they were queued, to every endpoint:
    once the marker's has arrived, every delivery queued before it, to any endpoint, has been made.
    What receivers hold then is all they get from before it, proven instead of slept on."""
    marker = client.v1.customers.create(params={"name": "Marker"}, options=options or {}).id
    _wait_until(lambda: marker in _customers_delivered(receiver))
    return marker


def _wait_until(check: Callable[[], bool], timeout: float = DEADLINE) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise AssertionError("condition not met before the deadline")


# -- events API ---------------------------------------------------------------------------------


def test_events_filter_by_type_wildcard_and_types(fresh_client: stripe.StripeClient) -> None:
    created = [fresh_client.v1.customers.create(params={"name": f"c{i}"}).id for i in range(12)]
    for customer in created[:3]:
        fresh_client.v1.customers.update(customer, params={"phone": "+1 555 0100"})
    product = fresh_client.v1.products.create(params={"name": "Thing"}).id

    assert _object_ids(fresh_client, type="customer.created") == created[::-1]
    updated = _object_ids(fresh_client, type="customer.updated")
    assert updated == created[:3][::-1]
    everything_customer = fresh_client.v1.events.list(params={"type": "customer.*", "limit": 100})
    assert len(everything_customer.data) == 15
    assert {e.type for e in everything_customer.data} == {"customer.created", "customer.updated"}
    assert _object_ids(fresh_client, type="*.created")[0] == product
    mixed = fresh_client.v1.events.list(
        params={"types": ["customer.updated", "product.created"], "limit": 100}
    )
    assert mixed.data[0].type == "product.created"
    assert sorted(e.type for e in mixed.data) == ["customer.updated"] * 3 + ["product.created"]
    assert _events(fresh_client, type="invoice.paid") == []

    with pytest.raises(stripe.InvalidRequestError) as both:
        fresh_client.v1.events.list(params={"type": "customer.created", "types": ["a.b"]})
    assert both.value.code == "parameters_exclusive"
    with pytest.raises(stripe.InvalidRequestError) as too_many:
        fresh_client.v1.events.list(params={"types": [f"customer.t{i}" for i in range(21)]})
    assert too_many.value.param == "types"


def test_events_page_and_filter_by_created(
    fresh_client: stripe.StripeClient, fresh_sandbox: Sandbox
) -> None:
    for i in range(7):
        fresh_client.v1.customers.create(params={"name": f"early {i}"})
    newest_first = _events(fresh_client)
    assert len(newest_first) == 7
    first_page = fresh_client.v1.events.list(params={"limit": 3})
    assert [e.id for e in first_page.data] == newest_first[:3]
    assert first_page.has_more is True
    assert [e.id for e in first_page.auto_paging_iter()] == newest_first
    back = fresh_client.v1.events.list(params={"ending_before": newest_first[4], "limit": 2})
    assert [e.id for e in back.data] == newest_first[2:4]

    before = fresh_client.v1.events.retrieve(newest_first[0]).created
    fresh_sandbox.api.call("PostSandboxClockAdvance", {"seconds": 100})
    late = fresh_client.v1.customers.create(params={"name": "late"}).id
    assert _object_ids(fresh_client, created={"gt": before}) == [late]
    assert len(_events(fresh_client, created={"lte": before})) == 7
    assert _object_ids(fresh_client, created=before + 100) == [late]

    event = fresh_client.v1.events.retrieve(newest_first[0])
    assert event.object == "event" and event.type == "customer.created"
    assert event.api_version == "2026-10-28.endive"
    assert event.request is not None and event.request.id is not None
    with pytest.raises(stripe.InvalidRequestError) as missing:
        fresh_client.v1.events.retrieve("evt_missing")
    assert missing.value.http_status == 404
    assert (missing.value.code, missing.value.param) == ("resource_missing", "id")


def test_connected_account_sees_its_own_events(client: stripe.StripeClient) -> None:
    account = client.v1.accounts.create(params={"type": "express", "country": "US"})
    scoped: stripe.RequestOptions = {"stripe_account": account.id}
    theirs = client.v1.customers.create(params={"name": "theirs"}, options=scoped)
    listed = client.v1.events.list(params={"type": "customer.created"}, options=scoped)
    assert [e.data.object["id"] for e in listed.data] == [theirs.id]
    assert listed.data[0].account == account.id
    assert theirs.id not in _object_ids(client, type="customer.created")


# -- webhook endpoints ----------------------------------------------------------------------------


def test_webhook_endpoint_lifecycle(fresh_client: stripe.StripeClient) -> None:
    endpoints = fresh_client.v1.webhook_endpoints
    created = _endpoint(
        fresh_client,
        "https://hooks.example/stripe",
        ["customer.created", "customer.updated"],
        description="Billing sync",
        metadata={"owner": "ops"},
        api_version="2026-10-28.endive",
    )
    assert created.id.startswith("we_")
    assert created.secret.startswith("whsec_") and len(created.secret) > 20
    assert created.status == "enabled"
    assert created.enabled_events == ["customer.created", "customer.updated"]
    assert created.description == "Billing sync"
    assert created.api_version == "2026-10-28.endive"
    assert created.application is None and created.livemode is False
    fetched = endpoints.retrieve(created.id)
    assert "secret" not in fetched.to_dict()
    assert fetched.url == "https://hooks.example/stripe"

    updated = endpoints.update(
        created.id,
        params={
            "url": "http://127.0.0.1:9/other",
            "enabled_events": ["*"],
            "disabled": True,
            "metadata": {"owner": "", "team": "billing"},
        },
    )
    assert updated.status == "disabled"
    assert updated.enabled_events == ["*"]
    assert updated.url == "http://127.0.0.1:9/other"
    assert updated.metadata.to_dict() == {"team": "billing"}
    assert updated.description == "Billing sync"
    assert "secret" not in updated.to_dict()
    assert endpoints.update(created.id, params={"disabled": False}).status == "enabled"

    other = _endpoint(fresh_client, "https://hooks.example/two", ["*"], connect=True)
    assert [e.id for e in endpoints.list().data] == [other.id, created.id]

    deleted = endpoints.delete(created.id)
    assert deleted.to_dict() == {"id": created.id, "object": "webhook_endpoint", "deleted": True}
    with pytest.raises(stripe.InvalidRequestError) as gone:
        endpoints.retrieve(created.id)
    assert gone.value.http_status == 404
    assert [e.id for e in endpoints.list().data] == [other.id]


@pytest.mark.parametrize(
    ("url", "events", "code", "param"),
    [
        pytest.param("ftp://hooks.example/x", ["*"], "url_invalid", "url", id="ftp scheme"),
        pytest.param("hooks.example/x", ["*"], "url_invalid", "url", id="no scheme"),
        pytest.param("https://", ["*"], "url_invalid", "url", id="no host"),
        pytest.param(
            "https://hooks.example/x",
            ["customer.created", "customer.exploded"],
            None,
            "enabled_events[1]",
            id="unknown event type",
        ),
    ],
)
def test_invalid_webhook_endpoint_is_refused(
    fresh_client: stripe.StripeClient, url: str, events: list[str], code: str | None, param: str
) -> None:
    with pytest.raises(stripe.InvalidRequestError) as raised:
        _endpoint(fresh_client, url, events)
    assert raised.value.param == param
    if code is not None:
        assert raised.value.code == code
    assert fresh_client.v1.webhook_endpoints.list().data == []


# -- deliveries ---------------------------------------------------------------------------------


def test_deliveries_are_signed_and_only_for_enabled_types(
    fresh_client: stripe.StripeClient, receivers: Callable[..., Receiver]
) -> None:
    receiver = receivers()
    endpoint = _endpoint(fresh_client, receiver.url, ["customer.created"])
    first = fresh_client.v1.customers.create(params={"email": "hook@example.com"})
    fresh_client.v1.customers.update(first.id, params={"name": "Not delivered"})
    second = fresh_client.v1.customers.create(params={"name": "Second"})
    got = receiver.wait_for(2)
    marker = _delivered_through_a_marker(fresh_client, receiver)
    assert _customers_delivered(receiver) == [first.id, second.id, marker]  # no customer.updated

    delivered: list[Any] = []
    for headers, payload in got:
        assert headers["Content-Type"].startswith("application/json")
        signature = headers["Stripe-Signature"]
        assert signature.startswith("t=") and ",v1=" in signature
        event = stripe.Webhook.construct_event(payload, signature, endpoint.secret)
        delivered.append(event)
    assert {e.type for e in delivered} == {"customer.created"}
    assert sorted(e.data.object["id"] for e in delivered) == sorted([first.id, second.id])
    stored = fresh_client.v1.events.retrieve(delivered[0].id)
    assert stored.data.object["id"] == delivered[0].data.object["id"]

    headers, payload = got[0]
    signature = headers["Stripe-Signature"]
    tampered = payload.replace("hook@example.com", "evil@example.com")
    assert tampered != payload
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(tampered, signature, endpoint.secret)
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(payload, signature, "whsec_not_the_secret")
    signed_at = int(signature.split(",")[0][2:])
    while time.time() < signed_at + 2.5:
        time.sleep(0.1)
    with pytest.raises(stripe.SignatureVerificationError, match="tolerance"):
        stripe.Webhook.construct_event(payload, signature, endpoint.secret, tolerance=1)


def test_failed_delivery_is_retried_until_it_succeeds(
    fresh_client: stripe.StripeClient, receivers: Callable[..., Receiver]
) -> None:
    receiver = receivers(fail_first=3)
    endpoint = _endpoint(fresh_client, receiver.url, ["customer.created"])
    customer = fresh_client.v1.customers.create(params={"name": "Retry me"})
    receiver.wait_for(1)
    # Retries come after 0.2, 0.4 and 0.8 s, so the event is still undelivered here.
    pending = fresh_client.v1.events.list(params={"delivery_success": False})
    assert [e.data.object["id"] for e in pending.data] == [customer.id]
    assert pending.data[0].pending_webhooks == 1

    got = receiver.wait_for(4)
    ids = {json.loads(payload)["id"] for _headers, payload in got}
    assert len(ids) == 1
    for headers, payload in got:
        stripe.Webhook.construct_event(payload, headers["Stripe-Signature"], endpoint.secret)
    event_id = ids.pop()
    _wait_until(lambda: fresh_client.v1.events.retrieve(event_id).pending_webhooks == 0)
    assert _events(fresh_client, delivery_success=False) == []
    assert event_id in _events(fresh_client, delivery_success=True)
    marker = _delivered_through_a_marker(fresh_client, receiver)
    assert _customers_delivered(receiver) == [customer.id] * 4 + [marker]  # none after success


def test_connect_endpoints_get_only_connected_account_events(
    fresh_client: stripe.StripeClient, receivers: Callable[..., Receiver]
) -> None:
    platform_receiver = receivers()
    connect_receiver = receivers()
    _endpoint(fresh_client, platform_receiver.url, ["customer.created"])
    connect = _endpoint(fresh_client, connect_receiver.url, ["customer.created"], connect=True)
    account = fresh_client.v1.accounts.create(params={"type": "express", "country": "US"})
    scoped: stripe.RequestOptions = {"stripe_account": account.id}
    ours = fresh_client.v1.customers.create(params={"name": "Platform customer"})
    theirs = fresh_client.v1.customers.create(params={"name": "Connected"}, options=scoped)

    (_platform_headers, platform_payload), *_ = platform_receiver.wait_for(1)
    (connect_headers, connect_payload), *_ = connect_receiver.wait_for(1)
    platform_marker = _delivered_through_a_marker(fresh_client, platform_receiver)
    connect_marker = _delivered_through_a_marker(fresh_client, connect_receiver, scoped)
    assert _customers_delivered(platform_receiver) == [ours.id, platform_marker]
    assert _customers_delivered(connect_receiver) == [theirs.id, connect_marker]
    platform_event = json.loads(platform_payload)
    assert platform_event["data"]["object"]["id"] == ours.id
    assert platform_event.get("account") is None
    connect_event = stripe.Webhook.construct_event(
        connect_payload, connect_headers["Stripe-Signature"], connect.secret
    )
    assert connect_event.data.object["id"] == theirs.id
    assert connect_event.account == account.id


def test_disabled_and_deleted_endpoints_get_nothing(
    fresh_client: stripe.StripeClient, receivers: Callable[..., Receiver]
) -> None:
    control = receivers()
    disabled = receivers()
    deleted = receivers()
    _endpoint(fresh_client, control.url, ["*"])
    off = _endpoint(fresh_client, disabled.url, ["*"])
    fresh_client.v1.webhook_endpoints.update(off.id, params={"disabled": True})
    doomed = _endpoint(fresh_client, deleted.url, ["*"])
    fresh_client.v1.webhook_endpoints.delete(doomed.id)

    customer = fresh_client.v1.customers.create(params={"name": "Quiet"})
    (_headers, payload), *_ = control.wait_for(1)
    assert json.loads(payload)["data"]["object"]["id"] == customer.id
    event = fresh_client.v1.events.list(params={"type": "customer.created"}).data[0]
    assert event.data.object["id"] == customer.id
    _wait_until(lambda: fresh_client.v1.events.retrieve(event.id).pending_webhooks == 0)
    _delivered_through_a_marker(fresh_client, control)
    assert disabled.received() == [] and deleted.received() == []
