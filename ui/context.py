"""What every view works on: the open account, its gateway and index, and the built-in sandbox.

The main window builds one ``AccountContext`` each time an account is opened (or the
connected account changes) and hands it to every view's ``attach``. Views never open
gateways of their own for the current account; they may open others (copying a
configuration to another account) through ``accounts``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from console.accounts import AccountStore, StoredAccount
from console.gateway.client import Gateway
from console.index import IndexStore
from console.paths import AppDirs


@dataclass(frozen=True, slots=True)
class BuiltinSandbox:
    """The embedded sandbox's address and key: it renders the portal pages for every preview.

    The key is the sandbox's own test key; the repr never shows it.
    """

    url: str
    api_key: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class AccountContext:
    account: StoredAccount
    gateway: Gateway  # already scoped to account.connected_account_id, if any
    index: IndexStore
    accounts: AccountStore
    dirs: AppDirs
    sandbox: BuiltinSandbox | None  # None when the built-in sandbox could not start

    @property
    def live(self) -> bool:
        return self.account.mode == "live"
