"""Faults between the console's core and Stripe, with the real sandbox behind a fault proxy.

The gateway must end every fault in a clear error within bounded time and a bounded number of
attempts, keep the user's edits, and never apply a change twice: every POST carries an
Idempotency-Key and every retry of it the same one.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator

import pytest

from console.configurations.model import BusinessProfile, PortalConfiguration
from console.configurations.transfer import load_catalogue, save
from console.errors import NetworkError, StripeApiError
from console.gateway.client import Gateway
from console.gateway.pacing import RetryPolicy
from console.sandbox import Sandbox
from tests.conftest import make_client
from tests.reliability import fault_proxy as fp

RETRIES = 3
FAST = RetryPolicy(max_retries=RETRIES, base_delay=0.02, max_delay=0.1)
TALLY: Counter[str] = Counter()


@pytest.fixture
def proxy(fresh_sandbox: Sandbox) -> Iterator[fp.FaultProxy]:
    made = fp.FaultProxy(fresh_sandbox.url)
    yield made
    TALLY.update(s.fault for s in made.seen if s.fault != fp.PASS)
    made.close()


def gateway(sandbox: Sandbox, proxy: fp.FaultProxy, timeout: float = 5.0) -> Gateway:
    return Gateway(
        sandbox.api_key, base_url=proxy.url, retry=FAST, timeout=timeout, requests_per_second=500
    )


def edited_configuration() -> PortalConfiguration:
    return PortalConfiguration(
        name="Support edits",
        business_profile=BusinessProfile(headline="Manage your plan"),
        default_return_url="https://example.com/account",
    )


def configuration_count(sandbox: Sandbox) -> int:
    listed = make_client(sandbox).v1.billing_portal.configurations.list(params={"limit": 100})
    return len(listed.data)


def assert_posts_keyed(proxy: fp.FaultProxy) -> None:
    """Nothing was sent twice without a key: every POST carries one."""
    posts = [s for s in proxy.seen if s.method == "POST"]
    assert posts and all(s.idempotency_key for s in posts)


@pytest.mark.asyncio
async def test_answer_lost_after_the_change_is_retried_once_applied(
    fresh_sandbox: Sandbox, proxy: fp.FaultProxy
) -> None:
    before = configuration_count(fresh_sandbox)
    async with gateway(fresh_sandbox, proxy) as gw:
        catalogue = await load_catalogue(gw)
        proxy.plan = [fp.CUT_AFTER, fp.CUT_AFTER]
        result = await save(gw, None, edited_configuration(), catalogue)
    assert result.ok and result.saved is not None
    posts = [s for s in proxy.seen if s.method == "POST"]
    assert len(posts) == 3 and len({s.idempotency_key for s in posts}) == 1
    assert proxy.applied >= 3  # the sandbox saw it three times ...
    assert configuration_count(fresh_sandbox) == before + 1  # ... and made it once
    assert_posts_keyed(proxy)


@pytest.mark.asyncio
async def test_500s_then_success_makes_one_object(
    fresh_sandbox: Sandbox, proxy: fp.FaultProxy
) -> None:
    before = configuration_count(fresh_sandbox)
    async with gateway(fresh_sandbox, proxy) as gw:
        catalogue = await load_catalogue(gw)
        proxy.plan = [fp.SERVER_ERROR, fp.CUT_BEFORE, fp.SERVER_ERROR]
        result = await save(gw, None, edited_configuration(), catalogue)
    assert result.ok
    assert configuration_count(fresh_sandbox) == before + 1
    assert_posts_keyed(proxy)


@pytest.mark.asyncio
async def test_persistent_500s_give_a_clear_error_and_keep_the_edits(
    fresh_sandbox: Sandbox, proxy: fp.FaultProxy
) -> None:
    before = configuration_count(fresh_sandbox)
    edits = edited_configuration()
    async with gateway(fresh_sandbox, proxy) as gw:
        catalogue = await load_catalogue(gw)
        proxy.plan = [fp.SERVER_ERROR] * (RETRIES + 1)
        started = time.monotonic()
        failed = await save(gw, None, edits, catalogue)
        assert time.monotonic() - started < 2
        assert not failed.ok and failed.edited == edits  # the user's edits come back whole
        (problem,) = failed.problems
        assert "gave up after 4 attempts" in problem.message
        assert configuration_count(fresh_sandbox) == before
        again = await save(gw, None, failed.edited, catalogue)  # once Stripe is back
    assert again.ok and again.saved is not None
    assert again.saved.business_profile.headline == "Manage your plan"
    assert configuration_count(fresh_sandbox) == before + 1
    assert_posts_keyed(proxy)


@pytest.mark.asyncio
async def test_429_waits_for_retry_after(fresh_sandbox: Sandbox, proxy: fp.FaultProxy) -> None:
    made = make_client(fresh_sandbox).v1.customers.create(params={"name": "Patient"})
    async with gateway(fresh_sandbox, proxy) as gw:
        proxy.plan = [fp.RATE_LIMITED]
        started = time.monotonic()
        found = await gw.retrieve_customer(made.id)
    assert found.name == "Patient"
    assert time.monotonic() - started >= fp.RETRY_AFTER
    assert [s.fault for s in proxy.seen] == [fp.RATE_LIMITED, fp.PASS]


@pytest.mark.asyncio
async def test_a_slow_server_ends_in_a_network_error_in_bounded_time(
    fresh_sandbox: Sandbox, proxy: fp.FaultProxy
) -> None:
    async with gateway(fresh_sandbox, proxy, timeout=0.3) as gw:
        proxy.plan = [fp.SLOW] * (RETRIES + 1)
        started = time.monotonic()
        with pytest.raises(NetworkError) as caught:
            await gw.list_customers(limit=1)
        elapsed = time.monotonic() - started
    assert "after 4 attempts" in str(caught.value) and "try again" in str(caught.value)
    assert elapsed < (RETRIES + 1) * 0.3 + RETRIES * 0.1 + 1.0
    assert len(proxy.seen) == RETRIES + 1


@pytest.mark.asyncio
async def test_a_server_that_goes_down_is_a_network_error_and_saves_nothing(
    fresh_sandbox: Sandbox, proxy: fp.FaultProxy
) -> None:
    before = configuration_count(fresh_sandbox)
    async with gateway(fresh_sandbox, proxy) as gw:
        catalogue = await load_catalogue(gw)
        proxy.close()
        started = time.monotonic()
        with pytest.raises(NetworkError) as caught:
            await save(gw, None, edited_configuration(), catalogue)
        assert time.monotonic() - started < 2
    assert caught.value.code == "network_unreachable"
    assert fresh_sandbox.api_key not in str(caught.value)
    assert configuration_count(fresh_sandbox) == before


@pytest.mark.asyncio
async def test_a_refused_change_is_not_retried(
    fresh_sandbox: Sandbox, proxy: fp.FaultProxy
) -> None:
    async with gateway(fresh_sandbox, proxy) as gw:
        with pytest.raises(StripeApiError) as caught:
            await gw.create_portal_configuration({"business_profile": {"headline": ""}})
    assert caught.value.http_status == 400 and caught.value.param
    assert len([s for s in proxy.seen if s.method == "POST"]) == 1


def teardown_module() -> None:
    print("\nfault figures:", dict(TALLY))


@pytest.mark.asyncio
async def test_trying_again_after_a_lost_answer_does_not_apply_the_change_twice(
    fresh_sandbox: Sandbox, proxy: fp.FaultProxy
) -> None:
    """Every attempt reached Stripe and every answer was lost: the user sees a network error
    and presses Save again. Stripe's advice is to retry with the same key; so must we."""
    before = configuration_count(fresh_sandbox)
    edits = edited_configuration()
    async with gateway(fresh_sandbox, proxy) as gw:
        catalogue = await load_catalogue(gw)
        proxy.plan = [fp.CUT_AFTER] * (RETRIES + 1)
        with pytest.raises(NetworkError):
            await save(gw, None, edits, catalogue)
        again = await save(gw, None, edits, catalogue)
        assert again.ok
        assert configuration_count(fresh_sandbox) == before + 1
        posts = [s.idempotency_key for s in proxy.seen if s.method == "POST"]
        assert len(posts) == RETRIES + 2 and len(set(posts)) == 1  # the user's retry too
        # A deliberate second, identical configuration after a success is a new change.
        third = await save(gw, None, edits, catalogue)
    assert third.ok and third.saved is not None and again.saved is not None
    assert third.saved.id != again.saved.id
    assert configuration_count(fresh_sandbox) == before + 2
    assert_posts_keyed(proxy)
