"""The window's shell: accounts (add, switch, connected, remove), remembered state, shortcuts,
the colour scheme, and quitting on SIGTERM. All against real sandboxes and the real keyring.

A second embedded sandbox plays "another Stripe account" (Stripe's own servers cannot be
reached from here); the console adds it by key and server address like any account.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
import stripe
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QSplitter

from console.accounts import KEYRING_SERVICE, AccountStore
from console.paths import app_dirs
from console.sandbox_launcher import EmbeddedSandbox, start_embedded_sandbox
from tests.ui.conftest import save_screenshot
from ui.accounts.add_dialog import AddAccountDialog
from ui.accounts.connected_dialog import ConnectedAccountDialog
from ui.app import open_on_sandbox
from ui.main_window import MainWindow
from ui.settings import WindowSettings
from ui.shortcuts_dialog import shortcut_rows
from ui.theme import apply_colour_scheme, is_dark
from ui.workspace import Workspace


@pytest.fixture
def other_sandbox() -> Iterator[EmbeddedSandbox]:
    """Each test's own: its account id (and keyring entry) belongs to that test alone."""
    running = start_embedded_sandbox(None, seed="demo")
    yield running
    running.stop()


@pytest.fixture
def app_window(
    qtbot: Any, run: Callable[..., Any], tmp_path: Path
) -> Iterator[Callable[[], tuple[MainWindow, Workspace]]]:
    """Opens the window the way the app does (built-in sandbox under tmp_path, settings too)."""
    opened: list[tuple[MainWindow, Workspace]] = []

    def open_() -> tuple[MainWindow, Workspace]:
        dirs = app_dirs(tmp_path)
        window = MainWindow()
        window.settings = WindowSettings(dirs)
        window.settings.restore_window(window)
        # pytest-qt closes and deletes the window after the test: its tasks stop first.
        qtbot.addWidget(window, before_close_func=lambda w: w.shutdown())
        window.show()
        workspace = run(open_on_sandbox(window, dirs), timeout=30)
        opened.append((window, workspace))
        return window, workspace

    yield open_
    for _window, workspace in opened:
        run(workspace.aclose())


def _add_through_dialog(qtbot: Any, window: MainWindow, key: str, server: str) -> None:
    window.add_account()
    dialog = window.findChild(AddAccountDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.key.setText(key)
    dialog.server.setText(server)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=15_000)


def test_a_wrong_key_is_refused_at_its_field_without_being_echoed(
    qtbot: Any, app_window: Callable[[], tuple[MainWindow, Workspace]]
) -> None:
    window, _workspace = app_window()
    window.add_account()
    dialog = window.findChild(AddAccountDialog)
    assert dialog is not None
    pasted = "pk_test_" + "Q" * 24  # a publishable key: the wrong kind
    dialog.key.setText(pasted)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.problem.isVisible, timeout=10_000)
    assert "publishable key" in dialog.problem.text()
    assert pasted not in dialog.problem.text() and "Q" * 8 not in dialog.problem.text()
    assert "#d13438" in dialog.key.styleSheet()  # the key field is the one marked
    assert dialog.key.text() == pasted  # kept, to fix a typo without pasting again
    assert dialog.key.echoMode() == dialog.key.EchoMode.Password
    save_screenshot(dialog, "account-add-refused")
    dialog.reject()


def test_adding_an_account_switches_to_it_and_the_console_remembers_it(
    qtbot: Any,
    run: Callable[..., Any],
    tmp_path: Path,
    other_sandbox: EmbeddedSandbox,
    app_window: Callable[[], tuple[MainWindow, Workspace]],
) -> None:
    window, workspace = app_window()
    assert window.banner.account_name.text().startswith("Sandbox")
    assert not window.remove_account_action.isEnabled()  # the built-in sandbox stays

    _add_through_dialog(qtbot, window, other_sandbox.api_key, other_sandbox.url)
    other_id = run(AccountStore(workspace.dirs).list_accounts())
    added = next(a for a in other_id if not a.sandbox)
    qtbot.waitUntil(lambda: added.id in window.banner.account_name.text(), timeout=15_000)
    qtbot.waitUntil(lambda: not window.busy(), timeout=10_000)
    assert window.banner.mode.text().strip() == "TEST MODE"
    assert window.remove_account_action.isEnabled()
    # The key went to the keyring and nowhere on disk.
    assert keyring.get_password(KEYRING_SERVICE, added.keyring_username) == other_sandbox.api_key
    for file in tmp_path.rglob("*"):
        if file.is_file():
            assert other_sandbox.api_key.encode() not in file.read_bytes(), file

    # Both accounts are in the Switch menu, the open one checked.
    window._fill_switch_menu()
    labels = {a.text(): a.isChecked() for a in window.switch_menu.actions()}
    assert any(text.startswith("Sandbox") and not checked for text, checked in labels.items())
    assert sum(labels.values()) == 1

    # Closing and starting again opens the account used last, window size and all.
    window.resize(760, 540)  # within the offscreen screen (800x600)
    splitter = window.customers.findChild(QSplitter)
    assert splitter is not None and splitter.objectName()
    splitter.setSizes([300, 700])
    remembered_sizes = splitter.sizes()
    window.close()
    # As the app ends when its window closes: its sandbox stops, and the next start may open
    # the same database (one sandbox process per database).
    window.shutdown()
    run(workspace.aclose())
    again, _ = app_window()
    qtbot.waitUntil(lambda: added.id in again.banner.account_name.text(), timeout=15_000)
    assert (again.width(), again.height()) == (760, 540)
    again_splitter = again.customers.findChild(QSplitter)
    assert again_splitter is not None and again_splitter.sizes() == remembered_sizes


def test_acting_for_a_connected_account_shows_it_and_searches_its_customers(
    qtbot: Any, app_window: Callable[[], tuple[MainWindow, Workspace]]
) -> None:
    window, workspace = app_window()
    window.choose_connected_account()
    dialog = window.findChild(ConnectedAccountDialog)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.list.count() == 3, timeout=10_000)  # platform + 2 connected
    assert dialog.list.item(0).text().startswith("Sandbox itself")
    # The connected account with customers of its own (the demo's other one has none).
    assert workspace.sandbox is not None
    client = stripe.StripeClient(
        workspace.sandbox.api_key, base_addresses={"api": workspace.sandbox.url}
    )
    owned = {
        row: client.v1.customers.list(
            {"limit": 100}, {"stripe_account": dialog.list.item(row).data(Qt.ItemDataRole.UserRole)}
        ).data
        for row in (1, 2)
    }
    row = max(owned, key=lambda r: len(owned[r]))
    expected = {customer.id for customer in owned[row]}
    assert 0 < len(expected) < 50
    dialog.list.setCurrentRow(row)
    connected_id = dialog.list.item(row).data(Qt.ItemDataRole.UserRole)
    save_screenshot(dialog, "account-connected-picker")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: connected_id in window.banner.acting_for.text(), timeout=15_000)
    assert workspace.context is not None
    assert workspace.context.account.connected_account_id == connected_id
    context = workspace.context
    qtbot.waitUntil(
        lambda: (
            not window.busy()
            and not window.customers.busy()
            and "up to date" in window.customers.sync_label.text()
        ),
        timeout=20_000,
    )
    # The connected account's customers, not the platform's 50.
    assert context.index.count() == len(expected)
    save_screenshot(window, "window-connected-account")


def test_removing_an_account_forgets_its_key_and_returns_to_the_sandbox(
    qtbot: Any,
    run: Callable[..., Any],
    other_sandbox: EmbeddedSandbox,
    app_window: Callable[[], tuple[MainWindow, Workspace]],
) -> None:
    window, workspace = app_window()
    _add_through_dialog(qtbot, window, other_sandbox.api_key, other_sandbox.url)
    qtbot.waitUntil(window.remove_account_action.isEnabled, timeout=15_000)
    assert workspace.context is not None
    added = workspace.context.account

    def answer_yes() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox), box
        assert "delete its key" in box.text()
        box.button(QMessageBox.StandardButton.Yes).click()

    QTimer.singleShot(100, answer_yes)
    window.remove_current_account()
    qtbot.waitUntil(lambda: window.banner.account_name.text().startswith("Sandbox"), timeout=15_000)
    assert keyring.get_password(KEYRING_SERVICE, added.keyring_username) is None
    handles = [a.handle for a in run(workspace.accounts.list_accounts())]
    assert added.handle not in handles


def test_every_action_has_a_menu_entry_and_the_shortcuts_the_issue_names(
    qtbot: Any,
) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    keys = {action: key for _menu, action, key in shortcut_rows(window.menuBar())}
    assert keys["Find customer"] == "Ctrl+K"
    assert keys["Save"] == "Ctrl+S"
    assert keys["Refresh"] == "Ctrl+R"
    assert keys["Close panel"] == "Esc"
    assert keys["Customers"] == "Ctrl+1"
    assert len(set(keys.values())) == len(keys), "two actions share a shortcut"


def test_the_window_follows_a_dark_colour_scheme(qtbot: Any, qapp: QApplication) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    light = qapp.palette()
    try:
        apply_colour_scheme(qapp, Qt.ColorScheme.Dark)
        qapp.processEvents()
        assert is_dark(window.palette())
        text = window.palette().color(window.palette().ColorRole.WindowText)
        assert text.lightness() > 180  # light text on the dark window, not dark on dark
        save_screenshot(window, "window-dark")
        apply_colour_scheme(qapp, Qt.ColorScheme.Light)
        qapp.processEvents()
        assert not is_dark(window.palette())
    finally:
        qapp.setPalette(light)


def test_sigterm_closes_the_app_cleanly_and_it_remembers_its_window(tmp_path: Path) -> None:
    environment = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    process = subprocess.Popen(
        [sys.executable, "-m", "ui", "--data-dir", str(tmp_path)],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        registry = app_dirs(tmp_path).registry_file
        deadline = time.monotonic() + 60
        while not registry.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert registry.exists(), "the app never registered its sandbox"
        time.sleep(0.5)
        process.send_signal(signal.SIGTERM)
        _out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert (app_dirs(tmp_path).config / "window.ini").is_file()


def test_the_actions_menu_offers_the_current_views_buttons_and_runs_them(
    qtbot: Any, app_window: Callable[[], tuple[MainWindow, Workspace]]
) -> None:
    window, _workspace = app_window()
    qtbot.waitUntil(lambda: not window.customers.busy(), timeout=20_000)
    window.show_view(window.views.index(window.customers))
    window._fill_page_menu()
    entries = {action.text(): action for action in window.page_menu.actions()}
    assert "Sync now" in entries and entries["Sync now"].isEnabled()
    entries["Sync now"].trigger()  # the same as pressing the button
    qtbot.waitUntil(lambda: "up to date" in window.customers.sync_label.text(), timeout=20_000)

    window.show_view(window.views.index(window.configurations))
    window._fill_page_menu()
    texts = [a.text().replace("&", "").split("\t")[0] for a in window.page_menu.actions()]
    for wanted in ("New", "Import…", "Export…", "Copy to…", "Save…"):
        assert wanted in texts, texts
