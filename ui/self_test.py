"""``portal-console --self-test``: is this installation whole? Exit 0 if so, 1 with a reason if not.

It does what a person would do first with a fresh install, with nothing of theirs touched:
starts the bundled sandbox (demo data, in a temporary folder), opens the main window, searches
a demo customer, opens a quick-view portal session for them (in German, so the bundled
catalogs are used) and renders that portal page in Qt WebEngine. Every step prints one line.

Without a display (servers, CI) it runs offscreen; as root, WebEngine runs without Chromium's
sandbox (which refuses root). The keyring: the system keyring is checked with a round trip on
a throwaway entry of its own (console/keyring_check.py); without one that can keep keys the
self-test fails there, saying what is missing and how to fix it, since the app cannot keep an
account without it. The app's own steps then keep the throwaway sandbox's key in this process's
memory, so the self-test never adds to or overwrites entries in the user's keyring.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

import keyring
import keyring.backend
import keyring.errors
from keyring.compat import properties

from console.errors import ConsoleError
from console.keyring_check import probe_keyring
from console.redaction import redact_keys
from resources import path

if TYPE_CHECKING:
    from PySide6.QtWebEngineCore import QWebEnginePage

    from console.index import IndexedCustomer
    from ui.main_window import MainWindow

T = TypeVar("T")

DEMO_CUSTOMER = (
    "Emily Carter"  # one of the demo customers (console/sandbox/seed/demo.py, locale en)
)
PORTAL_LOCALE = "de"  # renders the portal through a bundled catalog, not the source strings
PORTAL_CATALOG = ("portal", "locale", "de_DE", "LC_MESSAGES", "messages.po")
PORTAL_STYLESHEET = "portal.css"  # resources/portal/static/, served by the sandbox
PORTAL_HEADING = "Invoice history"  # on the portal's home page in every demo configuration
STEP_TIMEOUT_S = 60.0


class SelfTestError(Exception):
    """A step did not do what it should; the message says what was seen instead."""


def prepare_environment(
    env: MutableMapping[str, str], *, platform: str, is_root: bool
) -> list[str]:
    """Sets what Qt needs before it loads; returns one note per setting made.

    Offscreen when Linux has no display (and no platform was chosen); WebEngine without
    Chromium's sandbox only as root, which Chromium otherwise refuses to run as.
    """
    notes = []
    no_display = not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY")
    if platform.startswith("linux") and no_display and not env.get("QT_QPA_PLATFORM"):
        env["QT_QPA_PLATFORM"] = "offscreen"
        notes.append("no display: running offscreen")
    flags = env.get("QTWEBENGINE_CHROMIUM_FLAGS", "").split()
    if is_root and "--no-sandbox" not in flags:
        flags.append("--no-sandbox")
        notes.append("running as root: Qt WebEngine without Chromium's sandbox")
    if env.get("QT_QPA_PLATFORM") == "offscreen" and "--disable-gpu" not in flags:
        flags.append("--disable-gpu")
    if flags:
        env["QTWEBENGINE_CHROMIUM_FLAGS"] = " ".join(flags)
    return notes


class _ProcessMemoryKeyring(keyring.backend.KeyringBackend):
    """Keys in this process's memory, gone when it exits: only for the self-test's own
    throwaway sandbox, so the user's keyring is never written by a self-test."""

    @properties.classproperty
    def priority(cls) -> float:  # noqa: N805 (keyring's classproperty)
        # keyring would otherwise consider every subclass it knows: a backend whose priority
        # raises is never "viable", so only keyring.set_keyring below ever selects this one.
        raise RuntimeError("chosen explicitly by the self-test, never automatically")

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._keys: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._keys.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._keys[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self._keys.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError(username)


@dataclass(slots=True)
class Report:
    """Prints one line per step: ``ok``/``warn``/``FAIL``, what, how long."""

    out: TextIO

    def line(self, status: str, text: str) -> None:
        print(f"{status:<4} {redact_keys(text)}", file=self.out, flush=True)

    async def step(self, name: str, work: Awaitable[T], timeout: float = STEP_TIMEOUT_S) -> T:
        started = time.monotonic()
        try:
            result = await asyncio.wait_for(work, timeout)
        except TimeoutError:
            raise SelfTestError(f"{name}: no answer within {timeout:g} s") from None
        except ConsoleError as error:
            detail = f" [{error.type}/{error.code}]" if error.code else f" [{error.type}]"
            raise SelfTestError(f"{name}: {error.message}{detail}") from None
        except SelfTestError as error:
            raise SelfTestError(f"{name}: {error}") from None
        except Exception as error:  # a broken install fails in any way: name the step anyway
            raise SelfTestError(f"{name}: {type(error).__name__}: {error}") from None
        self.line("ok", f"{name} ({time.monotonic() - started:.1f} s)")
        return result


def expected_heading() -> str:
    """The German heading the portal must show: read from the bundled catalog itself."""
    from babel.messages.pofile import read_po

    with path(*PORTAL_CATALOG).open("rb") as handle:
        catalog = read_po(handle)
    message = catalog.get(PORTAL_HEADING)
    if message is None or not message.string:
        raise SelfTestError(f"the German catalog has no translation of {PORTAL_HEADING!r}")
    return str(message.string)


async def _until(check: Callable[[], T | None], what: str, timeout: float) -> T:
    """Polls ``check`` on the event loop until it returns something."""
    deadline = time.monotonic() + timeout
    while (found := check()) is None:
        if time.monotonic() > deadline:
            raise SelfTestError(f"{what} did not happen within {timeout:g} s")
        await asyncio.sleep(0.05)
    return found


async def _search(window: MainWindow, name: str, errors: list[ConsoleError]) -> IndexedCustomer:
    view = window.customers
    await _until(lambda: True if view.search.isEnabled() else None, "the search box", 30)
    view.search.setText(name)

    def found() -> IndexedCustomer | None:
        # The search's own answer, not a list shown before it (the newest customers may
        # include the name too): every row is the customer searched for.
        if errors:
            raise errors[0]
        rows = [view.model.customer_at(row) for row in range(view.model.rowCount())]
        if rows and all(c is not None and c.name == name for c in rows):
            return rows[0]
        return None

    return await _until(found, f"a search result named {name!r}", 30)


def _settle(future: asyncio.Future[T], value: T) -> None:
    """Qt may call back more than once (a page loads again); the first answer counts."""
    if not future.done():
        future.set_result(value)


async def _javascript(page: QWebEnginePage, script: str) -> Any:
    answer: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
    page.runJavaScript(script, 0, lambda value: _settle(answer, value))
    return await answer


async def _render_portal(url: str, customer_name: str, shots: Path | None) -> None:
    from PySide6.QtCore import QUrl
    from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile
    from PySide6.QtWebEngineWidgets import QWebEngineView
    from PySide6.QtWidgets import QApplication

    heading = expected_heading()
    # Off the record: no cookies or cache written anywhere. The profile outlives the page.
    profile = QWebEngineProfile(QApplication.instance())
    view = QWebEngineView()
    page = QWebEnginePage(profile, view)
    view.setPage(page)
    view.resize(1100, 900)
    view.show()
    loaded: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
    view.loadFinished.connect(lambda ok: _settle(loaded, ok))
    try:
        view.load(QUrl(url))
        if not await loaded:
            raise SelfTestError("the portal page did not load")
        # textContent: innerText would apply the CSS (upper-case headings).
        text = " ".join(str(await _javascript(page, "document.body.textContent")).split())
        lang = str(await _javascript(page, "document.documentElement.lang"))
        # The portal's own stylesheet (a branded account adds a second one, made on the fly).
        styled = await _javascript(
            page,
            "Array.from(document.styleSheets)"
            f".filter(s => (s.href || '').endsWith('/{PORTAL_STYLESHEET}'))"
            ".reduce((n, s) => n + s.cssRules.length, 0)",
        )
        if not lang.startswith(PORTAL_LOCALE):
            raise SelfTestError(f"the page's language is {lang!r}, not {PORTAL_LOCALE!r}")
        if heading not in text:
            raise SelfTestError(f"the page does not show {heading!r} (the German catalog)")
        if customer_name not in text:
            raise SelfTestError(f"the page does not show the customer {customer_name!r}")
        if not styled:
            raise SelfTestError(f"the page has no style rules from {PORTAL_STYLESHEET} (missing?)")
        if shots is not None:
            await asyncio.sleep(0.3)  # let the compositor paint the final frame
            view.grab().save(str(shots / "self-test-portal.png"))
    finally:
        view.close()
        view.deleteLater()


async def _exercise(window: MainWindow, data: Path, report: Report, shots: Path | None) -> None:
    from console.accounts import SANDBOX_NAME, AccountStore
    from console.paths import app_dirs
    from console.portal_session.quick_view import open_portal_as_customer
    from ui.app import open_on_sandbox

    dirs = app_dirs(data)
    errors: list[ConsoleError] = []
    window.customers.failed.connect(errors.append)
    session = await report.step(
        "bundled sandbox started, main window open on it", open_on_sandbox(window, dirs)
    )
    try:
        customer = await report.step(
            f"customer search finds {DEMO_CUSTOMER!r}", _search(window, DEMO_CUSTOMER, errors)
        )
        if shots is not None:
            window.grab().save(str(shots / "self-test-window.png"))
        # The sandbox account as the app registered it (key from the keyring, address).
        accounts = AccountStore(dirs)
        account = await accounts.find_account(SANDBOX_NAME)
        async with await accounts.open_gateway(account) as gateway:
            portal = await report.step(
                "quick-view portal session created",
                open_portal_as_customer(gateway, customer.id, locale=PORTAL_LOCALE),
            )
        await report.step(
            "portal page rendered (German catalog, styles, customer)",
            _render_portal(portal.url, DEMO_CUSTOMER, shots),
        )
    finally:
        window.shutdown()
        await session.aclose()


def _run_window(data: Path, report: Report, shots: Path | None) -> None:
    import qasync
    from PySide6.QtWidgets import QApplication

    from ui.main_window import MainWindow

    existing = QApplication.instance()
    application = (
        existing if isinstance(existing, QApplication) else QApplication(["portal-console"])
    )
    loop = qasync.QEventLoop(application)
    asyncio.set_event_loop(loop)
    window = MainWindow()
    window.show()
    try:
        with loop:
            loop.run_until_complete(_exercise(window, data, report, shots))
    finally:
        window.close()
        window.deleteLater()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="portal-console --self-test",
        description="Check this installation: sandbox, window, search, quick view, portal page.",
    )
    parser.add_argument(
        "--screenshots",
        type=Path,
        default=None,
        help="save the window and the portal page as PNG files in this folder",
    )
    return parser


def main(argv: Sequence[str], out: TextIO = sys.stdout) -> int:
    """Runs every step; 0 when all passed, 1 with the failing step's reason otherwise."""
    args = build_parser().parse_args(list(argv))
    report = Report(out)
    is_root = hasattr(os, "geteuid") and os.geteuid() == 0
    for note in prepare_environment(os.environ, platform=sys.platform, is_root=is_root):
        report.line("note", note)
    from ui.about import app_version

    version = app_version()
    if version == "0+unknown":
        report.line("FAIL", "version: the app's metadata is missing (not installed or bundled)")
        return 1
    report.line("ok", f"portal-console {version} ({'bundled' if _frozen() else 'Python install'})")

    found = probe_keyring()
    if not found.usable:
        detail = f" ({found.detail})" if found.detail else ""
        report.line("FAIL", f"system keyring: {found.backend}: {found.message}{detail}")
        report.line("FAIL", f"to fix: {found.remedy}")
        return 1
    report.line("ok", f"system keyring: {found.backend}")
    keyring.set_keyring(_ProcessMemoryKeyring())

    if args.screenshots is not None:
        args.screenshots.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(
        prefix="portal-console-self-test-", ignore_cleanup_errors=True
    ) as data:
        try:
            _run_window(Path(data), report, args.screenshots)
        except SelfTestError as error:
            report.line("FAIL", str(error))
            return 1
        except Exception as error:  # any crash is a failed self-test, reported as one line
            report.line("FAIL", f"unexpected {type(error).__name__}: {error}")
            return 1
    report.line("ok", "self-test passed")
    return 0


def _frozen() -> bool:
    return bool(getattr(sys, "frozen", False))
