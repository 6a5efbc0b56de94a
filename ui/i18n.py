"""The console's own interface in the system's language: English (the source) or German.

Catalogues are Qt Linguist files: ``resources/translations/portal_console_<lang>.ts`` is the
source, kept up to date from the ``tr()`` calls by ``scripts/ui_i18n.sh``, which also compiles
the ``.qm`` the app loads. Qt's own strings (standard buttons, file dialogs) come from Qt's
translations that ship with PySide6.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

import resources
from console import i18n as core_i18n

log = logging.getLogger(__name__)

CATALOGUE = "portal_console"
UI_LANGUAGES = ("en", "de")  # English is the source language: it needs no catalogue


def ui_language(locale: QLocale | None = None) -> str:
    """The interface language for ``locale`` (the system's by default): German or English."""
    chosen = locale if locale is not None else QLocale.system()
    # uiLanguages lists the user's preferences in order ("de-AT", "de", "en-US", …).
    for tag in chosen.uiLanguages():
        language = tag.replace("_", "-").split("-")[0].lower()
        if language in UI_LANGUAGES:
            return language
    return "en"


def install_translations(app: QApplication, locale: QLocale | None = None) -> list[QTranslator]:
    """Loads the console's and Qt's catalogues for the interface language into ``app``.

    Returns the translators (the caller keeps them alive; Qt does not own them).
    """
    language = ui_language(locale)
    # The core's messages (a field's problem, why a portal action is not offered) follow the
    # window's language; they come from the core's own gettext catalogue (console/i18n.py).
    core_i18n.use_language(language)
    core_i18n.use_formatting_locale((locale if locale is not None else QLocale.system()).name())
    if language == "en":
        return []
    installed = []
    own = QTranslator(app)
    if own.load(str(resources.path("translations", f"{CATALOGUE}_{language}.qm"))):
        installed.append(own)
    else:
        log.warning("No %s catalogue for the interface; it stays in English", language)
    qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt = QTranslator(app)
    if qt.load(f"qtbase_{language}", qt_folder):
        installed.append(qt)
    for translator in installed:
        app.installTranslator(translator)
    return installed
