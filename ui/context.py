"""What every view works on: the open account, its gateway and index, and the built-in sandbox.

The main window builds one ``AccountContext`` each time an account is opened (or the
connected account changes) and hands it to every view's ``attach``. Views never open
gateways of their own for the current account; they may open others (copying a
configuration to another account) through ``accounts``.
"""

from __future__ import annotations

from dataclasses import dataclass

from console.accounts import AccountStore, StoredAccount
from console.gateway.client import Gateway
from console.index import IndexStore
from console.paths import AppDirs
from console.preview.branding import SandboxAddress


@dataclass(frozen=True, slots=True)
class AccountContext:
    account: StoredAccount
    gateway: Gateway  # already scoped to account.connected_account_id, if any
    index: IndexStore
    accounts: AccountStore
    dirs: AppDirs
    sandbox: (
        SandboxAddress | None
    )  # the built-in sandbox (renders previews); None if it could not start
    # Said once when the account opens: its customer index was damaged and is being rebuilt.
    index_rebuilt_because: str | None = None

    @property
    def live(self) -> bool:
        return self.account.mode == "live"
