from __future__ import annotations

import asyncio
import socket
import time

import pytest

from console.errors import NetworkError, StripeApiError
from console.gateway.client import Gateway
from console.gateway.models import Customer, Subscription, event_from_json
from console.gateway.pacing import RetryPolicy
from console.sandbox import Sandbox
from tests.e2e.core.conftest import Scripted

FAST = RetryPolicy(max_retries=3, base_delay=0.01, max_delay=0.05)
CUSTOMER = {"id": "cus_1", "object": "customer", "created": 1, "livemode": False}
RATE_LIMITED = (
    429,
    {"Retry-After": "0.2"},
    {"error": {"type": "rate_limit_error", "message": "Too many requests"}},
)
SERVER_ERROR: tuple[int, dict[str, str], dict[str, object]] = (
    500,
    {},
    {"error": {"type": "api_error", "message": "Something broke"}},
)
CONFIG = {
    "id": "bpc_1",
    "object": "billing_portal.configuration",
    "active": True,
    "is_default": False,
    "name": "x",
    "created": 1,
    "livemode": False,
}


@pytest.mark.asyncio
async def test_calls_return_models(demo_sandbox: Sandbox) -> None:
    async with Gateway(demo_sandbox.api_key, base_url=demo_sandbox.url) as gateway:
        account = await gateway.retrieve_account()
        page = await gateway.list_customers(limit=10)
        assert account.id.startswith("acct_") and account.name
        assert len(page.data) == 10 and page.has_more
        assert all(isinstance(c, Customer) for c in page.data)
        following = await gateway.list_customers(limit=10, starting_after=page.next_cursor)
        assert not {c.id for c in following.data} & {c.id for c in page.data}
        subscribed = [s for c in page.data for s in await gateway.list_subscriptions(c.id)]
        assert subscribed and all(isinstance(s, Subscription) for s in subscribed)
        assert all(item.price.product_name for s in subscribed for item in s.items)
        connected = await gateway.list_connected_accounts()
        assert {a.name for a in connected.data} >= {"Bergwerk Studio"}
        configurations = await gateway.list_portal_configurations()
        assert any(c.is_default for c in configurations.data)
        prices = await gateway.list_prices(limit=5)
        assert prices.data and all(p.product_name for p in prices.data)
        everyone = await gateway.list_customers(limit=100)
        assert await gateway.estimate_customer_count() == len(everyone.data)


@pytest.mark.asyncio
async def test_connected_account_scopes_requests(demo_sandbox: Sandbox) -> None:
    async with Gateway(demo_sandbox.api_key, base_url=demo_sandbox.url) as platform:
        connected = (await platform.list_connected_accounts()).data[0]
        on_behalf = platform.for_connected_account(connected.id)
        assert (await on_behalf.retrieve_account()).id == connected.id
        assert (await platform.retrieve_account()).id != connected.id


@pytest.mark.asyncio
async def test_missing_customer_maps_with_code_param_and_request_id(sandbox: Sandbox) -> None:
    async with Gateway(sandbox.api_key, base_url=sandbox.url) as gateway:
        with pytest.raises(StripeApiError) as caught:
            await gateway.retrieve_customer("cus_doesnotexist")
    error = caught.value
    assert (error.type, error.code, error.http_status) == (
        "invalid_request_error",
        "resource_missing",
        404,
    )
    assert error.param == "id"
    assert error.request_id and error.request_id.startswith("req_")


@pytest.mark.asyncio
async def test_unknown_parameter_maps(sandbox: Sandbox) -> None:
    async with Gateway(sandbox.api_key, base_url=sandbox.url) as gateway:
        with pytest.raises(StripeApiError) as caught:
            await gateway.create_portal_configuration({"no_such_field": "x"})
    assert (caught.value.code, caught.value.param, caught.value.http_status) == (
        "parameter_unknown",
        "no_such_field",
        400,
    )


@pytest.mark.asyncio
async def test_bad_key_maps_and_the_key_is_not_in_the_error(sandbox: Sandbox) -> None:
    bad = "sk_test_NotTheRightKeyAtAll1234"
    async with Gateway(bad, base_url=sandbox.url) as gateway:
        with pytest.raises(StripeApiError) as caught:
            await gateway.retrieve_account()
    assert caught.value.http_status == 401
    assert caught.value.type in {"invalid_request_error", "authentication_error"}
    assert bad not in str(caught.value) and bad not in repr(caught.value)


@pytest.mark.asyncio
async def test_card_error_maps(sandbox: Sandbox) -> None:
    async with Gateway(sandbox.api_key, base_url=sandbox.url) as gateway:
        made = await gateway._send(
            lambda o: gateway._stripe.v1.customers.create_async(params={}, options=o),
            endpoint="POST /v1/customers",
            post=True,
        )
        customer_id = made.id
        with pytest.raises(StripeApiError) as caught:
            await gateway._send(
                lambda o: gateway._stripe.v1.payment_methods.attach_async(
                    "pm_card_chargeDeclined", params={"customer": customer_id}, options=o
                ),
                endpoint="POST /v1/payment_methods/{id}/attach",
                post=True,
            )
    assert (caught.value.type, caught.value.http_status) == ("card_error", 402)
    assert caught.value.code == "card_declined" and caught.value.request_id


@pytest.mark.asyncio
async def test_429_is_retried_after_retry_after(scripted: Scripted) -> None:
    scripted.answers = [RATE_LIMITED, (200, {}, CUSTOMER)]
    async with Gateway("sk_test_scripted12345", base_url=scripted.url, retry=FAST) as gateway:
        started = time.monotonic()
        customer = await gateway.retrieve_customer("cus_1")
    assert customer.id == "cus_1"
    assert len(scripted.requests) == 2
    assert time.monotonic() - started >= 0.2  # Retry-After wins over the tiny backoff


@pytest.mark.asyncio
async def test_post_retries_reuse_one_idempotency_key(scripted: Scripted) -> None:
    scripted.answers = [SERVER_ERROR, "drop", (200, {}, CONFIG)]
    async with Gateway("sk_test_scripted12345", base_url=scripted.url, retry=FAST) as gateway:
        made = await gateway.create_portal_configuration({"business_profile": {"headline": "x"}})
        again = await gateway.create_portal_configuration({"business_profile": {"headline": "y"}})
    assert made.id == again.id == "bpc_1"
    keys = [headers.get("Idempotency-Key") for _, _, headers in scripted.requests]
    assert len(keys) == 4
    assert keys[0] and keys[0] == keys[1] == keys[2]  # one change, tried three times
    assert keys[3] and keys[3] != keys[0]  # a new change, a new key


@pytest.mark.asyncio
async def test_gets_carry_no_idempotency_key(scripted: Scripted) -> None:
    scripted.answers = [(200, {}, CUSTOMER)]
    async with Gateway("sk_test_scripted12345", base_url=scripted.url, retry=FAST) as gateway:
        await gateway.retrieve_customer("cus_1")
    assert "Idempotency-Key" not in scripted.requests[0][2]


@pytest.mark.asyncio
async def test_after_the_retry_budget_a_clear_error(scripted: Scripted) -> None:
    scripted.answers = [SERVER_ERROR]
    async with Gateway("sk_test_scripted12345", base_url=scripted.url, retry=FAST) as gateway:
        with pytest.raises(StripeApiError) as caught:
            await gateway.retrieve_customer("cus_1")
    assert len(scripted.requests) == 4  # 1 + 3 retries
    assert "gave up after 4 attempts" in str(caught.value)
    assert caught.value.http_status == 500


@pytest.mark.asyncio
async def test_dropped_connections_end_in_network_error(scripted: Scripted) -> None:
    scripted.answers = ["drop"]
    async with Gateway("sk_test_scripted12345", base_url=scripted.url, retry=FAST) as gateway:
        with pytest.raises(NetworkError) as caught:
            await gateway.retrieve_customer("cus_1")
    assert len(scripted.requests) == 4
    assert "try again" in str(caught.value)


@pytest.mark.asyncio
async def test_nothing_listening_is_a_network_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with Gateway(
        "sk_test_scripted12345", base_url=f"http://127.0.0.1:{port}", retry=FAST
    ) as gateway:
        with pytest.raises(NetworkError):
            await gateway.retrieve_account()


@pytest.mark.asyncio
async def test_a_400_is_not_retried(scripted: Scripted) -> None:
    scripted.answers = [
        (
            400,
            {},
            {
                "error": {
                    "type": "invalid_request_error",
                    "code": "parameter_missing",
                    "param": "x",
                    "message": "Missing x",
                }
            },
        )
    ]
    async with Gateway("sk_test_scripted12345", base_url=scripted.url, retry=FAST) as gateway:
        with pytest.raises(StripeApiError):
            await gateway.retrieve_customer("cus_1")
    assert len(scripted.requests) == 1


@pytest.mark.asyncio
async def test_cancellation_mid_request(scripted: Scripted) -> None:
    scripted.answers = [(200, {}, CUSTOMER)]
    scripted.delay = 5.0
    async with Gateway("sk_test_scripted12345", base_url=scripted.url, retry=FAST) as gateway:
        task = asyncio.create_task(gateway.retrieve_customer("cus_1"))
        while not scripted.requests:
            await asyncio.sleep(0.01)
        started = time.monotonic()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert time.monotonic() - started < 1.0
        scripted.delay = 0.0
        assert (await gateway.retrieve_customer("cus_1")).id == "cus_1"  # still usable


@pytest.mark.asyncio
async def test_client_side_rate_limit_holds(scripted: Scripted) -> None:
    scripted.answers = [(200, {}, CUSTOMER)]
    async with Gateway(
        "sk_test_scripted12345", base_url=scripted.url, requests_per_second=20
    ) as gateway:
        started = time.monotonic()
        await asyncio.gather(*(gateway.retrieve_customer("cus_1") for _ in range(30)))
        elapsed = time.monotonic() - started
    assert elapsed >= 0.45  # a burst of 20, then 10 more at 20/s
    assert len(scripted.requests) == 30


# list_customers and list_events read the raw answer (not stripe's StripeObjects, which cost
# the event loop ~15 ms a page): the same values, the same request, the same errors and retries.


@pytest.mark.asyncio
async def test_listed_customers_equal_the_retrieved_ones(demo_sandbox: Sandbox) -> None:
    async with Gateway(demo_sandbox.api_key, base_url=demo_sandbox.url) as gateway:
        page = await gateway.list_customers(limit=100)
        assert len(page.data) > 10
        for listed in page.data:
            assert listed == await gateway.retrieve_customer(listed.id)
        someone = next(c for c in page.data if c.email)
        by_email = await gateway.list_customers(email=someone.email)
    assert someone in by_email.data
    assert all(c.email == someone.email for c in by_email.data)


@pytest.mark.asyncio
async def test_customer_list_request_retries_and_errors_as_before(scripted: Scripted) -> None:
    listed = {"object": "list", "url": "/v1/customers", "has_more": True, "data": [CUSTOMER]}
    scripted.answers = [RATE_LIMITED, (200, {}, listed)]
    async with Gateway("sk_test_scripted12345", base_url=scripted.url, retry=FAST) as gateway:
        on_behalf = gateway.for_connected_account("acct_connected1")
        page = await on_behalf.list_customers(limit=5, starting_after="cus_0", email="a@b.example")
        assert page.data[0].id == "cus_1" and page.has_more and page.next_cursor == "cus_1"
        assert len(scripted.requests) == 2  # the 429 was retried
        method, path, headers = scripted.requests[-1]
        assert method == "GET" and path.startswith("/v1/customers?")
        assert {"limit=5", "starting_after=cus_0", "email=a%40b.example"} <= set(
            path.split("?", 1)[1].split("&")
        )
        assert headers.get("Stripe-Account") == "acct_connected1"
        assert "Idempotency-Key" not in headers
        scripted.answers = [
            (
                400,
                {},
                {
                    "error": {
                        "type": "invalid_request_error",
                        "code": "parameter_invalid_integer",
                        "param": "limit",
                        "message": "Invalid integer: 1000",
                    }
                },
            )
        ]
        scripted.requests.clear()
        with pytest.raises(StripeApiError) as caught:
            await gateway.list_customers(limit=1000)
    assert len(scripted.requests) == 1  # a 400 is final
    error = caught.value
    assert (error.type, error.code, error.param, error.http_status) == (
        "invalid_request_error",
        "parameter_invalid_integer",
        "limit",
        400,
    )
    assert error.request_id and error.request_id.startswith("req_")
    assert "Invalid integer" in str(error)


@pytest.mark.asyncio
async def test_listed_events_equal_what_stripes_typed_list_gives(demo_sandbox: Sandbox) -> None:
    types = ["customer.created", "customer.updated"]
    async with Gateway(demo_sandbox.api_key, base_url=demo_sandbox.url) as gateway:
        page = await gateway.list_events(types=types, created_gte=1, limit=20)
        typed = await gateway._stripe.v1.events.list_async(
            params={"types": types, "created": {"gte": 1}, "limit": 20}
        )
    assert page.data and {e.type for e in page.data} <= set(types)
    assert page.data == tuple(event_from_json(e.to_dict()) for e in typed.data)
    assert page.has_more == typed.has_more
