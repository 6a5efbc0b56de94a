"""The request budget: Stripe's limits by endpoint, a share for background work, people first."""

from __future__ import annotations

import asyncio
import time

import pytest

from console.gateway.budget import (
    LIVE_MODE_LIMITS,
    TEST_MODE_LIMITS,
    Priority,
    RequestBudget,
    StripeLimits,
    endpoint_of,
)


def test_an_endpoint_is_its_method_and_path_whatever_the_ids() -> None:
    assert endpoint_of("get", "/v1/customers/cus_NffrFeUfNV2Hib") == "GET /v1/customers/{id}"
    assert endpoint_of("GET", "/v1/customers/cus_9s6XKzkNRiz8i3/tax_ids") == (
        "GET /v1/customers/{id}/tax_ids"
    )
    assert endpoint_of("POST", "/v1/billing_portal/configurations/bpc_1Q2w3E") == (
        "POST /v1/billing_portal/configurations/{id}"
    )
    assert endpoint_of("GET", "/v1/customers/search?query=x") == "GET /v1/customers/search"
    assert endpoint_of("GET", "/v1/test_helpers/test_clocks") == "GET /v1/test_helpers/test_clocks"


def test_background_work_gets_its_share_of_the_tighter_limit() -> None:
    budget = RequestBudget(TEST_MODE_LIMITS)  # 25/s for the account and per endpoint
    assert budget.background_rate("GET /v1/customers") == 12.5
    assert budget.background_rate("GET /v1/customers/search") == 10.0  # search: 20/s
    live = RequestBudget(LIVE_MODE_LIMITS, background_share=0.4)
    assert live.background_rate("GET /v1/customers") == 10.0  # the endpoint's 25/s binds


def test_a_429_halves_the_background_pace_and_it_recovers_slowly() -> None:
    budget = RequestBudget(TEST_MODE_LIMITS, recovery_interval=0.05, recovery_step=0.25)
    budget.throttled("GET /v1/customers", "background")
    assert budget.background_rate("GET /v1/customers") == 6.25
    # Several refusals of one burst count once.
    budget.throttled("GET /v1/customers", "background")
    assert budget.background_rate("GET /v1/customers") == 6.25
    assert budget.throttled_count == 2
    time.sleep(0.06)
    budget._recover()
    assert budget.background_factor == 0.75
    time.sleep(0.06)
    budget._recover()
    budget._recover()  # not again before the interval
    assert budget.background_factor == 1.0


@pytest.mark.asyncio
async def test_interactive_requests_go_before_queued_background_work() -> None:
    budget = RequestBudget(StripeLimits(account=20.0, endpoint=20.0), background_share=1.0)
    finished: list[str] = []

    async def request(name: str, priority: Priority) -> None:
        await budget.acquire("GET /v1/customers", priority)
        finished.append(name)

    background = [asyncio.ensure_future(request(f"sync-{n}", "background")) for n in range(40)]
    await asyncio.sleep(0.3)  # the sync has used its burst and queued the rest
    opened = asyncio.ensure_future(request("customer opened", "interactive"))
    await opened
    waiting_behind = sum(not task.done() for task in background)
    for task in background:
        task.cancel()
    await asyncio.gather(*background, return_exceptions=True)
    # The person's request did not wait for the ~20 background requests queued before it.
    assert waiting_behind >= 10, finished


@pytest.mark.asyncio
async def test_background_work_keeps_to_its_share() -> None:
    budget = RequestBudget(StripeLimits(account=40.0, endpoint=40.0), background_share=0.25)
    started = time.monotonic()
    for _ in range(20):  # the burst (10) and 10 more at 10/s
        await budget.acquire("GET /v1/customers", "background")
    took = time.monotonic() - started
    assert took >= 0.9  # 10 requests past the burst at a quarter of 40/s
