"""Stripe's request conventions, as the official library and a plain HTTP client see them."""

from __future__ import annotations

import asyncio
import base64
import uuid
from typing import Any

import httpx
import pytest
import stripe

from console.sandbox import Sandbox
from tests.conftest import make_client


def _http(sandbox: Sandbox) -> httpx.Client:
    return httpx.Client(
        base_url=sandbox.url, headers={"Authorization": f"Bearer {sandbox.api_key}"}
    )


def test_missing_key_is_401_with_a_hint(sandbox: Sandbox) -> None:
    response = httpx.get(f"{sandbox.url}/v1/customers")
    assert response.status_code == 401
    assert "You did not provide an API key" in response.json()["error"]["message"]


def test_wrong_key_is_authentication_error_and_never_echoed(sandbox: Sandbox) -> None:
    wrong = "sk_test_" + "x" * 30 + "WXYZ"
    client = stripe.StripeClient(wrong, base_addresses={"api": sandbox.url})
    with pytest.raises(stripe.AuthenticationError) as raised:
        client.v1.customers.list()
    assert wrong not in str(raised.value)
    assert "WXYZ" in str(raised.value)


def test_live_key_is_refused_as_test_mode_only(sandbox: Sandbox) -> None:
    live = "sk_live_" + "a" * 30
    client = stripe.StripeClient(live, base_addresses={"api": sandbox.url})
    with pytest.raises(stripe.AuthenticationError) as raised:
        client.v1.customers.list()
    assert raised.value.error is not None
    assert raised.value.error.code == "livemode_mismatch"
    assert "test mode only" in str(raised.value)
    assert live not in str(raised.value)


def test_basic_auth_with_key_as_user_works(sandbox: Sandbox) -> None:
    token = base64.b64encode(f"{sandbox.api_key}:".encode()).decode()
    response = httpx.get(f"{sandbox.url}/v1/customers", headers={"Authorization": f"Basic {token}"})
    assert response.status_code == 200
    assert response.json()["object"] == "list"


def test_every_response_has_a_request_id(sandbox: Sandbox) -> None:
    with _http(sandbox) as http:
        ok = http.get("/v1/customers")
        bad = http.get("/v1/customers/cus_missing")
    assert ok.headers["Request-Id"].startswith("req_")
    assert bad.headers["Request-Id"].startswith("req_")
    assert ok.headers["Request-Id"] != bad.headers["Request-Id"]


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/v1/nothing_here"), ("PUT", "/v1/customers"), ("GET", "/not-api"), ("PATCH", "/v1")],
)
def test_unknown_route_or_method_is_json_404(sandbox: Sandbox, method: str, path: str) -> None:
    with _http(sandbox) as http:
        response = http.request(method, path)
    assert response.status_code == 404
    body = response.json()
    assert body["error"]["type"] == "invalid_request_error"
    assert "Unrecognized request URL" in body["error"]["message"]


def test_unknown_route_through_the_library_is_invalid_request(client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.raw_request("get", "/v1/definitely_not_a_resource")
    assert raised.value.http_status == 404


def test_unindexed_array_form_and_nested_keys_parse(sandbox: Sandbox) -> None:
    with _http(sandbox) as http:
        created = http.post(
            "/v1/customers",
            content=b"name=Nested&address[city]=Paris&address[country]=FR&preferred_locales[]=fr"
            b"&preferred_locales[]=fr-CA&metadata[a]=1",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        ).json()
        fetched = http.get(
            f"/v1/customers/{created['id']}", params=[("expand[]", "tax_ids")]
        ).json()
    assert created["address"]["city"] == "Paris"
    assert created["preferred_locales"] == ["fr", "fr-CA"]
    assert fetched["tax_ids"]["object"] == "list"


def test_wrongly_typed_values_name_their_param(sandbox: Sandbox) -> None:
    with _http(sandbox) as http:
        limit = http.get("/v1/customers", params={"limit": "many"}).json()["error"]
        balance = http.post("/v1/customers", data={"balance": "1.5"}).json()["error"]
        nested = http.post("/v1/customers", data={"address": "Paris"}).json()["error"]
        range_ = http.get("/v1/customers", params={"limit": "101"}).json()["error"]
        mixed = http.post(
            "/v1/customers",
            content=b"address=x&address[city]=y",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        ).json()
    assert (limit["param"], limit["code"]) == ("limit", "parameter_invalid_integer")
    assert (balance["param"], balance["code"]) == ("balance", "parameter_invalid_integer")
    assert nested["param"] == "address"
    assert range_["param"] == "limit"
    assert mixed["error"]["param"] == "address[city]"


def test_unknown_nested_parameter_is_named_in_brackets(client: stripe.StripeClient) -> None:
    unknown: Any = {"address": {"town": "Oslo"}}  # not a CustomerCreateParams: that is the point
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.customers.create(params=unknown)
    assert raised.value.code == "parameter_unknown"
    assert raised.value.param == "address[town]"


def test_expand_deeper_than_four_levels_is_refused(client: stripe.StripeClient) -> None:
    customer = client.v1.customers.create()
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.customers.retrieve(customer.id, params={"expand": ["a.b.c.d.e"]})
    assert raised.value.param == "expand"
    assert "4 levels" in str(raised.value)


def test_idempotent_replay_returns_the_first_result(sandbox: Sandbox) -> None:
    key = str(uuid.uuid4())
    with _http(sandbox) as http:
        first = http.post("/v1/customers", data={"name": "Once"}, headers={"Idempotency-Key": key})
        second = http.post("/v1/customers", data={"name": "Once"}, headers={"Idempotency-Key": key})
        listed = http.get("/v1/customers", params={"limit": 100}).json()["data"]
    assert first.json()["id"] == second.json()["id"]
    assert second.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert sum(1 for c in listed if c["id"] == first.json()["id"]) == 1


def test_idempotency_key_reused_with_other_params_is_refused(client: stripe.StripeClient) -> None:
    key = str(uuid.uuid4())
    client.v1.customers.create(params={"name": "First"}, options={"idempotency_key": key})
    with pytest.raises(stripe.IdempotencyError):
        client.v1.customers.create(params={"name": "Second"}, options={"idempotency_key": key})


def test_idempotent_error_is_replayed_too(sandbox: Sandbox) -> None:
    key = str(uuid.uuid4())
    with _http(sandbox) as http:
        first = http.post(
            "/v1/customers/cus_nobody", data={"name": "x"}, headers={"Idempotency-Key": key}
        )
        second = http.post(
            "/v1/customers/cus_nobody", data={"name": "x"}, headers={"Idempotency-Key": key}
        )
    assert first.status_code == second.status_code == 404
    assert second.headers["Idempotent-Replayed"] == "true"


def test_stripe_account_scopes_data_to_the_connected_account(client: stripe.StripeClient) -> None:
    connected = client.v1.accounts.create(params={"type": "express", "country": "DE"})
    on_connected = client.v1.customers.create(
        params={"name": "Connected customer"}, options={"stripe_account": connected.id}
    )
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.customers.retrieve(on_connected.id)
    again = client.v1.customers.retrieve(on_connected.id, options={"stripe_account": connected.id})
    assert again.name == "Connected customer"
    listed = client.v1.accounts.list(params={"limit": 100})
    assert connected.id in [a.id for a in listed.data]


def test_unknown_stripe_account_is_permission_error(client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.PermissionError):
        client.v1.customers.list(options={"stripe_account": "acct_unknown123"})


def test_account_retrieve_shows_the_platform(client: stripe.StripeClient) -> None:
    account = client.v1.accounts.retrieve_current()
    assert account.id.startswith("acct_")
    assert account.settings is not None and account.settings.branding is not None


def test_async_client_works_on_the_same_sandbox(sandbox: Sandbox) -> None:
    async def run() -> str:
        http = stripe.HTTPXClient()
        client = make_client(sandbox, http_client=http)
        customer = await client.v1.customers.create_async(params={"name": "Async"})
        fetched = await client.v1.customers.retrieve_async(customer.id)
        await http.close_async()  # type: ignore[no-untyped-call]  # untyped in stripe
        return str(fetched.name)

    assert asyncio.run(run()) == "Async"
