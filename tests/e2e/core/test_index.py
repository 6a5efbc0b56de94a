"""The customer index against the sandbox: full sync (progress, cancel, resume), events, search."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
import stripe
from stripe.params import CustomerCreateParams

from console.gateway.client import Gateway
from console.index import IndexStore, find_customers, full_sync, incremental_sync, sync
from console.index.sync import sync_status
from console.sandbox import Sandbox


@pytest.fixture(scope="module")
def scale_sandbox() -> Iterator[Sandbox]:
    with Sandbox(":memory:", seed="scale:5000") as running:
        yield running


@pytest.fixture
def store(tmp_path: Path) -> Iterator[IndexStore]:
    made = IndexStore(tmp_path / "index" / "acct_x-test.sqlite3")
    yield made
    made.close()


@pytest.mark.slow
@pytest.mark.asyncio
async def test_full_sync_reports_progress_and_resumes_after_cancel(
    scale_sandbox: Sandbox, store: IndexStore
) -> None:
    seen: list[tuple[int, int | None]] = []
    reached = asyncio.Event()

    def progress(done: int, total: int | None) -> None:
        seen.append((done, total))
        if done >= 1000:
            reached.set()

    async with Gateway(
        scale_sandbox.api_key, base_url=scale_sandbox.url, requests_per_second=1000
    ) as gateway:
        task = asyncio.create_task(full_sync(store, gateway, progress))
        await reached.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        status = await sync_status(store)
        assert status.resumable and not status.synced
        assert status.customers >= 1000
        # Whole pages only: what the index holds is exactly what its saved progress says.
        assert status.customers == int(store.state()["full_sync_done_count"])
        assert seen[0] == (0, 5000) and all(total == 5000 for _, total in seen)

        seen.clear()
        count = await full_sync(store, gateway, progress)
    assert count == 5000
    assert seen[0][0] == status.customers  # resumed where it stopped
    assert seen[-1] == (5000, 5000)
    assert (await sync_status(store)).synced


@pytest.mark.asyncio
async def test_search_by_name_email_phone_id_and_metadata(
    fresh_sandbox: Sandbox, fresh_client: stripe.StripeClient, store: IndexStore
) -> None:
    customers: list[CustomerCreateParams] = [
        {"name": "Zoë Achterberg", "email": "zoe@achterberg.nl", "phone": "+31 20 555 0199"},
        {"name": "Zoran Petrović", "email": "zoran@example.rs", "metadata": {"crm": "K-4411"}},
        {"name": "Ada Lovelace", "email": "ada@example.com"},
    ]
    made = [fresh_client.v1.customers.create(params=p) for p in customers]
    async with Gateway(fresh_sandbox.api_key, base_url=fresh_sandbox.url) as gateway:
        await sync(store, gateway)

        async def ids(query: str) -> list[str]:
            result = await find_customers(store, gateway, query)
            assert result.source == "index"
            return [c.id for c in result.customers]

        # Same second in the sandbox: newest-first order is the store's unit test.
        assert sorted(await ids("zo")) == sorted([made[1].id, made[0].id])
        assert await ids("zoe@achter") == [made[0].id]
        assert await ids("+31 20 555") == [made[0].id]
        assert await ids(made[2].id) == [made[2].id]
        assert await ids("K-4411") == [made[1].id]
        assert await ids("petrovic") == [made[1].id]


@pytest.mark.asyncio
async def test_incremental_sync_applies_created_updated_deleted(
    fresh_sandbox: Sandbox, fresh_client: stripe.StripeClient, store: IndexStore
) -> None:
    kept = fresh_client.v1.customers.create(params={"name": "Before Sync"})
    doomed = fresh_client.v1.customers.create(params={"name": "Soon Gone"})
    async with Gateway(fresh_sandbox.api_key, base_url=fresh_sandbox.url) as gateway:
        assert await full_sync(store, gateway) == 2
        added = fresh_client.v1.customers.create(params={"name": "After Sync"})
        fresh_client.v1.customers.update(kept.id, params={"name": "Renamed Person"})
        fresh_client.v1.customers.delete(doomed.id)
        # created then updated between two syncs: the last state wins
        late = fresh_client.v1.customers.create(params={"name": "Late One"})
        fresh_client.v1.customers.update(late.id, params={"email": "late@example.com"})

        assert await incremental_sync(store, gateway) == 5
        assert await incremental_sync(store, gateway) == 0

    assert store.get(added.id) is not None
    assert [c.id for c in store.search("renamed")] == [kept.id]
    assert store.search("before") == ()
    assert store.get(doomed.id) is None
    assert [c.email for c in store.search("late")] == ["late@example.com"]
    assert store.count() == 3


@pytest.mark.asyncio
async def test_many_events_are_applied_across_pages(
    fresh_sandbox: Sandbox, fresh_client: stripe.StripeClient, store: IndexStore
) -> None:
    async with Gateway(
        fresh_sandbox.api_key, base_url=fresh_sandbox.url, requests_per_second=1000
    ) as gateway:
        await full_sync(store, gateway)
        for i in range(130):
            fresh_client.v1.customers.create(params={"name": f"Bulk {i:03d}"})
        assert await incremental_sync(store, gateway) == 130
    assert store.count() == 130


@pytest.mark.asyncio
async def test_lookups_the_index_cannot_answer_go_to_stripe(
    fresh_sandbox: Sandbox, fresh_client: stripe.StripeClient, store: IndexStore
) -> None:
    first = fresh_client.v1.customers.create(params={"name": "Marta Indexed", "email": "m@x.io"})
    async with Gateway(fresh_sandbox.api_key, base_url=fresh_sandbox.url) as gateway:
        unsynced = await find_customers(store, gateway, "m@x.io")
        assert unsynced.source == "stripe"
        assert [c.id for c in unsynced.customers] == [first.id]

        await sync(store, gateway)
        later = fresh_client.v1.customers.create(params={"name": "Nora Notyet"})
        by_name = await find_customers(store, gateway, "Notyet")
        by_id = await find_customers(store, gateway, later.id)
        nothing = await find_customers(store, gateway, "cus_doesnotexist")

    assert (by_name.source, [c.id for c in by_name.customers]) == ("stripe", [later.id])
    assert (by_id.source, [c.id for c in by_id.customers]) == ("stripe", [later.id])
    assert nothing.customers == ()


@pytest.mark.asyncio
async def test_a_rebuild_keeps_the_old_index_searchable_until_it_is_complete(
    fresh_sandbox: Sandbox, fresh_client: stripe.StripeClient, store: IndexStore
) -> None:
    for i in range(250):
        fresh_client.v1.customers.create(params={"name": f"Customer {i:03d}"})
    gone = fresh_client.v1.customers.create(params={"name": "Wilhelmina Gone"})
    renamed = fresh_client.v1.customers.create(params={"name": "Old Name"})
    first_page = asyncio.Event()

    def progress(done: int, total: int | None) -> None:
        if done > 0:
            first_page.set()

    async with Gateway(
        fresh_sandbox.api_key, base_url=fresh_sandbox.url, requests_per_second=1000
    ) as gateway:
        await full_sync(store, gateway)
        # Changes the index never heard of (as when Stripe no longer has their events).
        fresh_client.v1.customers.delete(gone.id)
        fresh_client.v1.customers.update(renamed.id, params={"name": "Brand New Name"})

        rebuild = asyncio.create_task(
            full_sync(store, gateway, progress, restart=True, rebuild=True, workers=1)
        )
        await first_page.wait()
        rebuild.cancel()
        with pytest.raises(asyncio.CancelledError):
            await rebuild
        status = await sync_status(store)
        # Half-way: still the whole old index to search, the deleted customer included.
        assert status.synced and status.resumable
        assert [c.id for c in store.search("wilhelmina")] == [gone.id]
        assert store.count() == 252

        outcome = await sync(store, gateway)  # resumes the rebuild
    assert outcome.full
    assert store.get(gone.id) is None
    assert [c.id for c in store.search("brand new")] == [renamed.id]
    assert store.count() == 251
    assert not (await sync_status(store)).resumable
