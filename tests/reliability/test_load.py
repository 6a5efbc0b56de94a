"""Load: 50 concurrent clients doing mixed reads and writes for a bounded time.

No request may fail, no update may be lost: every created customer is listed, each client's
own metadata counter holds its last value, the invoice items on one shared customer add up to
the invoice made from them, and one idempotency key sent by all 50 at once makes one object.
"""

from __future__ import annotations

import random
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import stripe

from console.sandbox import Sandbox
from tests.conftest import make_client

CLIENTS = 50
SECONDS = 6.0


@dataclass
class ClientLog:
    created: list[str] = field(default_factory=list)
    item_amounts: list[int] = field(default_factory=list)
    counter: int = 0
    operations: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)


def run_client(sandbox: Sandbox, number: int, shared: str, own: str, until: float) -> ClientLog:
    client = make_client(sandbox)  # one connection pool per client, like separate processes
    log = ClientLog()
    rng = random.Random(number)
    while time.monotonic() < until:
        roll = rng.random()
        try:
            if roll < 0.25:
                made = client.v1.customers.create(
                    params={"name": f"Load {number}", "metadata": {"client": str(number)}},
                    options={"idempotency_key": str(uuid.uuid4())},
                )
                log.created.append(made.id)
                log.operations["create customer"] += 1
            elif roll < 0.45:
                amount = rng.randint(1, 999)
                client.v1.invoice_items.create(
                    params={"customer": shared, "amount": amount, "currency": "usd"}
                )
                log.item_amounts.append(amount)
                log.operations["add invoice item"] += 1
            elif roll < 0.6:
                log.counter += 1
                client.v1.customers.update(
                    shared, params={"metadata": {f"client_{number}": str(log.counter)}}
                )
                client.v1.customers.update(own, params={"metadata": {"n": str(log.counter)}})
                log.operations["update counters"] += 2
            elif roll < 0.8 and log.created:
                found = client.v1.customers.retrieve(rng.choice(log.created))
                assert found.to_dict()["metadata"]["client"] == str(number)
                log.operations["retrieve"] += 1
            else:
                page = client.v1.customers.list(params={"limit": 10})
                assert len(page.data) <= 10
                log.operations["list"] += 1
        except (stripe.StripeError, AssertionError) as error:
            log.errors.append(f"{type(error).__name__}: {error}")
    return log


def test_fifty_clients_lose_nothing(fresh_sandbox: Sandbox) -> None:
    client = make_client(fresh_sandbox)
    shared = client.v1.customers.create(params={"name": "Shared by everyone"}).id
    own = [client.v1.customers.create(params={"name": f"Counter {n}"}).id for n in range(CLIENTS)]
    until = time.monotonic() + SECONDS
    with ThreadPoolExecutor(CLIENTS) as pool:
        logs = list(
            pool.map(lambda n: run_client(fresh_sandbox, n, shared, own[n], until), range(CLIENTS))
        )

    errors = [e for log in logs for e in log.errors]
    assert errors == []
    totals = sum((log.operations for log in logs), Counter())
    assert all(totals[kind] > 20 for kind in ("create customer", "add invoice item", "list"))

    listed = {c.id for c in client.v1.customers.list(params={"limit": 100}).auto_paging_iter()}
    created = [c for log in logs for c in log.created]
    assert len(created) == len(set(created))
    assert listed == {shared, *own, *created}

    metadata = client.v1.customers.retrieve(shared).to_dict()["metadata"]
    for number, log in enumerate(logs):
        if log.counter:
            assert metadata[f"client_{number}"] == str(log.counter)
        own_metadata = client.v1.customers.retrieve(own[number]).to_dict()["metadata"]
        assert own_metadata.get("n", "0") == str(log.counter)

    amounts = [a for log in logs for a in log.item_amounts]
    invoice = client.v1.invoices.create(
        params={"customer": shared, "pending_invoice_items_behavior": "include"}
    )
    assert invoice.total == sum(amounts)
    assert len(
        list(
            client.v1.invoices.line_items.list(invoice.id, params={"limit": 100}).auto_paging_iter()
        )
    ) == len(amounts)
    print(f"\nload figures: {CLIENTS} clients, {SECONDS} s,", dict(totals))


def test_one_idempotency_key_from_fifty_clients_at_once_makes_one_object(
    fresh_sandbox: Sandbox,
) -> None:
    key = str(uuid.uuid4())
    start = threading.Barrier(CLIENTS)

    def create(_n: int) -> str:
        client = make_client(fresh_sandbox)
        start.wait()
        made = client.v1.customers.create(
            params={"email": "once@example.com"}, options={"idempotency_key": key}
        )
        return made.id

    with ThreadPoolExecutor(CLIENTS) as pool:
        ids = set(pool.map(create, range(CLIENTS)))
    assert len(ids) == 1
    client = make_client(fresh_sandbox)
    assert [c.id for c in client.v1.customers.list(params={"limit": 100}).data] == list(ids)
    events = client.v1.events.list(params={"type": "customer.created"}).data
    assert len(events) == 1
