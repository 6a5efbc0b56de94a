"""The console's own code against a sandbox that behaves like Stripe's network.

The sandbox's network profile (``console.sandbox.network``) answers 429 past Stripe's rate
limits, adds latency and forgets events older than 30 days by its clock; the console must back
off, put people before its background work, and rebuild an index whose events are gone.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
import stripe

from console.gateway.client import Gateway
from console.index import IndexStore, full_sync, sync
from console.index.sync import EVENTS_EXPIRED, sync_status
from console.sandbox import Sandbox
from console.sandbox.network import Latency, NetworkProfile, RateLimits
from tests import builders
from tests.conftest import make_client


@pytest.fixture
def store(tmp_path: Path) -> Iterator[IndexStore]:
    made = IndexStore(tmp_path / "index.sqlite3")
    yield made
    made.close()


def _sandbox(network: NetworkProfile, seed: str = "none") -> Sandbox:
    return Sandbox(":memory:", seed=seed, network=network, sweep_interval=0.2)


@pytest.mark.slow
@pytest.mark.asyncio
async def test_a_sync_left_less_than_its_share_backs_off_and_finishes(store: IndexStore) -> None:
    # The merchant's own traffic already takes 15 of the account's 25 requests a second: the
    # sandbox lets 10 more through, fewer than the 12.5 the console's half would take.
    network = NetworkProfile(
        name="busy-account", limits=RateLimits(global_requests=10, endpoint_requests=10)
    )
    with _sandbox(network, seed="scale:3000") as sandbox:
        async with Gateway(sandbox.api_key, base_url=sandbox.url) as gateway:
            count = await full_sync(store, gateway)
    assert count == 3000
    assert gateway.budget.throttled_count > 0  # Stripe said 429, and the sync still finished
    assert gateway.budget.background_factor < 1.0  # and its background pace came down


@pytest.mark.slow
@pytest.mark.asyncio
async def test_a_customer_opened_during_a_sync_does_not_wait_behind_it(
    store: IndexStore,
) -> None:
    network = NetworkProfile(
        name="slow-and-limited",
        latency=Latency(median_ms=150.0, spread=0.1, per_item_ms=0.0),
        limits=RateLimits(global_requests=25),
        seed=7,
    )
    with _sandbox(network, seed="scale:3000") as sandbox:
        async with Gateway(sandbox.api_key, base_url=sandbox.url) as gateway:
            pages_before: list[int] = []
            syncing = asyncio.create_task(full_sync(store, gateway))
            while store.count() < 300:  # the sync is under way and has the budget busy
                await asyncio.sleep(0.05)
            customer_id = store.recent(1).customers[0].id
            pages_before.append(store.count())
            opened = await gateway.retrieve_customer(customer_id)
            pages_after = store.count()
            assert not syncing.done()
            await syncing
    assert opened.id == customer_id
    # Background work at 12.5 requests a second would have kept an opened customer waiting
    # for every queued page; it got the next free slot instead, within a few pages.
    assert pages_after - pages_before[0] <= 6 * 100


@pytest.mark.asyncio
async def test_an_index_older_than_stripes_30_days_of_events_is_rebuilt(
    store: IndexStore,
) -> None:
    network = NetworkProfile(name="retention", event_retention_s=30 * 86400)
    with _sandbox(network) as sandbox:
        client: stripe.StripeClient = make_client(sandbox)
        kept = client.v1.customers.create(params={"name": "Kept Customer"})
        doomed = client.v1.customers.create(params={"name": "Deleted Later"})
        async with Gateway(sandbox.api_key, base_url=sandbox.url) as gateway:
            await sync(store, gateway)
            client.v1.customers.update(kept.id, params={"name": "Renamed Customer"})
            await sync(store, gateway)  # applies the rename: the saved event is the rename's
            # 31 days pass (two advances: one may move at most two years, fine either way).
            builders.advance(client, 31 * builders.DAY)
            client.v1.customers.delete(doomed.id)
            told: list[str] = []
            outcome = await sync(store, gateway, rebuild_started=lambda: told.append("rebuild"))
    assert outcome.rebuilt_because == EVENTS_EXPIRED
    assert told == ["rebuild"]
    assert store.get(doomed.id) is None  # the deletion the expired events would have carried
    assert [c.id for c in store.search("renamed")] == [kept.id]
    status = await sync_status(store)
    assert status.synced and not status.resumable
