"""The console's workspace: the built-in sandbox, the account store, and the account now open.

Opening an account makes a new ``AccountContext`` (a gateway with the key from the keyring,
the account's index file); the caller shows it and then closes the old one, so views never
work on a closed gateway. No Qt here: the window drives it from its tasks.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from console.accounts import AccountStore, StoredAccount
from console.index.recovery import open_index
from console.paths import AppDirs
from console.preview.branding import SandboxAddress
from console.sandbox_launcher import EmbeddedSandbox, SandboxNetwork, start_embedded_sandbox
from ui.context import AccountContext

log = logging.getLogger(__name__)


class Workspace:
    def __init__(self, dirs: AppDirs, sandbox_network: SandboxNetwork | None = None) -> None:
        self.dirs = dirs
        self.sandbox_network = sandbox_network
        self.accounts = AccountStore(dirs)
        self.sandbox: EmbeddedSandbox | None = None
        self.context: AccountContext | None = None

    def __repr__(self) -> str:
        return f"Workspace({self.dirs.config}, sandbox={self.sandbox!r})"

    @property
    def builtin_sandbox(self) -> SandboxAddress | None:
        if self.sandbox is None:
            return None
        return SandboxAddress(self.sandbox.url, self.sandbox.api_key)

    async def start_sandbox(self) -> StoredAccount:
        """Starts the built-in sandbox (demo data on first start) and registers it as an account."""
        sandbox = await asyncio.to_thread(
            start_embedded_sandbox, self.dirs.data, network=self.sandbox_network
        )
        try:
            account = await self.accounts.ensure_sandbox_account(sandbox.url, sandbox.api_key)
        except BaseException:
            await asyncio.to_thread(sandbox.stop)
            raise
        self.sandbox = sandbox
        return account

    async def open(self, account: StoredAccount) -> AccountContext:
        """A new context for ``account``; ``swap`` makes it current."""
        gateway = await self.accounts.open_gateway(account)
        # A connected account's customers are its own: they get their own index.
        owner = account.connected_account_id or account.id
        try:
            opened = await asyncio.to_thread(open_index, self.dirs.index_file(owner, account.mode))
        except BaseException:
            await gateway.aclose()
            raise
        return AccountContext(
            account=account,
            gateway=gateway,
            index=opened.store,
            accounts=self.accounts,
            dirs=self.dirs,
            sandbox=self.builtin_sandbox,
            index_rebuilt_because=opened.rebuilt_because,
        )

    def swap(self, context: AccountContext) -> AccountContext | None:
        """Makes ``context`` current; returns the one it replaces, for the caller to close."""
        previous, self.context = self.context, context
        return previous

    @staticmethod
    async def close_context(context: AccountContext) -> None:
        await context.gateway.aclose()
        await asyncio.to_thread(context.index.close)

    async def aclose(self) -> None:
        """Closes the open account and stops the sandbox; safe to call twice."""
        context, self.context = self.context, None
        sandbox, self.sandbox = self.sandbox, None
        if context is not None:
            with contextlib.suppress(Exception):
                await self.close_context(context)
        if sandbox is not None:
            await asyncio.to_thread(sandbox.stop)
