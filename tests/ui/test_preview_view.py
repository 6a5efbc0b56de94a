"""The Branding preview view, offscreen with real Qt WebEngine, on the real built-in sandbox: a
language renders in that language, side by side shows several, edits change the page, another
account is previewed with its own branding, and the preview cannot be left."""

from __future__ import annotations

import base64
import dataclasses
import io
import struct
import threading
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
import stripe
from PySide6.QtCore import Qt
from PySide6.QtWebEngineCore import QWebEnginePage
from shiboken6 import isValid

from console.configurations.model import PortalConfiguration, configuration_from_stripe, edit
from console.errors import ConsoleError, StripeApiError
from console.gateway.client import Gateway
from console.preview.branding import SandboxAddress
from console.sandbox_launcher import EmbeddedSandbox, start_embedded_sandbox
from tests.ui.conftest import save_screenshot
from ui.context import AccountContext
from ui.preview.pane import PreviewPane
from ui.preview.view import PreviewView

RENDER_TIMEOUT = 60_000


@pytest.fixture
def make_view(qtbot: Any) -> Iterator[Callable[[AccountContext], PreviewView]]:
    made: list[PreviewView] = []

    def make(context: AccountContext) -> PreviewView:
        view = PreviewView()
        qtbot.addWidget(view)
        view.resize(1200, 820)
        view.show()
        with qtbot.waitSignal(view.rendered, timeout=RENDER_TIMEOUT):
            view.attach(context)
        made.append(view)
        return view

    yield make
    for view in made:
        view.shutdown()


def javascript(qtbot: Any, page: QWebEnginePage, script: str) -> Any:
    results: list[Any] = []
    page.runJavaScript(script, 0, results.append)
    qtbot.waitUntil(lambda: bool(results), timeout=10_000)
    return results[0]


def page_text(qtbot: Any, pane: PreviewPane) -> str:
    """The page's text as written (toPlainText would show CSS's upper-cased headings)."""
    page = pane.page()
    assert page is not None
    return str(javascript(qtbot, page, "document.body.textContent"))


def html_lang(qtbot: Any, pane: PreviewPane) -> str:
    page = pane.page()
    assert page is not None
    return str(javascript(qtbot, page, "document.documentElement.lang"))


def screenshot(qtbot: Any, view: PreviewView, name: str) -> None:
    """Saves the view once every pane has painted its page (the first frame comes after the
    load has finished)."""

    def painted(pane: PreviewPane) -> bool:
        image = pane.view.grab().toImage()
        step_x, step_y = max(1, image.width() // 25), max(1, image.height() // 25)
        colours = {
            image.pixel(x, y)
            for x in range(0, image.width(), step_x)
            for y in range(0, image.height(), step_y)
        }
        return len(colours) >= 3

    qtbot.waitUntil(lambda: all(painted(pane) for pane in view.panes), timeout=20_000)
    save_screenshot(view, name)


def rerender(qtbot: Any, view: PreviewView, change: Callable[[], object]) -> None:
    with qtbot.waitSignal(view.rendered, timeout=RENDER_TIMEOUT):
        change()
    assert not view.is_rendering()


def test_picking_a_language_renders_the_page_in_it(
    qtbot: Any, demo_context: AccountContext, make_view: Callable[[AccountContext], PreviewView]
) -> None:
    view = make_view(demo_context)
    assert view.configuration_picker.count() >= 3
    assert view.configuration_picker.currentText().endswith("(default)")
    assert view.locale_picker.count() == 40
    [pane] = view.panes
    english = page_text(qtbot, pane)
    assert "Payment methods" in english and "Test mode" in english
    assert html_lang(qtbot, pane) == "en-US"
    screenshot(qtbot, view, "preview_en")

    rerender(qtbot, view, lambda: view.set_current_locale("de"))
    [pane] = view.panes
    german = page_text(qtbot, pane)
    assert "Zahlungsmethoden" in german and "Testmodus" in german
    assert "Payment methods" not in german
    assert html_lang(qtbot, pane) == "de-DE"
    screenshot(qtbot, view, "preview_de")

    rerender(qtbot, view, lambda: view.set_current_locale("ja"))
    assert "支払い方法" in page_text(qtbot, view.panes[0])
    assert html_lang(qtbot, view.panes[0]) == "ja-JP"
    screenshot(qtbot, view, "preview_ja")

    rerender(qtbot, view, lambda: view.set_current_locale("ru"))
    assert "Способы оплаты" in page_text(qtbot, view.panes[0])
    screenshot(qtbot, view, "preview_ru")


def test_side_by_side_shows_several_languages_and_esc_leaves_it(
    qtbot: Any, demo_context: AccountContext, make_view: Callable[[AccountContext], PreviewView]
) -> None:
    view = make_view(demo_context)
    rerender(qtbot, view, lambda: view.show_side_by_side(["en", "ja", "ru", "el"]))
    assert view.shown_locales() == ["en", "ja", "ru", "el"]
    assert view.side_by_side.isChecked() and view.compare_panel.isVisible()
    expected = {"en": "Payment methods", "ja": "支払い方法", "ru": "Способы оплаты"}
    expected["el"] = "Μέθοδοι πληρωμής"
    for pane in view.panes:
        assert pane.caption.isVisible()
        assert expected[pane.portal_locale.code] in page_text(qtbot, pane)
    assert html_lang(qtbot, view.panes[3]) == "el-GR"
    # A 2 x 2 grid of equal, readable panes.
    sizes = {(pane.view.width(), pane.view.height()) for pane in view.panes}
    assert len(sizes) <= 2 and all(w > 350 and h > 300 for w, h in sizes)
    screenshot(qtbot, view, "preview_side_by_side")

    # A fifth language is refused with a hint; the four stay.
    fifth = view.compare_list.findItems("Deutsch (German)", Qt.MatchFlag.MatchExactly)
    assert fifth, "German is listed by its native name"
    fifth[0].setCheckState(Qt.CheckState.Checked)
    assert fifth[0].checkState() == Qt.CheckState.Unchecked
    assert "uncheck one" in view.compare_hint.text()
    assert view.shown_locales() == ["en", "ja", "ru", "el"]

    rerender(qtbot, view, view.close_panel)
    assert view.shown_locales() == ["en"] and not view.compare_panel.isVisible()
    assert view.close_panel() is False


def _default_configuration(sandbox: EmbeddedSandbox) -> PortalConfiguration:
    client = stripe.StripeClient(sandbox.api_key, base_addresses={"api": sandbox.url})
    configs = client.v1.billing_portal.configurations.list({"limit": 100}).data
    return configuration_from_stripe(next(c for c in configs if c.is_default).to_dict())


def test_edits_change_the_page_and_each_preview_is_a_fresh_private_page(
    qtbot: Any,
    demo_sandbox: EmbeddedSandbox,
    demo_context: AccountContext,
    make_view: Callable[[AccountContext], PreviewView],
) -> None:
    view = make_view(demo_context)
    first_page = view.panes[0].page()
    assert first_page is not None and first_page.profile().isOffTheRecord()
    configuration = _default_configuration(demo_sandbox)
    assert configuration.features.invoice_history.enabled
    assert "Invoice history" in page_text(qtbot, view.panes[0])

    hidden = edit(configuration, "features.invoice_history.enabled", False)
    hidden = edit(hidden, "business_profile.headline", "Preview of unsaved edits")

    def edit_twice() -> None:
        # Two edits in quick succession: the page shows the last one.
        view.preview_edits(edit(configuration, "business_profile.headline", "Not this one"))
        view.preview_edits(hidden)

    with qtbot.waitSignal(view.rendered, timeout=RENDER_TIMEOUT):
        edit_twice()
        # While it renders, "Rendering…" shows and the last page stays.
        assert view.is_rendering() and view.panes[0].page() is first_page
    assert not view.is_rendering()
    text = page_text(qtbot, view.panes[0])
    assert "Invoice history" not in text
    assert "Preview of unsaved edits" in text and "Not this one" not in text
    newer_page = view.panes[0].page()
    assert newer_page is not None and newer_page is not first_page
    assert newer_page.profile().isOffTheRecord()
    # The earlier page went, and its profile (cookies, cache) with it.
    qtbot.waitUntil(lambda: not isValid(first_page), timeout=5_000)

    # Choosing a saved configuration again leaves the edits behind.
    default_id = view.configuration_picker.currentData()
    rerender(qtbot, view, lambda: view.show_configuration(str(default_id)))
    assert "Invoice history" in page_text(qtbot, view.panes[0])


def test_the_preview_cannot_be_left(
    qtbot: Any, demo_context: AccountContext, make_view: Callable[[AccountContext], PreviewView]
) -> None:
    view = make_view(demo_context)
    pane = view.panes[0]
    page = pane.page()
    assert page is not None
    home = pane.preview_url()
    assert home is not None and "/p/preview/" in home
    # A link inside the preview is followed: the subscription's page.
    with qtbot.waitSignal(page.loadFinished, timeout=RENDER_TIMEOUT):
        javascript(qtbot, page, "document.querySelector('a.button.secondary').click(); true")
    assert page.url().toString().startswith(home + "/subscriptions/")
    inside = page.url().toString()
    # Leaving for another site, or posting a form, goes nowhere.
    javascript(qtbot, page, "location.href = 'https://example.com/'; true")
    javascript(
        qtbot,
        page,
        "const f = document.createElement('form'); f.method = 'post'; f.action = location.href;"
        " document.body.appendChild(f); f.submit(); true",
    )
    qtbot.wait(500)
    assert page.url().toString() == inside
    assert pane.page() is page


def _png(rgb: tuple[int, int, int]) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + bytes(rgb) * 24 for _ in range(24))
    header = struct.pack(">IIBBBBB", 24, 24, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))


OTHER_ICON = _png((170, 51, 102)) + b"\x00\x00\x00\x00IEND\xaeB`\x82"


@pytest.fixture(scope="module")
def other_account() -> Iterator[EmbeddedSandbox]:
    """Plays a real account (Stripe's servers cannot be reached here): a second sandbox with
    branding of its own, opened through its own gateway; the first sandbox renders."""
    running = start_embedded_sandbox(None, seed="demo")
    client = stripe.StripeClient(
        running.api_key, base_addresses={"api": running.url, "files": running.url}
    )
    stream = io.BytesIO(OTHER_ICON)
    stream.name = "icon.png"
    icon = client.v1.files.create(params={"purpose": "business_icon", "file": stream})
    account = client.v1.accounts.retrieve_current()
    client.v1.accounts.update(
        account.id,
        params={
            "business_profile": {"name": "Second Realm Ltd"},
            "settings": {
                "branding": {"icon": icon.id, "primary_color": "#aa3366"},
            },
        },
    )
    yield running
    running.stop()


def test_another_account_is_previewed_with_its_own_branding(
    qtbot: Any,
    demo_sandbox: EmbeddedSandbox,
    other_account: EmbeddedSandbox,
    make_context: Callable[[EmbeddedSandbox], AccountContext],
    make_view: Callable[[AccountContext], PreviewView],
) -> None:
    context = dataclasses.replace(
        make_context(other_account),
        sandbox=SandboxAddress(demo_sandbox.url, demo_sandbox.api_key),
    )
    # Read through the account's own gateway (its key, its sandbox); rendered by the first one.
    view = make_view(context)
    pane = view.panes[0]
    page = pane.page()
    assert page is not None
    assert str(pane.preview_url()).startswith(demo_sandbox.url + "/p/preview/")
    assert not view.note.isVisible()
    text = page_text(qtbot, pane)
    assert "Second Realm Ltd" in text and "Portal Console Sandbox" not in text
    colour = javascript(
        qtbot,
        page,
        "getComputedStyle(document.documentElement).getPropertyValue('--brand-primary').trim()",
    )
    assert colour == "#aa3366"
    icon_width = javascript(
        qtbot,
        page,
        "(() => { const i = document.querySelector('img.brand-icon');"
        " return i && i.complete ? i.naturalWidth : -1; })()",
    )
    assert icon_width == 24
    # Its own icon, byte for byte, as the gateway downloaded it.
    source = javascript(qtbot, page, "document.querySelector('img.brand-icon').src")
    prefix = "data:image/png;base64,"
    assert source.startswith(prefix)
    assert base64.b64decode(source[len(prefix) :]) == OTHER_ICON
    screenshot(qtbot, view, "preview_other_account")


@contextmanager
def failing_files_proxy(target: str, failing_path: str) -> Iterator[str]:
    """A loopback proxy for the sandbox at ``target`` that answers ``failing_path`` with HTTP 500
    (and says its own address wherever the sandbox says ``target``, so file URLs lead to it).

    Stripe's files host failing cannot be staged with the sandbox, which always serves its files;
    everything else is the real sandbox's answer.
    """
    forward = httpx.Client(timeout=30)
    own: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            if self.path == failing_path:
                status, media, content = 500, "text/plain", b"files host down"
            else:
                skip = {"host", "content-length", "accept-encoding"}
                headers = {k: v for k, v in self.headers.items() if k.lower() not in skip}
                answer = forward.request(
                    self.command, target + self.path, headers=headers, content=body
                )
                status, media = answer.status_code, answer.headers.get("content-type", "")
                content = answer.content.replace(target.encode(), own[0].encode())
            self.send_response(status)
            self.send_header("Content-Type", media)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

        def do_GET(self) -> None:
            self._answer()

        def do_POST(self) -> None:
            self._answer()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    own.append(f"http://127.0.0.1:{server.server_address[1]}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield own[0]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
        forward.close()


def test_an_icon_that_cannot_be_downloaded_goes_to_the_error_bar_and_the_page_renders(
    qtbot: Any,
    run: Callable[..., Any],
    demo_sandbox: EmbeddedSandbox,
    other_account: EmbeddedSandbox,
    make_context: Callable[[EmbeddedSandbox], AccountContext],
) -> None:
    client = stripe.StripeClient(other_account.api_key, base_addresses={"api": other_account.url})
    branding = client.v1.accounts.retrieve_current().settings
    assert branding is not None and branding.branding is not None
    icon = str(branding.branding.icon)
    with failing_files_proxy(other_account.url, f"/files/{icon}/contents") as proxy:
        gateway = Gateway(other_account.api_key, base_url=proxy)
        context = dataclasses.replace(
            make_context(other_account),
            gateway=gateway,
            sandbox=SandboxAddress(demo_sandbox.url, demo_sandbox.api_key),
        )
        view = PreviewView()
        qtbot.addWidget(view)
        view.resize(1200, 820)
        view.show()
        errors: list[ConsoleError] = []
        view.failed.connect(errors.append)
        try:
            with qtbot.waitSignal(view.rendered, timeout=RENDER_TIMEOUT):
                view.attach(context)
            [error] = errors
            assert isinstance(error, StripeApiError) and error.http_status == 500
            assert icon in error.message and other_account.api_key not in str(error)
            page = view.panes[0].page()
            assert page is not None
            text = page_text(qtbot, view.panes[0])
            assert "Second Realm Ltd" in text and "Payment methods" in text
            colour = javascript(
                qtbot,
                page,
                "getComputedStyle(document.documentElement)"
                ".getPropertyValue('--brand-primary').trim()",
            )
            assert colour == "#aa3366"
            images = "document.querySelectorAll('img.brand-icon').length"
            assert javascript(qtbot, page, images) == 0
            screenshot(qtbot, view, "preview_icon_not_downloaded")
        finally:
            view.shutdown()
            run(gateway.aclose())


def test_a_refused_render_goes_to_the_error_bar_and_keeps_the_page(
    qtbot: Any,
    demo_sandbox: EmbeddedSandbox,
    demo_context: AccountContext,
    make_view: Callable[[AccountContext], PreviewView],
) -> None:
    view = make_view(demo_context)
    shown = view.panes[0].page()
    wrong_key = "sk_test_" + "0" * 24
    broken = dataclasses.replace(demo_context, sandbox=SandboxAddress(demo_sandbox.url, wrong_key))
    with qtbot.waitSignal(view.failed, timeout=RENDER_TIMEOUT) as failed:
        view.attach(broken)
    error = failed.args[0]
    assert isinstance(error, StripeApiError) and error.http_status == 401
    assert wrong_key not in str(error) and wrong_key not in repr(error)
    assert view.panes[0].page() is shown  # the last good page stays
    assert not view.is_rendering()


def test_refresh_reads_the_branding_and_configuration_again(
    qtbot: Any,
    demo_sandbox: EmbeddedSandbox,
    other_account: EmbeddedSandbox,
    make_context: Callable[[EmbeddedSandbox], AccountContext],
    make_view: Callable[[AccountContext], PreviewView],
) -> None:
    context = dataclasses.replace(
        make_context(other_account),
        sandbox=SandboxAddress(demo_sandbox.url, demo_sandbox.api_key),
    )
    view = make_view(context)
    client = stripe.StripeClient(other_account.api_key, base_addresses={"api": other_account.url})
    account = client.v1.accounts.retrieve_current()
    configuration_id = str(view.configuration_picker.currentData())
    headline = client.v1.billing_portal.configurations.retrieve(
        configuration_id
    ).business_profile.headline

    def change(name: str, colour: str, headline: str) -> None:
        client.v1.accounts.update(
            account.id,
            params={
                "business_profile": {"name": name},
                "settings": {"branding": {"primary_color": colour}},
            },
        )
        client.v1.billing_portal.configurations.update(
            configuration_id, params={"business_profile": {"headline": headline}}
        )

    change("Third Name Inc", "#117733", "Freshly saved headline")
    try:
        rerender(qtbot, view, view.refresh)
        page = view.panes[0].page()
        assert page is not None
        text = page_text(qtbot, view.panes[0])
        assert "Third Name Inc" in text and "Freshly saved headline" in text
        colour = javascript(
            qtbot,
            page,
            "getComputedStyle(document.documentElement).getPropertyValue('--brand-primary').trim()",
        )
        assert colour == "#117733"
    finally:
        change("Second Realm Ltd", "#aa3366", headline or "")  # as the module's fixture left it


def test_a_hidden_view_renders_when_it_is_shown(
    qtbot: Any, demo_context: AccountContext, qloop: Any
) -> None:
    view = PreviewView()
    qtbot.addWidget(view)
    view.attach(demo_context)
    qtbot.waitUntil(lambda: view.configuration_picker.count() >= 3, timeout=RENDER_TIMEOUT)
    # The step that filled the picker also decided about rendering: no render was started (a
    # started one would make its page only later, so its absence alone proves nothing yet).
    assert not view.renderer.is_asking()
    assert view.panes[0].page() is None  # nothing rendered out of sight
    try:
        with qtbot.waitSignal(view.rendered, timeout=RENDER_TIMEOUT):
            view.show()
        assert "Payment methods" in page_text(qtbot, view.panes[0])
    finally:
        view.shutdown()
