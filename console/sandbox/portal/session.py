"""A portal visit: the session behind a link, its lifetime, its cookie and its CSRF token.

``/p/session/{token}`` is the link ``POST /v1/billing_portal/sessions`` returned.
:func:`open_portal` finds its session in whichever account made it, and refuses
it (a localized 404 page for an unknown link, 410 for a lapsed one) when the
sandbox clock says it has lapsed: five minutes after creation while unused, an
hour after the last request once used. Each request counts as activity.

The first visit sets the session's own cookie, ``portal_session_<id>``
(HttpOnly, SameSite=Lax, Path=/p/): a random value kept in the session. A POST is
accepted only with that cookie *and* the session's CSRF token in the form
(compared in constant time), so neither another site nor a page of another
customer's session can act in this one; one cookie per session lets two portals
open in one browser both keep working.

Everything a page needs is gathered in a :class:`Portal` (the session, its
configuration, the customer, the branding, the page language); page handlers
get it as their second argument and act through :meth:`Portal.call`, which runs
the API operation in the session's account with the API's own rules.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import Response

from console.sandbox.facts import ids
from console.sandbox.facts.errors import StripeError
from console.sandbox.facts.spec import JSON
from console.sandbox.http.app import read_body
from console.sandbox.http.hosted_urls import rebased
from console.sandbox.portal import double_submit
from console.sandbox.portal.render import PageLocale, choose_locale, render
from console.sandbox.resources import files
from console.sandbox.resources.portal_sessions import resolve_token
from console.sandbox.state import files as files_state

if TYPE_CHECKING:
    from console.sandbox.http.app import Api

COOKIE_PREFIX = "portal_session_"
MAX_FORM = 16_384
_COLOR = re.compile(r"^#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")


class PortalExit(Exception):  # noqa: N818 - it carries a response, it is not an error
    """Stop handling a portal request and answer with ``response`` (refusals, redirects)."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


@dataclass(frozen=True, slots=True)
class Brand:
    """What the header shows: from the account's branding and the configuration's profile."""

    name: str
    headline: str | None
    icon: str | None
    logo: str | None
    primary_color: str | None
    secondary_color: str | None
    privacy_policy_url: str | None
    terms_of_service_url: str | None
    return_url: str | None
    # Where the icon and logo files are served; None while the file id names no upload.
    icon_url: str | None = None
    logo_url: str | None = None

    @property
    def initial(self) -> str:
        return (self.name.strip()[:1] or "?").upper()

    @property
    def stylesheet(self) -> str | None:
        """``/p/brand.css?...`` carrying the colours; CSP forbids inline styles."""
        query = "&".join(
            f"{key}={value.lstrip('#')}"
            for key, value in (("primary", self.primary_color), ("secondary", self.secondary_color))
            if value and _COLOR.match(value)
        )
        return f"/p/brand.css?{query}" if query else None


@dataclass
class Portal:
    """One request's view of a portal session (see the module docstring)."""

    api: Api
    token: str
    account: str
    session: JSON
    configuration: JSON
    customer: JSON
    brand: Brand
    locale: PageLocale
    csrf_token: str
    form: dict[str, str] = field(default_factory=dict)

    @property
    def base(self) -> str:
        """The session's pages live under this path: ``/p/session/{token}``."""
        return f"/p/session/{self.token}"

    def url(self, *parts: str) -> str:
        tail = "/".join(p.strip("/") for p in parts if p)
        return f"{self.base}/{tail}" if tail else self.base

    def call(self, operation_id: str, params: JSON | None = None, **path: str) -> JSON:
        """Run an API operation for this session's account (same validation, events)."""
        return self.api.call(operation_id, params or {}, scope=self.account, **path)

    def feature(self, name: str) -> JSON:
        features: JSON = self.configuration["features"]
        feature: JSON = features.get(name) or {"enabled": False}
        return feature

    def enabled(self, name: str) -> bool:
        return bool(self.feature(name).get("enabled"))

    @property
    def flow(self) -> JSON | None:
        flow: JSON | None = self.session.get("flow")
        return flow

    @property
    def flow_pending(self) -> bool:
        return self.flow is not None and not self.session.get("_flow_done")

    @property
    def on_behalf_of(self) -> str | None:
        value: str | None = self.session.get("on_behalf_of")
        return value

    def mark_flow_done(self) -> None:
        store = self.api.store
        with store.transaction():
            current = store.get(self.session["id"])
            if current is not None:
                current["_flow_done"] = True
                store.save(current)
                self.session = current


# -- finding and keeping the session --------------------------------------------------------


def api_of(request: Request) -> Api:
    api: Api = request.app.state.api
    return api


def _lapse_moment(session: JSON) -> int:
    if session.get("_used_at") is None:
        return int(session["_expires_unused_at"])
    return int(session["_used_at"]) + int(session.get("_idle_timeout") or 3600)


def _lookup(api: Api, token: str) -> JSON | None:
    if not token or len(token) > 128:
        return None
    return resolve_token(api.store, None, token)


def cookie_name(session: JSON) -> str:
    """Each session its own cookie: a second portal opened in the same browser (the console's
    Quick view, across customers) must not overwrite the first tab's, or its forms fail."""
    return COOKIE_PREFIX + str(session["id"]).rpartition("_")[2]


def _has_cookie(request: Request, session: JSON) -> bool:
    """The browser carries this session's cookie: it opened the link, not another site."""
    sent = request.cookies.get(cookie_name(session), "")
    expected = str(session.get("_cookie") or "")
    return bool(sent and expected) and hmac.compare_digest(sent.encode(), expected.encode())


def unknown_link(request: Request) -> Response:
    return render(request, "expired.html", {"reason": "unknown", "return_url": None}, status=404)


def lapsed_link(request: Request, session: JSON, locale: PageLocale) -> Response:
    login_url = None
    after = session.get("after_expiration") or {}
    if after.get("type") == "customer_login":
        config = api_of(request).store.get(str(session["configuration"]))
        if config is not None and config["login_page"]["enabled"]:
            login_url = rebased(config["login_page"]["url"], api_of(request).base_url)
    return render(
        request,
        "expired.html",
        {"reason": "expired", "return_url": session.get("return_url"), "login_url": login_url},
        status=410,
        locale=locale,
    )


def _locale_for(request: Request, session: JSON, customer: JSON | None) -> PageLocale:
    preferred = (customer or {}).get("preferred_locales") or []
    return choose_locale(session.get("locale"), preferred, request.headers.get("accept-language"))


async def read_form(request: Request) -> dict[str, str] | None:
    """A url-encoded form, or None once it passes ``MAX_FORM`` bytes (read no further than
    that, however long the body); repeated keys keep the last value. Check the link first."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_FORM:
        return None
    try:
        body = await read_body(request.receive, MAX_FORM)
    except StripeError:
        return None
    return dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))


def closing(response: Response) -> Response:
    """``response``, then the connection closes: the body we refused to read is not drained."""
    response.headers["Connection"] = "close"
    return response


def too_large(request: Request) -> Response:
    """The answer to a form past ``MAX_FORM``: no portal form is anywhere near that size."""
    return closing(render(request, "error.html", {"reason": "csrf"}, status=413))


def known_link(request: Request, token: str) -> bool:
    """Whether ``token`` names a portal session (lapsed or not): the check before any body."""
    return _lookup(api_of(request), token) is not None


def open_portal(request: Request, token: str, form: dict[str, str] | None) -> Portal:
    """The live session behind ``token`` with its activity recorded; raises PortalExit if not.

    ``form`` is the posted form for a POST (checked against the cookie and the
    CSRF token) or None for a GET.
    """
    api = api_of(request)
    new_cookie: str | None = None
    with api.store.transaction():
        session = _lookup(api, token)
        if session is None:
            raise PortalExit(unknown_link(request))
        customer = api.store.get(str(session["customer"]))
        now = api.clock.now()
        if now >= _lapse_moment(session) or customer is None or customer.get("deleted"):
            raise PortalExit(lapsed_link(request, session, _locale_for(request, session, customer)))
        bound = _has_cookie(request, session)
        if form is not None:
            sent = form.get(double_submit.CSRF_FIELD, "")
            expected = str(session.get("_csrf") or "")
            if (
                not bound
                or not expected
                or not hmac.compare_digest(sent.encode(), expected.encode())
            ):
                locale = _locale_for(request, session, customer)
                raise PortalExit(
                    render(
                        request,
                        "error.html",
                        {"reason": "csrf", "home_url": f"/p/session/{token}"},
                        status=403,
                        locale=locale,
                    )
                )
        session["_used_at"] = now
        if not session.get("_csrf"):
            session["_csrf"] = ids.new_token(24)
        # The cookie's value lives in the session itself: a visit without the cookie stores
        # nothing new (a row per cookieless visit would grow the database without end).
        if not session.get("_cookie"):
            session["_cookie"] = ids.new_token(24)
        api.store.save(session)
        if not bound:
            new_cookie = str(session["_cookie"])
        account = api.store.owner(session["id"]) or api.platform
        configuration = api.store.get(str(session["configuration"]))
        if configuration is None:
            raise PortalExit(unknown_link(request))
    portal = Portal(
        api=api,
        token=token,
        account=account,
        session=session,
        configuration=configuration,
        customer=customer,
        brand=brand_for(
            api,
            account,
            configuration,
            on_behalf_of=session.get("on_behalf_of"),
            return_url=session.get("return_url"),
        ),
        locale=_locale_for(request, session, customer),
        csrf_token=str(session["_csrf"]),
        form=form or {},
    )
    request.state.portal = portal
    request.state.portal_cookie = new_cookie
    return portal


def set_cookie(request: Request, response: Response) -> Response:
    """Attach the session's cookie when this request came without it."""
    value = getattr(request.state, "portal_cookie", None)
    portal: Portal | None = getattr(request.state, "portal", None)
    if value and portal is not None:
        name = cookie_name(portal.session)
        response.set_cookie(name, value, path="/p/", httponly=True, samesite="lax")
    return response


def brand_for(
    api: Api,
    account: str,
    configuration: JSON,
    *,
    on_behalf_of: str | None = None,
    return_url: str | None = None,
) -> Brand:
    """The header of ``account``'s portal (``on_behalf_of``: that connected account's look)."""
    owner = api.store.get(on_behalf_of or account) or api.store.get(account) or {}
    profile = owner.get("business_profile") or {}
    settings = owner.get("settings") or {}
    branding = settings.get("branding") or {}
    dashboard = settings.get("dashboard") or {}
    name = profile.get("name") or dashboard.get("display_name") or owner.get("email") or "Business"
    business = configuration.get("business_profile") or {}
    return Brand(
        name=str(name),
        headline=business.get("headline"),
        icon=branding.get("icon"),
        logo=branding.get("logo"),
        primary_color=_color(branding.get("primary_color")),
        secondary_color=_color(branding.get("secondary_color")),
        privacy_policy_url=business.get("privacy_policy_url"),
        terms_of_service_url=business.get("terms_of_service_url"),
        return_url=return_url,
        icon_url=_image_url(api, branding.get("icon"), "business_icon", owner, account),
        logo_url=_image_url(api, branding.get("logo"), "business_logo", owner, account),
    )


def _image_url(api: Api, file_id: Any, purpose: str, owner: JSON, account: str) -> str | None:
    """The served contents of a branding file, if it was uploaded with ``purpose``."""
    if not isinstance(file_id, str) or not file_id:
        return None
    scopes = tuple(a for a in (owner.get("id"), account) if isinstance(a, str))
    found = files_state.find_file(api.store, file_id, scopes)
    if found is None or found.get("purpose") != purpose:
        return None
    return files.contents_url(api.base_url, file_id)


def _color(value: Any) -> str | None:
    if isinstance(value, str) and _COLOR.match(value):
        return value if value.startswith("#") else f"#{value}"
    return None


def valid_color(value: str) -> str | None:
    """A ``rrggbb``/``rgb`` hex colour as ``#rrggbb``, or None (for the brand stylesheet)."""
    match = _COLOR.match(value)
    if not match:
        return None
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return f"#{digits.lower()}"


PortalHandler = Callable[[Request, Portal], Response]
