"""Concurrent clients: every write lands once, whole, and idempotency holds under a race."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import stripe

from console.sandbox import Sandbox
from tests.conftest import make_client


def test_parallel_creates_all_land_and_list_consistently(fresh_sandbox: Sandbox) -> None:
    def create(n: int) -> str:
        client = make_client(fresh_sandbox)
        return client.v1.customers.create(params={"name": f"parallel {n}"}).id

    with ThreadPoolExecutor(max_workers=8) as pool:
        made = set(pool.map(create, range(80)))
    listed = [c.id for c in make_client(fresh_sandbox).v1.customers.list().auto_paging_iter()]
    assert len(made) == 80
    assert sorted(listed) == sorted(made)


def test_same_idempotency_key_in_parallel_creates_one_object(fresh_sandbox: Sandbox) -> None:
    key = str(uuid.uuid4())

    def create(_n: int) -> str:
        client = make_client(fresh_sandbox)
        return client.v1.customers.create(
            params={"email": "once@example.com"}, options={"idempotency_key": key}
        ).id

    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = set(pool.map(create, range(16)))
    assert len(ids) == 1
    found = make_client(fresh_sandbox).v1.customers.list(params={"email": "once@example.com"})
    assert [c.id for c in found.data] == list(ids)


def test_parallel_updates_of_one_object_keep_every_metadata_key(
    fresh_client: stripe.StripeClient, fresh_sandbox: Sandbox
) -> None:
    customer = fresh_client.v1.customers.create()

    def tag(n: int) -> None:
        make_client(fresh_sandbox).v1.customers.update(
            customer.id, params={"metadata": {f"k{n}": str(n)}}
        )

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(tag, range(40)))
    metadata = fresh_client.v1.customers.retrieve(customer.id).metadata
    assert metadata is not None
    assert metadata.to_dict() == {f"k{n}": str(n) for n in range(40)}
