"""Start-up of the desktop console: Qt, the qasync loop, the built-in sandbox, the window.

The window shows at once; the sandbox starts in a worker thread (seeding its demo data on
the first start), registers itself as the "Sandbox" account (key in the keyring), and the
Customers view then opens on it. Nothing here blocks the event loop.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import signal
import sys
from collections.abc import Sequence

import qasync
from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication

from console.cli import main as cli
from console.errors import AccountError, ConsoleError
from console.keyring_check import check_keyring
from console.paths import AppDirs, app_dirs
from console.redaction import install_key_redaction
from console.sandbox_launcher import SandboxNetwork
from ui.about import app_icon
from ui.i18n import install_translations
from ui.main_window import MainWindow
from ui.settings import WindowSettings
from ui.theme import follow_system_colour_scheme
from ui.workspace import Workspace

log = logging.getLogger(__name__)


async def wait_for_keyring(window: MainWindow) -> None:
    """Returns once the system keyring can keep keys; until then the window says what to fix.

    Every account's key, the built-in sandbox's included, lives in the keyring, so nothing can
    open without one. Each "Try again" checks anew (a keyring unlocked or installed meanwhile).
    """
    while True:
        window.banner.show_starting(
            QCoreApplication.translate("MainWindow", "Checking the system keyring…")
        )
        window.keyring_notice.try_again.setEnabled(False)
        status = await check_keyring()
        if status.usable:
            window.hide_keyring_problem()
            return
        log.warning("The keyring cannot keep keys (%s): %s", status.backend, status.message)
        window.show_keyring_problem(status)
        retry = asyncio.Event()
        window.keyring_notice.retry.connect(retry.set)
        try:
            await retry.wait()
        finally:
            window.keyring_notice.retry.disconnect(retry.set)


async def open_on_sandbox(
    window: MainWindow, dirs: AppDirs, sandbox_network: SandboxNetwork | None = None
) -> Workspace:
    """Starts the sandbox (its data under ``dirs.data``) and shows the last account used.

    The last account is the one the window's settings remember, if it is still registered;
    otherwise the sandbox. The returned workspace's ``aclose`` ends it all.
    """
    await wait_for_keyring(window)
    workspace = Workspace(dirs, sandbox_network)
    window.workspace = workspace
    # A literal context: lupdate cannot tell the class from ``window.tr``.
    window.banner.show_starting(
        QCoreApplication.translate("MainWindow", "Starting the built-in sandbox…")
    )
    try:
        sandbox_account = await workspace.start_sandbox()
    except AccountError as error:
        if error.code != "registry_damaged":
            raise
        # The damaged account list was set aside (the error says where): say so, and start
        # on what could be kept rather than not at all.
        window.show_error(error)
        sandbox_account = await workspace.start_sandbox()
    try:
        remembered = window.settings.last_account if window.settings is not None else None
        registered = await workspace.accounts.list_accounts()
        chosen = next((a for a in registered if a.handle == remembered), sandbox_account)
        try:
            await window.open_account(chosen)
        except ConsoleError as error:
            if chosen is sandbox_account:
                raise
            # The remembered account cannot open (key gone, network): the sandbox always can.
            window.show_error(error)
            await window.open_account(sandbox_account)
    except BaseException:
        await workspace.aclose()
        raise
    return workspace


async def _run(
    window: MainWindow,
    dirs: AppDirs,
    closed: asyncio.Event,
    network: SandboxNetwork | None = None,
) -> None:
    workspace: Workspace | None = None
    opening = asyncio.ensure_future(open_on_sandbox(window, dirs, network))
    # Closing the window while start-up still waits (on the keyring, say) ends the start-up.
    window_closed = asyncio.ensure_future(closed.wait())
    await asyncio.wait({opening, window_closed}, return_when=asyncio.FIRST_COMPLETED)
    window_closed.cancel()
    if not opening.done():
        opening.cancel()
    try:
        workspace = await opening
    except asyncio.CancelledError:
        pass
    except ConsoleError as error:
        window.banner.show_starting(
            QCoreApplication.translate("MainWindow", "The built-in sandbox could not be opened.")
        )
        window.show_error(error)
    # What start-up made (modules, Qt wrappers, stripe's classes, the sandbox) lives as long as
    # the app. Frozen out of the collector's reach, a full collection no longer walks it all
    # with the GIL held: those passes (45-230 ms) were the last event-loop stalls of a big sync.
    gc.freeze()
    try:
        await closed.wait()
    finally:
        window.shutdown()
        if workspace is not None:
            await workspace.aclose()


def _quit_on_termination(window: MainWindow) -> QTimer:
    """SIGTERM/SIGINT close the window as the close button would, without a question.

    Python runs signal handlers only when the interpreter gets control; while Qt's loop
    idles it does not, so a timer hands it control a few times a second.
    """

    def request_quit(signum: int, _frame: object) -> None:
        log.warning("Signal %d: closing the window", signum)
        QTimer.singleShot(0, window.close_without_asking)

    signal.signal(signal.SIGTERM, request_quit)
    signal.signal(signal.SIGINT, request_quit)
    ticker = QTimer(window)
    ticker.start(250)
    ticker.timeout.connect(lambda: None)
    return ticker


def main(argv: Sequence[str] | None = None) -> int:
    """Opens the main window on the built-in sandbox; returns when the window closes."""
    args = cli.build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    install_key_redaction()
    logging.getLogger("stripe").setLevel(logging.WARNING)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # Qt WebEngine (preview, in-app portal) refuses to start as root with Chromium's
        # sandbox on; root is a container or CI, never a desktop user's session.
        flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
        if "--no-sandbox" not in flags:
            os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = f"{flags} --no-sandbox".strip()
    existing = QApplication.instance()
    application = (
        existing if isinstance(existing, QApplication) else QApplication(["portal-console"])
    )
    loop = qasync.QEventLoop(application)
    asyncio.set_event_loop(loop)
    # The loop must outlive the window: closing it still stops the sandbox and closes files.
    application.setQuitOnLastWindowClosed(False)
    application.setApplicationName("Portal Console")
    application.setDesktopFileName("portal-console")
    application.setWindowIcon(app_icon())
    translators = install_translations(application)
    follow_system_colour_scheme(application)
    dirs = app_dirs(args.data_dir)
    window = MainWindow()
    window.settings = WindowSettings(dirs)
    window.settings.restore_window(window)
    closed = asyncio.Event()
    application.lastWindowClosed.connect(closed.set)
    _quit_on_termination(window)
    window.show()
    with loop:
        network = SandboxNetwork(args.sandbox_network, args.sandbox_latency_ms)
        loop.run_until_complete(_run(window, dirs, closed, network))
    del translators  # kept alive until the window closed
    return 0
