"""A damaged customer index is a cache to rebuild, not a traceback: ``open_index`` replaces it
with a fresh one, says so, and a sync fills it again from Stripe."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest
import stripe

from console.accounts import AccountStore
from console.cli.main import main
from console.gateway.client import Gateway
from console.index import find_customers, sync
from console.index.recovery import open_index
from console.index.store import CustomerRow, IndexStore
from console.paths import app_dirs
from console.sandbox import Sandbox
from tests.conftest import make_client

DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    "garbage": lambda data: b"this is not a database" * 200,
    "a zeroed header": lambda data: b"\0" * 100 + data[100:],
    "cut in half": lambda data: data[: len(data) // 2],
}


def _index_with_a_customer(path: Path) -> None:
    store = IndexStore(path)
    store.apply([CustomerRow("cus_old", "Old Name", "old@example.com", None, {}, 1)])
    store.close()


@pytest.mark.parametrize("damage", list(DAMAGE), ids=list(DAMAGE))
def test_a_damaged_index_is_replaced_and_said(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "index" / "acct_x-test.sqlite3"
    _index_with_a_customer(path)
    path.write_bytes(DAMAGE[damage](path.read_bytes()))
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).write_bytes(b"stale journal")

    opened = open_index(path)
    try:
        assert opened.rebuilt_because is not None
        assert str(path) in opened.rebuilt_because and "damaged" in opened.rebuilt_because
        assert opened.store.state() == {}
        assert opened.store.search_page("old", 10).customers == ()
    finally:
        opened.store.close()


def test_a_sound_index_is_kept_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "acct_x-test.sqlite3"
    _index_with_a_customer(path)
    opened = open_index(path)
    try:
        assert opened.rebuilt_because is None
        assert [c.id for c in opened.store.search_page("old", 10).customers] == ["cus_old"]
    finally:
        opened.store.close()


@pytest.mark.asyncio
async def test_the_new_index_fills_again_from_stripe(
    tmp_path: Path, fresh_sandbox: Sandbox
) -> None:
    client: stripe.StripeClient = make_client(fresh_sandbox)
    client.v1.customers.create(params={"name": "Rebuilt Rita", "email": "rita@example.com"})
    path = tmp_path / "acct_x-test.sqlite3"
    _index_with_a_customer(path)
    path.write_bytes(b"\0" * 4096)

    opened = await asyncio.to_thread(open_index, path)
    try:
        async with Gateway(fresh_sandbox.api_key, base_url=fresh_sandbox.url) as gateway:
            await sync(opened.store, gateway)
            found = await find_customers(opened.store, gateway, "rebuilt rita", limit=5)
        assert [c.name for c in found.customers] == ["Rebuilt Rita"]
        assert found.source == "index"
    finally:
        await asyncio.to_thread(opened.store.close)


def test_customers_search_says_it_rebuilt_the_index(
    tmp_path: Path, demo_sandbox: Sandbox, capfd: pytest.CaptureFixture[str]
) -> None:
    dirs = app_dirs(tmp_path)
    account = asyncio.run(
        AccountStore(dirs).ensure_sandbox_account(demo_sandbox.url, demo_sandbox.api_key)
    )
    name = make_client(demo_sandbox).v1.customers.list(params={"limit": 1}).data[0].name
    assert name
    try:
        assert main(["--data-dir", str(tmp_path), "customers", "search", name]) == 0
        index = dirs.index_file(account.id, "test")
        index.write_bytes(b"\0" * index.stat().st_size)
        capfd.readouterr()

        assert main(["--data-dir", str(tmp_path), "customers", "search", name]) == 0

        out, err = capfd.readouterr()
        assert f"The customer index {index} was damaged" in err
        assert "Traceback" not in err
        assert name in out
    finally:
        asyncio.run(AccountStore(dirs).remove_account(account))
