"""Accounts with the real keyring (the suite runs under scripts/with_keyring.sh)."""

from __future__ import annotations

from pathlib import Path

import keyring
import keyring.backend
import pytest
from keyring.backends import fail

from console.accounts import KEYRING_SERVICE, AccountStore
from console.errors import AccountError, StripeApiError, ValidationError
from console.keyring_check import check_keyring_is_safe
from console.paths import app_dirs
from console.sandbox import Sandbox
from tests.e2e.core.conftest import Scripted

# A fake, assembled at run time so that no live-key-shaped string is committed (secret scanners).
LIVE_KEY = "sk_" + "live_" + "RecordedOnlyNeverSent0042"
ACCOUNT = {
    "id": "acct_live1",
    "object": "account",
    "business_profile": {"name": "Live Shop"},
    "settings": {"dashboard": {"display_name": "Live Shop EU"}},
}


def customers_page(livemode: bool) -> tuple[int, dict[str, str], dict[str, object]]:
    customer = {"id": "cus_1", "object": "customer", "created": 1, "livemode": livemode}
    return (
        200,
        {},
        {"object": "list", "url": "/v1/customers", "has_more": False, "data": [customer]},
    )


@pytest.fixture
def store(tmp_path: Path) -> AccountStore:
    return AccountStore(app_dirs(tmp_path))


def test_the_suite_has_a_real_keyring() -> None:
    assert type(keyring.get_keyring()).__module__ == "keyring.backends.SecretService"


@pytest.mark.asyncio
async def test_add_list_find_remove(store: AccountStore, sandbox: Sandbox) -> None:
    account = await store.add_account(sandbox.api_key, base_url=sandbox.url)
    assert account.mode == "test" and account.id.startswith("acct_")
    assert account.key_hint == f"sk_test_…{sandbox.api_key[-4:]}"
    assert await store.list_accounts() == (account,)
    assert await store.find_account(account.name.upper()) == account
    assert await store.find_account(account.handle) == account
    assert keyring.get_password(KEYRING_SERVICE, account.keyring_username) == sandbox.api_key

    registry = store.dirs.registry_file.read_text()
    assert sandbox.api_key not in registry
    assert sandbox.api_key not in repr(account) and sandbox.api_key not in str(account)

    async with await store.open_gateway(account) as gateway:
        assert sandbox.api_key not in repr(gateway)
        assert (await gateway.retrieve_account()).id == account.id

    await store.remove_account(account)
    assert await store.list_accounts() == ()
    assert keyring.get_password(KEYRING_SERVICE, account.keyring_username) is None
    with pytest.raises(AccountError):
        await store.find_account(account.name)


@pytest.mark.asyncio
async def test_several_accounts(store: AccountStore, sandbox: Sandbox) -> None:
    with Sandbox(":memory:") as other:
        first = await store.add_account(sandbox.api_key, base_url=sandbox.url)
        second = await store.add_account(other.api_key, base_url=other.url)
    assert first.id != second.id
    assert {a.id for a in await store.list_accounts()} == {first.id, second.id}
    await store.remove_account(first)
    assert await store.list_accounts() == (second,)
    await store.remove_account(second)


@pytest.mark.asyncio
async def test_keys_that_are_not_secret_keys_are_refused(store: AccountStore) -> None:
    for key in ("pk_test_abcdefgh12345678", "hello", "sk_test_short"):
        with pytest.raises(ValidationError) as caught:
            await store.add_account(key)
        assert caught.value.problems[0].param == "api_key"
        assert key not in str(caught.value) or not key.startswith("sk_")


@pytest.mark.asyncio
async def test_a_live_key_makes_a_live_account(store: AccountStore, scripted: Scripted) -> None:
    scripted.answers = [(200, {}, ACCOUNT), customers_page(livemode=True)]
    account = await store.add_account(LIVE_KEY, base_url=scripted.url)
    assert (account.mode, account.name, account.id) == ("live", "Live Shop EU", "acct_live1")
    assert account.key_hint == "sk_live_…0042"
    sent = scripted.requests[0][2]
    assert sent["Authorization"] == f"Bearer {LIVE_KEY}"  # only ever to the recording server
    assert LIVE_KEY not in store.dirs.registry_file.read_text()
    await store.remove_account(account)


@pytest.mark.asyncio
async def test_a_key_stripe_contradicts_is_refused(store: AccountStore, scripted: Scripted) -> None:
    scripted.answers = [(200, {}, ACCOUNT), customers_page(livemode=False)]
    with pytest.raises(AccountError) as caught:
        await store.add_account(LIVE_KEY, base_url=scripted.url)
    assert caught.value.code == "mode_mismatch"
    assert await store.list_accounts() == ()


@pytest.mark.asyncio
async def test_a_bad_key_adds_nothing(store: AccountStore, sandbox: Sandbox) -> None:
    with pytest.raises(StripeApiError):
        await store.add_account("sk_test_WrongKeyForThisSandbox99", base_url=sandbox.url)
    assert await store.list_accounts() == ()


class PlaintextKeyring(keyring.backend.KeyringBackend):
    """Stands in for keyrings.alt's plaintext file backend (never installed here)."""

    # keyring registers every subclass; priority 0 keeps it out of the process's own choice.
    priority = 0

    def get_password(self, service: str, username: str) -> str | None:
        raise AssertionError("must not be read")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise AssertionError("must not be written")

    def delete_password(self, service: str, username: str) -> None:
        raise AssertionError("must not be touched")


PlaintextKeyring.__module__ = "keyrings.alt.file"


@pytest.mark.asyncio
async def test_plaintext_and_missing_keyrings_are_refused(tmp_path: Path) -> None:
    # keyring's backends have an untyped __init__.
    backends = (PlaintextKeyring(), fail.Keyring())  # type: ignore[no-untyped-call]
    for backend in backends:
        store = AccountStore(app_dirs(tmp_path), backend=backend)
        with pytest.raises(AccountError) as caught:
            await store.add_account("sk_test_abcdefgh12345678")
        assert caught.value.code == "keyring_unsafe"
        assert "Secret Service" in str(caught.value)
    check_keyring_is_safe(keyring.get_keyring())  # the real one passes


@pytest.mark.asyncio
async def test_sandbox_account_is_registered_and_refreshed(
    store: AccountStore, demo_sandbox: Sandbox
) -> None:
    account = await store.ensure_sandbox_account(demo_sandbox.url, demo_sandbox.api_key)
    assert (account.name, account.mode, account.sandbox) == ("Sandbox", "test", True)
    connected = await store.list_connected_accounts(account)
    assert len(connected) >= 2
    chosen = await store.choose_connected_account(account, connected[0].id)
    async with await store.open_gateway(chosen) as gateway:
        assert (await gateway.retrieve_account()).id == connected[0].id
    again = await store.ensure_sandbox_account(demo_sandbox.url, demo_sandbox.api_key)
    assert again.connected_account_id == connected[0].id  # the choice survives a restart
    assert await store.list_accounts() == (again,)
    assert (await store.find_account("sandbox")).id == account.id
    await store.remove_account(again)
