"""A damaged ``accounts.json``: a clear error naming the file and what to do, the file kept
aside (never deleted), what can be read kept, and every key left in the keyring."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import keyring
import pytest
import pytest_asyncio

from console.accounts import KEYRING_SERVICE, AccountStore, StoredAccount
from console.cli.main import main
from console.errors import AccountError
from console.paths import app_dirs
from console.sandbox import Sandbox

DAMAGE = [
    ("not JSON", b'{"accounts": [', "it is not JSON"),
    ("not UTF-8", b"\xff\xfe\x00garbage", "it is not JSON"),
    ("a list", b"[]", 'no "accounts" list'),
    ("accounts as an object", b'{"accounts": {"id": "acct_1"}}', 'no "accounts" list'),
    ("an entry without an id", b'{"accounts": [{"name": "Shop"}]}', "1 of its 1 entries"),
    ("an entry of the wrong type", b'{"accounts": ["acct_1"]}', "1 of its 1 entries"),
    ("an empty file", b"", "it is not JSON"),
]


@pytest.fixture
def store(tmp_path: Path) -> AccountStore:
    return AccountStore(app_dirs(tmp_path))


@pytest_asyncio.fixture
async def added(store: AccountStore, sandbox: Sandbox) -> AsyncIterator[StoredAccount]:
    account = await store.add_account(sandbox.api_key, base_url=sandbox.url)
    yield account
    # Gone from the keyring and from the registry alike: the secrets audit after the suite
    # checks that every registered account still has its key.
    keyring.delete_password(KEYRING_SERVICE, account.keyring_username)
    store.dirs.registry_file.unlink(missing_ok=True)


def _damaged_copies(store: AccountStore) -> list[Path]:
    return sorted(store.dirs.registry_file.parent.glob("accounts.damaged-*.json"))


@pytest.mark.asyncio
@pytest.mark.parametrize(("content", "says"), [d[1:] for d in DAMAGE], ids=[d[0] for d in DAMAGE])
async def test_a_damaged_registry_is_set_aside_and_the_keys_stay(
    store: AccountStore, added: StoredAccount, content: bytes, says: str
) -> None:
    registry = store.dirs.registry_file
    registry.write_bytes(content)

    with pytest.raises(AccountError) as raised:
        await store.list_accounts()

    message = str(raised.value)
    assert str(registry) in message and says in message
    assert "still in the keyring" in message
    (aside,) = _damaged_copies(store)
    assert str(aside) in message
    assert aside.read_bytes() == content
    assert keyring.get_password(KEYRING_SERVICE, added.keyring_username) is not None
    # Once said, the console works again (with no accounts), and adding one works.
    assert await store.list_accounts() == ()


@pytest.mark.asyncio
async def test_readable_entries_are_kept(
    store: AccountStore, added: StoredAccount, sandbox: Sandbox
) -> None:
    registry = store.dirs.registry_file
    good = json.loads(registry.read_text("utf-8"))["accounts"][0]
    registry.write_text(json.dumps({"accounts": [good, {"id": 7}]}), "utf-8")

    with pytest.raises(AccountError) as raised:
        await store.list_accounts()

    assert "1 account(s) could be read and are kept" in str(raised.value)
    assert await store.list_accounts() == (added,)
    async with await store.open_gateway(added) as gateway:
        assert (await gateway.retrieve_account()).id == added.id


@pytest.mark.asyncio
async def test_two_damages_keep_two_copies(store: AccountStore) -> None:
    registry = store.dirs.registry_file
    registry.parent.mkdir(parents=True, exist_ok=True)
    for content in (b"first", b"second"):
        registry.write_bytes(content)
        with pytest.raises(AccountError):
            await store.list_accounts()
    assert sorted(p.read_bytes() for p in _damaged_copies(store)) == [b"first", b"second"]


def test_the_command_line_says_it_without_a_traceback(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    registry = app_dirs(tmp_path).registry_file
    registry.parent.mkdir(parents=True, exist_ok=True)
    registry.write_text("{oops", "utf-8")

    code = main(["--data-dir", str(tmp_path), "quick-view", "cus_1", "--account", "Shop"])

    err = capfd.readouterr().err
    assert code == 1
    assert "account list" in err and "was damaged" in err and "Traceback" not in err
    assert len(list(registry.parent.glob("accounts.damaged-*.json"))) == 1
