"""The console's own interface in German: the catalogue is complete and compiled, the language
follows the system's, and a German window, its views and Qt's own buttons really read German.

Each German test installs the translators for itself and removes them afterwards, so every
other UI test keeps seeing the English source strings.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, Qt, QTranslator
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QMenu,
    QWidget,
)

from console.configurations.edit import diff
from console.configurations.model import PortalConfiguration, edit
from console.configurations.rules import Catalogue
from console.configurations.summary import summarize_save
from console.i18n import use_language
from tests.ui.conftest import german_interface, save_screenshot
from ui.accounts.add_dialog import AddAccountDialog
from ui.configurations.dialogs import SaveSummaryDialog
from ui.context import AccountContext
from ui.i18n import ui_language
from ui.main_window import MainWindow
from ui.shortcuts_dialog import ShortcutsDialog

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def german(qapp: QApplication) -> Iterator[list[QTranslator]]:
    with german_interface(qapp) as translators:
        yield translators


def _mnemonic(text: str) -> str | None:
    """The letter Alt+ reaches for a text with an "&" mnemonic ("&&" is a literal "&")."""
    found = re.search(r"(?<!&)&([^&])", text.replace("&&", ""))
    return found.group(1).lower() if found else None


def _mnemonics(texts: list[str]) -> list[str]:
    return [letter for text in texts if (letter := _mnemonic(text))]


def _widget_texts(view: QWidget) -> list[str]:
    """The texts that can carry a mnemonic in a view: buttons, labels, group boxes."""
    texts = [button.text() for button in view.findChildren(QAbstractButton)]
    texts += [label.text() for label in view.findChildren(QLabel)]
    texts += [box.title() for box in view.findChildren(QGroupBox)]
    return texts


def test_the_german_catalogue_is_complete_and_the_compiled_one_current() -> None:
    # The same check CI runs: every tr() string of ui/ is in the .ts, translated, with the
    # same {placeholders}, and the committed .qm is what the .ts compiles to.
    done = subprocess.run(
        ["bash", "scripts/ui_i18n.sh", "--check"],
        cwd=REPO,
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 untranslated, 0 with wrong placeholders" in done.stdout


@pytest.mark.parametrize(
    ("locale", "language"),
    [
        ("de_DE", "de"),
        ("de_AT", "de"),
        ("de_CH", "de"),
        ("fr_FR", "en"),
        ("en_GB", "en"),
        ("en_US", "en"),
    ],
)
def test_the_interface_language_follows_the_locale(locale: str, language: str) -> None:
    assert ui_language(QLocale(locale)) == language


@pytest.mark.parametrize(
    ("environment", "language"),
    [
        ({"LANG": "de_DE.UTF-8"}, "de"),
        ({"LANG": "de_AT.UTF-8"}, "de"),
        # LANGUAGE is the user's list of preferred languages; it wins over LANG for messages.
        ({"LANG": "en_US.UTF-8", "LANGUAGE": "de"}, "de"),
        # A French desktop with German as the second choice: German beats the English fallback.
        ({"LANG": "fr_FR.UTF-8", "LANGUAGE": "fr:de"}, "de"),
        ({"LANG": "fr_FR.UTF-8"}, "en"),
        ({"LANG": "en_GB.UTF-8"}, "en"),
        # LC_ALL overrides everything, as in any POSIX program.
        ({"LANG": "de_DE.UTF-8", "LC_ALL": "C"}, "en"),
    ],
)
def test_the_interface_language_follows_the_system_language(
    environment: dict[str, str], language: str
) -> None:
    # A fresh process: Qt reads the environment once, when it first asks for the system locale.
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in ("LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES")
    }
    probe = "from ui.i18n import ui_language; print(ui_language())"
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=REPO,
        check=False,
        env={**clean, **environment},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == language


def test_translators_are_removed_again_after_a_german_block(qapp: QApplication) -> None:
    with german_interface(qapp) as translators:
        assert len(translators) == 2  # the console's catalogue and Qt's own (qtbase_de)
        assert QCoreApplication.translate("MainWindow", "&Account") == "&Konto"
    assert QCoreApplication.translate("MainWindow", "&Account") == "&Account"
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text().replace("&", "") == "Cancel"


def test_the_main_window_speaks_german(
    german: list[QTranslator], qtbot: Any, demo_context: AccountContext
) -> None:
    window = MainWindow()
    qtbot.addWidget(window, before_close_func=lambda w: w.shutdown())
    window.show()
    qtbot.waitExposed(window)

    menus = [action.text() for action in window.menuBar().actions()]
    assert menus == ["&Konto", "&Bearbeiten", "Ak&tionen", "&Ansicht", "&Hilfe"]
    sidebar = [window.sidebar.item(row).text() for row in range(window.sidebar.count())]
    assert sidebar == [
        "Kunden",
        "Portal als Kunde öffnen",
        "Portalkonfigurationen",
        "Branding-Vorschau",
        "Kündigungsbericht",
        "Portalabdeckung",
    ]
    assert window.banner.account_name.text() == "Sandbox wird gestartet…"

    window.show_context(demo_context, sync_customers=False)
    assert window.banner.mode.text().strip() == "TESTMODUS"
    # The views' own labels and buttons.
    customers = window.customers
    assert customers.search.placeholderText().startswith("Kunden nach Name, E-Mail")
    assert customers.open_portal_button.text() == "Portal als Kunde öffnen…"
    assert customers.sync_start.text() == "Jetzt synchronisieren"
    configurations = window.configurations
    assert [
        configurations.new_button.text(),
        configurations.save_button.text(),
        configurations.revert_button.text(),
    ] == ["&Neu", "&Speichern…", "&Zurücksetzen"]
    assert window.report.load_button.text() == "&Laden"
    assert window.report.export_button.text() == "CSV &exportieren…"

    # Alt+<letter> must reach one thing: no letter twice in the menu bar, in one menu, or
    # in a view (where the menu bar's letters are taken too).
    bar = _mnemonics(menus)
    assert len(bar) == len(set(bar)) == len(menus)
    for menu in window.menuBar().findChildren(QMenu):
        letters = _mnemonics([action.text() for action in menu.actions()])
        assert len(letters) == len(set(letters)), (menu.title(), letters)
    for view in window.views:
        letters = _mnemonics(_widget_texts(view))
        assert len(letters) == len(set(letters)), (type(view).__name__, letters)
        assert not set(letters) & set(bar), (type(view).__name__, letters, bar)

    window.show_view(window.views.index(window.configurations))
    qtbot.waitUntil(lambda: "Konfiguration" in window.configurations.status.text(), timeout=15_000)
    save_screenshot(window, "de-main-window-configurations")
    tabs = window.configurations.editor.tabs
    titles = [tabs.tabText(index) for index in range(tabs.count())]
    assert "Tarifwechsel" in titles and "Kündigung" in titles
    for title, name in (("Kündigung", "cancellation"), ("Tarifwechsel", "plan-switching")):
        tabs.setCurrentIndex(titles.index(title))
        save_screenshot(window, f"de-configurations-{name}")
    window.show_view(window.views.index(window.customers))
    qtbot.waitUntil(lambda: customers.model.rowCount() > 0, timeout=15_000)
    assert "Kunden" in customers.results_label.text()
    save_screenshot(window, "de-main-window-customers")
    # The views with the longest German labels, to look at.
    window.show_view(window.views.index(window.portal))
    save_screenshot(window, "de-main-window-portal-session")
    report = window.report
    window.show_view(window.views.index(report))
    qtbot.mouseClick(report.load_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: report.loaded is not None, timeout=15_000)
    assert report.summary.text().startswith("Kündigungen: ")
    assert report.details.tabText(0) == "Summen"
    qtbot.wait(200)  # let the chart lay out before the picture
    save_screenshot(window, "de-main-window-report")


def test_qt_standard_buttons_and_dialogs_speak_german(
    german: list[QTranslator], qtbot: Any, demo_context: AccountContext
) -> None:
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok
        | QDialogButtonBox.StandardButton.Cancel
        | QDialogButtonBox.StandardButton.Close
    )
    qtbot.addWidget(buttons)
    text = {
        which: buttons.button(which).text().replace("&", "")
        for which in (QDialogButtonBox.StandardButton.Cancel, QDialogButtonBox.StandardButton.Close)
    }
    assert text[QDialogButtonBox.StandardButton.Cancel] == "Abbrechen"
    assert text[QDialogButtonBox.StandardButton.Close] == "Schließen"

    window = MainWindow()
    qtbot.addWidget(window, before_close_func=lambda w: w.shutdown())
    shortcuts = ShortcutsDialog(window.menuBar(), window)
    shortcuts.show()
    qtbot.waitExposed(shortcuts)
    table = shortcuts.table
    headers = [table.model().headerData(column, Qt.Orientation.Horizontal) for column in range(3)]
    assert headers == ["Menü", "Aktion", "Tasten"]
    rows = {
        table.model().index(row, 1).data(): table.model().index(row, 2).data()
        for row in range(table.rowCount())
    }
    # Qt's German names for keys come from qtbase_de: "Strg", not "Ctrl".
    assert rows["Beenden"] == "Strg+Q"
    assert rows["Speichern"] == "Strg+S"
    save_screenshot(shortcuts, "de-shortcuts-dialog")
    shortcuts.reject()

    add = AddAccountDialog(demo_context.accounts, window)
    add.show()
    qtbot.waitExposed(add)
    assert add.windowTitle() == "Stripe-Konto hinzufügen"
    assert add.key.placeholderText() == "sk_test_… oder sk_live_…"
    cancel = add.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    assert cancel.text().replace("&", "") == "Abbrechen"
    qtbot.mouseClick(add.add_button, Qt.MouseButton.LeftButton)  # no key pasted yet
    qtbot.waitUntil(add.problem.isVisible, timeout=5_000)
    assert add.problem.text() == "Fügen Sie zuerst den API-Schlüssel des Kontos ein."
    save_screenshot(add, "de-add-account-dialog")
    add.reject()


def test_the_live_save_dialog_warns_in_german(german: list[QTranslator], qtbot: Any) -> None:
    use_language("de")  # the core's words, as the window sets them with its own
    before = edit(PortalConfiguration(name="Default"), "features.subscription_cancel.enabled", True)
    before = edit(before, "business_profile.headline", "Old headline")
    after = edit(before, "features.subscription_cancel.enabled", False)
    after = edit(after, "business_profile.headline", "New headline")
    changes = diff(before, after)
    dialog = SaveSummaryDialog(
        [summarize_save(before, after, Catalogue())],
        changes,
        ["Überschrift", "Kündigung"],
        configuration="Default",
        account="Northwind (acct_1)",
        live=True,
        creating=False,
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.windowTitle() == "Portalkonfiguration speichern"
    assert dialog.live_banner is not None
    assert dialog.live_banner.text().startswith("LIVEMODUS: Dies ändert das Portal")
    assert dialog.summary.text() == "2 Änderung(en) an „Default“ in Northwind (acct_1) speichern:"
    assert dialog.section_titles() == ["Was sich ändert"]
    assert dialog.lines() == ["Überschrift: jetzt „New headline“", "Kündigung: jetzt aus"]
    assert dialog.rows()[1] == ("features[subscription_cancel][enabled]", "ein", "aus")
    assert dialog.save_button.text() == "Im Livemodus speichern"
    save_screenshot(dialog, "de-save-live-dialog")
    dialog.reject()
