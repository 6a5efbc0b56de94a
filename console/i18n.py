"""The core's own messages in the user's language: the words the console's rules, checks and
errors put in front of a person (a reason a portal action is not offered, a field's problem).

English is the source. The window sets the language it shows (``use_language``, from the same
choice as its Qt catalogue); the command line follows the environment (``LANGUAGE``,
``LC_ALL``, ``LC_MESSAGES``, ``LANG``). Messages are translated when they are made, so code
builds them inside functions with ``_()``, never as module constants (mark a constant with
``N_`` and translate it where it is used).

The catalogue is ``resources/console/locale/<lang>/LC_MESSAGES/console.po``, compiled in memory
on first use like the portal's (no ``.mo`` to go stale); ``scripts/core_i18n.sh`` keeps it in
line with the code and its ``--check`` runs in the suite.
"""

from __future__ import annotations

import gettext
import io
import os
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from resources import path

DOMAIN = "console"
LANGUAGES = ("en", "de")  # English is the source: it needs no catalogue

_current = ["en"]
# The user's own locale for dates and amounts (``en_GB``, ``de_AT``), when the system names one
# in the language spoken; else the language's usual one (``formatting_locale``).
_formatting: list[str | None] = [None]


def language_from_environment() -> str:
    """The language the environment asks for, if the core speaks it; else English."""
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        for tag in os.environ.get(variable, "").split(":"):
            code = tag.split(".")[0].replace("-", "_").split("_")[0].lower()
            if code in LANGUAGES:
                return code
            if code and code not in ("c", "posix"):
                break
    return "en"


def locale_from_environment() -> str | None:
    """The locale the environment names for formatting (``LC_ALL``, ``LC_TIME``, ``LANG``)."""
    for variable in ("LC_ALL", "LC_TIME", "LANG"):
        value = os.environ.get(variable, "")
        if value and value.split(".")[0] not in ("C", "POSIX"):
            return value
    return None


def use_language(code: str) -> None:
    """Make the core speak ``code`` (``en`` or ``de``; anything else is English)."""
    _current[0] = code if code in LANGUAGES else "en"


def current_language() -> str:
    return _current[0]


def use_formatting_locale(name: str | None) -> None:
    """Write dates and amounts as ``name`` (a POSIX or Qt locale name, ``en_GB``) does, while
    the core speaks its language; ``None`` (or a locale Babel does not know) goes back to the
    language's usual one."""
    _formatting[0] = None
    if not name:
        return
    try:
        parsed = Locale.parse(name.split(".")[0].replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return
    _formatting[0] = str(parsed)


def formatting_locale() -> str:
    """The locale amounts and dates are written in (``1.234,56 €``, ``06.12.2026`` in German):
    the user's own when it is in the language spoken, else the language's usual one."""
    own = _formatting[0]
    if own is not None and own.split("_")[0] == _current[0]:
        return own
    return {"de": "de_DE"}.get(_current[0], "en_US")


def format_count(count: int) -> str:
    """A whole number as the user writes it (``1,048,576``; ``1.048.576`` in German)."""
    return str(format_decimal(count, locale=formatting_locale()))


@cache
def _catalogue(code: str) -> gettext.NullTranslations:
    po = path("console", "locale", code, "LC_MESSAGES", f"{DOMAIN}.po")
    if code == "en" or not po.is_file():
        return gettext.NullTranslations()
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=code)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def _(message: str) -> str:
    """``message`` in the current language (fill its ``%(name)s`` placeholders after)."""
    return _catalogue(_current[0]).gettext(message)


def N_(message: str) -> str:  # noqa: N802 - gettext's conventional marker name
    """Marks a string for extraction without translating it yet."""
    return message
