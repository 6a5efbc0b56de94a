"""Crash safety: the sandbox and the customer index killed with SIGKILL in the middle of writing.

Every acknowledged write must be there after a restart on the same database, nothing may be
half-applied (an object without the event written in its transaction, a subscription without
its first invoice), and SQLite's integrity check must pass.
"""

from __future__ import annotations

import asyncio
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import stripe

from console.gateway.client import Gateway
from console.index import IndexStore, full_sync, incremental_sync
from console.index.sync import sync_status
from console.sandbox import Sandbox
from tests import builders
from tests.reliability.processes import ROOT, SandboxProcess

WRITERS = 6
CRASHES = 3
TALLY: Counter[str] = Counter()


def integrity(db: Path) -> str:
    connection = sqlite3.connect(db)
    try:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        connection.close()


def client_for(url: str, key: str) -> stripe.StripeClient:
    return stripe.StripeClient(key, base_addresses={"api": url}, max_network_retries=0)


@dataclass
class Acknowledged:
    """What the sandbox answered 200 to, per writer (only what a client could rely on)."""

    customers: dict[str, str] = field(default_factory=dict)  # id -> its idempotency key (= tag)
    in_flight: dict[int, str] = field(default_factory=dict)  # writer -> key of the unanswered
    subscriptions: set[str] = field(default_factory=set)
    counter: dict[int, int] = field(default_factory=dict)  # writer -> last acknowledged value
    lock: threading.Lock = field(default_factory=threading.Lock)


def burst(
    client: stripe.StripeClient,
    acked: Acknowledged,
    counters: dict[int, str],
    price: str,
    stop: threading.Event,
) -> list[threading.Thread]:
    """Writers: create customers, bump their own counter, start subscriptions, until stopped."""

    def write(writer: int) -> None:
        n = acked.counter.get(writer, 0)
        step = 0
        while not stop.is_set():
            step += 1
            try:
                if step % 3 == 0:
                    n += 1
                    client.v1.customers.update(counters[writer], params={"metadata": {"n": str(n)}})
                    with acked.lock:
                        acked.counter[writer] = n
                elif step % 7 == 0:
                    customer = client.v1.customers.create()
                    sub = client.v1.subscriptions.create(
                        params={
                            "customer": customer.id,
                            "items": [{"price": price}],
                            "collection_method": "send_invoice",
                            "days_until_due": 30,
                        },
                        options={"idempotency_key": str(uuid.uuid4())},
                    )
                    with acked.lock:
                        acked.subscriptions.add(sub.id)
                else:
                    key = str(uuid.uuid4())
                    with acked.lock:
                        acked.in_flight[writer] = key
                    made = client.v1.customers.create(
                        params={"metadata": {"tag": key}}, options={"idempotency_key": key}
                    )
                    with acked.lock:
                        acked.customers[made.id] = key
                        del acked.in_flight[writer]
            except stripe.APIConnectionError:
                return  # the process was killed under this request: not acknowledged

    threads = [threading.Thread(target=write, args=(w,), daemon=True) for w in range(WRITERS)]
    for thread in threads:
        thread.start()
    return threads


def replay(client: stripe.StripeClient, key: str) -> str:
    made = client.v1.customers.create(
        params={"metadata": {"tag": key}}, options={"idempotency_key": key}
    )
    return made.id


def verify(client: stripe.StripeClient, acked: Acknowledged, counters: dict[int, str]) -> None:
    for customer_id, key in acked.customers.items():
        assert client.v1.customers.retrieve(customer_id).to_dict()["metadata"]["tag"] == key
        # The stored answer was committed with the customer: the same key replays it.
        assert replay(client, key) == customer_id
    # A request the kill cut off: committed whole (answer included) or not at all, so the
    # client's retry with the same key makes exactly one customer either way.
    for key in acked.in_flight.values():
        acked.customers[replay(client, key)] = key
        TALLY["cut-off requests retried"] += 1
    acked.in_flight.clear()
    tags = Counter(
        (c.to_dict()["metadata"] or {}).get("tag")
        for c in client.v1.customers.list(params={"limit": 100}).auto_paging_iter()
    )
    assert all(tags[key] == 1 for key in acked.customers.values())
    for writer, customer_id in counters.items():
        stored = int(client.v1.customers.retrieve(customer_id).to_dict()["metadata"].get("n", "0"))
        last = acked.counter.get(writer, 0)
        # The write in flight at the kill may or may not have committed; nothing older is lost.
        assert stored in (last, last + 1), (writer, stored, last)
        acked.counter[writer] = stored
    customers = {c.id for c in client.v1.customers.list(params={"limit": 100}).auto_paging_iter()}
    created_events = {
        e.data.object["id"]
        for e in client.v1.events.list(
            params={"type": "customer.created", "limit": 100}
        ).auto_paging_iter()
    }
    # An object and its event are one transaction: neither exists without the other.
    assert customers == created_events
    for sub in client.v1.subscriptions.list(
        params={"status": "all", "limit": 100}
    ).auto_paging_iter():
        invoice = client.v1.invoices.retrieve(str(sub.latest_invoice)).to_dict()
        parent = (invoice.get("parent") or {}).get("subscription_details") or {}
        assert sub.id in (invoice.get("subscription"), parent.get("subscription")), invoice
    subscriptions = {
        s.id
        for s in client.v1.subscriptions.list(
            params={"status": "all", "limit": 100}
        ).auto_paging_iter()
    }
    assert acked.subscriptions <= subscriptions
    TALLY["customers verified"] = len(customers)
    TALLY["subscriptions verified"] = len(subscriptions)


def test_acknowledged_writes_survive_sigkill_mid_burst(tmp_path: Path) -> None:
    db = tmp_path / "sandbox.sqlite3"
    acked = Acknowledged()
    sandbox = SandboxProcess(db)
    try:
        client = client_for(sandbox.url, sandbox.key)
        counters = {w: client.v1.customers.create().id for w in range(WRITERS)}
        product = client.v1.products.create(params={"name": "Crash plan"})
        price = builders.price(client, 500, product=product.id, interval="month").id
        for crash in range(CRASHES):
            stop = threading.Event()
            before = len(acked.customers)
            threads = burst(client, acked, counters, price, stop)
            deadline = time.monotonic() + 20
            while len(acked.customers) < before + 40 + 15 * crash:
                assert time.monotonic() < deadline, "the writers made no progress"
                time.sleep(0.01)
            sandbox.kill()
            TALLY["crashes injected"] += 1
            stop.set()
            for thread in threads:
                thread.join(10)
            assert integrity(db) == "ok"
            sandbox = SandboxProcess(db)
            client = client_for(sandbox.url, sandbox.key)
            verify(client, acked, counters)
        TALLY["acknowledged customer writes"] = len(acked.customers)
        TALLY["acknowledged counter writes"] = sum(acked.counter.values())
    finally:
        sandbox.kill()
    print("\ncrash figures:", dict(TALLY))


# -- the customer index ---------------------------------------------------------------------

SYNC_SCRIPT = """
import asyncio, sys
from pathlib import Path
from console.gateway.client import Gateway
from console.index import IndexStore, full_sync, incremental_sync

async def main() -> None:
    store = IndexStore(Path(sys.argv[1]))
    async with Gateway(sys.argv[3], base_url=sys.argv[2], requests_per_second=6) as gateway:
        await full_sync(store, gateway, lambda done, total: print(done, flush=True))

asyncio.run(main())
"""

INDEXED = 1500


@pytest.fixture(scope="module")
def many_customers() -> Iterator[Sandbox]:
    with Sandbox(":memory:", seed=f"scale:{INDEXED}") as running:
        yield running


def test_index_killed_mid_sync_is_intact_and_resumes(
    tmp_path: Path, many_customers: Sandbox
) -> None:
    path = tmp_path / "index" / "acct_crash-test.sqlite3"
    sync = subprocess.Popen(
        [sys.executable, "-c", SYNC_SCRIPT, str(path), many_customers.url, many_customers.api_key],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert sync.stdout is not None
    try:
        while int(sync.stdout.readline() or INDEXED) < 400:
            pass
        sync.send_signal(signal.SIGKILL)
    finally:
        sync.wait(15)
        sync.stdout.close()
    TALLY["index syncs killed"] += 1
    assert integrity(path) == "ok"
    # Meanwhile the account changes: customers are added, one already indexed is renamed and
    # one deleted. The resumed sync plus the events after it must end exactly at the new state.
    client = client_for(many_customers.url, many_customers.api_key)
    newest = client.v1.customers.list(params={"limit": 2}).data
    client.v1.customers.update(newest[0].id, params={"name": "Renamed during the crash"})
    client.v1.customers.delete(newest[1].id)
    added = [client.v1.customers.create(params={"name": f"Added {n}"}).id for n in range(3)]
    store = IndexStore(path)
    try:
        status = asyncio.run(sync_status(store))
        assert status.resumable and not status.synced
        assert 400 <= status.customers < INDEXED and status.customers % 100 == 0
        seen: list[int] = []

        async def resume() -> int:
            async with Gateway(
                many_customers.api_key, base_url=many_customers.url, requests_per_second=1000
            ) as gateway:
                await full_sync(store, gateway, lambda done, _total: seen.append(done))
                return await incremental_sync(store, gateway)

        assert asyncio.run(resume()) >= 5  # the three added, the rename, the deletion
        assert seen[0] == status.customers  # resumed where the killed run had committed
        expected = {
            c.id for c in client.v1.customers.list(params={"limit": 100}).auto_paging_iter()
        }
        connection = sqlite3.connect(path)
        try:
            indexed = [row[0] for row in connection.execute("SELECT id FROM customers")]
            renamed = connection.execute(
                "SELECT name FROM customers WHERE id = ?", (newest[0].id,)
            ).fetchone()
        finally:
            connection.close()
        assert len(indexed) == len(set(indexed)) == INDEXED + 2  # every customer exactly once
        assert set(indexed) == expected and set(added) <= expected
        assert newest[1].id not in expected
        assert renamed == ("Renamed during the crash",)
    finally:
        store.close()
