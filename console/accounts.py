"""The accounts the console works with, and their keys, which live only in the OS keyring.

The registry (``accounts.json`` in the config folder) holds what is safe to keep in a
file: id, name, mode, base URL, the connected-account choice and the redacted key. The
key itself goes to the keyring (service ``portal-console``, username ``<account id>/<mode>``
since one Stripe account has a test and a live key). A keyring that would keep keys in
plain text, or none at all, is refused. Keyring and file work blocks, so every public
function is async and runs it in a worker thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import tempfile
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, Literal

import keyring
import keyring.backend
import keyring.errors

from console.errors import AccountError, ValidationError, ValidationProblem
from console.gateway.client import Gateway
from console.gateway.models import ConnectedAccount
from console.i18n import _
from console.keyring_check import check_keyring_is_safe
from console.paths import AppDirs
from console.redaction import redact_key

KEYRING_SERVICE = "portal-console"
SANDBOX_NAME = "Sandbox"

Mode = Literal["test", "live"]

_KEY_SHAPE = re.compile(r"^(sk|rk)_(test|live)_[A-Za-z0-9]{8,}$")


@dataclass(frozen=True, slots=True)
class StoredAccount:
    """An account as the registry knows it; ``handle`` (``acct_…-test``) names it uniquely."""

    id: str
    name: str
    mode: Mode
    key_hint: str  # "sk_test_…a1b2", never the key
    base_url: str | None = None  # None: Stripe itself
    connected_account_id: str | None = None  # act on behalf of this connected account
    sandbox: bool = False

    @property
    def handle(self) -> str:
        return f"{self.id}-{self.mode}"

    @property
    def keyring_username(self) -> str:
        return f"{self.id}/{self.mode}"


def mode_of_key(api_key: str) -> Mode:
    """The mode a key's prefix says; raises ``ValidationError`` for anything not sk_/rk_."""
    match = _KEY_SHAPE.match(api_key.strip())
    if not match:
        kind = api_key[:3] if len(api_key) >= 3 else api_key
        message = (
            "A publishable key (pk_) cannot read customers: use a secret (sk_) "
            "or restricted (rk_) key."
            if kind == "pk_"
            else "This is not a Stripe secret (sk_) or restricted (rk_) key."
        )
        raise ValidationError((ValidationProblem("api_key", "api_key_invalid", message),))
    return "live" if match.group(2) == "live" else "test"


class AccountStore:
    """Add, list, open and remove accounts. One store per config folder; no state in memory."""

    def __init__(
        self, dirs: AppDirs, *, backend: keyring.backend.KeyringBackend | None = None
    ) -> None:
        self.dirs = dirs
        self._backend = backend

    def __repr__(self) -> str:
        return f"AccountStore({self.dirs.registry_file})"

    # --- the keyring (worker thread) ---------------------------------------------------------

    def _keyring(self) -> keyring.backend.KeyringBackend:
        backend = self._backend or keyring.get_keyring()
        check_keyring_is_safe(backend)
        return backend

    def _store_key(self, account: StoredAccount, api_key: str) -> None:
        try:
            self._keyring().set_password(KEYRING_SERVICE, account.keyring_username, api_key)
        except keyring.errors.KeyringError as error:
            raise AccountError(
                _(
                    "The keyring refused to store the key (%(name)s). Unlock the keyring and "
                    "try again."
                )
                % {"name": type(error).__name__},
                code="keyring_failed",
            ) from None

    def _read_key(self, account: StoredAccount) -> str:
        try:
            key = self._keyring().get_password(KEYRING_SERVICE, account.keyring_username)
        except keyring.errors.KeyringError as error:
            raise AccountError(
                _("The keyring could not be read (%(name)s). Unlock it and try again.")
                % {"name": type(error).__name__},
                code="keyring_failed",
            ) from None
        if key is None:
            raise AccountError(
                _("The key of %(name)s is no longer in the keyring. Add the account again.")
                % {"name": account.name},
                code="key_missing",
            )
        return key

    def _forget_key(self, account: StoredAccount) -> None:
        # Already gone is what we wanted.
        with contextlib.suppress(keyring.errors.PasswordDeleteError):
            self._keyring().delete_password(KEYRING_SERVICE, account.keyring_username)

    # --- the registry file (worker thread) ---------------------------------------------------

    def _load(self) -> list[StoredAccount]:
        path = self.dirs.registry_file
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return []
        except OSError as error:
            raise AccountError(
                _(
                    "The account list %(path)s cannot be read (%(strerror)s). Check that the "
                    "file and its folder belong to you and can be read."
                )
                % {"path": path, "strerror": error.strerror or error},
                code="registry_unreadable",
            ) from None
        accounts, damage = _parse_registry(data)
        if damage is None:
            return accounts
        # A damaged registry is kept aside, never deleted: it may be repaired by hand, and the
        # keys it names stay in the keyring either way. What could be read is kept.
        stamp = time.strftime("%Y%m%dT%H%M%S")
        aside = path.with_name(f"{path.stem}.damaged-{stamp}.json")
        for number in range(2, 1000):  # never over an earlier damaged copy
            if not aside.exists():
                break
            aside = path.with_name(f"{path.stem}.damaged-{stamp}-{number}.json")
        path.replace(aside)
        if accounts:
            self._save(accounts)
        kept = (
            _("%(count)s account(s) could be read and are kept; add the others again")
            % {"count": len(accounts)}
            if accounts
            else _("add your accounts again")
        )
        raise AccountError(
            _(
                "The account list %(path)s was damaged (%(damage)s). It was moved to "
                "%(aside)s; %(kept)s. Their API keys are still in the keyring; nothing "
                "was deleted."
            )
            % {"path": path, "damage": damage, "aside": aside, "kept": kept},
            code="registry_damaged",
        )

    def _save(self, accounts: list[StoredAccount]) -> None:
        folder = self.dirs.registry_file.parent
        folder.mkdir(parents=True, exist_ok=True)
        text = json.dumps({"accounts": [asdict(a) for a in accounts]}, indent=2)
        # Write whole or not at all: a crash mid-write must not lose the other accounts.
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".accounts-", suffix=".json")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
            os.chmod(temporary, 0o600)
            Path(temporary).replace(self.dirs.registry_file)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def _put(self, account: StoredAccount, api_key: str | None) -> StoredAccount:
        if api_key is not None:
            self._store_key(account, api_key)
        accounts = [a for a in self._load() if a.handle != account.handle]
        accounts.append(account)
        self._save(accounts)
        return account

    def _remove(self, account: StoredAccount) -> None:
        self._forget_key(account)
        self._save([a for a in self._load() if a.handle != account.handle])

    # --- public, async -----------------------------------------------------------------------

    async def check_keyring(self) -> None:
        """Raises ``AccountError`` now if the keyring cannot keep keys safely."""
        await asyncio.to_thread(self._keyring)

    async def list_accounts(self) -> tuple[StoredAccount, ...]:
        return tuple(await asyncio.to_thread(self._load))

    async def find_account(self, name_or_id: str) -> StoredAccount:
        """By handle (``acct_…-test``), id (when one mode only) or name (any case)."""
        accounts = await self.list_accounts()
        wanted = name_or_id.strip()
        for matches in (
            [a for a in accounts if a.handle == wanted],
            [a for a in accounts if a.id == wanted],
            [a for a in accounts if a.name.casefold() == wanted.casefold()],
        ):
            if len(matches) == 1:
                return matches[0]
            if len(matches) > 1:
                choices = ", ".join(a.handle for a in matches)
                raise AccountError(
                    _("%(wanted)s names several accounts; use one of: %(choices)s.")
                    % {"wanted": repr(wanted), "choices": choices},
                    code="account_ambiguous",
                )
        raise AccountError(
            _("No account named %(wanted)s.") % {"wanted": repr(wanted)}, code="account_unknown"
        )

    async def add_account(self, api_key: str, *, base_url: str | None = None) -> StoredAccount:
        """Checks the key with Stripe, then keeps it in the keyring and the account in the registry.

        The mode follows the key's prefix and must agree with the ``livemode`` Stripe answers.
        """
        key = api_key.strip()
        mode = mode_of_key(key)
        await self.check_keyring()
        async with Gateway(key, base_url=base_url) as gateway:
            found = await gateway.retrieve_account()
            livemode = await gateway.probe_livemode()
        if livemode is not None and livemode != (mode == "live"):
            raise AccountError(
                _(
                    "The key says %(mode)s mode but Stripe answered in %(value)s mode; the "
                    "account was not added."
                )
                % {"mode": mode, "value": "live" if livemode else "test"},
                code="mode_mismatch",
            )
        account = StoredAccount(
            id=found.id, name=found.name, mode=mode, key_hint=redact_key(key), base_url=base_url
        )
        return await asyncio.to_thread(self._put, account, key)

    async def ensure_sandbox_account(self, url: str, api_key: str) -> StoredAccount:
        """The built-in sandbox as an account: called by whoever starts it, at every start.

        Its address changes from run to run (port 0), so the entry is refreshed each time;
        an earlier sandbox entry for another database is replaced.
        """
        mode_of_key(api_key)
        await self.check_keyring()
        async with Gateway(api_key, base_url=url) as gateway:
            found = await gateway.retrieve_account()
        account = StoredAccount(
            id=found.id,
            name=SANDBOX_NAME,
            mode="test",
            key_hint=redact_key(api_key),
            base_url=url,
            sandbox=True,
        )

        def refresh() -> StoredAccount:
            for old in self._load():
                if old.sandbox and old.handle != account.handle:
                    self._remove(old)
                elif old.handle == account.handle:
                    kept = replace(account, connected_account_id=old.connected_account_id)
                    return self._put(kept, api_key)
            return self._put(account, api_key)

        return await asyncio.to_thread(refresh)

    async def remove_account(self, account: StoredAccount) -> None:
        """Forgets the account and deletes its key from the keyring."""
        await asyncio.to_thread(self._remove, account)

    async def choose_connected_account(
        self, account: StoredAccount, connected_account_id: str | None
    ) -> StoredAccount:
        """Act on behalf of a connected account from now on (None: the account itself)."""
        chosen = replace(account, connected_account_id=connected_account_id)
        return await asyncio.to_thread(self._put, chosen, None)

    async def open_gateway(self, account: StoredAccount) -> Gateway:
        """A gateway for the account (on behalf of its chosen connected account, if any)."""
        key = await asyncio.to_thread(self._read_key, account)
        return Gateway(key, base_url=account.base_url, stripe_account=account.connected_account_id)

    async def list_connected_accounts(self, account: StoredAccount) -> tuple[ConnectedAccount, ...]:
        """Every connected account of the platform account, all pages."""
        found: list[ConnectedAccount] = []
        async with await self.open_gateway(account) as gateway:
            cursor: str | None = None
            while True:
                page = await gateway.list_connected_accounts(starting_after=cursor)
                found.extend(page.data)
                cursor = page.next_cursor
                if cursor is None:
                    return tuple(found)


def _parse_registry(data: bytes) -> tuple[list[StoredAccount], str | None]:
    """The accounts in a registry file, and what is wrong with it (None: nothing)."""
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        return [], f"it is not JSON: {error}"
    entries = raw.get("accounts") if isinstance(raw, dict) else None
    if not isinstance(entries, list):
        return [], 'it has no "accounts" list'
    accounts = [_account_from_json(entry) for entry in entries if _entry_is_valid(entry)]
    unreadable = len(entries) - len(accounts)
    if unreadable:
        return accounts, f"{unreadable} of its {len(entries)} entries are unreadable"
    return accounts, None


def _entry_is_valid(entry: Any) -> bool:
    """An entry as ``_save`` writes it: id and name strings, optional strings where None fits."""
    if not isinstance(entry, dict):
        return False
    required = all(isinstance(entry.get(key), str) and entry[key] for key in ("id", "name"))
    optional = all(
        entry.get(key) is None or isinstance(entry[key], str)
        for key in ("mode", "key_hint", "base_url", "connected_account_id")
    )
    return required and optional and entry.get("mode", "test") in ("test", "live")


def _account_from_json(entry: dict[str, Any]) -> StoredAccount:
    mode: Mode = "live" if entry.get("mode") == "live" else "test"
    return StoredAccount(
        id=str(entry["id"]),
        name=str(entry["name"]),
        mode=mode,
        key_hint=str(entry.get("key_hint") or ""),
        base_url=entry.get("base_url"),
        connected_account_id=entry.get("connected_account_id"),
        sandbox=bool(entry.get("sandbox", False)),
    )
