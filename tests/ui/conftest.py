"""UI tests: offscreen Qt, a qasync loop, and the real sandbox over loopback.

Tests are synchronous (pytest-qt's ``qtbot`` waits process Qt events, and with them the
qasync loop's callbacks). ``qloop`` makes a qasync loop that counts as running without
blocking, so the widgets' tasks run while ``qtbot.waitUntil`` waits. Never call ``qtbot``
waits inside an ``async def`` test: the nested Qt loop starves asyncio and pytest hangs.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Qt WebEngine (branding preview, in-app portal) refuses to start as root with its sandbox on.
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox --disable-gpu")

import asyncio
import gc
import time
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import pytest
import qasync
import stripe
from PySide6.QtCore import QCoreApplication, QEvent, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from console.accounts import AccountStore
from console.index import IndexStore
from console.paths import app_dirs
from console.preview.branding import SandboxAddress
from console.sandbox_launcher import EmbeddedSandbox, start_embedded_sandbox
from tests.reliability.secrets_audit import accessible_texts
from ui.context import AccountContext
from ui.i18n import install_translations

T = TypeVar("T")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


def pytest_asyncio_loop_factories(config: pytest.Config, item: pytest.Item) -> dict[str, Any]:
    """Async tests here run on qasync's loop (wait with ``await`` in them, never ``qtbot``)."""
    return {"qasync": lambda: qasync.QEventLoop(QApplication.instance() or QApplication([]))}


@pytest.fixture(scope="package")
def _package_loop(qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    # One loop for all UI tests: a closed qasync loop's timer object can still receive a
    # queued Qt timer event, which crashed the next test.
    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.events._set_running_loop(None)
    yield loop
    # Windows closed by the tests are deleted now, while Qt WebEngine is whole: a web page
    # left for the interpreter's exit outlives its profile, and Qt then warns, or crashes in
    # the next test that processes events (the browser tests run after these).
    gc.collect()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    qapp.processEvents()
    loop._QEventLoop__is_running = False  # qasync's own flag: close() refuses a running loop
    loop.close()


@pytest.fixture
def qloop(
    qapp: QApplication, _package_loop: qasync.QEventLoop
) -> Iterator[asyncio.AbstractEventLoop]:
    """The qasync loop, counted as running for the test; leftover tasks cancelled after it."""
    loop = _package_loop
    asyncio.set_event_loop(loop)
    asyncio.events._set_running_loop(loop)
    try:
        yield loop
        pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
        for task in pending:
            task.cancel()
        deadline = time.monotonic() + 10
        while any(not task.done() for task in pending) and time.monotonic() < deadline:
            qapp.processEvents()
            time.sleep(0.005)
    finally:
        asyncio.events._set_running_loop(None)
        asyncio.set_event_loop(None)


@pytest.fixture
def run(qtbot: Any, qloop: asyncio.AbstractEventLoop) -> Callable[..., Any]:
    """Runs a coroutine on the qasync loop from a sync test, waiting for it with qtbot."""

    def run_coroutine(work: Coroutine[Any, Any, T], timeout: float = 15) -> T:
        task = qloop.create_task(work)
        qtbot.waitUntil(task.done, timeout=int(timeout * 1000))
        return task.result()

    return run_coroutine


@pytest.fixture(scope="session")
def demo_sandbox() -> Iterator[EmbeddedSandbox]:
    """The built-in sandbox with its demo data, in memory, started the way the app starts it."""
    running = start_embedded_sandbox(None, seed="demo")
    yield running
    running.stop()


@pytest.fixture(scope="session")
def big_sandbox() -> Iterator[EmbeddedSandbox]:
    """1,000 customers: a sync takes ten pages, so it can be watched and cancelled."""
    running = start_embedded_sandbox(None, seed="scale:1000")
    yield running
    running.stop()


def demo_customer(sandbox: EmbeddedSandbox, case: str) -> Any:
    """The demo data's customer for this case (the customer's description names it)."""
    client = stripe.StripeClient(sandbox.api_key, base_addresses={"api": sandbox.url})
    for customer in client.v1.customers.list({"limit": 100}).auto_paging_iter():
        if customer.description == case:
            return customer
    raise AssertionError(f"the demo has no customer for {case!r}")


@contextmanager
def german_interface(app: QApplication) -> Iterator[list[QTranslator]]:
    """The app's translators for German while the block runs; English again after it."""
    translators = install_translations(app, QLocale("de_DE"))
    try:
        yield translators
    finally:
        for translator in translators:
            app.removeTranslator(translator)


def save_screenshot(widget: Any, name: str) -> Path:
    """Saves the widget as a PNG, and beside it the text a screen reader would find in it
    (the secrets audit reads that: a key must never be on screen)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    assert widget.grab().save(str(path))
    path.with_suffix(".txt").write_text("\n".join(accessible_texts(widget)), encoding="utf-8")
    return path


@pytest.fixture
def make_context(
    run: Callable[..., Any], tmp_path: Path
) -> Iterator[Callable[[EmbeddedSandbox], AccountContext]]:
    """Opens a sandbox as the console does (account in the keyring, gateway, index) for a view.

    The data dir is the test's own; everything opened is closed after the test.
    """
    opened: list[AccountContext] = []
    dirs = app_dirs(tmp_path / "console")

    def open_context(sandbox: EmbeddedSandbox) -> AccountContext:
        accounts = AccountStore(dirs)
        account = run(accounts.ensure_sandbox_account(sandbox.url, sandbox.api_key))
        gateway = run(accounts.open_gateway(account))
        index = IndexStore(dirs.index_file(account.id, account.mode))
        context = AccountContext(
            account=account,
            gateway=gateway,
            index=index,
            accounts=accounts,
            dirs=dirs,
            sandbox=SandboxAddress(sandbox.url, sandbox.api_key),
        )
        opened.append(context)
        return context

    yield open_context
    for context in opened:
        run(context.gateway.aclose())
        context.index.close()


@pytest.fixture
def demo_context(
    demo_sandbox: EmbeddedSandbox, make_context: Callable[[EmbeddedSandbox], AccountContext]
) -> AccountContext:
    """The demo sandbox opened as the console's current account (test mode)."""
    return make_context(demo_sandbox)
