"""The portal's languages: which of Stripe's locale codes a page is shown in, and its catalog.

Stripe spells a session's ``locale`` as its own enum (``de``, ``zh-HK``, ``es-419``, ``auto``
and six regional Englishes that the portal shows in US English); Babel and the catalogs use
CLDR ids (``de_DE``, ``zh_Hant_HK``, ``es_419``). The table between the two is data,
``resources/stripe/portal-locales.json``, shared with the console.

Catalogs are the ``.po`` files under ``resources/portal/locale``: they are read and compiled in
memory on first use (then cached for the process), so a fresh checkout, an installed package
and a PyInstaller bundle all work without a build step, and no compiled ``.mo`` can go stale.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from resources import load_json, path

log = logging.getLogger(__name__)

DOMAIN = "messages"
DEFAULT = "en"
AUTO = "auto"


@cache
def _table() -> dict[str, str]:
    """Stripe code -> CLDR id, for the portal's 40 languages, in the data file's order."""
    data = load_json("stripe", "portal-locales.json")
    return {entry["code"]: entry["cldr"] for entry in data["portal_locales"]}


@cache
def _regional_english() -> frozenset[str]:
    data = load_json("stripe", "portal-locales.json")
    return frozenset(data["api_only_locales"]["codes"])


def portal_locales() -> tuple[str, ...]:
    """The 40 Stripe codes the portal is translated into."""
    return tuple(_table())


def locale_dir() -> Path:
    return path("portal", "locale")


def catalog_path(stripe_locale: str) -> Path:
    """Where the ``.po`` catalog of a portal language lives."""
    return locale_dir() / cldr_of(stripe_locale) / "LC_MESSAGES" / f"{DOMAIN}.po"


def portal_locale(code: str | None) -> str:
    """The portal language that shows a session ``locale`` value.

    Portal codes map to themselves (case-insensitively), the regional English API locales and
    anything unknown to US English. ``auto`` must go through :func:`negotiate` instead.
    """
    if code:
        wanted = code.replace("_", "-").lower()
        for known in _table():
            if known.lower() == wanted:
                return known
    return DEFAULT


def cldr_of(stripe_locale: str | None) -> str:
    """The CLDR id (Babel locale) of the portal language for a Stripe code: ``zh-HK`` ->
    ``zh_Hant_HK``; regional English and unknown codes -> ``en_US``."""
    return _table()[portal_locale(stripe_locale)]


def html_lang(stripe_locale: str | None) -> str:
    """The BCP 47 tag for ``<html lang>``: the CLDR id with hyphens (``zh-Hant-HK``, ``de-DE``)."""
    return cldr_of(stripe_locale).replace("_", "-")


# -- catalogs ---------------------------------------------------------------------------------


@cache
def _load(cldr: str) -> Translations:
    po = locale_dir() / cldr / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po.is_file():
        # A missing catalog shows English rather than failing the customer's page; the tests
        # and ``scripts/i18n.sh --check`` are what insist that every catalog exists.
        log.warning("no portal catalog for %s at %s; showing English", cldr, po)
        return Translations(domain=DOMAIN)
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=cldr, domain=DOMAIN)
    buffer = io.BytesIO()
    # Fuzzy entries are guesses by msgmerge, not translations: gettext semantics leave them out.
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def translations_for(stripe_locale: str | None) -> Translations:
    """The gettext translations of a portal language (cached per process).

    Install them into Jinja2 with ``env.install_gettext_translations(t, newstyle=True)``.
    """
    return _load(cldr_of(stripe_locale))


def has_catalog(stripe_locale: str) -> bool:
    return catalog_path(stripe_locale).is_file()


# -- negotiation ------------------------------------------------------------------------------

_TAG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
# Old or macro-language codes browsers still send, mapped to the portal language they mean.
_ALIASES = {"no": "nb", "nn": "nb", "tl": "fil", "in": "id"}
# Chinese regions that read Traditional characters, by the portal language that serves them.
_TRADITIONAL = {"hk": "zh-HK", "mo": "zh-HK", "tw": "zh-TW"}


def match(tag: str) -> str | None:
    """The portal language for one language tag (``de-AT`` -> ``de``), or None when none fits.

    Regional English tags other than British go to US English, as Stripe shows its regional
    English API locales; Spanish outside Spain goes to Latin American Spanish.
    """
    cleaned = tag.strip().replace("_", "-")
    if not _TAG.match(cleaned):
        return None
    table = {code.lower(): code for code in _table()}
    lowered = cleaned.lower()
    if lowered in table:
        return table[lowered]
    parts = lowered.split("-")
    language = _ALIASES.get(parts[0], parts[0])
    script = next((p for p in parts[1:] if len(p) == 4 and p.isalpha()), None)
    region = next((p for p in parts[1:] if len(p) == 2 or (len(p) == 3 and p.isdigit())), None)
    if language == "zh":
        if region in _TRADITIONAL:
            return _TRADITIONAL[region]
        return "zh-TW" if script == "hant" else "zh"
    if language == "en":
        return "en-GB" if region == "gb" else "en"
    if language == "es":
        return "es" if region in (None, "es") else "es-419"
    if language == "pt":
        return "pt-BR" if region == "br" else "pt"
    if language == "fr":
        return "fr-CA" if region == "ca" else "fr"
    return table.get(language)


def parse_accept_language(header: str | None) -> list[str]:
    """The tags of an ``Accept-Language`` header, most preferred first (q=0 and ``*`` dropped)."""
    if not header:
        return []
    weighted: list[tuple[float, int, str]] = []
    for index, item in enumerate(header.split(",")):
        tag, _, params = item.partition(";")
        tag = tag.strip()
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = -1.0
        if tag and tag != "*" and 0 < quality <= 1:
            weighted.append((-quality, index, tag))
    return [tag for _, _, tag in sorted(weighted)]


def best_of(tags: Iterable[str]) -> str | None:
    for tag in tags:
        found = match(tag)
        if found is not None:
            return found
    return None


def negotiate(
    session_locale: str | None,
    preferred_locales: Sequence[str] | None = None,
    accept_language: str | None = None,
) -> str:
    """The portal language (a Stripe code) to show a session in.

    A session's explicit ``locale`` wins (regional English -> ``en``). With ``auto`` or none,
    the customer's ``preferred_locales`` decide, else the browser's ``Accept-Language``, else
    US English.
    """
    if session_locale and session_locale != AUTO:
        return portal_locale(session_locale)
    chosen = best_of(preferred_locales or ())
    if chosen is None:
        chosen = best_of(parse_accept_language(accept_language))
    return chosen or DEFAULT
