"""Templates and CLDR formatting for the portal pages, in the page's language.

One Jinja2 environment per language (autoescape on, the ``i18n`` extension with
new-style gettext), each with that language's catalog installed, so ``_()`` and
``{% trans %}`` in a template speak the page's language. Which language, and the
catalogs themselves, are :mod:`console.sandbox.portal.i18n`'s business: the
session's ``locale``, else the customer's ``preferred_locales``, else the
browser's ``Accept-Language``, else US English (regional English API locales
show US English).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, get_currency_precision
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from console.sandbox.portal import double_submit, i18n
from console.sandbox.portal.addresses import address_lines
from resources import path

if TYPE_CHECKING:
    from console.sandbox.portal.session import Portal


@dataclass(frozen=True, slots=True)
class PageLocale:
    """A page's language: Stripe's spelling (``pt-BR``) and Babel's id (``pt_BR``)."""

    code: str
    cldr: str

    @property
    def html_lang(self) -> str:
        return i18n.html_lang(self.code)

    @property
    def babel(self) -> Locale:
        return _babel_locale(self.cldr)


def page_locale(code: str) -> PageLocale:
    return PageLocale(code, i18n.cldr_of(code))


def choose_locale(
    session_locale: str | None, preferred: list[str] | None, accept_language: str | None
) -> PageLocale:
    """The session's locale, else the customer's preferred ones, else the browser's, else en."""
    return page_locale(i18n.negotiate(session_locale, preferred, accept_language))


def request_locale(request: Request) -> PageLocale:
    """For pages without a session (login, unknown links): the browser's language."""
    return choose_locale(None, None, request.headers.get("accept-language"))


# -- environments ----------------------------------------------------------------------------


@cache
def _babel_locale(cldr: str) -> Locale:
    try:
        return Locale.parse(cldr)
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en_US")


@cache
def environment(code: str) -> Environment:
    """The Jinja2 environment of one portal language (cached)."""
    env = Environment(
        loader=FileSystemLoader(str(path("portal", "templates"))),
        autoescape=select_autoescape(default=True, default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(  # type: ignore[attr-defined]
        i18n.translations_for(code), newstyle=True
    )
    locale = page_locale(code)
    env.filters["money"] = lambda amount, currency: money(amount, currency, locale)
    env.filters["date"] = lambda moment: date(moment, locale)
    env.filters["datetime"] = lambda moment: date_time(moment, locale)
    env.filters["address_lines"] = lambda address: address_lines(address, locale.babel)
    return env


# -- formatting ------------------------------------------------------------------------------


def money(amount: int | None, currency: str | None, locale: PageLocale) -> str:
    """An amount in the currency's minor unit, as the language writes it (``1.234,56 €``)."""
    if amount is None or not currency:
        return ""
    code = currency.upper()
    digits = get_currency_precision(code)
    value = amount / (10**digits) if digits else amount
    return str(format_currency(value, code, locale=locale.babel))


def date(moment: int | None, locale: PageLocale) -> str:
    if moment is None:
        return ""
    return str(format_date(datetime.fromtimestamp(moment, UTC), "medium", locale=locale.babel))


def date_time(moment: int | None, locale: PageLocale) -> str:
    if moment is None:
        return ""
    when = datetime.fromtimestamp(moment, UTC)
    return str(format_datetime(when, "medium", tzinfo=UTC, locale=locale.babel))


def N_(message: str) -> str:  # noqa: N802 - gettext's conventional marker name
    """Marks a string for extraction (Babel's default keywords know ``N_``); translated later."""
    return message


def gettext(locale: PageLocale, message: str, **variables: Any) -> str:
    """A translated string outside a template; mark its literal with ``N_`` for extraction."""
    text = i18n.translations_for(locale.code).gettext(message)
    return text % variables if variables else text


# -- rendering -------------------------------------------------------------------------------


def portal_context(request: Request) -> dict[str, Any]:
    """What every template sees: ``portal``, ``session``, ``configuration``, ``features``,
    ``customer``, ``brand``, ``csrf_token``, ``csrf_field``, ``locale``, ``base``; off a
    session (login, unknown links) only ``locale`` and ``portal``/``brand`` as None.
    """
    portal: Portal | None = getattr(request.state, "portal", None)
    if portal is None:
        return {"locale": request_locale(request), "portal": None, "brand": None}
    return {
        "portal": portal,
        "session": portal.session,
        "configuration": portal.configuration,
        "features": portal.configuration["features"],
        "customer": portal.customer,
        "brand": portal.brand,
        "csrf_token": portal.csrf_token,
        "csrf_field": double_submit.CSRF_FIELD,
        "locale": portal.locale,
        "base": portal.base,
    }


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status: int = 200,
    locale: PageLocale | None = None,
) -> HTMLResponse:
    """Render ``template`` in the page's language with the portal's context merged in.

    The portal context (session, configuration, customer, branding, CSRF token,
    ``locale``) comes from ``request.state.portal`` when a portal route set it;
    ``context`` adds to it.
    """
    values = portal_context(request)
    values.update(context or {})
    chosen: PageLocale = locale or values.get("locale") or request_locale(request)
    values["locale"] = chosen
    html = environment(chosen.code).get_template(template).render(values)
    return HTMLResponse(html, status_code=status)
