from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import pytest

from console.customers.detail import load_customer_detail
from console.errors import StripeApiError
from console.gateway.client import Gateway
from console.sandbox import Sandbox


async def _richest_customer(gateway: Gateway) -> str:
    """A demo customer with a subscription, an invoice, a payment method and a tax ID."""
    for customer in (await gateway.list_customers(limit=100)).data:
        detail = await load_customer_detail(gateway, customer.id)
        if all((detail.subscriptions, detail.invoices, detail.payment_methods, detail.tax_ids)):
            return customer.id
    raise AssertionError("the demo seed has no customer with all four parts")


@pytest.mark.asyncio
async def test_all_four_parts_of_a_demo_customer(demo_sandbox: Sandbox) -> None:
    async with Gateway(
        demo_sandbox.api_key, base_url=demo_sandbox.url, requests_per_second=1000
    ) as gateway:
        customer_id = await _richest_customer(gateway)
        detail = await load_customer_detail(gateway, customer_id)
    assert detail.customer.id == customer_id
    assert all(s.customer_id == customer_id for s in detail.subscriptions)
    assert all(item.price.id for s in detail.subscriptions for item in s.items)
    assert sum(pm.is_default for pm in detail.payment_methods) <= 1
    assert all("••••" in pm.display or pm.type != "card" for pm in detail.payment_methods)
    assert detail.tax_ids[0].value


@pytest.mark.asyncio
async def test_parts_are_fetched_concurrently(
    demo_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    parts = 5  # customer, subscriptions (+ its customer, later), invoices, methods, tax IDs
    async with Gateway(
        demo_sandbox.api_key, base_url=demo_sandbox.url, requests_per_second=1000
    ) as gateway:
        customer_id = (await gateway.list_customers(limit=1)).data[0].id
        in_flight = 0
        most = 0
        all_started = asyncio.Event()
        send = gateway._send

        async def counting_send(*args: Any, **kwargs: Any) -> Any:
            """Holds each request until every part has started: fetched one after another,
            the first would wait out the timeout alone."""
            nonlocal in_flight, most
            in_flight += 1
            most = max(most, in_flight)
            if in_flight >= parts:
                all_started.set()
            try:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(all_started.wait(), 5)
                return await send(*args, **kwargs)
            finally:
                in_flight -= 1

        monkeypatch.setattr(gateway, "_send", counting_send)
        await load_customer_detail(gateway, customer_id)
    assert most >= parts


@pytest.mark.asyncio
async def test_a_missing_customer_is_one_clear_error(demo_sandbox: Sandbox) -> None:
    async with Gateway(demo_sandbox.api_key, base_url=demo_sandbox.url) as gateway:
        with pytest.raises(StripeApiError) as caught:
            await load_customer_detail(gateway, "cus_doesnotexist")
    assert caught.value.code == "resource_missing"
