"""Start-up of the desktop console: Qt, the qasync loop, the built-in sandbox, the window.

The window shows at once; the sandbox starts in a worker thread (seeding its demo data on
the first start), registers itself as the "Sandbox" account (key in the keyring), and the
Customers view then opens on it. Nothing here blocks the event loop.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Sequence
from dataclasses import dataclass

import qasync
from PySide6.QtWidgets import QApplication

from console import cli
from console.accounts import AccountStore, StoredAccount
from console.errors import ConsoleError
from console.gateway.client import Gateway
from console.index import IndexStore
from console.paths import AppDirs, app_dirs
from console.redaction import install_key_redaction
from console.sandbox_launcher import EmbeddedSandbox, start_embedded_sandbox
from ui.main_window import MainWindow

log = logging.getLogger(__name__)


@dataclass(slots=True)
class SandboxSession:
    """What the window works on when it runs on the built-in sandbox; ``aclose`` ends it all."""

    sandbox: EmbeddedSandbox
    account: StoredAccount
    gateway: Gateway
    index: IndexStore

    async def aclose(self) -> None:
        await self.gateway.aclose()
        await asyncio.to_thread(self.index.close)
        await asyncio.to_thread(self.sandbox.stop)


async def open_on_sandbox(window: MainWindow, dirs: AppDirs) -> SandboxSession:
    """Starts the sandbox (its data under ``dirs.data``) and shows it in ``window``."""
    window.banner.show_starting("Starting the built-in sandbox…")
    sandbox = await asyncio.to_thread(start_embedded_sandbox, dirs.data)
    try:
        account = await AccountStore(dirs).ensure_sandbox_account(sandbox.url, sandbox.api_key)
        gateway = await AccountStore(dirs).open_gateway(account)
        index = await asyncio.to_thread(IndexStore, dirs.index_file(account.id, account.mode))
    except BaseException:
        await asyncio.to_thread(sandbox.stop)
        raise
    window.show_account(account, gateway, index)
    return SandboxSession(sandbox, account, gateway, index)


async def _run(window: MainWindow, dirs: AppDirs, closed: asyncio.Event) -> None:
    session: SandboxSession | None = None
    try:
        session = await open_on_sandbox(window, dirs)
    except ConsoleError as error:
        window.banner.show_starting("The built-in sandbox could not be opened.")
        window.show_error(error)
    try:
        await closed.wait()
    finally:
        window.shutdown()
        if session is not None:
            await session.aclose()


def main(argv: Sequence[str] | None = None) -> int:
    """Opens the main window on the built-in sandbox; returns when the window closes."""
    args = cli.build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    install_key_redaction()
    logging.getLogger("stripe").setLevel(logging.WARNING)
    existing = QApplication.instance()
    application = (
        existing if isinstance(existing, QApplication) else QApplication(["portal-console"])
    )
    loop = qasync.QEventLoop(application)
    asyncio.set_event_loop(loop)
    window = MainWindow()
    closed = asyncio.Event()
    application.lastWindowClosed.connect(closed.set)
    window.show()
    with loop:
        loop.run_until_complete(_run(window, app_dirs(args.data_dir), closed))
    return 0
